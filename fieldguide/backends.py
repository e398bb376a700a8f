"""Backends: where a build's passage vectors and BM25 live — FAISS + bm25s files, or Milvus.

`store` writes and loads a build (passages, sentence vectors, manifest, hashes, the atomic swap);
these functions write and open the part that differs between the two backends.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import bm25, milvus_store
from . import vectors as vector_index

MULTILINGUAL_VECTORS = "multilingual.faiss"


def write_faiss(staging: Path, manifest, chunks, vectors, multilingual) -> None:
    """The FAISS index of each model's passage vectors and the bm25s index of the passages."""
    import faiss

    dense = vector_index.build(vectors, manifest.dimension, manifest.vector_index)
    faiss.write_index(dense, str(staging / "vectors.faiss"))
    if multilingual is not None:
        dimension = int(manifest.multilingual["dimension"])
        voice = vector_index.build(multilingual[0], dimension, manifest.vector_index)
        faiss.write_index(voice, str(staging / MULTILINGUAL_VECTORS))
    lexical = bm25.build(
        [c.embed_text() for c in chunks] or [""], k1=manifest.bm25_k1, b=manifest.bm25_b
    )
    lexical.save(str(staging / "bm25"))
    manifest.bm25_avgdl = lexical.avgdl


def write_milvus(staging, name, uri, manifest, chunks, vectors, multilingual) -> None:
    """Each model's passage vectors and the passages' BM25 tokens in one Milvus collection."""
    from .config import Settings

    defaults = Settings.from_env()
    fields = {"dense": np.asarray(vectors, dtype=np.float32).reshape(-1, manifest.dimension)}
    if multilingual is not None:
        dimension = int(manifest.multilingual["dimension"])
        fields["multilingual"] = np.asarray(multilingual[0], np.float32).reshape(-1, dimension)
    where = milvus_store.location(staging, name, uri)
    k1 = defaults.bm25_k1 if manifest.bm25_k1 is None else manifest.bm25_k1
    b = defaults.bm25_b if manifest.bm25_b is None else manifest.bm25_b
    milvus_store.write(where, chunks, fields, manifest.vector_index, k1, b)
    milvus_store.release(staging)  # the folder is renamed next: its server must let go
    manifest.milvus_collection = where[1]


def open_search(build: Path, manifest, multilingual: bool):
    """(main vectors, multilingual vectors or None, BM25) of a build, from its backend."""
    if manifest.store == "milvus":
        from .config import Settings

        where = milvus_store.location(build, build.name, Settings.from_env().milvus_uri)
        dimension = int(manifest.multilingual["dimension"]) if multilingual else None
        try:
            return milvus_store.open_build(
                where, manifest.dimension, manifest.vector_index, dimension
            )
        except Exception as exc:  # pymilvus raises its own kinds; the user sees one line
            raise ValueError(f"Milvus: {exc}") from None
    import bm25s
    import faiss

    vectors = faiss.read_index(str(build / "vectors.faiss"))
    voice = faiss.read_index(str(build / MULTILINGUAL_VECTORS)) if multilingual else None
    # the postings stay on disk: the OS pages in those a query's terms need
    lexical = bm25s.BM25.load(str(build / "bm25"), mmap=True, show_progress=False)
    return vectors, voice, lexical
