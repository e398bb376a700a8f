"""What the pages show: inert highlighted text, problems in plain words, where reading starts."""

from markdown_it import MarkdownIt

from fieldguide.present import (
    describe_problem,
    document_rows,
    escape_markdown,
    highlight_markdown,
    reading_start,
)
from fieldguide.problems import Kind, document_error
from fieldguide.store import DocumentEntry


def test_highlight_is_split_at_paragraph_breaks():
    text = "Heading?\n\nFirst line.\nSecond line. Rest"
    marked = highlight_markdown(text, [(0, text.index(" Rest"))])
    assert marked == (
        ":orange-background[Heading\\?]  \n  \n:orange-background[First line\\.]  \n"
        ":orange-background[Second line\\.] Rest"
    )


def test_highlighted_markup_stays_text():
    text = "<img src=x> [a](http://x) ![i](http://x/i.png) :red[alarm]"
    html = MarkdownIt("commonmark").render(highlight_markdown(text, [(0, 11)]))
    assert "<img" not in html and "<a " not in html
    assert escape_markdown(":red[alarm]") == "\\:red\\[alarm\\]"


def test_problems_are_explained_with_what_to_do():
    message = "scan.pdf: this PDF is a scanned image with no text, and OCR found no words in it"
    name, happened, advice = describe_problem(message, Kind.SCANNED)
    assert name == "scan.pdf"
    assert happened == "This PDF is a scanned image, and no words could be recognised in it."
    assert "scan it again" in advice
    missing = describe_problem("flyer.png: needs Tesseract", Kind.OCR_MISSING)
    assert "apt install tesseract-ocr tesseract-ocr-spa" in missing[2]
    unsupported = document_error(Kind.UNSUPPORTED, "old.doc", suffix=".doc")
    assert describe_problem(str(unsupported), unsupported.kind)[1:] == (
        "Field Guide cannot read this type of file.",
        "Save it as PDF, Word (.docx), a spreadsheet (.xlsx or CSV), plain text or a web page "
        "(HTML) and add it again.",
    )
    assert describe_problem("x.bin: something new went wrong") == (
        "x.bin",
        "Something new went wrong",
        "",
    )


def test_the_advice_follows_the_kind_not_the_wording():
    # rewording a message must not change what volunteers are told
    assert describe_problem("scan.pdf: reworded entirely", Kind.SCANNED)[2].startswith(
        "If it has text, scan it again"
    )
    crashed = document_error(Kind.CRASHED, "a.txt")  # its message says "damaged"
    assert (
        describe_problem(str(crashed), crashed.kind)[1:]
        == describe_problem("a.txt: x", Kind.TOO_DEEP)[1:]
    )
    assert describe_problem("a.pdf: the PDF is damaged", "a kind from a newer version")[1:] == (
        "The PDF is damaged",
        "",
    )


def test_every_kind_of_problem_comes_with_advice():
    for kind in set(Kind) - {Kind.OTHER}:
        _, happened, advice = describe_problem(f"f.pdf: {kind}", kind)
        assert happened.endswith(".") and advice.endswith("."), kind


def test_reading_starts_one_line_before_the_passage():
    text = "Title\n\nIntro line.\nEarlier para.\n\nHeading\nPassage text."
    assert text[reading_start(text, text.index("Heading")) :].startswith("Earlier para.")
    assert reading_start(text, 2) == 0


def test_document_rows_show_pages_only_for_pdfs():
    rows = document_rows(
        {
            "a": DocumentEntry("h1", 10, "A", "/x/a.pdf", 3, "2026-01-02", 7),
            "b": DocumentEntry("h2", 20, "B", "/x/b.txt", 0, "2026-01-03", 2),
        }
    )
    assert rows == [
        {"title": "A", "file": "a.pdf", "pages": "3", "passages": 7, "added": "2026-01-02"}
        | {"read": ""},
        {"title": "B", "file": "b.txt", "pages": "", "passages": 2, "added": "2026-01-03"}
        | {"read": ""},
    ]


def test_document_rows_say_which_pages_ocr_read():
    scan = DocumentEntry("h", 1, "S", "/x/s.pdf", 3, "2026-01-02", 4, "pypdf", [2, 3], "tess")
    photo = DocumentEntry("h", 1, "P", "/x/p.jpg", 1, "2026-01-02", 1, "tesseract", [1], "tess")
    second = DocumentEntry("h", 1, "D", "/x/d.pdf", 2, "2026-01-02", 3, "pypdfium2")
    rows = document_rows({"s": scan, "p": photo, "d": second})
    assert [r["read"] for r in rows] == [
        "OCR (scan), pages 2, 3",
        "OCR (scan)",
        "PDFium (second PDF reader)",
    ]


def test_bold_highlight_keeps_spaces_outside_the_markers():
    assert highlight_markdown("a  Call 911. b", [(1, 12)], bold=True) == (
        "a  :orange-background[**Call 911\\.**] b"
    )
    html = MarkdownIt("commonmark").render(highlight_markdown("x (1-877). y", [(2, 10)], bold=True))
    assert "<strong>(1-877).</strong>" in html
