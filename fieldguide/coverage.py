"""Coverage: what a question asks for that the quoted sentences don't give.

"What is the phone number of Saving Innocence?" over guides that name Saving Innocence but give
no number for it must not be answered with another organisation's number: the answer keeps what
the documents say about it and says plainly that they give no number ("partial").
"""

from __future__ import annotations

import re

from . import bm25
from .resources import NAME, clean_name, find_numbers, org_rank

# the question asks how to reach someone: a phone number, a text line, a hotline
_ASKS_NUMBER = re.compile(
    r"\b(?:phone|number|numbers|call|calling|contact|hotline|helpline|text|"
    r"tel[eé]fono|n[uú]mero|llam\w*|contacto|l[ií]nea)\b",
    re.I,
)
_ASKS_ADDRESS = re.compile(r"\b(?:address|located|direcci[oó]n|ubicad[oa]|queda)\b", re.I)
_STREET_ADDRESS = re.compile(
    r"\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w.]*\s+){1,3}"
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


_WORDS = re.compile(r"[\w&]+")
# Spanish words that join the parts of a name ("Sheriff de Sacramento")
_CONNECTORS = {"de", "del", "la", "las", "los", "el", "y"}


def name_terms(name: str) -> set[str]:
    """A name's content words, stemmed, in either language's joining words left out."""
    return bm25.content_terms(name) - _CONNECTORS


def asked_names(question: str, passages: list[str], places: list[str]) -> list[str]:
    """Organisations the question names that the passages name too.

    A name is a capitalised run of the question ("Saving Innocence"), or a name the passages
    write that the question has in lower case ("numero de journey out"). Names in document
    titles are places ("Walnut Park"), not organisations.

    Args:
        question: the question as typed.
        passages: the texts of the top passages.
        places: document titles.
    """
    held = bm25.content_terms(" ".join(passages))
    place_terms = bm25.content_terms(" ".join(places))
    typed = [_trimmed(m.group()) for m in NAME.finditer(question)]
    lowered = _words(question)
    # a word to text is no organisation: "text HELP to 233733", "reply STOP"
    runs = [
        m.group()
        for text in passages
        for m in NAME.finditer(text)
        if " " in m.group() or not texted_at(text, m.start())
    ]
    # "Saving Innocence and Journey Out" is two names as well as one run
    runs += [part for run in runs for part in re.split(r"\s+(?:and|y)\s+", run)]
    # a one-word run the passages also write in lower case is a word, not a name ("FREE
    # testing" beside "free care" is no organisation called Free); "CAST", never written
    # "cast", is a name
    plain = set(re.findall(r"\b[a-z][\w&]*\b", " ".join(passages)))
    # "the Sheriff's line" names the Sheriff: a possessive is no part of the name
    runs = [re.sub(r"['’]s\b", "", run) for run in runs]
    written = [
        _trimmed(run)
        for run in runs
        if _words(run) in lowered and (len(run.split()) > 1 or run.lower() not in plain)
    ]
    names = []
    for name in typed + written:
        terms = name_terms(name)
        if org_rank(name) and terms and terms <= held and not terms <= place_terms:
            names.append(name)
    return list(dict.fromkeys(names))


_TEXTED = re.compile(r"\b(?:text|texting|txt|sms|send|reply|escriba|env[ií]a)\s+[\"“'‘]?\Z", re.I)


def texted_at(text: str, start: int) -> bool:
    """Whether the word at `start` is a word to text ("text HELP to 233733"), not a name."""
    return bool(_TEXTED.search(text, max(0, start - 12), start))


def _words(text: str) -> str:
    """Lower-case words between spaces, for whole-word containment tests."""
    return " " + " ".join(_WORDS.findall(text.lower())) + " "


def _trimmed(run: str) -> str:
    """A name-like run without leading question words ("Cuál es…") and punctuation."""
    words = run.split()
    while words and words[0].lower().strip("¿¡") in _QUESTION_WORDS:
        words.pop(0)
    return clean_name(" ".join(words)).strip("¿¡?!.,")


def mentions(name: str, sentence: str) -> bool:
    """Whether a sentence names the organisation (all its content words, stemmed)."""
    return name_terms(name) <= bm25.content_terms(sentence)
