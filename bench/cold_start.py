"""App cold start: from a running server (health check answers) to the question box and to the
first answer, in headless Chromium, with and without the server warming the engine.

Usage (venv active, chromium installed): python bench/cold_start.py [--rounds 2]
"warm" is `fieldguide serve` (fieldguide.server loads model and index while Streamlit starts);
"page" is plain `streamlit run` of the same app, which loads them in the first page run (what
`fieldguide serve` did before). The index is built once beforehand, as a user's would be.
Writes bench/runs/cold_start.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from workspace import ROOT, RUNS

QUESTION = "What number do I call if I think someone is being trafficked?"


def serve(mode: str, port: int, env: dict, log: Path) -> subprocess.Popen:
    """Start the app in `mode` ("warm": fieldguide serve; "page": bare streamlit run)."""
    if mode == "warm":
        command = [str(Path(sys.executable).parent / "fieldguide"), "serve", "--port", str(port)]
    else:
        from fieldguide.app import ENTRY

        command = [sys.executable, "-m", "streamlit", "run", str(ENTRY)]
        command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    return subprocess.Popen(
        command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )


def healthy(base: str, limit: float = 120) -> float:
    """Wait for the health check; the time it first answered."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply:
                if reply.read() == b"ok":
                    return time.monotonic()
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the app did not start")


def one_run(mode: str, port: int, env: dict, browser, log: Path) -> dict:
    """Seconds from the command to health, and from health to the question box and to the
    first answer on the page."""
    from playwright.sync_api import expect

    started = time.monotonic()
    process = serve(mode, port, env, log)
    try:
        base = f"http://127.0.0.1:{port}"
        ready = healthy(base)
        page = browser.new_page()
        page.goto(base)
        expect(page.get_by_label("Your question")).to_be_visible(timeout=120_000)
        box = time.monotonic() - ready
        page.get_by_label("Your question").fill(QUESTION)
        page.get_by_role("button", name="Ask", exact=True).click()
        expect(page.locator(".st-key-answer")).to_contain_text("888", timeout=120_000)
        answer = time.monotonic() - ready
        page.close()
        return {
            "mode": mode,
            "health_s": round(ready - started, 2),  # from the command to a running server
            "box_s": round(box, 2),  # from a running server to the question box
            "answer_s": round(answer, 2),  # from a running server to the first answer
        }
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--port", type=int, default=8651)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from fieldguide import embed
    from fieldguide.build import build_index
    from fieldguide.config import Settings

    folder = Path(tempfile.mkdtemp(prefix="cold-start-"))
    env = {
        **os.environ,
        "FIELDGUIDE_INDEX": str(folder / "index"),
        "FIELDGUIDE_CORPUS": str(ROOT / "corpus"),
        "HF_HUB_OFFLINE": "1",
    }
    settings = Settings.from_env(env)
    build_index([settings.corpus], settings, embed.default_embedder(settings))
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    rows = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        runs = 0
        for n in range(args.rounds):  # interleaved: the same load for both
            for mode in ("page", "warm") if n % 2 == 0 else ("warm", "page"):
                port = args.port + runs  # a fresh port: the last server may still hold its own
                runs += 1
                row = one_run(mode, port, env, browser, folder / f"{mode}-{n}.log")
                row["load_average"] = round(os.getloadavg()[0], 1)
                rows.append(row)
                print(json.dumps(row), flush=True)
        browser.close()
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / "cold_start.json").write_text(json.dumps(rows, indent=2))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
