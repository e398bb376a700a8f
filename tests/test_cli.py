"""CLI: the contracts other tools rely on, driven through CliRunner."""

import json

import pytest
from builders import make_corrupt_pdf, make_pdf
from click.testing import CliRunner
from conftest import QUESTIONS

from fieldguide.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_index_reports_documents_and_problems(settings, corpus, fake_embedder):
    make_corrupt_pdf(corpus)
    result = run("index")
    assert result.exit_code == 0, result.output
    assert "Indexed 3 documents" in result.output
    assert "broken.pdf: the PDF is damaged" in result.output
    report = json.loads(run("index", "--json").output)
    assert sorted(report["unchanged"]) == ["north-highlands", "walnut-park", "westlake"]


def test_index_of_nothing_readable_fails_with_one_line(settings, fake_embedder, tmp_path):
    make_corrupt_pdf(tmp_path)
    result = run("index", str(tmp_path / "broken.pdf"))
    assert result.exit_code == 1
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error_lines) == 1
    assert error_lines[0].startswith("Error: No document could be indexed")
    assert "broken.pdf: the PDF is damaged" in error_lines[0]
    assert "Traceback" not in result.output


def test_index_of_a_path_that_does_not_exist_says_so(settings, corpus, fake_embedder, tmp_path):
    result = run("index", str(tmp_path / "no" / "such" / "path"))
    assert result.exit_code == 1
    assert "path: the path does not exist" in result.stderr
    assert "not supported" not in result.output
    result = run("index", str(corpus), str(tmp_path / "gone.pdf"))  # the rest still indexes
    assert result.exit_code == 0, result.output
    assert "Indexed 3 documents" in result.output and "the path does not exist" in result.output


def test_search_json_contract(built, fake_embedder):
    result = run("search", "888-539-2373", "--k", "2", "--json")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)["hits"]
    assert len(hits) == 2
    assert {"text", "doc_id", "title", "section", "page", "start", "end", "score"} <= set(hits[0])
    assert "888-539-2373" in hits[0]["text"]


def test_ask_json_contract(built, fake_embedder):
    result = run("ask", "Where are the quarterly safety workshops held?", "--json")
    data = json.loads(result.output)
    assert {"answer", "abstained", "citations", "hits"} <= set(data)
    for citation in data["citations"]:
        assert {"n", "doc_id", "title", "section", "page", "sentence"} <= set(citation)
        assert citation["sentence"] in data["hits"][citation["n"] - 1]["text"]


def test_ask_from_a_jsonl_file_answers_every_line(built, fake_embedder, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"id": "x1", "q": "How can I call Covenant House California?"}\n\n'
        '{"q": "What is the penalty for prostitution in Nevada?"}\n'
    )
    result = run("ask", "--from", str(questions), "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [(d["line"], d.get("id")) for d in lines] == [(1, "x1"), (3, None)]
    assert lines[1]["outcome"] == "abstained"
    assert lines[1]["note"] == "These documents don't mention Nevada."
    assert {"answer", "citations", "hits", "urgent", "differences"} <= set(lines[0])
    questions.write_text('{"q": "ok?"}\n{"question": "no q"}\n')
    bad = run("ask", "--from", str(questions))
    assert bad.exit_code != 0 and 'line 2 has no "q" string' in bad.output
    assert run("ask").exit_code != 0  # neither a question nor a file


def test_ask_readable_text(built, fake_embedder):
    result = run("ask", "How can I call Covenant House California?")
    assert result.exit_code == 0
    assert "[1]" in result.output and "Covenant House" in result.output


def test_eval_reports_metrics(built, fake_embedder):
    data = json.loads(run("eval", str(QUESTIONS), "--json").output)
    assert data["answerable"] == 28 and data["unanswerable"] == 2
    assert 0 <= data["hit_at_1"] <= data["hit_at_3"] <= 1
    text = run("eval", str(QUESTIONS)).output
    assert "hit@3" in text and "abstained" in text


def test_no_index_is_a_one_line_error(settings, fake_embedder):
    result = run("ask", "anything")
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "No index" in result.output and "fieldguide index" in result.output


def test_index_env_variable_points_elsewhere(settings, fake_embedder, tmp_path, monkeypatch):
    other = tmp_path / "elsewhere"
    monkeypatch.setenv("FIELDGUIDE_INDEX", str(other))
    make_pdf(settings.corpus)
    assert run("index", str(settings.corpus)).exit_code == 0
    assert (other / "CURRENT").exists()
    hits = json.loads(run("search", "Harbor Clinic hours", "--json").output)["hits"]
    assert hits[0]["page"] in (1, 2) and hits[0]["doc_id"] == "guide"


def test_serve_hands_the_app_its_settings_with_absolute_paths(tmp_path, monkeypatch):
    from fieldguide import cli

    calls = []
    monkeypatch.setattr(cli.subprocess, "call", lambda command, **kw: calls.append(kw) or 0)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FIELDGUIDE_CORPUS", "docs")  # relative to where fieldguide is run
    monkeypatch.setenv("FIELDGUIDE_K", "7")
    result = run("--index", "my-index", "serve", "--port", "8629")
    assert result.exit_code == 0, result.output
    env = calls[0]["env"]
    assert env["FIELDGUIDE_INDEX"] == str(tmp_path / "my-index")
    assert env["FIELDGUIDE_CORPUS"] == str(tmp_path / "docs")
    assert env["FIELDGUIDE_K"] == "7" and env["FIELDGUIDE_RERANK"] == "sentences"


def test_serve_refuses_a_bad_setting_before_starting(monkeypatch):
    from fieldguide import cli

    monkeypatch.setattr(cli.subprocess, "call", lambda *a, **kw: pytest.fail("started"))
    monkeypatch.setenv("FIELDGUIDE_RERANK", "sentence")
    result = run("serve")
    assert result.exit_code == 1
    assert (
        result.output
        == "Error: FIELDGUIDE_RERANK must be one of none, sentences (got 'sentence')\n"
    )


def test_ask_says_when_sources_differ(settings, fake_embedder):
    for name, fine in (("a", "$1,000"), ("b", "$2,500")):
        (settings.corpus / f"{name}.txt").write_text(
            "What is the fine for soliciting?\n\nFirst-time offenders face up to 6 months in "
            f"county jail and fines up to {fine}.\n"
        )
    assert run("index").exit_code == 0
    result = run("ask", "What is the fine for soliciting?")
    assert result.exit_code == 0, result.output
    (note,) = [line for line in result.output.splitlines() if line.startswith("Sources differ")]
    assert note.startswith("Sources differ on an amount of money")
    assert "says “$1,000”" in note and "says “$2,500”" in note
    assert note.endswith("Check which is right before you rely on it.")
    data = json.loads(run("ask", "What is the fine for soliciting?", "--json").output)
    (difference,) = data["differences"]
    assert difference["about"].startswith("an amount of money")
    assert {difference["first"]["figure"], difference["second"]["figure"]} == {"$1,000", "$2,500"}
    assert {"answer", "abstained", "citations", "hits", "outcome", "note"} <= set(data)
    spanish = run("ask", "¿Cuál es la multa por ofrecer sexo en la calle?").output
    assert "Las fuentes no coinciden sobre an amount of money" in spanish
