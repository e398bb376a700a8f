"""Word (.docx) bodies in reading order: paragraphs and tables interleaved, each table row one
line carrying its column headers, so a table sits under the heading it follows."""

from __future__ import annotations

from dataclasses import dataclass, field

from .tables import SEPARATOR, is_data_table, table_lines

MAX_DEPTH = 3  # tables inside tables inside tables; deeper ones are read as plain text
MAX_SPAN = 64  # grid columns one cell may claim: a gridSpan of a million must not be a bomb
MAX_GRID = 512  # grid columns a row may fill with spans (its real cells are always kept)
CARRY_MAX = 200  # characters; a vertically merged cell this short is repeated on each row


@dataclass
class WordBody:
    """A Word document's text blocks in reading order, and its heading texts."""

    blocks: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)


def read_body(document) -> WordBody:
    """Paragraphs and tables of a python-docx Document, in the order they appear.

    Args:
        document: an opened `docx.Document`.

    Returns:
        Blocks: a paragraph each ("- " before list items), a table's row lines together.
    """
    body = WordBody()
    _add_content(document.iter_inner_content(), body, 0)
    return body


def _add_content(items, body: WordBody, depth: int) -> None:
    """Paragraphs and tables of a body or table cell, in order."""
    from docx.table import Table

    for item in items:
        if isinstance(item, Table):
            _add_table(item, body, depth)
        else:
            _add_paragraph(item, body)


def _add_paragraph(para, body: WordBody) -> None:
    text = para.text.strip()
    if not text:
        return
    style = (para.style.name if para.style is not None else "") or ""
    if style.lower().startswith(("heading", "title")):
        body.headings.append(text)
    elif "list" in style.lower():
        text = "- " + text
    body.blocks.append(text)


def _add_table(table, body: WordBody, depth: int) -> None:
    """A data table as row lines; a layout table (one column, huge cells) as its cells' text."""
    rows = table_cells(table, depth)
    if is_data_table(rows):
        if lines := table_lines(rows):
            body.blocks.append("\n".join(lines))
    elif depth < MAX_DEPTH:
        for cell in _own_cells(table):
            _add_content(cell.iter_inner_content(), body, depth + 1)
    else:
        body.blocks.extend(text for row in rows for text in row if text.strip())


def table_cells(table, depth: int = 0) -> list[list[str]]:
    """A table's cell texts on its layout grid, row by row.

    A cell merged across columns is written once (the columns it covers are ""), and a short cell
    merged down rows is repeated on each row, so every row carries its own name. python-docx's
    `row.cells` would repeat the first and recurse up the second, so the grid is walked here.
    """
    from docx.table import _Cell

    rows: list[list[str]] = []
    above: list[str] = []
    for tr in table._tbl.tr_lst:
        row = [""] * _bounded(lambda tr=tr: tr.grid_before, 0)
        for tc in tr.tc_lst:
            span = _bounded(lambda tc=tc: tc.grid_span, 1) if len(row) < MAX_GRID else 1
            if _bounded_merge(tc) == "continue":
                carried = above[len(row)] if len(row) < len(above) else ""
                text = carried if len(carried) <= CARRY_MAX else ""
            else:
                text = _cell_text(_Cell(tc, table), depth)
            row += [text] + [""] * (span - 1)
        rows.append(row)
        above = row
    return rows


def _bounded(read, default: int) -> int:
    """A grid count from the XML, clamped to [default, MAX_SPAN]; a malformed value is default."""
    try:
        value = int(read())
    except (ValueError, TypeError):
        return default
    return max(default, min(value, MAX_SPAN))


def _bounded_merge(tc) -> str | None:
    try:
        return tc.vMerge
    except (ValueError, TypeError):
        return None


def _cell_text(cell, depth: int) -> str:
    """A cell's paragraphs, and any table inside it in brackets: "(a: 1, b: 2; a: 3, b: 4)"."""
    from docx.table import Table

    parts = []
    for item in cell.iter_inner_content():
        if not isinstance(item, Table):
            parts.append(item.text)
        elif depth < MAX_DEPTH:
            lines = table_lines(table_cells(item, depth + 1))
            # the outer row's separator must not appear inside one of its cells
            if lines:
                parts.append("(" + "; ".join(line.replace(SEPARATOR, ", ") for line in lines) + ")")
        else:
            parts.append(" ".join(item._tbl.itertext()))
    return " ".join(part.strip() for part in parts if part.strip())


def _own_cells(table):
    """Each cell of a table once, in reading order (merged continuations skipped)."""
    from docx.table import _Cell

    for tr in table._tbl.tr_lst:
        for tc in tr.tc_lst:
            if _bounded_merge(tc) != "continue":
                yield _Cell(tc, table)
