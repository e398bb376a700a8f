"""Tables: each row of a table becomes one line that carries its column headers.

"Organisation: CAST · Phone: 888-539-2373 · Hours: 24/7" is findable and citable on its own, and
the resources directory sees the organisation beside each number. Every reader (DOCX, HTML, PDF,
spreadsheets, CSV) hands its cells here, so every format lays a row out the same way.
"""

from __future__ import annotations

import re

SEPARATOR = " · "
MAX_CELL = 2_000  # characters; a runaway cell (a pasted document) must not make one giant row
_SPACE = re.compile(r"\s+")


def clean_cell(value: object) -> str:
    """A cell's text on one line ("" for None), bounded in length."""
    if value is None:
        return ""
    return _SPACE.sub(" ", str(value)).strip()[:MAX_CELL]


def looks_like_header(cells: list[str]) -> bool:
    """A first row of short labels with no digits ("Organisation", "Phone", "Hours")."""
    filled = [c for c in cells if c]
    return (
        len(filled) >= 2
        and len(set(filled)) == len(filled)
        and all(len(c) <= 40 and not any(ch.isdigit() for ch in c) for c in filled)
    )


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
        One line per non-empty row, header row excluded when it labels the others.
    """
    cleaned = [[clean_cell(c) for c in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    if header is None and len(cleaned) > 1 and looks_like_header(cleaned[0]):
        header, cleaned = cleaned[0], cleaned[1:]
    header = [clean_cell(h) for h in header or []]
    return [line for row in cleaned if (line := row_line(header, row))]
