"""Load: many volunteers asking at once — throughput, latency and errors, with and without a
rebuild running; memory per app session.

Usage: nice -n 10 python bench/load.py [--docs 500] [--sessions 50] [--seconds 120]
    [--app-sessions 20]                               (writes bench/runs/load.json)

In-process and loopback only: nothing listens on a port. The engine is the one `fieldguide
serve` shares between sessions (`st.cache_resource`); each session is a thread, as Streamlit
runs each browser session's script in its own thread. Each session asks SciFact claims one
after another (no think time: the worst case) until the time is up. The second phase adds a
rebuild loop: one document changed, `build_index` (incremental), `engine.reload()`, again.
Then `--app-sessions` AppTest sessions of the real app each ask once, to count engines and
models in the process and the memory each session adds.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import tempfile
import threading
import time
from pathlib import Path

from workspace import ROOT, RUNS, SCIFACT, percentiles

from fieldguide import beir
from fieldguide.build import build_index
from fieldguide.config import Settings
from fieldguide.embed import default_embedder
from fieldguide.engine import Engine


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def ask_loop(engine, questions, offset, deadline, out) -> None:
    """One session: ask question after question until `deadline`; record ms or the error."""
    n = offset
    while time.monotonic() < deadline:
        question = questions[n % len(questions)]
        n += 7
        begin = time.perf_counter()
        try:
            answer = engine.ask(question)
            if not answer.hits:
                raise RuntimeError("no passages")
            out.append((time.perf_counter() - begin) * 1000)
        except Exception as exc:  # counted and reported, never hidden
            out.append(f"{type(exc).__name__}: {exc}")


def rebuild_loop(settings, embedder, corpus, engine, deadline, out) -> None:
    """Change one document, rebuild incrementally and swap the new index in, until `deadline`."""
    target = sorted(corpus.glob("*.txt"))[0]
    original = target.read_text()
    n = 0
    while time.monotonic() < deadline:
        n += 1
        target.write_text(original + f"\n\nRevision {n}: the clinic opens at {n % 12 + 1} am.\n")
        begin = time.perf_counter()
        build_index([corpus], settings, embedder)
        engine.reload()
        out.append((time.perf_counter() - begin) * 1000)


def phase(engine, questions, sessions, seconds, rebuild=None) -> dict:
    deadline = time.monotonic() + seconds
    results = [[] for _ in range(sessions)]
    threads = [
        threading.Thread(target=ask_loop, args=(engine, questions, i, deadline, results[i]))
        for i in range(sessions)
    ]
    rebuilds: list[float] = []
    if rebuild is not None:
        threads.append(threading.Thread(target=rebuild_loop, args=(*rebuild, deadline, rebuilds)))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ms = [r for session in results for r in session if isinstance(r, float)]
    errors = [r for session in results for r in session if isinstance(r, str)]
    out = {
        "sessions": sessions,
        "seconds": round(elapsed, 1),
        "answers": len(ms),
        "per_second": round(len(ms) / elapsed, 2),
        "ms": percentiles(ms, (50, 95, 99), 0) if ms else {},
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "rss_mb": rss_mb(),
        "load_average": os.getloadavg(),
    }
    if rebuild is not None:
        out["rebuilds"] = len(rebuilds)
        out["rebuild_ms"] = percentiles(rebuilds, (50,), 0) if rebuilds else {}
    return out


def app_sessions(count: int, settings, ours) -> dict:
    """`count` AppTest sessions of the real app ask once each; the engines (besides `ours`, this
    script's) and models alive in the process, and RSS."""
    from streamlit.testing.v1 import AppTest

    from fieldguide.embed import Embedder

    os.environ.update(settings.to_env())
    first = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    before = rss_mb()
    kept = [first]
    for n in range(count):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        at.text_input(key="question").input(f"Does vitamin D lower the risk of fractures? {n}")
        kept.append(at.button(key="FormSubmitter:ask-Ask").click().run())
    gc.collect()
    alive = gc.get_objects()
    return {
        "sessions": count,
        "exceptions": sum(bool(at.exception) for at in kept),
        "app_engines_in_process": sum(isinstance(o, Engine) and o is not ours for o in alive),
        "models_in_process": sum(isinstance(o, Embedder) for o in alive),  # ours included
        "rss_mb_one_session": before,
        "rss_mb_all": rss_mb(),
        "mb_per_session": round((rss_mb() - before) / count, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--app-sessions", type=int, default=20)
    args = parser.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"
    data = beir.load_beir(SCIFACT)
    questions = list(data.queries.values())
    embedder = default_embedder()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for doc_id, (title, text) in list(data.corpus.items())[: args.docs]:
            (corpus / f"{doc_id}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
        # English only: the multilingual voice would triple the rebuild's time (see README)
        settings = Settings.from_env({}, index=Path(tmp) / "index", corpus=corpus, languages="en")
        begin = time.perf_counter()
        build_index([corpus], settings, embedder)
        built = time.perf_counter() - begin
        engine = Engine.open(settings, embedder)
        result = {
            "docs": args.docs,
            "passages": len(engine.index.chunks),
            "build_s": round(built, 1),
            "rss_mb_engine": rss_mb(),
            "cores": os.cpu_count(),
        }
        print(json.dumps(result), flush=True)
        result["asking"] = phase(engine, questions, args.sessions, args.seconds)
        print(json.dumps(result["asking"]), flush=True)
        rebuild = (settings, embedder, corpus, engine)
        result["asking_while_rebuilding"] = phase(
            engine, questions, args.sessions, args.seconds, rebuild
        )
        print(json.dumps(result["asking_while_rebuilding"]), flush=True)
        if args.app_sessions:
            result["app"] = app_sessions(args.app_sessions, settings, engine)
            print(json.dumps(result["app"]), flush=True)
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / "load.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
