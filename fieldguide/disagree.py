"""Disagree: notice when the top passages give different figures for the same thing.

A figure is a money amount, a percentage, a length of time, or an organisation's phone number.
Two figures of one kind are about the same thing when the words around them overlap (e.g. both
speak of "jail" and "months") or, for phone numbers, when they belong to the same organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import bm25
from .resources import find_mentions, organisation_key

_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}
_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_MONEY = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)(\s?(?:million|billion|thousand))?", re.I)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|percent\b)", re.I)
_NUM = r"(\d+|" + "|".join(_NUMBER_WORDS) + r")"
_DURATION = re.compile(rf"\b{_NUM}(?:\s*(?:-|to|–)\s*{_NUM})?[\s-]*(day|week|month|year)s?\b", re.I)
_KIND_WORDS = {
    "money": "an amount of money",
    "percent": "a percentage",
    "duration": "a length of time",
}
_CONTEXT_CHARS = 70
MIN_SHARED_TERMS = 2


@dataclass
class Claim:
    """A figure as one passage states it; `n` is the passage's number in the hit list."""

    n: int
    figure: str
    sentence: str
    doc_id: str
    title: str
    section: str
    page: int | None


@dataclass
class Difference:
    """Two passages giving different figures for what looks like the same thing."""

    about: str
    first: Claim
    second: Claim


@dataclass
class _Figure:
    kind: str
    value: tuple
    written: str
    context: set[str]
    words: list[str]
    claim: Claim


def _number(token: str) -> float:
    token = token.lower()
    return float(_NUMBER_WORDS[token]) if token in _NUMBER_WORDS else float(token)


def _sentence_at(hit, offset: int) -> str:
    for s, e in hit.sentences:
        if s <= hit.start + offset < e:
            return hit.text[s - hit.start : e - hit.start]
    return hit.text


def _figures(n: int, hit) -> list[_Figure]:
    text = hit.text
    out: list[_Figure] = []
    patterns = (("money", _MONEY), ("percent", _PERCENT), ("duration", _DURATION))
    for kind, pattern in patterns:
        for match in pattern.finditer(text):
            if kind == "money":
                scale = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
                value = (
                    float(match.group(1).replace(",", ""))
                    * scale.get((match.group(2) or "").strip().lower(), 1),
                )
            elif kind == "percent":
                value = (float(match.group(1)),)
            else:
                unit = _DAYS[match.group(3).lower()]
                low = _number(match.group(1)) * unit
                value = (low, _number(match.group(2)) * unit if match.group(2) else low)
            begin = max(0, match.start() - _CONTEXT_CHARS)
            window = (
                text[begin : match.start()] + " " + text[match.end() : match.end() + _CONTEXT_CHARS]
            )
            # nearest words first: they say best what the figure is about
            near = re.finditer(r"[A-Za-z]{4,}", window)
            middle = match.start() - begin
            words = [w.group().lower() for w in sorted(near, key=lambda w: abs(w.start() - middle))]
            sentence = _sentence_at(hit, match.start())
            claim = Claim(n, match.group(), sentence, hit.doc_id, hit.title, hit.section, hit.page)
            out.append(
                _Figure(kind, value, match.group(), bm25.content_terms(window), words, claim)
            )
    return out


def _shared_words(a: _Figure, b: _Figure) -> list[str]:
    common = a.context & b.context
    words = [w for w in a.words if bm25.content_terms(w) & common]
    return list(dict.fromkeys(words))[:3]


def find_differences(hits: list, limit: int = 5) -> list[Difference]:
    """Figures that differ between the top `limit` passages about what looks like one thing.

    Args:
        hits: ranked passages (each with text, start, sentences, doc_id, title, section, page).
        limit: how many of the top passages to compare.

    Returns:
        At most one Difference per pair of passages and kind of figure, best passages first.
    """
    top = list(enumerate(hits[:limit], start=1))
    figures = [f for n, hit in top for f in _figures(n, hit)]
    found: list[Difference] = []
    seen: set[tuple] = set()
    for i, a in enumerate(figures):
        for b in figures[i + 1 :]:
            if a.claim.n == b.claim.n or a.kind != b.kind or a.value == b.value:
                continue
            if len(a.context & b.context) < MIN_SHARED_TERMS:
                continue
            pair = (a.claim.n, b.claim.n, a.kind)
            if pair in seen:
                continue
            seen.add(pair)
            shared = ", ".join(_shared_words(a, b))
            about = _KIND_WORDS[a.kind] + (f" ({shared})" if shared else "")
            found.append(Difference(about, a.claim, b.claim))
    return found + _phone_differences(top)


def _phone_differences(top: list) -> list[Difference]:
    """The same organisation given different phone numbers by different passages."""
    first_seen: dict[str, tuple[str, Claim]] = {}  # organisation key -> (number, claim)
    found: list[Difference] = []
    seen: set[tuple[str, str]] = set()
    for n, hit in top:
        for mention in find_mentions(hit):
            if not mention.organisation or mention.kind != "phone":
                continue
            claim = Claim(
                n, mention.written, mention.sentence, hit.doc_id, hit.title, hit.section, hit.page
            )
            for org in organisation_key(mention.organisation):
                number, other = first_seen.setdefault(org, (mention.key, claim))
                pair = (number, mention.key)
                if number != mention.key and other.n != n and pair not in seen:
                    seen.add(pair)
                    about = f"the phone number for {mention.organisation}"
                    found.append(Difference(about, other, claim))
    return found
