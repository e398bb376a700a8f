"""Evaluate: hit@1, hit@3, MRR and abstention accuracy over a JSONL question set."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .answer import Answer
from .errors import FieldGuideError


@dataclass
class Miss:
    """A question the system got wrong, and what it returned instead."""

    id: str
    question: str
    kind: str
    problem: str
    top: list[str] = field(default_factory=list)


@dataclass
class EvalReport:
    """Retrieval and abstention quality over a question set."""

    answerable: int
    unanswerable: int
    hit_at_1: float
    hit_at_3: float
    mrr: float
    abstain_accuracy: float
    false_abstentions: int
    misses: list[Miss] = field(default_factory=list)
    # share of answerable questions whose extractive answer itself holds an expected string
    answer_hit: float = 0.0


def load_questions(path: Path) -> list[dict]:
    """Questions from a JSONL file (`id`, `q`, `doc`, `expect`, `kind`)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError) as exc:
        raise FieldGuideError(f"Cannot read questions from {path}: {exc}") from None


def hit_rank(question: dict, answer: Answer) -> int | None:
    """1-based rank of the first passage from the expected doc containing an expected string."""
    expect = [e.lower() for e in question.get("expect", [])]
    for rank, hit in enumerate(answer.hits, start=1):
        right_doc = question.get("doc", "any") in ("any", hit.doc_id)
        if right_doc and any(e in hit.text.lower() for e in expect):
            return rank
    return None


def answer_holds(question: dict, answer: Answer) -> bool:
    """Whether the answer's own sentences (from the expected doc) hold an expected string."""
    expect = [e.lower() for e in question.get("expect", [])]
    return not answer.abstained and any(
        question.get("doc", "any") in ("any", c.doc_id) and e in c.sentence.lower()
        for c in answer.citations
        for e in expect
    )


def evaluate(questions: list[dict], ask) -> EvalReport:
    """Score `ask(question) -> Answer` on a question set.

    Args:
        questions: items as in `load_questions`.
        ask: callable returning an Answer with ranked hits.

    Returns:
        An EvalReport; answerable metrics average over non-`unanswerable` items.
    """
    ranks, misses, abstained_right, unanswerable, false_abstain = [], [], 0, 0, 0
    answered_right = 0
    for q in questions:
        answer = ask(q["q"])
        top = [f"{h.doc_id}: {h.text[:80]}" for h in answer.hits[:3]]
        if q.get("kind") == "unanswerable":
            unanswerable += 1
            # a partial answer that says what is missing declines the unanswerable part too
            declined = answer.abstained or bool(answer.missing)
            abstained_right += declined
            if not declined:
                misses.append(Miss(q["id"], q["q"], q["kind"], "answered, should abstain", top))
            continue
        rank = hit_rank(q, answer)
        ranks.append(rank)
        answered_right += answer_holds(q, answer)
        false_abstain += answer.abstained
        if rank is None or rank > 3:
            misses.append(
                Miss(
                    q["id"],
                    q["q"],
                    q.get("kind", ""),
                    f"expected passage at rank {rank or 'none'}",
                    top,
                )
            )
        elif answer.abstained:
            misses.append(Miss(q["id"], q["q"], q.get("kind", ""), "abstained wrongly", top))
    n = len(ranks) or 1
    return EvalReport(
        answerable=len(ranks),
        unanswerable=unanswerable,
        hit_at_1=round(sum(r == 1 for r in ranks) / n, 4),
        hit_at_3=round(sum(r is not None and r <= 3 for r in ranks) / n, 4),
        mrr=round(sum(1 / r for r in ranks if r) / n, 4),
        abstain_accuracy=round(abstained_right / unanswerable, 4) if unanswerable else 1.0,
        false_abstentions=false_abstain,
        misses=misses,
        answer_hit=round(answered_right / n, 4),
    )
