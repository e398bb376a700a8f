"""One file of every format Field Guide reads besides scans, built in code for
`bench/documents.py`: DOCX with a contacts table, HTML with a services `<table>`, a PDF with a
ruled table on page 2, .odt, .pptx (an answer on slide 3, another only in speaker notes), .xlsx
(the answer on its second sheet), .csv, .eml with DOCX and PDF attachments, Markdown and .txt.

Every organisation, number and fact here is in one file only, and each file has questions a
volunteer would type whose answer is only in it. Numbers are 555-03xx/04xx, outside the
555-01xx range `tests/scans.py` draws flyers' numbers from.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from builders import _pdf_bytes  # noqa: E402
from format_builders import docx_bytes, eml_message  # noqa: E402


@dataclass
class Question:
    """A question whose answer is in one file: on one page (a PDF page, a slide), or `page`
    None for a format without pages, whose hits and citations carry no page either."""

    question: str
    doc_id: str
    page: int | None
    answer: str  # words the hit passage must hold (and, to count as quoted, the answer)


LEGAL_CONTACTS = [
    ("Organisation", "Phone", "Hours", "Helps with"),
    ("Alder Legal Clinic", "310-555-0311", "Wednesdays 1 pm to 7 pm", "evictions and repairs"),
    ("Kestrel Immigration Project", "213-555-0312", "Mondays 9 am to 1 pm", "asylum forms"),
    ("Quillon Benefits Advice", "818-555-0313", "Thursdays 10 am to 4 pm", "disability benefits"),
]
DAY_SERVICES = [
    ("Service", "Where", "Phone", "When"),
    ("Hot showers", "Wren Day Centre, 14 Dock Street", "626-555-0321", "weekdays 7 am to 11 am"),
    ("Free haircuts", "Gorseway Barber School", "323-555-0322", "first Monday of the month"),
    ("Mail and phone charging", "Wren Day Centre, 14 Dock Street", "626-555-0321", "weekdays"),
]
HEALTH_DIRECTORY = [
    ("Organisation", "Phone", "Services"),
    ("Thistle Dental Van", "310-555-0331", "free dental check-ups, first Saturday of the month"),
    ("Lindenbrook Eye Clinic", "818-555-0332", "free eye tests for adults"),
    ("Mossgrove Foot Care", "213-555-0333", "foot care and new socks, Tuesdays"),
]
PARTNERS = [
    ("Partner", "Phone", "Gives", "Pick-up"),
    ("Ironwood Diaper Bank", "626-555-0361", "diapers and baby formula", "Thursdays 2 pm to 5 pm"),
    ("Copperline Bike Kitchen", "310-555-0362", "free bike repairs", "Saturdays"),
]
BEDS_CSV = (
    "Shelter,Address,Phone,Beds,Check-in\n"
    "Hawthorn Family Shelter,9 Mill Street,213-555-0371,14 family rooms,check in by 6 pm\n"
    'Nettlefield Men\'s Hostel,"2 Canal Row, rear door",818-555-0372,30 beds,check in from 8 pm\n'
)
VOLUNTEER_GUIDE_MD = """# Volunteer guide

## Laundry

The **Foxglove Laundry Project** washes and dries clothes for free on Mondays from 9 am to
1 pm at Pine Hall, 7 Birch Road. Call 626-555-0391 to book a slot.

## Parking

Volunteers park behind the hall; the lot closes at 9 pm.
"""
PETS_TXT = (
    "Pets\n\n"
    "The Tamarind Pet Clinic treats the dogs and cats of people without homes for free on the "
    "second Sunday of each month, no appointment needed. Call 213-555-0401.\n"
)


def _docx_contacts() -> bytes:
    from docx import Document

    document = Document()
    document.add_heading("Legal help: who to call", level=1)
    document.add_paragraph("Call ahead: most clinics see people by appointment.")
    table = document.add_table(rows=len(LEGAL_CONTACTS), cols=len(LEGAL_CONTACTS[0]))
    for r, row in enumerate(LEGAL_CONTACTS):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("All advice is free and confidential.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _html_services() -> str:
    head = "".join(f"<th>{cell}</th>" for cell in DAY_SERVICES[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in DAY_SERVICES[1:]
    )
    return (
        "<html><head><title>Day services</title></head><body>"
        "<nav><a href='/'>Home</a></nav><h1>Day services downtown</h1>"
        "<p>These services are free and open to anyone.</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        "<p>Ask at the front desk if you need a locker.</p></body></html>"
    )


def _pdf_ruled_table() -> bytes:
    """Page 1 an introduction; page 2 a heading, a ruled table and a closing line."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, "Health directory\n\nFree health services for people without insurance.")
    pdf.add_page()
    pdf.multi_cell(0, 8, "Free health care", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    with pdf.table(col_widths=(55, 35, 80)) as table:
        for values in HEALTH_DIRECTORY:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.multi_cell(0, 8, "No ID is asked for.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _odt_pantry() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, List, ListItem, P

    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text="Food this week"))
    doc.text.addElement(
        P(
            text="The Marigold Food Pantry is open Wednesdays from 4 pm to 7 pm and Saturdays "
            "from 10 am to noon, at 40 Quarry Lane. Call 213-555-0341."
        )
    )
    bullets = List()
    for words in ("Bring a bag", "No proof of address needed"):
        item = ListItem()
        item.addElement(P(text=words))
        bullets.addElement(item)
    doc.text.addElement(bullets)
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()


def _pptx_training() -> bytes:
    """Slide 1 a welcome; slide 2 safety, with the harm-reduction van only in its notes;
    slide 3 where to refer people."""
    from pptx import Presentation

    deck = Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[1])
    first.shapes.title.text = "Volunteer training"
    first.placeholders[1].text_frame.text = "Welcome to the outreach team."
    second = deck.slides.add_slide(deck.slide_layouts[1])
    second.shapes.title.text = "Staying safe"
    second.placeholders[1].text_frame.text = "Work in pairs and carry a phone."
    second.notes_slide.notes_text_frame.text = (
        "Tell callers the Saffron Harm Reduction Van hands out naloxone and clean supplies on "
        "Tuesday nights. Its number is 323-555-0352."
    )
    third = deck.slides.add_slide(deck.slide_layouts[1])
    third.shapes.title.text = "Where to refer"
    referral = "Larkspur Recovery Center has detox beds; call 818-555-0351."
    third.placeholders[1].text_frame.text = referral
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _xlsx_partners() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    stock = book.active
    stock.title = "Stock"
    for row in (("Item", "Boxes"), ("Blankets", 14), ("Water bottles", 40)):
        stock.append(row)
    partners = book.create_sheet("Partners")
    for row in PARTNERS:
        partners.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _eml_winter_drive() -> bytes:
    coats = docx_bytes(
        "The Bramble Coat Drive gives out free winter coats, hats and gloves at 5 Pier Road on "
        "Sundays from noon to 3 pm. Call 323-555-0381."
    )
    passes = _pdf_bytes(
        (
            (
                "Free bus passes",
                "The Osprey Transit Fund gives free monthly bus passes to people going to job "
                "interviews. Call 310-555-0382.",
            ),
        )
    )
    message = eml_message(
        "Hi all, the details for the winter drive and the bus passes are attached.",
        (
            ("winter-coats.docx", coats, "application/docx"),
            ("bus-passes.pdf", passes, "application/pdf"),
        ),
        "Winter drive",
    )
    return bytes(message)


def write_format_set(folder: Path) -> list[Question]:
    """Write one file of each format into `folder`; return the questions only they answer."""
    files = {
        "legal-contacts.docx": _docx_contacts(),
        "day-services.html": _html_services().encode(),
        "health-directory.pdf": _pdf_ruled_table(),
        "pantry.odt": _odt_pantry(),
        "training.pptx": _pptx_training(),
        "partners.xlsx": _xlsx_partners(),
        "beds.csv": BEDS_CSV.encode(),
        "winter-drive.eml": _eml_winter_drive(),
        "volunteer-guide.md": VOLUNTEER_GUIDE_MD.encode(),
        "pets.txt": PETS_TXT.encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    q = Question
    return [
        q("What is the phone number for Alder Legal Clinic?", "legal-contacts", None, "0311"),
        q("Who can help with asylum forms?", "legal-contacts", None, "Kestrel"),
        q("Where can I get a hot shower?", "day-services", None, "Wren Day Centre"),
        q("Where can I get a free haircut?", "day-services", None, "Gorseway"),
        q("Where can I get free dental care?", "health-directory", 2, "310-555-0331"),
        q("What is the phone number for Lindenbrook Eye Clinic?", "health-directory", 2, "0332"),
        q("When is the Marigold food pantry open?", "pantry", None, "Wednesdays"),
        q("What is the phone number for the Marigold Food Pantry?", "pantry", None, "0341"),
        q("What is the phone number for Larkspur Recovery Center?", "training", 3, "0351"),
        q("Where can someone get naloxone?", "training", 2, "Saffron Harm Reduction Van"),
        q("What is the phone number for the Saffron Harm Reduction Van?", "training", 2, "0352"),
        q("Who can give us diapers and baby formula?", "partners", None, "626-555-0361"),
        q("When must families check in at Hawthorn Family Shelter?", "beds", None, "6 pm"),
        q("Where can I get a free winter coat?", "winter-drive", None, "5 Pier Road"),
        q("What is the phone number for the Bramble Coat Drive?", "winter-drive", None, "0381"),
        q("Who gives free bus passes for job interviews?", "winter-drive", None, "Osprey"),
        q("What is the phone number for the Osprey Transit Fund?", "winter-drive", None, "0382"),
        q("Where can I wash my clothes for free?", "volunteer-guide", None, "Pine Hall"),
        q(
            "What is the phone number for Foxglove Laundry Project?",
            "volunteer-guide",
            None,
            "0391",
        ),
        q("Is there free vet care for pets?", "pets", None, "Tamarind Pet Clinic"),
        q("What is the phone number for the Tamarind Pet Clinic?", "pets", None, "0401"),
    ]


# the organisations the set's questions name, for a check that no other file names them
NAMES = [
    "Alder", "Kestrel", "Quillon", "Wren", "Gorseway", "Thistle", "Lindenbrook", "Mossgrove",
    "Marigold", "Saffron", "Larkspur", "Ironwood", "Copperline", "Hawthorn", "Nettlefield",
    "Bramble", "Osprey", "Foxglove", "Tamarind",
]  # fmt: skip
