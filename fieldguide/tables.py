"""Tables: each row of a table becomes one line that carries its column headers.

"Organisation: CAST · Phone: 888-539-2373 · Hours: 24/7" is findable and citable on its own, and
the resources directory sees the organisation beside each number. Every reader (DOCX, HTML, PDF,
spreadsheets, CSV) hands its cells here, so every format lays a row out the same way; the
chunker and the resources directory read rows back with `is_row_line` and `row_cells`.
"""

from __future__ import annotations

import re

SEPARATOR = " · "
MAX_CELL = 2_000  # characters; a runaway cell (a pasted document) must not make one giant row
MAX_LABEL = 40  # characters; longer "headers" are sentences, not column names
_SPACE = re.compile(r"\s+")
# words that name a column: a first row made of them is a header even over rows of plain names
_HEADER_WORDS = re.compile(
    r"\b(name|organi[sz]ation|agency|service|provider|program(me)?|phone|tel(ephone)?|mobile|"
    r"fax|text|hotline|contact|e-?mail|website|web|url|address|location|city|town|area|county|"
    r"state|zip|hours|open(ing)?|days?|time|when|where|who|what|type|category|notes?|"
    r"description|details|cost|fee|price|eligibility|languages?|ages?|gender|beds|capacity)\b",
    re.IGNORECASE,
)


def clean_cell(value: object) -> str:
    """A cell's text on one line ("" for None), bounded in length."""
    if value is None:
        return ""
    return _SPACE.sub(" ", str(value)).strip()[:MAX_CELL]


def _label_like(cell: str) -> bool:
    return len(cell) <= MAX_LABEL and not any(ch.isdigit() for ch in cell)


def looks_like_header(cells: list[str]) -> bool:
    """A first row of short labels with no digits ("Organisation", "Phone", "Hours")."""
    filled = [c for c in cells if c]
    return len(filled) >= 2 and len(set(filled)) == len(filled) and all(map(_label_like, filled))


def _guess_header(first: list[str], body: list[list[str]]) -> bool:
    """Row one labels the others when it looks like a header and something tells it apart:
    a column word ("Phone", "Hours") in it, or a body cell that is no label (digits, a sentence).

    A table of plain names ("CAST | Los Angeles") has no header, rather than a wrong one.
    """
    if not body or not looks_like_header(first):
        return False
    if any(_HEADER_WORDS.search(cell) for cell in first):
        return True
    return any(cell and not _label_like(cell) for row in body for cell in row)


def is_data_table(rows: list[list[object]]) -> bool:
    """True for a table worth reading row by row: some row has two or more filled cells and no
    cell is longer than MAX_CELL. A one-column or overlong table is layout: its text stays text."""
    texts = [["" if c is None else str(c).strip() for c in row] for row in rows]
    widest = max((sum(1 for c in row if c) for row in texts), default=0)
    return widest >= 2 and all(len(c) <= MAX_CELL for row in texts for c in row)


def row_line(header: list[str], row: list[str]) -> str:
    """One row as "Header: value · Header: value"; cells without a header stand alone.

    A cell repeated across merged columns is written once, and empty cells are left out.
    """
    parts: list[str] = []
    for index, cell in enumerate(row):
        if not cell:
            continue
        label = header[index] if index < len(header) else ""
        part = f"{label}: {cell}" if label and label != cell else cell
        if part not in parts:
            parts.append(part)
    return SEPARATOR.join(parts)


def table_lines(rows: list[list[object]], header: list[str] | None = None) -> list[str]:
    """A table's rows as lines; the first row is the header when it looks like one.

    Args:
        rows: the table's cells, row by row (None and numbers welcome).
        header: column names, when the reader knows them (otherwise guessed from row one).

    Returns:
        One line per non-empty row, header row excluded when it labels the others; a table that
        is all header gives its header as one line (nothing is dropped).
    """
    cleaned = [[clean_cell(c) for c in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    if header is None and cleaned and _guess_header(cleaned[0], cleaned[1:]):
        header, cleaned = cleaned[0], cleaned[1:]
    header = [clean_cell(h) for h in header or []]
    lines = [line for row in cleaned if (line := row_line(header, row))]
    if not lines and any(header):
        lines = [SEPARATOR.join(dict.fromkeys(h for h in header if h))]
    return lines


def is_row_line(line: str) -> bool:
    """True when a line of text is a table row laid out by `row_line` (two cells or more)."""
    return SEPARATOR in line.strip()


def row_cells(line: str) -> list[tuple[str, str]]:
    """A row line read back into (header, value) pairs; header is "" for a cell without one."""
    cells = []
    for part in line.strip().split(SEPARATOR):
        label, colon, value = part.partition(": ")
        if colon and label and value and _label_like(label):
            cells.append((label, value))
        else:
            cells.append(("", part))
    return cells
