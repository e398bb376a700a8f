"""Search: hybrid retrieval — dense (FAISS) and BM25 rankings fused into `Hit`s."""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from .config import Settings
from .store import Index, Voice

_CODE_LIKE = re.compile(r"\d|\b[A-Z]{2,}\b|\(\w\)")
LOOKUP_WORDS = 6  # at most this many words and a code: a lookup, not a question
KEYWORD_WORDS = 2  # at most this many words: keywords, ranked without the sentence stage


@dataclass
class Source:
    """Another place a near-identical passage appears (its hit lists them all)."""

    doc_id: str
    title: str
    section: str
    page: int | None
    source: str
    chunk_id: str


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
    also: list[Source] = field(default_factory=list)

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


def minmax(scores: dict[int, float], head: set[int] | None = None) -> dict[int, float]:
    """Scale scores so the `head` items (default: all) span 0..1; all equal scores become 1.

    Items outside the head are scaled by the same line, so they may fall below 0 (below an id
    missing from `scores`, which fusion counts as 0). A head of equal scores falls back to the
    range of all scores.
    """
    if not scores:
        return {}
    basis = [s for item, s in scores.items() if item in head] if head else []
    if not basis or max(basis) - min(basis) < 1e-12:
        basis = list(scores.values())
    low, high = min(basis), max(basis)
    if high - low < 1e-12:
        return {item: 1.0 for item in scores}
    return {item: (s - low) / (high - low) for item, s in scores.items()}


def score_fusion(
    dense: dict[int, float],
    lexical: dict[int, float],
    dense_weight: float,
    head: set[int] | None = None,
) -> list[tuple[int, float]]:
    """Weighted sum of min-max normalised scores; an id missing from one side scores 0 there.

    `head`: the ids whose scores set each side's 0..1 range (default: every id). Normalising over
    the retrievers' usual top candidates keeps a deeper list (a BEIR run's 300) from flattening
    the scores that decide the top 10.
    """
    d, b = minmax(dense, head), minmax(lexical, head)
    fused = {
        i: dense_weight * d.get(i, 0.0) + (1 - dense_weight) * b.get(i, 0.0)
        for i in set(d) | set(b)
    }
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


def query_dense_weight(query: str, base: float, code_weight: float = 0.6) -> float:
    """Lean on BM25 for short lookups with digits, codes or acronyms ("647(b)", "211", "CAST").

    Longer questions keep `base`: there the model has context, and on SciFact's claims (half of
    them hold a digit or an acronym) leaning on BM25 cost 0.014 nDCG@10.
    """
    lookup = len(query.split()) <= LOOKUP_WORDS and _CODE_LIKE.search(query)
    return base * code_weight if lookup else base


RANKING_SETTINGS = (
    "chunk_tokens",
    "candidates",
    "fusion",
    "dense_weight",
    "code_dense_weight",
    "bm25_k1",
    "bm25_b",
    "rerank",
    "rerank_depth",
    "rerank_weight",
)


def rank_passages(
    index: Index,
    query_vector: np.ndarray,
    query: str,
    settings: Settings,
    depth: int = 0,
    allowed: np.ndarray | None = None,
    voice: Voice | None = None,
    second: tuple[Voice, np.ndarray] | None = None,
) -> list[tuple[int, float, float, float]]:
    """Passages ranked by fused dense and BM25 evidence.

    Args:
        index: a loaded index.
        query_vector: the normalised query vector (in `voice`'s vector space).
        query: the question as typed (for BM25 and query-aware weighting).
        settings: candidates per retriever, fusion method and weights.
        depth: take at least this many candidates from each retriever.
        allowed: optional boolean mask of rows that may be returned.
        voice: the vectors to search (default: the English model's). The multilingual voice
            fuses with `settings.multilingual_dense_weight`.
        second: another model's vectors of the same passages and the query's vector in its
            space (the multilingual voice, for an English question): its candidates join
            the others', and its min-max scaled cosine takes
            `settings.multilingual_english_weight` of the fused score.

    Returns:
        (row, fused score, cosine, BM25 score) tuples, best first.
    """
    voice = voice or index.main
    base_weight = (
        settings.dense_weight
        if voice.model == index.manifest.model
        else settings.multilingual_dense_weight
    )
    wanted = max(settings.candidates, depth)
    weight = query_dense_weight(query, base_weight, settings.code_dense_weight)
    share = settings.multilingual_english_weight
    if settings.fusion == "rrf" or share <= 0:  # RRF fuses ranks: no share to give
        second = None
    dense = [r for r, _ in voice.dense(query_vector, wanted, allowed)]
    other = [r for r, _ in second[0].dense(second[1], wanted, allowed)] if second else []
    both = list(dict.fromkeys(dense + other))
    lexical, lex_scores = index.lexical_search(query, wanted, allowed, both)
    rows = list(dict.fromkeys(both + lexical))
    if not rows:
        return []
    # the real cosine of every candidate, also those only BM25 found
    cosines = dict(zip(rows, (voice.vectors_of(rows) @ query_vector).tolist(), strict=True))
    if settings.fusion == "rrf":
        fused = rrf([dense, lexical])
    else:
        head = set(dense[: settings.candidates]) | set(lexical[: settings.candidates])
        fused = score_fusion(cosines, {r: lex_scores[r] for r in rows}, weight, head)
    if second:
        head |= set(other[: settings.candidates])
        theirs = minmax(
            dict(zip(rows, (second[0].vectors_of(rows) @ second[1]).tolist(), strict=True)), head
        )
        fused = sorted(
            ((r, (1 - share) * score + share * theirs[r]) for r, score in fused),
            key=lambda pair: (-pair[1], pair[0]),
        )
    return [(row, score, cosines[row], lex_scores[row]) for row, score in fused]


def rank(
    index: Index,
    embedder,
    query_vector: np.ndarray,
    query: str,
    settings: Settings,
    depth: int = 0,
    allowed: np.ndarray | None = None,
    sentences=None,
    second: tuple[Voice, np.ndarray] | None = None,
) -> list[tuple[int, float, float, float]]:
    """`rank_passages` with the vectors `embedder` made, then the optional second stage.

    `sentences` is `embedder`'s `rerank.SentenceVectors` (the engine keeps one per model);
    without it the second stage encodes the sentences it needs for this call alone. `second`:
    as `rank_passages` reads it.

    Raises:
        ValueError: the index holds no vectors of `embedder`'s model.
    """
    voice = index.voice(embedder.name)
    if voice is None:
        raise ValueError(f"the index holds no vectors of {embedder.name}")
    ranked = rank_passages(index, query_vector, query, settings, depth, allowed, voice, second)
    # a one- or two-word lookup (a name, a number) has no sentence meaning to compare
    if settings.rerank == "sentences" and len(query.split()) > KEYWORD_WORDS:
        from .rerank import SentenceVectors, rerank_sentences

        english = voice.model == index.manifest.model
        ranked = rerank_sentences(
            ranked,
            index,
            query_vector,
            sentences if sentences is not None else SentenceVectors(embedder),
            settings.rerank_depth,
            settings.rerank_weight if english else settings.multilingual_rerank_weight,
        )
    return ranked


def select(
    ranked: list[tuple], vectors: np.ndarray, doc_ids: list[str], k: int, per_doc: int, same: float
) -> list[tuple[int, list[int]]]:
    """Pick k results: near-identical passages folded into one, at most `per_doc` per document.

    Args:
        ranked: (row, ...) best first.
        vectors: the rows' normalised vectors, aligned with `ranked`.
        doc_ids: the rows' document ids, aligned with `ranked`.
        k: results wanted.
        per_doc: most results from one document (0: no cap); filled from the rest if short.
        same: cosine at or above which two passages count as the same text (>1: never).

    Returns:
        (position in `ranked`, positions folded into it) for each result, best first.
    """
    kept: list[tuple[int, list[int]]] = []
    capped: list[int] = []
    count: dict[str, int] = {}
    for i in range(len(ranked)):
        twin = next((j for j, _ in kept if float(vectors[i] @ vectors[j]) >= same), None)
        if twin is not None:
            next(folded for j, folded in kept if j == twin).append(i)
            continue
        if per_doc and count.get(doc_ids[i], 0) >= per_doc:
            capped.append(i)
            continue
        if len(kept) < k:
            kept.append((i, []))
            count[doc_ids[i]] = count.get(doc_ids[i], 0) + 1
        elif not per_doc:
            break
    for i in capped:  # too few other documents: fill with the capped ones, in rank order
        if len(kept) >= k:
            break
        kept.append((i, []))
    kept.sort(key=lambda pair: pair[0])
    return kept


@contextmanager
def one_thread():
    """Answer a query on one OpenMP thread, then give the calling thread its threads back.

    On two cores, a single query's FAISS search took 8 ms with OpenMP workers spinning and
    0.7 ms on one thread, and MiniLM encoded a question in 31 ms p50 / 170 ms p95 on two threads
    against 17 ms / 26 ms on one. Builds need both cores, so the limit is lifted afterwards (it
    is the calling thread's own OpenMP setting, which torch and FAISS both follow; other
    threads, such as a rebuild running beside a search, are not affected).
    """
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def best_per_document(index: Index, ranked: list[tuple]) -> list[tuple[str, float]]:
    """(doc_id, score) of each document's best passage, best first."""
    best: dict[str, float] = {}
    for row, score, *_ in ranked:
        best.setdefault(index.chunks[row].doc_id, score)
    return list(best.items())


def hybrid_search(
    index: Index,
    embedder,
    query: str,
    settings: Settings,
    k: int | None = None,
    doc_ids: set[str] | None = None,
    query_vector: np.ndarray | None = None,
    sentences=None,
    second: tuple[Voice, np.ndarray] | None = None,
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
        sentences: `embedder`'s sentence vectors for the second stage (`rank`).
        second: another model's voice and the query's vector in it (`rank_passages`).

    Returns:
        Hits, best first; empty for an empty index or query.
    """
    k = k or settings.k
    if not index.chunks or not query.strip():
        return []
    allowed = None
    if doc_ids is not None:
        allowed = np.array([c.doc_id in doc_ids for c in index.chunks])
        if not allowed.any():
            return []
    with one_thread():
        qvec = embedder.encode_query(query) if query_vector is None else query_vector
        ranked = rank(
            index,
            embedder,
            qvec,
            query,
            settings,
            allowed=allowed,
            sentences=sentences,
            second=second,
        )
    pool = ranked[: max(3 * k, settings.rerank_depth)]
    rows = [row for row, *_ in pool]
    picked = select(
        pool,
        index.vectors_of(rows),
        [index.chunks[r].doc_id for r in rows],
        k,
        settings.max_per_doc,
        settings.duplicate_cosine,
    )
    hits = []
    for i, folded in picked:
        row, score, cos, lex = pool[i]
        hit = _hit(index.chunks[row], score, cos, lex)
        hit.also = [_source(index.chunks[pool[j][0]]) for j in folded]
        hits.append(hit)
    return hits


def _source(chunk) -> Source:
    return Source(
        chunk.doc_id, chunk.title, chunk.section, chunk.page, chunk.source, chunk.chunk_id
    )


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
