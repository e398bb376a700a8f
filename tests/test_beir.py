"""BEIR evaluation: loading, passages, caching, doc-level runs and ranx scores on a tiny dataset."""

import gzip
import json

import pytest
from click.testing import CliRunner

from fieldguide.beir import evaluate_beir, load_beir, passages, score_run, write_run
from fieldguide.cli import main

DOCS = {
    "d1": ("Harbor Clinic", "The Harbor Clinic offers free STI testing on Tuesdays."),
    "d2": ("Food bank", "The Juniper Food Bank is open on Saturdays from 8 am."),
    "d3": ("Night van", "The Lantern Project runs the night van on Fridays with socks."),
    "d4": (
        "Long",
        " ".join(f"Sentence {i} talks about shelter beds and walk-ins." for i in range(40)),
    ),
}
QUERIES = {"q1": "free STI testing", "q2": "when is the food bank open", "q3": "night van socks"}
QRELS = {"q1": {"d1": 1}, "q2": {"d2": 1}, "q3": {"d3": 1}}


@pytest.fixture
def beir_dir(tmp_path):
    folder = tmp_path / "tiny"
    (folder / "qrels").mkdir(parents=True)
    with gzip.open(folder / "corpus.jsonl.gz", "wt") as handle:
        for did, (title, text) in DOCS.items():
            handle.write(json.dumps({"_id": did, "title": title, "text": text}) + "\n")
    lines = [json.dumps({"_id": q, "text": t}) for q, t in QUERIES.items()]
    lines.append(json.dumps({"_id": "unjudged", "text": "not in qrels"}))
    (folder / "queries.jsonl").write_text("\n".join(lines) + "\n")
    rows = ["query-id\tcorpus-id\tscore"] + [f"{q}\t{d}\t1" for q, r in QRELS.items() for d in r]
    (folder / "qrels" / "test.tsv").write_text("\n".join(rows) + "\n")
    return folder


def test_load_keeps_judged_queries_only(beir_dir):
    data = load_beir(beir_dir)
    assert set(data.queries) == set(QRELS) and data.corpus["d2"][0] == "Food bank"


def test_long_documents_become_passages_within_the_limit(beir_dir, fake_embedder):
    chunks = passages(load_beir(beir_dir), fake_embedder.count_tokens, 60)
    long = [c for c in chunks if c.doc_id == "d4"]
    assert len(long) > 1
    assert all(fake_embedder.count_tokens(c.embed_text()) <= 60 for c in chunks)
    assert all(c.embed_text().startswith(c.title) for c in chunks)


def test_score_run_uses_trec_eval_definitions():
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}}
    scores = score_run(qrels, {"q1": {"x": 2.0, "a": 1.0}})  # q2 missing: scores 0
    assert scores["ndcg@10"] == pytest.approx((1 / 1.5849625) / 2, abs=1e-4)
    assert scores["recall@100"] == pytest.approx(0.5)


def test_run_file_is_trec_format(tmp_path):
    path = tmp_path / "run.trec"
    write_run(path, {"q1": {"a": 0.2, "b": 0.9}})
    assert path.read_text().splitlines() == [
        "q1 Q0 b 1 0.900000 fieldguide",
        "q1 Q0 a 2 0.200000 fieldguide",
    ]


def test_evaluate_ranks_the_right_documents_and_caches_vectors(
    beir_dir, settings, fake_embedder, tmp_path
):
    report = evaluate_beir(beir_dir, settings, fake_embedder, tmp_path / "cache")
    assert report.queries == 3 and report.ndcg_at_10 == pytest.approx(1.0)
    lines = open(report.run_file).read().splitlines()
    assert lines[0].split()[:3] == ["q1", "Q0", "d1"]
    # a document appears once in a query's run even when several of its passages match
    assert len({line.split()[2] for line in lines if line.startswith("q1 ")}) == len(
        [line for line in lines if line.startswith("q1 ")]
    )
    embedded = len(fake_embedder.encoded)
    evaluate_beir(beir_dir, settings, fake_embedder, tmp_path / "cache")
    assert len(fake_embedder.encoded) == embedded  # passages came from the cache


def test_cli_eval_beir_json(beir_dir, fake_embedder, tmp_path):
    result = CliRunner().invoke(
        main, ["eval", "--beir", str(beir_dir), "--cache", str(tmp_path / "c"), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ndcg@10"] == pytest.approx(1.0) and data["queries"] == 3
    assert {"recall@100", "config"} <= set(data) and data["config"]["fusion"]


def test_cli_eval_beir_rejects_a_folder_without_data(tmp_path, fake_embedder):
    result = CliRunner().invoke(main, ["eval", "--beir", str(tmp_path)])
    assert result.exit_code == 1 and "not a BEIR folder" in result.output
