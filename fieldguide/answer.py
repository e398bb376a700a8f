"""Answer: an extractive answer of verbatim source sentences, each cited, or an abstention."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from . import bm25
from .config import Settings
from .search import Hit

NOT_COVERED = (
    "These documents don't seem to cover that question. "
    "Try other words, or check the passages below."
)
PASSAGES_FOR_ANSWER = 3


@dataclass
class Citation:
    """Where one answer sentence comes from; `n` is its passage's number in the hit list."""

    n: int
    doc_id: str
    title: str
    section: str
    page: int | None
    sentence: str
    start: int = 0
    end: int = 0
    source: str = ""


@dataclass
class Answer:
    """The extractive answer, its citations, and the passages it was drawn from."""

    question: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)


# below this cosine the best passage is off-topic unless it shares most of the question's words
LEXICAL_RESCUE_COSINE = 0.15
LEXICAL_RESCUE_OVERLAP = 0.6
# an answer sentence whose passage lacks the place the question names ("near Westlake") loses this
NAME_PENALTY = 0.5
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def question_names(question: str) -> set[str]:
    """Stemmed capitalised words of a question (question words and "I" dropped).

    A question in capitals (or with no lower case) has none we can tell. Sentence-initial words
    stay ("Westlake shelters?"): `_missing_names` keeps only those that title a document.
    """
    if not any(ch.islower() for ch in question):
        return set()
    names = [w for w in _WORD.findall(question) if w[0].isupper() and w != "I"]
    return bm25.content_terms(" ".join(names)) if names else set()


def term_overlap(question_terms: set[str], text: str) -> float:
    """Share of the question's content terms (stemmed, no stop words) found in a text."""
    if not question_terms:
        return 0.0
    return len(question_terms & bm25.content_terms(text)) / len(question_terms)


def pick_sentences(scores: list[float], limit: int, relative: float = 0.85) -> list[int]:
    """Indices of the best sentence and of up to `limit - 1` others scoring close to it."""
    if not scores:
        return []
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    best = scores[order[0]]
    return [i for i in order[:limit] if scores[i] >= best * relative or i == order[0]]


def is_covered(question: str, hits: list[Hit], threshold: float) -> bool:
    """Whether a top passage is close enough to the question to answer from.

    Close means a cosine of at least `threshold`, or a weaker cosine with most of the question's
    topic words present (acronyms and names the model does not know, e.g. "LAPD CLEAR team"),
    or most of them with every code or number of the question ("pc 647b", a phone number).
    """
    terms = bm25.content_terms(question)
    codes = {t for t in terms if any(ch.isdigit() for ch in t)}
    for hit in hits[:PASSAGES_FOR_ANSWER]:
        if hit.dense >= threshold:
            return True
        passage_terms = bm25.content_terms(hit.text)
        shared = len(terms & passage_terms) / len(terms) if terms else 0.0
        exact_code = bool(codes) and codes <= passage_terms
        if shared >= LEXICAL_RESCUE_OVERLAP and (hit.dense >= LEXICAL_RESCUE_COSINE or exact_code):
            return True
    return False


def compose_answer(
    question: str,
    hits: list[Hit],
    embedder,
    settings: Settings,
    query_vector: np.ndarray | None = None,
) -> Answer:
    """Pick the 1-3 source sentences that best answer `question`, copied verbatim and cited.

    Args:
        question: the question as typed.
        hits: ranked passages from `hybrid_search`.
        embedder: encodes the candidate sentences.
        settings: abstention threshold and answer length.
        query_vector: the question's vector, if already computed.

    Returns:
        An Answer; `abstained` is True when the passages don't seem to answer the question.
    """
    if not is_covered(question, hits, settings.abstain_below):
        return Answer(question, NOT_COVERED, True, [], hits)
    candidates = [
        (n, s, e, text)
        for n, hit in enumerate(hits[:PASSAGES_FOR_ANSWER], start=1)
        for s, e, text in hit.sentence_texts()
        if len(text.split()) >= 3
    ]
    if not candidates:
        return Answer(question, NOT_COVERED, True, [], hits)
    qvec = embedder.encode_query(question) if query_vector is None else query_vector
    vectors = embedder.encode([c[3] for c in candidates])
    terms = bm25.content_terms(question)
    missing = _missing_names(question, hits[:PASSAGES_FOR_ANSWER])
    # semantic closeness, plus exact question words, plus a nudge for higher-ranked passages,
    # minus a penalty when the passage is about another place or body than the one named
    scores = [
        float(vectors[i] @ qvec)
        + 0.3 * term_overlap(terms, c[3])
        - 0.03 * (c[0] - 1)
        - NAME_PENALTY * missing[c[0] - 1]
        for i, c in enumerate(candidates)
    ]
    chosen = pick_sentences(scores, settings.answer_sentences)
    citations = []
    for i in chosen:
        n, start, end, text = candidates[i]
        hit = hits[n - 1]
        citations.append(
            Citation(n, hit.doc_id, hit.title, hit.section, hit.page, text, start, end, hit.source)
        )
    answer = " ".join(f"{c.sentence} [{c.n}]" for c in citations)
    return Answer(question, answer, False, citations, hits)


def _missing_names(question: str, hits: list[Hit]) -> list[float]:
    """Per hit, the share of the question's place names its passage lacks.

    A place name is a name of the question that is in the titles of some of the hits' documents
    but not all ("near Westlake", guides titled "... in Westlake" and "... in Walnut Park"). All
    zeros when there is none, or when no hit holds every one (a question about two places):
    then no passage is preferred for it.
    """
    names = question_names(question)
    titles = [bm25.content_terms(h.title) for h in hits]
    if names and titles:
        names &= set().union(*titles) - set.intersection(*titles)
    if not names:
        return [0.0] * len(hits)
    held = [bm25.content_terms(f"{h.title} {h.section} {h.text}") & names for h in hits]
    if not any(found == names for found in held):
        return [0.0] * len(hits)
    return [1 - len(found) / len(names) for found in held]
