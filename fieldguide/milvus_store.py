"""Milvus: the second store backend — a build's passage vectors and BM25 in a Milvus collection.

Chosen with FIELDGUIDE_STORE=milvus (FAISS + bm25s stays the default). With FIELDGUIDE_MILVUS_URI
empty, Milvus Lite runs inside this process: the collection lives in the build folder
(`milvus.db/`) and its server listens on 127.0.0.1 only, so nothing leaves the machine. A URI
(`http://milvus.internal:19530`) points at the organisation's own Milvus cluster instead: one
collection per build, named after it. Passages, sentence vectors and the manifest stay in the
build folder either way. BM25 runs on Field Guide's own tokens (stemmed, codes expanded), so a
code such as "647(b)" is found the same way with both backends.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

from . import bm25
from . import vectors as vector_index
from .errors import FieldGuideError

FOLDER = "milvus.db"  # Milvus Lite's data, inside the build folder (not hashed: Milvus owns it)
KINDS = {"flat": "FLAT", "hnsw": "HNSW", "ivf": "IVF_FLAT"}


def _build_params(kind: str, count: int) -> dict:
    """Milvus's index parameters, the same as the FAISS backend's (`vectors.build`)."""
    if kind == vector_index.HNSW:
        return {"M": vector_index.HNSW_LINKS, "efConstruction": vector_index.HNSW_BUILD_DEPTH}
    if kind == vector_index.IVF:
        return {"nlist": max(1, int(count**0.5))}
    return {}


def _search_params(kind: str, k: int) -> dict:
    if kind == vector_index.HNSW:
        return {"ef": max(vector_index.HNSW_SEARCH_DEPTH, k)}
    if kind == vector_index.IVF:
        return {"nprobe": vector_index.IVF_PROBES}
    return {}


BATCH = 2_000


def _client(uri: str):
    try:
        from pymilvus import MilvusClient
    except ImportError:
        raise FieldGuideError(
            "FIELDGUIDE_STORE=milvus needs pymilvus and milvus-lite - install them with: "
            "pip install 'fieldguide[milvus]'"
        ) from None
    return MilvusClient(uri)


def location(build: Path, name: str, uri: str) -> tuple[str, str]:
    """(URI, collection) of a build: Milvus Lite in the build folder, or a server's collection."""
    if not uri:
        return str(build / FOLDER), "passages"
    return uri, "fieldguide_" + re.sub(r"\W", "_", name)


def release(build: Path) -> None:
    """Stop this process's Milvus Lite server of a build (its lock and files are then free)."""
    if "milvus_lite" not in sys.modules:  # this process started none
        return
    try:
        from milvus_lite import server_manager_instance
    except ImportError:
        return
    server_manager_instance.release_server(str(build / FOLDER))


def write(where: tuple[str, str], chunks, fields: dict[str, np.ndarray], kind: str, k1, b) -> None:
    """One collection: row id, Field Guide's BM25 tokens, and `fields` (name: a model's
    normalised vectors, one row per chunk)."""
    from pymilvus import DataType, Function, FunctionType

    uri, collection = where
    client = _client(uri)
    schema = client.create_schema()
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field(
        "tokens", DataType.VARCHAR, max_length=65_535, enable_analyzer=True,
        analyzer_params={"tokenizer": "standard"},
    )  # fmt: skip
    schema.add_field("bm25", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_function(Function("bm25", FunctionType.BM25, ["tokens"], ["bm25"]))
    params = client.prepare_index_params()
    params.add_index("bm25", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                     params={"bm25_k1": k1, "bm25_b": b})  # fmt: skip
    for name, values in fields.items():
        schema.add_field(name, DataType.FLOAT_VECTOR, dim=int(values.shape[1]))
        params.add_index(
            name, index_type=KINDS[kind], metric_type="IP", params=_build_params(kind, len(chunks))
        )
    if client.has_collection(collection):  # a crashed build's leftover of the same name
        client.drop_collection(collection)
    client.create_collection(collection, schema=schema, index_params=params)
    for lo in range(0, len(chunks), BATCH):
        part = chunks[lo : lo + BATCH]
        tokens = bm25.tokenize([c.embed_text() for c in part])
        rows = [{"id": lo + i, "tokens": " ".join(t)} for i, t in enumerate(tokens)]
        for name, values in fields.items():
            for i, row in enumerate(rows):
                row[name] = values[lo + i].tolist()
        client.insert(collection, rows)
    client.flush(collection)
    client.close()


def _only(allowed: np.ndarray | None, rows=None) -> str:
    """A filter expression: the `allowed` rows (a boolean mask), or these `rows` (ids)."""
    if rows is not None:
        return f"id in {[int(r) for r in rows]}"
    return "" if allowed is None else f"id in {np.flatnonzero(allowed).tolist()}"


class MilvusVectors:
    """One model's passage vectors in the collection, searched like a FAISS index."""

    def __init__(self, client, collection: str, field: str, dimension: int, count: int, kind):
        self.client, self.collection, self.field = client, collection, field
        self.d, self.ntotal, self.kind = dimension, count, kind

    def top(self, query_vector: np.ndarray, k: int, allowed: np.ndarray | None = None):
        """(scores, rows) of the k most similar rows (only `allowed` ones when given)."""
        found = self.client.search(
            self.collection, data=[np.asarray(query_vector, dtype=np.float32).tolist()],
            anns_field=self.field, limit=k, filter=_only(allowed),
            search_params={"metric_type": "IP", "params": _search_params(self.kind, k)},
        )[0]  # fmt: skip
        return np.array([h["distance"] for h in found]), np.array([h["id"] for h in found])

    def vectors_of(self, rows: list[int]) -> np.ndarray:
        """Stored vectors of some rows, in the order asked."""
        if not rows:
            return np.zeros((0, self.d), dtype=np.float32)
        got = self.client.get(self.collection, ids=list(map(int, rows)), output_fields=[self.field])
        by_id = {g["id"]: g[self.field] for g in got}
        return np.array([by_id[int(r)] for r in rows], dtype=np.float32)

    def reconstruct(self, row: int) -> np.ndarray:
        return self.vectors_of([row])[0]


class MilvusLexical:
    """BM25 over the collection's tokens."""

    def __init__(self, client, collection: str, count: int):
        self.client, self.collection, self.num_docs = client, collection, count

    def _search(self, tokens: list[str], limit: int, where: str) -> dict[int, float]:
        if not tokens or limit <= 0:
            return {}
        found = self.client.search(
            self.collection, data=[" ".join(tokens)], anns_field="bm25", limit=limit,
            filter=where, search_params={"metric_type": "BM25"},
        )[0]  # fmt: skip
        return {int(h["id"]): abs(float(h["distance"])) for h in found}  # a score, never < 0

    def lexical_search(self, query: str, k: int, allowed=None, also=()):
        """Top-k rows by BM25 and the scores of those and of the `also` rows (0: no term)."""
        tokens = bm25.tokenize([query])[0]
        top = self._search(tokens, min(k, self.num_docs, 16_384), _only(allowed))
        ranked = sorted(top, key=lambda r: (-top[r], r))
        rest = [r for r in dict.fromkeys(also) if r not in top]
        scores = {**top, **self._search(tokens, len(rest), _only(None, rest))}
        return ranked, {r: scores.get(r, 0.0) for r in dict.fromkeys([*ranked, *also])}


def open_build(where: tuple[str, str], dimension: int, kind: str, multilingual: int | None):
    """(main vectors, multilingual vectors or None, lexical) of a built collection."""
    uri, collection = where
    client = _client(uri)
    client.load_collection(collection)
    count = int(client.get_collection_stats(collection)["row_count"])
    main = MilvusVectors(client, collection, "dense", dimension, count, kind)
    voice = None
    if multilingual:
        voice = MilvusVectors(client, collection, "multilingual", multilingual, count, kind)
    return main, voice, MilvusLexical(client, collection, count)
