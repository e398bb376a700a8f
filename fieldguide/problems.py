"""Problems: the file types Field Guide reads, and each reason a file is skipped, worded once.

A `DocumentError` carries its `Kind`, so the app chooses its advice by kind and never by matching
words of a message; rewording a message here changes what it says, not what volunteers are told.
"""

from __future__ import annotations

from enum import StrEnum

from .errors import DocumentError

# suffix -> the name people know the type by
FILE_TYPES = {
    ".pdf": "PDF",
    ".docx": "DOCX",
    ".odt": "ODT",
    ".pptx": "PPTX",
    ".xlsx": "XLSX",
    ".csv": "CSV",
    ".txt": "TXT",
    ".md": "MD",
    ".markdown": "MD",
    ".html": "HTML",
    ".htm": "HTML",
    ".eml": "EML",
    # images are read by OCR (`ocr.IMAGE_TYPES`)
    ".png": "PNG",
    ".jpg": "JPG",
    ".jpeg": "JPG",
    ".tif": "TIFF",
    ".tiff": "TIFF",
    ".webp": "WEBP",
}
SUPPORTED = frozenset(FILE_TYPES)
_NAMES = list(dict.fromkeys(FILE_TYPES.values()))
TYPE_NAMES = ", ".join(_NAMES[:-1]) + " or " + _NAMES[-1]  # "PDF, DOCX, ODT, … or WEBP"


class Kind(StrEnum):
    """What went wrong with one file (stored in `last-build.json` as its value)."""

    UNSUPPORTED = "unsupported"
    TOO_BIG = "too-big"
    EMPTY = "empty"
    CANNOT_OPEN = "cannot-open"
    MISSING = "missing"
    NO_TEXT = "no-text"
    NOT_PDF = "not-pdf"
    NOT_TEXT = "not-text"
    LOCKED = "locked"
    ENCRYPTED = "encrypted"
    DAMAGED_PDF = "damaged-pdf"
    SCANNED = "scanned"
    GARBLED_PDF = "garbled-pdf"
    OCR_MISSING = "ocr-missing"
    OCR_FAILED = "ocr-failed"
    NO_WORDS = "no-words"
    DAMAGED_IMAGE = "damaged-image"
    PDF_BOMB = "pdf-bomb"
    DOCX_BOMB = "docx-bomb"
    DAMAGED_DOCX = "damaged-docx"
    DAMAGED_ODT = "damaged-odt"
    DAMAGED_PPTX = "damaged-pptx"
    DAMAGED_XLSX = "damaged-xlsx"
    DAMAGED_CSV = "damaged-csv"
    NOT_EMAIL = "not-email"
    ZIP_BOMB = "zip-bomb"
    TOO_MUCH_MEMORY = "too-much-memory"
    TOO_DEEP = "too-deep"
    READER_FAILED = "reader-failed"
    TIMEOUT = "timeout"
    CRASHED = "crashed"
    GONE = "gone"
    CHANGED = "changed"
    OTHER = "other"  # anything else, and problems recorded before kinds existed


_MESSAGES = {
    Kind.UNSUPPORTED: "file type '{suffix}' is not supported (use " + TYPE_NAMES + ")",
    Kind.TOO_BIG: "the file is {size_mb:.0f} MB, over the {limit_mb} MB limit",
    Kind.EMPTY: "the file is empty",
    Kind.CANNOT_OPEN: "cannot be opened ({reason})",
    Kind.MISSING: "the path does not exist",
    Kind.NO_TEXT: "no readable text was found in the file",
    Kind.NOT_PDF: "this is not really a PDF (it may be renamed)",
    Kind.NOT_TEXT: "this is not a text file (it holds binary data; it may be renamed)",
    Kind.LOCKED: "the PDF is password-protected; save an unlocked copy and add that",
    Kind.ENCRYPTED: "the PDF is password-protected or uses unsupported encryption ({reason})",
    Kind.DAMAGED_PDF: "the PDF is damaged and cannot be read ({reason})",
    Kind.SCANNED: (
        "this PDF is a scanned image with no text, and text recognition (OCR) found no words in it"
    ),
    Kind.GARBLED_PDF: (
        "the PDF's text comes out garbled in both PDF readers, and text recognition (OCR) "
        "found no words in it"
    ),
    Kind.OCR_MISSING: (
        "this is a scanned image; reading it needs the text recogniser Tesseract ({hint})"
    ),
    Kind.OCR_FAILED: "text recognition (OCR) failed on this file ({reason})",
    Kind.NO_WORDS: "no words could be recognised in this image (a photo without text?)",
    Kind.DAMAGED_IMAGE: "this image is damaged or not really an image (it may be renamed)",
    Kind.PDF_BOMB: (
        "the PDF holds more data than can be unpacked safely (it may be a compression bomb)"
    ),
    Kind.DOCX_BOMB: (
        "the Word file unpacks to {size_mb:.0f} MB, more than can be read safely "
        "(it may be a compression bomb)"
    ),
    Kind.DAMAGED_DOCX: (
        "this Word file is damaged or not a .docx (old .doc files must be saved as .docx)"
    ),
    Kind.DAMAGED_ODT: "this OpenDocument file is damaged or not really a .odt",
    Kind.DAMAGED_PPTX: (
        "this PowerPoint file is damaged or not a .pptx (old .ppt files must be saved as .pptx)"
    ),
    Kind.DAMAGED_XLSX: (
        "the spreadsheet is damaged and cannot be read (old .xls files must be saved as .xlsx)"
    ),
    Kind.DAMAGED_CSV: "this CSV file is damaged or is not really text (it may be renamed)",
    Kind.NOT_EMAIL: "this is not an email message (it may be renamed)",
    Kind.ZIP_BOMB: (
        "the file unpacks to {size_mb:.0f} MB, more than can be read safely "
        "(it may be a compression bomb)"
    ),
    Kind.TOO_MUCH_MEMORY: "the file needs too much memory to read (it may be a compression bomb)",
    Kind.TOO_DEEP: "the file is nested too deeply to read (damaged or malicious)",
    Kind.READER_FAILED: "could not be read ({reason})",
    Kind.TIMEOUT: "reading the file took longer than {seconds:.0f} s; it was skipped",
    Kind.CRASHED: "the file crashed the reader (it is damaged or too large); it was skipped",
    Kind.GONE: "the file is no longer in the library",
    Kind.CHANGED: "the file has changed since it was indexed - re-index the library",
    Kind.OTHER: "{reason}",
}


def document_error(kind: Kind, name: str, **details) -> DocumentError:
    """The error for one file: "<name>: <the kind's message>", carrying `kind`."""
    return DocumentError(f"{name}: {_MESSAGES[kind].format(**details)}", kind)


def check_type(name: str, suffix: str) -> None:
    """Raise the "not supported" error unless `suffix` (".pdf") is a type Field Guide reads."""
    if suffix.lower() not in SUPPORTED:
        raise document_error(Kind.UNSUPPORTED, name, suffix=suffix or "none")


def check_size(name: str, size: int, limit_mb: int) -> None:
    """Raise the size-limit error when `size` bytes are over `limit_mb` megabytes."""
    if size > limit_mb * 1024 * 1024:
        raise document_error(Kind.TOO_BIG, name, size_mb=size / 1024**2, limit_mb=limit_mb)
