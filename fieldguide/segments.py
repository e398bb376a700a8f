"""Segments: a change to a large build written as a small build beside it, not a whole new one.

Rewriting a build of a million passages takes as long as building it (its HNSW graph and BM25
alone take minutes). A segment is a build folder holding only the passages of the documents
added or changed since its *base* (a whole build), with their vectors, plus the names of the
base's documents it replaces or removes. Searches run over both and never return the base's
replaced rows; rows are numbered the base's served passages first, then the segment's.

Every later change writes a new segment over the same base, carrying the previous segment's
passages over with their stored vectors, so one segment at most serves at a time. When a
segment's passages plus the base rows it hides pass `MERGE_SHARE` of the base, the build is made
whole again (`merge`). BM25 scores a segment's passages with the base's statistics (document
frequencies, mean length, k1 and b: `SegmentBM25`), so scores from the two stay comparable.

Only FAISS builds take segments (with the multilingual model's vectors too, when the build has
them and the same model is installed); a Milvus build, one made before the mean passage length
was recorded, or one whose settings changed is rewritten whole, as before.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import bm25, store
from . import vectors as vector_index
from .backends import MULTILINGUAL_VECTORS
from .errors import IndexMismatch
from .store import Index, Manifest, Voice

# a segment (its passages plus the base rows it hides) larger than this share of its base
# makes the next build whole: searches then pay for one index again, not two
MERGE_SHARE = 0.1
# in a segment: how many of the passages it hides hold each BM25 term, so that a word only a
# removed document held is not taken as one the library still holds
HIDDEN_TERMS = "hidden-terms.json"


def base_of(index: Index) -> Index:
    """The whole build under an index: its base when it is a segment, else itself."""
    return index.base if isinstance(index, Segmented) else index


def accepts(prev: Index | None, settings, multilingual) -> bool:
    """Whether the next build may be written as a segment over `prev`'s base."""
    if prev is None or (multilingual is None) != (prev.multilingual is None):
        return False  # a multilingual voice to add (or drop) is written for every passage
    base = base_of(prev)
    m = base.manifest
    return (
        settings.store == m.store == "faiss"
        and m.bm25_avgdl > 0
        and (m.bm25_k1, m.bm25_b) == (settings.bm25_k1, settings.bm25_b)
        and (settings.rerank == "sentences") == (base.sentence_vectors is not None)
        and len(base.chunks) >= settings.segment_above
    )


def in_segment(prev: Index, doc_id: str) -> bool:
    """Whether `prev` serves the document from its segment (not from its base)."""
    return isinstance(prev, Segmented) and doc_id in prev.segment.manifest.documents


def oversized(base: Index, passages_in_segment: int, removed: list[str]) -> bool:
    """Whether a segment of this many passages, hiding these base documents, should be merged."""
    hidden = sum(base.manifest.documents[d].chunks for d in removed)
    return passages_in_segment + hidden > MERGE_SHARE * len(base.chunks)


def write_segment(
    index_dir: Path,
    base: Index,
    manifest: Manifest,
    chunks: list,
    vectors: np.ndarray,
    sentence_vectors: np.ndarray | None,
    removed: list[str],
    voice: tuple[np.ndarray, np.ndarray] | None = None,
    hidden_terms: dict[str, int] | None = None,
) -> Path:
    """Write a segment over `base` and make it current (atomically, as `store.write_index`).

    Args:
        index_dir: the index folder.
        base: the whole build the segment extends (it is kept while the segment serves).
        manifest: the segment's own documents (the ones its `chunks` belong to).
        chunks, vectors, sentence_vectors: the segment's passages and their vectors, aligned.
        removed: the base's documents that no longer serve (replaced or removed).
        voice: the multilingual model's (passage vectors, sentence vectors) of `chunks`, when
            the base has them (`manifest.multilingual` names the model).
        hidden_terms: `hidden_terms` of the `removed` documents' base passages.
    """
    staging, name = store.new_staging(index_dir)
    store.write_rows(staging, manifest, chunks, sentence_vectors, voice)
    import faiss

    flat = vector_index.build(vectors, manifest.dimension, vector_index.FLAT)
    faiss.write_index(flat, str(staging / "vectors.faiss"))
    if voice is not None:
        dimension = int(manifest.multilingual["dimension"])
        flat = vector_index.build(voice[0], dimension, vector_index.FLAT)
        faiss.write_index(flat, str(staging / MULTILINGUAL_VECTORS))
    terms = json.dumps(dict(sorted((hidden_terms or {}).items())), ensure_ascii=False)
    (staging / HIDDEN_TERMS).write_text(terms, encoding="utf-8")
    m = base.manifest
    manifest.vector_index, manifest.store = vector_index.FLAT, "faiss"
    manifest.bm25_avgdl, manifest.bm25_k1, manifest.bm25_b = m.bm25_avgdl, m.bm25_k1, m.bm25_b
    manifest.base, manifest.base_created = base.path.name, m.created
    manifest.removed_documents = sorted(removed)
    return store.publish(index_dir, staging, name, manifest)


def open_segment(build: Path, manifest: Manifest, base: Index, damaged: str) -> Segmented:
    """A segment's folder over its (already checked) base, checked as `store.load_index` does.

    Raises:
        IndexMismatch: a changed file, a base that is not the one written against, or counts
            that disagree.
    """
    if base.manifest.base or base.manifest.created != manifest.base_created:
        raise IndexMismatch(f"{damaged} (the build it extends is not the one it was written on)")
    try:
        changed = [n for n, d in manifest.files.items() if store.sha256(build / n) != d]
        if changed:
            raise IndexMismatch(f"{damaged} ({', '.join(changed)} changed after it was written)")
        import faiss

        chunks = store.read_chunks(build, base.large)
        vectors = faiss.read_index(str(build / "vectors.faiss"))
        offsets = np.load(build / store.SENTENCE_OFFSETS, allow_pickle=False)
        hidden_terms = json.loads((build / HIDDEN_TERMS).read_text(encoding="utf-8"))
        if not all(isinstance(n, int) for n in hidden_terms.values()):
            raise ValueError(HIDDEN_TERMS)
        sentences = None
        if base.sentence_vectors is not None:  # a segment of no passages stores none
            sentences = (
                np.load(build / "sentences.npy", mmap_mode="r", allow_pickle=False)
                if manifest.sentences
                else np.zeros((0, manifest.dimension), dtype=np.float32)
            )
        voice = None
        if base.multilingual is not None and manifest.multilingual:
            voice = Voice(
                manifest.multilingual["model"],
                faiss.read_index(str(build / MULTILINGUAL_VECTORS)),
                np.load(build / store.MULTILINGUAL_SENTENCES, mmap_mode="r", allow_pickle=False),
            )
    except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
        raise IndexMismatch(f"{damaged} ({type(exc).__name__})") from None
    count = sum(e.chunks for e in manifest.documents.values())
    if not (len(chunks) == vectors.ntotal == manifest.chunks == count == len(offsets) - 1):
        raise IndexMismatch(f"{damaged} (segment passages, vectors and manifest disagree)")
    if sentences is not None and sentences.shape != (int(offsets[-1]), manifest.dimension):
        raise IndexMismatch(f"{damaged} (segment sentence vectors and passages disagree)")
    if voice is not None and (
        voice.model != base.multilingual.model
        or voice.vectors.ntotal != len(chunks)
        or voice.sentence_vectors.shape != (int(offsets[-1]), base.multilingual.vectors.d)
    ):
        raise IndexMismatch(f"{damaged} (segment multilingual vectors and passages disagree)")
    base_docs = base.manifest.documents
    removed = set(manifest.removed_documents)
    if not removed <= set(base_docs) or not (set(manifest.documents) & set(base_docs)) <= removed:
        raise IndexMismatch(f"{damaged} (segment and base documents disagree)")
    segment = Index(build, manifest, chunks, vectors, None, sentences, voice, offsets)
    hidden = sorted(r for d in removed for r in base.rows_of(d))
    return Segmented(base, segment, np.asarray(hidden, dtype=np.int64), hidden_terms)


def served_documents(base: Manifest, segment: Manifest) -> dict:
    """The documents a segment over `base` serves: the base's it does not hide, then its own."""
    removed = set(segment.removed_documents)
    documents = {d: e for d, e in base.documents.items() if d not in removed}
    documents.update(segment.documents)
    return dict(sorted(documents.items()))


def hidden_terms(prev: Index, base: Index, removed: list[str]) -> dict[str, int]:
    """How many of the `removed` documents' base passages hold each BM25 term: carried over
    from `prev` when it is a segment over `base` (a hidden document stays hidden), counted for
    the documents it did not hide yet."""
    counts: Counter = Counter()
    already: set[str] = set()
    if isinstance(prev, Segmented) and prev.base is base:
        counts.update(prev.hidden_terms)
        already = set(prev.segment.manifest.removed_documents)
    rows = [r for d in removed if d not in already for r in base.rows_of(d)]
    if rows:
        for terms in bm25.tokenize([base.chunks[r].embed_text() for r in rows]):
            counts.update(set(terms))
    return dict(counts)


def reusable_base(reuse: Index | None, base_build: Path) -> Index | None:
    """The open index of `base_build` inside `reuse` (the serving index), if it has one."""
    if reuse is None:
        return None
    base = base_of(reuse)
    return base if base.path == base_build else None


def merge(index: Segmented) -> dict:
    """A segmented index as the arguments of one whole build (`store.write_index`)."""
    chunks = list(index.chunks)
    rows = list(range(len(chunks)))
    sentences = _sentences_of(index, index.sentence_vectors, rows)
    voice = None
    if index.multilingual is not None:
        voice = (
            index.multilingual.vectors_of(rows),
            _sentences_of(index, index.multilingual.sentence_vectors, rows),
        )
    documents = {d: dataclasses.replace(e) for d, e in index.manifest.documents.items()}
    manifest = dataclasses.replace(
        index.manifest,
        documents=documents,
        base="",
        base_created="",
        removed_documents=[],
        files={},
    )
    return {
        "manifest": manifest,
        "chunks": chunks,
        "vectors": index.vectors_of(rows),
        "sentence_vectors": sentences,
        "multilingual": voice,
    }


def _sentences_of(index: Index, table, rows: list[int]) -> np.ndarray | None:
    """The rows of one sentence-vector table of `index` for these passages, in order."""
    if table is None:
        return None
    parts = [table[index.sentence_rows(r)] for r in rows]
    return np.vstack(parts) if parts else np.zeros((0, table.shape[1]), dtype=np.float32)


class SegmentBM25:
    """BM25 of a segment's passages with its base's statistics, as bm25s scores the base
    ("lucene": idf log(1 + (N - df + 0.5) / (df + 0.5)), each term's frequency damped by k1 and
    the passage's length against the base's mean, b).

    bm25s precomputes every score from its own corpus's statistics, so it cannot score a few
    more passages as if they were part of that corpus; this scores them at query time instead.
    """

    def __init__(self, chunks, base_lexical, avgdl: float, k1: float, b: float):
        tokens = bm25.tokenize([c.embed_text() for c in chunks]) if len(chunks) else []
        lengths = np.array([len(t) for t in tokens], dtype=np.float32)
        norm = k1 * ((1 - b) + b * lengths / avgdl)
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for row, terms in enumerate(tokens):
            for term, tf in Counter(terms).items():
                rows, values = postings.setdefault(term, ([], []))
                rows.append(row)
                values.append(tf / (norm[row] + tf))
        self._postings = {
            t: (np.array(r, dtype=np.int64), np.array(v, dtype=np.float32))
            for t, (r, v) in postings.items()
        }
        # every term the segment's passages hold (one view: `bm25.abbreviated` keeps its
        # sorted copy by the object it was made of)
        self.terms = self._postings.keys()
        self._base = base_lexical
        self.num_docs = len(tokens)
        self.total = int(base_lexical.scores["num_docs"]) + self.num_docs

    def document_frequency(self, term: str) -> int:
        """Passages of the base and the segment that hold `term`."""
        held = self._postings.get(term)
        return bm25.document_frequency(self._base, term) + (len(held[0]) if held else 0)

    def known(self, term: str) -> bool:
        return term in self._postings

    def scores(self, tokens: list[str]) -> np.ndarray:
        """The segment's passages' BM25 scores for a query's `bm25.tokenize`d terms."""
        out = np.zeros(self.num_docs, dtype=np.float32)
        for term in tokens:
            held = self._postings.get(term)
            if held is None:
                continue
            df = self.document_frequency(term)
            rows, values = held
            out[rows] += math.log(1 + (self.total - df + 0.5) / (df + 0.5)) * values
        return out


class Segmented(Index):
    """A base build and a segment searched as one read-only index (rows: the base's served
    passages in order, then the segment's)."""

    def __init__(
        self, base: Index, segment: Index, hidden: np.ndarray, hidden_terms: dict[str, int]
    ):
        self.base, self.segment, self.hidden = base, segment, hidden
        self.hidden_terms = hidden_terms
        self._served = np.delete(np.arange(len(base.chunks), dtype=np.int64), hidden)
        self._hidden = hidden.tolist()
        self.split = len(self._served)  # rows below it are the base's
        m = segment.manifest  # k1 and b: the base's, which `accepts` matched to the settings
        self._bm25 = SegmentBM25(segment.chunks, base.lexical, m.bm25_avgdl, m.bm25_k1, m.bm25_b)
        manifest = dataclasses.replace(
            m,
            documents=served_documents(base.manifest, m),
            chunks=self.split + len(segment.chunks),
            vector_index=base.manifest.vector_index,
            sentences=(base.manifest.sentences + m.sentences) if base.manifest.sentences else 0,
        )
        if m.multilingual:
            manifest.multilingual = {
                **m.multilingual,
                "sentences": base.manifest.multilingual["sentences"] + m.multilingual["sentences"],
            }
        sentences = None
        if base.sentence_vectors is not None and segment.sentence_vectors is not None:
            sentences = _Sentences(
                base.sentence_vectors, segment.sentence_vectors, base.sentence_count
            )
        voice = None
        if base.multilingual is not None and segment.multilingual is not None:
            voice = Voice(
                base.multilingual.model,
                _Vectors(self, base.multilingual.vectors, segment.multilingual.vectors),
                _Sentences(
                    base.multilingual.sentence_vectors,
                    segment.multilingual.sentence_vectors,
                    base.sentence_count,
                ),
            )
        vectors = _Vectors(self, base.vectors, segment.vectors)
        super().__init__(segment.path, manifest, _Rows(self), vectors, self._bm25, sentences, voice)

    def __post_init__(self):  # rows and sentences are mapped, not derived from the passages
        pass

    def base_row(self, row: int) -> int:
        return int(self._served[row])

    def sentence_rows(self, row: int) -> slice:
        if row < self.split:
            return self.base.sentence_rows(self.base_row(row))
        own = self.segment.sentence_rows(row - self.split)
        shift = self.base.sentence_count
        return slice(own.start + shift, own.stop + shift)

    @property
    def sentence_count(self) -> int:
        return self.base.sentence_count + self.segment.sentence_count

    @property
    def large(self) -> bool:
        return self.base.large

    def rows_of(self, doc_id: str) -> Sequence[int]:
        if doc_id in self.segment.manifest.documents:
            return [self.split + r for r in self.segment.rows_of(doc_id)]
        if doc_id not in self.manifest.documents:
            return []
        rows = self.base.rows_of(doc_id)
        if isinstance(rows, range):  # a served document's rows: none of them hidden
            below = bisect.bisect_left(self._hidden, rows.start)
            return range(rows.start - below, rows.stop - below)
        rows = np.asarray(rows, dtype=np.int64)
        return (rows - np.searchsorted(self.hidden, rows)).tolist()

    def lexical_search(self, query, k, allowed=None, also=()):
        tokens = bm25.tokenize([query])[0]
        scores = np.concatenate(
            [bm25.scores(self.base.lexical, tokens)[self._served], self._bm25.scores(tokens)]
        )
        return store.top_lexical(scores, k, allowed, also)

    def vocabulary(self):
        """As `Index.vocabulary`, over the passages served: a term only hidden passages hold
        (a removed document's) is not known."""
        lexical, own, hidden = self.base.lexical, self._bm25, self.hidden_terms
        served = own.total - len(self.hidden)

        def frequency(term: str) -> int:
            return own.document_frequency(term) - hidden.get(term, 0)

        def known(term: str) -> bool:
            if frequency(term) > 0:
                return True
            near = bm25.close_spellings(lexical.vocab_dict, term)
            near += bm25.close_spellings(own.terms, term)
            near += bm25.abbreviated(lexical.vocab_dict, term)
            near += bm25.abbreviated(own.terms, term)
            return any(frequency(word) > 0 for word in near)

        return known, lambda term: bm25.rarity_of(frequency(term), served)


class _Rows(Sequence):
    """The passages of a segmented index, by its row numbers."""

    def __init__(self, index: Segmented):
        self._index = index

    def __len__(self) -> int:
        return self._index.split + len(self._index.segment.chunks)

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        row = int(row)
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        index = self._index
        if row < index.split:
            return index.base.chunks[index.base_row(row)]
        return index.segment.chunks[row - index.split]

    def __iter__(self):
        hidden = set(self._index.hidden.tolist())
        for row, chunk in enumerate(self._index.base.chunks):
            if row not in hidden:
                yield chunk
        yield from self._index.segment.chunks


class _Vectors:
    """One model's passage vectors of a segmented index: the base's FAISS index without its
    hidden rows, and the segment's (exact), searched both and merged by cosine."""

    def __init__(self, index: Segmented, base, segment):
        self._index, self._base, self._segment = index, base, segment
        self.kind = vector_index.kind_of(base)
        self.d = base.d
        self.ntotal = index.split + segment.ntotal

    def top(self, query_vector: np.ndarray, k: int, allowed: np.ndarray | None = None):
        index = self._index
        base_allowed = segment_allowed = None
        if allowed is not None:
            base_allowed = np.zeros(len(index.base.chunks), dtype=bool)
            base_allowed[index._served] = allowed[: index.split]
            segment_allowed = allowed[index.split :]
        base, segment = self._base, self._segment
        excluded = index.hidden if base_allowed is None else None
        scores, rows = vector_index.search(
            base, query_vector, min(k, base.ntotal), base_allowed, excluded
        )
        keep = rows >= 0
        rows = rows[keep] - np.searchsorted(index.hidden, rows[keep])
        found = [(float(s), int(r)) for s, r in zip(scores[keep], rows, strict=True)]
        if segment.ntotal:
            scores, rows = vector_index.search(
                segment, query_vector, min(k, segment.ntotal), segment_allowed
            )
            found += [
                (float(s), index.split + int(r))
                for s, r in zip(scores, rows, strict=True)
                if r >= 0
            ]
        found = sorted(found, key=lambda pair: -pair[0])[:k]
        return (
            np.array([s for s, _ in found], dtype=np.float32),
            np.array([r for _, r in found], dtype=np.int64),
        )

    def vectors_of(self, rows: list[int]) -> np.ndarray:
        index = self._index
        out = np.zeros((len(rows), self.d), dtype=np.float32)
        mine = [i for i, r in enumerate(rows) if r < index.split]
        theirs = [i for i, r in enumerate(rows) if r >= index.split]
        if mine:
            base_rows = [index.base_row(rows[i]) for i in mine]
            out[mine] = vector_index.stored(self._base, base_rows)
        if theirs:
            own = [rows[i] - index.split for i in theirs]
            out[theirs] = vector_index.stored(self._segment, own)
        return out


class _Sentences:
    """The sentence vectors of a segmented index: the base's rows, then the segment's, read by
    the slices `Segmented.sentence_rows` gives (one never spans both)."""

    def __init__(self, base: np.ndarray, segment: np.ndarray, split: int):
        self._base, self._segment, self._split = base, segment, split
        self.shape = (split + len(segment), base.shape[1])

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, rows: slice) -> np.ndarray:
        if rows.start >= self._split:
            return self._segment[rows.start - self._split : rows.stop - self._split]
        return self._base[rows]
