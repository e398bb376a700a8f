"""Store and library: atomic builds, incremental updates, clear refusals of foreign indexes."""

import json
import os
import shutil
import time

import faiss
import numpy as np
import pytest
from builders import make_corrupt_pdf, make_pdf, make_picture_pdf

from fieldguide import build, store
from fieldguide.build import build_index
from fieldguide.build import file_hash as hash_of
from fieldguide.errors import FieldGuideError, IndexMismatch, IndexNotFound
from fieldguide.store import current_build, load_index

# every test here runs against both store backends (FIELDGUIDE_STORE=faiss, =milvus)
pytestmark = pytest.mark.usefixtures("store_backend")


def load(settings, fake):
    return load_index(settings.index, fake.name, fake.weights_sha256, fake.dimension)


def test_build_writes_a_self_describing_index(built, fake_embedder):
    index = load(built, fake_embedder)
    manifest = json.loads((index.path / "manifest.json").read_text())
    assert manifest["model"] == "fake-embedder" and manifest["dimension"] == 64
    assert set(manifest["documents"]) == {"westlake", "walnut-park", "north-highlands"}
    entry = manifest["documents"]["westlake"]  # the keys indexes have always had, new ones last
    assert list(entry) == [
        *("hash", "size", "title", "source", "pages", "added", "chunks"),
        *("reader", "ocr_pages", "ocr", "row", "mtime_ns"),
    ]
    rows = [r for r, c in enumerate(index.chunks) if c.doc_id == "westlake"]
    assert rows == list(range(entry["row"], entry["row"] + entry["chunks"]))
    assert index.manifest.documents["westlake"] == store.DocumentEntry(**entry)
    assert entry["source"].endswith("westlake.txt") and entry["chunks"] > 0
    assert manifest["chunks"] == len(index.chunks) == index.vectors.ntotal
    assert "faiss-cpu" in manifest["versions"]
    assert (built.index / "CURRENT").read_text() == index.path.name


def test_incremental_rebuild_embeds_only_changed_documents(built, corpus, fake_embedder):
    fake_embedder.encoded.clear()
    path = corpus / "westlake.txt"
    path.write_text(path.read_text() + "\n\nWhat is new?\n\nThe Oak Clinic opened in May.\n")
    (corpus / "north-highlands.txt").unlink()
    report = build_index([corpus], built, fake_embedder)
    assert report.updated == ["westlake"] and report.removed == ["north-highlands"]
    assert report.unchanged == ["walnut-park"]
    index = load(built, fake_embedder)
    assert {c.doc_id for c in index.chunks} == {"westlake", "walnut-park"}
    westlake = [c for c in index.chunks if c.doc_id == "westlake"]
    texts = {c.embed_text() for c in westlake} | {t for c in westlake for t in c.sentence_texts()}
    assert fake_embedder.encoded and set(fake_embedder.encoded) <= texts
    # reused and new sentence vectors line up with their sentences, in chunk order
    sentences = [t for c in index.chunks for t in c.sentence_texts()]
    assert index.manifest.sentences == len(sentences) == len(index.sentence_vectors)
    expected = fake_embedder.encode(sentences)
    assert np.allclose((expected * index.sentence_vectors).sum(axis=1), 1.0, atol=1e-5)
    # reused vectors still belong to their own chunks
    assert (
        fake_embedder.encode([index.chunks[0].embed_text()])[0] @ index.vectors.reconstruct(0)
        > 0.99
    )


def test_a_changed_document_re_embeds_only_its_changed_passages(built, corpus, fake_embedder):
    before = {c.embed_text() for c in load(built, fake_embedder).chunks if c.doc_id == "westlake"}
    fake_embedder.encoded.clear()
    path = corpus / "westlake.txt"
    path.write_text(path.read_text() + "\n\nWhat is new?\n\nThe Oak Clinic opened in May.\n")
    build_index([corpus], built, fake_embedder)
    index = load(built, fake_embedder)
    westlake = [r for r, c in enumerate(index.chunks) if c.doc_id == "westlake"]
    changed = [index.chunks[r] for r in westlake if index.chunks[r].embed_text() not in before]
    assert changed and len(changed) < len(westlake) / 2
    texts = {c.embed_text() for c in changed} | {t for c in changed for t in c.sentence_texts()}
    assert set(fake_embedder.encoded) == texts  # nothing else of westlake encoded again
    expected = fake_embedder.encode([index.chunks[r].embed_text() for r in westlake])
    assert np.allclose(index.vectors_of(westlake), expected, atol=1e-5)  # kept ones are theirs
    for row in westlake:
        sentences = fake_embedder.encode(index.chunks[row].sentence_texts())
        assert np.allclose(index.sentence_vectors[index.sentence_rows(row)], sentences, atol=1e-5)


def test_a_settled_file_of_the_same_size_and_time_is_not_read_again(
    settings, corpus, fake_embedder, monkeypatch
):
    old = time.time() - 60
    for path in corpus.iterdir():  # settled: last written a minute ago
        os.utime(path, (old, old))
    build_index([corpus], settings, fake_embedder)
    read = []
    monkeypatch.setattr(build, "file_hash", lambda p: read.append(p.name) or hash_of(p))
    build_index([corpus], settings, fake_embedder)
    assert read == []  # each file's path, size and time matched: its hash was not recomputed

    path = corpus / "westlake.txt"
    path.write_text(path.read_text().replace("Westlake", "Eastlake", 1))  # same size, new time
    report = build_index([corpus], settings, fake_embedder)
    assert read == ["westlake.txt"] and report.updated == ["westlake"]
    entry = load(settings, fake_embedder).manifest.documents["westlake"]
    assert entry.mtime_ns == 0  # just written: hashed again next time, whatever its time says
    build_index([corpus], settings, fake_embedder)
    assert read == ["westlake.txt", "westlake.txt"]


def test_each_chunk_s_sentence_rows_hold_its_own_sentences_after_an_incremental_build(
    built, corpus, fake_embedder, fake_multilingual
):
    """Kept documents' sentence vectors (both models') are carried over by their rows: a middle
    document removed and another changed must leave every row with its own sentences."""
    path = corpus / "westlake.txt"
    path.write_text(path.read_text() + "\n\nWhat is new?\n\nThe Oak Clinic opened in May.\n")
    (corpus / "north-highlands.txt").unlink()
    build_index([corpus], built, fake_embedder)
    index = load_index(
        built.index,
        fake_embedder.name,
        fake_embedder.weights_sha256,
        fake_embedder.dimension,
        (fake_multilingual.name, fake_multilingual.weights_sha256, fake_multilingual.dimension),
    )
    stored = np.load(index.path / "sentence-offsets.npy")
    assert np.array_equal(stored, index.sentence_offsets) and stored[-1] == index.sentence_count
    for row, chunk in enumerate(index.chunks):
        rows = index.sentence_rows(row)
        texts = chunk.sentence_texts()
        assert rows.stop - rows.start == len(texts) > 0
        for model, vectors in (
            (fake_embedder, index.sentence_vectors),
            (fake_multilingual, index.multilingual.sentence_vectors),
        ):
            assert np.allclose(vectors[rows], model.encode(texts), atol=1e-5), (row, model.name)


def test_bm25_finds_every_passage_by_its_title_and_section_heading(settings, fake_embedder):
    """Later passages of a long section hold neither the title nor the heading in their text;
    BM25 indexes `embed_text()`, so a word of either still finds each of them."""
    stops = " ".join(f"Stop {n} is on corner {n} and opens at {n} pm." for n in range(30))
    (settings.corpus / "van.md").write_text(
        f"# Zqtitle outreach guide\n\n## Where does the zqheading van stop?\n\n{stops}\n"
    )
    build_index([settings.corpus], settings, fake_embedder)
    index = load(settings, fake_embedder)
    later = [row for row, c in enumerate(index.chunks) if "zqheading" not in c.text]
    assert later and all(index.chunks[row].section.endswith("van stop?") for row in later)
    for word in ("zqtitle", "zqheading"):
        _, scores = index.lexical_search(word, len(index.chunks), also=later)
        assert all(scores[row] > 0 for row in later), word


def test_one_broken_file_does_not_stop_the_others(settings, fake_embedder, tmp_path):
    folder = settings.corpus
    make_pdf(folder)
    make_corrupt_pdf(folder)
    make_picture_pdf(folder)
    report = build_index([folder], settings, fake_embedder)
    assert report.added == ["guide"]
    messages = " ".join(p.message for p in report.problems)
    # a picture with no words: OCR finds none, or, without Tesseract, it says to install it
    assert "damaged" in messages
    expected = "found no words" if shutil.which("tesseract") else "needs the text recogniser"
    assert expected in messages


def test_nothing_readable_keeps_the_previous_index(built, fake_embedder, tmp_path):
    before = current_build(built.index)
    bad = tmp_path / "bad"
    bad.mkdir()
    make_corrupt_pdf(bad)
    with pytest.raises(FieldGuideError, match="No document could be indexed"):
        build_index([bad], built, fake_embedder)
    assert current_build(built.index) == before


def test_failed_write_leaves_the_serving_index_intact(built, corpus, fake_embedder, monkeypatch):
    before = load(built, fake_embedder)
    (corpus / "westlake.txt").write_text("Is this new?\n\nYes, entirely new text.\n")

    def broken_write(*args):
        raise OSError("disk full")

    with monkeypatch.context() as patch:  # (undoing only this: the fake models stay)
        patch.setattr(faiss, "write_index", broken_write)
        patch.setattr(store, "_write_file", broken_write)  # what every backend writes
        with pytest.raises(OSError):
            build_index([corpus], built, fake_embedder)
    after = load(built, fake_embedder)
    assert after.path == before.path and len(after.chunks) == len(before.chunks)
    build_index([corpus], built, fake_embedder)  # the next build recovers by itself
    assert not list((built.index / "builds").glob("*.partial"))


def test_missing_and_foreign_indexes_are_refused_clearly(
    built, fake_embedder, tmp_path, store_backend
):
    with pytest.raises(IndexNotFound, match="fieldguide index"):
        load_index(tmp_path / "nowhere", "fake-embedder", "fake", 64)
    with pytest.raises(IndexMismatch, match="built with model fake-embedder"):
        load_index(built.index, "sentence-transformers/all-MiniLM-L6-v2", "abc", 384)
    # the vectors' file, or (Milvus keeping the vectors) the passages'
    damaged = "vectors.faiss" if store_backend == "faiss" else "chunks.jsonl"
    vectors = current_build(built.index) / damaged
    vectors.write_bytes(vectors.read_bytes()[:100])
    with pytest.raises(IndexMismatch, match="damaged"):
        load(built, fake_embedder)


def test_dense_search_drops_faiss_padding(built, fake_embedder):
    index = load(built, fake_embedder)
    rows = index.dense(fake_embedder.encode_query("hotline"), index.vectors.ntotal + 10)
    assert len(rows) == index.vectors.ntotal and all(r >= 0 for r, _ in rows)


def test_crashed_partial_build_is_cleaned_up(built, corpus, fake_embedder):
    leftover = built.index / "builds" / "20000101-000000-dead.partial"
    leftover.mkdir()
    build_index([corpus], built, fake_embedder)
    assert not leftover.exists()
    assert store.current_build(built.index).exists()


def test_without_the_second_stage_a_build_skips_sentence_vectors(settings, corpus, fake_embedder):
    import dataclasses

    from fieldguide.engine import Engine

    plain = dataclasses.replace(settings, rerank="none")
    build_index([corpus], plain, fake_embedder)
    index = load(plain, fake_embedder)
    assert index.sentence_vectors is None and index.manifest.sentences == 0
    assert not (index.path / "sentences.npy").exists()
    # answers still get their sentence vectors (encoded on demand)
    assert Engine.open(plain, fake_embedder).ask("free STI testing in Westlake").citations
    # switching the second stage on with one document changed: the unchanged documents'
    # sentences are encoded too, and every vector lines up with its sentence
    path = corpus / "westlake.txt"
    path.write_text(path.read_text() + "\n\nWhat is new?\n\nThe Oak Clinic opened in May.\n")
    build_index([corpus], settings, fake_embedder)
    index = load(settings, fake_embedder)
    sentences = [t for c in index.chunks for t in c.sentence_texts()]
    assert index.manifest.sentences == len(sentences) > 0
    expected = fake_embedder.encode(sentences)
    assert np.allclose((expected * index.sentence_vectors).sum(axis=1), 1.0, atol=1e-5)


def test_collect_files_finds_every_visible_file_in_path_order(tmp_path):
    from fieldguide.build import collect_files

    for name in ["a/x.txt", "a-b/x.txt", "a/b/y.md", ".hidden/z.txt", "a/.notes.txt", "top.pdf"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("text")
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)  # not followed
    (tmp_path / "also.txt").symlink_to(tmp_path / "top.pdf")  # a link to a file is a file
    found = collect_files([tmp_path, tmp_path / "top.pdf"])
    expected = ["a/b/y.md", "a/x.txt", "a-b/x.txt", "also.txt", "top.pdf"]
    assert [p.relative_to(tmp_path).as_posix() for p in found] == expected
    assert found == sorted(found)  # the order pathlib gives (part by part), as before
