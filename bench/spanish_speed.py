"""What Spanish support costs: build time of the default corpus with and without the
multilingual voice, and the time to answer an English and a Spanish question.

Usage: python bench/spanish_speed.py [--runs 3]   (writes bench/runs/spanish_speed.json)

Each build starts from an empty index folder (every passage and sentence embedded), in this
process after the models have loaded once, as `fieldguide index` does after its start. Questions
are timed end to end through `Engine.ask` (language detection, encoding, search, second stage,
answer), each question asked three times, after one warm-up round. Records the load average:
the machine's two cores are shared.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from fieldguide import embed
from fieldguide.build import build_index
from fieldguide.config import Settings
from fieldguide.engine import Engine
from fieldguide.evaluate import load_questions

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def build_seconds(settings: Settings, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            fresh = dataclasses.replace(settings, index=Path(tmp) / "index")
            started = time.perf_counter()
            build_index([settings.corpus], fresh, embed.default_embedder())
            out.append(round(time.perf_counter() - started, 2))
    return out


def answer_ms(engine: Engine, questions: list[str], repeats: int = 3) -> dict:
    for q in questions:  # warm-up: first calls load the detector and fill caches
        engine.ask(q)
    times = []
    for _ in range(repeats):
        for q in questions:
            started = time.perf_counter()
            engine.ask(q)
            times.append(1000 * (time.perf_counter() - started))
    return {f"p{p}": round(float(np.percentile(times, p)), 1) for p in (50, 95)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="builds per setting")
    args = parser.parse_args()
    embed.default_embedder(), embed.multilingual_embedder()  # load both models first
    english = [q["q"] for q in load_questions(SHARED / "eval/questions.jsonl") if q["id"] != "d30"]
    spanish = [q["q"] for q in load_questions(ROOT / "bench/questions-es.jsonl")]
    result = {"load average before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        base = Settings.from_env({}, corpus=ROOT / "corpus", index=Path(tmp) / "index")
        for languages in ("en", "en,es"):
            settings = dataclasses.replace(base, languages=languages)
            result[f"build s, languages={languages}"] = build_seconds(settings, args.runs)
        build_index([base.corpus], base, embed.default_embedder())
        engine = Engine.open(base, embed.default_embedder())
        english_only = dataclasses.replace(
            engine, settings=dataclasses.replace(base, languages="en"), multilingual=None
        )
        result["English question ms, languages=en"] = answer_ms(english_only, english)
        result["English question ms, languages=en,es"] = answer_ms(engine, english)
        result["Spanish question ms, languages=en,es"] = answer_ms(engine, spanish)
    result["load average after"] = os.getloadavg()
    out = ROOT / "bench" / "runs" / "spanish_speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
