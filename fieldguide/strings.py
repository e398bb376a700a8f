"""Strings: every sentence Field Guide itself says to a user, in one table, by language.

Answers are never translated (they are the documents' own sentences); this table frames them.
A language missing for a key falls back to English.
"""

from __future__ import annotations

from .present import citation_label

STRINGS: dict[str, dict[str, str]] = {
    "emergency_banner": {
        "en": "**In immediate danger? Call 911.** · National Human Trafficking Hotline "
        "**1-888-373-7888** · text **233733** (24/7)",
        "es": "**¿En peligro inmediato? Llame al 911.** · Línea Nacional contra la Trata de "
        "Personas **1-888-373-7888** · texto **233733** (24/7)",
    },
    "danger_now": {
        "en": "**If someone is in immediate danger, call 911 now.**",
        "es": "**¿En peligro inmediato? Llame al 911.**",
    },
    "not_covered": {
        "en": "These documents don't seem to cover that question. "
        "Try other words, or check the passages below.",
        "es": "Estos documentos no parecen responder a esa pregunta. "
        "Pruebe con otras palabras o revise los pasajes de abajo.",
    },
    "not_covered_title": {"en": "Not in these documents", "es": "No está en estos documentos"},
    "answer_title": {"en": "Answer", "es": "Respuesta"},
    "answer_framing": {
        "en": "",
        "es": "Respuesta en inglés, citada de los documentos:",
    },
    "partial_title": {
        "en": "Partly in these documents",
        "es": "En parte en estos documentos",
    },
    "no_number": {
        "en": "The documents name {names} but give no phone number for {it}.",
        "es": "Los documentos mencionan {names}, pero no dan su número de teléfono.",
    },
    "no_address": {
        "en": "The documents name {names} but give no address for {it}.",
        "es": "Los documentos mencionan {names}, pero no dan su dirección.",
    },
    "not_mentioned": {
        "en": "These documents don't mention {names}.",
        "es": "Estos documentos no mencionan {names}.",
    },
    "lacks": {
        "en": "The documents have related text but don't give {what}.",
        "es": "Los documentos tienen texto relacionado, pero no dan {what}.",
    },
    "unsaid": {
        "en": "The documents mention {name} but say nothing about {what}.",
        "es": "Los documentos mencionan {name}, pero no dicen nada sobre {what}.",
    },
    "lacks_cost": {"en": "a cost or fee", "es": "un costo o una tarifa"},
    "lacks_time": {"en": "times or opening hours", "es": "horarios"},
    "lacks_date": {"en": "a date", "es": "una fecha"},
    "lacks_count": {"en": "a number for it", "es": "una cifra"},
    "lacks_duration": {"en": "how long it lasts", "es": "cuánto tiempo dura"},
    "lacks_age": {"en": "an age", "es": "una edad"},
    "lacks_web": {"en": "a website or email address", "es": "un sitio web ni un correo"},
    "lacks_number": {"en": "a phone number for it", "es": "un número de teléfono"},
    "lacks_person": {"en": "a person's name", "es": "el nombre de una persona"},
    "and": {"en": "and", "es": "y"},
    "it": {"en": "it"},
    "them": {"en": "them"},
    "some_documents": {
        "en": "You are searching only some documents - try all of them.",
        "es": "Está buscando solo en algunos documentos: pruebe con todos.",
    },
    "passages": {"en": "Passages", "es": "Pasajes (en inglés)"},
    "closest_passages": {
        "en": "Closest passages (they may not answer it)",
        "es": "Pasajes más cercanos (puede que no respondan a la pregunta)",
    },
    "sources_differ": {
        "en": "Sources differ on {about}: {first}; {second}. "
        "Check which is right before you rely on it.",
        "es": "Las fuentes no coinciden sobre {about}: {first}; {second}. "
        "Compruebe cuál es correcta antes de fiarse.",
    },
    "searched_as_english": {
        "en": "This index has no multilingual vectors, so the question was searched as "
        "English. Re-index the library to add them.",
        "es": "Este índice no tiene vectores multilingües: la pregunta se buscó como si fuera "
        "inglés. Vuelva a indexar la biblioteca en la página Library.",
    },
    "from_scan": {
        "en": "Text recognised from a scan - check the original.",
        "es": "Texto reconocido de un escaneo: compruebe el original.",
    },
}

LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "pt": "Portuguese", "fr": "French"}


def text(key: str, language: str = "en", **fields: str) -> str:
    """The string `key` in `language` (English when it has no translation), fields filled in."""
    versions = STRINGS[key]
    template = versions.get(language) or versions["en"]
    return template.format(**fields) if fields else template


def _listed(names: list[str], language: str) -> str:
    """ "A", "A and B", "A, B and C" in the language's word for "and"."""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" {text('and', language)} " + names[-1]


def absent_note(names: list[str], language: str = "en") -> str:
    """ "These documents don't mention Nevada." ("" for no names)."""
    return text("not_mentioned", language, names=_listed(names, language)) if names else ""


def lacks_note(kind: str, language: str = "en") -> str:
    """ "The documents have related text but don't give a cost or fee." ("" for no kind)."""
    if not kind:
        return ""
    return text("lacks", language, what=text(f"lacks_{kind}", language))


def unsaid_note(unsaid: tuple[str, ...], language: str = "en") -> str:
    """ "The documents mention Harbor House but say nothing about dogs." ("" for none)."""
    if not unsaid:
        return ""
    name, what = unsaid
    return text("unsaid", language, name=name, what=what)


def gap_note(missing: list[str], wanted: str, language: str = "en") -> str:
    """What a partial answer lacks, in plain words: "The documents name Saving Innocence but
    give no phone number for it." ("" when nothing is missing)."""
    if not missing:
        return ""
    names = _listed(missing, language)
    it = text("it" if len(missing) == 1 else "them", language)
    return text("no_address" if wanted == "address" else "no_number", language, names=names, it=it)


def differ_note(difference, language: str = "en") -> str:
    """Two passages giving different figures for one thing (a `disagree.Difference`), in plain
    words: "Sources differ on an amount of money: [1] … says “$1,000”; [3] … says “$2,500”. …"."""
    first, second = (
        f"[{c.n}] {citation_label(c.title, c.section, c.page)} says “{c.figure}”"
        for c in (difference.first, difference.second)
    )
    return text("sources_differ", language, about=difference.about, first=first, second=second)
