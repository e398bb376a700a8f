"""PDF tables: what pdfplumber's table reading costs on top of pypdf, per file, before vs after.

"before" reads every PDF with no page sent to pdfplumber (`draws_rules` answers False: the
reader as it was); "after" is the reader as it is. The set is built in code, plus any PDFs under
`--pdfs DIR` (e.g. /usr/share/doc):

    python bench/pdf_tables.py [--pdfs DIR] [--rounds 3]

Each file is read `--rounds` times per variant and the fastest is kept. Writes
bench/runs/pdf_tables.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from fpdf import FPDF
from workspace import ROOT, RUNS, swapped

sys.path.insert(0, str(ROOT / "tests"))
from builders import make_pdf  # noqa: E402

from fieldguide import pdf  # noqa: E402
from fieldguide.ingest import read_document  # noqa: E402

ROWS = [
    ("Organisation", "Phone", "Hours", "Notes"),
    *[
        (f"Shelter {n}", f"555-010-{n:04d}", "Mon-Fri 9 am to 5 pm", "Walk-ins welcome, bring ID")
        for n in range(10)
    ],
]
PARAGRAPH = "Outreach workers visit these places every week and can arrange transport. " * 4


def guide(pages: int, table: bool, boxes: bool) -> bytes:
    """A guide of `pages` pages: heading, paragraph, optionally a ruled 10-row table, or two
    framed notes (drawing enough to be sent to pdfplumber, with no table to find), paragraph."""
    document = FPDF()
    document.set_font("Helvetica", size=11)
    for number in range(pages):
        document.add_page()
        document.multi_cell(0, 8, f"Where can I get help in area {number}?")
        document.line(10, document.get_y(), 200, document.get_y())  # a rule under the heading
        document.ln(2)
        for note in ("Bring water and socks." if boxes else "", "Ask for Maria." if boxes else ""):
            if note:
                document.multi_cell(0, 8, note, border=1, new_x="LMARGIN", new_y="NEXT")
        document.multi_cell(0, 6, PARAGRAPH, new_x="LMARGIN", new_y="NEXT")
        if table:
            with document.table() as grid:
                for values in ROWS:
                    row = grid.row()
                    for value in values:
                        row.cell(value)
        document.multi_cell(0, 6, PARAGRAPH, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def built_set(folder: Path) -> list[Path]:
    """The tests' 2-page PDF plus three generated 20-page guides."""
    files = [make_pdf(folder, "fixture-2-pages.pdf")]
    for name, table, boxes in (
        ("tables-20-pages.pdf", True, False),
        ("text-20-pages.pdf", False, False),
        ("boxes-no-tables-20-pages.pdf", False, True),
    ):
        path = folder / name
        path.write_bytes(guide(20, table, boxes))
        files.append(path)
    return files


def fastest(path: Path, rounds: int) -> tuple[float, int, int]:
    """Best of `rounds` read times in ms, the page count, and the pages read with tables."""
    best, tables, pages = float("inf"), 0, 0
    for _ in range(rounds):
        started = time.perf_counter()
        doc = read_document(path)
        best = min(best, (time.perf_counter() - started) * 1000)
        pages = len(doc.pages)
        tables = sum(line.count(" · ") > 0 for line in doc.text.split("\n"))
    return best, pages, tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pdfs", type=Path, help="also time every PDF under this folder")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = built_set(Path(folder))
        if args.pdfs:
            files += sorted(args.pdfs.rglob("*.pdf"))
        results = []
        for path in files:
            with swapped(pdf, "draws_rules", lambda page: False):
                before, pages, _ = fastest(path, args.rounds)
            after, _, rows = fastest(path, args.rounds)
            ruled = _ruled(path)
            results.append(
                {
                    "file": path.name,
                    "pages": pages,
                    "ruled pages": ruled,
                    "row lines": rows,
                    "before ms": round(before, 1),
                    "after ms": round(after, 1),
                    "overhead": f"{(after / before - 1) * 100:+.0f}%",
                }
            )
            print(json.dumps(results[-1]))
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / "pdf_tables.json").write_text(json.dumps(results, indent=2) + "\n")


def _ruled(path: Path) -> int:
    from pypdf import PdfReader

    return sum(pdf.draws_rules(page) for page in PdfReader(path).pages)


if __name__ == "__main__":
    main()
