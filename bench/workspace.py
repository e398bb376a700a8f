"""What the bench scripts share: where the data, caches and results live; percentiles; swaps.

Run the scripts in the checkout's venv (`make install && . .venv/bin/activate`), so `fieldguide`
is this checkout's. Python puts a script's own folder (bench/) on sys.path, so each script can
`from workspace import ...` without editing sys.path.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SCIFACT = ROOT.parent / "shared" / "bench" / "scifact"
QUESTIONS = ROOT.parent / "shared" / "eval" / "questions.jsonl"
CACHE = ROOT / "bench" / "cache"
RUNS = ROOT / "bench" / "runs"
RUNS.mkdir(parents=True, exist_ok=True)  # not kept in git: a fresh clone has none
DOC = ROOT / "docs" / "benchmarks.md"


def percentiles(ms: list[float], quantiles=(50, 95), digits: int = 1) -> dict[str, float]:
    """{"p50": …, "p95": …} of a list of timings, rounded."""
    import numpy as np

    return {f"p{q}": round(float(np.percentile(ms, q)), digits) for q in quantiles}


@contextlib.contextmanager
def swapped(owner, name: str, value):
    """`owner.name` is `value` inside the block and restored after it (an earlier variant's run)."""
    before = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, before)
