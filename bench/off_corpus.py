"""Off-corpus questions asked of the three guides: how many are declined (abstained or partial).

Usage: python bench/off_corpus.py   (CovidFAQ dev, XQuAD English dev, SciFact's test claims)
"""

from __future__ import annotations

from calibrate import COVIDFAQ, XQUAD
from spanish import engines
from threadpoolctl import threadpool_limits
from workspace import SCIFACT

from fieldguide.beir import load_beir
from fieldguide.evaluate import load_questions


def main() -> None:
    engine = engines()["default"]
    sets = {
        "covidfaq": [q["q"] for q in load_questions(COVIDFAQ / "queries-dev.jsonl")],
        "xquad": [q["q"] for q in load_questions(XQUAD / "questions-en-dev.jsonl")],
        "scifact": list(load_beir(SCIFACT).queries.values()),
    }
    with threadpool_limits(1):
        for name, questions in sets.items():
            outcomes = [engine.ask(q).outcome for q in questions]
            declined = sum(o in ("abstained", "partial") for o in outcomes)
            print(f"{name}: {declined} of {len(outcomes)} declined")


if __name__ == "__main__":
    main()
