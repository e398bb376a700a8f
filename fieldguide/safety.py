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
            r"\bemergency\b(?!\s+(?:shelter|housing|room|fund|assistance|bed))",
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
_HOTLINE_WORDS = re.compile(r"\b(hotline|helpline|lifeline|crisis|emergency|24/7|immediate)", re.I)


def is_urgent(question: str) -> bool:
    """Whether a question is about someone in immediate danger."""
    return bool(_URGENT.search(question))


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
