"""Language detection on short questions: lingua (as Field Guide uses it) vs py3langid.

Usage: python bench/languages.py   -> bench/runs/languages.json and a table on stdout

Sets: bench/language-probe.jsonl (short, hard lookups), the XQuAD English and Spanish dev
questions, the domain question set and the Spanish domain questions. Accuracy is the share
labelled right when the choice is English or Spanish.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from fieldguide import language

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def load_sets() -> dict[str, list[tuple[str, str]]]:
    def jsonl(path):
        return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]

    domain = [
        (q["q"], "es" if q.get("kind") == "spanish" else "en")
        for q in jsonl(SHARED / "eval/questions.jsonl")
    ]
    return {
        "probe en (short, hard)": [
            (r["text"], "en")
            for r in jsonl(ROOT / "bench/language-probe.jsonl")
            if r["lang"] == "en"
        ],
        "probe es (short, hard)": [
            (r["text"], "es")
            for r in jsonl(ROOT / "bench/language-probe.jsonl")
            if r["lang"] == "es"
        ],
        "xquad en": [(q["q"], "en") for q in jsonl(SHARED / "bench/xquad/questions-en-dev.jsonl")],
        "xquad es": [(q["q"], "es") for q in jsonl(SHARED / "bench/xquad/questions-es-dev.jsonl")],
        "domain (en + 1 es)": domain,
        "domain es": [(q["q"], "es") for q in jsonl(ROOT / "bench/questions-es.jsonl")],
    }


def lingua_with(confidence: float):
    """lingua over English and Spanish: Spanish when its confidence reaches `confidence`."""
    from lingua import Language, LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH).build()

    def detect(text: str) -> str:
        values = detector.compute_language_confidence_values(text)
        spanish = next((v.value for v in values if v.language == Language.SPANISH), 0.0)
        return "es" if spanish >= confidence else "en"

    return detect


def field_guide_with(probability: float):
    """Field Guide's detector (py3langid over en/es) at another threshold."""

    def detect(text: str) -> str:
        before = language.MIN_PROBABILITY
        language.MIN_PROBABILITY = probability
        try:
            return language.detect_language(text, ("en", "es"))
        finally:
            language.MIN_PROBABILITY = before

    return detect


def main() -> None:
    sets = load_sets()
    detectors = {}
    try:  # lingua only for comparison: pip install lingua-language-detector
        detectors |= {
            f"lingua, Spanish at confidence ≥ {c}": lingua_with(c) for c in (0.5, 0.7, 0.9)
        }
    except ImportError:
        print("lingua is not installed: its rows are skipped")
    detectors |= {
        f"py3langid, Spanish at p ≥ {p}"
        + (" (default)" if p == language.MIN_PROBABILITY else ""): field_guide_with(p)
        for p in (0.5, 0.6, 0.7, 0.9)
    }
    rows = []
    for name, detect in detectors.items():
        row = {"detector": name}
        timings = []
        for set_name, items in sets.items():
            right = 0
            for text, lang in items:
                started = time.perf_counter()
                right += detect(text) == lang
                timings.append(time.perf_counter() - started)
            row[set_name] = round(right / len(items), 4)
        timings.sort()
        row["ms p50"] = round(1000 * timings[len(timings) // 2], 2)
        rows.append(row)
        print(row, flush=True)
    wrong = {
        name: [
            t
            for s in ("probe en (short, hard)", "probe es (short, hard)", "domain es")
            for t, lang in sets[s]
            if detect(t) != lang
        ]
        for name, detect in detectors.items()
    }
    out = ROOT / "bench/runs/languages.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {"rows": rows, "wrong": wrong, "sizes": {k: len(v) for k, v in sets.items()}},
            indent=2,
            ensure_ascii=False,
        )
    )
    names = list(sets)
    print("| detector | " + " | ".join(f"{n} ({len(sets[n])})" for n in names) + " | ms p50 |")
    print("|---|" + "---|" * (len(names) + 1))
    for row in rows:
        cells = " | ".join(f"{row[n]:.3f}" for n in names)
        print(f"| {row['detector']} | {cells} | {row['ms p50']} |")


if __name__ == "__main__":
    main()
