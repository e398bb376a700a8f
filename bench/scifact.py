"""Score ranking configurations on BEIR SciFact with cached passage and query vectors.

Usage (from the repo root, venv active):
    python bench/scifact.py                      # every configuration, table on stdout
    python bench/scifact.py --only default hybrid-rrf
Results go to bench/runs/scifact.json (one row per configuration) and run files beside it.
Passage vectors are cached under bench/cache/ (keyed by corpus, model and passage size), so only
the first run embeds the corpus.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits
from workspace import CACHE, RUNS, SCIFACT, percentiles, swapped

from fieldguide import beir, bm25
from fieldguide.config import Settings
from fieldguide.search import query_dense_weight, rank_passages, score_fusion
from fieldguide.search import rank as search_rank


class CachedQueries:
    """Stands in for the embedder at query time: vectors computed once, kept on disk."""

    def __init__(self, embedder, queries: dict[str, str], folder: Path):
        path = folder / "queries.npy"
        texts = list(queries.values())
        if path.exists():
            vectors = np.load(path)
        else:
            vectors = embedder.encode(texts)
            np.save(path, vectors)
        self.vectors = dict(zip(texts, vectors, strict=True))
        self.name, self.weights_sha256 = embedder.name, embedder.weights_sha256

    def encode_query(self, text: str) -> np.ndarray:
        return self.vectors[text]


def lists_only(index, embedder, qvec, query, settings, depth=0, allowed=None, sentences=None):
    """The fusion before this change: min-max over each retriever's own list, missing = 0."""
    wanted = max(settings.candidates, depth)
    dense = dict(index.dense(qvec, wanted))
    lex_all = bm25.scores(index.lexical, query)
    top = np.argsort(-lex_all, kind="stable")[:wanted]
    lexical = {int(r): float(lex_all[r]) for r in top if lex_all[r] > 0}
    fused = score_fusion(dense, lexical, settings.dense_weight)
    return [(row, score, dense.get(row, 0.0), lexical.get(row, 0.0)) for row, score in fused]


_DOC_BM25: dict = {}


def document_bm25(index, embedder, qvec, query, settings, depth=0, allowed=None, sentences=None):
    """BM25 over whole documents (title + text), each passage taking its document's score."""
    if id(index) not in _DOC_BM25:
        doc_ids = list(dict.fromkeys(c.doc_id for c in index.chunks))
        texts = {d: [] for d in doc_ids}
        for c in index.chunks:
            texts[c.doc_id].append(c.text)
        titles = {c.doc_id: c.title for c in index.chunks}
        lexical = bm25.build([f"{titles[d]} {' '.join(texts[d])}" for d in doc_ids])
        position = {d: i for i, d in enumerate(doc_ids)}
        _DOC_BM25[id(index)] = (lexical, np.array([position[c.doc_id] for c in index.chunks]))
    lexical, doc_of_row = _DOC_BM25[id(index)]
    doc_scores = bm25.scores(lexical, query)
    lex_all = doc_scores[doc_of_row]
    wanted = max(settings.candidates, depth)
    dense = [r for r, _ in index.dense(qvec, wanted)]
    top = np.argsort(-lex_all, kind="stable")[:wanted]
    lexical = [int(r) for r in top if lex_all[r] > 0]
    rows = list(dict.fromkeys(dense + lexical))
    cosines = dict(zip(rows, (index.vectors_of(rows) @ qvec).tolist(), strict=True))
    weight = query_dense_weight(query, settings.dense_weight, settings.code_dense_weight)
    head = set(dense[: settings.candidates]) | set(lexical[: settings.candidates])
    fused = score_fusion(cosines, {r: float(lex_all[r]) for r in rows}, weight, head)
    return [(row, score, cosines[row], float(lex_all[row])) for row, score in fused]


def all_candidates(index, embedder, qvec, query, settings, depth=0, allowed=None, sentences=None):
    """The normalisation before: each side min-maxed over every candidate (300 in a BEIR run)."""
    from fieldguide import search

    fusion = search.score_fusion
    every = lambda dense, lexical, weight, head=None: fusion(dense, lexical, weight)  # noqa: E731
    with swapped(search, "score_fusion", every):
        return rank_passages(index, qvec, query, settings, depth)


def dense_feedback(index, embedder, qvec, query, settings, depth=0, allowed=None, sentences=None):
    """Rocchio on the dense side: the query moved toward its top 3 fused passages, ranked again."""
    first = rank_passages(index, qvec, query, settings, depth)
    top = index.vectors_of([row for row, *_ in first[:3]])
    moved = qvec + 0.5 * top.mean(axis=0)
    moved /= np.linalg.norm(moved)
    return rank_passages(index, moved.astype(np.float32), query, settings, depth)


def code_all(index, embedder, qvec, query, settings, depth=0, allowed=None, sentences=None):
    """The query-aware weighting before: every question with a digit or acronym leans on BM25."""
    from fieldguide import search

    with swapped(search, "LOOKUP_WORDS", 10**6):
        return rank_passages(index, qvec, query, settings, depth)


VARIANTS = {
    "code-all": code_all,
    "dense-feedback": dense_feedback,
    "lists-only": lists_only,
    "document-bm25": document_bm25,
    "all-candidates": all_candidates,
}


def settings_for(**overrides) -> Settings:
    """Defaults (ignoring the environment) with overrides."""
    return Settings.from_env({}, **overrides)


# name -> (passage word pieces, settings overrides, short description)
N = {"rerank": "none"}  # first stage only
CONFIGS: dict[str, tuple[int, dict, str]] = {
    "bm25": (200, dict(N, dense_weight=0.0, code_dense_weight=1.0), "BM25 alone"),
    "dense": (200, dict(N, dense_weight=1.0, code_dense_weight=1.0), "dense alone"),
    "hybrid-rrf": (200, dict(N, fusion="rrf"), "hybrid, RRF"),
    "lists-only-0.5": (
        200,
        dict(N, variant="lists-only", code_dense_weight=1.0),
        "hybrid, min-max 0.5/0.5 of each retriever's own top 50 (missing = 0), as before",
    ),
    "score-0.4": (200, dict(N, dense_weight=0.4), "hybrid, min-max 0.4/0.6, real scores"),
    "score-0.5": (
        200,
        dict(N),
        "hybrid, min-max 0.5/0.5, real scores, scaled over each retriever's top 50 (first stage "
        "default)",
    ),
    "score-0.5-all": (
        200,
        dict(N, variant="all-candidates"),
        "score-0.5 scaled over every candidate (300 per retriever here; before)",
    ),
    "score-0.6": (200, dict(N, dense_weight=0.6), "hybrid, min-max 0.6/0.4, real scores"),
    "code-all-questions": (
        200,
        dict(N, variant="code-all"),
        "score-0.5, BM25 leaned on for every question with a digit or acronym (before)",
    ),
    "doc-bm25": (200, dict(N, variant="document-bm25"), "score-0.5, BM25 over whole documents"),
    "dense-feedback": (200, dict(N, variant="dense-feedback"), "score-0.5 + dense feedback"),
    "default": (200, dict(), "defaults: score-0.5 + sentence second stage 0.5 over top 20"),
    "sentences-d10": (200, dict(rerank_depth=10), "default, second stage over top 10"),
    "sentences-0.3": (200, dict(rerank_weight=0.3), "default, second-stage weight 0.3"),
    "sentences-0.7": (200, dict(rerank_weight=0.7), "default, second-stage weight 0.7"),
    "p256-bm25": (256, dict(N, dense_weight=0.0, code_dense_weight=1.0), "256 wp: BM25 alone"),
    "p256-dense": (256, dict(N, dense_weight=1.0, code_dense_weight=1.0), "256 wp: dense alone"),
    "p256-rrf": (256, dict(N, fusion="rrf"), "256 wp: hybrid RRF"),
    "p256-score-0.5": (256, dict(N), "256 wp: hybrid min-max 0.5/0.5"),
    "p256-default": (256, dict(), "256 wp: + sentence second stage 0.5"),
}


def evaluate_config(name: str, data, embedder, overrides: dict, tokens: int) -> dict:
    """nDCG@10 / Recall@100 of one configuration on cached vectors."""
    overrides = dict(overrides)
    variant = VARIANTS.get(overrides.pop("variant", ""))
    beir.rank = variant or search_rank
    settings = settings_for(chunk_tokens=tokens, **overrides)
    chunks, vectors, _ = beir.cached_passages(data, embedder, tokens, CACHE)
    folder = beir.passage_cache(data, embedder, tokens, CACHE)
    queries = CachedQueries(embedder, data.queries, folder)
    index = beir.memory_index(chunks, vectors, embedder, settings)
    stored = beir.stored_sentences(embedder, folder) if settings.rerank == "sentences" else None
    # the second stage encodes sentences with the real model; they are kept on disk
    run, latencies = beir.document_run(index, queries, data.queries, settings, sentences=stored)
    if stored:
        beir.save_sentences(stored, folder)
    metrics = beir.score_run(data.qrels, run)
    beir.write_run(RUNS / f"scifact-{name}.trec", run, name)
    return {
        "name": name,
        "passages": len(chunks),
        "ndcg@10": metrics["ndcg@10"],
        "recall@100": metrics["recall@100"],
        "rank_ms_p50": percentiles(latencies, (50,), digits=2)["p50"],
        "config": beir.run_config(settings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="configuration names to run")
    args = parser.parse_args()
    threadpool_limits(1, "blas")
    from fieldguide.embed import default_embedder

    embedder = default_embedder()
    data = beir.load_beir(SCIFACT)
    RUNS.mkdir(parents=True, exist_ok=True)
    out = RUNS / "scifact.json"
    rows = json.loads(out.read_text()) if out.exists() else {}
    for name, (tokens, overrides, description) in CONFIGS.items():
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        row = evaluate_config(name, data, embedder, overrides, tokens)
        row["description"] = description
        rows[name] = row
        print(
            f"{name:24} nDCG@10 {row['ndcg@10']:.4f}  R@100 {row['recall@100']:.4f}  "
            f"({time.perf_counter() - started:.1f} s)",
            flush=True,
        )
        # in the order of CONFIGS, dropping configurations no longer defined
        rows = {n: rows[n] for n in CONFIGS if n in rows}
        out.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
