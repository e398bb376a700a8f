"""Ingest: read .txt, .md, .html, .pdf, .docx, image, office and email files into `Document`s."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .mail import read_eml
from .ocr import IMAGE_TYPES, PageProgress, engine_label, read_image
from .office import MAX_UNPACKED, check_unpacked, read_odt, read_pptx
from .pdf import PageTexts, read_pdf
from .problems import Kind, check_type, document_error
from .sheets import read_csv, read_xlsx
from .webtables import replace_tables
from .word import read_body

# the other formats' readers (`office`, `sheets`, `mail`): each returns an `office.Extracted`
READERS = {
    ".odt": read_odt,
    ".pptx": read_pptx,
    ".xlsx": read_xlsx,
    ".csv": read_csv,
    ".eml": read_eml,
}

# a real .docx, even a 25 MB one full of text, unpacks to far less than this
MAX_DOCX_UNPACKED = MAX_UNPACKED

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2032": "'",
        "\u2033": '"',
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2007": " ",
    }
)
# bidi overrides/isolates can disguise text (e.g. a phone number shown reversed)
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
# terminal colour and title codes ("\x1b[31m", "\x1b]0;title\x07") in captured logs and notes
_ANSI = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".csv", ".eml"}
_CONTROL = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_TAIL_LINE = re.compile(
    r"^(comments?|\d+ comments?|leave a (reply|comment)|no comments yet\b.*|"
    r"your email address will not be published\b.*|required fields are marked.*|"
    r"(post )?comment\b.*|name\s*\*?|email\s*\*?|website|"
    r"save my name, email, and website.*|cancel reply)$",
    re.IGNORECASE,
)
_TAIL_MARKER = re.compile(r"^(leave a (reply|comment)|no comments yet\b.*|comments?)$", re.I)


@dataclass
class Page:
    """A PDF page's character span in the document text."""

    number: int
    start: int
    end: int


@dataclass
class Document:
    """One source file as normalised text, with where it came from."""

    doc_id: str
    title: str
    source: str
    text: str
    content_hash: str
    pages: list[Page] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    reader: str = ""  # the library that produced the text ("pypdf", "pypdfium2", "tesseract")
    ocr_pages: list[int] = field(default_factory=list)  # pages whose text OCR recognised
    ocr: str = ""  # the OCR engine that read them ("tesseract 5.3.0 (eng+spa)")

    def page_at(self, offset: int) -> int | None:
        """The page number holding a character offset (None for documents without pages)."""
        for page in self.pages:
            if page.start <= offset < page.end or offset == page.end == len(self.text):
                return page.number
        return self.pages[-1].number if self.pages else None


def normalise_text(text: str) -> str:
    """Unicode NFC, plain quotes, no invisible controls, tidy spaces and blank lines."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", _ANSI.sub("", text))
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def strip_web_tail(text: str) -> str:
    """Remove a scraped blog page's comment-form tail ("Comments / Leave a Reply / …")."""
    lines = text.split("\n")
    cut = len(lines)
    seen_marker = False
    while cut > 0 and (not lines[cut - 1].strip() or _TAIL_LINE.match(lines[cut - 1].strip())):
        seen_marker = seen_marker or bool(_TAIL_MARKER.match(lines[cut - 1].strip()))
        cut -= 1
    if not seen_marker or cut == 0:
        return text
    return "\n".join(lines[:cut]).rstrip()


def read_document(
    path: Path, doc_id: str | None = None, progress: PageProgress | None = None
) -> Document:
    """Read one file into a Document.

    Args:
        path: the file; its suffix picks the reader.
        doc_id: stable id; defaults to the file stem.
        progress: optional callable(page, pages) called before each page OCR reads.

    Returns:
        The normalised Document.

    Raises:
        DocumentError: the file is empty, unreadable, encrypted, has no text, or of unknown type.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    check_type(path.name, suffix)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc
        raise document_error(Kind.CANNOT_OPEN, path.name, reason=reason) from exc
    if not raw.strip():
        raise document_error(Kind.EMPTY, path.name)
    if suffix in _TEXT_SUFFIXES and looks_binary(raw):
        raise document_error(Kind.NOT_TEXT, path.name)
    digest = hashlib.sha256(raw).hexdigest()
    pages: list[Page] = []
    headings: list[str] = []
    scanned = None
    if suffix == ".pdf":
        scanned = read_pdf(path, raw, progress)
        text, pages = paged_text(scanned.pages)
        meta_title = scanned.title
    elif suffix in IMAGE_TYPES:
        texts = [normalise_text(t) for t in read_image(path, progress)]
        if not any(texts):
            raise document_error(Kind.NO_WORDS, path.name)
        read = [n for n, t in enumerate(texts, start=1) if t]
        scanned = PageTexts(texts, "tesseract", None, read, engine_label())
        text, pages = paged_text(texts)
        meta_title = None
    elif suffix == ".docx":
        text, headings = _read_docx(path)
        meta_title = None
    elif suffix in {".html", ".htm"}:
        text, headings, meta_title = _read_html(_decode(raw))
    elif suffix in {".md", ".markdown"}:
        text, headings = _read_markdown(_decode(raw))
        meta_title = None
    elif suffix in READERS:
        found = READERS[suffix](path, raw)
        text, meta_title = found.text, found.title
        headings = [normalise_text(heading) for heading in found.headings]
        if found.pages is not None:  # slides: citations say "page N" for slide N
            text, pages = paged_text([normalise_text(page) for page in found.pages])
    else:
        text, meta_title = _decode(raw), None
    if not pages:
        text = strip_web_tail(normalise_text(text))
    if not re.search(r"\w", text):
        raise document_error(Kind.NO_TEXT, path.name)
    title = (meta_title or "").strip() or _first_line(text)
    doc = Document(doc_id or path.stem, title[:200], str(path), text, digest, pages, headings)
    if scanned is not None:
        doc.reader, doc.ocr_pages, doc.ocr = scanned.reader, scanned.ocr_pages, scanned.ocr
    return doc


def looks_binary(raw: bytes) -> bool:
    """Binary data under a text name, judged on the first 8 kB: NUL bytes that are not UTF-16's
    (those fall on every other byte), control bytes, or bytes that are not UTF-8 text."""
    head = raw[:8192]
    if not head or head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return False
    nuls = head.count(b"\x00")
    utf16 = nuls and max(head[0::2].count(0), head[1::2].count(0)) >= 0.95 * nuls
    if nuls > 0.3 * len(head) and not utf16:
        return True
    rest = head.replace(b"\x00", b"")
    if len(_CONTROL.findall(rest)) > 0.3 * max(len(rest), 1):
        return True
    decoded = rest.decode("utf-8", errors="replace")
    return decoded.count("\ufffd") > 0.3 * max(len(decoded), 1)


def _read_markdown(markup: str) -> tuple[str, list[str]]:
    """Markdown's text with heading markers ("## ") taken off its heading lines, and the
    headings: readers see "What is COVID-19?", never "## What is COVID-19?"."""
    from markdown_it import MarkdownIt

    lines = markup.splitlines()
    tokens = MarkdownIt("commonmark").parse(markup)
    headings = []
    for opening, inline in zip(tokens, tokens[1:], strict=False):
        if opening.type == "heading_open" and opening.map and inline.type == "inline":
            first, last = opening.map
            lines[first:last] = [inline.content] + [""] * (last - first - 1)
            headings.append(inline.content)
    return "\n".join(lines), headings


def _first_line(text: str) -> str:
    line = next((ln for ln in text.split("\n") if ln.strip()), "")
    return line.lstrip("#").strip()


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", errors="replace")
    # a UTF-8 file with a few stray bytes stays UTF-8 (cp1252 would garble every accent in it);
    # in a legacy single-byte file almost every non-ASCII byte is invalid UTF-8
    if sum(ord(c) > 127 for c in text) > 3 * text.count("\ufffd"):
        return text
    return raw.decode("cp1252", errors="replace")


def paged_text(texts: list[str]) -> tuple[str, list[Page]]:
    """Page texts joined by blank lines, with each non-empty page's span (numbered from 1)."""
    parts, pages, offset = [], [], 0
    for number, page_text in enumerate(texts, start=1):
        if not page_text:
            continue
        if parts:
            offset += 2
        pages.append(Page(number, offset, offset + len(page_text)))
        parts.append(page_text)
        offset += len(page_text)
    return "\n\n".join(parts), pages


def _read_docx(path: Path) -> tuple[str, list[str]]:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    check_unpacked(path, MAX_DOCX_UNPACKED, Kind.DOCX_BOMB)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise document_error(Kind.DAMAGED_DOCX, path.name) from exc
    body = read_body(document)
    return "\n\n".join(body.blocks), [normalise_text(h) for h in body.headings]


_DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "template",
    "button",
    "select",
    "object",
    "embed",
]
_BLOCK_TAGS = [
    "p",
    "div",
    "section",
    "article",
    "li",
    "tr",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
    "main",
]


def _read_html(markup: str) -> tuple[str, list[str], str | None]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup(_DROP_TAGS + ["head", "title", "meta", "link"]):
        tag.decompose()
    replace_tables(soup)
    headings = [h.get_text(" ", strip=True) for h in soup(["h1", "h2", "h3", "h4", "h5", "h6"])]
    for li in soup("li"):
        li.insert(0, "- ")
    for tag in soup(_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    text = soup.get_text()
    return text, [normalise_text(h) for h in headings if h], title
