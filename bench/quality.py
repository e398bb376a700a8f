"""Every quality row in one command, each beside its baselines (bench/runs/baselines.json).

Usage: python bench/quality.py [--no-scifact]   (writes bench/runs/quality.json, prints a table)

Rows: the shared 30 questions, domain-dev, domain-test and domain-holdout (bench/data/, 260
volunteer questions over the three guides), CovidFAQ dev (823 real user questions over its
FAQ), XQuAD English dev (537 questions over 48 articles; "answer holds": the answer's
sentences contain the gold span), SciFact nDCG@10. The decline rows count near-topic
unanswerable questions (and phone questions for organisations named without a number)
answered "not in these documents" or partial. Per-kind checks: see `fieldguide.evaluate.check_kind`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json

from calibrate import COVIDFAQ, DATA, XQUAD, corpus_engine, covidfaq_engine
from spanish import engines
from threadpoolctl import threadpool_limits
from workspace import QUESTIONS, RUNS, SCIFACT

from fieldguide import embed
from fieldguide.beir import evaluate_beir
from fieldguide.config import Settings
from fieldguide.evaluate import evaluate, load_questions

SETS = {  # name: (engine, questions)
    "shared-30": ("default", QUESTIONS),
    "domain-dev": ("default", DATA / "domain-dev.jsonl"),
    "domain-test": ("default", DATA / "domain-test.jsonl"),
    # written by a helper from the guides alone, never from this system's output or the sets
    # above (2026-12-02); its first run is in docs/benchmarks.md, fixes after it are not blind
    "domain-holdout": ("default", DATA / "domain-holdout.jsonl"),
    # a user's own ten documents in every format, written the same way (bench/data/userdocs)
    "userdocs": ("userdocs", DATA / "userdocs" / "questions.jsonl"),
    "covidfaq": ("covid", COVIDFAQ / "queries-dev.jsonl"),
    "xquad-en": ("xquad", XQUAD / "questions-en-dev.jsonl"),
}


def rows(scifact: bool) -> dict:
    built = engines()
    built["covid"] = covidfaq_engine()
    built["userdocs"] = corpus_engine(DATA / "userdocs" / "docs", "quality-userdocs")
    out = {}
    with threadpool_limits(1):
        for name, (engine, path) in SETS.items():
            report = evaluate(load_questions(path), built[engine].ask)
            data = dataclasses.asdict(report)
            data["misses"] = [m for m in data["misses"] if name.startswith("domain")]
            out[name] = data
    if scifact:
        report = evaluate_beir(SCIFACT, Settings.from_env(), embed.default_embedder())
        out["scifact"] = {"ndcg_at_10": report.ndcg_at_10, "recall_at_100": report.recall_at_100}
    return out


def table(results: dict, baselines: dict) -> str:
    lines = [
        "| set | Field Guide hit@1 / hit@3 / MRR | answer holds | false abstentions | declined "
        "| checks | txtai hybrid | BM25 | dense MiniLM |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        base = [_baseline(baselines, name, system) for system in ("txtai", "bm25", "dense")]
        if name == "scifact":
            lines.append(
                f"| SciFact (nDCG@10 / R@100) | {r['ndcg_at_10']:.4f} / {r['recall_at_100']:.4f} "
                f"| | | | | {' | '.join(base)} |"
            )
            continue
        checks = ", ".join(f"{k} {a}/{b}" for k, (a, b) in r["checks"].items())
        declined = (
            f"{r['abstain_accuracy']:.1%} of {r['unanswerable']}" if r["unanswerable"] else ""
        )
        lines.append(
            f"| {name} ({r['answerable']}) | {r['hit_at_1']:.3f} / {r['hit_at_3']:.3f} / "
            f"{r['mrr']:.3f} | {r['answer_hit']:.1%} | {r['false_abstentions']} "
            f"({r['false_abstentions'] / max(r['answerable'], 1):.1%}) | {declined} | {checks} | "
            f"{' | '.join(base)} |"
        )
    return "\n".join(lines)


# this script's set names as bench/baselines.py writes them
BASELINE_SETS = {"shared-30": "questions", "covidfaq": "covidfaq-dev", "xquad-en": "xquad-en-dev"}


def _baseline(baselines: dict, name: str, system: str) -> str:
    """ "hit@1 / hit@3" (or nDCG@10) of a baseline row from bench/baselines.py, if run."""
    row = baselines.get(BASELINE_SETS.get(name, name), {}).get(system)
    if not row:
        return "—"
    if "ndcg@10" in row:
        return f"{row['ndcg@10']:.4f}"
    return f"{row['hit@1']:.3f} / {row['hit@3']:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-scifact", action="store_true", help="skip the SciFact row")
    args = parser.parse_args()
    results = rows(not args.no_scifact)
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / "quality.json").write_text(json.dumps(results, indent=2) + "\n")
    path = RUNS / "baselines.json"
    baselines = json.loads(path.read_text()) if path.exists() else {}
    print(table(results, baselines))


if __name__ == "__main__":
    main()
