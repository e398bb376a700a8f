"""PDF tables: on pages that draw ruled lines, pdfplumber finds the tables and each row becomes
one line with its column headers; the rest of the page's text keeps its place around them.

pdfplumber parses a whole page (slow: ~30 ms a page, pypdf takes ~1 ms), so it only runs on
pages whose content stream draws boxes or crossing lines, the only pages its ruled-table finder
can pay on (bench/pdf_tables.py). Anything it fails on keeps the text pypdf read.
"""

from __future__ import annotations

import io
import itertools
import re

from .tables import is_data_table, table_lines

MAX_TABLE_PAGES = 300  # pages a file may send to pdfplumber; the rest keep pypdf's text
MAX_STREAM = 4_000_000  # bytes of a content stream looked at for rules
MAX_STROKES = 20_000  # lines and rectangles looked at on a page (a page of dashes is no table)
MIN_EDGE = 3.0  # points; pdfplumber's shortest table edge (a dash or a dot is no rule)
KEEP_WORDS = 0.8  # pdfplumber's page must keep this share of pypdf's words and letters
# word gaps relative to the font size: a fixed 3 pt glues the words of small type together
# when a PDF positions its words without space characters
TEXT_OPTIONS = {"x_tolerance_ratio": 0.15}
_PATH_OP = re.compile(rb"\s(re|l)(?=\s)")  # "x y w h re" (a rectangle), "x y m x y l" (a line)


def draws_rules(page) -> bool:
    """True when a pypdf page draws what a ruled table of two columns needs: upright rules at
    three places across (left, between, right) and level rules at two heights, in the page's
    stream or its form XObjects. Underlines, dashes, a frame or a box round a note are not."""
    try:
        contents = page.get_contents()
        streams = [contents.get_data()] if contents is not None else []
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for name in xobjects:
            xobject = xobjects[name].get_object()
            if xobject.get("/Subtype") == "/Form":
                streams.append(xobject.get_data())
        across: set[int] = set()  # where upright rules stand (x, whole points)
        heights: set[int] = set()  # where level rules lie (y)
        strokes = (stroke for data in streams for stroke in _strokes(data[:MAX_STREAM]))
        for x, y, width, height in itertools.islice(strokes, MAX_STROKES):
            if height >= MIN_EDGE:
                across.update({round(x), round(x + width)} if width >= MIN_EDGE else {round(x)})
            if width >= MIN_EDGE:
                heights.update({round(y), round(y + height)} if height >= MIN_EDGE else {round(y)})
            if len(across) >= 3 and len(heights) >= 2:
                return True
    except Exception:  # noqa: BLE001 - a page pypdf cannot parse only loses its tables
        return False
    return False


def _strokes(data: bytes):
    """(x, y, width, height) of each rectangle and straight segment a content stream draws."""
    for match in _PATH_OP.finditer(data):
        # the operands are the few tokens just before the operator
        tokens = data[max(0, match.start() - 96) : match.start()].split()
        try:
            if match.group(1) == b"re" and len(tokens) >= 4:
                x, y, width, height = map(float, tokens[-4:])
                yield min(x, x + width), min(y, y + height), abs(width), abs(height)
            elif len(tokens) >= 5 and tokens[-3] in (b"m", b"l"):
                x0, y0, x1, y1 = map(float, (tokens[-5], tokens[-4], tokens[-2], tokens[-1]))
                yield min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)
        except ValueError:
            continue


def read_tables(raw: bytes, pages: list[str], ruled: list[int]) -> list[int]:
    """Replace, in place, the text of each ruled page holding a data table by the page's text
    outside its tables with one line per row in their place.

    Args:
        raw: the PDF's bytes.
        pages: each page's normalised text (0-based), as pypdf read it.
        ruled: the 0-based pages `draws_rules` picked.

    Returns:
        The 0-based pages whose text now comes from pdfplumber.
    """
    from .ingest import normalise_text

    candidates = [n for n in ruled if n < len(pages) and pages[n].strip()][:MAX_TABLE_PAGES]
    if not candidates:
        return []
    import pdfplumber

    changed = []
    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
    except Exception:  # noqa: BLE001 - pdfminer raises many kinds; pypdf's text stands
        return []
    with pdf:
        for number in candidates:
            text = _page_or_none(pdf, number)
            if text is None:
                continue
            text = normalise_text(text)
            # a font pdfminer reads worse than pypdf would lose words: keep pypdf's text then
            kept = zip(_counts(text), _counts(pages[number]), strict=True)
            if all(new >= KEEP_WORDS * old for new, old in kept):
                pages[number] = text
                changed.append(number)
    return changed


def _page_or_none(pdf, number: int) -> str | None:
    """One page's text with tables, or None (no table, or pdfminer failed on the page)."""
    page = None
    try:
        page = pdf.pages[number]
        return page_text_with_tables(page)
    except Exception:  # noqa: BLE001 - one odd page keeps its pypdf text, never fails the file
        return None
    finally:
        if page is not None:
            page.close()


def _counts(text: str) -> tuple[int, int]:
    """Words and letters (or digits) in a text."""
    return len(text.split()), sum(ch.isalnum() for ch in text)


def page_text_with_tables(page) -> str | None:
    """A pdfplumber page's text with each data table as row lines where it stands, or None when
    the page holds no data table (a one-column box, a frame, no rules at all)."""
    if not (page.lines or page.rects):
        return None
    tables = page.find_tables()
    found = [(t, rows) for t in tables if is_data_table(rows := t.extract(**TEXT_OPTIONS))]
    if not found:
        return None
    found.sort(key=lambda pair: pair[0].bbox[1])
    cells = [(table.bbox, table.cells) for table, _ in found]
    parts = []
    tops = [table.bbox[1] for table, _ in found] + [float("inf")]
    bands = [float("-inf"), *tops[:-1]]  # text above table i is read before table i's rows
    for i, (_, rows) in enumerate(found):
        parts.append(_text_between(page, cells, bands[i], tops[i]))
        parts.append("\n".join(table_lines(rows)))
    parts.append(_text_between(page, cells, tops[-2], tops[-1]))
    return "\n\n".join(part for part in parts if part.strip())


def _text_between(page, cells, top: float, bottom: float) -> str:
    """The page's text from characters starting in [top, bottom) and in no table cell."""

    def keep(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        if not top <= obj["top"] < bottom:
            return False
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(
            _inside(x, y, bbox) and any(_inside(x, y, cell) for cell in table_cells)
            for bbox, table_cells in cells
        )

    return page.filter(keep).extract_text(**TEXT_OPTIONS) or ""


def _inside(x: float, y: float, box) -> bool:
    x0, top, x1, bottom = box
    return x0 <= x <= x1 and top <= y <= bottom
