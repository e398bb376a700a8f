"""Build real .odt, .pptx, .xlsx, .csv and .eml fixtures in code, with the libraries users' own
programs' files are read with (odfpy, python-pptx, openpyxl, the standard library)."""

from __future__ import annotations

import io
from email.message import EmailMessage
from pathlib import Path

from builders import _pdf_bytes
from docx import Document


def odt_bytes() -> bytes:
    """A text document: a heading, a paragraph, a list and a table, then a second heading."""
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P, Span

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text="Where to get tested"))
    paragraph = P(text="The Harbor Clinic offers ")
    paragraph.addElement(Span(text="free STI testing on Tuesdays."))
    doc.text.addElement(paragraph)
    bullets = List()
    for words in ("Walk-ins welcome", "Bring a health card if you have one"):
        item = ListItem()
        item.addElement(P(text=words))
        bullets.addElement(item)
    doc.text.addElement(bullets)
    table = Table(name="Helplines")
    table.addElement(TableColumn(numbercolumnsrepeated=3))
    for cells in (["Organisation", "Phone", "Hours"], ["CAST", "888-539-2373", "24/7"]):
        row = TableRow()
        for text in cells:
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    doc.text.addElement(table)
    doc.text.addElement(H(outlinelevel=1, text="After hours"))
    doc.text.addElement(P(text="The Lantern Project van parks at Elm Square from 10 pm."))
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()


def pptx_bytes() -> bytes:
    """Three slides: text with notes, an empty one, and a table."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[1])  # title and content
    first.shapes.title.text = "Outreach nights"
    first.placeholders[1].text_frame.text = "The night van runs Fridays from 9 pm."
    first.notes_slide.notes_text_frame.text = "Remind volunteers to carry naloxone kits."
    deck.slides.add_slide(deck.slide_layouts[6])  # blank: nothing to read on slide 2
    third = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    third.shapes.title.text = "Helplines"
    shape = third.shapes.add_table(3, 2, Inches(1), Inches(2), Inches(6), Inches(2))
    for r, cells in enumerate((["Service", "Phone"], ["Crisis line", "555-010-4000"])):
        for c, text in enumerate(cells):
            shape.table.cell(r, c).text = text
    shape.table.cell(2, 0).text = "Food bank"
    shape.table.cell(2, 1).text = "555-010-5000"
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    """Two sheets; one has a formula cell (never calculated, so with no saved value)."""
    import datetime

    from openpyxl import Workbook

    book = Workbook()
    clinics = book.active
    clinics.title = "Clinics"
    clinics.append(["Clinic", "Phone", "Opens"])
    clinics.append(["Harbor Clinic", "555-010-2000", datetime.datetime(2024, 5, 1)])
    clinics.append(["Juniper Health", "555-010-6000", datetime.datetime(2024, 6, 3)])
    stock = book.create_sheet("Stock")
    stock.append(["Item", "Boxes"])
    stock.append(["Naloxone kits", 12])
    stock.append(["Condoms", 30])
    stock.append(["Total", "=SUM(B2:B3)"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


CSV_TEXT = (
    'Shelter;Address;Beds\nBeacon Shelter;12 Harbour Road;40\n"Elm House; annex";3 Elm Square;12\n'
)


def docx_bytes(paragraph: str) -> bytes:
    document = Document()
    document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def eml_message(
    body: str = "Hi all, the rota for next month is attached.",
    attachments: tuple[tuple[str, bytes, str], ...] | None = None,
    subject: str = "Volunteer rota for June",
) -> EmailMessage:
    """An email with a plain-text body and (name, bytes, mime type) attachments."""
    if attachments is None:
        attachments = (
            ("rota.docx", docx_bytes("Saturday shifts are led by Marisol."), "application/docx"),
            ("flyer.pdf", _pdf_bytes(), "application/pdf"),
            ("beds.csv", CSV_TEXT.encode(), "text/csv"),
            ("photos.zip", b"PK\x05\x06" + bytes(18), "application/zip"),
        )
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = "Dana Ortiz <dana@example.org>"
    message["To"] = "volunteers@example.org"
    message["Date"] = "Mon, 03 Jun 2024 09:30:00 +0000"
    message.set_content(body)
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def nested_eml(depth: int) -> bytes:
    """An email holding an email holding an email … `depth` levels in all."""
    inner = eml_message(f"zqdepth{depth} is the innermost message.", (), f"Level {depth}")
    for level in range(depth - 1, 0, -1):
        outer = eml_message(f"zqdepth{level} forwards a message.", (), f"Level {level}")
        outer.add_attachment(inner)  # message/rfc822
        inner = outer
    return bytes(inner)


def write_formats(folder: Path) -> dict[str, Path]:
    """One file of each new type in `folder`, by suffix."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {
        ".odt": ("services.odt", odt_bytes()),
        ".pptx": ("training.pptx", pptx_bytes()),
        ".xlsx": ("inventory.xlsx", xlsx_bytes()),
        ".csv": ("shelters.csv", CSV_TEXT.encode()),
        ".eml": ("rota.eml", bytes(eml_message())),
    }
    paths = {}
    for suffix, (name, data) in made.items():
        paths[suffix] = folder / name
        paths[suffix].write_bytes(data)
    return paths
