"""The question set (../shared/eval/questions.jsonl) under ranking configurations, real model.

Usage: python bench/questions.py [--only NAME ...]   (writes bench/runs/questions.json)
The default corpus is indexed once per index-time setting into bench/cache/questions-*/.
Also reports how many SciFact queries abstain against the default corpus (they all should).
"""

from __future__ import annotations

import argparse
import dataclasses
import json

from threadpoolctl import threadpool_limits
from workspace import CACHE, CORPUS, QUESTIONS, RUNS, SCIFACT

from fieldguide.beir import load_beir
from fieldguide.build import build_index
from fieldguide.config import Settings
from fieldguide.engine import Engine
from fieldguide.evaluate import evaluate, load_questions


def engine_for(embedder, **overrides) -> Engine:
    """An engine over the default corpus, indexed under bench/cache for these settings."""
    settings = Settings.from_env({}, corpus=CORPUS, **overrides)
    key = f"questions-p{settings.chunk_tokens}-k{settings.bm25_k1}-b{settings.bm25_b}"
    key += "-" + settings.languages.replace(",", "")
    settings = dataclasses.replace(settings, index=CACHE / key)
    try:
        return Engine.open(settings, embedder)
    except Exception:  # noqa: BLE001 - not built yet (or stale): build it
        build_index([settings.corpus], settings, embedder)
        return Engine.open(settings, embedder)


def scifact_abstentions(engine: Engine) -> dict:
    """SciFact claims asked of the default corpus: the share that abstain."""
    queries = load_beir(SCIFACT).queries
    answered = [q for q in queries.values() if not engine.ask(q).abstained]
    return {
        "queries": len(queries),
        "abstained": round(1 - len(answered) / len(queries), 4),
        "answered": answered,
    }


N = {"rerank": "none"}  # first stage only
CONFIGS = {
    "default": {},
    "score-0.5": N,
    "rrf": {**N, "fusion": "rrf"},
    "score-0.6": {**N, "dense_weight": 0.6},
    "score-0.4": {**N, "dense_weight": 0.4},
    "no-code-weight": {**N, "code_dense_weight": 1.0},
    "sentences-0.3": {"rerank_weight": 0.3},
    "sentences-0.7": {"rerank_weight": 0.7},
    "sentences-d10": {"rerank_depth": 10},
    "no-cap": {"max_per_doc": 0},
    "p256-score-0.5": {**N, "chunk_tokens": 256},
    "p256-default": {"chunk_tokens": 256},
    "p128-score-0.5": {**N, "chunk_tokens": 128},
    "p128-default": {"chunk_tokens": 128},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--scifact", action="store_true", help="also run the abstention check")
    args = parser.parse_args()
    threadpool_limits(1, "blas")
    from fieldguide.embed import default_embedder

    embedder = default_embedder()
    out = RUNS / "questions.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = json.loads(out.read_text()) if out.exists() else {}
    questions = load_questions(QUESTIONS)
    for name, overrides in CONFIGS.items():
        if args.only and name not in args.only:
            continue
        engine = engine_for(embedder, **overrides)
        report = evaluate(questions, engine.ask)
        rows[name] = {
            "hit@1": report.hit_at_1,
            "answer_hit": report.answer_hit,
            "hit@3": report.hit_at_3,
            "mrr": report.mrr,
            "abstain": report.abstain_accuracy,
            "false_abstentions": report.false_abstentions,
            "misses": [f"{m.id}: {m.problem}" for m in report.misses],
            "overrides": overrides,
        }
        print(
            f"{name:16} hit@1 {report.hit_at_1:.3f} hit@3 {report.hit_at_3:.3f} "
            f"MRR {report.mrr:.3f} answer {report.answer_hit:.3f} "
            f"abstain {report.abstain_accuracy:.2f} "
            f"false-abstain {report.false_abstentions}  misses {rows[name]['misses']}",
            flush=True,
        )
        if args.scifact:
            rows[name]["scifact_abstain"] = scifact_abstentions(engine)
            print(f"{'':16} SciFact abstained {rows[name]['scifact_abstain']['abstained']:.3f}")
        out.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
