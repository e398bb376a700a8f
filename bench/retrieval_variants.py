"""Query-time ranking settings on all dev sets together (hit@1 / hit@3 of `Engine.search`).

Usage: python bench/retrieval_variants.py [--sets NAME ...]   (writes bench/runs/variants.json)

Sets: the shared 30, domain-dev, CovidFAQ dev, XQuAD English dev, the 54 Spanish questions
over the guides (never domain-test). A default
is chosen on the mean over the sets, not on one of them.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from types import SimpleNamespace

from calibrate import COVIDFAQ, DATA, XQUAD, corpus_engine, covidfaq_engine
from spanish import engines
from threadpoolctl import threadpool_limits
from workspace import QUESTIONS, ROOT, RUNS

from fieldguide.evaluate import DECLINE, hit_rank, load_questions

SETS = {
    "shared-30": ("default", QUESTIONS),
    "domain-dev": ("default", DATA / "domain-dev.jsonl"),
    "covidfaq": ("covid", COVIDFAQ / "queries-dev.jsonl"),
    "xquad-en": ("xquad", XQUAD / "questions-en-dev.jsonl"),
    "spanish": ("default", ROOT / "bench" / "questions-es.jsonl"),
    # written blind, then read for misses (docs/benchmarks.md): dev sets now
    "domain-holdout": ("default", DATA / "domain-holdout.jsonl"),
    "userdocs": ("userdocs", DATA / "userdocs" / "questions.jsonl"),
}
VARIANTS = {
    "default": {},
    "dense-0.6": {"dense_weight": 0.6},
    "dense-0.7": {"dense_weight": 0.7},
    "dense-0.8": {"dense_weight": 0.8},
    "sentences-0.3": {"rerank_weight": 0.3},
    "sentences-0.7": {"rerank_weight": 0.7},
    "dense-0.7-sentences-0.7": {"dense_weight": 0.7, "rerank_weight": 0.7},
    "first-stage": {"rerank": "none"},
    "dense-only": {"dense_weight": 1.0, "rerank": "none"},
    "dense-1.0": {"dense_weight": 1.0},
    "dense-0.8-sentences-0.3": {"dense_weight": 0.8, "rerank_weight": 0.3},
    # the multilingual model's share in the ranking of English questions (0.4 the default)
    "second-0": {"multilingual_english_weight": 0.0},
    "second-0.2": {"multilingual_english_weight": 0.2},
    "second-0.55": {"multilingual_english_weight": 0.55},
    "second-0.7": {"multilingual_english_weight": 0.7},
    "cap-0": {"max_per_doc": 0},
    "cap-3": {"max_per_doc": 3},
}


def score(engine, questions: list[dict]) -> dict:
    ranks = []
    for q in questions:
        if q.get("kind") in DECLINE:
            continue
        ranks.append(hit_rank(q, SimpleNamespace(hits=engine.search(q["q"]))))
    n = len(ranks) or 1
    return {
        "hit@1": round(sum(r == 1 for r in ranks) / n, 4),
        "hit@3": round(sum(r is not None and r <= 3 for r in ranks) / n, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=list(SETS))
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS))
    args = parser.parse_args()
    built = engines()
    built["covid"] = covidfaq_engine()
    built["userdocs"] = corpus_engine(DATA / "userdocs" / "docs", "quality-userdocs")
    results = {}
    with threadpool_limits(1):
        for variant in args.variants:
            results[variant] = {}
            for name in args.sets:
                engine_name, path = SETS[name]
                engine = built[engine_name]
                before = engine.settings
                engine.settings = dataclasses.replace(before, **VARIANTS[variant])
                results[variant][name] = score(engine, load_questions(path))
                engine.settings = before
            cells = results[variant]
            mean = sum(c["hit@1"] for c in cells.values()) / len(cells)
            results[variant]["mean hit@1"] = round(mean, 4)
            print(variant, json.dumps(cells), flush=True)
    (RUNS / "variants.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
