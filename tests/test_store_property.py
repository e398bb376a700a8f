"""Property-based tests of the store: any sequence of adds, removes, saves, loads and searches
keeps metadata and vectors in step, and search equals brute force over a simple model."""

import shutil
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from conftest import FakeEmbedder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from fieldguide import bm25, build, embed, segments
from fieldguide.build import build_index
from fieldguide.chunk import Chunk
from fieldguide.config import Settings
from fieldguide.ingest import read_document
from fieldguide.store import DocumentEntry, Manifest, load_index, write_index

DIMENSION = 8
DOCS = st.sampled_from(["alpha", "beta", "gamma", "delta", "epsilon"])
WORDS = ["clinic", "shelter", "food", "legal", "testing", "night", "van", "hotline", "visa"]
QUICK = settings(
    max_examples=60,
    stateful_step_count=12,
    deadline=None,
    database=None,  # nothing written into the shared working tree
    suppress_health_check=[HealthCheck.too_slow],
)


def _unit(seed: int, size: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(size, DIMENSION)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def assert_same_ranking(got: list[tuple[int, float]], scores: np.ndarray, k: int) -> None:
    """FAISS top-k equals brute force: same scores; same rows wherever scores are not tied."""
    order = np.argsort(-scores, kind="stable")[: min(k, len(scores))]
    assert len(got) == len(order) and all(row >= 0 for row, _ in got)
    assert np.allclose([s for _, s in got], scores[order], atol=1e-5)
    for position, (row, score) in enumerate(got):
        assert abs(scores[row] - score) < 1e-5  # the row FAISS names has the score it gives
        # ties counted over every row: two passages tied at the cut-off may go either way
        tied = np.abs(scores - scores[order][position]) < 1e-5
        if tied.sum() == 1:
            assert row == order[position]


def test_a_tie_at_the_cut_off_may_go_either_way():
    scores = np.array([0.5, 0.9, 0.5], dtype=np.float32)
    assert_same_ranking([(1, 0.9), (2, 0.5)], scores, 2)  # row 0 would do as well
    with pytest.raises(AssertionError):
        assert_same_ranking([(1, 0.9), (0, 0.9)], scores, 2)  # row 0 does not score 0.9


class StoreMachine(RuleBasedStateMachine):
    """The store against a dict model: doc id -> [(text, vector)]."""

    backend = "faiss"  # FAISS + bm25s

    def __init__(self):
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="fg-store-"))
        self.model: dict[str, list[tuple[str, np.ndarray]]] = {}
        self.saved: dict[str, list[tuple[str, np.ndarray]]] | None = None
        self.index = None

    def teardown(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(doc=DOCS, size=st.integers(1, 4), seed=st.integers(0, 10_000))
    def add(self, doc, size, seed):
        vectors = _unit(seed, size)
        words = [WORDS[(seed + i) % len(WORDS)] for i in range(size)]
        self.model[doc] = [
            (f"{doc} passage {i} about {word}", vectors[i]) for i, word in enumerate(words)
        ]

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def remove(self, data):
        del self.model[data.draw(st.sampled_from(sorted(self.model)))]

    @rule()
    def save(self):
        rows = [
            (doc, i, text, vector)
            for doc in sorted(self.model)
            for i, (text, vector) in enumerate(self.model[doc])
        ]
        chunks = [
            Chunk(
                f"{doc}:{i}",
                doc,
                doc.title(),
                f"When is the {WORDS[(len(doc) + i) % len(WORDS)]} open?",  # not in the text
                None,
                i * 100,
                i * 100 + len(text),
                text,
                f"{doc}.txt",
                [(i * 100, i * 100 + len(text))],
            )
            for doc, i, text, _ in rows
        ]
        vectors = np.array([r[3] for r in rows], dtype=np.float32).reshape(-1, DIMENSION)
        manifest = Manifest(
            "model",
            "sha",
            DIMENSION,
            200,
            documents={d: DocumentEntry("", chunks=len(c)) for d, c in self.model.items()},
        )
        write_index(self.folder, manifest, chunks, vectors, store=(self.backend, ""))
        self.saved = {doc: list(chunks) for doc, chunks in self.model.items()}
        self.index = None

    @precondition(lambda self: self.saved is not None)
    @rule()
    def load(self):
        self.index = load_index(self.folder, "model", "sha", DIMENSION)

    @precondition(lambda self: self.index is not None)
    @rule(seed=st.integers(0, 10_000), k=st.integers(1, 25))
    def search(self, seed, k):
        query = _unit(seed, 1)[0]
        stored = self.index.vectors_of(list(range(len(self.index.chunks))))
        assert_same_ranking(self.index.dense(query, k), stored @ query, k)

    @invariant()
    def loaded_index_matches_what_was_saved(self):
        if self.index is None:
            return
        index, saved = self.index, self.saved
        assert len(index.chunks) == index.vectors.ntotal == index.manifest.chunks
        assert set(index.manifest.documents) == set(saved)
        assert [c.doc_id for c in index.chunks] == sorted(doc for doc in saved for _ in saved[doc])
        stored = index.vectors_of(list(range(len(index.chunks))))
        for row, chunk in enumerate(index.chunks):
            text, vector = saved[chunk.doc_id][int(chunk.chunk_id.split(":")[1])]
            assert chunk.text == text
            assert np.allclose(stored[row], vector, atol=1e-6)
        if index.chunks:  # BM25 indexes `embed_text()`: words only in a heading count too
            expected = bm25.build([c.embed_text() for c in index.chunks])
            for word in WORDS:
                top, scores = index.lexical_search(word, len(index.chunks))
                want = bm25.scores(expected, word)
                # the same passages match with either backend; bm25s scores them exactly alike
                assert set(top) == set(np.flatnonzero(want > 0).tolist()), word
                if self.backend == "faiss":
                    got = [scores.get(row, 0.0) for row in range(len(index.chunks))]
                    assert np.allclose(got, want, atol=1e-5), word


class MilvusStoreMachine(StoreMachine):
    """The same operations with the vectors and BM25 in Milvus (Milvus Lite, embedded)."""

    backend = "milvus"


TestStore = StoreMachine.TestCase
TestStore.settings = QUICK
TestMilvusStore = MilvusStoreMachine.TestCase
# each Milvus Lite build starts its own server: fewer runs keep the suite quick
TestMilvusStore.settings = settings(QUICK, max_examples=12)


# --------------------------------------------------------------------------- through the library


class InProcessParser:
    """The sandbox's job without the child process (this test is about the store, not parsing)."""

    def __init__(self, *args, **kwargs):
        pass

    def read(self, path, doc_id, progress=None):
        return read_document(path, doc_id)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


FILES = st.sampled_from(["a.txt", "b.md", "c.txt", "d.txt"])
SENTENCES = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(
        lambda words: " ".join(words).capitalize() + "."
    ),
    min_size=1,
    max_size=8,
)
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("write"), FILES, SENTENCES),
        st.tuples(st.just("delete"), FILES, st.just([])),
        st.tuples(st.just("build"), st.just(""), st.just([])),
    ),
    min_size=1,
    max_size=10,
)


@pytest.mark.parametrize(
    ("segment_above", "merge_share"),
    [(50_000, 0.1), (1, 100.0), (1, 0.5)],
    ids=["whole", "segments", "segments-merged"],
)
@settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(OPERATIONS, st.integers(0, 1000))
def test_incremental_builds_keep_passages_vectors_and_files_in_step(
    segment_above, merge_share, operations, seed
):
    """Whole rebuilds; every change written as a segment over the last whole build (never
    merged); and segments merged into a whole build once they pass half of it: the same
    invariants every way."""
    fake = FakeEmbedder()
    with (
        tempfile.TemporaryDirectory(prefix="fg-library-") as root,
        mock.patch.object(build, "Parser", InProcessParser),
        mock.patch.object(segments, "MERGE_SHARE", merge_share),
    ):
        folder = Path(root) / "docs"
        folder.mkdir()
        # small chunks, so that a document spans several rows and carried-over vectors must
        # stay in order
        config = Settings(
            index=Path(root) / "index", corpus=folder, chunk_tokens=20, segment_above=segment_above
        )
        for action, name, sentences in [*operations, ("build", "", [])]:
            path = folder / name
            if action == "write":
                heading = f"What about {name}?"
                path.write_text(heading + "\n\n" + "\n\n".join(sentences) + "\n")
            elif action == "delete":
                path.unlink(missing_ok=True)
            elif any(folder.iterdir()):
                build_index([folder], config, fake)
                check_library(config, fake, folder, seed)


def check_library(config: Settings, fake: FakeEmbedder, folder: Path, seed: int) -> None:
    voice = embed.multilingual_embedder()  # the fake multilingual model (the settings' es)
    spec = (voice.name, voice.weights_sha256, voice.dimension)
    index = load_index(config.index, fake.name, fake.weights_sha256, fake.dimension, spec)
    files = {p.stem: p for p in folder.iterdir()}
    assert set(index.manifest.documents) == set(files)
    assert len(index.chunks) == index.vectors.ntotal == index.manifest.chunks
    texts = {doc: read_document(path).text for doc, path in files.items()}
    for chunk in index.chunks:  # every citation points at exactly its text in today's file
        assert texts[chunk.doc_id][chunk.start : chunk.end] == chunk.text
    stored = index.vectors_of(list(range(len(index.chunks))))
    expected = fake.encode([c.embed_text() for c in index.chunks])
    assert np.allclose(stored, expected, atol=1e-5)
    query = fake.encode_query(" ".join(WORDS[seed % 3 :: 3]))
    assert_same_ranking(index.dense(query, 7), expected @ query, 7)
    word = WORDS[seed % len(WORDS)]  # BM25 finds exactly the passages holding the word
    found, _ = index.lexical_search(word, len(index.chunks))
    holding = [
        r
        for r, c in enumerate(index.chunks)
        if bm25.tokenize([word])[0][0] in bm25.tokenize([c.embed_text()])[0]
    ]
    assert sorted(found) == holding
    for row, chunk in enumerate(index.chunks):  # each row's sentences are its own, each model's
        vectors = index.sentence_vectors[index.sentence_rows(row)]
        assert np.allclose(vectors, fake.encode(chunk.sentence_texts()), atol=1e-5)
        vectors = index.multilingual.sentence_vectors[index.sentence_rows(row)]
        assert np.allclose(vectors, voice.encode(chunk.sentence_texts()), atol=1e-5)
    every = list(range(len(index.chunks)))
    texts = [c.embed_text() for c in index.chunks]
    assert np.allclose(index.multilingual.vectors_of(every), voice.encode(texts), atol=1e-5)
