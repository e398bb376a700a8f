"""Search: hybrid retrieval — dense (FAISS) and BM25 rankings fused into `Hit`s."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from . import bm25
from .config import Settings
from .store import Index

_CODE_LIKE = re.compile(r"\d|\b[A-Z]{2,}\b|\(\w\)")


@dataclass
class Hit:
    """One returned passage with everything needed to cite it."""

    text: str
    score: float
    doc_id: str
    title: str
    section: str
    page: int | None
    start: int
    end: int
    source: str = ""
    chunk_id: str = ""
    dense: float = 0.0
    lexical: float = 0.0
    sentences: list[tuple[int, int]] = field(default_factory=list, repr=False)

    def sentence_texts(self) -> list[tuple[int, int, str]]:
        """(start, end, text) of each sentence, offsets in the document's text."""
        return [(s, e, self.text[s - self.start : e - self.start]) for s, e in self.sentences]


def rrf(rankings: list[list[int]], k: int = 60) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of several rankings of ids, best first."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank + 1)
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


def minmax(scores: dict[int, float]) -> dict[int, float]:
    """Scale scores to 0..1 (all equal scores become 1)."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high - low < 1e-12:
        return {item: 1.0 for item in scores}
    return {item: (s - low) / (high - low) for item, s in scores.items()}


def score_fusion(
    dense: dict[int, float], lexical: dict[int, float], dense_weight: float
) -> list[tuple[int, float]]:
    """Weighted sum of min-max normalised scores; an id missing from one side scores 0 there."""
    d, b = minmax(dense), minmax(lexical)
    fused = {
        i: dense_weight * d.get(i, 0.0) + (1 - dense_weight) * b.get(i, 0.0)
        for i in set(d) | set(b)
    }
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


def query_dense_weight(query: str, base: float) -> float:
    """Lean on BM25 for questions with digits, codes or acronyms ("647(b)", "211", "CAST")."""
    return base * 0.6 if _CODE_LIKE.search(query) else base


def hybrid_search(
    index: Index,
    embedder,
    query: str,
    settings: Settings,
    k: int | None = None,
    doc_ids: set[str] | None = None,
    query_vector: np.ndarray | None = None,
) -> list[Hit]:
    """The k passages that best answer `query`.

    Args:
        index: a loaded index.
        embedder: encodes the query (unless `query_vector` is given).
        query: the question as typed.
        settings: candidates per retriever, fusion method and weight.
        k: passages to return (default settings.k).
        doc_ids: only search these documents.
        query_vector: a precomputed normalised query vector.

    Returns:
        Hits, best first; empty for an empty index or query.
    """
    k = k or settings.k
    n = len(index.chunks)
    if n == 0 or not query.strip():
        return []
    allowed = None
    if doc_ids is not None:
        allowed = np.array([c.doc_id in doc_ids for c in index.chunks])
        if not allowed.any():
            return []
    qvec = embedder.encode_query(query) if query_vector is None else query_vector
    depth = n if allowed is not None else settings.candidates
    dense = {r: s for r, s in index.dense(qvec, depth) if allowed is None or allowed[r]}
    dense = dict(list(dense.items())[: settings.candidates])
    lex_all = bm25.scores(index.lexical, query)
    if allowed is not None:
        lex_all = np.where(allowed, lex_all, 0.0)
    top = np.argsort(-lex_all, kind="stable")[: settings.candidates]
    lexical = {int(r): float(lex_all[r]) for r in top if lex_all[r] > 0}
    if settings.fusion == "rrf":
        fused = rrf([list(dense), list(lexical)])
    else:
        fused = score_fusion(dense, lexical, query_dense_weight(query, settings.dense_weight))
    rows = [row for row, _ in fused[:k]]
    cosines = index.vectors_of(rows) @ qvec if rows else []
    return [
        _hit(index.chunks[row], score, float(cos), float(lex_all[row]))
        for (row, score), cos in zip(fused[:k], cosines, strict=True)
    ]


def _hit(chunk, score: float, dense: float, lexical: float) -> Hit:
    return Hit(
        chunk.text,
        round(score, 6),
        chunk.doc_id,
        chunk.title,
        chunk.section,
        chunk.page,
        chunk.start,
        chunk.end,
        chunk.source,
        chunk.chunk_id,
        round(dense, 6),
        round(lexical, 6),
        list(chunk.sentences),
    )
