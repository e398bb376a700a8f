"""Query time against bare query encoding on the default corpus's `en,es` index.

Usage: python bench/ask_latency.py [--rounds 3]   (writes bench/runs/ask_latency.json)

An English question on an index with the multilingual voice is encoded twice (MiniLM, and
multilingual-e5 for the second voice), so "bare query encoding" is measured both ways: MiniLM
alone, and both encodes; then again with the second voice off (`multilingual_english_weight`
0: MiniLM and BM25 alone). Each English question of domain-dev is timed bare, then through
`Engine.ask` (language detection, encodes, search, second stage, answer), back to back on one
thread, after one warm-up round. Records the load average: the two cores are shared.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time

from calibrate import DATA
from spanish import engines
from threadpoolctl import threadpool_limits
from workspace import RUNS, percentiles

from fieldguide.evaluate import load_questions
from fieldguide.search import one_thread


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def measure(engine, questions: list[str], rounds: int) -> dict:
    minilm, e5, ask = [], [], []
    with threadpool_limits(1), one_thread():
        for q in questions:  # warm-up
            engine.ask(q)
        for _ in range(rounds):
            for q in questions:
                minilm.append(timed(lambda q=q: engine.embedder.encode_query(q)))
                e5.append(timed(lambda q=q: engine.multilingual.encode_query(q)))
                ask.append(timed(lambda q=q: engine.ask(q)))
    both = [a + b for a, b in zip(minilm, e5, strict=True)]
    out = {
        "bare MiniLM encode": percentiles(minilm),
        "bare e5 encode": percentiles(e5),
        "bare encodes, both": percentiles(both),
        "Engine.ask": percentiles(ask),
    }
    for name, basis in (("MiniLM", out["bare MiniLM encode"]), ("both", out["bare encodes, both"])):
        out[f"ratio ask / {name}"] = {k: round(out["Engine.ask"][k] / basis[k], 2) for k in basis}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    engine = engines()["default"]
    questions = [q["q"] for q in load_questions(DATA / "domain-dev.jsonl")]
    english = [q for q in questions if engine.language_of(q) == "en"]
    before = os.getloadavg()
    result = {"default": measure(engine, english, args.rounds)}
    engine.settings = dataclasses.replace(engine.settings, multilingual_english_weight=0.0)
    result["second voice off"] = measure(engine, english, args.rounds)
    result["questions"] = len(english)
    result["load before / after"] = [round(x, 2) for x in (*before, *os.getloadavg())]
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / "ask_latency.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
