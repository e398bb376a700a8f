"""Fit the abstention model (fieldguide/calibration.json) on the dev sets; report held-out rows.

Usage: python bench/calibrate.py [--write] [--refit]   (writes bench/runs/calibrate.json and the
signals to bench/runs/calibrate-signals.json; --refit fits again from those signals without
asking anything; --write also rewrites fieldguide/calibration.json)

Every question is asked with the calibrated decision switched off (nothing abstains on it), and
its signals (`fieldguide.calibrate.SIGNALS`) are kept with a label: 1 when the documents answer
it, 0 when they don't. Dev sets, each weighted equally:
- domain-dev (bench/data/domain-dev.jsonl; its near-topic unanswerable questions are 0) and
  the shared 30 questions, over the default corpus;
- XQuAD English dev over its 48 articles and CovidFAQ dev over its FAQ (1);
- off-corpus questions (0): SciFact claims, XQuAD and CovidFAQ questions asked of the default
  corpus, and domain-dev questions asked of the XQuAD articles.
The threshold is the highest probability at which no answerable dev set abstains on more
than 3% of its questions. bench/data/domain-test.jsonl is never fitted on: its rows are the
held-out check.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
from pathlib import Path

import numpy as np
from spanish import engines
from threadpoolctl import threadpool_limits
from workspace import CACHE, QUESTIONS, ROOT, RUNS, SCIFACT, swapped

import fieldguide.answer as answer_module
from fieldguide import embed
from fieldguide.beir import load_beir
from fieldguide.build import build_index
from fieldguide.calibrate import SIGNALS, WEIGHTS, Calibration
from fieldguide.config import Settings
from fieldguide.engine import Engine
from fieldguide.evaluate import DECLINE, load_questions

SHARED = ROOT.parent / "shared"
COVIDFAQ = SHARED / "bench" / "covidfaq"
XQUAD = SHARED / "bench" / "xquad"
DATA = ROOT / "bench" / "data"
MAX_FALSE_ABSTAIN = 0.03
OFF_CORPUS_SAMPLE = 150  # off-corpus questions per source


def covidfaq_engine() -> Engine:
    return corpus_engine(COVIDFAQ / "corpus", "calibrate-covid")


def corpus_engine(corpus: Path, name: str) -> Engine:
    """An engine over `corpus`, its index built once under bench/cache/`name`."""
    settings = Settings.from_env({}, corpus=corpus, index=CACHE / name)
    try:
        return Engine.open(settings, embed.default_embedder())
    except Exception:  # noqa: BLE001 - not built yet (or stale): build it
        build_index([settings.corpus], settings, embed.default_embedder())
        return Engine.open(settings, embed.default_embedder())


def labelled(questions: list[dict], label: int | None = None) -> list[tuple[str, int]]:
    """(question, label): the given label, else 0 for unanswerable kinds and 1 for the rest."""
    out = []
    for q in questions:
        if q.get("kind") == "phone-missing":  # decided by the names rule, not the model
            continue
        out.append((q["q"], label if label is not None else int(q.get("kind") not in DECLINE)))
    return out


def sample(items: list, n: int) -> list:
    return random.Random(0).sample(items, min(n, len(items)))


def collect(engine: Engine, items: list[tuple[str, int]]) -> list[tuple[dict, int]]:
    """Signals and label of every question that reaches the calibrated decision."""
    out = []
    for question, label in items:
        reply = engine.ask(question)
        if reply.signals is not None:
            out.append((reply.signals, label))
    return out


def dev_sets(default: Engine, xquad: Engine, covid: Engine) -> dict[str, list]:
    domain = load_questions(DATA / "domain-dev.jsonl")
    shared = load_questions(QUESTIONS)
    xq = load_questions(XQUAD / "questions-en-dev.jsonl")
    cf = load_questions(COVIDFAQ / "queries-dev.jsonl")
    claims = list(load_beir(SCIFACT).queries.values())
    return {
        "domain-dev": collect(default, labelled(domain)),
        "shared-30": collect(default, labelled(shared)),
        "xquad-en": collect(xquad, labelled(xq)),
        "covidfaq": collect(covid, labelled(cf)),
        "off: scifact on default": collect(
            default, [(c, 0) for c in sample(claims, OFF_CORPUS_SAMPLE)]
        ),
        "off: xquad on default": collect(default, labelled(sample(xq, OFF_CORPUS_SAMPLE), 0)),
        "off: covidfaq on default": collect(default, labelled(sample(cf, OFF_CORPUS_SAMPLE), 0)),
        "off: domain on xquad": collect(xquad, labelled(domain, 0)),
    }


def fit(sets: dict[str, list]) -> Calibration:
    """Logistic regression, every set weighted equally; threshold by the false-abstain rule."""
    from sklearn.linear_model import LogisticRegression

    x, y, w = [], [], []
    for rows in sets.values():
        for values, label in rows:
            x.append([values[s] for s in SIGNALS])
            y.append(label)
            w.append(1 / len(rows))
    x, w = np.array(x), np.array(w) * len(w) / sum(w)  # mean weight 1
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9  # standardised for the penalty
    model = LogisticRegression(C=1.0, max_iter=1000).fit((x - mean) / scale, y, sample_weight=w)
    coef = model.coef_[0] / scale  # folded back: the model reads raw signals
    weights = dict(zip(SIGNALS, (round(float(v), 4) for v in coef), strict=True))
    bias = round(float(model.intercept_[0] - (coef * mean).sum()), 4)
    probe = Calibration(weights, bias, 0.0)
    positive = {n: [probe.probability(v) for v, lab in rows if lab] for n, rows in sets.items()}
    threshold = 0.01
    for candidate in np.arange(0.01, 0.951, 0.01):
        rates = [np.mean(np.array(p) < candidate) for p in positive.values() if p]
        if max(rates) > MAX_FALSE_ABSTAIN:
            break
        threshold = round(float(candidate), 2)
    return Calibration(weights, bias, threshold)


def sweep(sets: dict[str, list], fitted: Calibration) -> dict:
    """Per threshold: the answerable sets' answered share, the unanswerable sets' declined."""
    out = {}
    for threshold in (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5):
        probe = dataclasses.replace(fitted, threshold=threshold)
        out[threshold] = {
            name: row["answered"] if row["answerable"] else row["declined"]
            for name, row in table(sets, probe).items()
        }
    return out


def table(sets: dict[str, list], fitted: Calibration) -> dict:
    """Per set: answered share of answerable (recall) and of unanswerable questions."""
    rows = {}
    for name, items in sets.items():
        said = [(fitted.probability(v) >= fitted.threshold, lab) for v, lab in items]
        pos = [a for a, lab in said if lab]
        neg = [a for a, lab in said if not lab]
        rows[name] = {
            "answerable": len(pos),
            "answered": round(float(np.mean(pos)), 4) if pos else None,
            "unanswerable": len(neg),
            "declined": round(1 - float(np.mean(neg)), 4) if neg else None,
        }
    return rows


def collect_all() -> tuple[dict, dict]:
    """The dev sets' and the held-out set's signals, with the calibrated decision off."""
    collecting = Calibration(dict.fromkeys(SIGNALS, 0.0), 0.0, 0.0)  # never abstains
    with threadpool_limits(1), swapped(answer_module, "calibration", lambda: collecting):
        built = engines()
        default, xquad, covid = built["default"], built["xquad"], covidfaq_engine()
        sets = dev_sets(default, xquad, covid)
        test = load_questions(DATA / "domain-test.jsonl")
        return sets, {"domain-test": collect(default, labelled(test))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite calibration.json")
    parser.add_argument("--refit", action="store_true", help="fit from the saved signals")
    args = parser.parse_args()
    saved = RUNS / "calibrate-signals.json"
    if args.refit:
        data = json.loads(saved.read_text())
        sets, held_out = data["dev"], data["held out"]
    else:
        sets, held_out = collect_all()
        saved.write_text(json.dumps({"dev": sets, "held out": held_out}) + "\n")
    fitted = fit(sets)
    report = {
        "weights": fitted.weights,
        "bias": fitted.bias,
        "threshold": fitted.threshold,
        "dev": table(sets, fitted),
        "held out": table(held_out, fitted),
        "sweep (dev answered / declined)": sweep(sets, fitted),
        "sweep (held out)": sweep(held_out, fitted),
    }
    (RUNS / "calibrate.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    if args.write:
        data = {"weights": fitted.weights, "bias": fitted.bias, "threshold": fitted.threshold}
        WEIGHTS.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    main()
