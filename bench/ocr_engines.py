"""OCR engines side by side on rendered flyer pages: exact phone numbers and organisation names
recovered, words recovered, seconds per page.

Pages are built in code (`tests/scans.py`): A4 referral lists in English and Spanish with 555
numbers, rendered, then roughened like a cheap scan. Each page goes through every engine in
turn (the order rotating), so load from other work on the machine falls on all of them alike.

    python bench/ocr_engines.py                 # -> bench/runs/ocr_engines-300dpi.json + a table
    pip install rapidocr-onnxruntime            # (optional) adds RapidOCR to the comparison
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from scans import HARBOR_FLYER, SPANISH_FLYER, random_flyer, render_page, scan  # noqa: E402

from fieldguide import ocr  # noqa: E402

RUNS = Path(__file__).with_name("runs")


def pages(count: int, dpi: int) -> list[tuple[str, object, object]]:
    """(language, flyer, scanned page image) for `count` pages, half of them Spanish."""
    rng = random.Random(13)
    flyers = [("en", HARBOR_FLYER), ("es", SPANISH_FLYER)]
    while len(flyers) < count:
        spanish = len(flyers) % 2 == 1
        flyers.append(("es" if spanish else "en", random_flyer(rng, spanish)))
    return [
        (language, flyer, scan(render_page(flyer, dpi, serif=n % 3 == 2, seed=n), seed=n))
        for n, (language, flyer) in enumerate(flyers[:count])
    ]


def tesseract(languages: str, threads: str):
    import pytesseract

    def read(image) -> str:
        os.environ["OMP_THREAD_LIMIT"] = threads
        return pytesseract.image_to_string(ocr.prepare(image), lang=languages)

    return read


def field_guide():
    """What Field Guide runs on a page: `ocr.recognise` (image_to_data, then `layout_text`)."""

    def read(image) -> str:
        os.environ["OMP_THREAD_LIMIT"] = "1"
        return ocr.recognise(image)

    return read


def rapidocr():
    import numpy as np
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR()

    def read(image) -> str:
        result, _ = engine(np.array(image.convert("RGB")))
        return "\n".join(line[1] for line in result or [])

    return read


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (Tesseract runs as
    one): unlike wall time, barely moved by other work on a busy machine."""
    import resource

    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def score(flyer, text: str) -> dict[str, int]:
    """Exact phone numbers, names and words of the flyer found in the recognised text."""
    flat = _flat(text)
    reference = Counter(" ".join(t for _, t in flyer.lines()).split())
    found = Counter(flat.split())
    return {
        "phones": len(flyer.entries),
        "phones_exact": sum(e.phone in flat for e in flyer.entries),
        "names": len(flyer.entries),
        "names_exact": sum(e.name in flat for e in flyer.entries),
        "words": sum(reference.values()),
        "words_exact": sum((reference & found).values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--tesseract-only", action="store_true")
    args = parser.parse_args()
    engines = {
        "Field Guide (ocr.recognise: eng+spa, 1 thread, page layout)": field_guide(),
        "tesseract eng+spa, 1 thread": tesseract("eng+spa", "1"),
        "tesseract eng, 1 thread": tesseract("eng", "1"),
        "tesseract spa, 1 thread": tesseract("spa", "1"),
    }
    if not args.tesseract_only:
        engines["tesseract eng+spa, 2 threads"] = tesseract("eng+spa", "2")
        try:
            engines["rapidocr-onnxruntime (PP-OCRv4 ch)"] = rapidocr()
        except ImportError:
            print("rapidocr-onnxruntime is not installed: left out", file=sys.stderr)
    rows = {name: {"seconds": [], "cpu": [], "by_language": {}} for name in engines}
    for n, (language, flyer, image) in enumerate(pages(args.pages, args.dpi)):
        names = list(engines)
        for name in names[n % len(names) :] + names[: n % len(names)]:
            started, cpu = time.perf_counter(), _cpu()
            text = engines[name](image)
            rows[name]["seconds"].append(time.perf_counter() - started)
            rows[name]["cpu"].append(_cpu() - cpu)
            tally = rows[name]["by_language"].setdefault(language, Counter())
            tally.update(score(flyer, text))
        print(f"page {n + 1}/{args.pages} done", file=sys.stderr)
    out = {
        "pages": args.pages,
        "dpi": args.dpi,
        "load": os.getloadavg(),
        "engines": {
            name: {
                "seconds_median": statistics.median(row["seconds"]),
                "cpu_seconds_median": statistics.median(row["cpu"]),
                "pages_per_second": len(row["seconds"]) / sum(row["seconds"]),
                "by_language": {k: dict(v) for k, v in row["by_language"].items()},
            }
            for name, row in rows.items()
        },
    }
    RUNS.mkdir(exist_ok=True)
    (
        RUNS / f"ocr_engines-{args.dpi}dpi{'-tesseract' if args.tesseract_only else ''}.json"
    ).write_text(json.dumps(out, indent=2))
    print(table(out))


def table(out: dict) -> str:
    """The comparison as a markdown table."""
    lines = [
        "| engine | language | phones exact | names exact | words exact | s/page (median) "
        "| pages/s | CPU s/page |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, row in out["engines"].items():
        for language, t in sorted(row["by_language"].items()):
            lines.append(
                f"| {name} | {language} | {t['phones_exact']}/{t['phones']} "
                f"| {t['names_exact']}/{t['names']} "
                f"| {100 * t['words_exact'] / t['words']:.1f}% "
                f"| {row['seconds_median']:.2f} | {row['pages_per_second']:.2f} "
                f"| {row.get('cpu_seconds_median', float('nan')):.2f} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
