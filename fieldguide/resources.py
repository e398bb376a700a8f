"""Resources: the phone numbers, text lines and hotlines found in the documents, with who runs them.

Numbers are parsed and normalised with `phonenumbers` (region US), so "1-888-373-7888" and
"(888) 373-7888" are one entry. Text-line short codes ("text HELP to 233733") and three-digit
service numbers ("call 911") are kept as written. Each number is paired with the organisation
named just before it (in a table row, the row's Organisation/Name cell), and each entry keeps
every passage it was found in.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import phonenumbers

from .tables import SEPARATOR, is_row_line, row_cells

REGION = "US"
SERVICE_NUMBERS = {
    "911": "Emergency services (police, fire, ambulance)",
    "988": "988 Suicide & Crisis Lifeline",
    "211": "211 community information and referral",
    "311": "311 city services",
}
_SERVICE = re.compile(
    r"\b(?:call|dial|phone|ring|calling|dialing|dialling)\s+(911|988|211|311)\b", re.I
)
# "text 233733", "text HELP to 233733", 'text "HELP" or "INFO" to 233733'
_TEXT_LINE = re.compile(r"\btext(?:ing)?(?:\s+(?:\"?[A-Z]{2,}\"?|or|to))*\s+(\d{5,6})\b", re.I)

_WORD = r"(?:[A-Z][\w'.\-]*)"
_ACRONYM = r"(?:\s+\([A-Z][A-Za-z]{1,10}\))"
# a run of capitalised words, joined by "of", "&", "de"…: where organisation names are looked for
NAME = re.compile(
    rf"{_WORD}{_ACRONYM}?(?:\s+(?:(?:of|to|for|and|&|on|de|del|la)\s+)*{_WORD}{_ACRONYM}?)*"
)
_LEADING = {"the", "call", "contact", "dial", "text", "phone", "reach", "visit", "email", "or"}
_NOT_NAMES = {
    "i", "if", "yes", "no", "for", "call", "contact", "where", "what", "when", "how", "who", "why",
    "monday", "mondays", "tuesday", "tuesdays", "wednesday", "wednesdays", "thursday",
    "thursdays", "friday", "fridays", "saturday", "saturdays", "sunday", "sundays",
}  # fmt: skip
_ORG_WORDS = re.compile(
    r"\b(hotline|helpline|lifeline|line|center|centre|clinic|coalition|house|project|program|"
    r"programme|foundation|services?|department|dept|task force|shelter|network|alliance|office|"
    r"court|society|association|council|authority|bank|trust|institute|agency|police|sheriff|"
    r"church|ministry|fund|home|hospital|partnership|initiative|collective|team|division)\b",
    re.I,
)

# the column naming who runs a row's numbers, best first ("Contact name" is a person, not them)
_ORG_COLUMNS = (
    re.compile(r"organi[sz]ation|agency|provider|charity|operator", re.I),
    re.compile(r"^(?:\w+ )?name$", re.I),
    re.compile(r"service|program|shelter|clinic|cent(?:re|er)|resource|hotline|helpline", re.I),
)
_NOT_ORG_COLUMN = re.compile(
    r"contact|person|staff|manager|coordinator|worker|phone|number|hours|time|days|address|"
    r"e-?mail|web|fax|text|notes?",
    re.I,
)


@dataclass
class Mention:
    """One place a number is written: as written, normalised, who it belongs to, and where."""

    written: str
    key: str
    kind: str
    number: str
    organisation: str
    doc_id: str
    title: str
    section: str
    page: int | None
    chunk_id: str
    start: int  # offsets of the number in the document's normalised text
    end: int
    sentence: str
    valid: bool = True


@dataclass
class Resource:
    """One directory entry: a number (however it was written) and every passage naming it.

    `kind` is "phone", "text" (a text-message short code) or "service" (911, 988, 211, 311).
    """

    key: str
    kind: str
    number: str
    organisation: str
    names: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Number:
    """A number in a text: offsets, as written, key (E.164 or "text:233733"), kind, display."""

    start: int
    end: int
    written: str
    key: str
    kind: str
    number: str
    valid: bool
    name_end: int  # the organisation's name is looked for before this offset


@lru_cache(maxsize=16_384)
def find_numbers(text: str) -> tuple[Number, ...]:
    """Phone numbers, text-line codes and service numbers in `text`, in order of appearance.

    Kept per text: one question reads the same passages' numbers for its answer, its urgency
    and its differences (2.6 ms of a 27 ms question on phonenumbers' matcher before)."""
    found: list[Number] = []
    for match in phonenumbers.PhoneNumberMatcher(
        text, REGION, leniency=phonenumbers.Leniency.POSSIBLE
    ):
        start, raw = match.start, match.raw_string
        if raw.startswith("(") and ")" not in raw:  # "(1-888-…" written inside brackets
            start, raw = start + 1, raw[1:]
        number = match.number
        found.append(
            Number(
                start,
                match.end,
                raw,
                phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                "phone",
                phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
                phonenumbers.is_valid_number(number),
                start,
            )
        )
    taken = [(f.start, f.end) for f in found]
    for pattern, kind in ((_TEXT_LINE, "text"), (_SERVICE, "service")):
        for match in pattern.finditer(text):
            s, e = match.span(1)
            if any(s < te and ts < e for ts, te in taken):
                continue
            code = match.group(1)
            label = f"text {code}" if kind == "text" else code
            found.append(Number(s, e, code, f"{kind}:{code}", kind, label, True, match.start()))
    return tuple(sorted(found, key=lambda f: f.start))


def clean_name(name: str) -> str:
    """A name without leading verbs ("Call", "the") and a trailing possessive."""
    words = name.split()
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    name = " ".join(words)
    return re.sub(r"['’]s$", "", name).strip(" .-")


def org_rank(name: str) -> int:
    """2: names an organisation kind (Clinic, Hotline…); 1: several words or an acronym; 0: no."""
    if not name or name.lower() in _NOT_NAMES:
        return 0
    if _ORG_WORDS.search(name):
        return 2
    if len(name.split()) > 1 or re.fullmatch(r"[A-Z]{2,}\w*", name):
        return 1
    return 0


def name_before(text: str) -> str:
    """The organisation named last in `text` (e.g. the words before a number), or ''."""
    for match in reversed(list(NAME.finditer(text))):
        name = clean_name(match.group())
        if org_rank(name):
            return name
    return ""


def best_name_in(text: str) -> str:
    """The most organisation-like name in `text` (an earlier sentence), or ''."""
    names = [clean_name(m.group()) for m in NAME.finditer(text)]
    ranked = [(org_rank(n), -i, n) for i, n in enumerate(names) if org_rank(n)]
    return max(ranked)[2] if ranked else ""


def row_organisation(text: str, offset: int) -> str:
    """Who runs the number at `offset` when it sits in a table row line: the row's cell under an
    Organisation/Name/Service-like header, else its first cell; '' outside a row."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = text[start : len(text) if end < 0 else end]
    if not is_row_line(line):
        return ""
    cells = row_cells(line)
    for column in _ORG_COLUMNS:
        for label, value in cells:
            if label and column.search(label) and not _NOT_ORG_COLUMN.search(label):
                return value
    label, value = cells[0]
    own = offset - start < len(line.split(SEPARATOR)[0])  # the number is the first cell
    if own or _NOT_ORG_COLUMN.search(label) or not re.search(r"[^\W\d_]", value):
        return ""
    return value


def organisation_key(name: str) -> set[str]:
    """Keys under which a name counts as the same organisation: its words, and its acronym."""
    acronyms = {a.lower() for a in re.findall(r"\(([A-Z][A-Za-z]{1,10})\)", name)}
    words = re.sub(r"\([^)]*\)", " ", name.lower())
    words = re.sub(r"\b(the|hotline|helpline|line)\b", " ", words)
    key = " ".join(re.sub(r"[^\w&]+", " ", words).split())
    return ({key} if key else set()) | acronyms


def find_mentions(passage) -> list[Mention]:
    """Numbers in one passage (a Chunk or Hit) with the organisation each belongs to."""
    text = passage.text
    sentences = [(s - passage.start, e - passage.start) for s, e in passage.sentences] or [
        (0, len(text))
    ]
    mentions: list[Mention] = []
    previous: tuple[int, str] | None = None  # (sentence, organisation) of the last number
    for found in find_numbers(text):
        n = next((i for i, (s, e) in enumerate(sentences) if s <= found.start < e), None)
        if n is None:
            n = max((i for i, (s, _) in enumerate(sentences) if s <= found.start), default=0)
        begin = sentences[n][0]
        last_end = mentions[-1].end - passage.start if previous and previous[0] == n else begin
        name = SERVICE_NUMBERS.get(found.written) if found.kind == "service" else None
        name = name or row_organisation(text, found.start)
        name = name or name_before(text[max(begin, last_end) : found.name_end])
        if not name and previous and previous[0] == n:
            name = previous[1]  # "the Hotline (1-888-373-7888, text 233733)"
        if not name and n > 0:
            name = best_name_in(text[sentences[n - 1][0] : sentences[n - 1][1]])
        start, end = sentences[n]
        mentions.append(
            Mention(
                found.written,
                found.key,
                found.kind,
                found.number,
                name,
                passage.doc_id,
                passage.title,
                passage.section,
                passage.page,
                passage.chunk_id,
                passage.start + found.start,
                passage.start + found.end,
                text[start:end],
                found.valid,
            )
        )
        previous = (n, name)
    return mentions


def build_directory(passages) -> list[Resource]:
    """One entry per distinct number across all passages, sorted by organisation.

    Args:
        passages: chunks of an index (or hits); each needs text, start, sentences, doc_id,
            title, section, page and chunk_id.

    Returns:
        Resources; an organisation listed with two or more different phone numbers gets a
        warning on each of them, and so does a number that is not a valid US number.
    """
    entries: dict[str, Resource] = {}
    for passage in passages:
        for mention in find_mentions(passage):
            key = mention.key
            entry = entries.setdefault(key, Resource(key, mention.kind, mention.number, ""))
            entry.mentions.append(mention)
            if not mention.valid and not entry.warnings:
                entry.warnings.append("Not a valid US number - check it before use.")
    for entry in entries.values():
        names = Counter(m.organisation for m in entry.mentions if m.organisation)
        entry.names = [n for n, _ in names.most_common()]
        entry.organisation = max(names, key=lambda n: (names[n], org_rank(n), len(n)), default="")
        entry.documents = list(dict.fromkeys(m.title for m in entry.mentions))
    _flag_organisations_with_several_numbers(list(entries.values()))
    return sorted(entries.values(), key=lambda r: (r.organisation.lower() or "~", r.number))


def _flag_organisations_with_several_numbers(resources: list[Resource]) -> None:
    by_org: dict[str, list[Resource]] = {}
    for resource in resources:
        if resource.kind != "phone":
            continue
        for key in set().union(*(organisation_key(n) for n in resource.names)):
            by_org.setdefault(key, []).append(resource)
    for same in by_org.values():
        numbers = list(dict.fromkeys(r.number for r in same))
        if len(numbers) < 2:
            continue
        for resource in same:
            others = ", ".join(n for n in numbers if n != resource.number)
            note = (
                f"{resource.organisation or 'This organisation'} is also listed with {others} - "
                "check which number is right."
            )
            if note not in resource.warnings:
                resource.warnings.append(note)


def filter_resources(resources: list[Resource], query: str) -> list[Resource]:
    """Entries whose organisation, number, document or passage contains every query word."""
    words = query.lower().split()
    digits = re.sub(r"\D", "", query)

    def haystack(r: Resource) -> str:
        parts = [r.number, r.key, *r.names, *r.documents, *(m.sentence for m in r.mentions)]
        return " ".join(parts).lower()

    def matches(r: Resource) -> bool:
        if digits and len(digits) >= 3 and digits in re.sub(r"\D", "", r.key):
            return True
        text = haystack(r)
        return all(w in text for w in words)

    return [r for r in resources if matches(r)]


def resource_rows(resources: list[Resource]) -> list[dict[str, str]]:
    """Table rows (organisation, number, type, documents, note) for display and CSV."""
    kinds = {"phone": "call", "text": "text message", "service": "call"}
    return [
        {
            "organisation": r.organisation or "(not named)",
            "number": r.number,
            "type": kinds[r.kind],
            "check": " ".join(r.warnings),
            "passages": str(len(r.mentions)),
            "found in": "; ".join(r.documents),
        }
        for r in resources
    ]


_EMPTY = Resource("", "phone", "", "")


def _spreadsheet_safe(value: str) -> str:
    # a cell starting with = + - @ runs as a formula in spreadsheet apps
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def directory_csv(resources: list[Resource]) -> str:
    """The directory as CSV text, one row per number, with the passages each was found in."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    rows = resource_rows(resources)
    writer.writerow([*(rows[0] if rows else resource_rows([_EMPTY])[0]), "sources"])
    for resource, row in zip(resources, rows, strict=True):
        sources = " | ".join(
            f"{m.title}{f' · {m.section}' if m.section else ''}: {m.sentence}"
            for m in resource.mentions
        )
        writer.writerow([_spreadsheet_safe(v) for v in [*row.values(), sources]])
    return buffer.getvalue()
