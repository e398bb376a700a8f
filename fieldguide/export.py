"""Export: a trainer's workshop pack of cited passages, saved as Markdown, DOCX or JSON."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import FieldGuideError
from .present import citation_label

FORMAT = "fieldguide-pack"
VERSION = 1
MAX_PACK_BYTES = 5 * 1024 * 1024
# characters that can make Markdown fetch, link, format or embed HTML
_ACTIVE = re.compile(r"([\\`*_\[\]<>!#|&~$])")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class PackError(FieldGuideError):
    """A pack file that cannot be opened."""


@dataclass
class PackItem:
    """One collected passage, exactly as quoted, with its citation and the trainer's note.

    `highlights` are (start, end) character spans of `text` to emphasise (the answering
    sentences); `start`/`end` are the passage's offsets in its document.
    """

    text: str
    title: str
    section: str = ""
    page: int | None = None
    doc_id: str = ""
    source: str = ""
    start: int = 0
    end: int = 0
    highlights: list[tuple[int, int]] = field(default_factory=list)
    question: str = ""
    note: str = ""

    @property
    def item_id(self) -> str:
        """Stable identity: the same passage of the same document is one item."""
        return f"{self.doc_id or self.title}:{self.start}-{self.end}"

    @property
    def citation(self) -> str:
        """'title · section · page N'."""
        return citation_label(self.title, self.section, self.page)


@dataclass
class Pack:
    """An ordered list of passages with a title; lives in the session, saved as JSON."""

    title: str = "Workshop pack"
    items: list[PackItem] = field(default_factory=list)

    def has(self, item_id: str) -> bool:
        """Whether a passage is already in the pack."""
        return any(item.item_id == item_id for item in self.items)

    def add(self, item: PackItem) -> bool:
        """Append a passage; False when it is already there."""
        if self.has(item.item_id):
            return False
        self.items.append(item)
        return True

    def remove(self, item_id: str) -> None:
        """Drop a passage."""
        self.items = [item for item in self.items if item.item_id != item_id]

    def move(self, item_id: str, offset: int) -> None:
        """Move a passage up (negative offset) or down, staying within the list."""
        i = next(n for n, item in enumerate(self.items) if item.item_id == item_id)
        j = min(max(i + offset, 0), len(self.items) - 1)
        self.items.insert(j, self.items.pop(i))

    def annotate(self, item_id: str, note: str) -> None:
        """Set the trainer's note on a passage."""
        for item in self.items:
            if item.item_id == item_id:
                item.note = note

    def merge(self, other: Pack) -> int:
        """Add another pack's passages that are not here yet; returns how many were added."""
        return sum(self.add(item) for item in other.items)


def item_from_hit(hit, highlights: list[tuple[int, int]] = (), question: str = "") -> PackItem:
    """A pack item from a search hit; `highlights` are spans of its text (`Answer.spans_of`)."""
    return PackItem(
        hit.text,
        hit.title,
        hit.section,
        hit.page,
        hit.doc_id,
        Path(hit.source).name if hit.source else "",
        hit.start,
        hit.end,
        sorted((s, e) for s, e in highlights if 0 <= s < e <= len(hit.text)),
        question,
    )


def sources(pack: Pack) -> list[tuple[str, str]]:
    """(title, file name) of each document quoted, in order of first use."""
    return list(dict.fromkeys((item.title, item.source) for item in pack.items))


def pack_to_json(pack: Pack) -> str:
    """The pack as a JSON file that `pack_from_json` reads back."""
    data = {"format": FORMAT, "version": VERSION, **dataclasses.asdict(pack)}
    return json.dumps(data, indent=2, ensure_ascii=False)


def pack_from_json(raw: bytes | str) -> Pack:
    """Read a saved pack.

    Raises:
        PackError: too large, not JSON, or not a Field Guide pack.
    """
    if len(raw) > MAX_PACK_BYTES:
        raise PackError("This pack file is too large (over 5 MB).")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise PackError("This file is not a Field Guide pack (it is not readable JSON).") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PackError("This file is not a Field Guide pack.")
    if data.get("version") != VERSION:
        raise PackError("This pack was saved by a newer version of Field Guide.")
    items = data.get("items")
    if not isinstance(items, list):
        raise PackError("This pack file is damaged (it has no list of passages).")
    title = data.get("title")
    return Pack(str(title) if title else "Workshop pack", [_item(row) for row in items])


def _item(row) -> PackItem:
    if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row.get("title"):
        raise PackError("This pack file is damaged (a passage has no text or title).")
    try:
        text = row["text"]
        highlights = [
            (int(s), int(e))
            for s, e in row.get("highlights") or []
            if 0 <= int(s) < int(e) <= len(text)
        ]
        page = row.get("page")
        return PackItem(
            text,
            str(row["title"]),
            str(row.get("section") or ""),
            int(page) if page not in (None, "") else None,
            str(row.get("doc_id") or ""),
            Path(str(row.get("source") or "")).name,
            int(row.get("start") or 0),
            int(row.get("end") or 0),
            sorted(highlights),
            str(row.get("question") or ""),
            str(row.get("note") or ""),
        )
    except (TypeError, ValueError):
        raise PackError("This pack file is damaged (a passage has a wrong value).") from None


def inert_markdown(text: str) -> str:
    """Markdown showing `text` as written: nothing in it can link, embed or fetch."""
    return _ACTIVE.sub(r"\\\1", text)


def _pieces(item: PackItem) -> list[tuple[str, bool]]:
    """The passage as (text, highlighted) pieces."""
    out, cursor = [], 0
    for start, end in item.highlights:
        start = max(start, cursor)
        if start >= end:
            continue
        out += [(item.text[cursor:start], False), (item.text[start:end], True)]
        cursor = end
    out.append((item.text[cursor:], False))
    return [(text, lit) for text, lit in out if text]


def _source_number(pack: Pack, item: PackItem) -> int:
    return sources(pack).index((item.title, item.source)) + 1


def pack_markdown(pack: Pack) -> str:
    """The pack as Markdown: each passage quoted with its citation, then the list of sources."""
    lines = [
        f"# {inert_markdown(pack.title)}",
        "",
        f"Made with Field Guide on {time.strftime('%Y-%m-%d')}. Each passage is quoted exactly "
        "from the document named under it; highlighted sentences answered the question asked.",
        "",
    ]
    for n, item in enumerate(pack.items, start=1):
        lines += [f"## {n}. {inert_markdown(item.section or item.title)}", ""]
        if item.question:
            lines += [f"Question: {inert_markdown(item.question)}", ""]
        quoted = _markdown_quote(item)
        lines += ["> " + line if line else ">" for line in quoted.split("\n")]
        lines += ["", f"Source: {inert_markdown(item.citation)} [{_source_number(pack, item)}]", ""]
        if item.note.strip():
            lines += [f"Trainer's note: {inert_markdown(item.note.strip())}", ""]
    lines += ["## Sources", ""]
    for n, (title, source) in enumerate(sources(pack), start=1):
        lines.append(
            f"{n}. {inert_markdown(title)}" + (f" ({inert_markdown(source)})" if source else "")
        )
    return "\n".join(lines) + "\n"


def _markdown_quote(item: PackItem) -> str:
    """The passage as inert Markdown, highlights in bold (bold cannot cross a line break)."""
    out = []
    for text, lit in _pieces(item):
        lines = [inert_markdown(line) for line in text.split("\n")]
        out.append("\n".join(f"**{ln}**" if lit and ln.strip() else ln for ln in lines))
    return "".join(out)


def _xml_safe(text: str) -> str:
    """Text Word can store: control characters other than tab and newline removed."""
    return _CONTROL.sub("", text)


def pack_docx(pack: Pack) -> bytes:
    """The pack as a Word document (.docx) with the same content as the Markdown."""
    import docx
    from docx.enum.text import WD_COLOR_INDEX

    document = docx.Document()
    document.core_properties.title = _xml_safe(pack.title)[:255]
    document.add_heading(_xml_safe(pack.title), level=0)
    document.add_paragraph(
        f"Made with Field Guide on {time.strftime('%Y-%m-%d')}. Each passage is quoted exactly "
        "from the document named under it; highlighted sentences answered the question asked."
    )
    for n, item in enumerate(pack.items, start=1):
        document.add_heading(_xml_safe(f"{n}. {item.section or item.title}"), level=1)
        if item.question:
            document.add_paragraph(_xml_safe(f"Question: {item.question}"))
        quote = document.add_paragraph(style="Quote")
        for text, lit in _pieces(item):
            run = quote.add_run(_xml_safe(text))
            if lit:
                run.bold = True
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        document.add_paragraph(_xml_safe(f"Source: {item.citation} [{_source_number(pack, item)}]"))
        if item.note.strip():
            note = document.add_paragraph()
            note.add_run("Trainer's note: ").bold = True
            note.add_run(_xml_safe(item.note.strip()))
    document.add_heading("Sources", level=1)
    for title, source in sources(pack):
        line = title + (f" ({source})" if source else "")
        document.add_paragraph(_xml_safe(line), style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
