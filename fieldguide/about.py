"""About: what a passage or sentence is about, and which words a question types in lower case
that the documents write as names ("riverbend" for "Riverbend").

The answer step holds a quoted fact to the question's subject with these: Easton's pantry
hours do not answer "food pantry in riverbend hours?".
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import bm25
from .coverage import texted_at
from .question import Question
from .search import Hit


def typed_lower(
    q: Question,
    top: list[Hit],
    context: list[Hit] | None = None,
    lowercase: frozenset[str] | None = None,
    titled: bool = True,
) -> set[str]:
    """Stemmed words the question types in lower case that the passages only ever capitalise
    (names: "riverbend" for "Riverbend", "mhrc" for "MHRC"), less the places the documents'
    titles are about (`titled`: a guide titled "... in Walnut Park" is about it throughout;
    False keeps them). `context` (default `top`): all the passages found, any of which
    writing the word in lower case ("people" beside "People Assisting the Homeless") makes it
    a word; so does the whole index writing it so (`lowercase`, when at hand)."""
    text = "\n".join(f"{h.section}\n{h.text}" for h in top)
    wider = "\n".join(f"{h.section}\n{h.text}" for h in (context or top))
    words = {w for w in re.findall(r"[a-z][\w'’-]*", q.text) if bm25.content_terms(w)}
    proper = {
        w
        for w in words
        if _capitalised_inside(w, text)
        and not re.search(rf"\b{re.escape(w)}\b", wider)
        and (lowercase is None or w not in lowercase)
    }
    names = bm25.content_terms(" ".join(proper))
    return names if not titled else names - bm25.content_terms(" ".join(h.title for h in top))


# where any word is capitalised: a sentence's, a line's or a list item's start
_OPENING = re.compile(r"(?:^|[.!?]|\n|^\s*[-*•#]+)\s*$")


def _capitalised_inside(word: str, text: str) -> bool:
    """Whether `text` writes `word` capitalised ("Riverbend") or in capitals ("MHRC") somewhere
    a common word would not be: not at a sentence's, line's or list item's start."""
    pattern = rf"\b(?:{re.escape(word.capitalize())}|{re.escape(word.upper())})\b"
    return any(
        (not _OPENING.search(text[max(0, m.start() - 4) : m.start()]) or m.group().isupper())
        and not texted_at(text, m.start())
        and not _title_cased(text, m.start())
        for m in re.finditer(pattern, text)
    )


_SEGMENT = ("\n", " · ", ": ")  # a line, a table cell, a label ("- Basic Needs: …")


def _title_cased(text: str, at: int) -> bool:
    """Whether the line (or table cell) around `at` is a heading in title case, where every
    word is capitalised ("Where Can Victims Find Immediate Help?", "Housing & Basic Needs")."""
    starts = [0] + [text.rfind(mark, 0, at) + len(mark) for mark in _SEGMENT if mark in text[:at]]
    ends = [e for e in (text.find(mark, at) for mark in _SEGMENT) if e >= 0]
    words = re.findall(r"[^\W\d_][\w'’-]*", text[max(starts) : min(ends, default=len(text))])
    capitalised = sum(w[0].isupper() for w in words)
    return len(words) >= 3 and capitalised >= 0.7 * len(words)


def about(hit: Hit, sentence: str) -> frozenset[str]:
    """The stemmed words of what a sentence is said about: a table row is a whole record on
    its own ("Organisation: Easton Food Pantry · Hours: …"), any other sentence is read in
    its passage; both under their document's title and section."""
    from .tables import is_row_line

    context = sentence if is_row_line(sentence) else hit.text
    return _terms_of(f"{hit.title} {hit.section} {context}")


@lru_cache(maxsize=64)
def _terms_of(text: str) -> frozenset[str]:
    """`bm25.content_terms`, kept: every candidate sentence of a passage asks for the same
    passage's words."""
    return frozenset(bm25.content_terms(text))
