"""Evaluate: hit@1, hit@3, MRR and abstention accuracy over a JSONL question set."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .answer import Answer
from .errors import FieldGuideError
from .resources import find_numbers
from .safety import contact_rank

# kinds whose right outcome is to decline (not covered, or partial saying what is missing)
DECLINE = ("unanswerable", "phone-missing")


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
    # answerable questions answered as partial (said something asked is not in the documents)
    partial: int = 0
    # per kind of check: [right, total] (see `check_kind`)
    checks: dict[str, list[int]] = field(default_factory=dict)


def load_questions(path: Path) -> list[dict]:
    """Questions from a JSONL file (`id`, `q`, `doc`, `expect`, `kind`; optional `also`: other
    documents holding the answer)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError) as exc:
        raise FieldGuideError(f"Cannot read questions from {path}: {exc}") from None


def _right_doc(question: dict, doc_id: str) -> bool:
    """Whether `doc_id` is the question's expected document ("doc"), or one of the others that
    also hold the answer ("also": a collection repeats facts across files)."""
    expected = [question.get("doc", "any"), *question.get("also", [])]
    return "any" in expected or doc_id in expected


def hit_rank(question: dict, answer: Answer) -> int | None:
    """1-based rank of the first passage from the expected doc containing an expected string."""
    expect = [e.lower() for e in question.get("expect", [])]
    for rank, hit in enumerate(answer.hits, start=1):
        if _right_doc(question, hit.doc_id) and any(e in hit.text.lower() for e in expect):
            return rank
    return None


def answer_holds(question: dict, answer: Answer) -> bool:
    """Whether the answer's own sentences (from the expected doc) hold an expected string."""
    expect = [e.lower() for e in question.get("expect", [])]
    return not answer.abstained and any(
        _right_doc(question, c.doc_id) and e in c.sentence.lower()
        for c in answer.citations
        for e in expect
    )


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())[-10:]


def check_kind(question: dict, answer: Answer) -> bool | None:
    """The kind's own test of an answer (None for kinds without one).

    - phone: the answer gives an expected (the asked organisation's) number, and every
      answer sentence giving a number gives an expected one (a sentence may list two
      organisations' numbers, each beside its name; a sentence giving only another's fails);
    - phone-missing: the answer gives no phone number and is partial or not covered;
    - danger: urgent, and the first answer sentence gives an emergency or hotline number;
    - violence: not treated as urgent (a question about violence, not an emergency).
    """
    kind = question.get("kind")
    per_sentence = [
        {_digits(n.written) for n in find_numbers(c.sentence) if n.kind == "phone"}
        for c in answer.citations
    ]
    given = [numbers for numbers in per_sentence if numbers]
    if kind == "phone":
        right = {_digits(e) for e in question.get("expect", [])}
        return bool(given) and all(numbers & right for numbers in given)
    if kind == "phone-missing":
        return not given and answer.outcome in ("partial", "abstained")
    if kind == "danger":
        first = answer.citations[0].sentence if answer.citations else ""
        return answer.urgent and contact_rank(first) <= 1
    if kind == "violence":
        return not answer.urgent
    return None


def evaluate(questions: list[dict], ask) -> EvalReport:
    """Score `ask(question) -> Answer` on a question set.

    Args:
        questions: items as in `load_questions`.
        ask: callable returning an Answer with ranked hits.

    Returns:
        An EvalReport; answerable metrics average over non-`unanswerable` items.
    """
    ranks, misses, abstained_right, unanswerable, false_abstain = [], [], 0, 0, 0
    answered_right, partial, checks = 0, 0, {}
    for q in questions:
        answer = ask(q["q"])
        top = [f"{h.doc_id}: {h.text[:80]}" for h in answer.hits[:3]]
        check = check_kind(q, answer)
        if check is not None:
            tally = checks.setdefault(q["kind"], [0, 0])
            tally[0] += check
            tally[1] += 1
            if not check:
                misses.append(Miss(q["id"], q["q"], q["kind"], f"{q['kind']} check failed", top))
        if q.get("kind") in DECLINE:
            unanswerable += 1
            # a partial answer that says what is missing declines the unanswerable part too
            declined = answer.outcome in ("abstained", "partial")
            abstained_right += declined
            if not declined:
                misses.append(Miss(q["id"], q["q"], q["kind"], "answered, should abstain", top))
            continue
        rank = hit_rank(q, answer)
        ranks.append(rank)
        answered_right += answer_holds(q, answer)
        false_abstain += answer.abstained
        partial += answer.outcome == "partial"
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
        partial=partial,
        checks=checks,
    )
