"""MiniLM as fp32 (ONNX Runtime), torch fp32 and int8 (ONNX), and txtai, side by side:
500-document index time and query encode latency on SciFact.

Usage (venv active): python bench/encoders.py [--docs 500] [--rounds 1] [--queries 200]
          [--txtai /work/txtai-venv/bin/python]
Each round builds the first --docs SciFact abstracts as text files with `build_index` (English
only, second stage kept: sentence vectors stored) with each encoder, and runs txtai's index of the
same documents in its own venv (bench/txtai_scifact.py --docs), interleaved so all three see the
same load. Query encodes run on one thread, as `search` runs them. Writes bench/runs/encoders.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from workspace import RUNS, SCIFACT, percentiles

from fieldguide import beir, embed
from fieldguide.build import build_index
from fieldguide.config import Settings
from fieldguide.search import one_thread

HERE = Path(__file__).resolve().parent


def timed_build(data, encoder: str, docs: int, rerank: str) -> dict:
    """Seconds `build_index` takes over the first `docs` documents with `encoder`."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for doc_id, (title, text) in list(data.corpus.items())[:docs]:
            (corpus / f"{doc_id}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
        settings = Settings.from_env(
            {},
            index=Path(tmp) / "index",
            corpus=corpus,
            rerank=rerank,
            languages="en",
            encoder=encoder,
        )
        embedder = embed.default_embedder(settings)  # loaded before the clock starts
        started = time.perf_counter()
        build_index([corpus], settings, embedder)
        seconds = time.perf_counter() - started
    return {"system": f"fieldguide {encoder} rerank={rerank}", "index_s": round(seconds, 1)}


def timed_txtai(python: str, docs: int) -> dict:
    """txtai's index time of the same documents, in its own venv."""
    done = subprocess.run(
        [python, str(HERE / "txtai_scifact.py"), "--docs", str(docs)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    timing = json.loads(done.stdout.strip().splitlines()[-1])
    return {"system": "txtai 9.14 hybrid", "index_s": timing["index_seconds"]}


def query_ms(data, queries: int) -> dict:
    """p50/p95 ms of one question's encode per encoder, interleaved question by question."""
    texts = list(data.queries.values())[:queries]
    models = {
        name: embed.default_embedder(Settings.from_env({}, encoder=name))
        for name in ("fp32", "int8", "torch")
    }
    times: dict[str, list[float]] = {name: [] for name in models}
    with one_thread():
        for model in models.values():
            model.encode_query("warm up")
        for text in texts:
            for name, model in models.items():
                begin = time.perf_counter()
                model.encode_query(text)
                times[name].append((time.perf_counter() - begin) * 1000)
    return {name: percentiles(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--txtai", default="/work/txtai-venv/bin/python")
    parser.add_argument("--plain", action="store_true", help="also builds without sentences")
    args = parser.parse_args()
    data = beir.load_beir(SCIFACT)
    result = {"when": time.strftime("%Y-%m-%d %H:%M"), "docs": args.docs, "builds": []}
    result["query_ms"] = query_ms(data, args.queries)
    print(json.dumps(result["query_ms"]), flush=True)
    runs = [("int8", "sentences"), ("fp32", "sentences"), ("torch", "sentences"), ("txtai", "")]
    if args.plain:
        runs += [("int8", "none"), ("fp32", "none"), ("torch", "none")]
    for n in range(args.rounds):
        for encoder, rerank in runs if n % 2 == 0 else runs[::-1]:
            load = os.getloadavg()[0]
            if encoder == "txtai":
                row = timed_txtai(args.txtai, args.docs)
            else:
                row = timed_build(data, encoder, args.docs, rerank)
            row.update(round=n, load_before=round(load, 1))
            result["builds"].append(row)
            print(json.dumps(row), flush=True)
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / "encoders.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
