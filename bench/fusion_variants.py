"""Fusion and scoring ideas on SciFact, computed over whole score matrices from cached vectors.

Usage: python bench/fusion_variants.py [--mpnet DIR]   (writes bench/runs/fusion_variants.json)

Every query gets a cosine and a BM25 score for every passage (300 x 13,370), so each idea is a
few lines of numpy and the whole table takes a minute or two. `score-0.5 head 50` is the first
stage `fieldguide.search` runs (its nDCG matches `bench/scifact.py`'s `score-0.5` row within
0.001: the pipeline keeps 300 candidates per retriever, this only those it needs). The
ideas that need more vectors cache them under bench/cache/<corpus>/: document titles (MiniLM),
and with --mpnet, all-mpnet-base-v2 passage and query vectors made by bench/mpnet_vectors.py.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
from workspace import CACHE, RUNS, SCIFACT

from fieldguide import beir, bm25
from fieldguide.config import Settings


class Matrices:
    """Passages, their documents, and per-query score matrices for both retrievers."""

    def __init__(self, embedder, tokens: int = 200):
        self.data = beir.load_beir(SCIFACT)
        self.chunks, vectors, _ = beir.cached_passages(self.data, embedder, tokens, CACHE)
        self.folder = beir.passage_cache(self.data, embedder, tokens, CACHE)
        self.qids = list(self.data.queries)
        self.qtexts = [self.data.queries[q] for q in self.qids]
        queries = np.load(self.folder / "queries.npy")  # written by bench/scifact.py
        self.docs = list(dict.fromkeys(c.doc_id for c in self.chunks))
        position = {d: i for i, d in enumerate(self.docs)}
        self.drow = np.array([position[c.doc_id] for c in self.chunks])
        self.embedder = embedder
        self.dense = (queries @ vectors.T).astype(np.float32)
        self.lexical = self.cached("bm25-passages", self._bm25)

    def cached(self, name: str, make) -> np.ndarray:
        path = self.folder / f"{name}.npy"
        if not path.exists():
            np.save(path, make())
        return np.load(path)

    def _bm25(self) -> np.ndarray:
        index = bm25.build([c.embed_text() for c in self.chunks], settings=Settings.from_env({}))
        return np.stack([bm25.scores(index, t) for t in self.qtexts]).astype(np.float32)

    def doc_max(self, scores: np.ndarray) -> np.ndarray:
        """Each document's best passage score, per query."""
        out = np.full((scores.shape[0], len(self.docs)), -np.inf, dtype=np.float32)
        for j in range(scores.shape[0]):
            np.maximum.at(out[j], self.drow, scores[j])
        return out

    def evaluate(self, doc_scores: np.ndarray) -> dict:
        run = {}
        for j, qid in enumerate(self.qids):
            top = np.argsort(-doc_scores[j], kind="stable")[:100]
            run[qid] = {self.docs[i]: float(doc_scores[j][i]) for i in top}
        return beir.score_run(self.data.qrels, run)


def top_mask(scores: np.ndarray, k: int) -> np.ndarray:
    idx = np.argpartition(-scores, k, axis=1)[:, :k]
    mask = np.zeros(scores.shape, dtype=bool)
    np.put_along_axis(mask, idx, True, axis=1)
    return mask


def minmax(scores: np.ndarray, head: np.ndarray) -> np.ndarray:
    low = np.where(head, scores, np.inf).min(1, keepdims=True)
    high = np.where(head, scores, -np.inf).max(1, keepdims=True)
    return (scores - low) / np.maximum(high - low, 1e-12)


def zscore(scores: np.ndarray, head: np.ndarray) -> np.ndarray:
    n = head.sum(1, keepdims=True)
    mean = np.where(head, scores, 0).sum(1, keepdims=True) / n
    std = np.sqrt(np.where(head, (scores - mean) ** 2, 0).sum(1, keepdims=True) / n)
    return (scores - mean) / np.maximum(std, 1e-12)


def fuse(voices, weights, head_k=50, deep_k=300, norm=minmax, positive=None):
    """Weighted sum of normalised voices over candidates (each voice's top `deep_k`); each voice
    normalised over the union of the voices' top `head_k`."""
    head = np.zeros(voices[0].shape, dtype=bool)
    deep = np.zeros(voices[0].shape, dtype=bool)
    for n, scores in enumerate(voices):
        ok = (scores > 0) if positive and n in positive else True
        head |= top_mask(scores, head_k) & ok
        deep |= top_mask(scores, deep_k) & ok
    fused = sum(w * norm(s, head) for s, w in zip(voices, weights, strict=True))
    return np.where(deep, fused, -np.inf)


def feedback_bm25(m: Matrices, first: np.ndarray, docs=3, terms=10, alpha=0.2) -> np.ndarray:
    """RM3-like: the query's BM25 plus its top passages' most distinctive terms."""
    index = bm25.build([c.embed_text() for c in m.chunks], settings=Settings.from_env({}))
    tokens = bm25.tokenize([c.embed_text() for c in m.chunks])
    df = Counter(t for ts in tokens for t in set(ts))
    n = len(tokens)
    out = np.zeros_like(m.lexical)
    for j, query in enumerate(m.qtexts):
        weights: Counter = Counter()
        for row in np.argsort(-first[j])[:docs]:
            for t, f in Counter(tokens[row]).items():
                weights[t] += f / len(tokens[row]) * np.log(n / df[t])
        own = set(bm25.tokenize([query])[0])
        extra = [(t, w) for t, w in weights.most_common(terms + len(own)) if t not in own][:terms]
        total = sum(w for _, w in extra) or 1.0
        scores = (1 - alpha) * m.lexical[j]
        for t, w in extra:
            scores = scores + alpha * w / total * len(own) * np.asarray(index.get_scores([t]))
        out[j] = scores
    return out


def mpnet_matrix(m: Matrices, folder: Path) -> tuple[np.ndarray, np.ndarray]:
    """all-mpnet-base-v2 cosines (queries x passages) and which passages have a vector."""
    vectors = np.zeros((len(m.chunks), 768), dtype=np.float32)
    have = np.zeros(len(m.chunks), dtype=bool)
    for part in sorted(folder.glob("part-*-rows.npy")):
        rows = np.load(part)
        vectors[rows] = np.load(str(part).replace("-rows", ""))
        have[rows] = True
    texts = json.loads((folder / "queries.json").read_text())
    qvec = dict(zip(texts, np.load(folder / "queries.npy"), strict=True))
    queries = np.stack([qvec[t] for t in m.qtexts])
    return (queries @ vectors.T).astype(np.float32), have


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mpnet", type=Path, help="folder of bench/mpnet_vectors.py output")
    args = parser.parse_args()
    from fieldguide.embed import default_embedder

    m = Matrices(default_embedder())
    D, B = m.dense, m.lexical
    rows: dict[str, dict] = {}

    def record(name, doc_scores, note=""):
        rows[name] = {**m.evaluate(doc_scores), "note": note}
        print(f"{name:44} {rows[name]['ndcg@10']:.4f}  R@100 {rows[name]['recall@100']:.4f}")

    record("dense alone", m.doc_max(D))
    record("BM25 alone", m.doc_max(B))
    for k in (20, 30, 50, 100, 300):
        record(f"score-0.5 head {k}", m.doc_max(fuse([D, B], [0.5, 0.5], k, positive={1})))
    record("z-score 0.5 head 50", m.doc_max(fuse([D, B], [0.5, 0.5], norm=zscore, positive={1})))
    for w in (0.45, 0.55):
        record(f"score-{w} head 50", m.doc_max(fuse([D, B], [w, 1 - w], positive={1})))
    first = fuse([D, B], [0.5, 0.5], positive={1})
    Dd, Bd = m.doc_max(D), m.doc_max(B)
    record("documents fused (best passage per voice)", fuse([Dd, Bd], [0.5, 0.5], 100, 300))

    titles = m.cached(
        "title-vectors",
        lambda: m.embedder.encode([m.data.corpus[d][0] or "-" for d in m.docs], batch_size=64),
    )
    queries = np.load(m.folder / "queries.npy")
    T = (queries @ titles.T).astype(np.float32)
    record("+ title cosine voice 0.1", fuse([Dd, Bd, T], [0.45, 0.45, 0.1], 50, 300))
    bt = bm25.build([m.data.corpus[d][0] or "-" for d in m.docs], settings=Settings.from_env({}))
    BT = np.stack([bm25.scores(bt, t) for t in m.qtexts]).astype(np.float32)
    record("+ BM25 title field 0.1", m.doc_max(fuse([D, B + 0.1 * BT[:, m.drow]], [0.5, 0.5])))
    record("+ BM25 feedback (RM3-like)", m.doc_max(fuse([D, feedback_bm25(m, first)], [0.5, 0.5])))
    gap = []
    for S in (D, B):
        top = -np.sort(-S, axis=1)[:, :50]
        gap.append((top[:, 0] - top[:, 10]) / np.maximum(top[:, 0] - top[:, 49], 1e-9))
    w = (0.5 + 0.5 * (gap[0] / (gap[0] + gap[1]) - 0.5))[:, None]
    head = top_mask(D, 50) | (top_mask(B, 50) & (B > 0))
    per_query = w * minmax(D, head) + (1 - w) * minmax(B, head)
    record("per-query weights (score gaps)", m.doc_max(np.where(head, per_query, -np.inf)))

    if args.mpnet:
        M, have = mpnet_matrix(m, args.mpnet)
        note = f"mpnet vectors for {have.sum()} of {len(have)} passages"
        Md = m.doc_max(np.where(have, M, -1.0))
        record("mpnet alone (passages with vectors)", Md, note)
        for wm in (0.2, 0.33, 0.5):
            wd = (1 - wm) / 2
            record(
                f"MiniLM + mpnet {wm} + BM25",
                m.doc_max(fuse([D, np.where(have, M, 0), B], [wd, wm, wd], positive={2})),
                note,
            )
        for wm in (0.3, 0.5, 0.7):  # what an ensemble embedder ships: one concatenated vector
            both = (1 - wm) * D + wm * np.where(have, M, D)
            record(
                f"concatenated MiniLM + mpnet {wm} (one dense voice) + BM25",
                m.doc_max(fuse([both, B], [0.5, 0.5], positive={1})),
                note,
            )
        for depth in (10, 20, 30):
            first_docs = m.doc_max(first)
            order = np.argsort(-first_docs, axis=1)[:, :depth]
            rescored = first_docs.copy()
            for j in range(len(m.qids)):
                top = order[j]
                head_scores = first_docs[j][top]
                span = max(head_scores.max() - head_scores.min(), 1e-9)
                mix = 0.5 * (head_scores - head_scores.min()) / span + 0.5 * Md[j][top]
                rescored[j][top] = 10 + mix  # stays above the documents below the depth
            record(f"mpnet re-scores the top {depth} documents (0.5)", rescored, note)

    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / "fusion_variants.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
