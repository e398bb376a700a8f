"""Unsaid: what a quoted answer leaves out of the question, to name beside it.

Two checks on the sentences `answer` chose: question words no passage holds that the quote
leaves unanswered ("These documents don't mention tacos."), and what a question asks of a named
place or organisation when no quoted passage mentions it ("The documents mention Harbor House
but say nothing about dogs.").
"""

from __future__ import annotations

import re

from . import bm25
from .about import about, typed_lower
from .question import KIND_WORDS, WORD, Question, joined
from .search import Hit

# how much closer the quoted sentences come to a question without one of its words than
# with it, for that word (one no passage holds) to be what they leave unanswered: "tacos" of
# "best tacos near macarthur park" (+0.11), not "rehab" of "can medi-cal pay for rehab"
# (+0.14, the gain below which answerable questions' words stayed on every dev set but one)
UNMET_GAIN = 0.1
UNMET_WORDS = 4  # a question with more unknown words is typed in its own words, not off-topic


def unmet_words(
    q: Question, quoted: list[str], embedder, qvec, known, said: list[str] = ()
) -> list[str]:
    """The question's words that no passage holds and that the quoted sentences leave out
    (less those `said` to be missing already).

    A word the documents never use may still be answered in theirs ("cops" by "police"): it
    counts as unmet only when the quoted sentences are clearly closer to the question without
    it (`UNMET_GAIN`), so the answer says "These documents don't mention tacos" and stays a
    partial one. Words that only together move the question that far are named together
    ("dental cleanings" of "does the riverbend clinic do dental cleanings").
    """
    kinds = set().union(*KIND_WORDS.values(), *map(bm25.content_terms, said))
    words = [
        w
        for w in dict.fromkeys(WORD.findall(q.text))
        if (terms := bm25.content_terms(w)) and not terms & kinds and not any(map(known, terms))
    ]
    if not words or len(words) > UNMET_WORDS or not quoted:
        return []
    model = getattr(embedder, "embedder", embedder)  # the model itself: keep no question's vector
    without = [_without(q.text, [w]) for w in words]
    if len(words) > 1:  # "dental cleanings": each word alone moves the question little
        without.append(_without(q.text, words))
    sentences = embedder.encode(quoted)
    best = float((sentences @ qvec).max())
    gains = (sentences @ model.encode(without).T).max(axis=0) - best
    alone, together = gains[: len(words)], gains[len(words) :]
    unmet = [w for w, gain in zip(words, alone, strict=True) if gain >= UNMET_GAIN]
    if not unmet and len(together) and together[0] >= UNMET_GAIN:
        unmet = words
    return joined(q.text, unmet)


def _without(text: str, words: list[str]) -> str:
    for word in words:
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", " ", text)
    return text


# "does harbor house allow dogs": who is asked about (a name), and what is asked of them
DOES_IT = re.compile(
    r"^\W*(?:does|do|will|can|could|would|is|are)\s+(?:the\s+)?(?P<who>.+?)\s+"
    r"(?:allows?|takes?|accepts?|offers?|does|do|provides?|has|have|serves?|lets?|gives?|"
    r"covers?|requires?|helps? with|works? with)\s+(?P<what>.+?)\W*$",
    re.I,
)
# "is there a needle exchange in walnut park": the place asked about, and what is asked there
THERE_IN = re.compile(
    r"^\W*(?:is|are) there\s+(?:an?|any|some)?\s*(?P<what>.+?)\s+(?:in|near|around|at)\s+"
    r"(?P<who>[^,?]+?)\W*$",
    re.I,
)
# "can i bring my dog to harbor house": what is brought, and where
BRING = re.compile(
    r"^\W*(?:can|may|could) (?:i|we|you|they|someone|anyone|people|folks|guests?|clients?|"
    r"residents?|(?:my|our|a|the) [\w'’-]+) (?:bring|take|keep) "
    r"(?:my |our |their |his |her |a |an )?(?P<what>.+?) (?:to|into|in|at) (?:the )?"
    r"(?P<who>[^,?]+?)\W*$",
    re.I,
)
# words that say nothing of what is asked ("people who are on methadone")
_PLAIN = bm25.content_terms("people person someone anyone anything things thing help free")


def unsaid_of(
    q: Question,
    top: list[Hit],
    candidates: list[tuple],
    chosen: list[int],
    context: list[Hit] | None = None,
    lowercase: frozenset[str] | None = None,
) -> tuple:
    """(organisation, thing) for a yes/no question about what a named organisation does when
    no quoted sentence's passage mentions the thing ("does harbor house allow dogs" answered
    with Harbor House's admission rules); () otherwise."""
    m = DOES_IT.match(q.text) if q.asks == "yesno" else None
    m = m or THERE_IN.match(q.text) or BRING.match(q.text)
    if not m or not chosen:
        return ()
    who = bm25.content_terms(m.group("who"))
    named = bm25.content_terms(" ".join(q.names)) | typed_lower(
        q, top, context, lowercase, titled=False
    )
    what = bm25.content_terms(m.group("what")) - _PLAIN
    if not who or not what or not who & named:
        return ()
    said = set().union(*(about(top[candidates[i][0] - 1], candidates[i][3]) for i in chosen))
    if not who <= said or what <= said:  # one word of the thing asked unsaid is enough
        return ()
    # named as the documents write it ("Harbor House" for "harbor house")
    asked = m.group("who")
    written = (re.search(re.escape(asked), h.text, re.I) for h in top)
    return next((w.group() for w in written if w), asked), m.group("what")
