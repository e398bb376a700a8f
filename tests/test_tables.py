"""Tables are never silently lost: DOCX, HTML and PDF rows become lines that carry their column
headers, stay whole in one passage, sit where the table stood, and name who runs each number."""

from pathlib import Path

import pytest
from docx import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fpdf import FPDF

from fieldguide import pdf_tables
from fieldguide.chunk import chunk_document
from fieldguide.ingest import Document, read_document
from fieldguide.resources import build_directory
from fieldguide.tables import is_data_table, row_cells, table_lines

SHELTERS = [
    ("Organisation", "Phone", "Hours"),
    ("CAST", "888-539-2373", "24/7"),
    ("Harbor Clinic", "555-010-2000", "Mon-Fri 9 am to 5 pm"),
    ("Beacon Shelter", "555-010-3000", "Nights from 7 pm"),
]


def words(text):
    return len(text.split()) + 2


def _word_table(document, rows):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    return table


def _docx(tmp_path, build, name="shelters.docx") -> Path:
    document = WordDocument()
    build(document)
    path = tmp_path / name
    document.save(str(path))
    return path


def _shelter_guide(document):
    document.add_heading("Where can I sleep tonight?", level=2)
    document.add_paragraph("These shelters take walk-ins.")
    _word_table(document, SHELTERS)
    document.add_paragraph("Bring ID if you have it.")
    document.add_heading("Where can I eat?", level=2)
    document.add_paragraph("The Juniper Food Bank is open Saturdays.")


def _html(tmp_path, body, name="page.html") -> Path:
    path = tmp_path / name
    path.write_text(f"<html><head><title>Guide</title></head><body>{body}</body></html>")
    return path


def _pdf(tmp_path, name="shelters.pdf") -> Path:
    """Page 1 plain text; page 2 a heading, a paragraph, a ruled table (a cell wraps) and a
    paragraph; page 3 an underlined heading and two framed notes (rules, but no table)."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, "Outreach guide. Call ahead before you visit.")
    pdf.add_page()
    pdf.multi_cell(0, 8, "Where can I sleep tonight?", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 8, "Shelters near you take walk-ins.", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(50, 40, 40)) as table:
        for values in SHELTERS:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.multi_cell(0, 8, "Bring ID if you have it.", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.multi_cell(0, 8, "What should I bring?", new_x="LMARGIN", new_y="NEXT")
    pdf.line(10, pdf.get_y(), 200, pdf.get_y())
    for note in ("Bring water and socks.", "Ask for Maria at the desk."):
        pdf.multi_cell(0, 8, note, border=1, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / name
    path.write_bytes(bytes(pdf.output()))
    return path


# table_lines and its read-back


def test_a_row_line_carries_its_column_headers():
    assert table_lines(SHELTERS)[0] == "Organisation: CAST · Phone: 888-539-2373 · Hours: 24/7"


def test_a_table_of_plain_names_gets_no_made_up_header():
    lines = table_lines([["CAST", "Los Angeles"], ["Harbor Clinic", "Oakland"]])
    assert lines == ["CAST · Los Angeles", "Harbor Clinic · Oakland"]


def test_a_header_of_column_words_labels_rows_without_digits():
    lines = table_lines([["Name", "City"], ["CAST", "Los Angeles"]])
    assert lines == ["Name: CAST · City: Los Angeles"]


def test_a_table_that_is_all_header_is_kept():
    assert table_lines([["Organisation", "Phone"]], header=None) == ["Organisation · Phone"]
    assert table_lines([], header=["Organisation", "Phone"]) == ["Organisation · Phone"]


def test_ragged_rows_empty_cells_and_repeated_merges_are_laid_out_once():
    rows = [["Organisation", "Phone", "Hours"], ["CAST"], [None, "", ""], ["Beacon", "", "24/7"]]
    assert table_lines(rows) == ["Organisation: CAST", "Organisation: Beacon · Hours: 24/7"]
    assert table_lines([["x", "x", "x", "y"]], header=[]) == ["x · y"]


def test_row_cells_reads_a_row_line_back():
    line = "Organisation: CAST · Hours: Mon: 9-5 · 888-539-2373"
    assert row_cells(line) == [
        ("Organisation", "CAST"),
        ("Hours", "Mon: 9-5"),
        ("", "888-539-2373"),
    ]


def test_one_column_or_overlong_tables_are_layout():
    assert not is_data_table([["Only"], ["one column"]])
    assert not is_data_table([["a", "x" * 3000]])
    assert is_data_table([["a"], ["b", "c"]])


# DOCX


def test_docx_table_sits_between_the_paragraphs_it_follows(tmp_path):
    doc = read_document(_docx(tmp_path, _shelter_guide))
    text = doc.text
    order = [
        "Where can I sleep tonight?",
        "These shelters take walk-ins.",
        "Organisation: CAST · Phone: 888-539-2373 · Hours: 24/7",
        "Organisation: Harbor Clinic · Phone: 555-010-2000 · Hours: Mon-Fri 9 am to 5 pm",
        "Organisation: Beacon Shelter · Phone: 555-010-3000 · Hours: Nights from 7 pm",
        "Bring ID if you have it.",
        "Where can I eat?",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "Organisation · Phone" not in text  # the header row labels rows, it is no row itself
    assert doc.headings == ["Where can I sleep tonight?", "Where can I eat?"]


def test_docx_row_is_a_passage_of_its_own_section(tmp_path):
    doc = read_document(_docx(tmp_path, _shelter_guide))
    chunks = chunk_document(doc, words, 40)
    row = "Organisation: Harbor Clinic · Phone: 555-010-2000 · Hours: Mon-Fri 9 am to 5 pm"
    holding = [c for c in chunks if row in c.text]
    assert len(holding) == 1
    assert holding[0].section == "Where can I sleep tonight?"
    assert (holding[0].start + holding[0].text.index(row), len(row)) in {
        (s, e - s) for s, e in holding[0].sentences
    }  # the row is one whole sentence, citable on its own


def _merged_and_nested(document):
    table = _word_table(
        document,
        [("Organisation", "Phone", "Hours"), ("CAST", "888-539-2373", "24/7"), ("", "", "")],
    )
    table.cell(2, 1).merge(table.cell(2, 2)).text = "555-010-3000 (nights)"
    table.cell(1, 0).merge(table.cell(2, 0))  # CAST runs both lines
    inner = table.cell(1, 2).add_table(rows=2, cols=2)
    for (r, c), value in {(0, 0): "Day", (0, 1): "Open", (1, 0): "Sunday", (1, 1): "noon"}.items():
        inner.cell(r, c).text = value


def test_docx_merged_cells_are_written_once_and_nested_tables_kept(tmp_path):
    text = read_document(_docx(tmp_path, _merged_and_nested)).text
    lines = text.split("\n")
    assert (
        "Organisation: CAST · Phone: 888-539-2373 · Hours: 24/7 (Day: Sunday, Open: noon)" in lines
    )
    assert "Organisation: CAST · Phone: 555-010-3000 (nights)" in lines
    assert text.count("555-010-3000") == 1


def _deep_and_hostile(document):
    table = _word_table(document, [("Name", "Phone"), ("Lantern Project", "555-010-4000")])
    cell = table.cell(1, 1)
    for depth in range(8):  # tables in tables, deeper than anyone writes
        cell = cell.add_table(rows=1, cols=2).cell(0, 0)
        cell.text = f"level {depth}"
    odd = _word_table(document, [("Name", "Phone"), ("Harbor Clinic", "555-010-2000")])
    first, second = odd.rows[0]._tr.tc_lst
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), "100000000")  # a cell claiming a hundred million columns
    first.get_or_add_tcPr().append(span)
    merge = OxmlElement("w:vMerge")
    merge.set(qn("w:val"), "continue")  # continuing a merge from a row that does not exist
    second.get_or_add_tcPr().append(merge)
    odd.rows[1]._tr.remove(odd.rows[1]._tr.tc_lst[1])  # a ragged row


def test_docx_deep_nesting_huge_spans_and_ragged_rows_do_not_crash(tmp_path):
    text = read_document(_docx(tmp_path, _deep_and_hostile)).text
    assert "level 7" in text  # the deepest table's words are still there, as plain text
    assert "Harbor Clinic" in text
    assert len(text) < 2_000


# HTML

_SHELTER_TABLE = """
<h2>Where can I sleep tonight?</h2>
<p>These shelters take walk-ins.</p>
<table>{head}<tbody>
<tr><td>CAST</td><td>888-539-2373</td><td>24/7</td></tr>
<tr><td>Harbor Clinic</td><td>555-010-2000</td><td>Mon-Fri</td></tr>
</tbody></table>
<p>Bring ID if you have it.</p>
"""


@pytest.mark.parametrize(
    "head",
    [
        "<thead><tr><td>Organisation</td><td>Phone</td><td>Hours</td></tr></thead>",
        "<tr><th>Organisation</th><th>Phone</th><th>Hours</th></tr>",
        "<tr><td>Organisation</td><td>Phone</td><td>Hours</td></tr>",  # guessed
    ],
)
def test_html_table_rows_carry_their_headers_in_place(tmp_path, head):
    text = read_document(_html(tmp_path, _SHELTER_TABLE.format(head=head))).text
    row = "Organisation: Harbor Clinic · Phone: 555-010-2000 · Hours: Mon-Fri"
    assert row in text.split("\n")
    assert text.index("walk-ins") < text.index(row) < text.index("Bring ID")


def test_html_without_headers_keeps_each_row_on_its_line(tmp_path):
    body = "<table><tr><td>CAST</td><td>888-539-2373</td></tr><tr><td>Beacon</td><td>555</td></tr>"
    text = read_document(_html(tmp_path, body + "</table>")).text
    assert text.split("\n") == ["CAST · 888-539-2373", "Beacon · 555"]


def test_html_row_headers_label_their_own_row(tmp_path):
    body = "<table><tr><th>Phone</th><td>888-539-2373</td></tr><tr><th>Hours</th><td>24/7</td></tr>"
    text = read_document(_html(tmp_path, body + "</table>")).text
    assert text.split("\n") == ["Phone: 888-539-2373", "Hours: 24/7"]


def test_html_layout_tables_stay_text(tmp_path):
    body = (
        "<table><tr><td><p>Welcome to the drop-in centre.</p><p>We are open Mondays.</p></td></tr>"
        "<tr><td>Ask at the desk.</td></tr></table>"
        '<table role="presentation"><tr><td>Left menu</td><td>Main story.</td></tr></table>'
    )
    text = read_document(_html(tmp_path, body)).text
    assert "·" not in text
    assert ["Welcome to the drop-in centre.", "We are open Mondays.", "Ask at the desk."] == [
        line for line in text.split("\n") if line and "menu" not in line and "story" not in line
    ]


def test_html_spans_ragged_rows_and_empty_cells(tmp_path):
    body = (
        "<table><tr><th>Organisation</th><th>Phone</th><th>Hours</th></tr>"
        '<tr><td rowspan="2">CAST</td><td>888-539-2373</td><td>24/7</td></tr>'
        "<tr><td>555-010-1000</td></tr>"
        '<tr><td>Beacon</td><td colspan="999999">555-010-3000</td></tr>'
        '<tr><td rowspan="x"></td><td></td></tr><tr></tr></table>'
    )
    text = read_document(_html(tmp_path, body)).text
    assert text.split("\n") == [
        "Organisation: CAST · Phone: 888-539-2373 · Hours: 24/7",
        "Organisation: CAST · Phone: 555-010-1000",
        "Organisation: Beacon · Phone: 555-010-3000",
    ]


# PDF


def test_pdf_table_rows_carry_headers_and_their_page(tmp_path):
    doc = read_document(_pdf(tmp_path))
    row = "Organisation: Harbor Clinic · Phone: 555-010-2000 · Hours: Mon-Fri 9 am to 5 pm"
    assert row in doc.text.split("\n")  # the wrapped cell is whole, in its row
    assert doc.page_at(doc.text.index(row)) == 2
    assert doc.page_at(doc.text.index("Call ahead")) == 1
    text = doc.text
    assert text.index("walk-ins") < text.index("Organisation: CAST") < text.index("Bring ID")
    chunk = next(c for c in chunk_document(doc, words, 200) if row in c.text)
    assert (chunk.section, chunk.page) == ("Where can I sleep tonight?", 2)


def test_pdfplumber_reads_only_pages_that_draw_rules(tmp_path, monkeypatch):
    read = []
    original = pdf_tables.page_text_with_tables
    monkeypatch.setattr(
        pdf_tables,
        "page_text_with_tables",
        lambda page: read.append(page.page_number) or original(page),
    )
    read_document(_pdf(tmp_path))
    assert read == [2]


def test_a_page_pdfplumber_fails_on_keeps_its_pypdf_text(tmp_path, monkeypatch):
    def broken(page):
        raise RecursionError("pdfminer gave up")

    monkeypatch.setattr(pdf_tables, "page_text_with_tables", broken)
    doc = read_document(_pdf(tmp_path))
    assert doc.page_at(doc.text.index("Harbor Clinic")) == 2
    assert "Organisation:" not in doc.text  # pypdf's own reading of the table
    assert "Bring ID if you have it." in doc.text


# the chunker and the resources directory


@pytest.mark.parametrize("between", ["\n", "\n\n"])
def test_the_chunker_never_cuts_a_row(between):
    lines = [
        f"Organisation: St. Anne's Shelter {n} · Phone: 555-010-{n:04d} · Notes: Walk-ins. Bring ID"
        for n in range(30)
    ]
    text = "Where can I sleep?\n\n" + between.join(lines)
    doc = Document("rows", "Rows", "rows.txt", text, "h")
    for budget in (30, 47, 61):
        chunks = chunk_document(doc, words, budget)
        assert len(chunks) > 1
        assert {c.section for c in chunks} == {"Where can I sleep?"}  # a row is no heading
        for line in lines:
            assert sum(line in c.text for c in chunks) == 1, (budget, line)
            assert sum(line.split(" · ")[1] in c.text for c in chunks) == 1


def test_a_row_too_long_for_a_passage_gets_passages_of_its_own():
    cells = " · ".join(f"Note {n}: bring water and socks to the van" for n in range(30))
    text = f"Where is the van?\n\nThe van stops at the park.\n\n{cells}\n\nAsk for Maria."
    doc = Document("long", "Long", "long.txt", text, "h")
    chunks = chunk_document(doc, words, 60)
    assert all(words(c.embed_text()) <= 60 for c in chunks)
    row = [c for c in chunks if "Note" in c.text]
    assert len(row) > 1 and all("van stops" not in c.text and "Maria" not in c.text for c in row)
    assert all(c.text.startswith("Note") for c in row)  # cut between cells, never inside one
    assert "".join(c.text for c in row).count("Note") == 30


def _directory(document):
    document.add_heading("Who can help?", level=2)
    document.add_paragraph("Call the National Human Trafficking Hotline at 1-888-373-7888.")
    _word_table(
        document,
        [
            ("Phone", "Organisation", "Contact name", "Hours"),
            ("555-010-2000", "Harbor Clinic", "Maria Lopez", "Mon-Fri"),
            ("555-010-3000", "Beacon Shelter", "Sam Ortiz", "Nights"),
            ("555-010-4000", "Lantern Project", "Ana Ruiz", "Fridays"),
            ("888-539-2373", "CAST", "Lee Park", "24/7"),
            ("555-010-5000", "Juniper Food Bank", "Jo Kim", "Saturdays"),
            ("555-010-6000", "Westside Legal Aid", "Ray Diaz", "By appointment"),
        ],
    )


def test_each_number_in_a_table_belongs_to_its_own_rows_organisation(tmp_path):
    doc = read_document(_docx(tmp_path, _directory))
    directory = build_directory(chunk_document(doc, words, 60))
    assert {r.number: r.organisation for r in directory} == {
        "(888) 373-7888": "National Human Trafficking Hotline",
        "(555) 010-2000": "Harbor Clinic",
        "(555) 010-3000": "Beacon Shelter",
        "(555) 010-4000": "Lantern Project",
        "(888) 539-2373": "CAST",
        "(555) 010-5000": "Juniper Food Bank",
        "(555) 010-6000": "Westside Legal Aid",
    }
