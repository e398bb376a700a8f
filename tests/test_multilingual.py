"""The multilingual voice: stored like the English vectors (checksummed, incremental, refused
on a mismatch), and questions in Spanish answered from it with the documents' own sentences."""

import dataclasses
import json

import pytest
from click.testing import CliRunner

from fieldguide.build import build_index
from fieldguide.cli import main
from fieldguide.engine import Engine
from fieldguide.errors import IndexMismatch
from fieldguide.store import MULTILINGUAL_SENTENCES, MULTILINGUAL_VECTORS, current_build

# the fake multilingual model reads "pruebas", "VIH" and "gratis" as English words
SPANISH_HIV = "¿Dónde hay pruebas de VIH gratis?"


def _manifest(settings) -> dict:
    return json.loads((current_build(settings.index) / "manifest.json").read_text())


def test_a_build_stores_the_multilingual_vectors_beside_the_english_ones(built, fake_embedder):
    manifest = _manifest(built)
    assert manifest["multilingual"] == {
        "model": "fake-multilingual",
        "model_sha256": "fake-ml",
        "dimension": 64,
        "sentences": manifest["sentences"],  # one vector per sentence, like MiniLM's
    }
    assert manifest["sentences"] > 0
    assert {MULTILINGUAL_VECTORS, MULTILINGUAL_SENTENCES} <= set(manifest["files"])
    engine = Engine.open(built, fake_embedder)
    assert engine.index.multilingual.vectors.ntotal == len(engine.index.chunks)


def test_english_only_builds_no_multilingual_vectors(
    settings, corpus, fake_embedder, fake_multilingual
):
    settings = dataclasses.replace(settings, languages="en")
    build_index([corpus], settings, fake_embedder)
    build = current_build(settings.index)
    assert _manifest(settings)["multilingual"] == {}
    assert not (build / MULTILINGUAL_VECTORS).exists()
    assert fake_multilingual.encoded == []


def test_unchanged_documents_are_not_embedded_again_by_either_model(
    built, fake_embedder, fake_multilingual
):
    fake_embedder.encoded.clear()
    fake_multilingual.encoded.clear()
    (built.corpus / "extra.txt").write_text("Extra guide\n\nThe van hands out water on Fridays.")
    build_index([built.corpus], built, fake_embedder)
    new_texts = {"The van hands out water on Fridays."}
    assert new_texts <= set(fake_multilingual.encoded)
    assert not any("Walnut Park" in t for t in fake_multilingual.encoded)
    assert len(fake_multilingual.encoded) == len(fake_embedder.encoded)
    engine = Engine.open(built, fake_embedder)
    assert engine.index.multilingual.vectors.ntotal == len(engine.index.chunks)


def test_an_index_from_another_multilingual_model_is_refused_then_rebuilt(
    built, fake_embedder, fake_multilingual, monkeypatch
):
    monkeypatch.setattr(fake_multilingual, "weights_sha256", "other-weights")
    with pytest.raises(IndexMismatch, match="multilingual model fake-multilingual"):
        Engine.open(built, fake_embedder)
    fake_embedder.encoded.clear()
    fake_multilingual.encoded.clear()
    build_index([built.corpus], built, fake_embedder)
    assert fake_embedder.encoded == []  # the English vectors were still good: reused
    assert fake_multilingual.encoded  # the multilingual ones were made again
    assert _manifest(built)["multilingual"]["model_sha256"] == "other-weights"
    assert Engine.open(built, fake_embedder).index.multilingual is not None


def test_an_edited_multilingual_file_is_refused(built, fake_embedder):
    build = current_build(built.index)
    data = bytearray((build / MULTILINGUAL_VECTORS).read_bytes())
    data[-8:] = b"\x00" * 8
    (build / MULTILINGUAL_VECTORS).write_bytes(bytes(data))
    with pytest.raises(IndexMismatch, match="changed after it was written"):
        Engine.open(built, fake_embedder)


def test_an_english_index_gains_multilingual_vectors_on_the_next_build(
    settings, corpus, fake_embedder, fake_multilingual
):
    build_index([corpus], dataclasses.replace(settings, languages="en"), fake_embedder)
    engine = Engine.open(settings, fake_embedder)
    assert engine.index.multilingual is None
    answer = engine.ask(SPANISH_HIV)
    assert (answer.language, answer.multilingual) == ("es", False)  # searched as English
    fake_embedder.encoded.clear()
    build_index([corpus], settings, fake_embedder)
    assert fake_embedder.encoded == []
    assert Engine.open(settings, fake_embedder).index.multilingual is not None


def test_a_spanish_question_is_answered_with_cited_english_sentences(built, fake_embedder):
    engine = Engine.open(built, fake_embedder)
    answer = engine.ask(SPANISH_HIV)
    assert (answer.language, answer.multilingual) == ("es", True)
    assert not answer.abstained
    assert any("HIV testing" in c.sentence for c in answer.citations)
    for citation in answer.citations:  # verbatim, and where the citation says
        assert citation.sentence in answer.hits[citation.n - 1].text
    english = engine.ask("Where can someone get free HIV testing near Walnut Park?")
    assert (english.language, english.multilingual) == ("en", False)


def test_a_spanish_question_finds_what_the_english_vectors_miss(built, fake_embedder):
    engine = Engine.open(built, fake_embedder)
    spanish = engine.search(SPANISH_HIV, k=3)
    english = dataclasses.replace(engine, multilingual=None).search(SPANISH_HIV, k=3)
    assert any("HIV testing" in h.text for h in spanish)
    assert not any("HIV testing" in h.text for h in english)


def test_a_spanish_danger_question_quotes_911_first(built, fake_embedder):
    answer = Engine.open(built, fake_embedder).ask("me están golpeando y no puedo salir")
    assert answer.urgent and not answer.abstained
    assert "911" in answer.citations[0].sentence


def test_cli_frames_a_spanish_answer_in_spanish(built, fake_embedder):
    result = CliRunner().invoke(main, ["ask", SPANISH_HIV])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["Respuesta:", "Respuesta en inglés, citada de los documentos:"]
    assert "HIV testing" in lines[2]
    danger = CliRunner().invoke(main, ["ask", "me están golpeando, ayuda"])
    assert danger.output.startswith("¿En peligro inmediato? Llame al 911.")


def test_a_spanish_question_the_documents_do_not_cover_is_declined_in_spanish(
    built, fake_embedder, monkeypatch
):
    engine = Engine.open(built, fake_embedder)
    # every passage scores what unrelated text scores: nothing stands out
    monkeypatch.setattr(engine.multilingual, "baseline", lambda qvec: 0.99, raising=False)
    answer = engine.ask("¿A qué hora abre el DMV los sábados?")
    assert answer.abstained and answer.evidence is not None and answer.evidence < 0.07
    assert answer.answer.startswith("Estos documentos no parecen responder")


def test_an_english_question_is_ranked_by_both_models(built, fake_embedder):
    from fieldguide.search import rank_passages

    shared = dataclasses.replace(built, multilingual_english_weight=0.4)
    engine = Engine.open(shared, fake_embedder)
    index = engine.index
    question = "where can someone near westlake get free sti testing"
    vector = fake_embedder.encode_query(question)
    alone = rank_passages(index, vector, question, engine.settings)
    # the second model sees the question as MiniLM's last candidate
    last = alone[-1][0]
    second = (index.multilingual, index.multilingual.vectors_of([last])[0])
    both = rank_passages(index, vector, question, engine.settings, second=second)
    rows = [row for row, *_ in both]
    assert rows.index(last) < len(alone) - 1
    assert sorted(rows) == sorted({*rows})  # each passage once
    assert {r for r, *_ in alone} <= set(rows)  # MiniLM's and BM25's candidates stay
    # a share of 0 is MiniLM and BM25 alone
    settings = dataclasses.replace(engine.settings, multilingual_english_weight=0.0)
    unshared = rank_passages(index, vector, question, settings, second=second)
    assert unshared == alone
    # the engine gives English questions the second voice, when the index holds it
    assert engine._second_voice(index, question, engine.embedder) is not None
    assert (
        dataclasses.replace(engine, settings=settings)._second_voice(
            index, question, engine.embedder
        )
        is None
    )


def test_a_spanish_question_naming_a_place_the_documents_lack_says_so(built, fake_embedder):
    answer = Engine.open(built, fake_embedder).ask("¿Dónde hay pruebas de VIH gratis en Nevada?")
    assert (answer.language, answer.multilingual) == ("es", True)
    assert answer.outcome == "partial" and answer.absent == ["Nevada"]
    assert answer.note == "Estos documentos no mencionan Nevada."
    assert answer.citations  # what the documents do say, quoted beside it
