"""Ingest: every supported type reads, bad files fail with a clear message."""

import shutil

import pytest
from builders import (
    make_corrupt_pdf,
    make_docx,
    make_empty,
    make_encrypted_pdf,
    make_fake_pdf,
    make_html,
    make_not_zip_docx,
    make_pdf,
    make_picture_pdf,
    make_text,
    make_unknown,
)
from conftest import CORPUS

from fieldguide.errors import DocumentError
from fieldguide.ingest import normalise_text, read_document, strip_web_tail


def test_default_corpus_loses_its_comment_form_tail():
    doc = read_document(CORPUS / "westlake.txt")
    assert doc.doc_id == "westlake"
    assert doc.title == "Prostitutes in Westlake: Laws, Risks, and Community Impact"
    assert doc.text.endswith("quarterly safety workshops at the Belmont Community Center.")
    assert "Leave a Reply" not in doc.text and "No comments yet" not in doc.text
    assert "\u2019" not in doc.text  # typographic quotes made plain
    assert len(doc.content_hash) == 64


def test_web_tail_kept_when_it_is_ordinary_text():
    text = "Where to go?\n\nThe clinic is open.\n\nComments are welcome at the desk."
    assert strip_web_tail(text) == text


def test_normalise_removes_bidi_overrides_and_nul():
    assert normalise_text("call\u202e 555\x00  0100\r\n\r\n\r\n\u201cok\u201d") == (
        'call 555 0100\n\n"ok"'
    )


def test_pdf_keeps_page_numbers(tmp_path):
    doc = read_document(make_pdf(tmp_path))
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.page_at(doc.text.index("555-010-2000")) == 1
    assert doc.page_at(doc.text.index("9 am to 5 pm")) == 2


def test_docx_headings_and_bullets(tmp_path):
    doc = read_document(make_docx(tmp_path))
    assert doc.title == "Volunteer notes"
    assert "Who runs the night van?" in doc.headings
    assert "- Bring water and socks." in doc.text


def test_html_drops_scripts_styles_navigation(tmp_path):
    doc = read_document(make_html(tmp_path))
    assert doc.title == "Drop-in Centre"
    assert "open every Monday from 10 am" in doc.text
    for junk in ("SCRIPTTEXT", "STYLETEXT", "FOOTERTEXT", "Donate"):
        assert junk not in doc.text


def test_text_and_markdown(tmp_path):
    doc = read_document(make_text(tmp_path))
    assert doc.title == "When is the food bank open?"
    md = tmp_path / "guide.md"
    md.write_text("# Outreach guide\n\nBring socks.\n")
    assert read_document(md).title == "Outreach guide"


def test_markdown_headings_lose_their_markers(tmp_path):
    from fieldguide.chunk import chunk_document

    md = tmp_path / "faq.md"
    md.write_text(
        "# Shelter FAQ\n\n## Can I bring my dog?\n\nYes, pets are welcome.\n\n"
        "Hours\n=====\n\nOpen daily.\n"
    )
    doc = read_document(md)
    assert doc.headings == ["Shelter FAQ", "Can I bring my dog?", "Hours"]
    assert "#" not in doc.text and "=====" not in doc.text
    chunks = chunk_document(doc, lambda text: len(text.split()))
    assert any(c.section == "Can I bring my dog?" for c in chunks)
    assert not any(c.text.lstrip().startswith("#") for c in chunks)


@pytest.mark.parametrize(
    ("builder", "message"),
    [
        (make_encrypted_pdf, "password-protected"),
        pytest.param(
            make_picture_pdf,
            "text recognition \\(OCR\\) found no words",
            marks=pytest.mark.skipif(not shutil.which("tesseract"), reason="needs Tesseract"),
        ),
        (make_corrupt_pdf, "damaged"),
        (make_fake_pdf, "not really a PDF"),
        (make_not_zip_docx, "damaged or not a .docx"),
        (make_empty, "empty"),
        (make_unknown, "not supported"),
    ],
)
def test_bad_files_give_a_clear_message(tmp_path, builder, message):
    path = builder(tmp_path)
    with pytest.raises(DocumentError, match=message) as info:
        read_document(path)
    assert str(info.value).startswith(path.name)
