"""Hostile and malformed office and email files: each refused with one clear line, or read
within its bounds, never a traceback, and never at the cost of the other files in the batch."""

import io
import re
import zipfile
from types import SimpleNamespace

import pytest
from conftest import FakeEmbedder, FakeMultilingual
from format_builders import (
    CSV_TEXT,
    docx_bytes,
    eml_message,
    nested_eml,
    odt_bytes,
    pptx_bytes,
    write_formats,
    xlsx_bytes,
)
from hostile_corpus import MB, Hostile, _image, _random_bytes, _rezip, write_corpus

from fieldguide.build import build_index
from fieldguide.config import Settings
from fieldguide.engine import Engine
from fieldguide.ingest import read_document
from fieldguide.present import describe_problem
from fieldguide.problems import Kind
from fieldguide.sheets import MAX_CELLS

_EMPTY = "the file is empty"
_BOMB = "unpacks to \\d+ MB, more than can be read safely \\(it may be a compression bomb\\)"
_NOT_TEXT = "this is not a text file"
_BINARY = {".csv": _NOT_TEXT, ".eml": _NOT_TEXT}  # text formats: binary bytes are refused as such
_DAMAGED = {
    ".odt": "this OpenDocument file is damaged or not really a .odt",
    ".pptx": "this PowerPoint file is damaged or not a .pptx",
    ".xlsx": "the spreadsheet is damaged and cannot be read",
    ".csv": "this CSV file is damaged or is not really text \\(it may be renamed\\)",
    ".eml": "this is not an email message \\(it may be renamed\\)",
}
_GOOD = {".odt": odt_bytes, ".pptx": pptx_bytes, ".xlsx": xlsx_bytes}


def _zip_bomb(source: bytes) -> bytes:
    """A real office file with one more member that inflates to 300 MB of zeros."""
    out = io.BytesIO(_rezip(source, {}))
    with zipfile.ZipFile(out, "a") as archive:
        info = zipfile.ZipInfo("media/zeros.bin")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            block = bytes(MB)
            for _ in range(300):
                member.write(block)
    return out.getvalue()


def _shared_string_xlsx(strings: bytes | None) -> bytes:
    """The workbook with its first cell pointing at shared string 0, from `strings` (None: no
    table of shared strings at all)."""
    book = xlsx_bytes()
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
        types = archive.read("[Content_Types].xml")
    sheet = re.sub(rb'<c r="A1"[^>]*>.*?</c>', b'<c r="A1" t="s"><v>0</v></c>', sheet, count=1)
    if strings is None:
        return _rezip(book, {"xl/worksheets/sheet1.xml": sheet})
    kind = "officeDocument/2006/relationships/sharedStrings"
    rels = rels.replace(
        b"</Relationships>",
        f'<Relationship Type="http://schemas.openxmlformats.org/{kind}" '
        'Target="sharedStrings.xml" Id="rId9"/></Relationships>'.encode(),
    )
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    return _rezip(
        book,
        {
            "xl/worksheets/sheet1.xml": sheet,
            "xl/_rels/workbook.xml.rels": rels,
            "[Content_Types].xml": types,
            "xl/sharedStrings.xml": strings,
        },
    )


def _billion_laughs_xlsx() -> bytes:
    lol = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    strings = (
        f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY l0 "lol">{lol}]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>&l9;</t></si></sst>'
    )
    return _shared_string_xlsx(strings.encode())


def _sheet_claiming_a_million_rows() -> bytes:
    """A sheet whose last cell sits in row 1,048,576, a million empty rows below the first."""
    book = xlsx_bytes()
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>zqfar</t></is></c></row>'
    sheet = re.sub(r"<dimension ref=\"[^\"]+\"", '<dimension ref="A1:XFD1048576"', sheet)
    sheet = sheet.replace("</sheetData>", far + "</sheetData>")
    sheet = sheet.replace("Harbor Clinic", "zqclaims Clinic")
    return _rezip(book, {"xl/worksheets/sheet1.xml": sheet.encode()})


def _broken_member(make, name: str, edit) -> bytes:
    """A real file with one member's XML edited by `edit` (bytes -> bytes)."""
    data = make()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        member = archive.read(name)
    return _rezip(data, {name: edit(member)})


def _cut_in_half(xml: bytes) -> bytes:
    return xml[: len(xml) // 2]


def _truncated_eml() -> bytes:
    whole = bytes(eml_message("The zqtruncmail van stops at the park at noon."))
    return whole[: whole.index(b"Content-Disposition: attachment") + 400]


def _many_attachments() -> bytes:
    notes = tuple((f"note{n}.txt", f"zqnote{n} reads.".encode(), "text/plain") for n in range(60))
    return bytes(eml_message("The zqmany rota has sixty notes attached.", notes))


def _kinds() -> list[Hostile]:
    kinds = []
    for suffix in (".odt", ".pptx", ".xlsx", ".csv", ".eml"):
        kinds.append(Hostile(f"zero-bytes{suffix}", lambda: b"", _EMPTY))
        kinds.append(
            Hostile(
                f"random-bytes{suffix}",
                lambda: _random_bytes(7, 5000),
                _BINARY.get(suffix, _DAMAGED[suffix]),
            )
        )
    for suffix, make in _GOOD.items():
        kinds.append(
            Hostile(
                f"truncated{suffix}", lambda make=make: make()[: len(make()) // 2], _DAMAGED[suffix]
            )
        )
        kinds.append(Hostile(f"zip-bomb{suffix}", lambda make=make: _zip_bomb(make()), _BOMB))
    return kinds + [
        Hostile("word-renamed.xlsx", lambda: docx_bytes("zqword"), _DAMAGED[".xlsx"]),
        Hostile("sheet-renamed.pptx", xlsx_bytes, _DAMAGED[".pptx"]),
        Hostile(
            "bad-slide-xml.pptx",
            lambda: _broken_member(pptx_bytes, "ppt/slides/slide1.xml", _cut_in_half),
            _DAMAGED[".pptx"],
        ),
        Hostile(
            "relationship-without-target.pptx",
            lambda: _broken_member(
                pptx_bytes, "_rels/.rels", lambda x: x.replace(b"Target=", b"T=")
            ),
            _DAMAGED[".pptx"],
        ),
        Hostile(
            "bad-sheet-xml.xlsx",
            lambda: _broken_member(xlsx_bytes, "xl/worksheets/sheet1.xml", _cut_in_half),
            _DAMAGED[".xlsx"],
        ),
        Hostile(
            "bad-content-xml.odt",
            lambda: _broken_member(odt_bytes, "content.xml", _cut_in_half),
            _DAMAGED[".odt"],
        ),
        Hostile("billion-laughs.xlsx", _billion_laughs_xlsx, _DAMAGED[".xlsx"]),
        Hostile("string-past-the-table.xlsx", lambda: _shared_string_xlsx(None), _DAMAGED[".xlsx"]),
        Hostile("photo-renamed.csv", lambda: _image("PNG", (200, 100)), _NOT_TEXT),
        Hostile(
            "pdf-renamed.eml", lambda: b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\n", _DAMAGED[".eml"]
        ),
        # ---- odd but readable, within bounds
        Hostile(
            "truncated.csv",
            lambda: (CSV_TEXT.replace("Beacon", "zqtrunc") * 3)[:150].encode(),
            marker="zqtrunc",
        ),
        Hostile("truncated.eml", _truncated_eml, marker="zqtruncmail"),
        Hostile(
            "a-million-rows.xlsx",
            _sheet_claiming_a_million_rows,
            marker="zqclaims",
            absent=("zqfar",),
        ),
        Hostile(
            "nested-20-deep.eml", lambda: nested_eml(20), marker="zqdepth4", absent=("zqdepth5",)
        ),
        Hostile("sixty-attachments.eml", _many_attachments, marker="zqmany", absent=("zqnote55",)),
    ]


KINDS = _kinds()


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Every hostile kind plus one good file of each new type, indexed in one build."""
    root = tmp_path_factory.mktemp("hostile-formats")
    folder = root / "docs"
    paths = write_corpus(folder, KINDS)
    good = write_formats(folder)
    settings = Settings(index=root / "index", corpus=folder, parse_timeout=20.0)
    fake, fake_ml = FakeEmbedder(), FakeMultilingual()
    report = build_index([folder], settings, fake, multilingual=fake_ml)
    engine = Engine.open(settings, fake, fake_ml)
    return SimpleNamespace(
        report=report,
        engine=engine,
        paths=paths,
        good=good,
        sources={entry.source: doc for doc, entry in engine.index.manifest.documents.items()},
        problems={p.path: (p.message, p.kind) for p in report.problems},
    )


@pytest.mark.parametrize("kind", [k for k in KINDS if not k.benign], ids=lambda k: k.filename)
def test_bad_file_gets_one_clear_line_and_is_skipped(batch, kind):
    path = str(batch.paths[kind.filename])
    assert path not in batch.sources, f"{kind.filename} was indexed"
    message, problem_kind = batch.problems[path]
    assert message.startswith(kind.filename + ": ")
    assert re.search(kind.problem, message), message
    assert "Traceback" not in message and "\n" not in message and len(message) < 250
    assert problem_kind in set(Kind) - {Kind.OTHER, Kind.READER_FAILED, Kind.CRASHED}
    assert describe_problem(message, problem_kind)[2]


@pytest.mark.parametrize("kind", [k for k in KINDS if k.benign], ids=lambda k: k.filename)
def test_odd_but_readable_file_is_indexed_within_bounds(batch, kind):
    path = str(batch.paths[kind.filename])
    assert path not in batch.problems, batch.problems.get(path)
    doc_id = batch.sources[path]
    shown = "\n".join(c.text for c in batch.engine.index.chunks if c.doc_id == doc_id)
    assert kind.marker in shown
    for gone in kind.absent:
        assert gone not in shown, f"{gone!r} was read past the bound"


def test_every_good_file_in_the_batch_is_indexed(batch):
    assert {str(p) for p in batch.good.values()} <= set(batch.sources)
    assert len(batch.report.problems) == sum(not k.benign for k in KINDS)


def test_each_bound_is_said_in_the_text(batch):
    def text(name):
        doc_id = batch.sources[str(batch.paths[name])]
        return "\n".join(c.text for c in batch.engine.index.chunks if c.doc_id == doc_id)

    assert (
        "Attachment not read: attached email.eml - the file is nested too deeply to read"
        in text("nested-20-deep.eml")
    )
    many = text("sixty-attachments.eml")
    assert "zqnote49" in many
    assert "Attachment not read: note50.txt - more than 50 files" in many
    assert "Attachment not read: rota.docx - this Word file is damaged" in text("truncated.eml")
    assert "Clinic: zqclaims Clinic · Phone: 555-010-2000" in text("a-million-rows.xlsx")
    assert "only its first part was indexed" in text("a-million-rows.xlsx")


def test_a_huge_csv_is_bounded_and_says_so(tmp_path):
    columns = 20
    header = ",".join(f"Field{chr(65 + c)}" for c in range(columns))
    rows = [",".join(f"r{r}c{c}" for c in range(columns)) for r in range(8_000)]
    path = tmp_path / "huge.csv"
    path.write_text(header + "\n" + "\n".join(rows))
    doc = read_document(path)
    last = MAX_CELLS // columns - 2  # the header row is one of the rows read
    assert f"FieldA: r{last}c0 ·" in doc.text
    assert f"r{last + 1}c0" not in doc.text and "r7999c0" not in doc.text
    assert doc.text.endswith(
        "(This file is longer than Field Guide reads: only its first part was indexed.)"
    )
