"""Rerank: an offline second stage — each top passage also scored by its best-matching sentence."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from .store import Index


class SentenceVectors:
    """Sentence vectors: those an index stored at build time, else computed on demand and kept
    (LRU), so repeated passages cost nothing."""

    def __init__(self, embedder, size: int = 20_000):
        self.embedder = embedder
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._stored: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()  # app sessions search in parallel threads

    def use_index(self, index: Index) -> int:
        """Serve the sentence vectors `index` stored at build time with this model; returns how
        many it has."""
        voice = index.voice(self.embedder.name)
        if voice is None or voice.sentence_vectors is None:
            self.serve_stored([], [])
            return 0
        if index.large:  # read by row where the second stage needs them (`sentence_maxsim`)
            self.serve_stored([], [])
            return index.sentence_count
        texts, vectors = [], []
        for row, chunk in enumerate(index.chunks):
            texts += chunk.sentence_texts()
            vectors += list(voice.sentence_vectors[index.sentence_rows(row)])
        self.serve_stored(texts, vectors)
        return len(texts)

    def serve_stored(self, texts: list[str], vectors) -> None:
        """Serve these vectors (an index's, stored at build time) instead of the ones before."""
        self._stored = dict(zip(texts, vectors, strict=True))

    def keep(self, texts: list[str], vectors) -> None:
        """Remember vectors encoded elsewhere (a saved run's) as if encoded here."""
        with self._lock:
            self._vectors.update(zip(texts, vectors, strict=True))

    def kept(self) -> tuple[list[str], list[np.ndarray]]:
        """The texts encoded (or kept) so far and their vectors, not counting stored ones."""
        with self._lock:
            return list(self._vectors), list(self._vectors.values())

    def encode(self, texts: list[str]) -> np.ndarray:
        """Normalised vectors of `texts`, encoding only the ones not seen yet (in one batch)."""
        if not texts:
            return np.zeros((0, getattr(self.embedder, "dimension", 0)), dtype=np.float32)
        stored = self._stored  # one table for the whole call, even if a reload swaps it
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for text in texts:
                vector = stored.get(text)
                if vector is None:
                    vector = self._vectors.get(text)
                if vector is not None:
                    found[text] = vector
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:  # the model runs outside the lock
            found.update(zip(missing, self.embedder.encode(missing), strict=True))
        with self._lock:
            for text in missing:
                self._vectors[text] = found[text]
            for text in texts:
                if text in self._vectors:
                    self._vectors.move_to_end(text)
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
        return np.vstack([found[t] for t in texts])


# an index built without sentence vectors and holding at most this many sentences has them all
# encoded when it is opened (~10 s)
PREWARM_SENTENCES = 2_000
# an index with at most this many section headings has them encoded when it is opened (0.5 s
# for the default corpus' 41 with multilingual-e5, 0.1 s with MiniLM); more are encoded as the
# second stage meets them and kept
HEADINGS_AT_OPEN = 300


def prewarm(index: Index, sentences: SentenceVectors, limit: int = PREWARM_SENTENCES) -> int:
    """Make every sentence of the index ready before the first question: the vectors it stored
    at build time, or (an index built without them) encoded now when there are few.

    Returns:
        The number of sentences now ready for the index (0 when none are stored and there are
        more than `limit`).
    """
    stored = sentences.use_index(index)
    if not index.large:  # the second stage's headings, when few enough to encode at once
        headings = list(
            dict.fromkeys(h for chunk in index.chunks if (h := question_heading(chunk)))
        )
        if len(headings) <= HEADINGS_AT_OPEN:
            sentences.encode(headings)
    if stored:
        return stored
    if index.sentence_count > min(limit, sentences.size):
        return 0
    texts = [s for chunk in index.chunks for s in chunk.sentence_texts()]
    sentences.encode(texts)
    return len(texts)


def sentence_maxsim(
    index: Index, rows: list[int], query_vector: np.ndarray, sentences: SentenceVectors
) -> np.ndarray:
    """For each row, the highest cosine between the query and one of its sentences or its
    section heading.

    A heading is the question an FAQ entry answers ("What are the symptoms of COVID-19?"),
    the closest match a user's question has; it is scored here, never quoted.
    """
    per_row = [index.chunks[r].sentence_texts() for r in rows]
    heads = [
        question_heading(index.chunks[r], texts) for r, texts in zip(rows, per_row, strict=True)
    ]
    flat = [s for texts in per_row for s in texts]
    if not flat:
        return np.zeros(0, dtype=np.float32)
    voice = index.voice(sentences.embedder.name) if index.large else None
    if voice is not None and voice.sentence_vectors is not None:
        # a large build's stored vectors, by row; kept so the answer finds them too
        found = np.vstack([voice.sentence_vectors[index.sentence_rows(r)] for r in rows])
        sentences.keep(flat, found)
        cosines = found @ query_vector
    else:
        cosines = sentences.encode(flat) @ query_vector
    bounds = np.cumsum([0] + [len(t) for t in per_row])
    best = np.array([cosines[a:b].max() for a, b in zip(bounds[:-1], bounds[1:], strict=True)])
    named = [i for i, head in enumerate(heads) if head]
    if named:  # headings are few and shared by a document's passages: encoded once, kept
        heading = sentences.encode([heads[i] for i in named]) @ query_vector
        best[named] = np.maximum(best[named], heading)
    return best


def question_heading(chunk, sentences: list[str] | None = None) -> str:
    """The chunk's (or hit's) section heading when it asks a question (an FAQ entry's), unless
    it is one of its `sentences` (default: the chunk's own) already. A topic heading ("Super
    Bowl 50") is in the passage's own vector already (`Chunk.embed_text`); scored as a sentence
    it cost 8 of 537 Spanish XQuAD questions at rank 1."""
    section = chunk.section.strip()
    if not section.endswith("?"):
        return ""
    if section in (chunk.sentence_texts() if sentences is None else sentences):
        return ""
    return section


def rerank_sentences(
    ranked: list[tuple[int, float, float, float]],
    index: Index,
    query_vector: np.ndarray,
    sentences: SentenceVectors,
    depth: int,
    weight: float,
) -> list[tuple[int, float, float, float]]:
    """Re-order the top `depth` passages by fused score plus `weight` × best sentence cosine.

    The fused scores are min-max scaled over the top `depth` and mixed with the raw sentence
    cosines, `weight` being the sentence share (0..1); the passages below `depth` keep their
    order underneath.
    """
    head, tail = ranked[:depth], ranked[depth:]
    if len(head) < 2 or weight <= 0:
        return ranked
    best = sentence_maxsim(index, [row for row, *_ in head], query_vector, sentences)
    fused = np.array([score for _, score, *_ in head])
    # raw cosines, not min-max: near-equal sentence scores must not be stretched into a verdict
    scaled = np.clip((1 - weight) * _minmax(fused) + weight * best, 0.0, 1.0)
    # keep the new scores above the tail's so documents ranked by score stay in order
    floor = tail[0][1] if tail else 0.0
    top = max(fused.max(), floor)
    rescored = [
        (row, floor + (top - floor) * float(s) + 1e-6, cos, lex)
        for (row, _, cos, lex), s in zip(head, scaled, strict=True)
    ]
    rescored.sort(key=lambda item: -item[1])
    return rescored + tail


def _minmax(values: np.ndarray) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high - low > 1e-12 else np.ones_like(values)
