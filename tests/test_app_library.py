"""The Library page and the library functions behind it: upload, list, problems, remove."""

import json
import shutil

import pytest
from builders import make_pdf, make_picture_pdf
from streamlit.testing.v1 import AppTest
from test_app import APP

from fieldguide.build import build_index
from fieldguide.errors import DocumentError
from fieldguide.ingest import read_document
from fieldguide.library import add_uploaded_file, load_report, safe_file_name, update_library
from fieldguide.problems import SUPPORTED, TYPE_NAMES, Kind
from fieldguide.store import load_index

PAGE = "fieldguide/app/library.py"


def library_page():
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120).run()
    return at.switch_page(PAGE).run()


def upload(at, *files):
    at.file_uploader[0].set_value(list(files)).run()
    return at


def add(at):
    next(b for b in at.button if b.label == "Add to library").click().run()
    return at


def plain(markdown: str) -> str:
    return markdown.replace("\\", "")


def test_lists_documents_with_pages_passages_and_date(built, fake_embedder):
    at = library_page()
    assert not at.exception
    table = at.dataframe[0].value
    assert sorted(table["file"]) == ["north-highlands.txt", "walnut-park.txt", "westlake.txt"]
    assert all(n > 0 for n in table["passages"])
    assert all(len(d) == 10 for d in table["added"])  # YYYY-MM-DD
    assert "1-888-373-7888" in at.error[0].value  # the emergency line here too


def test_uploaded_pdf_becomes_searchable(built, fake_embedder, tmp_path):
    pdf = make_pdf(tmp_path).read_bytes()
    at = add(upload(library_page(), ("guide.pdf", pdf, "application/pdf")))
    assert not at.exception
    assert "Saved guide.pdf. Library updated: 1 added" in plain(at.success[0].value)
    row = list(at.dataframe[0].value["file"]).index("guide.pdf")
    assert at.dataframe[0].value["pages"][row] == "2"
    assert (built.corpus / "guide.pdf").read_bytes() == pdf
    at.switch_page("fieldguide/app/ask.py").run()
    at.text_input(key="question").input("Where can I get free STI testing on Tuesdays?")
    at.button(key="FormSubmitter:ask-Ask").click().run()
    assert "Harbor Clinic" in at.markdown[0].value.replace("\\", "")


@pytest.mark.skipif(not shutil.which("tesseract"), reason="needs Tesseract")
def test_a_scanned_pdf_is_explained_in_plain_words(built, fake_embedder, tmp_path):
    scan = make_picture_pdf(tmp_path).read_bytes()
    at = add(upload(library_page(), ("scan.pdf", scan, "application/pdf")))
    (problem,) = at.warning
    assert problem.value.startswith(
        "**scan\\.pdf**: This PDF is a scanned image\\, and no words could be recognised in it"
    )
    assert "scan it again" in problem.value
    assert "scan.pdf" not in list(at.dataframe[0].value["file"])
    assert load_report(built).problems[0].path.endswith("scan.pdf")  # kept for the next visit
    at = library_page()
    assert at.warning[0].value == problem.value  # still explained on the next visit
    next(b for b in at.button if b.label == "Remove this file from the library folder").click()
    at.run()
    assert not at.warning
    assert not (built.corpus / "scan.pdf").exists()


def test_upload_with_a_path_in_its_name_stays_in_the_library_folder(built, fake_embedder):
    at = add(upload(library_page(), ("../../escape.txt", b"Escape Shelter hours.", "text/plain")))
    assert not at.exception
    assert (built.corpus / "escape.txt").exists()
    assert not (built.corpus.parent.parent / "escape.txt").exists()


def test_remove_a_document(built, fake_embedder):
    at = library_page()
    at.selectbox[0].set_value("westlake").run()
    remove = next(b for b in at.button if b.label == "Remove")
    assert remove.disabled  # nothing is deleted without saying yes first
    at.checkbox[0].check().run()
    next(b for b in at.button if b.label == "Remove").click().run()
    assert "1 removed" in plain(at.success[0].value)
    assert "westlake.txt" not in list(at.dataframe[0].value["file"])
    assert not (built.corpus / "westlake.txt").exists()


def test_the_library_page_works_before_any_document_exists(settings, fake_embedder, tmp_path):
    at = library_page()
    assert not at.exception
    assert "No documents yet" in at.info[0].value
    pdf = make_pdf(tmp_path).read_bytes()
    at = add(upload(at, ("guide.pdf", pdf, "application/pdf")))
    assert list(at.dataframe[0].value["file"]) == ["guide.pdf"]


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("guide.pdf", "guide.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\Hand Book.DOCX", "Hand Book.docx"),
        (".hidden.md", "hidden.md"),
        ("a<b>|c?.html", "a_b_c.html"),
        ("...pdf", "document.pdf"),
    ],
)
def test_safe_file_names(name, safe):
    assert safe_file_name(name) == safe


def test_refused_uploads(settings):
    with pytest.raises(DocumentError, match="not supported") as raised:
        add_uploaded_file(settings, "run.exe", b"MZ")
    assert raised.value.kind == Kind.UNSUPPORTED
    with pytest.raises(DocumentError, match="empty") as raised:
        add_uploaded_file(settings, "a.txt", b"  \n")
    assert raised.value.kind == Kind.EMPTY
    big = b"x" * (settings.max_upload_mb * 1024 * 1024 + 1)
    with pytest.raises(DocumentError, match="over the 25 MB limit") as raised:
        add_uploaded_file(settings, "big.txt", big)
    assert raised.value.kind == Kind.TOO_BIG
    assert list(settings.corpus.iterdir()) == []


def test_every_way_in_refuses_an_unsupported_type_with_the_same_words(settings, fake_embedder):
    (settings.corpus / "run.exe").write_bytes(b"MZ")
    (settings.corpus / "note.txt").write_text("The night van stops at the park.")
    refusals = []
    for attempt in (
        lambda: safe_file_name("run.exe"),
        lambda: add_uploaded_file(settings, "run.exe", b"MZ"),
        lambda: read_document(settings.corpus / "run.exe"),
    ):
        with pytest.raises(DocumentError) as raised:
            attempt()
        refusals.append((str(raised.value), raised.value.kind))
    [problem] = build_index([settings.corpus], settings, fake_embedder).problems
    refusals.append((problem.message, problem.kind))
    expected = f"run.exe: file type '.exe' is not supported (use {TYPE_NAMES})"
    assert refusals == [(expected, Kind.UNSUPPORTED)] * 4


def test_the_uploader_takes_exactly_the_types_the_library_reads(built, fake_embedder):
    accepted = library_page().file_uploader[0].proto.type
    assert sorted(accepted) == sorted(SUPPORTED)


def test_a_report_saved_before_problems_had_kinds_still_loads(built, fake_embedder):
    path = str(built.corpus / "scan.pdf")
    old = {"index": str(built.index), "documents": 3, "chunks": 9}
    old["problems"] = [{"path": path, "message": "scan.pdf: this PDF is a scanned image"}]
    (built.index / "last-build.json").write_text(json.dumps(old))
    [problem] = load_report(built).problems
    assert problem.kind == Kind.OTHER
    at = library_page()
    assert not at.exception
    assert at.warning[0].value == "**scan\\.pdf**: This PDF is a scanned image"


def test_update_keeps_documents_indexed_from_elsewhere(settings, corpus, fake_embedder, tmp_path):
    elsewhere = tmp_path / "handbooks"
    elsewhere.mkdir()
    make_pdf(elsewhere)
    build_index([corpus, elsewhere], settings, fake_embedder)
    documents = load_index(settings.index, "fake-embedder", "fake", 64).manifest.documents
    report = update_library(settings, fake_embedder, documents)
    assert report.removed == [] and "guide" in report.unchanged
    saved = json.loads((settings.index / "last-build.json").read_text())
    assert saved["documents"] == 4
    report = update_library(settings, fake_embedder, documents, leave_out={"guide"})
    assert report.removed == ["guide"]
    assert (elsewhere / "guide.pdf").exists()  # files outside the library folder are not deleted


def test_uploading_a_new_version_replaces_the_old_one(built, fake_embedder):
    at = add(
        upload(library_page(), ("hours.txt", b"The Lantern drop-in opens at 9 am.", "text/plain"))
    )
    at = add(upload(at, ("hours.txt", b"The Lantern drop-in opens at 10 am.", "text/plain")))
    notice = plain(at.success[0].value)
    assert notice.startswith(
        "Saved hours.txt (replaced the earlier copy). Library updated: 0 added, 1 changed"
    )
    assert (built.corpus / "hours.txt").read_text() == "The Lantern drop-in opens at 10 am."


def test_serve_passes_the_upload_limit_to_streamlit(monkeypatch):
    from click.testing import CliRunner

    from fieldguide import cli

    calls = []
    monkeypatch.setattr(cli.subprocess, "call", lambda command, **kw: calls.append(command) or 0)
    monkeypatch.setenv("FIELDGUIDE_MAX_UPLOAD_MB", "40")
    CliRunner().invoke(cli.main, ["serve", "--port", "8629"])
    command = calls[0]
    assert command[command.index("--server.maxUploadSize") + 1] == "40"
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
