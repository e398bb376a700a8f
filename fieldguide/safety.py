"""Safety: questions about immediate danger see emergency and hotline passages first."""

from __future__ import annotations

import re

from .resources import find_numbers

# doing harm to a body: as it happens, said of "me", or just done ("got", "just")
_HARMING = (
    r"(?:hitting|beating|punching|kicking|slapping|choking|strangling|stabbing|shooting|"
    r"shoving|dragging|grabbing|raping|attacking|assaulting|kidnapping|abducting|chasing|"
    r"stalking|burning|robbing|mugging|pushing|hurting)"
)
_HARMS = r"(?:hits|beats|punches|kicks|slaps|chokes|strangles|stabs|shoves|drags|grabs|rapes|hurts)"
_HARMED = (
    r"(?:hit|beaten|beat up|punched|kicked|slapped|choked|strangled|stabbed|shot|shoved|"
    r"dragged|grabbed|raped|attacked|assaulted|kidnapped|abducted|jumped|robbed|mugged|pushed|"
    r"thrown|hurt)"
)
_URGENT = re.compile(
    "|".join(
        [
            r"\b(?:in|immediate|imminent|serious|real)\s+danger\b",
            r"\bdanger(?:ous)?\b.*\b(?:now|tonight)\b",
            r"\bright now\b|\bnot safe\b|\bunsafe\b|\b911\b",
            r"(?<!non-)(?<!non )\bemergency\b(?!\s+(?:shelter|housing|room|fund|assistance|bed))",
            r"\bbeing (?:hurt|attacked|beaten|threatened|followed|held|abused)\b",
            r"\b(?:attack|assault|rap)(?:ed|ing)\b|\bthreaten|\bsuicid|\bbleeding\b",
            r"\boverdos(?:ing|ed)\b|\b(?:is|are|just) (?:having an )?(?:overdos\w*|od(?:ing)?\b)",
            # "my friend ODd", "she OD'd": as "overdosed" (not the word "odd")
            r"(?-i:\bOD(?:'d|’d|d|ed|ing|'ing|’ing)\b)|\bod(?:'d|’d|'ing|’ing)\b",
            r"\b(?:has|have|had|with|pulled) an? (?:gun|knife|weapon)\b",
            # a threat against someone's life or body, said or meant ("said he would kill me")
            r"\b(?:going to|gonna|wants? to|will|would|'ll|'d|try(?:ing)? to|threaten(?:ed|s)? to"
            r"|swore to|promised to) (?:kill|hurt|shoot|stab|beat|burn)\b",
            r"\b(?:kill|shoot|stab) (?:me|her|him|us|them|my \w+)\b",
            r"\b(?:can't|cannot|can not) (?:leave|escape)\b|\blocked in\b|\bheld against\b",
            r"\bhelp (?:me )?now\b",
            # someone doing harm as we speak, or a body in trouble
            r"\b(?:is|are|keeps?|keep|started|start) (?:hurting|hitting|beating|choking|"
            r"strangling|attacking|threatening|following|stalking|punching|kicking)\b",
            r"\b(?:not|isn't|stopped|isnt) breathing\b|\bunconscious\b|\bwon'?t wake\b",
            # a body in trouble: an overdose or a collapse described, not named
            r"\b(?:turning|turned|going) blue\b|\blips (?:are |look |turning )?blue\b"
            r"|\bunresponsive\b"
            r"|\bnot (?:responding|answering me|waking up|moving)\b|\bpassed out\b"
            r"|\bcollapsed\b|\bhaving a seizure\b|\bcan'?t breathe\b|\bfoaming\b",
            r"\bwon'?t let (?:me|her|him|them|us) (?:leave|go|out)\b|\btrapped\b",
            r"\b(?:kidnapp|abduct)\w*|\bchok(?:ing|ed) (?:me|her|him)\b",
            r"\b(?:has|have|got|pulled|holding|with) (?:a|his|her) (?:gun|knife|weapon|blade)\b",
            # harm as it happens, however the sentence is built: "he's hitting me", "they're
            # dragging her", "just got stabbed", "shoved a girl into a van", "is breaking down
            # the door", "a crime in progress"
            rf"(?:'s|’s|'re|’re|\bis|\bare|\b(?:hes|shes|theyre)|\bkeeps?|\bstarted) (?:\w+ly )?"
            rf"{_HARMING}\b",
            rf"\b{_HARMING} (?:me|us)\b|\b{_HARMS} (?:me|us)\b|\b{_HARMED} (?:me|us)\b",
            r"\b(?:pull|push|drag|shov|forc|throw|threw|grabb)\w* (?:her|him|me|them|someone|"
            r"somebody|an? \w+) (?:in|into) (?:an?|the|his|her|their) (?:\w+ )?(?:car|van|truck|"
            r"vehicle|trunk|room|house)\b",
            rf"\bjust (?:got |been |was |were )?{_HARMED}\b|\b(?:got|been) {_HARMED}\b",
            rf"\bjust {_HARMED} (?:a|an|the|her|him|my|our|someone|somebody)\b",
            r"\bbreak(?:ing|s)? (?:down|in|into|through) (?:the |my |our |her |his )?door\b"
            r"|\bbreaking (?:in|into)\b|\bscreaming\b|\bin progress\b"
            r"|^\W*help\W+(?:he|she|they|someone)\b",
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
# questions about violence as a topic (a share, a penalty, a law) rank as any other question
_ABOUT = re.compile(
    r"^\W*(?:how (?:many|much|often|common|likely|prevalent)|what (?:percent|percentage|share|"
    r"proportion|fraction|number|kinds?|types?|is the (?:penalty|punishment|sentence|law|"
    r"rate|risk)|are the (?:penalties|punishments|laws|risks|rates|statistics|signs)|"
    r"does the law|did the (?:survey|study|report))|(?:is|are) (?:there )?(?:statistics|data)"
    r"|is it (?:illegal|a crime|a felony|legal)|why (?:do|does|are|is)|statistics"
    r"|cu[aá]nt[oa]s|qu[eé] (?:porcentaje|pena|castigo|dice la ley))\b",
    re.IGNORECASE,
)
# ... unless it is happening now to someone ("how many times do I call 911 if he has a gun")
_NOW = re.compile(
    r"\b(?:right now|now|tonight|currently|at the moment|as we speak|in progress|911|help me|ahora"
    r"|ahorita)\b"
    r"|\b(?:i'?m|i am|my \w+ is|she is|he is|she's|he's|they are|they're) (?:being|in danger)\b",
    re.IGNORECASE,
)
_HOTLINE_WORDS = re.compile(r"\b(hotline|helpline|lifeline|crisis|emergency|24/7|immediate)", re.I)


# ... or about harm that is over ("a survivor who was raped years ago")
_PAST = re.compile(
    r"\b(?:years?|months?|weeks?) ago\b|\blast (?:year|month|week)\b|\bin the past\b"
    r"|\bhistory of\b|\bpast (?:abuse|trauma|assault|violence)\b",
    re.IGNORECASE,
)


def is_urgent(question: str) -> bool:
    """Whether a question (in English or Spanish) is about someone in immediate danger.

    A question about violence as a topic ("How many sex workers get assaulted?", "What is the
    penalty for assault?") or about harm that is over ("a survivor who was raped years ago") is
    not, unless it also says the danger is now.
    """
    if not (_URGENT.search(question) or _URGENT_ES.search(question)):
        return False
    over = _ABOUT.search(question) or _PAST.search(question)
    return not over or bool(_NOW.search(question))


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
