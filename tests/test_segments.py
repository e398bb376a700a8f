"""Segments: a change to a large build is written as a small build over it, and searched with it
as one index (the property test in test_store_property checks the invariants over random
changes; these check what a reader sees, and what is kept and refused)."""

import dataclasses
import json

import numpy as np
import pytest

from fieldguide import bm25, segments, store
from fieldguide.build import build_index, load_for
from fieldguide.engine import Engine
from fieldguide.errors import IndexMismatch

NEW = "\n\nWhat is new?\n\nThe Quillfeather Clinic opened in May on Juniper Street.\n"


@pytest.fixture
def large(settings, corpus, fake_embedder, monkeypatch):
    """The default corpus built whole, with settings under which it counts as large (English
    only: a multilingual build is always rewritten whole), and segments merged only past twice
    its size (each of its three documents is a third of it)."""
    monkeypatch.setattr(segments, "MERGE_SHARE", 2.0)
    config = dataclasses.replace(settings, segment_above=1, languages="en")
    build_index([corpus], config, fake_embedder)
    return config


def current_manifest(config) -> dict:
    return json.loads((store.current_build(config.index) / "manifest.json").read_text())


def test_a_changed_document_is_written_as_a_small_segment_over_the_build(
    large, corpus, fake_embedder
):
    base = store.current_build(large.index)
    path = corpus / "westlake.txt"
    path.write_text(path.read_text() + NEW)
    fake_embedder.encoded.clear()
    report = build_index([corpus], large, fake_embedder)

    manifest = current_manifest(large)
    assert manifest["base"] == base.name and manifest["removed_documents"] == ["westlake"]
    assert set(manifest["documents"]) == {"westlake"}  # the segment's own
    folder = store.current_build(large.index)
    assert not (folder / "bm25").exists()  # the base's BM25 serves, with the segment's beside it
    assert fake_embedder.encoded and all("Walnut Park" not in t for t in fake_embedder.encoded)

    index = load_for(large, fake_embedder)
    assert isinstance(index, segments.Segmented)
    assert report.documents == 3 and report.chunks == len(index.chunks)
    assert sorted(index.manifest.documents) == ["north-highlands", "walnut-park", "westlake"]
    westlake = [r for r, c in enumerate(index.chunks) if c.doc_id == "westlake"]
    assert westlake == list(index.rows_of("westlake"))
    assert len(westlake) == index.manifest.documents["westlake"].chunks  # the old ones are gone
    found, _ = index.lexical_search("Quillfeather clinic", 5)
    assert found and index.chunks[found[0]].doc_id == "westlake"
    assert "Quillfeather" in index.chunks[found[0]].text
    known, _ = index.vocabulary()
    assert known("quillfeath")  # a word only the segment holds is known (no "absent" name)

    engine = Engine.open(large, fake_embedder)
    hits = engine.search("Where is the Quillfeather Clinic?")
    assert "Quillfeather" in hits[0].text and hits[0].doc_id == "westlake"


def test_a_removed_document_is_never_returned(large, corpus, fake_embedder):
    gone = [c.text for c in load_for(large, fake_embedder).chunks if c.doc_id == "north-highlands"]
    (corpus / "north-highlands.txt").unlink()
    report = build_index([corpus], large, fake_embedder)
    assert report.removed == ["north-highlands"]
    assert current_manifest(large)["removed_documents"] == ["north-highlands"]

    index = load_for(large, fake_embedder)
    assert isinstance(index, segments.Segmented) and not index.segment.chunks
    assert list(index.rows_of("north-highlands")) == []
    assert "north-highlands" not in index.manifest.documents
    assert all(c.doc_id != "north-highlands" for c in index.chunks)
    every = len(index.chunks)
    for text in gone[:5]:  # each removed passage's own words find only what is left
        rows = [r for r, _ in index.dense(fake_embedder.encode_query(text), every)]
        lexical, _ = index.lexical_search(text, every)
        assert sorted(rows) == list(range(every))
        assert all(index.chunks[r].doc_id != "north-highlands" for r in lexical)
    engine = Engine.open(large, fake_embedder)
    assert all(h.doc_id != "north-highlands" for h in engine.search(gone[0]))
    # a word only the removed document held is one the library no longer holds
    known, rarity = index.vocabulary()
    calfresh, resource = (bm25.tokenize([w])[0][0] for w in ("CalFresh", "resources"))
    assert not known(calfresh) and not known("calfrech") and known(resource)
    assert rarity(calfresh) == 1.0 > rarity(resource)
    answer = engine.ask("Who can apply for CalFresh benefits?")
    assert answer.absent == ["CalFresh"], answer.absent
    (corpus / "westlake.txt").write_text((corpus / "westlake.txt").read_text() + NEW)
    build_index([corpus], large, fake_embedder)  # the next segment still hides them
    assert not load_for(large, fake_embedder).vocabulary()[0](calfresh)


def test_the_serving_engine_reuses_its_base_and_the_base_is_kept(large, corpus, fake_embedder):
    engine = Engine.open(large, fake_embedder)
    base = engine.index
    base_name = base.path.name
    for n in range(3):  # every change is a new segment over the same base
        path = corpus / "westlake.txt"
        path.write_text(path.read_text() + f"\n\nUpdate {n}.\n\nThe {n}th van runs on Fridays.\n")
        build_index([corpus], large, fake_embedder, serving=engine.index)
        engine.reload()
        assert isinstance(engine.index, segments.Segmented)
        assert engine.index.base is base  # not read from disk again
    builds = {p.name for p in (large.index / "builds").iterdir()}
    assert base_name in builds and len(builds) == 3  # the base, the current and previous segment
    assert "2th van" in engine.search("which van runs on Fridays?")[0].text
    reopened = load_for(large, fake_embedder)  # from disk, as another process opens it
    assert [c.text for c in reopened.chunks] == [c.text for c in engine.index.chunks]


def test_a_segment_grown_past_its_share_is_merged_into_a_whole_build(
    large, corpus, fake_embedder, monkeypatch
):
    path = corpus / "westlake.txt"
    path.write_text(path.read_text() + NEW)
    monkeypatch.setattr(segments, "MERGE_SHARE", 0.0)
    build_index([corpus], large, fake_embedder)

    manifest = current_manifest(large)
    assert manifest["base"] == "" and (store.current_build(large.index) / "bm25").exists()
    index = load_for(large, fake_embedder)
    assert not isinstance(index, segments.Segmented)
    assert sorted(index.manifest.documents) == ["north-highlands", "walnut-park", "westlake"]
    rows = [r for r, c in enumerate(index.chunks) if c.doc_id == "westlake"]
    expected = fake_embedder.encode([index.chunks[r].embed_text() for r in rows])
    assert np.allclose(index.vectors_of(rows), expected, atol=1e-5)
    found, _ = index.lexical_search("Quillfeather", 3)
    assert "Quillfeather" in index.chunks[found[0]].text


def test_a_segment_whose_files_or_base_changed_is_refused(large, corpus, fake_embedder):
    path = corpus / "westlake.txt"
    path.write_text(path.read_text() + NEW)
    build_index([corpus], large, fake_embedder)
    folder = store.current_build(large.index)
    chunks = folder / "chunks.jsonl"
    original = chunks.read_bytes()
    chunks.write_bytes(original.replace(b"Quillfeather", b"Quillfeathex"))
    with pytest.raises(IndexMismatch, match="changed after it was written"):
        load_for(large, fake_embedder)
    chunks.write_bytes(original)
    load_for(large, fake_embedder)

    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["base_created"] = "2020-01-01T00:00:00+0000"  # written over another build
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatch, match="not the one it was written on"):
        load_for(large, fake_embedder)


def test_a_multilingual_build_takes_segments_with_both_models_vectors(
    settings, corpus, fake_embedder, fake_multilingual, monkeypatch
):
    monkeypatch.setattr(segments, "MERGE_SHARE", 2.0)
    config = dataclasses.replace(settings, segment_above=1, languages="en,es")
    build_index([corpus], config, fake_embedder)
    path = corpus / "westlake.txt"
    path.write_text(path.read_text() + NEW)
    fake_multilingual.encoded.clear()
    build_index([corpus], config, fake_embedder)
    assert fake_multilingual.encoded and all("Walnut" not in t for t in fake_multilingual.encoded)

    index = load_for(config, fake_embedder, fake_multilingual)
    assert isinstance(index, segments.Segmented) and index.multilingual is not None
    every = len(index.chunks)
    texts = [c.embed_text() for c in index.chunks]
    assert np.allclose(index.multilingual.vectors_of(list(range(every))),
                       fake_multilingual.encode(texts), atol=1e-5)  # fmt: skip
    for row in (0, every - 1):  # a base row and a segment row: each its own sentences
        sentences = index.multilingual.sentence_vectors[index.sentence_rows(row)]
        expected = fake_multilingual.encode(index.chunks[row].sentence_texts())
        assert np.allclose(sentences, expected, atol=1e-5)
    query = fake_multilingual.encode_query("Quillfeather Clinic")
    rows = [r for r, _ in index.multilingual.dense(query, every)]
    assert sorted(rows) == list(range(every)) and "Quillfeather" in index.chunks[rows[0]].text
    # English only: a segment without the voice; back to Spanish: every passage needs it again
    english_only = dataclasses.replace(config, languages="en")
    path.write_text(path.read_text() + "\n\nThe van runs on Fridays.\n")
    build_index([corpus], english_only, fake_embedder)
    assert current_manifest(config)["base"] and not current_manifest(config)["multilingual"]
    path.write_text(path.read_text() + "\n\nThe van runs on Sundays.\n")
    build_index([corpus], config, fake_embedder)
    assert current_manifest(config)["base"] == "" and current_manifest(config)["multilingual"]
    index = load_for(config, fake_embedder, fake_multilingual)
    assert index.multilingual.vectors.ntotal == len(index.chunks)


def test_a_small_build_is_rewritten_whole(settings, corpus, fake_embedder):
    config = dataclasses.replace(settings, segment_above=10**6, languages="en")
    build_index([corpus], config, fake_embedder)
    path = corpus / "westlake.txt"
    path.write_text(path.read_text() + NEW)
    build_index([corpus], config, fake_embedder)
    assert current_manifest(config)["base"] == ""
    assert not isinstance(load_for(config, fake_embedder), segments.Segmented)
