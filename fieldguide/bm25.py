"""BM25: bm25s with English stemming and stop words, plus tokens that keep codes findable."""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_EN_PLUS

# "647(b)" and "pc 647b" must meet: both also yield the token "647b"
_CODE = re.compile(r"\b(\d{2,5})\s*\(([a-z0-9]{1,2})\)", re.IGNORECASE)
# a phone number written any way also yields its bare digits ("8883737888")
_PHONE = re.compile(r"(?<!\d)(?:\+?1[-.\s]?)?\(?(\d{3})\)?[-.\s]?(\d{3})[-.\s]?(\d{4})(?!\d)")


def expand_codes(text: str) -> str:
    """Append joined forms of section codes and phone numbers so exact lookups match."""
    extra = [m.group(1) + m.group(2) for m in _CODE.finditer(text)]
    extra += ["".join(m.groups()) for m in _PHONE.finditer(text)]
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return folded + (" " + " ".join(extra) if extra else "")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str], stopwords: str | list[str] = "en") -> list[list[str]]:
    """Lower-cased, stemmed tokens without English stop words, codes expanded."""
    return bm25s.tokenize(
        [expand_codes(t) for t in texts],
        stopwords=stopwords,
        stemmer=_stemmer(),
        return_ids=False,
        show_progress=False,
    )


# question words ("what", "how", "does") carry no topic; drop them when comparing terms
_QUESTION_STOPWORDS = sorted(set(STOPWORDS_EN_PLUS) | {"get", "someone", "much", "many", "tell"})


def content_terms(text: str) -> set[str]:
    """The stemmed topic words of a question or sentence (a new set: the caller may change it)."""
    return set(_content_terms(text))


# one question compares its terms with the same few dozen passages and sentences several times
# (coverage, answer scoring, names, differences): each text is tokenised once
@lru_cache(maxsize=65_536)
def _content_terms(text: str) -> frozenset[str]:
    return frozenset(tokenize([text], _QUESTION_STOPWORDS)[0])


def build(
    texts: list[str], settings=None, k1: float | None = None, b: float | None = None
) -> bm25s.BM25:
    """A BM25 index over `texts` (one entry per chunk, in row order).

    k1 and b: given, else from `settings`, else the environment's; saved with the index.
    """
    from .config import Settings

    settings = settings or Settings.from_env()
    retriever = bm25s.BM25(
        k1=settings.bm25_k1 if k1 is None else k1, b=settings.bm25_b if b is None else b
    )
    tokens = tokenize(texts)
    # bm25s cannot index an empty vocabulary; a placeholder token keeps rows aligned
    tokens = [t or ["\x00empty"] for t in tokens]
    retriever.index(tokens, show_progress=False)
    # bm25s does not save it; a segment added later scores its passages with it (`segments`)
    retriever.avgdl = float(np.mean([len(t) for t in tokens])) if tokens else 0.0
    return retriever


def scores(retriever: bm25s.BM25, query: str | list[str]) -> np.ndarray:
    """BM25 score of every row for `query` or its `tokenize`d terms (zeros when no query term
    is in the vocabulary)."""
    tokens = tokenize([query])[0] if isinstance(query, str) else query
    n = int(retriever.scores["num_docs"])
    if not tokens:
        return np.zeros(n, dtype=np.float32)
    return np.asarray(retriever.get_scores(tokens), dtype=np.float32)


def known(retriever: bm25s.BM25, term: str) -> bool:
    """Whether some indexed passage holds the stemmed `term`."""
    return term in retriever.vocab_dict


def document_frequency(retriever: bm25s.BM25, term: str) -> int:
    """How many indexed passages hold the stemmed `term`."""
    row = retriever.vocab_dict.get(term)
    indptr = retriever.scores["indptr"]
    return int(indptr[row + 1] - indptr[row]) if row is not None and row + 1 < len(indptr) else 0


def rarity(retriever: bm25s.BM25, term: str) -> float:
    """How rare a stemmed term is among the passages, 0 (in every one) to 1 (in none)."""
    return rarity_of(document_frequency(retriever, term), int(retriever.scores["num_docs"]))


def rarity_of(df: int, n: int) -> float:
    """`rarity` of a term held by `df` of `n` passages."""
    import math

    return math.log((n + 1) / (df + 0.5)) / math.log((n + 1) / 0.5)


def spelled_like(retriever: bm25s.BM25, term: str, cutoff: float = 0.8) -> bool:
    """Whether the passages hold a near spelling of a stemmed term ("maastrich", "Corina").

    Names typed from memory are often a letter off; only words of five or more letters, and
    passage words with the same first letter, are compared.
    """
    return spelled_among(retriever.vocab_dict, term, cutoff)


def spelled_among(words, term: str, cutoff: float = 0.8) -> bool:
    """`spelled_like` over any collection of stemmed words."""
    return bool(close_spellings(words, term, cutoff, 1))


def close_spellings(words, term: str, cutoff: float = 0.8, n: int = 3) -> list[str]:
    """Up to `n` of `words` spelled like `term` (five letters or more, the same first letter)."""
    import difflib

    if len(term) < 5:
        return []
    same_start = [w for w in words if w[:1] == term[:1]]
    return difflib.get_close_matches(term, same_start, n=n, cutoff=cutoff)


def abbreviated(words, term: str, n: int = 3) -> list[str]:
    """Up to `n` of `words` that `term` may shorten ("sac" of "sacramento", "hwood" no): a term
    of three or four letters that begins a word at least three letters longer. Volunteers
    shorten place names ("Sac County"); a shortened name is no name the documents lack."""
    if not 3 <= len(term) <= 4 or not term.isalpha():
        return []
    ordered = _sorted_words(words)
    after = itertools.takewhile(
        lambda w: w.startswith(term), itertools.islice(ordered, bisect_left(ordered, term), None)
    )
    return list(itertools.islice((w for w in after if len(w) >= len(term) + 3), n))


# sorted copies of vocabularies, by the vocabulary object they were made of (a large index's
# holds hundreds of thousands of words: sorted once, searched by bisection after)
_SORTED: dict[int, tuple[object, list[str]]] = {}


def _sorted_words(words) -> list[str]:
    kept = _SORTED.get(id(words))
    if kept is None or kept[0] is not words or len(kept[1]) != len(words):
        if len(_SORTED) >= 8:
            _SORTED.clear()
        kept = _SORTED[id(words)] = (words, sorted(words))
    return kept[1]


def top_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, best first (ties by lower index)."""
    if k < len(scores):
        part = np.argpartition(-scores, k - 1)[:k]
        return part[np.lexsort((part, -scores[part]))]
    return np.argsort(-scores, kind="stable")
