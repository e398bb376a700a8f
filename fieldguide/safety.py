"""Safety: questions about immediate danger see emergency and hotline passages first."""

from __future__ import annotations

import re

from .resources import find_numbers

_URGENT = re.compile(
    "|".join(
        [
            r"\b(?:in|immediate|imminent|serious|real)\s+danger\b",
            r"\bdanger(?:ous)?\b.*\b(?:now|tonight)\b",
            r"\bright now\b|\bnot safe\b|\bunsafe\b|\b911\b",
            r"(?<!non-)(?<!non )\bemergency\b(?!\s+(?:shelter|housing|room|fund|assistance|bed))",
            r"\bbeing (?:hurt|attacked|beaten|threatened|followed|held|abused)\b",
            r"\b(?:attack|assault|rap)(?:ed|ing)\b|\bthreaten|\bsuicid|\bbleeding\b",
            r"\boverdos(?:ing|ed)\b|\b(?:is|are|just) (?:having an )?(?:overdos|od)\w*",
            r"\b(?:has|have|had|with|pulled) an? (?:gun|knife|weapon)\b",
            r"\b(?:going to|gonna|wants? to|will|try(?:ing)? to) (?:kill|hurt)\b",
            r"\b(?:can't|cannot|can not) (?:leave|escape)\b|\blocked in\b|\bheld against\b",
            r"\bhelp (?:me )?now\b",
        ]
    ),
    re.IGNORECASE,
)
# the same situations as Spanish speakers put them (accents optional: people type without them)
_URGENT_ES = re.compile(
    "|".join(
        [
            r"\ben peligro\b|\bpeligro (?:inmediato|ahora)\b|\bahora mismo\b",
            r"\bahorita mismo\b|\ba la fuerza\b|\bayuda urgente\b",
            # not "albergue de emergencia" (a kind of shelter), not "no es de emergencia"
            r"(?<!albergue de )(?<!refugio de )(?<!vivienda de )(?<!no es de )(?<!no de )"
            r"\bemergencia\b",
            r"\b(?:me|te|l[aeo]s?|nos) (?:est[aá]n?|quiere|quieren|va|van) (?:a )?"
            r"(?:golpe|peg|amenaz|segu|persegu|lastim|viol|pate|ahorc|mat|hacer daño)\w*",
            r"\bme (?:pega|pegan|golpea|golpean|amenaza|amenazan|amenazó|amenazo)\b",
            r"\b(?:atacad|agredid|violad|amenazad|secuestrad|golpead)[oa]s?\b",
            r"\bsuicid|\bsangr(?:ando|a mucho)\b|\bsobredosis\b|\bno respira\b",
            r"\b(?:tiene|tienen|trae|traen|con|sac[oó]) (?:un|una) "
            r"(?:pistola|arma|cuchillo|navaja)\b",
            r"\bno (?:puedo|puede|pueden|podemos|me dejan?|la dejan?|lo dejan?) "
            r"(?:salir|escapar|irme|irse|ir)\b",
            r"\bencerrad[oa]s?\b|\b(?:retenid|atrapad)[oa]s? (?:contra|en|por)\b",
            r"\bay[uú]d(?:a|enme|ame) (?:ya|ahora)\b|\bauxilio\b|\bsocorro\b",
        ]
    ),
    re.IGNORECASE,
)
_HOTLINE_WORDS = re.compile(r"\b(hotline|helpline|lifeline|crisis|emergency|24/7|immediate)", re.I)


def is_urgent(question: str) -> bool:
    """Whether a question (in English or Spanish) is about someone in immediate danger."""
    return bool(_URGENT.search(question) or _URGENT_ES.search(question))


def contact_rank(text: str) -> int:
    """0: gives an emergency number (911, 988); 1: a hotline or crisis number; 2: neither."""
    numbers = find_numbers(text)
    if any(f.kind == "service" and f.written in ("911", "988") for f in numbers):
        return 0
    if numbers and _HOTLINE_WORDS.search(text):
        return 1
    return 2


def hotlines_first(hits: list) -> list:
    """The same passages, emergency numbers first, then hotlines, otherwise in their order."""
    return sorted(hits, key=lambda hit: contact_rank(hit.text))
