"""Scale: synthetic indexes of 100k and 1M passages — build, disk, memory, latency, recall.

Usage (niced, one size at a time; the 1M run takes ~30 min and ~20 GB of disk on two cores):
    nice -n 10 python bench/scale.py --passages 100000 --kinds hnsw ivf
    nice -n 10 python bench/scale.py --passages 1000000 --kinds hnsw

Text: the SciFact passages (the real chunker's, cached by bench/scifact.py or made here), each
repeated as variants: copy 0 is the passage itself; copy j has its sentences rotated by j, the
title "(site j)" and the sentence "Site j." in front. Vectors: copy 0 has the real MiniLM
vector; the other copies a cheap stand-in (their passage's vector mixed with another passage's
and Gaussian noise, renormalised), and every sentence the stand-in of its passage's vector plus
noise: the second stage's cost is measured, not its quality. Each measurement runs in a fresh
process (`measure`) so its RSS is that of an engine serving the index (model included).
Writes bench/runs/scale-<passages>.json. `--ef-sweep INDEX --work WORK/<passages>` measures a
built HNSW index's recall@10 and latency at several efSearch (the graph stays the same).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from workspace import RUNS, SCIFACT, percentiles

from fieldguide import beir
from fieldguide.build import file_hash
from fieldguide.chunk import Chunk
from fieldguide.config import Settings
from fieldguide.search import one_thread
from fieldguide.store import DocumentEntry, Manifest, write_index
from fieldguide.vectors import Layout

PER_DOCUMENT = 50  # synthetic passages per synthetic document
NOISE = 0.02  # per-dimension standard deviation of the stand-in's noise


def variant(base: Chunk, copy: int, row: int) -> Chunk:
    """Copy `copy` of a passage: sentences rotated, a site sentence in front."""
    if copy == 0:
        return Chunk(**{**base.__dict__, "chunk_id": f"r{row}", "doc_id": document_of(row)})
    texts = base.sentence_texts()
    turn = copy % len(texts)
    parts = [f"Site {copy}.", *texts[turn:], *texts[:turn]]
    spans, at = [], 0
    for part in parts:
        spans.append((at, at + len(part)))
        at += len(part) + 1
    text = " ".join(parts)
    return Chunk(
        f"r{row}", document_of(row), f"{base.title} (site {copy})", "", None, 0, len(text),
        text, document_of(row), spans[1:],
    )  # fmt: skip


def document_of(row: int) -> str:
    return f"doc{row // PER_DOCUMENT}"


def stand_in(base: np.ndarray, rows: np.ndarray, bases: int, rng) -> np.ndarray:
    """Vectors of `rows`: copy 0 its passage's own, the others mixed with another and noised."""
    own = base[rows % bases]
    copies = rows >= bases
    other = base[rng.integers(0, bases, len(rows))]
    weight = rng.uniform(0.75, 0.95, (len(rows), 1)).astype(np.float32)
    mixed = weight * own + (1 - weight) * other
    mixed += rng.normal(0, NOISE, mixed.shape).astype(np.float32)
    out = np.where(copies[:, None], mixed, own)
    return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


def synthesise(passages: int, work: Path, embedder):
    """Chunks, vectors (a .npy) and sentence vectors (a memory-mapped .npy) of the synthetic set."""
    data = beir.load_beir(SCIFACT)
    base_chunks, base_vectors, _ = beir.cached_passages(
        data, embedder, 200, beir.default_cache(), None
    )
    bases = len(base_chunks)
    chunks = [variant(base_chunks[r % bases], r // bases, r) for r in range(passages)]
    rng = np.random.default_rng(0)
    vectors = np.lib.format.open_memmap(
        work / "vectors.npy", "w+", np.float32, (passages, base_vectors.shape[1])
    )
    counts = np.array([len(c.sentence_texts()) for c in chunks])
    sentences = np.lib.format.open_memmap(
        work / "sentences.npy", "w+", np.float32, (int(counts.sum()), base_vectors.shape[1])
    )
    starts = np.concatenate([[0], np.cumsum(counts)])
    for lo in range(0, passages, 50_000):
        rows = np.arange(lo, min(lo + 50_000, passages))
        vectors[rows] = stand_in(base_vectors, rows, bases, rng)
        owners = np.repeat(rows, counts[rows])
        noisy = vectors[owners] + rng.normal(0, NOISE * 2, (len(owners), vectors.shape[1]))
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        sentences[starts[rows[0]] : starts[rows[-1] + 1]] = noisy
    vectors.flush()
    sentences.flush()
    return chunks, bases, data


def write_documents(chunks: list[Chunk], work: Path) -> Path:
    """Each synthetic document as a text file (its passages, a blank line apart), so that an
    update runs the library's own path: every file hashed, the changed one read and chunked."""
    folder = work / "documents"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    texts: dict[str, list[str]] = {}
    for c in chunks:
        texts.setdefault(c.doc_id, []).append(c.text)
    for doc, parts in texts.items():
        (folder / f"{doc}.txt").write_text("\n\n".join(parts) + "\n")
    return folder


def manifest_for(chunks: list[Chunk], embedder, documents: Path) -> Manifest:
    manifest = Manifest(embedder.name, embedder.weights_sha256, 384, 200)
    for doc in dict.fromkeys(c.doc_id for c in chunks):
        path = documents / f"{doc}.txt"
        stat = path.stat()  # as a build records a settled file: not read again when unchanged
        manifest.documents[doc] = DocumentEntry(
            file_hash(path), stat.st_size, title=doc, source=str(path), mtime_ns=stat.st_mtime_ns
        )
    for c in chunks:
        manifest.documents[c.doc_id].chunks += 1
    manifest.encoder = dict(embedder.encoder)
    defaults = Settings.from_env({})  # as a build records them (an update compares them)
    manifest.bm25_k1, manifest.bm25_b = defaults.bm25_k1, defaults.bm25_b
    return manifest


def build(chunks, embedder, work: Path, kind: str, exact_below: int) -> dict:
    """write_index of the whole set (FAISS, BM25, passages, sentence vectors, hashes)."""
    index_dir = work / f"index-{kind}"
    shutil.rmtree(index_dir, ignore_errors=True)
    vectors = np.load(work / "vectors.npy", mmap_mode="r")
    sentences = np.load(work / "sentences.npy", mmap_mode="r")
    layout = Layout(exact_below, kind)
    manifest = manifest_for(chunks, embedder, work / "documents")
    started = time.perf_counter()
    final = write_index(index_dir, manifest, chunks, vectors, sentences, None, layout)
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in final.rglob("*") if p.is_file())
    return {"build_s": round(seconds, 1), "disk_mb": round(size / 2**20), "index": str(index_dir)}


def update(engine, work: Path, texts: list[str], rounds: int = 3) -> dict:
    """One document changed, `rounds` times over, as the app rebuilds: `build_index` given the
    serving index (every file hashed, the changed one parsed, chunked and encoded with the real
    model, a segment written), then `engine.reload()`; then the queries on the segmented index.
    Last, the same update as `fieldguide index` runs it, in a process with no index open."""
    from fieldguide.build import build_index

    documents = work / "documents"
    path = sorted(documents.glob("*.txt"))[0]
    settings = engine.settings
    steps = []
    for n in range(rounds):
        path.write_text(path.read_text() + f"\n\nUpdate {n}: the clinic now opens at {n + 8} am.\n")
        begin = time.perf_counter()
        report = build_index([documents], settings, engine.embedder, serving=engine.index)
        built = time.perf_counter() - begin
        engine.reload()
        steps.append({
            "build_index_s": round(built, 2),
            "reload_s": round(time.perf_counter() - begin - built, 2),
            "updated": report.updated,
            "segment_passages": len(engine.index.segment.chunks),
        })  # fmt: skip
    hybrid, asked = [], []
    with one_thread():
        for q in texts:
            timed(hybrid, engine.search, q)
    for q in texts:
        timed(asked, engine.ask, q)
    path.write_text(path.read_text() + "\n\nUpdate: closed on holidays.\n")
    begin = time.perf_counter()
    build_index([documents], settings, engine.embedder)  # opens the serving build from disk
    cold = time.perf_counter() - begin
    return {
        "rounds": steps,
        "after_update_ms": {"search": percentiles(hybrid), "ask": percentiles(asked)},
        "cold_build_index_s": round(cold, 1),
    }


def rss_mb() -> dict:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return {k: round(int(fields[k].split()[0]) / 1024) for k in ("VmRSS", "RssAnon", "RssFile")}


def measure(index_dir: Path, work: Path, queries: int) -> dict:
    """In this (fresh) process: open an engine on the index, then time every stage per query."""
    from fieldguide.embed import default_embedder
    from fieldguide.engine import Engine
    from fieldguide.search import hybrid_search

    before = rss_mb()
    embedder = default_embedder()
    embedder.encode_query("warm up")
    model = rss_mb()
    settings = Settings.from_env({}, index=index_dir, languages="en")
    started = time.perf_counter()
    engine = Engine.open(settings, embedder)
    opened = time.perf_counter() - started
    loaded = rss_mb()
    index = engine.index
    texts = [q for q in beir.load_beir(SCIFACT).queries.values()][:queries]
    timing = {s: [] for s in ("encode", "dense", "bm25", "hybrid", "second_stage", "ask")}
    plain = Settings.from_env({}, index=index_dir, languages="en", rerank="none")
    vectors = []
    with one_thread():
        for q in texts:
            qvec = timed(timing["encode"], embedder.encode_query, q)
            vectors.append(qvec)
            timed(timing["dense"], index.dense, qvec, 50)
            timed(timing["bm25"], index.lexical_search, q, 50)
            timed(timing["hybrid"], hybrid_search, index, embedder, q, plain, None, None, qvec)
            stage = (index, embedder, q, settings, None, None, qvec, engine.sentences)
            timed(timing["second_stage"], hybrid_search, *stage)
    for q in texts:  # the engine's own call: encode, hybrid, second stage, answer
        begin = time.perf_counter()
        engine.ask(q)
        timing["ask"].append((time.perf_counter() - begin) * 1000)
    after = rss_mb()
    found = recall(index, np.vstack(vectors), work)
    return {
        "open_s": round(opened, 1),
        "rss_mb": {"start": before, "model": model, "loaded": loaded, "after_queries": after},
        "ms": {stage: percentiles(ms) for stage, ms in timing.items()},
        "recall_at_10": found,
        "update": update(engine, work, texts[:100]),
    }


def timed(into: list[float], call, *args):
    """call(*args), its milliseconds appended to `into`."""
    begin = time.perf_counter()
    out = call(*args)
    into.append((time.perf_counter() - begin) * 1000)
    return out


def recall(index, queries: np.ndarray, work: Path, k: int = 10) -> float:
    """Share of the exact top-k (every vector scanned) that the index's dense search returns."""
    vectors = np.load(work / "vectors.npy", mmap_mode="r")
    exact = np.zeros((len(queries), vectors.shape[0]), dtype=np.float32)
    for lo in range(0, vectors.shape[0], 200_000):
        exact[:, lo : lo + 200_000] = queries @ np.asarray(vectors[lo : lo + 200_000]).T
    truth = np.argpartition(-exact, k, axis=1)[:, :k]
    found = [{r for r, _ in index.dense(q, k)} for q in queries]
    return round(
        float(np.mean([len(set(t) & f) / k for t, f in zip(truth, found, strict=True)])), 4
    )


def ef_sweep(index_dir: Path, work: Path, queries: int) -> list[dict]:
    """Recall@10 and dense latency of a built HNSW index at several efSearch (search-time only)."""
    import faiss

    from fieldguide.embed import default_embedder
    from fieldguide.store import current_build

    embedder = default_embedder()
    texts = list(beir.load_beir(SCIFACT).queries.values())[:queries]
    vectors = np.vstack([embedder.encode_query(q) for q in texts]).astype(np.float32)
    stored = np.load(work / "vectors.npy", mmap_mode="r")
    exact = np.hstack([vectors @ np.asarray(stored[lo : lo + 200_000]).T
                       for lo in range(0, len(stored), 200_000)])  # fmt: skip
    truth = np.argpartition(-exact, 10, axis=1)[:, :10]
    graph = faiss.read_index(str(current_build(index_dir) / "vectors.faiss"))
    faiss.omp_set_num_threads(1)
    out = []
    for ef in (128, 256, 512, 1024):
        params, ms, found = faiss.SearchParametersHNSW(efSearch=ef), [], []
        for query, true in zip(vectors, truth, strict=True):
            begin = time.perf_counter()
            rows = graph.search(query[None], 50, params=params)[1][0]
            ms.append((time.perf_counter() - begin) * 1000)
            found.append(len(set(rows[:10]) & set(true)) / 10)
        out.append({"efSearch": ef, "recall_at_10": round(float(np.mean(found)), 4),
                    "ms": percentiles(ms, digits=2)})  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--kinds", nargs="+", default=["hnsw"], choices=["flat", "hnsw", "ivf"])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fieldguide-scale"))
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--ef-sweep", type=Path, help="a built HNSW index folder: recall by efSearch"
    )
    args = parser.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"
    if args.ef_sweep:
        print(json.dumps(ef_sweep(args.ef_sweep, args.work, args.queries), indent=1))
        return
    if args.measure:  # the child process: print one JSON line
        print(json.dumps(measure(args.measure, args.work, args.queries)))
        return
    from fieldguide.embed import default_embedder

    work = args.work / str(args.passages)
    work.mkdir(parents=True, exist_ok=True)
    embedder = default_embedder()
    started = time.perf_counter()
    chunks, bases, _ = synthesise(args.passages, work, embedder)
    write_documents(chunks, work)
    result = {
        "passages": args.passages,
        "base_passages_real_vectors": bases,
        "sentences": int(np.load(work / "sentences.npy", mmap_mode="r").shape[0]),
        "synthesis_s": round(time.perf_counter() - started, 1),
        "load_average_start": os.getloadavg(),
        "kinds": {},
    }
    print(json.dumps(result), flush=True)
    for kind in args.kinds:
        built = build(chunks, embedder, work, kind, exact_below=1 if kind != "flat" else 10**12)
        child = subprocess.run(
            [sys.executable, __file__, "--measure", built["index"], "--work", str(work),
             "--queries", str(args.queries)],
            stdout=subprocess.PIPE, text=True, check=True,
        )  # fmt: skip
        built.update(json.loads(child.stdout.strip().splitlines()[-1]))
        built["load_average"] = os.getloadavg()
        result["kinds"][kind] = built
        print(kind, json.dumps(built), flush=True)
        shutil.rmtree(built["index"], ignore_errors=True)
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / f"scale-{args.passages}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
