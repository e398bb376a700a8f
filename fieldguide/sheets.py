"""Spreadsheets (.xlsx) and CSV files as text: each sheet a section, each row a line that
carries its column headers. Nothing in a file is run: a formula gives its saved value or nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .office import DAMAGE, Extracted, check_unpacked, join_blocks
from .problems import Kind, document_error
from .tables import table_lines

MAX_CELLS = 100_000  # per spreadsheet or CSV file; the rest is left out, and the text says so
MAX_ROWS = 200_000  # rows looked at, empty ones included (a sheet can claim a million)
_SNIFF_CHARS = 20_000


def read_xlsx(path: Path, raw: bytes) -> Extracted:
    """Each sheet a section headed by its name, each row a line with its headers.

    Formulas are never calculated: a cell shows the value Excel saved with it, or nothing.
    """
    import openpyxl

    check_unpacked(path)
    found, blocks, budget = Extracted(), [], _Budget()
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for sheet in book.worksheets:
            if budget.spent:
                break
            sheet.reset_dimensions()  # a sheet's claimed size ("A1:XFD1048576") is not trusted
            rows = budget.take(sheet.iter_rows(values_only=True))
            lines = table_lines([[_cell_text(v) for v in row] for row in rows])
            if lines:
                found.headings.append(" ".join(sheet.title.split()))
                blocks += [found.headings[-1], "\n".join(lines)]
        found.title = book.properties.title or path.stem
        book.close()
    except DAMAGE as exc:
        raise document_error(Kind.DAMAGED_XLSX, path.name) from exc
    found.text = join_blocks(blocks + [budget.note()], found.headings)
    return found


def read_csv(path: Path, raw: bytes) -> Extracted:
    """Each row of a CSV file a line with its headers; the delimiter is sniffed (, ; tab |)."""
    from .ingest import _decode  # imported here: ingest imports this module

    text = _decode(raw)
    sample = text[:_SNIFF_CHARS]  # binary bytes under a .csv name were refused in ingest
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    budget = _Budget()
    try:
        rows = budget.take(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise document_error(Kind.DAMAGED_CSV, path.name) from exc
    return Extracted(join_blocks(table_lines(rows) + [budget.note()], []), title=path.stem)


@dataclass
class _Budget:
    """How many more cells and rows a file may give; `take` stops when they run out."""

    cells: int = MAX_CELLS
    rows: int = MAX_ROWS
    spent: bool = False

    def take(self, rows: Iterable[Iterable[object]]) -> list[list[object]]:
        taken = []
        for row in rows:
            row = list(row)
            if self.rows <= 0 or len(row) > self.cells:
                self.spent = True
                break
            self.rows, self.cells = self.rows - 1, self.cells - len(row)
            taken.append(row)
        return taken

    def note(self) -> str:
        if not self.spent:
            return ""
        return "(This file is longer than Field Guide reads: only its first part was indexed.)"


def _cell_text(value: object) -> object:
    """A date without a time of day as 2024-05-01, not 2024-05-01 00:00:00."""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return value
