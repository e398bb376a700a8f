"""The abstention threshold (`abstain_below`) swept over every question set at once.

Usage: python bench/abstain_threshold.py [--thresholds 0.2 0.22 0.25 0.28 0.3]
Prints, per threshold and set, the answerable questions falsely answered "not in these
documents" and the unanswerable ones declined (abstained, or partial saying what is missing),
so the default is chosen on all sets together: a lower threshold answers more paraphrases and
more off-topic questions alike. Retrieval does not depend on it. Writes
bench/runs/abstain_threshold.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json

from calibrate import covidfaq_engine
from quality import SETS
from spanish import engines
from threadpoolctl import threadpool_limits
from workspace import RUNS

from fieldguide.evaluate import evaluate, load_questions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.2, 0.22, 0.25, 0.3])
    args = parser.parse_args()
    built = engines()
    built["covid"] = covidfaq_engine()
    sets = {name: (built[engine], load_questions(path)) for name, (engine, path) in SETS.items()}
    results = {}
    print("| abstain_below | " + " | ".join(sets) + " |")
    print("|---|" + "---|" * len(sets))
    with threadpool_limits(1):
        for threshold in args.thresholds:
            cells = []
            for name, (engine, questions) in sets.items():
                original = engine.settings
                engine.settings = dataclasses.replace(original, abstain_below=threshold)
                try:
                    report = evaluate(questions, engine.ask)
                finally:
                    engine.settings = original
                results[f"{threshold}/{name}"] = {
                    "false_abstentions": report.false_abstentions,
                    "answerable": report.answerable,
                    "declined": report.abstain_accuracy,
                    "unanswerable": report.unanswerable,
                    "answer_hit": report.answer_hit,
                }
                cell = f"FA {report.false_abstentions}/{report.answerable}"
                if report.unanswerable:
                    cell += f", declined {report.abstain_accuracy:.1%} of {report.unanswerable}"
                cells.append(cell + f", holds {report.answer_hit:.1%}")
            print(f"| {threshold} | " + " | ".join(cells) + " |", flush=True)
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / "abstain_threshold.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
