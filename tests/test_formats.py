"""The office and email formats: .odt, .pptx, .xlsx, .csv and .eml read as a volunteer would
read them — headings, table rows with their headers, slides as pages, notes, attachments."""

import io
import json
import re
import zipfile

from click.testing import CliRunner
from format_builders import (
    CSV_TEXT,
    docx_bytes,
    eml_message,
    odt_bytes,
    pptx_bytes,
    write_formats,
    xlsx_bytes,
)

from fieldguide.chunk import chunk_document
from fieldguide.cli import main
from fieldguide.ingest import read_document
from fieldguide.present import citation_label
from fieldguide.problems import SUPPORTED, TYPE_NAMES


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_odt_headings_paragraphs_lists_and_table_rows_in_order(tmp_path):
    doc = read_document(_write(tmp_path, "services.odt", odt_bytes()))
    assert doc.headings == ["Where to get tested", "After hours"]
    assert doc.title == "Where to get tested"
    assert doc.text.split("\n") == [
        "Where to get tested",
        "",
        "The Harbor Clinic offers free STI testing on Tuesdays.",
        "- Walk-ins welcome",
        "- Bring a health card if you have one",
        "Organisation: CAST · Phone: 888-539-2373 · Hours: 24/7",
        "",
        "After hours",
        "",
        "The Lantern Project van parks at Elm Square from 10 pm.",
    ]


def test_odt_passages_keep_their_heading_and_short_lines(tmp_path):
    doc = read_document(_write(tmp_path, "services.odt", odt_bytes()))
    chunks = chunk_document(doc, lambda text: len(text.split()))
    [first] = [c for c in chunks if "CAST" in c.text]
    assert first.section == "Where to get tested"
    assert "- Walk-ins welcome" in first.text  # a short line is not taken for a heading and lost


def test_pptx_slides_are_pages_with_titles_tables_and_notes(tmp_path):
    doc = read_document(_write(tmp_path, "training.pptx", pptx_bytes()))
    assert doc.title == "Outreach nights"
    assert doc.headings == ["Outreach nights", "Helplines"]
    assert [p.number for p in doc.pages] == [1, 3]  # slide 2 is blank
    notes = doc.text.index("Notes: Remind volunteers to carry naloxone kits.")
    assert doc.page_at(notes) == 1
    row = doc.text.index("Service: Food bank · Phone: 555-010-5000")
    assert doc.page_at(row) == 3
    assert "Service: Crisis line · Phone: 555-010-4000" in doc.text


def test_a_slide_is_cited_as_its_page(tmp_path):
    doc = read_document(_write(tmp_path, "training.pptx", pptx_bytes()))
    chunks = chunk_document(doc, lambda text: len(text.split()))
    [food] = [c for c in chunks if "Food bank" in c.text]
    assert citation_label(food.title, food.section, food.page) == (
        "Outreach nights · Helplines · page 3"
    )


def test_xlsx_sheets_are_sections_and_rows_carry_headers(tmp_path):
    doc = read_document(_write(tmp_path, "inventory.xlsx", xlsx_bytes()))
    assert doc.title == "inventory"
    assert doc.headings == ["Clinics", "Stock"]
    assert doc.text.split("\n\n") == [
        "Clinics",
        "Clinic: Harbor Clinic · Phone: 555-010-2000 · Opens: 2024-05-01\n"
        "Clinic: Juniper Health · Phone: 555-010-6000 · Opens: 2024-06-03",
        "Stock",
        "Item: Naloxone kits · Boxes: 12\nItem: Condoms · Boxes: 30\nItem: Total",
    ]


def _with_saved_value(xlsx: bytes, value: str) -> bytes:
    """The workbook as Excel saves it: the formula cell carries its last calculated value."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data, found = re.subn(rb"<f>SUM\(B2:B3\)</f>(<v\s*/>|<v></v>)?", b"", data)
                assert found == 1
                data = data.replace(b'<c r="B4"', b'<c r="B4" t="n"', 1)
                data = re.sub(rb'(<c r="B4"[^>]*?)\s*/>', rb"\1>", data)
                data = data.replace(
                    b'<c r="B4" t="n">', b'<c r="B4" t="n"><f>SUM(B2:B3)</f><v>' + value + b"</v>"
                )
            new.writestr(item, data)
    return out.getvalue()


def test_xlsx_formulas_are_never_run_only_their_saved_value_read(tmp_path):
    unsaved = read_document(_write(tmp_path, "unsaved.xlsx", xlsx_bytes()))
    assert "SUM" not in unsaved.text and "42" not in unsaved.text
    # a saved value that is not the sum: it is what is read, so nothing was calculated
    saved = read_document(_write(tmp_path, "saved.xlsx", _with_saved_value(xlsx_bytes(), b"99")))
    assert "Item: Total · Boxes: 99" in saved.text
    assert "SUM" not in saved.text and "42" not in saved.text


def test_csv_with_semicolons_is_read_row_by_row_with_headers(tmp_path):
    doc = read_document(_write(tmp_path, "shelters.csv", CSV_TEXT.encode()))
    assert doc.title == "shelters"
    assert doc.text.split("\n") == [
        "Shelter: Beacon Shelter · Address: 12 Harbour Road · Beds: 40",
        "Shelter: Elm House; annex · Address: 3 Elm Square · Beds: 12",
    ]


def test_csv_in_windows_1252_with_commas_and_a_quoted_line_break(tmp_path):
    data = 'Name,Note\r\n"Caf\xe9 Rosa","Open late\r\nFridays"\r\n'.encode("cp1252")
    doc = read_document(_write(tmp_path, "cafes.csv", data))
    assert doc.text == "Name: Café Rosa · Note: Open late Fridays"


def test_eml_headers_body_and_attachments_read_as_files(tmp_path):
    doc = read_document(_write(tmp_path, "rota.eml", bytes(eml_message())))
    assert doc.title == "Volunteer rota for June"
    assert doc.text.startswith(
        "Subject: Volunteer rota for June\nFrom: Dana Ortiz <dana@example.org>\n"
        "Date: Mon, 03 Jun 2024 09:30:00 +0000\n\nHi all, the rota for next month is attached."
    )
    sections = doc.text.split("\n\n")
    # each attachment is a section headed by its file name, read by its own type's reader
    after = {name: sections[sections.index(name) + 1] for name in ("rota.docx", "beds.csv")}
    assert after["rota.docx"] == "Saturday shifts are led by Marisol."
    assert after["beds.csv"].startswith("Shelter: Beacon Shelter · Address: 12 Harbour Road")
    assert "The Harbor Clinic is open from 9 am to 5 pm on weekdays." in doc.text  # the PDF
    assert {"rota.docx", "flyer.pdf", "beds.csv"} <= set(doc.headings)
    assert doc.text.endswith(
        "Attachment not read: photos.zip - file type '.zip' is not supported (use "
        + TYPE_NAMES
        + ")"
    )


def test_eml_with_an_html_body_and_a_damaged_attachment(tmp_path):
    broken = docx_bytes("zqbroken")[:500]
    message = eml_message("unused", (("minutes.docx", broken, "application/docx"),))
    message.get_body().set_content(
        "<html><body><script>alert(1)</script><p>The <b>Beacon</b> shelter opens at 8 pm.</p>"
        "</body></html>",
        subtype="html",
    )
    doc = read_document(_write(tmp_path, "notice.eml", bytes(message)))
    assert "The Beacon shelter opens at 8 pm." in doc.text
    assert "<" not in doc.text.replace("<dana@example.org>", "") and "alert" not in doc.text
    assert "Attachment not read: minutes.docx - this Word file is damaged" in doc.text


def test_every_new_type_is_supported_and_named_in_the_refusal():
    assert {".odt", ".pptx", ".xlsx", ".csv", ".eml"} <= SUPPORTED
    for name in ("ODT", "PPTX", "XLSX", "CSV", "EML"):
        assert name in TYPE_NAMES


def test_a_folder_with_one_file_of_each_new_type_indexes_them_all(settings, fake_embedder):
    folder = settings.corpus / "mixed"
    write_formats(folder)
    result = CliRunner().invoke(main, ["index", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["problems"] == []
    assert sorted(report["added"]) == ["inventory", "rota", "services", "shelters", "training"]
    searches = {
        "training": ("food bank phone", "Food bank", "Outreach nights · Helplines · page 3"),
        "inventory": ("naloxone kits boxes", "Naloxone kits", "inventory · Stock"),
        "shelters": ("Elm House annex beds", "Elm House; annex", "shelters"),
        "services": ("CAST phone hours", "Phone: 888-539-2373", "Where to get tested"),
        "rota": ("who leads Saturday shifts", "Marisol", "Volunteer rota for June · rota.docx"),
    }
    for doc_id, (question, words, cited) in searches.items():
        found = CliRunner().invoke(main, ["search", question, "--doc", doc_id, "--k", "1"])
        assert found.exit_code == 0, found.output
        assert words in found.stdout and f"[1] {cited}" in found.stdout, found.stdout
