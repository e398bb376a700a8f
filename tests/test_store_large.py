"""Large builds: an approximate vector index above FIELDGUIDE_EXACT_BELOW, passages read lazily."""

import faiss
import numpy as np
import pytest

from fieldguide import vectors
from fieldguide.build import build_index
from fieldguide.config import Settings
from fieldguide.engine import Engine
from fieldguide.passages import Passages
from fieldguide.store import load_index

# every test here runs against both store backends (FIELDGUIDE_STORE=faiss, =milvus)
pytestmark = pytest.mark.usefixtures("store_backend")

QUESTIONS = [
    "Where can I get a free meal on Sunday?",
    "Which clinic offers walk-in vaccinations?",
    "How do I reach the shelter at night?",
    "food pantry hours",
]


def _load(settings, fake):
    return load_index(settings.index, fake.name, fake.weights_sha256, fake.dimension)


def _answers(settings, fake):
    engine = Engine.open(settings, fake)
    return {q: [(h.chunk_id, h.score) for h in engine.search(q)] for q in QUESTIONS}, engine


def _rebuild_large(monkeypatch, corpus, fake, kind):
    monkeypatch.setenv("FIELDGUIDE_EXACT_BELOW", "1")
    monkeypatch.setenv("FIELDGUIDE_APPROXIMATE", kind)
    (corpus / "extra.txt").write_text("Bus passes are handed out at the library desk on Mondays.\n")
    settings = Settings.from_env()
    build_index([corpus], settings, fake)
    return settings


def test_a_build_below_the_threshold_stays_exact(built, fake_embedder):
    index = _load(built, fake_embedder)
    assert index.manifest.vector_index == "flat" and not index.large
    assert vectors.kind_of(index.vectors) == "flat" and isinstance(index.chunks, list)
    if index.manifest.store == "faiss":
        assert isinstance(index.vectors, faiss.IndexFlatIP)


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_above_the_threshold_the_approximate_index_finds_the_same_passages(
    built, corpus, fake_embedder, monkeypatch, kind, store_backend
):
    if store_backend == "milvus" and kind == "ivf":
        pytest.skip("Milvus Lite 3.2 ignores the list count pymilvus 3 sends (nlist): 128 lists")
    (corpus / "extra.txt").write_text("Bus passes are handed out at the library desk on Mondays.\n")
    build_index([corpus], built, fake_embedder)
    exact, _ = _answers(built, fake_embedder)
    large = _rebuild_large(monkeypatch, corpus, fake_embedder, kind)
    index = _load(large, fake_embedder)
    assert index.manifest.vector_index == kind and index.large
    assert vectors.kind_of(index.vectors) == kind
    if index.manifest.store == "faiss":
        assert isinstance(index.vectors, faiss.IndexHNSW if kind == "hnsw" else faiss.IndexIVF)
    assert isinstance(index.chunks, Passages)
    approximate, engine = _answers(large, fake_embedder)
    assert [h for q in QUESTIONS for h, _ in approximate[q]] == [
        h for q in QUESTIONS for h, _ in exact[q]
    ]
    for q in QUESTIONS:
        assert np.allclose([s for _, s in approximate[q]], [s for _, s in exact[q]], atol=1e-5)
    hit = engine.search("bus passes library desk")[0]
    assert hit.doc_id == "extra" and "Bus passes" in hit.text


def test_lazy_passages_are_the_passages_written(built, corpus, fake_embedder, monkeypatch):
    eager = _load(built, fake_embedder).chunks
    large = _rebuild_large(monkeypatch, corpus, fake_embedder, "hnsw")
    lazy = _load(large, fake_embedder).chunks
    kept = [c for c in lazy if c.doc_id != "extra"]
    assert kept == [c for c in eager]
    assert lazy[-1] == lazy[len(lazy) - 1] and lazy[1:3] == [lazy[1], lazy[2]]
    with pytest.raises(IndexError):
        lazy[len(lazy)]


def test_a_large_build_filters_by_document_and_answers_from_stored_sentences(
    built, corpus, fake_embedder, monkeypatch
):
    large = _rebuild_large(monkeypatch, corpus, fake_embedder, "hnsw")
    engine = Engine.open(large, fake_embedder)
    hits = engine.search("Where can I get a free meal?", doc_ids={"walnut-park"})
    assert hits and {h.doc_id for h in hits} == {"walnut-park"}
    fake_embedder.encoded.clear()
    answer = engine.ask("Where are bus passes handed out on Mondays?")
    assert not answer.abstained and "library desk" in answer.answer
    # the passages' sentence vectors came from the build, not from the model (a large index's
    # section headings are encoded as the second stage meets them)
    headings = {chunk.section for chunk in engine.index.chunks}
    assert set(fake_embedder.encoded) <= {"Where are bus passes handed out on Mondays?"} | headings


def test_an_incremental_build_of_a_large_index_sees_the_change(
    built, corpus, fake_embedder, monkeypatch
):
    large = _rebuild_large(monkeypatch, corpus, fake_embedder, "hnsw")
    (corpus / "extra.txt").write_text("Bus passes moved to the front office on Tuesdays.\n")
    report = build_index([corpus], large, fake_embedder)
    assert report.updated == ["extra"]
    index = _load(large, fake_embedder)
    assert index.large and sum(c.doc_id == "extra" for c in index.chunks) == 1
    hit = Engine.open(large, fake_embedder).search("bus passes front office")[0]
    assert "front office on Tuesdays" in hit.text
