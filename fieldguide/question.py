"""Question: what a question asks for, analysed once for search, answer and safety to read.

"What time does the Westlake WorkSource Center open?" asks for a time; a sentence that names
the centre but gives no hours does not answer it. "What is the penalty for prostitution in
Nevada?" names a place; documents that never mention Nevada cannot answer it, however close
their California penalties are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import bm25
from .coverage import asked_for
from .safety import is_urgent

# answer types whose presence a sentence can be checked for; the others are not checked
CHECKED = ("count", "cost", "time", "date", "duration", "web", "person", "age")

# the words that say what kind of fact a question asks for, not what it is about
KIND_WORDS = {
    "phone": bm25.content_terms("phone telephone number numbers call contact line"),
    "cost": bm25.content_terms("cost costs price fee fees charge pay paid much free fine bail"),
    "time": bm25.content_terms(
        "time hours open opens close closes late day days week weekend weekends monday "
        "tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays "
        "thursdays fridays saturdays sundays morning evening night meet meeting happen"
    ),
    "date": bm25.content_terms("year date deadline since passed start started"),
    "duration": bm25.content_terms("long take takes last lasts wait time much"),
    "web": bm25.content_terms("website web site page email address url online"),
    "age": bm25.content_terms("age old young limit minimum"),
    "count": bm25.content_terms("many number percent percentage share proportion much"),
    "person": bm25.content_terms("name current head"),
}

_TYPES = [  # first match wins; the patterns read the question in lower case
    ("cost", r"\bhow much (?:does|do|is|are|will|would|did)\b.*\b(?:cost|charge|pay|fee)"
     r"|\bhow much (?:is|are) (?:the |a |an )?(?:fee|fine|price|cost|charge)"
     r"|\bwhat (?:is|are) the (?:cost|price|fee|charge)s? (?:of|for|to)\b"
     r"|\bwhat(?:'s|’s| is| are) the (?:[\w-]+ )?(?:pay|salary|wages?|stipend|price|fees?|"
     r"fines?|bail)\b|\bhow much (?:is|are|does|do|will|would|did)\b"
     r"(?!.*\b(?:time|higher|lower|more|less|greater|bigger|larger|smaller|times|cut|cuts|"
     r"reduce[sd]?|increase[sd]?|decrease[sd]?|drop|drops|rise|rises|improve[sd]?)\b)"
     r"|\b(?:does|do|will) (?:it|they|that|this) (?:cost|charge)\b|\bhow much to\b"
     r"|\bwhat (?:does|do|will|would) (?:[\w'’-]+ ){1,6}(?:cost|charge)\b"
     r"|\b(?:cost|charge) (?:anything|money|much)\b"
     r"|\b(?:max(?:imum)?|min(?:imum)?|typical|usual|average) (?:fines?|fees?|bail|cost|price)\b"
     r"|\bcu[aá]nto (?:cuesta|cobran|vale|hay que pagar)\b"),
    ("time", r"\bwhat time\b|\bwhat hours\b|\b(?:opening|office|business|visiting|clinic|drop-in)"
     r" hours\b|\bhours of operation\b|\bwhen (?:does|do|is|are)\b.*\b(?:open|close)s?\b"
     r"|\bhow late\b|\b(?:what|which) days?\b|\bopen on (?:weekends|sundays|saturdays)\b"
     r"|\bwhen (?:is|are|do|does|will) (?:the |a |an |their |its )?(?:[\w'’-]+ ){0,5}?"
     r"(?:meetings?|meet|sessions?|classes|class|workshops?|events?|appointments?|hearings?|"
     r"orientations?|clinics?|trainings?)(?: (?:happen|held|take place|start|begin|run))?\s*\??$"
     r"|(?<!after )(?<!after-)(?<!out of )\b(?:hours|schedule|opening times)\W*$"
     r"|\bwhen (?:is|are|will be|will) (?:the |their |its )?next\b(?! steps?\b)"
     r"|\b(?:a qu[eé] hora|horario)\b"),
    ("date", r"\bwhat year\b|\bwhen (?:was|were|did)\b|\bwhat date\b|\bsince when\b"
     r"|\bdeadline\b|\bdue date\b"
     r"|\ben qu[eé] a[nñ]o\b"),
    ("web", r"\b(?:website|web site|web page|webpage|e-?mail(?: address)?|url)\b"
     r"|\b(?:sitio web|p[aá]gina web|correo)\b"),
    ("duration", r"\bhow long (?:is|are|does|do|will|would|can|must|should|has|have|until)\b"
     r"|\bhow many (?:days|weeks|months|years|hours)\b|\bcu[aá]nto tiempo\b"
     r"|\bstatute of limitations?\b|\bhow much time\b"),
    ("age", r"\bage limit\b|\bminimum age\b|\bage of consent\b|\bwhat age\b|\bhow old\b"
     r"|\bthe age (?:of|for|to|at)\b|\b(?:old|young) enough\b"),
    ("count", r"\bhow many\b|\bhow much (?:higher|lower|more|less|greater|bigger|larger)\b"
     r"|\bhow much (?:do|does|did|will|would|can|could) .*\b(?:cut|cuts|reduce|increase|"
     r"decrease|drop|lower|raise|improve)\b"
     r"|\bwhat (?:percent|percentage|share|proportion|fraction)\b"
     r"|\bthe number of (?!the\b|an?\b)(?-i:[a-z])"
     r"|\bcu[aá]nt[oa]s\b|\bqu[eé] porcentaje\b"),
    ("person", r"\bwho (?:is|was|are|were) (?:the )?(?:[\w'’-]+ ){0,4}?"
     r"(?:sheriff|mayor|director|chief|supervisor|district attorney|judge|governor|ceo|"
     r"founder|head|leader|president|commissioner|captain|coordinator|contact person)\b"
     r"|\bwhat is the name of the (?:sheriff|mayor|director|chief|supervisor|judge)\b"
     r"|\bqui[eé]n es el (?:actual )?(?:sheriff|alguacil|alcalde|director|jefe)\b"),
    ("place", r"^\W*(?:where|d[oó]nde)\b|\bwhere (?:can|do|does|is|are|should|would)\b"),
    ("who", r"^\W*(?:who|which (?:organi[sz]ation|agency|group|program|clinic|shelter))\b"
     r"|^\W*qui[eé]n"),
    ("howto", r"^\W*how (?:do|can|should|would|could) (?:i|we|you|someone|a |they|people)\b"
     r"|^\W*c[oó]mo (?:puedo|se|hago|podemos)\b"),
    ("yesno", r"^\W*(?:is|are|can|could|do|does|did|will|would|should|may|has|have)\b"),
    ("definition", r"^\W*(?:what (?:is|are|does)|what[’']?s)\b(?:\s+\S+){1,5}\s*\??\s*$"
     r"|\bwhat does .* mean\b"
     r"|^\W*(?:define|meaning of)\b"),
]  # fmt: skip
# a question that asks for a phone number in so many words (not "who do I contact")
_ASKS_PHONE = re.compile(
    r"\b(?:phone|number|call|dial|text ?line|tel[eé]fono|n[uú]mero|llamar|llamo|marco)\b"
    r"|\b(?:number|code|word) to text\b|\bwhat (?:do|can|should) (?:i|we|you|they) text\b"
    r"|(?:^|\s)#\W*$",
    re.I,
)
_TYPE_PATTERNS = [(kind, re.compile(pattern, re.I)) for kind, pattern in _TYPES]

# what a sentence holding each checked type looks like
_EVIDENCE = {
    "cost": re.compile(
        r"\$\s?\d|\b\d+\s?(?:dollars|usd)\b|\bfree\b|\bno[- ](?:cost|charge|fee)\b|\blow[- ]cost\b"
        r"|\bsliding[- ]scale\b|\bgratis\b|\bgratuit[oa]s?\b",
        re.I,
    ),
    "time": re.compile(
        r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|\b24/7\b|\b24 hours\b"
        r"|\b\d{1,2}(?::\d{2})?\s?[-–]\s?\d{1,2}(?::\d{2})?\b(?!\s?(?:%|percent|years|months))"
        r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|\bweekdays?\b|\bweekends?\b"
        r"|\bdaily\b|\bnoon\b|\bmidnight\b",
        re.I,
    ),
    "duration": re.compile(
        r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a few|several)"
        r"[- ](?:(?:consecutive|straight|more|business|working) )?"
        r"(?:days?|weeks?|months?|years?|hours?|minutes?|nights?)\b|\b(?:days?|weeks?|months?|years?)"
        r" (?:of|to)\b|\bimmediate(?:ly)?\b|\bsame[- ]day\b",
        re.I,
    ),
    "web": re.compile(r"https?://|\bwww\.|\b[\w-]+\.(?:org|com|gov|net|us)\b|\S@\w", re.I),
    "date": re.compile(
        r"\b(?:1[89]|20)\d{2}\b|\b(?:january|february|march|april|may|june|july|august|"
        r"september|october|november|december)\b",
        re.I,
    ),
    "age": re.compile(
        r"\b(?:ages?|aged)\s+(?:of\s+)?\d+|\b\d+\s*(?:years?[- ]old|-year-olds?|\+)"
        r"|\b\d+ (?:or|and) (?:older|over|up|younger|under)\b|\b(?:under|over) (?:the age of )?\d+"
        r"|\bbetween \d+ and \d+\b",
        re.I,
    ),
    "count": re.compile(
        r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|"
        r"hundreds?|thousands?|millions?|half|majority|percent)\b",
        re.I,
    ),
}
_NOT_COUNTS = re.compile(
    r"(?:\b(?:code|section|sections|pc|§+)\s*)[\d.()a-z, and]+|\b\d{2,5}\s*\([a-z0-9]{1,2}\)"
    r"|(?<!\d)(?:\+?1[-.\s]?)?\(?\d{3}\)?[-.\s]?\d{3}[-.\s]?\d{4}(?!\d)|\b\d{3}\b(?=\s*\))"
    r"|\b(?:district|route|highway|interstate)\s+\d+",
    re.I,
)
# words that make a capitalised run an organisation, a place or a role, not a person
_NOT_PERSON = re.compile(
    r"\b(?:department|office|center|centre|county|city|court|program|project|services?|"
    r"foundation|house|health|hotline|police|sheriff|street|avenue|boulevard|road|park|"
    r"california|los|angeles|sacramento|state|national|united|division|unit|task|force|"
    r"school|coalition|alliance|network|clinic|hospital|commission|board|team|law|code|"
    r"penal|act|the|of|and|for|in|on|at|community|planning|group|committee|council|library|"
    r"north|south|east|west|northern|southern|highlands?|valley|heights|beach|hills|youth|"
    r"church|ministries|center's|university|college|institute|agency|bureau|authority)\b",
    re.I,
)
_PERSON_WORD = re.compile(r"[A-Z][a-z]+")
# a word as typed: letters first, then letters, digits, apostrophes or hyphens
WORD = re.compile(r"[^\W\d_][\w'’-]*")
# capitalised words at a question's start that are question words, not names
_OPENERS = {
    "what", "which", "where", "who", "whom", "whose", "how", "when", "why", "is", "are", "can",
    "could", "do", "does", "did", "will", "would", "should", "may", "i", "my", "we", "our",
    "someone", "somebody", "anyone", "if", "tell", "find", "list", "please", "hi", "hello",
    "any", "the", "a", "an", "in", "for", "to", "im", "i'm", "help", "thanks", "thank", "hey",
    "ok", "okay", "so", "also", "and", "but", "or", "need", "looking", "quick", "question",
    "cuál", "cual", "qué", "que", "dónde", "donde", "cómo", "como", "quién", "quien", "cuándo",
    "cuando", "cuánto", "cuanto", "cuántos", "cuantos", "cuántas", "cuantas", "hay", "me", "mi",
    "necesito", "busco", "tengo", "puedo", "es", "está", "esta", "son", "hola", "ayuda", "el",
    "la", "los", "las", "un", "una", "en", "para", "por", "si", "sí", "no", "yo", "alguien",
}  # fmt: skip


@dataclass(frozen=True)
class Question:
    """One question, analysed: what search, answer and safety need to know about it.

    Attributes:
        text: as typed.
        language: its language code ("en" unless detected otherwise).
        terms: stemmed content words (BM25's stemmer, no stop or question words).
        codes: the terms with digits ("647b", a phone number's digits).
        typed: the codes and numbers as typed, each with whether it names what is asked
            (`typed_codes`: ("988", True), ("P100", False)).
        names: capitalised words the question names (not its opening question word).
        places: countries and US states it names, in any case ("in canada").
        acronym: the abbreviation it asks to spell out ("What does CAST stand for?"), or "".
        callee: for a phone question, the word naming whom to call, in any case ("rainn"
            in "rainn hotline number"), or "".
        described: for a phone question, the stemmed words beside its line word that say
            whom to call ("easton police non emergency" of "... number", "mobile crisis team"
            of "number for the mobile crisis team").
        asks: the answer type: phone, cost, time, date, duration, web, age, count, person,
            place, who, howto, yesno, definition or other.
        wanted: "number" or "address" when it asks how to reach someone (coverage), else "".
        urgent: about someone in immediate danger.
    """

    text: str
    language: str
    terms: frozenset[str]
    codes: frozenset[str]
    names: tuple[str, ...]
    asks: str
    wanted: str
    urgent: bool
    places: tuple[str, ...] = ()
    acronym: str = ""
    callee: str = ""
    described: frozenset[str] = frozenset()
    typed: tuple[tuple[str, bool], ...] = ()


def analyse(text: str, language: str = "en") -> Question:
    """The question's terms, names, answer type and urgency."""
    # "CA" is read as "California" (in English; an acronym or callee is read as typed)
    typed, text = text, spell_states(text) if language == "en" else text
    terms = frozenset(bm25.content_terms(text))
    asks = answer_type(text)
    # "How many cases did the hotline identify?" asks a count, not the hotline's number
    wanted = "" if asks in CHECKED else asked_for(text)
    if wanted == "number" and _ASKS_PHONE.search(text):
        asks = "phone"
    return Question(
        text=typed,
        language=language,
        terms=terms,
        codes=frozenset(t for t in terms if any(ch.isdigit() for ch in t)),
        names=typed_names(text),
        asks=asks,
        wanted=wanted,
        urgent=is_urgent(text),
        places=named_places(text),
        acronym=asked_acronym(typed),
        callee=asked_callee(typed) if asks == "phone" else "",
        described=described_callee(text) if asks == "phone" else frozenset(),
        typed=tuple(typed_codes(text).items()),
    )


_LINE = r"(?:hotline|helpline|help line|crisis line|phone(?: number)?|number|line|tel[eé]fono)"
_LINE_WORD = re.compile(rf"{_LINE}|telephone|cell|mobile|contact|emergency", re.I)
_CALLEE = [
    re.compile(rf"\b([\w&-]+?)(?:'s|’s)? {_LINE}\b", re.I),  # "rainn hotline number"
    re.compile(rf"\b{_LINE} (?:for|of|to) (?:the )?([\w&-]+)\W*$", re.I),  # "number for rainn"
    re.compile(r"^\W*(?:call|dial|phone) ([\w&-]+)\W*$", re.I),  # "call rainn"
]


_LINE_TERMS = KIND_WORDS["phone"] | bm25.content_terms("hotline helpline reach whats what's")


def asked_callee(text: str) -> str:
    """The one word naming whom a phone question asks to call, if it is written that way:
    "rainn hotline number", "number for swop", "the trafficking hotline" (a topic word: the
    caller checks it like any name)."""
    for pattern in _CALLEE:
        m = pattern.search(text)
        word = m.group(1) if m else ""
        if word and not _LINE_WORD.fullmatch(word) and bm25.content_terms(word):
            return word
    return ""


_LINE_AT = r"(?:phone|number|hotline|helpline|crisis line|line|#)"
_BEFORE_LINE = re.compile(rf"((?:[\w'’/&-]+\s+){{1,4}}){_LINE_AT}(?!\w)", re.I)
_AFTER_LINE = re.compile(
    rf"\b(?:{_LINE_AT}|contact|call|reach)\s+(?:for|of|at)\s+(?:the\s+)?"
    r"((?:[\w'’/&-]+\s*){1,4})",
    re.I,
)


def described_callee(text: str) -> frozenset[str]:
    """The stemmed words next to a phone question's line word that say whom to call: up to
    four words before it ("easton police non emergency number") and after "number for"
    ("number for the mobile crisis team"); none for "who do I phone?" or for a purpose
    ("number to report trafficking": any line for reporting it will do)."""
    words = [m.group(1) for m in (_BEFORE_LINE.search(text), _AFTER_LINE.search(text)) if m]
    return frozenset(bm25.content_terms(" ".join(words)) - _LINE_TERMS)


_ASKS_MEANING = re.compile(
    r"\bstands? for\b|\bshort for\b|\bmeans?\b|\bmeaning\b|\brefers? to\b|\bacronym\b"
    r"|^\W*(?:what|who)(?:'s|’s| is| are) (?:the |an? )?[A-Z][A-Z&]+\W*$|^\W*[A-Z][A-Z&]+\W*$"
    r"|\bsignifica\b",
    re.I,
)
_ACRONYM = re.compile(r"(?<![\w&])[A-Z][A-Z&]{1,9}(?![\w&])")


def asked_acronym(text: str) -> str:
    """The abbreviation a question asks the meaning of: "CAST stands for?" gives "CAST"."""
    if not _ASKS_MEANING.search(text) or not any(ch.islower() for ch in text):
        return ""
    found = [a for a in _ACRONYM.findall(text) if a not in {"I", "OK", "US"}]
    return found[0] if len(found) == 1 else ""


def defines(acronym: str, sentence: str) -> bool:
    """Whether a sentence spells the abbreviation out: "... Trafficking (CAST)",
    "CPTED (Crime Prevention Through Environmental Design)", "CAST stands for ..."."""
    a = re.escape(acronym)
    return bool(
        re.search(
            rf"\(\s*{a}\b|(?<![\w&]){a}\s*\(\s*[A-Z]"
            rf"|(?<![\w&]){a},? (?:stands for|means|is short for)",
            sentence,
        )
    )


_DOTTED = {"US", "USA", "UK"}
# country and state names that are also everyday words or first names
_PLACE_WORDS = {"chad", "jordan", "georgia", "turkey", "jersey", "guinea", "niger", "man"}


@cache
def _places() -> re.Pattern:
    """Every country's and US state's name (pycountry's ISO 3166 data, offline)."""
    import pycountry

    names = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            name = getattr(country, attr, "")
            if name and "," not in name and "(" not in name:
                names.add(name.lower())
    for state in pycountry.subdivisions.get(country_code="US") or []:
        names.add(state.name.lower())
    names -= _PLACE_WORDS
    ordered = sorted(names, key=len, reverse=True)  # "west virginia" before "virginia"
    return re.compile(r"\b(?:" + "|".join(map(re.escape, ordered)) + r")\b")


# state codes that are also words or other abbreviations when written in capitals ("IN",
# "OR", "LA County", "MD"), and the territories
_CODE_WORDS = {
    "AL", "AS", "CO", "CT", "DC", "DE", "GA", "GU", "HI", "ID", "IN", "LA", "MA", "MD", "ME",
    "MI", "MP", "MS", "NC", "NE", "OH", "OK", "OR", "PA", "PR", "SC", "SD", "UM", "VA", "VI",
}  # fmt: skip


@cache
def _state_codes() -> dict[str, str]:
    """US state postal codes to state names ("CA": "California"), from pycountry."""
    import pycountry

    states = pycountry.subdivisions.get(country_code="US") or []
    codes = {s.code.removeprefix("US-"): s.name for s in states}
    return {code: name for code, name in codes.items() if code not in _CODE_WORDS}


# a code where a place goes: after "in", "from"... or ending the question ("... prostitution
# CA"), never inside a name ("the VA crisis line", "a CT scan")
_CODE = re.compile(
    r"(?:(?<=\bin )|(?<=\bfrom )|(?<=\bof )|(?<=\bnear )|(?<=\bacross )|(?<=\boutside )"
    r"|(?<=, ))[A-Z]{2}(?![\w&-])|(?<![\w.&-])[A-Z]{2}(?=\W*$)"
)


def spell_states(text: str) -> str:
    """The text with US state codes written in capitals where a place goes spelled out ("max
    fine first offense CA", "laws in NV": the guides say "California"); a text with no lower
    case is left as it is."""
    if not any(ch.islower() for ch in text):
        return text
    codes = _state_codes()
    return _CODE.sub(lambda m: codes.get(m.group(), m.group()), text)


# "is there a shelter in lakeside": the words after a closing "in" / "near" name a place
_TRAILING_PLACE = re.compile(
    r"\b(?:in|near|around|outside of)\s+(?:the\s+)?([a-z][\w'’-]+(?:\s+[a-z][\w'’-]+)?)\W*$"
)


# what follows "in" without naming a place ("in the area", "in jail", "in spanish")
_NOT_PLACES = bm25.content_terms(
    "area areas city town county country state region neighborhood neighbourhood community "
    "world person public general private jail prison custody school hospital home house work "
    "office clinic shelter court spanish english language languages mind total future past "
    "time case cases detail details writing advance action progress danger trouble need crisis"
)


def named_places(text: str) -> tuple[str, ...]:
    """Countries and US states a question names, written in any case ("trafficking hotline
    in mexico" names Mexico), and the place a question written in lower case ends on ("is
    there a shelter in lakeside"), as they are written in the question."""
    lowered = text.lower()
    found = [text[m.start() : m.end()] for m in _places().finditer(lowered)]
    trailing = _TRAILING_PLACE.search(text)
    # "in the sac area": a place said loosely, not a name to look up
    if trailing and not bm25.content_terms(trailing.group(1)) & _NOT_PLACES:
        found.append(trailing.group(1))
    return tuple(dict.fromkeys(p.title() if p.islower() else p for p in found))


def answer_type(text: str) -> str:
    """What kind of answer the question wants (see `Question.asks`)."""
    for kind, pattern in _TYPE_PATTERNS:
        if pattern.search(text):
            return kind
    return "other"


def typed_names(text: str) -> tuple[str, ...]:
    """Capitalised words of the question, its sentences' opening words left out.

    A question with no lower case has none we can tell. A sentence's first word counts only
    when a capitalised word follows it or it is in capitals ("San Diego shelters?", "DMV?").
    """
    if not any(ch.islower() for ch in text):
        return ()
    names = []
    for sentence in re.split(r"(?<=[.!?¿¡])\s*|\n", text):
        words = WORD.findall(sentence)
        for i, w in enumerate(words):
            opener = w.lower().strip("'’") in _OPENERS and (i == 0 or w == "I")
            # a sentence's first word is capitalised anyway: a name only when a name follows
            # ("San Diego shelters?"), or when it is written in capitals ("DMV hours?")
            first = i == 0 and not w.isupper() and not (len(words) > 1 and words[1][0].isupper())
            if w[0].isupper() and not opener and not first:
                names.append(w)
    return tuple(dict.fromkeys(names))


def holds(kind: str, sentence: str) -> bool:
    """Whether a sentence holds an answer of a checked type (a time, a cost, a count...)."""
    if kind == "person":  # two or three capitalised words in a row, none an organisation's
        # or a place's word, in a run of at most four ("Sheriff Jim Cooper"): "North Highlands
        # Community Planning Group" names no person
        run: list[str] = []
        for word in [*re.findall(r"[\w'’.-]+", sentence), ""]:
            if _PERSON_WORD.fullmatch(word):
                run.append(word)
                continue
            if len(run) <= 4 and _named_person(run):
                return True
            run = []
        return False
    if kind == "count":  # a code section or a phone number is not a count
        sentence = _NOT_COUNTS.sub(" ", sentence)
    pattern = _EVIDENCE.get(kind)
    return True if pattern is None else bool(pattern.search(sentence))


def _named_person(run: list[str]) -> bool:
    """Whether two or three of a run's words in a row are a name (no organisation's word)."""
    plain = 0
    for word in run:
        plain = 0 if _NOT_PERSON.fullmatch(word) else plain + 1
        if plain >= 2:
            return True
    return False


# a year, an ordinal, a decade, an amount, a share, a time or a date is no code a document
# must hold ("in 2020", "the 20th", "the 80s", "$500", "1,000", "100%", "9am", "24/7", "3/15")
_NOT_CODE = re.compile(
    r"[$€£].*|.*[/:%].*|(?:19|20)\d\d'?s?|\d+(?:st|nd|rd|th|s)|\d{1,3}(?:,\d{3})+|\d+\.\d+"
    r"|\d+(?:am|pm|a\.m|p\.m)",
    re.I,
)


def typed_codes(text: str) -> dict[str, bool]:
    """The codes and numbers a question types ("988", "SB 357"'s "357", "P100", "647c"), each
    with whether it names the thing asked about (a number of three digits or more, a phone
    number: True) or is a detail (a model or part number with letters: False)."""
    codes = {}
    for token in re.findall(r"\S*\d\S*", text):
        token = token.strip(".,;:!?\"'’“”()[]")
        if not token or _NOT_CODE.fullmatch(token):
            continue
        digits = sum(ch.isdigit() for ch in token)
        letters = any(ch.isalpha() for ch in token)
        if letters or digits >= 3:
            codes[token] = not letters
    return codes


def absent_codes(question: Question, known) -> dict[str, bool]:
    """`typed_codes` that no indexed passage holds, by their longest term (a phone number's
    digits run together), with whether each names the thing asked about."""
    absent = {}
    for token, whole in question.typed:
        terms = [t for t in bm25.content_terms(token) if any(ch.isdigit() for ch in t)]
        if terms and not known(max(terms, key=len)):
            absent[token] = whole
    return absent


def absent_names(question: Question, known) -> list[str]:
    """The question's names and codes that no indexed passage holds (`known(term)` says whether
    one does).

    "Nevada" over three California guides, "988" over guides that never give that line; never
    a word of the question that is in them.
    """
    english = question.language == "en"
    absent = list(absent_codes(question, known)) if english else []
    named = (*question.names, *question.places, *((question.callee,) if question.callee else ()))
    if not english:  # an English index's names, asked in Spanish: "Nevada", "Fresno"; not
        # the question's own abbreviations ("VIH" is HIV); accents fold as the index's do
        named = tuple(n for n in (*question.names, *question.places) if not n.isupper())
    for name in dict.fromkeys(named):
        if name in _DOTTED:  # a document writes "U.S.", which is not the word "us"
            continue
        terms = bm25.content_terms(name)
        # a place is met only whole: a document saying "new" does not mention New Mexico
        met = all if name in question.places else any
        if terms and not met(known(t) for t in terms):
            absent.append(name)
    return joined(question.text, absent)


# what may stand between two words that name one thing: "loss of voice", "SB 357"
_JOINING = frozenset({"", "of", "the", "a", "an", "for", "-"})


def joined(text: str, words: list[str]) -> list[str]:
    """`words` as the question runs them together: "SB 357", not "357" and "SB"; "loss of
    voice", not "loss" and "voice"."""
    spans = sorted(
        (m.start(), m.end())
        for w in words
        if (m := re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text))
    )
    if len(spans) < len(words) or len(words) < 2:  # not all found as typed: keep them apart
        return words
    runs = [list(spans[0])]
    for start, end in spans[1:]:
        if text[runs[-1][1] : start].strip().lower() in _JOINING:
            runs[-1][1] = end
        else:
            runs.append([start, end])
    return [text[a:b] for a, b in runs]
