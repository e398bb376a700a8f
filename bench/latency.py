"""Speed on SciFact: build throughput vs bare model.encode, query latency vs bare query encode.

Usage: python bench/latency.py [--docs 600] [--queries 300]   (writes bench/runs/latency.json)
Needs the SciFact passage cache (python bench/scifact.py builds it). Records the load average,
since the machine's two cores are shared.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fieldguide import beir  # noqa: E402
from fieldguide.config import Settings  # noqa: E402
from fieldguide.search import _SENTENCE_VECTORS, hybrid_search  # noqa: E402

SCIFACT = ROOT.parent / "shared" / "bench" / "scifact"
CACHE = ROOT / "bench" / "cache"


def percentiles(ms: list[float]) -> dict:
    return {f"p{q}": round(float(np.percentile(ms, q)), 1) for q in (50, 95)}


def build_throughput(data, embedder, docs: int) -> dict:
    """Passages/s of the whole build (chunk, embed, FAISS, BM25) vs model.encode of the texts."""
    subset = dataclasses.replace(data, corpus=dict(list(data.corpus.items())[:docs]))
    settings = Settings.from_env({})
    started = time.perf_counter()
    chunks = beir.passages(subset, embedder.count_tokens, settings.chunk_tokens)
    chunked = time.perf_counter()
    vectors = embedder.encode([c.embed_text() for c in chunks])
    encoded = time.perf_counter()
    beir.memory_index(chunks, vectors, embedder, settings)
    built = time.perf_counter()
    texts = [c.embed_text() for c in chunks]
    bare_start = time.perf_counter()
    embedder.model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
    bare = time.perf_counter() - bare_start
    total = built - started
    return {
        "documents": docs,
        "passages": len(chunks),
        "build_seconds": round(total, 1),
        "chunk_seconds": round(chunked - started, 1),
        "encode_seconds": round(encoded - chunked, 1),
        "index_seconds": round(built - encoded, 1),
        "bare_encode_seconds": round(bare, 1),
        "build_passages_per_s": round(len(chunks) / total, 1),
        "bare_passages_per_s": round(len(chunks) / bare, 1),
        "ratio": round(bare / total, 3),
    }


def query_latency(data, embedder, queries: int) -> dict:
    """Per-query ms, interleaved per query so load swings hit every measurement alike.

    bare encode: `model.encode([query])` alone; default pipeline: `hybrid_search` with the
    defaults (encode + BM25 + FAISS + fusion + selection); second stage cold: no sentence seen
    before; warm: the same queries again, their sentences cached (as after a prewarm).
    """
    tokens = Settings.from_env({}).chunk_tokens
    chunks, vectors, _ = beir.cached_passages(data, embedder, tokens, CACHE)
    texts = list(data.queries.values())[:queries]
    default = Settings.from_env({}, rerank="none")
    second = Settings.from_env({}, rerank="sentences")
    index = beir.memory_index(chunks, vectors, embedder, default)
    timings: dict[str, list[float]] = {
        "bare query encode": [],
        "default pipeline (no second stage)": [],
        "+ sentence second stage, cold": [],
        "+ sentence second stage, warm": [],
    }
    names = list(timings)
    for n, text in enumerate(texts):
        t0 = time.perf_counter()
        embedder.model.encode([text], normalize_embeddings=True, show_progress_bar=False)
        t1 = time.perf_counter()
        hybrid_search(index, embedder, text, default)
        t2 = time.perf_counter()
        timings[names[0]].append((t1 - t0) * 1000)
        timings[names[1]].append((t2 - t1) * 1000)
        if n < queries // 4:  # cold runs cost ~1 s each on this machine: a quarter of them
            _SENTENCE_VECTORS.clear()
            t3 = time.perf_counter()
            hybrid_search(index, embedder, text, second)
            t4 = time.perf_counter()
            hybrid_search(index, embedder, text, second)
            timings[names[2]].append((t4 - t3) * 1000)
            timings[names[3]].append((time.perf_counter() - t4) * 1000)
    out = {name: percentiles(ms) for name, ms in timings.items()}
    out["ratio default / bare (p50)"] = {
        "p50": round(out[names[1]]["p50"] / out[names[0]]["p50"], 2),
        "p95": round(out[names[1]]["p95"] / out[names[0]]["p95"], 2),
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    threadpool_limits(1, "blas")
    from fieldguide.embed import default_embedder

    embedder = default_embedder()
    data = beir.load_beir(SCIFACT)
    embedder.encode_query("warm up")
    result = {"when": time.strftime("%Y-%m-%d %H:%M"), "load_before": os.getloadavg()}
    result["query_ms"] = query_latency(data, embedder, args.queries)
    print(json.dumps(result["query_ms"]), flush=True)
    if not args.skip_build:
        result["build"] = build_throughput(data, embedder, args.docs)
        print(json.dumps(result["build"]), flush=True)
    result["load_after"] = os.getloadavg()
    out = ROOT / "bench" / "runs" / "latency.json"
    if args.skip_build and out.exists():  # keep the last build measurement
        result["build"] = json.loads(out.read_text()).get("build")
    out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
