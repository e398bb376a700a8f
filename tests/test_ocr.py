"""Scanned PDFs and images read by OCR; PDFium as the second PDF reader; plain refusals."""

import io
import json
import os
import shutil
from pathlib import Path

import pytest
from builders import make_text
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from scans import HARBOR_FLYER, SPANISH_FLYER, image_pdf, render_page, save_image, scan

from fieldguide import ocr, pdf
from fieldguide.build import build_index
from fieldguide.config import Settings
from fieldguide.errors import DocumentError
from fieldguide.ingest import read_document
from fieldguide.pdf import PageTexts, garbled
from fieldguide.problems import Kind
from fieldguide.sandbox import Parser

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="Tesseract is not installed"
)
# 150 dpi keeps each page's recognition under a second or so; the benchmark uses 300
DPI = 150


def _text_pdf(sentence: str) -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=12)
    document.multi_cell(0, 8, sentence)
    return bytes(document.output())


def _joined(*parts: bytes) -> bytes:
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@needs_tesseract
def test_a_scanned_flyer_image_is_read_with_its_phone_numbers(tmp_path):
    path = save_image(scan(render_page(HARBOR_FLYER, DPI), seed=1), tmp_path / "flyer.jpg")
    doc = read_document(path)
    for entry in HARBOR_FLYER.entries:
        assert entry.phone in doc.text and entry.name in doc.text
    assert (doc.reader, doc.ocr_pages, [p.number for p in doc.pages]) == ("tesseract", [1], [1])
    assert doc.ocr.startswith("tesseract ")


@needs_tesseract
def test_an_image_only_pdf_is_read_page_by_page_with_progress(tmp_path):
    pages = [scan(render_page(f, DPI), seed=n) for n, f in enumerate((HARBOR_FLYER, SPANISH_FLYER))]
    path = tmp_path / "scan.pdf"
    path.write_bytes(image_pdf(pages, DPI))
    seen = []
    with Parser(timeout=60) as parser:  # in the sandbox, with its memory limit
        doc = parser.read(path, "scan", lambda page, total: seen.append((page, total)))
    assert seen == [(1, 2), (2, 2)]
    assert doc.ocr_pages == [1, 2] and doc.reader == "pypdf"
    assert doc.page_at(doc.text.index("(323) 555-0164")) == 2
    assert "Clínica Esperanza" in doc.text  # Spanish accents survive


@needs_tesseract
def test_a_mixed_pdf_recognises_only_the_page_without_text(tmp_path, monkeypatch):
    recognised = []
    real = ocr.recognise
    monkeypatch.setattr(pdf, "recognise", lambda image, name: recognised.append(1) or real(image))
    scanned = image_pdf([scan(render_page(HARBOR_FLYER, DPI), seed=2)], DPI)
    path = tmp_path / "mixed.pdf"
    path.write_bytes(_joined(_text_pdf("The Lantern Project runs the night van."), scanned))
    doc = read_document(path)
    assert len(recognised) == 1 and doc.ocr_pages == [2]
    assert doc.page_at(doc.text.index("Lantern Project")) == 1
    assert doc.page_at(doc.text.index("(213) 555-0142")) == 2


def test_pdfium_reads_a_pdf_when_pypdf_returns_garbage(tmp_path, monkeypatch):
    path = tmp_path / "guide.pdf"
    path.write_bytes(_text_pdf("The Harbor Clinic offers free testing. Call 555-010-2000."))
    monkeypatch.setattr(
        pdf, "_pypdf", lambda raw, name: PageTexts(["\ufffd\ufffd \ufffd"], "pypdf")
    )
    doc = read_document(path)
    assert doc.reader == "pypdfium2" and "Call 555-010-2000" in doc.text
    assert doc.ocr_pages == []


@needs_tesseract
def test_a_pdf_garbled_in_both_readers_is_recognised_from_its_rendered_pages(tmp_path, monkeypatch):
    path = tmp_path / "guide.pdf"
    path.write_bytes(_text_pdf("The Harbor Clinic offers free testing. Call 555-010-2000."))
    garbage = lambda raw, name: PageTexts(["\ufffd\ufffd \ufffd"], "pypdf")  # noqa: E731
    monkeypatch.setattr(pdf, "_pypdf", garbage)
    monkeypatch.setattr(pdf, "_pdfium_or_none", garbage)
    doc = read_document(path)
    assert doc.ocr_pages == [1] and "Call 555-010-2000" in doc.text


def test_pdfium_reads_a_pdf_pypdf_cannot_open(tmp_path, monkeypatch):
    path = tmp_path / "guide.pdf"
    path.write_bytes(_text_pdf("The Juniper Food Bank is open Saturdays."))

    def fails(raw, name):
        raise pdf.document_error(Kind.DAMAGED_PDF, name, reason="PdfReadError")

    monkeypatch.setattr(pdf, "_pypdf", fails)
    doc = read_document(path)
    assert doc.reader == "pypdfium2" and "Juniper Food Bank" in doc.text


def test_a_pdf_neither_reader_can_open_is_refused_in_plain_words(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n" + os.urandom(3000))
    with pytest.raises(DocumentError, match="the PDF is damaged and cannot be read") as info:
        read_document(path)
    assert info.value.kind == Kind.DAMAGED_PDF


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (["The clinic opens at 9 am on Mondays."], False),
        ([""], False),  # no text layer: for OCR, not garbage
        (["\ufffd" * 40 + " ok"], True),
        (["123 456 - 789 ..."], True),  # no word at all
        (["\n".join("Theclinicopens" * 3)], True),  # one character per line
    ],
)
def test_garbage_is_told_from_text(pages, expected):
    assert garbled(pages) is expected


@needs_tesseract
def test_a_photo_of_nothing_is_refused_with_a_reason(tmp_path):
    from PIL import Image, ImageDraw

    photo = Image.new("RGB", (900, 700), (180, 190, 200))
    ImageDraw.Draw(photo).ellipse((200, 150, 700, 550), fill=(90, 120, 60))
    path = save_image(photo, tmp_path / "photo.png")
    with pytest.raises(DocumentError, match="no words could be recognised") as info:
        read_document(path)
    assert info.value.kind == Kind.NO_WORDS


def test_without_tesseract_an_image_says_what_to_install_and_the_rest_indexes(
    tmp_path, monkeypatch, fake_embedder
):
    empty_path = tmp_path / "bin"
    empty_path.mkdir()
    monkeypatch.setenv("PATH", str(empty_path))  # the sandbox child inherits it
    ocr._find_engine.cache_clear()
    monkeypatch.setattr(ocr, "_find_engine", ocr._find_engine.__wrapped__)
    folder = tmp_path / "docs"
    folder.mkdir()
    save_image(render_page(HARBOR_FLYER, 100), folder / "flyer.png")
    make_text(folder)
    mixed = _joined(_text_pdf("The Lantern Project runs the night van."), image_pdf([scan(
        render_page(HARBOR_FLYER, 100))], 100))  # fmt: skip
    (folder / "mixed.pdf").write_bytes(mixed)
    settings = Settings(index=tmp_path / "index", corpus=folder)
    report = build_index([folder], settings, fake_embedder)
    [problem] = report.problems
    assert problem.kind == Kind.OCR_MISSING
    assert problem.message == (
        "flyer.png: this is a scanned image; reading it needs the text recogniser Tesseract "
        "(sudo apt install tesseract-ocr tesseract-ocr-spa)"
    )
    assert sorted(report.added) == ["mixed", "note"]  # the mixed PDF keeps its text page


@needs_tesseract
def test_the_manifest_records_the_reader_and_the_recognised_pages(tmp_path, fake_embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "flyer.pdf").write_bytes(image_pdf([render_page(HARBOR_FLYER, DPI)], DPI))
    make_text(folder)
    settings = Settings(index=tmp_path / "index", corpus=folder)
    report = build_index([folder], settings, fake_embedder)
    documents = json.loads((Path(report.index) / "manifest.json").read_text())["documents"]
    flyer = documents["flyer"]
    assert (flyer["reader"], flyer["ocr_pages"], flyer["pages"]) == ("pypdf", [1], 1)
    assert flyer["ocr"].startswith("tesseract ") and "eng" in flyer["ocr"]
    assert documents["note"]["ocr_pages"] == [] and documents["note"]["reader"] == ""


def test_image_types_are_offered_for_upload():
    from fieldguide.problems import SUPPORTED

    assert ocr.IMAGE_TYPES <= SUPPORTED
    assert Path("x.TIFF").suffix.lower() in SUPPORTED


def _words(*lines: tuple[int, int, int, str]) -> dict[str, list]:
    """Tesseract-style word data: one word per (block, line, top, text), 20 px tall."""
    data = {"text": [], "block_num": [], "par_num": [], "line_num": [], "top": [], "height": []}
    for block, line, top, text in lines:
        for key, value in zip(data, (text, block, line, line, top, 20), strict=True):
            data[key].append(value)
    return data


def test_recognised_lines_keep_a_name_with_its_number_and_unwrap_sentences():
    words = _words(
        (1, 1, 0, "Shelters"),
        (1, 2, 60, "Maple Youth Shelter"),  # a gap taller than a line: a new paragraph
        (1, 3, 85, "1-800-555-0199 - open 24/7"),
        (1, 4, 110, "Beds for ages 12 to"),
        (1, 5, 135, "24, no ID asked"),
        (2, 1, 400, "Call 911 first."),
    )
    assert ocr.layout_text(words) == (
        "Shelters\n\nMaple Youth Shelter 1-800-555-0199 - open 24/7\n"
        "Beds for ages 12 to 24, no ID asked\n\nCall 911 first."
    )
