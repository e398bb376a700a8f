"""The real-document set end to end, every reader included: which files index or are refused
(and why), which reader read them, pages OCRed and seconds per page; then questions whose
answer is in one file only, checked at hit@3 with the right page cited (and quoted or not).

The set is built in code and covers every reader Field Guide has: scanned flyers as image-only
PDFs, a mixed PDF, photos and scans as .jpg/.png/.tif/.webp, English and Spanish
(`tests/scans.py`), a photo of nothing, a locked PDF and an empty one; and one file of each other
format (`bench/format_set.py`): DOCX, HTML and PDF tables, .odt, .pptx with speaker notes, .xlsx,
.csv, .eml with attachments, Markdown and .txt. `--pdfs DIR` also runs every PDF under DIR
through pypdf alone and through Field Guide's readers (pypdf, PDFium, OCR), e.g. the sample PDFs
pypdf ships in its sdist:

    pip download --no-deps --no-binary :all: pypdf==7.1.1 -d /tmp/pypdf-sdist
    tar xzf /tmp/pypdf-sdist/pypdf-7.1.1.tar.gz -C /tmp/pypdf-sdist
    python bench/documents.py --pdfs /tmp/pypdf-sdist/pypdf-7.1.1/resources
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from format_set import NAMES, Question, write_format_set  # noqa: E402
from scans import (  # noqa: E402
    HARBOR_FLYER,
    SPANISH_FLYER,
    Entry,
    Flyer,
    image_pdf,
    random_flyer,
    render_page,
    save_image,
    scan,
)

from fieldguide.errors import DocumentError  # noqa: E402
from fieldguide.sandbox import Parser  # noqa: E402

RUNS = Path(__file__).with_name("runs")
NIGHT_VAN = (
    "Night outreach\n\nThe Lantern Project night van parks outside the Central Library every "
    "Friday from 9 pm to 2 am with food, socks and harm-reduction supplies. "
    "Call or text the van at 213-555-0133 to find it."
)
# the library that reads each format with no `Document.reader` of its own (PDFs and images
# name theirs: pypdf, pypdfium2, tesseract)
FORMAT_READERS = {
    ".docx": "python-docx",
    ".html": "beautifulsoup4",
    ".htm": "beautifulsoup4",
    ".md": "markdown-it-py",
    ".markdown": "markdown-it-py",
    ".odt": "odfpy",
    ".pptx": "python-pptx",
    ".xlsx": "openpyxl",
    ".csv": "csv",
    ".eml": "email",
    ".txt": "plain text",
}


def _unique_flyers(rng: random.Random, count: int, spanish: bool, seen: set[str]) -> list[Flyer]:
    """Random referral lists whose organisation names and numbers appear nowhere else."""
    flyers = []
    while len(flyers) < count:
        flyer = random_flyer(rng, spanish, entries=6)
        flyer.entries = [e for e in flyer.entries if e.name not in seen and e.phone not in seen]
        seen.update(e.name for e in flyer.entries)
        seen.update(e.phone for e in flyer.entries)
        flyers.append(flyer)
    return flyers


def _text_pdf(text: str) -> bytes:
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=12)
    document.multi_cell(0, 7, text)
    return bytes(document.output())


def _join_pdfs(*parts: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build_set(folder: Path) -> list[Question]:
    """Write the document set into `folder`; return its questions."""
    from PIL import Image, ImageDraw
    from pypdf import PdfWriter

    rng = random.Random(2026)
    seen = {e.name for f in (HARBOR_FLYER, SPANISH_FLYER) for e in f.entries}
    en = _unique_flyers(rng, 4, False, seen)
    es = _unique_flyers(rng, 2, True, seen)

    def page(flyer: Flyer, n: int):
        return scan(render_page(flyer, 200, serif=n % 2 == 1, seed=n), seed=n)

    files: dict[str, list[Flyer | None]] = {}
    (folder / "clinic-flyers.pdf").write_bytes(
        image_pdf([page(HARBOR_FLYER, 1), page(SPANISH_FLYER, 2)], 200)
    )
    files["clinic-flyers"] = [HARBOR_FLYER, SPANISH_FLYER]
    save_image(page(en[0], 3), folder / "youth-referrals.jpg")
    files["youth-referrals"] = [en[0]]
    save_image(page(es[0], 4), folder / "avisos.webp")
    files["avisos"] = [es[0]]
    save_image(render_page(en[1], 150, seed=5), folder / "legal-poster.png")
    files["legal-poster"] = [en[1]]
    frames = [page(en[2], 6), page(es[1], 7)]
    frames[0].save(folder / "shelter-list.tif", save_all=True, append_images=frames[1:])
    files["shelter-list"] = [en[2], es[1]]
    mixed = _join_pdfs(_text_pdf(NIGHT_VAN), image_pdf([page(en[3], 8)], 200))
    (folder / "night-van.pdf").write_bytes(mixed)
    files["night-van"] = [None, en[3]]
    # files that must be refused, with a reason
    photo = Image.new("RGB", (1200, 900), (150, 170, 190))
    ImageDraw.Draw(photo).ellipse((300, 200, 900, 700), fill=(80, 110, 60))
    save_image(photo, folder / "photo-of-a-park.jpg")
    writer = PdfWriter(clone_from=io.BytesIO(_text_pdf("Locked referral list.")))
    writer.encrypt(user_password="secret", algorithm="AES-256")
    with open(folder / "locked.pdf", "wb") as out:
        writer.write(out)
    (folder / "empty.pdf").write_bytes(b"")
    seen_words = " ".join(seen)
    clashes = [name for name in NAMES if name in seen_words]
    assert not clashes, f"names in the scanned flyers too: {clashes}"
    questions = [
        Question("Where is the Lantern Project night van on Fridays?", "night-van", 1, "0133"),
        Question(
            "When does the Harbor Street Clinic offer free testing?",
            "clinic-flyers",
            1,
            "Tuesday",
        ),
        Question(
            "¿Qué días hace pruebas de VIH la Clínica Esperanza?", "clinic-flyers", 2, "lunes"
        ),  # noqa: E501
    ]
    for doc_id, flyers in files.items():
        for number, flyer in enumerate(flyers, start=1):
            if flyer is None:
                continue
            spanish = flyer is SPANISH_FLYER or flyer in es
            for entry in flyer.entries[:2]:
                questions.append(_phone_question(entry, doc_id, number, spanish))
    return questions + write_format_set(folder)


def _phone_question(entry: Entry, doc_id: str, page: int, spanish: bool) -> Question:
    if spanish:
        return Question(f"¿Cuál es el teléfono de {entry.name}?", doc_id, page, entry.phone)
    return Question(f"What is the phone number for {entry.name}?", doc_id, page, entry.phone)


def read_all(files: list[Path], timeout: float = 60.0) -> list[dict]:
    """Each file through Field Guide's sandboxed readers: reader, OCR pages, seconds, reason."""
    rows = []
    with Parser(timeout=timeout) as parser:
        for path in files:
            started = time.perf_counter()
            row = {"file": path.name}
            try:
                doc = parser.read(path, path.stem)
                reader = doc.reader or FORMAT_READERS.get(path.suffix.lower(), "?")
                row |= {"indexed": True, "reader": reader, "pages": len(doc.pages)}
                row |= {"ocr_pages": len(doc.ocr_pages), "words": len(doc.text.split())}
            except DocumentError as exc:
                row |= {"indexed": False, "reason": str(exc).partition(": ")[2], "kind": exc.kind}
            row["seconds"] = round(time.perf_counter() - started, 2)
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    return rows


def pypdf_alone(files: list[Path]) -> dict[str, str]:
    """What pypdf alone made of each PDF: "text", "no text" or its error's name."""
    from pypdf import PdfReader

    out = {}
    for path in files:
        try:
            reader = PdfReader(path)
            if reader.is_encrypted and not reader.decrypt(""):
                out[path.name] = "locked"
                continue
            text = "".join(page.extract_text() or "" for page in reader.pages)
            out[path.name] = "text" if text.strip() else "no text"
        except Exception as exc:  # noqa: BLE001 - the bench records whatever pypdf raises
            out[path.name] = type(exc).__name__
    return out


def summary(rows: list[dict]) -> dict:
    """Files indexed / refused (by reason), readers used, pages OCRed, seconds per OCR page."""
    ocr_rows = [r for r in rows if r.get("ocr_pages")]
    ocr_pages = sum(r["ocr_pages"] for r in ocr_rows)
    return {
        "files": len(rows),
        "indexed": sum(r["indexed"] for r in rows),
        "refused": dict(Counter(r["reason"] for r in rows if not r["indexed"])),
        "readers": dict(Counter(r["reader"] for r in rows if r["indexed"])),
        "pages_ocred": ocr_pages,
        "seconds_per_ocr_page": round(sum(r["seconds"] for r in ocr_rows) / ocr_pages, 2)
        if ocr_pages
        else None,
    }


def ask_all(folder: Path, questions: list[Question]) -> list[dict]:
    """Index the folder with the real model and check each question at hit@3, page included:
    a format without pages (DOCX, HTML, …) must be hit and cited with page None."""
    from fieldguide import embed
    from fieldguide.build import build_index
    from fieldguide.config import Settings
    from fieldguide.engine import Engine

    index = Path(tempfile.mkdtemp(prefix="fieldguide-documents-"))
    settings = dataclasses.replace(Settings.from_env(), index=index, corpus=folder)
    embedder = embed.default_embedder()
    build_index([folder], settings, embedder)
    engine = Engine.open(settings, embedder)
    results = []
    for q in questions:
        answer = engine.ask(q.question, k=3)
        rank = next(
            (
                n
                for n, hit in enumerate(answer.hits[:3], start=1)
                if hit.doc_id == q.doc_id and hit.page == q.page and q.answer in hit.text
            ),
            None,
        )
        cited = any(c.doc_id == q.doc_id and c.page == q.page for c in answer.citations)
        quoted = q.answer in answer.answer  # the sentences quoted hold the answer words too
        row = {"rank": rank, "cited": cited, "quoted": quoted, "answer": answer.answer}
        row |= {"outcome": answer.outcome, "note": answer.note}  # "partial": says it lacks some
        results.append(asdict(q) | row)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pdfs", type=Path, help="also run every PDF under this folder")
    parser.add_argument("--keep", type=Path, help="write the built set here (default: a temp dir)")
    parser.add_argument("--no-set", action="store_true", help="only the --pdfs folder")
    args = parser.parse_args()
    out: dict = {"load": os.getloadavg()}
    folder = args.keep or Path(tempfile.mkdtemp(prefix="fieldguide-set-"))
    folder.mkdir(parents=True, exist_ok=True)
    answers = []
    if not args.no_set:
        questions = build_set(folder)
        rows = read_all(sorted(folder.iterdir()))
        out["built_set"] = {"summary": summary(rows), "files": rows}
        answers = ask_all(folder, questions)
        out["questions"] = answers
        out["hit_at_3"] = f"{sum(a['rank'] is not None for a in answers)}/{len(answers)}"
        out["cited"] = f"{sum(a['cited'] for a in answers)}/{len(answers)}"
        out["quoted"] = f"{sum(a['quoted'] for a in answers)}/{len(answers)}"
    if args.pdfs:
        pdfs = sorted(args.pdfs.rglob("*.pdf"))
        alone = pypdf_alone(pdfs)
        pdf_rows = read_all(pdfs)
        for row in pdf_rows:
            row["pypdf_alone"] = alone[row["file"]]
        out["pdfs"] = {"folder": str(args.pdfs), "summary": summary(pdf_rows), "files": pdf_rows}
        out["pdfs"]["pypdf_alone"] = dict(Counter(alone.values()))
    RUNS.mkdir(exist_ok=True)
    name = "documents-pdfs.json" if args.no_set else "documents.json"
    (RUNS / name).write_text(json.dumps(out, indent=2, ensure_ascii=False))
    print(json.dumps({k: v for k, v in out.items() if k != "questions"}, indent=1)[:6000])
    for a in answers:
        where = f"{a['doc_id']} p{a['page']}" if a["page"] else a["doc_id"]
        cited = "cited" if a["cited"] else "     "
        quoted = "quoted" if a["quoted"] else "      "
        print(f"{a['rank']!s:>4} {cited} {quoted} {a['outcome']:<8} {where:<22} {a['question']}")


if __name__ == "__main__":
    main()
