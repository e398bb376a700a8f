"""Crash safety: kill -9 the indexer at random moments and fail its writes on purpose; the
previous index always loads and answers, no partial index is served, the next run recovers."""

import errno
import os
import random
import select
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import bm25s
import faiss
import numpy as np
import pytest
from conftest import FakeEmbedder, FakeMultilingual

from fieldguide import store
from fieldguide.build import build_index
from fieldguide.config import Settings
from fieldguide.engine import Engine
from fieldguide.store import load_index

KILLS = 20
TESTS = Path(__file__).resolve().parent

# `fieldguide index` with the fake model, forked per run from a process that has already done the
# imports (so twenty runs do not pay for twenty interpreter starts). Each run notes when it is
# ready and when it starts writing; fsyncs are slowed a little to widen the write phase.
ZYGOTE = """
import os, sys, time
sys.path.insert(0, {tests!r})
from conftest import FakeEmbedder, FakeMultilingual
from fieldguide import build, embed
from fieldguide.cli import main
from fieldguide.language import known_languages

fake, fake_ml = FakeEmbedder(), FakeMultilingual()
known_languages()  # the detector's codes, loaded once here rather than in every fork
embed.default_embedder = lambda settings=None: fake
embed.multilingual_embedder = lambda: fake_ml
real_fsync, real_write = os.fsync, build.store_write

def say(event):
    with open(os.environ["FG_EVENTS"], "a") as out:
        out.write(event + "\\n")

def slow_fsync(fd):
    time.sleep(0.005)
    real_fsync(fd)

def announced_write(*args):
    say("writing")
    return real_write(*args)

os.fsync = slow_fsync
build.store_write = announced_write
for line in sys.stdin:
    events, corpus = line.rstrip("\\n").split("\\t")
    pid = os.fork()
    if pid == 0:
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        os.environ["FG_EVENTS"] = events
        say("ready")
        try:
            main(["index", corpus], prog_name="fieldguide")
        except SystemExit as exc:
            os._exit(exc.code or 0)
        os._exit(0)
    print(pid, flush=True)
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""


def write_version(folder: Path, version: str, files: int = 20) -> None:
    """One corpus version; most files change between versions, some come and go."""
    for old in folder.iterdir():
        old.unlink()
    for n in range(files if version == "one" else files + 5):
        if version == "two" and n % 7 == 0:
            continue  # removed in version two
        shared = n % 3 == 0  # unchanged between versions: its vectors are carried over
        tag = "shared" if shared else f"version{version}"
        body = "\n\n".join(
            f"Question {q} about topic {n}?\n\nThe {tag} clinic {n} answers question {q} "
            f"with care, on weekdays, for free."
            for q in range(4)
        )
        (folder / f"doc-{n:02d}.txt").write_text(f"Guide {n} ({tag})\n\n{body}\n")


def signature(index) -> tuple:
    """What an index serves, independent of row order."""
    return tuple(sorted((c.doc_id, c.start, c.text) for c in index.chunks))


def check_whole(index_dir: Path, fake: FakeEmbedder) -> tuple:
    """Load the serving index, prove it is complete and self-consistent, and that it answers."""
    index = load_index(index_dir, fake.name, fake.weights_sha256, fake.dimension)
    assert len(index.chunks) == index.vectors.ntotal == index.manifest.chunks > 0
    expected = fake.encode([c.embed_text() for c in index.chunks])
    stored = index.vectors_of(list(range(len(index.chunks))))
    assert np.allclose(expected, stored, atol=1e-5), "a vector belongs to another passage"
    assert set(index.manifest.documents) == {c.doc_id for c in index.chunks}
    settings = Settings(index=index_dir)
    engine = Engine.open(settings, fake, FakeMultilingual())
    hits = engine.search("Which clinic answers question 2?", k=3)
    assert hits and all("clinic" in h.text for h in hits)
    return signature(index)


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    """What a clean build of each version serves."""
    root = tmp_path_factory.mktemp("references")
    fake, out = FakeEmbedder(), {}
    for version in ("one", "two"):
        folder = root / version
        folder.mkdir()
        write_version(folder, version)
        settings = Settings(index=root / f"index-{version}", corpus=folder)
        # module scope: set up before the autouse fake multilingual model, so name it here
        build_index([folder], settings, fake, multilingual=FakeMultilingual())
        out[version] = check_whole(settings.index, fake)
    assert out["one"] != out["two"]
    return out


def _processes_with(token: str, but: int) -> list[int]:
    """Live processes (a sandbox child, say) that inherited this run's marker, except `but`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != but:
            try:
                if f"FG_CRASH_RUN={token}".encode() in (entry / "environ").read_bytes():
                    state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                    if state != "Z":
                        found.append(int(entry.name))
            except OSError:
                continue
    return found


class Indexer:
    """Runs `fieldguide index` in a fresh process per run and can kill -9 it at a given moment."""

    def __init__(self, settings: Settings, token: str, folder: Path):
        self.settings, self.events = settings, folder / "events"
        env = {**os.environ, "FIELDGUIDE_INDEX": str(settings.index), "FG_CRASH_RUN": token}
        self.zygote = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE.format(tests=str(TESTS))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )

    def _said(self, event: str) -> bool:
        return self.events.exists() and event in self.events.read_text().split()

    def _reply(self, wait: float | None) -> str | None:
        if select.select([self.zygote.stdout], [], [], wait)[0]:
            return self.zygote.stdout.readline().strip()
        return None

    def run(self, kill_after: float | None = None, after: str = "ready") -> tuple[int, float]:
        """(exit code, seconds from `after` to the end); -9 when killed."""
        self.events.unlink(missing_ok=True)
        self.zygote.stdin.write(f"{self.events}\t{self.settings.corpus}\n")
        self.zygote.stdin.flush()
        pid = int(self._reply(60))
        deadline = time.monotonic() + 120
        while not self._said(after):
            code = self._reply(0.005)  # it may end before it ever writes
            if code is not None:
                return int(code), 0.0
            assert time.monotonic() < deadline, f"the indexer never said {after!r}"
        started = time.monotonic()
        if kill_after is not None:
            code = self._reply(kill_after)
            if code is not None:
                return int(code), time.monotonic() - started
            os.kill(pid, signal.SIGKILL)
        code = int(self._reply(120))
        return code, time.monotonic() - started

    def close(self) -> None:
        self.zygote.stdin.close()
        self.zygote.wait(30)
        self.zygote.stdout.close()


def test_kill_minus_nine_at_random_moments_never_breaks_the_index(
    settings, fake_embedder, references, tmp_path
):
    token = uuid.uuid4().hex
    write_version(settings.corpus, "one")
    build_index([settings.corpus], settings, fake_embedder)
    indexer = Indexer(settings, token, tmp_path)
    try:
        # how long a whole run takes, and its write phase
        write_version(settings.corpus, "two")
        code, whole = indexer.run()
        assert code == 0
        write_version(settings.corpus, "one")
        code, writing = indexer.run(after="writing")
        assert code == 0
        state = check_whole(settings.index, fake_embedder)
        assert state == references["one"]

        rng = random.Random(4)
        kills, outcomes, debris = 0, {"kept": 0, "swapped": 0}, 0
        for attempt in range(KILLS * 2):
            if kills == KILLS:
                break
            target = "two" if state == references["one"] else "one"
            write_version(settings.corpus, target)
            before = set((settings.index / "builds").glob("*.partial"))
            # half the kills anywhere in the run, half inside the write-and-swap phase
            if attempt % 2:
                code, _ = indexer.run(rng.uniform(0, writing), after="writing")
            else:
                code, _ = indexer.run(rng.uniform(0, whole))
            killed = code == -signal.SIGKILL
            kills += killed
            debris += killed and bool(set((settings.index / "builds").glob("*.partial")) - before)
            after = check_whole(settings.index, fake_embedder)
            assert after in (state, references[target]), "the index is neither old nor new"
            outcomes["kept" if after == state else "swapped"] += killed
            state = after
            for _ in range(100):  # the sandbox child dies with the indexer
                if not _processes_with(token, indexer.zygote.pid):
                    break
                time.sleep(0.05)
            assert _processes_with(token, indexer.zygote.pid) == []
        assert kills == KILLS
        assert outcomes["kept"] > 0 and debris > 0, (outcomes, debris)
        print(f"\n{kills} kills: {outcomes}; {debris} left a half-written build behind")

        # the next ordinary run recovers with no manual cleanup
        target = "two" if state == references["one"] else "one"
        write_version(settings.corpus, target)
        code, _ = indexer.run()
        assert code == 0
    finally:
        indexer.close()
    assert check_whole(settings.index, fake_embedder) == references[target]
    leftovers = sorted(p.name for p in (settings.index / "builds").iterdir())
    assert len(leftovers) <= 2 and not any("." in name for name in leftovers), leftovers
    assert not (settings.index / "CURRENT.tmp").exists()


# --------------------------------------------------------------------------- injected failures


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _fail_write_of(name: str):
    real = store._write_file

    def write(path, data):
        if Path(path).name == name:  # half the bytes land, then the disk fills up
            Path(path).write_bytes(data[: len(data) // 2])
            _disk_full()
        real(path, data)

    return write


def _fail_call(function, when):
    def call(*args, **kwargs):
        if when(*args):
            _disk_full()
        return function(*args, **kwargs)

    return call


FAILURES = {
    "faiss.write_index": lambda mp: mp.setattr(faiss, "write_index", _disk_full),
    "bm25 save": lambda mp: mp.setattr(bm25s.BM25, "save", _disk_full),
    "chunks.jsonl half written": lambda mp: mp.setattr(
        store, "_write_file", _fail_write_of("chunks.jsonl")
    ),
    "manifest.json half written": lambda mp: mp.setattr(
        store, "_write_file", _fail_write_of("manifest.json")
    ),
    "CURRENT.tmp half written": lambda mp: mp.setattr(
        store, "_write_file", _fail_write_of("CURRENT.tmp")
    ),
    "fsync": lambda mp: mp.setattr(os, "fsync", _disk_full),
    "rename of the finished build": lambda mp: mp.setattr(
        os, "rename", _fail_call(os.rename, lambda src, *a: str(src).endswith(".partial"))
    ),
    "replace of CURRENT": lambda mp: mp.setattr(
        os, "replace", _fail_call(os.replace, lambda src, dst, *a: Path(dst).name == "CURRENT")
    ),
    "fsync of the folder after the swap": lambda mp: mp.setattr(
        store, "_fsync_dir", _fail_call(store._fsync_dir, lambda path: Path(path).name == "index")
    ),
    "pruning old builds": lambda mp: mp.setattr(store, "_prune", _disk_full),
}


@pytest.mark.parametrize("failure", FAILURES)
def test_a_failed_write_keeps_a_whole_index_and_the_next_build_recovers(
    settings, fake_embedder, references, monkeypatch, failure
):
    write_version(settings.corpus, "one")
    build_index([settings.corpus], settings, fake_embedder)
    write_version(settings.corpus, "two")
    with monkeypatch.context() as patch:
        FAILURES[failure](patch)
        with pytest.raises(OSError, match="No space left"):
            build_index([settings.corpus], settings, fake_embedder)
    after = check_whole(settings.index, fake_embedder)
    assert after in (references["one"], references["two"])
    build_index([settings.corpus], settings, fake_embedder)
    assert check_whole(settings.index, fake_embedder) == references["two"]
    leftovers = sorted(p.name for p in (settings.index / "builds").iterdir())
    assert len(leftovers) <= 2 and not any("." in name for name in leftovers), leftovers
    assert not (settings.index / "CURRENT.tmp").exists()


def test_debris_of_crashed_builds_is_ignored_then_cleaned(settings, fake_embedder, references):
    write_version(settings.corpus, "one")
    build_index([settings.corpus], settings, fake_embedder)
    builds = settings.index / "builds"
    (builds / "20990101-000000-deadbeef.partial").mkdir()  # a build killed mid-write
    (builds / "20990101-000000-deadbeef.partial" / "vectors.faiss").write_bytes(b"\0" * 10)
    (builds / "20990101-000001-cafecafe").mkdir()  # renamed, killed before the swap
    (settings.index / "CURRENT.tmp").write_text("20990101-000000-deadbeef.partial")
    assert check_whole(settings.index, fake_embedder) == references["one"]
    write_version(settings.corpus, "two")
    build_index([settings.corpus], settings, fake_embedder)
    assert check_whole(settings.index, fake_embedder) == references["two"]
    assert len(list(builds.iterdir())) == 2 and not (settings.index / "CURRENT.tmp").exists()
