"""Vectors: a build's FAISS index — exact below a passage count, approximate (HNSW or IVF) above.

Exact search scans every vector: on one thread it took 1.4 ms a query at 20k passages and
17.5 ms at 100k (growing with the index), while HNSW took 0.5 ms at 100k with recall@10 0.98
of exact (efSearch 128), and IVF 1.2 ms with 0.96 (`bench/scale.py`, docs/benchmarks.md). Below
`exact_below` the flat index is kept: there it is cheap, and exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FLAT, HNSW, IVF = "flat", "hnsw", "ivf"
HNSW_LINKS = 32  # neighbours per node
HNSW_BUILD_DEPTH = 64
# efSearch: at 1M passages recall@10 of exact was 0.874 at 128, 0.944 at 512 and 0.956 at
# 1024 (1.9 ms p50 on one thread; bench/scale.py, docs/benchmarks.md)
HNSW_SEARCH_DEPTH = 1024
IVF_PROBES = 32
IVF_TRAIN_PER_LIST = 64  # k-means sees this many vectors per list (FAISS warns below 39)


@dataclass(frozen=True)
class Layout:
    """Which FAISS index a build writes: `kind` above `exact_below` passages, flat below."""

    exact_below: int = 50_000
    kind: str = HNSW

    def kind_for(self, passages: int) -> str:
        """The index kind for a build of this many passages."""
        return FLAT if passages < self.exact_below else self.kind

    @classmethod
    def from_settings(cls, settings) -> Layout:
        """The layout the settings ask for (`exact_below`, `approximate`)."""
        return cls(settings.exact_below, settings.approximate)


def build(vectors: np.ndarray, dimension: int, kind: str):
    """A FAISS index of `kind` over normalised float32 `vectors` (inner product = cosine)."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dimension)
    if kind == HNSW:
        index = faiss.IndexHNSWFlat(dimension, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_BUILD_DEPTH
    elif kind == IVF:
        lists = max(1, int(math.sqrt(len(vectors))))
        index = faiss.IndexIVFFlat(
            faiss.IndexFlatIP(dimension), dimension, lists, faiss.METRIC_INNER_PRODUCT
        )
        sample = np.random.default_rng(0).permutation(len(vectors))[: lists * IVF_TRAIN_PER_LIST]
        index.train(vectors[np.sort(sample)])
        index.make_direct_map()  # stored vectors of any row stay reachable (`reconstruct`)
    else:
        index = faiss.IndexFlatIP(dimension)
    if len(vectors):
        index.add(vectors)
    return index


def kind_of(index) -> str:
    """Which of the kinds a loaded FAISS index is."""
    import faiss

    if hasattr(index, "kind"):  # another backend's vectors (`milvus_store.MilvusVectors`)
        return index.kind
    if isinstance(index, faiss.IndexHNSW):
        return HNSW
    if isinstance(index, faiss.IndexIVF):
        return IVF
    return FLAT


def search(
    index,
    query_vector: np.ndarray,
    k: int,
    allowed: np.ndarray | None = None,
    excluded: np.ndarray | None = None,
):
    """(scores, rows) of the top `k` rows, only `allowed` ones (a boolean mask) when given,
    never the `excluded` rows (sorted row numbers, few: a segment's replaced passages)."""
    import faiss

    if hasattr(index, "top"):  # another backend's vectors search themselves
        return index.top(query_vector, k, allowed)
    query = query_vector.reshape(1, -1).astype(np.float32)
    selector = None
    if allowed is not None:
        if excluded is not None and len(excluded):
            allowed = allowed.copy()
            allowed[excluded] = False
        selector = faiss.IDSelectorBatch(np.flatnonzero(allowed).astype(np.int64))
    elif excluded is not None and len(excluded):
        inner = faiss.IDSelectorBatch(excluded.astype(np.int64))  # must outlive the search
        selector = faiss.IDSelectorNot(inner)
    kind = kind_of(index)
    if kind == HNSW:
        params = faiss.SearchParametersHNSW(efSearch=max(HNSW_SEARCH_DEPTH, k), sel=selector)
    elif kind == IVF:
        params = faiss.SearchParametersIVF(nprobe=IVF_PROBES, sel=selector)
    else:
        params = faiss.SearchParameters(sel=selector) if selector is not None else None
    scores, rows = index.search(query, k, params=params)
    return scores[0], rows[0]


def stored(index, rows: list[int]) -> np.ndarray:
    """The stored vectors of some rows."""
    if hasattr(index, "vectors_of"):
        return index.vectors_of(rows)
    if not rows:
        return np.zeros((0, index.d), dtype=np.float32)
    return np.vstack([index.reconstruct(int(r)) for r in rows])
