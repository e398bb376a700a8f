"""Hostile and malformed files: a clear message per file (or clean text), never a crash, every
good file in the same batch indexed; the parsing sandbox really bounds time and memory."""

import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from builders import make_docx, make_html, make_pdf, make_text
from click.testing import CliRunner
from conftest import FakeEmbedder, FakeMultilingual
from hostile_corpus import KINDS, Hostile, write_corpus

from fieldguide.build import build_index
from fieldguide.cli import main
from fieldguide.config import Settings
from fieldguide.engine import Engine
from fieldguide.errors import DocumentError
from fieldguide.present import describe_problem
from fieldguide.problems import Kind
from fieldguide.sandbox import Parser

# long enough for the slowest honest file on a busy 2-core machine (no file of the batch hangs:
# the timeout itself is tested with a FIFO below)
PARSE_TIMEOUT = 8.0

# the good files of the batch: doc id -> (question, words of the passage that answers it)
GOOD = {
    "guide": (
        "Where does Harbor Clinic offer free STI testing?",
        "Harbor Clinic offers free STI testing",
    ),
    "notes": ("Who runs the night van?", "Lantern Project runs the night van"),
    "page": ("When is the drop-in centre open?", "open every Monday from 10 am"),
    "note": ("When is the food bank open?", "Juniper Food Bank is open Saturdays"),
}
_SHOWN = re.compile("[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def _id(kind: Hostile) -> str:
    return kind.filename.encode("ascii", "backslashreplace").decode()


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Every hostile kind plus four good files in one folder, indexed in one build."""
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "docs"
    paths = write_corpus(folder)
    for make in (make_pdf, make_docx, make_html, make_text):
        make(folder)
    settings = Settings(index=root / "index", corpus=folder, parse_timeout=PARSE_TIMEOUT)
    # module scope: set up before the autouse fake multilingual model, so name it here
    fake, fake_ml = FakeEmbedder(), FakeMultilingual()
    report = build_index([folder], settings, fake, multilingual=fake_ml)
    engine = Engine.open(settings, fake, fake_ml)
    sources = {entry.source: doc for doc, entry in engine.index.manifest.documents.items()}
    problems = {p.path: p.message for p in report.problems}
    kinds = {p.path: p.kind for p in report.problems}
    return SimpleNamespace(
        report=report, engine=engine, paths=paths, sources=sources, problems=problems, kinds=kinds
    )


def test_the_corpus_has_at_least_fifty_kinds():
    names = [k.filename for k in KINDS]
    assert len(set(names)) == len(names) >= 50
    assert sum(k.benign for k in KINDS) >= 15 and sum(not k.benign for k in KINDS) >= 35
    assert all(bool(k.marker) == k.benign for k in KINDS)


@pytest.mark.parametrize("kind", [k for k in KINDS if not k.benign], ids=_id)
def test_bad_file_gets_one_clear_line_and_is_skipped(batch, kind):
    path = str(batch.paths[kind.filename])
    assert path not in batch.sources, f"{kind.filename} was indexed"
    message = batch.problems[path]
    assert re.search(kind.problem, message), message
    # it names the file, stays on one line and cannot reverse the text around it
    assert message.startswith(_SHOWN.sub("?", kind.filename) + ": ")
    assert not _SHOWN.search(message) and "Traceback" not in message and len(message) < 250
    # and it has a kind, which picks the advice the app gives
    assert batch.kinds[path] in set(Kind) - {Kind.OTHER}
    assert describe_problem(message, batch.kinds[path])[2]


@pytest.mark.parametrize("kind", [k for k in KINDS if k.benign], ids=_id)
def test_odd_but_readable_file_is_indexed_with_clean_text(batch, kind):
    path = str(batch.paths[kind.filename])
    assert path not in batch.problems, batch.problems.get(path)
    doc_id = batch.sources[path]
    chunks = [c for c in batch.engine.index.chunks if c.doc_id == doc_id]
    shown = "\n".join(c.title + "\n" + c.section + "\n" + c.text for c in chunks)
    assert kind.marker in shown
    for gone in kind.absent:
        assert gone not in shown, f"{gone!r} survived cleaning"
    for kept in kind.keep:
        assert kept in shown, f"{kept!r} was garbled"
    hits = batch.engine.search(kind.marker, k=1, doc_ids={doc_id})
    assert hits and kind.marker.lower() in hits[0].text.lower()


def test_every_good_file_in_the_batch_is_indexed_and_found(batch):
    assert set(GOOD) <= set(batch.report.added)
    for doc_id, (question, words) in GOOD.items():
        hits = batch.engine.search(question, k=3)
        assert any(h.doc_id == doc_id and words in h.text for h in hits), question


def test_the_report_accounts_for_every_file(batch):
    report = batch.report
    bad = [k for k in KINDS if not k.benign]
    assert len(report.problems) == len(bad)
    assert len(report.added) == len(KINDS) - len(bad) + len(GOOD) == report.documents
    assert {p.path for p in report.problems} == {str(batch.paths[k.filename]) for k in bad}


def test_cli_lists_each_skipped_file_on_one_line(settings, fake_embedder, tmp_path):
    folder = tmp_path / "mixed"
    picked = ["flate-bomb.pdf", "line\nbreak.pdf", "encrypted-aes256.pdf", "bom-utf8.txt"]
    write_corpus(folder, [k for k in KINDS if k.filename in picked])
    make_text(folder)
    result = CliRunner().invoke(main, ["index", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Indexed 2 documents" in result.stdout
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "3 file(s) skipped:"
    assert sorted(line.split(":")[0] for line in lines[1:]) == [
        "  - encrypted-aes256.pdf",
        "  - flate-bomb.pdf",
        "  - line?break.pdf",
    ]


# --------------------------------------------------------------------------- the sandbox


def _sandbox_children() -> list[int]:
    """Pids of sandbox processes whose parent is this test process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(re.search(r"^PPid:\s+(\d+)", status, re.M).group(1))
        if ppid == os.getpid() and b"fieldguide.sandbox" in command:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_hanging_file_is_cut_off_and_costs_only_that_file(tmp_path):
    fifo = tmp_path / "hangs.txt"
    os.mkfifo(fifo)  # opening it for reading blocks for ever: a parser that never returns
    good = make_text(tmp_path)
    with Parser(timeout=1.0) as parser:
        assert "Juniper" in parser.read(good, "good").text
        [child] = _sandbox_children()
        with pytest.raises(
            DocumentError, match=r"hangs.txt: reading the file took longer than 1 s"
        ) as raised:
            parser.read(fifo, "hangs")
        assert raised.value.kind == Kind.TIMEOUT
        assert not _alive(child)
        assert "Juniper" in parser.read(good, "good").text  # a fresh child takes over
    assert _sandbox_children() == []


def test_a_crashing_reader_costs_only_that_file(tmp_path):
    fifo = tmp_path / "crashes.txt"
    os.mkfifo(fifo)
    good = make_text(tmp_path)
    with Parser(timeout=60) as parser:
        parser.read(good, "good")
        [child] = _sandbox_children()

        def kill_once_reading():
            # a writer can open the FIFO only once the child has it open for reading
            writer = None
            for _ in range(600):
                try:
                    writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                    break
                except OSError:
                    time.sleep(0.05)
            os.kill(child, signal.SIGKILL)  # while it waits for the rest of the file
            if writer is not None:
                os.close(writer)

        killer = threading.Thread(target=kill_once_reading)
        killer.start()
        with pytest.raises(DocumentError, match="crashes.txt: the file crashed the reader"):
            parser.read(fifo, "crashes")
        killer.join()
        assert "Juniper" in parser.read(good, "good").text


def test_the_memory_limit_is_applied_to_the_reader(tmp_path):
    many_lines = tmp_path / "many-lines.txt"
    many_lines.write_bytes(b"".join(b"line %d\n" % i for i in range(1_000_000)))
    limit = 128 * 1024 * 1024
    with Parser(memory_limit=limit) as parser:
        parser.read(make_text(tmp_path), "good")
        [child] = _sandbox_children()
        limits = Path(f"/proc/{child}/limits").read_text()
        assert re.search(rf"^Max address space\s+{limit}\s+{limit}\s+bytes", limits, re.M)
        with pytest.raises(
            DocumentError, match="many-lines.txt: the file needs too much memory"
        ) as raised:
            parser.read(many_lines, "many")
        assert raised.value.kind == Kind.TOO_MUCH_MEMORY  # from the child, across the pipe
    with Parser() as parser:  # the default limit leaves room for an honest 11 MB file
        assert parser.read(many_lines, "many").text.endswith("line 999999")


def test_the_reader_dies_with_the_indexer(tmp_path):
    """kill -9 of the indexer mid-file must not leave a parser running on its own."""
    fifo = tmp_path / "stuck.txt"
    os.mkfifo(fifo)
    script = textwrap.dedent(
        f"""
        import os, sys
        from fieldguide.sandbox import Parser
        parser = Parser(timeout=600)
        print(os.getpid(), flush=True)
        parser.read({str(fifo)!r}, "stuck")
        """
    )
    indexer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    try:
        parent = int(indexer.stdout.readline())
        child = None
        for _ in range(600):
            child = next(iter(_children_of(parent)), None)
            if child:
                break
            time.sleep(0.05)
        assert child, "the sandbox child never started"
        indexer.kill()
        indexer.wait()
        for _ in range(200):
            if not _alive(child):
                break
            time.sleep(0.05)
        assert not _alive(child), "the sandbox child outlived the indexer"
    finally:
        indexer.kill()
        indexer.wait()
        indexer.stdout.close()


def _children_of(parent: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{parent}$", status, re.M):
                out.append(int(entry.name))
    return out
