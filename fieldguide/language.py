"""Language: which language a question is in (py3langid, offline), so it meets the right vectors.

py3langid restricted to the settings' languages told English from Spanish on every XQuAD
question and every Spanish domain question, and on 92.5% of the short probe lookups, where
lingua managed 85-88% (`bench/languages.py`, docs/benchmarks.md).
"""

from __future__ import annotations

import threading
from functools import lru_cache

ENGLISH = "en"
# below this probability a question stays English: "Santa Ana bus", "detox" and "pimp" read as
# Spanish at 0.55-0.83; 0.7 kept 608 of 611 English and 640 of 651 Spanish questions right
MIN_PROBABILITY = 0.7
_lock = threading.Lock()  # set_languages and classify share the identifier's state


def parse_languages(value: str) -> tuple[str, ...]:
    """ISO 639-1 codes from a setting such as "en,es" (English always first, no repeats)."""
    codes = [c.strip().lower() for c in value.replace(";", ",").split(",") if c.strip()]
    return tuple(dict.fromkeys([ENGLISH, *codes]))


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def known_languages() -> set[str]:
    """Every ISO 639-1 code the detector knows."""
    return set(_identifier().nb_classes)


def detect_language(text: str, languages: tuple[str, ...] = (ENGLISH, "es")) -> str:
    """The ISO 639-1 code of the language `text` is written in, among `languages`.

    English unless another language is clearly more likely: a lookup of a name or a code
    ("pc 647b", "Covenant House") says nothing about the asker's language, and English
    questions keep the English model.

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
        identifier.set_languages(list(languages))
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
    names = ", ".join(LANGUAGE_NAMES.get(code, code) for code in codes)
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
