"""Office files: OpenDocument text (.odt) and PowerPoint (.pptx) as text, and what all the
zip-based formats share (the unpacked-size guard, how blocks are laid out).

Every table row becomes one line carrying its column headers (`tables.table_lines`), and a
slide is a page: citations say "page 3" for slide 3.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.sax import SAXException

from lxml.etree import XMLSyntaxError

from .problems import Kind, document_error
from .tables import table_lines

# a real office file, even a 25 MB one full of text, unpacks to far less than this
MAX_UNPACKED = 256 * 1024 * 1024
MAX_REPEAT = 100  # an OpenDocument cell "repeated" 16,000 times across empty columns
MAX_DEPTH = 64  # nested lists, sections and groups followed; deeper is left out
# what the parsers raise on a damaged or renamed file (MemoryError and RecursionError are left
# to the sandbox, which reports them as such); AttributeError and KeyError come from a library
# walking an XML tree that lacks what the format requires
DAMAGE = (
    zipfile.BadZipFile,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    OSError,
    EOFError,
    SAXException,
    ParseError,
    XMLSyntaxError,
    zlib.error,  # a damaged compressed member
    NotImplementedError,  # zipfile: a zip feature no office program writes
)


@dataclass
class Extracted:
    """What a format's reader found in one file."""

    text: str = ""
    headings: list[str] = field(default_factory=list)
    title: str | None = None
    pages: list[str] | None = None  # one text per page (slide), when the format has pages


def check_unpacked(path: Path, limit: int = MAX_UNPACKED, kind: Kind = Kind.ZIP_BOMB) -> None:
    """Refuse a zip-based file (.docx, .odt, .pptx, .xlsx) whose members unpack past `limit`
    bytes, as `kind`.

    zipfile never inflates a member past its declared size, so the declared sum is a true bound.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return  # not a zip at all: the format's reader reports the damage
    if unpacked > limit:
        raise document_error(kind, path.name, size_mb=unpacked / 1024**2)


def join_blocks(blocks: Iterable[str], headings: list[str]) -> str:
    """Blocks one to a line, with a blank line either side of each heading only.

    The chunker takes a short line standing alone ("Walk-ins welcome") for a heading, so body
    lines stay together; their section's heading is set apart.
    """
    known, parts, previous = set(headings), [], None
    for block in blocks:
        if block.strip():
            if parts:
                parts.append("\n\n" if block in known or previous in known else "\n")
            parts.append(block)
            previous = block
    return "".join(parts)


# --------------------------------------------------------------------------- OpenDocument


def read_odt(path: Path, raw: bytes) -> Extracted:
    """Headings, paragraphs, list items and table rows of an .odt, in document order."""
    from odf import teletype
    from odf.dc import Title
    from odf.opendocument import load

    check_unpacked(path)
    try:
        _check_well_formed(path, ("content.xml", "styles.xml", "meta.xml", "settings.xml"))
        document = load(str(path))
        found = Extracted()
        blocks = list(_odt_blocks(document.body, found.headings, teletype.extractText, 0))
        titles = document.meta.getElementsByType(Title) if document.meta else []
    except DAMAGE as exc:
        raise document_error(Kind.DAMAGED_ODT, path.name) from exc
    found.text = join_blocks(blocks, found.headings)
    found.title = teletype.extractText(titles[0]) if titles else None
    return found


def _check_well_formed(path: Path, members: tuple[str, ...]) -> None:
    """Raise SAXParseException unless each of the zip's `members` present is well-formed XML.

    odfpy reads a part it cannot parse up to the fault, silently, and prints the whole part.
    """
    from xml.sax.handler import ContentHandler

    from defusedxml.sax import parse

    with zipfile.ZipFile(path) as archive:
        for name in set(members) & set(archive.namelist()):
            with archive.open(name) as member:
                parse(member, ContentHandler())


def _odt_blocks(element, headings: list[str], text_of: Callable, depth: int) -> Iterable[str]:
    """Text blocks under an OpenDocument element; headings are also added to `headings`."""
    if depth > MAX_DEPTH:
        return
    for child in element.childNodes:
        tag = getattr(child, "qname", (None, None))[1]
        if tag == "h":
            headings.append(" ".join(text_of(child).split()))
            yield headings[-1]
        elif tag == "p":
            yield text_of(child)
        elif tag == "list-item":
            for block in _odt_blocks(child, headings, text_of, depth + 1):
                yield block if block.startswith("- ") else "- " + block
        elif tag == "table":
            yield "\n".join(table_lines(_odt_rows(child, text_of)))
        elif tag not in ("table-of-content", "tracked-changes", None):
            yield from _odt_blocks(child, headings, text_of, depth + 1)


def _odt_rows(table, text_of: Callable) -> list[list[str]]:
    """A table's cells, row by row; repeated rows once, repeated cells a bounded number of times."""
    from odf.namespaces import TABLENS
    from odf.table import TableRow

    rows = []
    for row in table.getElementsByType(TableRow):
        cells: list[str] = []
        for cell in row.childNodes:
            if cell.qname not in ((TABLENS, "table-cell"), (TABLENS, "covered-table-cell")):
                continue
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            cells += [text_of(cell)] * min(repeat, MAX_REPEAT)
        rows.append(cells)
    return rows


# --------------------------------------------------------------------------- PowerPoint


def read_pptx(path: Path, raw: bytes) -> Extracted:
    """One page per slide: its title, text, table rows and speaker notes ("Notes: …")."""
    import pptx
    from pptx.exc import PythonPptxError

    check_unpacked(path)
    found = Extracted(pages=[])
    try:
        deck = pptx.Presentation(str(path))
        for slide in deck.slides:
            title = slide.shapes.title
            lines = []
            if title is not None and title.text_frame.text.strip():
                found.headings.append(" ".join(title.text_frame.text.split()))
                lines.append(found.headings[-1])
            lines += _shape_lines(slide.shapes, title, 0)
            notes = slide.notes_slide.notes_text_frame if slide.has_notes_slide else None
            if notes is not None and notes.text.strip():
                lines.append("Notes: " + notes.text.strip())
            found.pages.append(join_blocks(lines, found.headings))
        found.title = deck.core_properties.title or None
    except (*DAMAGE, PythonPptxError) as exc:
        raise document_error(Kind.DAMAGED_PPTX, path.name) from exc
    return found


def _shape_lines(shapes, title, depth: int) -> list[str]:
    """Text of a slide's shapes in order (groups opened), the title shape left out."""
    from pptx.shapes.group import GroupShape

    lines: list[str] = []
    for shape in shapes:
        if title is not None and shape.shape_id == title.shape_id:
            continue
        if isinstance(shape, GroupShape):
            if depth < MAX_DEPTH:
                lines += _shape_lines(shape.shapes, None, depth + 1)
        elif shape.has_text_frame:
            lines += [p.text for p in shape.text_frame.paragraphs]
        elif shape.has_table:
            rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
            lines.append("\n".join(table_lines(rows)))
    return lines
