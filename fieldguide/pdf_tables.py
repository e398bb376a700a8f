"""PDF tables: on pages that draw ruled lines, pdfplumber finds the tables and each row becomes
one line with its column headers; the rest of the page's text keeps its place around them.

pdfplumber lays out a whole page (slow, tens of milliseconds), so it only runs on pages whose
content stream draws at least two lines or rectangles, the only pages its ruled-table finder can
pay on. Anything it fails on keeps the text pypdf read.
"""

from __future__ import annotations

import io
import re

from .tables import is_data_table, table_lines

MAX_TABLE_PAGES = 300  # pages a file may send to pdfplumber; the rest keep pypdf's text
MIN_RULES = 2  # two strokes are the fewest that split a box into cells
KEEP_WORDS = 0.8  # pdfplumber's page must keep this share of pypdf's letters and digits
# "x y w h re" (a rectangle) or "x y l" (a line to) in a content stream
_RULE = re.compile(rb"[\d.]\s+(?:re|l)(?=\s)")


def draws_rules(page) -> bool:
    """True when a pypdf page's content draws MIN_RULES lines or rectangles, or holds a form
    XObject (whose drawing is not in the page's own stream)."""
    try:
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
        if len(_RULE.findall(data[:4_000_000])) >= MIN_RULES:
            return True
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        return any(xobjects[name].get_object().get("/Subtype") == "/Form" for name in xobjects)
    except Exception:  # noqa: BLE001 - a page pypdf cannot parse only loses its tables
        return False


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
            if _letters(text) >= KEEP_WORDS * _letters(pages[number]):
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


def _letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def page_text_with_tables(page) -> str | None:
    """A pdfplumber page's text with each data table as row lines where it stands, or None when
    the page holds no data table (a one-column box, a frame, no rules at all)."""
    if not (page.lines or page.rects):
        return None
    found = [(t, rows) for t in page.find_tables() if is_data_table(rows := t.extract())]
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

    return page.filter(keep).extract_text() or ""


def _inside(x: float, y: float, box) -> bool:
    x0, top, x1, bottom = box
    return x0 <= x <= x1 and top <= y <= bottom
