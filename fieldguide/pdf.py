"""PDF: each page's text, from pypdf, from PDFium when pypdf fails or returns garbage, and from
OCR for pages that have no text layer (scans)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DocumentError
from .ocr import MAX_PAGES, MAX_PIXELS, RENDER_DPI, PageProgress, engine, engine_label, recognise
from .pdf_tables import draws_rules, read_tables
from .problems import Kind, document_error

# pypdf's errors on damaged files; PDFium gets a second try at each of them
_PYPDF_FAILURES = (
    RecursionError,
    ValueError,
    KeyError,
    TypeError,
    OSError,
    AttributeError,
    IndexError,
    AssertionError,
    ZeroDivisionError,
)


@dataclass
class PageTexts:
    """A paged file's text (PDF or image): one text per page, the reader that produced it,
    and the pages OCR read."""

    pages: list[str]
    reader: str  # "pypdf", "pypdfium2" or, for an image file, "tesseract"
    title: str | None = None
    ocr_pages: list[int] = field(default_factory=list)  # 1-based
    ocr: str = ""  # the engine that read them ("tesseract 5.3.0 (eng+spa)")
    ruled_pages: list[int] = field(default_factory=list)  # 0-based, drawing rules a table needs


def garbled(pages: list[str]) -> bool:
    """True when extracted text is garbage: replacement characters, no words, or one character
    per line (a text layer whose fonts map to nothing, or to one glyph per line)."""
    text = "\n".join(pages)
    if not text.strip():
        return False  # no text layer at all: a scan, for OCR
    if text.count("\ufffd") > 0.05 * len(text) or not re.search(r"[^\W\d_]{2}", text):
        return True
    lines = [line for line in text.split("\n") if line.strip()]
    return len(lines) >= 20 and sum(len(line.strip()) == 1 for line in lines) > 0.5 * len(lines)


def read_pdf(path: Path, raw: bytes, progress: PageProgress | None = None) -> PageTexts:
    """Read a PDF's pages: pypdf first, PDFium if pypdf fails or reads garbage, OCR for pages
    without text.

    Raises:
        DocumentError: not a PDF, locked, a bomb, unreadable by both readers, or no words
            on any page even after OCR.
    """
    from .ingest import normalise_text

    if not raw.lstrip().startswith(b"%PDF"):
        raise document_error(Kind.NOT_PDF, path.name)
    try:
        result = _pypdf(raw, path.name)
    except DocumentError as exc:
        if exc.kind != Kind.DAMAGED_PDF:
            raise
        result = _pdfium_or_none(raw, path.name)
        if result is None:
            raise
    if garbled(result.pages):
        second = _pdfium_or_none(raw, path.name)
        if second is not None and not garbled(second.pages):
            second.title = second.title or result.title
            result = second
    extracted = result.pages = [normalise_text(page) for page in result.pages]
    unreadable = garbled(extracted)
    if not unreadable and result.ruled_pages:
        read_tables(raw, result.pages, result.ruled_pages)
    if unreadable:  # fonts that map to nothing still draw the words: recognise every page
        result.pages = [""] * len(extracted)
    _recognise_scanned_pages(raw, result, path.name, progress)
    if unreadable and not result.ocr_pages:
        if not any(re.search(r"\w", page) for page in extracted):
            raise document_error(Kind.GARBLED_PDF, path.name)
        result.pages = extracted  # odd (a few letters, one a line), but all there is
    if not any(page.strip() for page in result.pages):
        raise document_error(Kind.SCANNED, path.name)
    return result


def _pypdf(raw: bytes, name: str) -> PageTexts:
    import pypdf.errors
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    # pypdf >= 6 stops inflating a stream past a size limit (a decompression bomb)
    too_big = getattr(pypdf.errors, "LimitReachedError", MemoryError)
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise document_error(Kind.LOCKED, name)
        texts = [page.extract_text() or "" for page in reader.pages]
        ruled = [number for number, page in enumerate(reader.pages) if draws_rules(page)]
        title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except DocumentError:
        raise
    except too_big as exc:
        raise document_error(Kind.PDF_BOMB, name) from exc
    except (FileNotDecryptedError, NotImplementedError) as exc:
        raise document_error(Kind.ENCRYPTED, name, reason=exc) from exc
    except (PdfReadError, *_PYPDF_FAILURES) as exc:
        raise document_error(Kind.DAMAGED_PDF, name, reason=type(exc).__name__) from exc
    return PageTexts(texts, "pypdf", str(title) if title else None, ruled_pages=ruled)


def _open_pdfium(raw: bytes):
    import pypdfium2

    return pypdfium2.PdfDocument(raw)


def _pdfium_or_none(raw: bytes, name: str) -> PageTexts | None:
    """The text PDFium reads, or None when it cannot open the file either."""
    import pypdfium2

    try:
        document = _open_pdfium(raw)
    except pypdfium2.PdfiumError:
        return None
    try:
        texts = []
        for number in range(len(document)):
            page = document[number]
            text_page = page.get_textpage()
            texts.append(text_page.get_text_bounded().replace("\r\n", "\n"))
            text_page.close()
            page.close()
        title = document.get_metadata_value("Title") or None
    except pypdfium2.PdfiumError:
        return None
    finally:
        document.close()
    return PageTexts(texts, "pypdfium2", title)


def _recognise_scanned_pages(
    raw: bytes, result: PageTexts, name: str, progress: PageProgress | None
) -> None:
    """OCR each page that has no text, in place; a text PDF with no Tesseract is kept as is."""
    empty = [n for n, text in enumerate(result.pages) if not text.strip()][:MAX_PAGES]
    if not empty:
        return
    if len(empty) < len(result.pages):  # a mixed PDF indexes its text pages without Tesseract
        try:
            engine(name)
        except DocumentError:
            return
    engine(name)
    import pypdfium2

    from .ingest import normalise_text

    try:
        document = _open_pdfium(raw)
    except pypdfium2.PdfiumError as exc:
        raise document_error(Kind.DAMAGED_PDF, name, reason="PdfiumError") from exc
    try:
        for done, number in enumerate(empty, start=1):
            if progress:
                progress(done, len(empty))
            page = document[number]
            width, height = page.get_size()  # in points, 1/72 inch
            # a page a metre wide would render to more pixels than memory holds
            scale = min(RENDER_DPI / 72, (MAX_PIXELS / max(1.0, width * height)) ** 0.5)
            image = page.render(scale=scale, grayscale=True).to_pil()
            page.close()
            text = recognise(image, name)
            if text.strip():
                result.pages[number] = normalise_text(text)
                result.ocr_pages.append(number + 1)
    finally:
        document.close()
    if result.ocr_pages:
        result.ocr = engine_label()
