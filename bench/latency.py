"""Speed on SciFact: build throughput vs bare model.encode, query latency vs bare query encode.

Usage: python bench/latency.py [--docs 600] [--queries 300]   (writes bench/runs/latency.json)
Needs the SciFact passage cache (python bench/scifact.py builds it). Records the load average,
since the machine's two cores are shared.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from workspace import CACHE, RUNS, SCIFACT, percentiles

from fieldguide import beir
from fieldguide.config import Settings
from fieldguide.rerank import SentenceVectors
from fieldguide.search import hybrid_search, one_thread


def build_throughput(data, embedder, docs: int, rerank: str = "sentences") -> dict:
    """`fieldguide index` (read, chunk, embed passages and sentences, FAISS, BM25, write) over
    the first `docs` SciFact documents as text files, vs bare `model.encode` of the same texts."""
    from fieldguide.build import build_index
    from fieldguide.store import load_index

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for doc_id, (title, text) in list(data.corpus.items())[:docs]:
            (corpus / f"{doc_id}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
        # English-only builds, comparable with bare MiniLM encodes and with txtai; what the
        # multilingual voice adds is measured by bench/spanish_speed.py
        settings = Settings.from_env(
            {}, index=Path(tmp) / "index", corpus=corpus, rerank=rerank, languages="en"
        )
        started = time.perf_counter()
        build_index([corpus], settings, embedder)
        total = time.perf_counter() - started
        index = load_index(settings.index, embedder.name, embedder.weights_sha256, 384)
    passages = [c.embed_text() for c in index.chunks]
    # the sentences a build encodes: none without the second stage
    sentences = (
        [t for c in index.chunks for t in c.sentence_texts()] if index.manifest.sentences else []
    )
    bare = {}
    for name, texts in (("passages", passages), ("sentences", sentences)):
        begin = time.perf_counter()
        if hasattr(embedder, "model"):  # fp32: sentence-transformers' own encode
            embedder.model.encode(
                texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False
            )
        else:  # int8: the ONNX session has no bare encode of its own
            embedder.encode(texts)
        bare[name] = time.perf_counter() - begin
    both = bare["passages"] + bare["sentences"]
    return {
        "documents": docs,
        "passages": len(passages),
        "sentences": len(sentences),
        "build_seconds": round(total, 1),
        "bare_passages_seconds": round(bare["passages"], 1),
        "bare_sentences_seconds": round(bare["sentences"], 1),
        "build_passages_per_s": round(len(passages) / total, 1),
        "bare_passages_per_s": round(len(passages) / bare["passages"], 1),
        "ratio": round(both / total, 3),
    }


def query_latency(data, embedder, queries: int) -> dict:
    """Per-query ms of each measurement, one after the other on a quiet machine.

    bare encode: `model.encode([query])` alone, on one thread as the pipeline encodes (and, for
    reference, on the process's default two threads, last); first stage: `hybrid_search` without the
    second stage (encode + BM25 + FAISS + fusion + selection); second stage, encoding sentences:
    an index built without sentence vectors, none seen before; stored: the same query again,
    its sentences' vectors at hand as an index built with them (the default) serves them.
    """
    tokens = Settings.from_env({}).chunk_tokens
    chunks, vectors, _ = beir.cached_passages(data, embedder, tokens, CACHE)
    texts = list(data.queries.values())[:queries]
    default = Settings.from_env({}, rerank="none")
    second = Settings.from_env({}, rerank="sentences")
    index = beir.memory_index(chunks, vectors, embedder, default)
    timings: dict[str, list[float]] = {
        "bare query encode (one thread)": [],
        "first stage only": [],
        "+ sentence second stage, encoding sentences (index built without them)": [],
        "+ sentence second stage, sentence vectors stored (default)": [],
        "bare query encode, two threads (for reference)": [],
    }
    names = list(timings)
    # the sentence vectors an index built with them holds: every sentence these queries' second
    # stage needs, encoded once up front (untimed) and served from the stored table
    warm = SentenceVectors(embedder)
    for text in texts:
        hybrid_search(index, embedder, text, second, sentences=warm)
    stored = SentenceVectors(embedder)
    stored.serve_stored(*warm.kept())

    # one phase per measurement, each over every query: switching a thread between one and two
    # OpenMP threads query by query made the bare encode itself swing from 17 to 37 ms p50
    def timed(name, run, some=texts):
        for text in some:
            started = time.perf_counter()
            run(text)
            timings[name].append((time.perf_counter() - started) * 1000)

    def bare(text):
        if hasattr(embedder, "model"):
            embedder.model.encode([text], normalize_embeddings=True, show_progress_bar=False)
        else:
            embedder.encode_query(text)

    with one_thread():
        timed(names[0], bare)
    timed(names[1], lambda text: hybrid_search(index, embedder, text, default))
    timed(names[3], lambda text: hybrid_search(index, embedder, text, second, sentences=stored))
    unseen = SentenceVectors(embedder)
    # encoding runs cost ~1.7 s each on this machine: a quarter of the queries
    timed(
        names[2],
        lambda text: hybrid_search(index, embedder, text, second, sentences=unseen),
        texts[: len(texts) // 4],
    )
    timed(names[4], bare)
    out = {name: percentiles(ms) for name, ms in timings.items()}
    for name, row in (("first stage", 1), ("default", 3)):
        out[f"ratio {name} / bare"] = {
            q: round(out[names[row]][q] / out[names[0]][q], 2) for q in ("p50", "p95")
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--skip-build", action="store_true", help="keep the last build numbers")
    parser.add_argument("--skip-queries", action="store_true", help="keep the last query numbers")
    parser.add_argument(
        "--plain", action="store_true", help="also time a build without sentence vectors"
    )
    args = parser.parse_args()
    from fieldguide.embed import default_embedder

    embedder = default_embedder()
    data = beir.load_beir(SCIFACT)
    embedder.encode_query("warm up")
    out = RUNS / "latency.json"
    last = json.loads(out.read_text()) if out.exists() else {}
    result = dict(last)
    if not args.skip_queries:
        result.update(when=time.strftime("%Y-%m-%d %H:%M"), load_before=os.getloadavg())
        result["query_ms"] = query_latency(data, embedder, args.queries)
        result["load_after"] = os.getloadavg()
        print(json.dumps(result["query_ms"]), flush=True)
    if not args.skip_build:
        result["build_load_before"] = os.getloadavg()
        result["build"] = build_throughput(data, embedder, args.docs)
        result["build_when"] = time.strftime("%Y-%m-%d %H:%M")
        print(json.dumps(result["build"]), flush=True)
    if args.plain:
        result["build_plain"] = build_throughput(data, embedder, args.docs, rerank="none")
        print(json.dumps(result["build_plain"]), flush=True)
    out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
