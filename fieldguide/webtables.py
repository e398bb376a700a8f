"""HTML tables: each data `<table>` becomes its row lines in place, before the page's text is
taken, so a row keeps its column headers and its place under the heading it follows."""

from __future__ import annotations

from .tables import is_data_table, table_lines

MAX_SPAN = 64  # columns or rows one cell may claim (colspan="100000" must not be a bomb)
CARRY_MAX = 200  # characters; a cell this short spanning rows is repeated on each of them
_LAYOUT_ROLES = {"presentation", "none"}


def replace_tables(soup) -> None:
    """Replace, in place, every data table in a BeautifulSoup tree by its row lines.

    Layout tables stay as they are, for their text to be read like any other block: a table
    marked role="presentation", one holding another table, one with a single column, or one
    with a cell longer than a row may hold.
    """
    for table in soup.find_all("table"):
        if table.get("role", "").lower() in _LAYOUT_ROLES or table.find("table") is not None:
            continue
        lines = _table_lines(table)
        if lines is None:
            continue
        caption = table.find("caption")
        title = [caption.get_text(" ", strip=True)] if caption is not None else []
        table.replace_with("\n\n" + "\n".join([t for t in title if t] + lines) + "\n\n")


def _table_lines(table) -> list[str] | None:
    """A table's row lines, or None for a layout table."""
    trs = table.find_all("tr")
    grid = _grid(trs)
    if not is_data_table(grid):
        return None
    heads = [i for i, tr in enumerate(trs) if tr.find_parent("thead") is not None]
    if not heads and _all_headers(trs[0]) and len(trs) > 1:
        heads = [0]
    if heads:  # the last header row holds the column names nearest the data
        body = [row for i, row in enumerate(grid) if i not in heads]
        return table_lines(body, header=grid[heads[-1]])
    if all(_row_header(tr) for tr in trs):  # <th>Phone</th><td>555…</td>: a label per row
        return [line for row in grid for line in table_lines([row[1:]], header=[row[0]])]
    return table_lines(grid)


def _cells(tr):
    return tr.find_all(["th", "td"], recursive=False)


def _all_headers(tr) -> bool:
    cells = _cells(tr)
    return bool(cells) and all(cell.name == "th" for cell in cells)


def _row_header(tr) -> bool:
    cells = _cells(tr)
    return len(cells) >= 2 and cells[0].name == "th" and all(c.name == "td" for c in cells[1:])


def _span(cell, attribute: str, rest: int) -> int:
    """colspan / rowspan as a bounded count ("0" spans the rest of the table)."""
    try:
        value = int(str(cell.get(attribute, "1")).strip())
    except ValueError:
        return 1
    return min(rest if value == 0 else max(value, 1), MAX_SPAN)


def _grid(trs) -> list[list[str]]:
    """Cell texts on the table's grid: a cell spanning columns is written once (the columns
    it covers are ""), and a short cell spanning rows is repeated on each row."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows it still spans)
    for index, tr in enumerate(trs):
        row: list[str] = []
        below: dict[int, tuple[str, int]] = {}
        for cell in _cells(tr):
            _carry(row, pending, below)
            text = cell.get_text(" ", strip=True)
            down = _span(cell, "rowspan", len(trs) - index)
            for offset in range(_span(cell, "colspan", MAX_SPAN)):
                if down > 1:
                    kept = text if offset == 0 and len(text) <= CARRY_MAX else ""
                    below[len(row)] = (kept, down - 1)
                row.append(text if offset == 0 else "")
        _carry(row, pending, below)
        for column, (text, left) in pending.items():  # spans past this row's last cell
            if left > 1:
                below[column] = (text, left - 1)
        pending = below
        grid.append(row)
    return grid


def _carry(row: list[str], pending: dict, below: dict) -> None:
    """Fill the row's next columns with the cells spanning down into them from rows above."""
    while len(row) in pending:
        text, left = pending.pop(len(row))
        if left > 1:
            below[len(row)] = (text, left - 1)
        row.append(text)
