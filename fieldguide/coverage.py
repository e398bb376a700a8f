"""Coverage: what a question asks for that the quoted sentences don't give.

"What is the phone number of Saving Innocence?" over guides that name Saving Innocence but give
no number for it must not be answered with another organisation's number: the answer keeps what
the documents say about it and says plainly that they give no number ("partial").
"""

from __future__ import annotations

import re

from . import bm25
from .resources import _NAME, _clean_name, _org_rank, find_numbers

# the question asks how to reach someone: a phone number, a text line, a hotline
_ASKS_NUMBER = re.compile(
    r"\b(?:phone|number|numbers|call|calling|contact|hotline|helpline|text|"
    r"tel[eé]fono|n[uú]mero|llam\w*|contacto|l[ií]nea)\b",
    re.I,
)
_ASKS_ADDRESS = re.compile(r"\b(?:address|located|direcci[oó]n|ubicad[oa]|queda)\b", re.I)
_STREET_ADDRESS = re.compile(
    r"\b\d{2,6}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w.]*\s+){1,3}"
    r"(?:St|Street|Ave|Avenue|Blvd|Boulevard|Rd|Road|Way|Dr|Drive|Pl|Place|Ln|Lane)\b"
)
# capitalised question words, in English and Spanish, that start a name-like run
_QUESTION_WORDS = {
    "what", "which", "where", "who", "how", "is", "are", "can", "do", "does", "i",
    "cuál", "cual", "qué", "que", "dónde", "donde", "cómo", "como", "quién", "quien",
    "hay", "me", "necesito", "busco",
}  # fmt: skip


def asked_for(question: str) -> str:
    """ "number" when the question asks for a phone number, "address" for an address, or ""."""
    if _ASKS_ADDRESS.search(question):
        return "address"
    if _ASKS_NUMBER.search(question):
        return "number"
    return ""


def gives(kind: str, sentence: str) -> bool:
    """Whether a sentence gives a phone number (or text line) / a street address."""
    if kind == "address":
        return bool(_STREET_ADDRESS.search(sentence))
    return any(n.kind in ("phone", "text") for n in find_numbers(sentence))


# Spanish words that join the parts of a name ("Sheriff de Sacramento")
_CONNECTORS = {"de", "del", "la", "las", "los", "el", "y"}


def name_terms(name: str) -> set[str]:
    """A name's content words, stemmed, in either language's joining words left out."""
    return bm25.content_terms(name) - _CONNECTORS


def asked_names(question: str, passages: list[str], places: list[str]) -> list[str]:
    """Organisations the question names, as it writes them, that the passages name too.

    Args:
        question: the question as typed.
        passages: the texts of the top passages.
        places: document titles; names in them are places ("Walnut Park"), not organisations.
    """
    held = bm25.content_terms(" ".join(passages))
    place_terms = bm25.content_terms(" ".join(places))
    names = []
    for match in _NAME.finditer(question):
        words = match.group().split()
        while words and words[0].lower().strip("¿¡") in _QUESTION_WORDS:
            words.pop(0)
        name = _clean_name(" ".join(words)).strip("¿¡?!.,")
        terms = name_terms(name)
        if _org_rank(name) and terms and terms <= held and not terms <= place_terms:
            names.append(name)
    return list(dict.fromkeys(names))


def mentions(name: str, sentence: str) -> bool:
    """Whether a sentence names the organisation (all its content words, stemmed)."""
    return name_terms(name) <= bm25.content_terms(sentence)
