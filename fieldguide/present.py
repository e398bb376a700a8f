"""Present: turn untrusted document text into inert, highlighted markdown and citation labels."""

from __future__ import annotations

import re
import string
from typing import TYPE_CHECKING

from .problems import Kind

if TYPE_CHECKING:
    from .store import DocumentEntry

# every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of
# them means document text can never form a link, image, HTML tag, heading or directive
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def escape_markdown(text: str) -> str:
    """Markdown that renders exactly `text`, with its line breaks, and nothing active."""
    escaped = _PUNCTUATION.sub(r"\\\1", text)
    return "  \n".join(escaped.split("\n"))


def highlight_markdown(
    text: str, spans: list[tuple[int, int]], colour: str = "orange", bold: bool = False
) -> str:
    """Escaped markdown of `text` with the character spans (relative to `text`) highlighted."""
    out, cursor = [], 0
    for start, end in sorted(spans):
        start, end = max(start, cursor), min(end, len(text))
        if start >= end:
            continue
        out.append(escape_markdown(text[cursor:start]))
        # one highlight per line: a highlight cannot run across a paragraph break
        lines = text[start:end].split("\n")
        out.append("  \n".join(_mark(line, colour, bold) for line in lines))
        cursor = end
    out.append(escape_markdown(text[cursor:]))
    return "".join(out)


def _mark(line: str, colour: str, bold: bool) -> str:
    core = line.strip()
    if not core:
        return line
    lead, trail = line[: len(line) - len(line.lstrip())], line[len(line.rstrip()) :]
    inner = f"**{escape_markdown(core)}**" if bold else escape_markdown(core)
    return f"{lead}:{colour}-background[{inner}]{trail}"


def citation_label(title: str, section: str = "", page: int | None = None) -> str:
    """'title · section · page N', the form every citation takes."""
    parts = [title, section if section and section != title else "", f"page {page}" if page else ""]
    return " · ".join(p for p in parts if p)


_UNREADABLE = (
    "This file could not be read safely (it may be damaged).",
    "Save a fresh copy and add it again.",
)
_LOCKED = (
    "This PDF is locked with a password.",
    "Open it, save an unlocked copy, and add that copy.",
)
# what happened and what to do, in a volunteer's words, for each kind of problem
_ADVICE: dict[str, tuple[str, str]] = {
    Kind.SCANNED: (
        "This PDF is a scanned image, and no words could be recognised in it.",
        "If it has text, scan it again sharper and straighter (300 dpi), or find the original "
        "file, and add that.",
    ),
    Kind.GARBLED_PDF: (
        "This PDF's text cannot be decoded, and no words could be recognised on its pages.",
        "Open it on your computer and print it to a new PDF, then add that.",
    ),
    Kind.OCR_MISSING: (
        "This is a scan or a photo, and the text recogniser (Tesseract) is not installed.",
        "Ask whoever looks after Field Guide to install it "
        "(sudo apt install tesseract-ocr tesseract-ocr-spa), then re-index.",
    ),
    Kind.NO_WORDS: (
        "No words could be recognised in this picture.",
        "If it has text, take a sharper, straighter photo in good light and add it again.",
    ),
    Kind.DAMAGED_IMAGE: (
        "This image is damaged, or it is not really an image.",
        "Open it and save it again as PNG or JPG, then add it.",
    ),
    Kind.LOCKED: _LOCKED,
    Kind.ENCRYPTED: _LOCKED,
    Kind.UNSUPPORTED: (
        "Field Guide cannot read this type of file.",
        "Save it as PDF, Word (.docx), a spreadsheet (.xlsx or CSV), plain text or a web page "
        "(HTML) and add it again.",
    ),
    Kind.TOO_BIG: (
        "This file is too big.",
        "Split it into smaller files, or ask whoever looks after Field Guide to raise the limit.",
    ),
    Kind.NOT_PDF: (
        "This file is named .pdf but is not a PDF.",
        "It may be a web page saved with the wrong name - open it and save it again as a PDF.",
    ),
    Kind.NOT_TEXT: (
        "This file is named as text but holds binary data (a program, archive or picture).",
        "Check that you picked the right file; if it is a document, save it as PDF or DOCX.",
    ),
    Kind.DAMAGED_DOCX: (
        "This Word file is damaged, or it is an old .doc file.",
        "Open it in Word and save it as .docx, then add it again.",
    ),
    Kind.DAMAGED_ODT: (
        "This OpenDocument file is damaged, or it is not really a .odt file.",
        "Open it in LibreOffice and save it again as .odt (or .docx), then add it.",
    ),
    Kind.DAMAGED_PPTX: (
        "This PowerPoint file is damaged, or it is an old .ppt file.",
        "Open it in PowerPoint or LibreOffice and save it as .pptx, then add it again.",
    ),
    Kind.DAMAGED_XLSX: (
        "This spreadsheet is damaged, or it is an old .xls file.",
        "Open it in Excel or LibreOffice and save it as .xlsx (or CSV), then add it again.",
    ),
    Kind.DAMAGED_CSV: (
        "This CSV file is damaged, or it is not really a text file.",
        "Open it in a spreadsheet program and save it again as CSV, then add it.",
    ),
    Kind.NOT_EMAIL: (
        "This file is named .eml but is not an email.",
        "Save the email again from your mail program (as .eml), then add it.",
    ),
    Kind.DAMAGED_PDF: (
        "This file is damaged and cannot be read.",
        "Open it on your computer and save (or print) it to a new PDF, then add that.",
    ),
    Kind.EMPTY: ("The file is empty.", "Check that you picked the right file."),
    Kind.NO_TEXT: (
        "No text was found in this file.",
        "If it is a scan or a photo, add it as a PDF or an image (PNG, JPG) instead.",
    ),
    Kind.TIMEOUT: (
        "Reading this file took too long, so it was skipped.",
        "It may be very large or damaged - try saving a smaller copy.",
    ),
    Kind.CANNOT_OPEN: (
        "The file could not be opened.",
        "Check that it is not open in another program, then try again.",
    ),
    Kind.MISSING: (
        "There is no file or folder at this path.",
        "Check the spelling of the path, or pick the file again.",
    ),
    Kind.GONE: (
        "The file is no longer in the library folder.",
        "Re-index the library to drop it, or add the file again.",
    ),
    Kind.CHANGED: (
        "The file has changed since it was indexed.",
        "Re-index the library so answers use the new version.",
    ),
    Kind.PDF_BOMB: _UNREADABLE,
    Kind.DOCX_BOMB: _UNREADABLE,
    Kind.ZIP_BOMB: _UNREADABLE,
    Kind.TOO_MUCH_MEMORY: _UNREADABLE,
    Kind.TOO_DEEP: _UNREADABLE,
    Kind.READER_FAILED: _UNREADABLE,
    Kind.OCR_FAILED: _UNREADABLE,
    Kind.CRASHED: _UNREADABLE,
}


def describe_problem(message: str, kind: str = Kind.OTHER) -> tuple[str, str, str]:
    """(file name, what happened, what to do) for a library problem.

    The advice follows `kind`; a problem of another kind (or recorded before kinds existed)
    is shown as its message, without advice.
    """
    name, _, reason = message.partition(": ")
    if not reason:
        name, reason = "", message
    if kind in _ADVICE:
        return name, *_ADVICE[kind]
    return name, reason[:1].upper() + reason[1:], ""


def reading_start(text: str, start: int) -> int:
    """Where to begin showing a document so the passage at `start` has one line of lead-in."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[:line_start].rstrip("\n")
    return before.rfind("\n") + 1 if before else 0


def document_rows(documents: dict[str, DocumentEntry]) -> list[dict[str, object]]:
    """Library table rows (title, file, pages, passages, added) from the index manifest."""
    import os

    return [
        {
            "title": entry.title or doc_id,
            "file": os.path.basename(entry.source),
            "pages": str(entry.pages) if entry.pages else "",
            "passages": entry.chunks,
            "added": entry.added,
            "read": read_by(entry),
        }
        for doc_id, entry in documents.items()
    ]


def read_by(entry: DocumentEntry) -> str:
    """How a document's text was had, when not plainly: "OCR, pages 2, 3" or "PDFium"."""
    if entry.ocr_pages:
        if entry.pages <= 1:
            return "OCR (scan)"
        return f"OCR (scan), page{'s' if len(entry.ocr_pages) > 1 else ''} " + ", ".join(
            map(str, entry.ocr_pages)
        )
    return "PDFium (second PDF reader)" if entry.reader == "pypdfium2" else ""


def progress_text(label: str, done: int, total: int, elapsed: float) -> str:
    """`label: done of total`, with the time left at this stage's pace so far once known."""
    text = f"{label}: {done} of {total}"
    if 0 < done < total and elapsed >= 1:
        left = elapsed * (total - done) / done
        text += f" (about {_duration(left)} left)"
    return text


def _duration(seconds: float) -> str:
    """Seconds as '40 s' or '3 min'."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    return f"{round(seconds / 60)} min"
