"""Language: which language a question is in (py3langid, offline), so it meets the right vectors.

py3langid restricted to the settings' languages told English from Spanish on every XQuAD
question and every Spanish domain question, and on 92.5% of the short probe lookups, where
lingua managed 83-89% (`bench/languages.py`, docs/benchmarks.md).
"""

from __future__ import annotations

import threading
from functools import lru_cache

ENGLISH = "en"
# Spanish when it is the likelier language. A question misread as Spanish still finds its passage
# (English questions through the multilingual vectors: 0.893 hit@1 on the domain set vs 0.964),
# one misread as English mostly does not (Spanish through MiniLM: about 0.5 hit@3), so the
# tie goes to the other language; a higher bar (0.7) turned 11 of 651 Spanish questions English
# to spare 5 of 611 English lookups ("Santa Ana bus", "detox") (bench/languages.py)
MIN_PROBABILITY = 0.5
_lock = threading.Lock()  # set_languages and classify share the identifier's state
_chosen: dict[str, tuple[str, ...]] = {}  # the languages the identifier is set to


def parse_languages(value: str) -> tuple[str, ...]:
    """ISO 639-1 codes from a setting such as "en,es" (English always first, no repeats)."""
    codes = [c.strip().lower() for c in value.replace(";", ",").split(",") if c.strip()]
    return tuple(dict.fromkeys([ENGLISH, *codes]))


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=1)
def known_languages() -> frozenset[str]:
    """Every ISO 639-1 code the detector knows."""
    return frozenset(_identifier().nb_classes)


def unknown_languages(value: str) -> list[str]:
    """The codes of a `languages` setting that the detector does not know."""
    return [code for code in parse_languages(value) if code not in known_languages()]


def detect_language(text: str, languages: tuple[str, ...] = (ENGLISH, "es")) -> str:
    """The ISO 639-1 code of the language `text` is written in, among `languages`.

    English unless another language is the likelier one; text without letters (a phone
    number, "911") is English.

    Args:
        text: a question as typed.
        languages: the languages questions may be asked in (English first).

    Returns:
        A code from `languages`.
    """
    languages = tuple(code for code in languages if code in known_languages())
    if len(languages) < 2 or not any(ch.isalpha() for ch in text):
        return ENGLISH
    identifier = _identifier()
    with _lock:
        if _chosen.get("languages") != languages:  # setting them costs 0.5 ms a question
            identifier.set_languages(list(languages))
            _chosen["languages"] = languages
        code, probability = identifier.classify(text)
    return code if code != ENGLISH and probability >= MIN_PROBABILITY else ENGLISH


def languages_note(languages: str, built_model: str) -> str:
    """One line for the Library page: which question languages this setting and index serve.

    Args:
        languages: the `languages` setting ("en,es").
        built_model: the multilingual model the serving index holds vectors of ("" for none).
    """
    from .strings import LANGUAGE_NAMES

    codes = parse_languages(languages)
    named = [LANGUAGE_NAMES.get(code, code) for code in codes]
    names = ", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else named[0]
    if len(codes) == 1:
        return (
            "Questions are searched as English only. Set FIELDGUIDE_LANGUAGES=en,es and "
            "re-index to answer Spanish questions too (building then takes about 3 times as long)."
        )
    if not built_model:
        return (
            f"Questions may be asked in {names}, but this index was built without multilingual "
            "vectors, so every question is searched as English: re-index to add them."
        )
    return (
        f"Questions may be asked in {names}: non-English questions are searched with the "
        f"{built_model} vectors stored for every passage (they make building about 3 times as "
        "long). Answers always quote the documents in their own words."
    )
