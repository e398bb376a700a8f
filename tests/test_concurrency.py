"""Concurrent users: many sessions search one shared Engine while the library is rebuilt and
reloaded; every answer comes wholly from the old index or wholly from the new one."""

import threading
from pathlib import Path

import pytest

from fieldguide.build import build_index
from fieldguide.engine import Engine
from fieldguide.store import load_index

SEARCHERS = 4  # on 2 cores, more threads only queue: 4 interleave with every swap
REBUILDS = 4
QUESTIONS = [
    "Where can I get free testing?",
    "Which shelter takes walk-ins at night?",
    "Who gives food on Saturdays?",
    "How do I find legal help?",
    "clinic shelter food legal",
]
TOPICS = [
    "The {v} clinic offers free testing on weekdays.",
    "The {v} shelter takes walk-ins at night.",
    "The {v} pantry gives food on Saturdays.",
    "The {v} legal aid office helps with visas.",
]


def write_version(folder: Path, version: str) -> None:
    """The whole corpus of one version: its own file names, and its name in every passage."""
    for old in folder.iterdir():
        old.unlink()
    for n in range(12):
        lines = [TOPICS[(n + i) % len(TOPICS)].format(v=version) for i in range(3)]
        body = "\n\n".join(f"Question {i}?\n\n{line}" for i, line in enumerate(lines))
        (folder / f"{version}-{n:02d}.txt").write_text(f"{version} guide {n}\n\n{body}\n")


def version_of(hits) -> set[str]:
    """Which corpus versions a result set came from, judged by document id and by text."""
    return {h.doc_id.split("-")[0] for h in hits} | {
        word for h in hits for word in ("versionone", "versiontwo") if word in h.text
    }


@pytest.fixture
def engine(settings, fake_embedder):
    write_version(settings.corpus, "versionone")
    build_index([settings.corpus], settings, fake_embedder)
    return Engine.open(settings, fake_embedder)


def _run_searchers(engine, stop: threading.Event, results: list, errors: list, count=SEARCHERS):
    def search(n: int) -> None:
        i = n
        while not stop.is_set():
            question = QUESTIONS[i % len(QUESTIONS)]
            i += 1
            try:
                if i % 2:
                    hits = engine.search(question, k=5)
                else:
                    hits = engine.ask(question, k=5).hits
                results.append(version_of(hits) if hits else {"no hits"})
            except Exception as exc:  # noqa: BLE001 - every failure is counted, none may happen
                errors.append(repr(exc))

    threads = [threading.Thread(target=search, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    return threads


def test_searchers_see_the_old_or_the_new_index_never_a_mix(settings, fake_embedder, engine):
    stop = threading.Event()
    results: list[set[str]] = []
    errors: list[str] = []
    loads: list[str] = []

    def reload_like_another_process() -> None:
        """A second app process keeps loading the current build from disk meanwhile."""
        while not stop.is_set():
            try:
                index = load_index(settings.index, "fake-embedder", "fake", 64)
                loads.append(version_of_chunks(index.chunks))
            except Exception as exc:  # noqa: BLE001
                errors.append(f"load: {exc!r}")

    threads = _run_searchers(engine, stop, results, errors)
    loader = threading.Thread(target=reload_like_another_process)
    loader.start()
    seen_during: list[int] = []
    try:
        for n in range(REBUILDS):
            before = len(results)
            write_version(settings.corpus, "versiontwo" if n % 2 == 0 else "versionone")
            build_index([settings.corpus], settings, fake_embedder)
            engine.reload()
            seen_during.append(len(results) - before)
    finally:
        stop.set()
        for thread in [*threads, loader]:
            thread.join()
    assert errors == []
    assert all(seen_during), "some rebuild ran with no search alongside it"
    assert {frozenset(r) for r in results} == {
        frozenset({"versionone"}),
        frozenset({"versiontwo"}),
    }
    assert set(loads) == {"versionone", "versiontwo"}
    print(f"\n{len(results)} searches by {SEARCHERS} threads, {len(loads)} loads, {REBUILDS} swaps")


def version_of_chunks(chunks) -> str:
    versions = {c.doc_id.split("-")[0] for c in chunks}
    words = {w for c in chunks for w in ("versionone", "versiontwo") if w in c.text}
    assert versions == words and len(versions) == 1, versions | words
    return versions.pop()


def test_two_rebuilds_at_once_take_turns(settings, fake_embedder, engine):
    """Two volunteers press "re-index" together: the lock serialises them, both finish."""
    other = settings.corpus.parent / "other"
    other.mkdir()
    write_version(other, "versiontwo")
    errors: list[str] = []

    def rebuild(folder: Path) -> None:
        try:
            build_index([folder], settings, fake_embedder)
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))

    builders = [
        threading.Thread(target=rebuild, args=(folder,))
        for folder in (settings.corpus, other, settings.corpus)
    ]
    stop = threading.Event()
    results: list[set[str]] = []
    searchers = _run_searchers(engine, stop, results, errors, count=4)
    for thread in builders:
        thread.start()
    for thread in builders:
        thread.join()
    engine.reload()
    stop.set()
    for thread in searchers:
        thread.join()
    assert errors == []
    assert all(len(r) == 1 for r in results) and results
    index = load_index(settings.index, "fake-embedder", "fake", 64)
    assert version_of_chunks(index.chunks) in {"versionone", "versiontwo"}
    assert len(list((settings.index / "builds").iterdir())) <= 2


def test_the_build_being_replaced_survives_the_swap(built, fake_embedder, monkeypatch):
    """A reader that read CURRENT just before a swap must still find that build's files, even
    when the new build's name sorts first (same second, or the clock stepped back)."""
    from fieldguide import store

    serving = store.current_build(built.index)
    stamp = serving.name.rsplit("-", 1)[0]
    monkeypatch.setattr(store.time, "strftime", lambda fmt, *a: stamp if "%H" in fmt else "")
    monkeypatch.setattr(store.uuid, "uuid4", lambda: type("U", (), {"hex": "0" * 32})())
    build_index([built.corpus], built, fake_embedder)
    assert store.current_build(built.index).name == f"{stamp}-00000000"
    assert (serving / "chunks.jsonl").exists() and (serving / "vectors.faiss").exists()
