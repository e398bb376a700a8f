"""Calibrate: how likely the passages answer a question, from signals computed offline.

A single cosine threshold cannot tell "What is the penalty for prostitution?" from "What is
the statute of limitations for trafficking?": both are close to the same passages. A small
logistic model over several signals (the cosines, how much of the question the passages hold,
whether the retrievers agree, whether the asked kind of fact is there) can. It is fitted on the
dev question sets by `bench/calibrate.py`; its weights are JSON in the package, never pickle.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import bm25
from .question import CHECKED, Question, holds

WEIGHTS = Path(__file__).with_name("calibration.json")

SIGNALS = (
    "passage_cosine",  # best cosine of the top three passages
    "sentence_cosine",  # best cosine of one of their sentences
    "cosine_gap",  # how far the best passage's cosine beats the fourth passage's
    "terms_known",  # share of the question's content words that some passage holds
    "terms_in_top",  # most of the question's content words one top passage holds
    "rare_in_top",  # the same, each word weighted by its rarity among the passages
    "lexical",  # log(1 + best BM25 score of the top three)
    "agree",  # the first passage is also the best by cosine and by BM25 among the hits
    "fact_missing",  # the question asks a checked kind of fact no top sentence holds
    "short",  # the question has at most two content words
)


def signals(
    q: Question, hits: list, sentences: list[str], cosines, known, rarity=None
) -> dict[str, float]:
    """The calibration signals of a question against its ranked passages.

    Args:
        q: the analysed question.
        hits: ranked passages (at least one).
        sentences: the candidate answer sentences of the top passages.
        cosines: their cosines with the question.
        known: `known(term)`: whether some indexed passage holds a stemmed term.
        rarity: `rarity(term)`: 0 (a term in every passage) to 1 (in none); default 1.
    """
    rarity = rarity or (lambda term: 1.0)
    top = hits[:3]
    terms = q.terms
    dense = [h.dense for h in hits]
    in_top = [len(terms & bm25.content_terms(h.text)) / len(terms) for h in top] if terms else [0]
    weight = {t: rarity(t) for t in terms}
    total = sum(weight.values()) or 1.0
    rare = [sum(weight[t] for t in terms & bm25.content_terms(h.text)) / total for h in top]
    first = hits[0]
    agree = (first.dense >= max(dense)) + (first.lexical >= max(h.lexical for h in hits))
    fact = q.asks in CHECKED and not any(holds(q.asks, s) for s in sentences)
    return {
        "passage_cosine": max(h.dense for h in top),
        "sentence_cosine": float(max(cosines)) if len(cosines) else 0.0,
        "cosine_gap": max(h.dense for h in top) - (dense[3] if len(dense) > 3 else 0.0),
        "terms_known": sum(map(known, terms)) / len(terms) if terms else 1.0,
        "terms_in_top": max(in_top),
        "rare_in_top": max(rare) if terms else 0.0,
        "lexical": math.log1p(max(h.lexical for h in top)),
        "agree": agree / 2,
        "fact_missing": float(fact),
        "short": float(len(terms) <= 2),
    }


@dataclass(frozen=True)
class Calibration:
    """A fitted logistic model: P(answerable) = sigmoid(bias + Σ weight·signal)."""

    weights: dict[str, float]
    bias: float
    threshold: float  # answer at or above this probability (chosen on dev data)

    def probability(self, values: dict[str, float]) -> float:
        z = self.bias + sum(w * values[name] for name, w in self.weights.items())
        return 1 / (1 + math.exp(-z))


@lru_cache(maxsize=1)
def calibration(path: Path = WEIGHTS) -> Calibration | None:
    """The package's fitted calibration (None when it has not been fitted)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Calibration(data["weights"], data["bias"], data["threshold"])
