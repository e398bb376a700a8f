"""Questions in Spanish (and English) under multilingual settings, real models.

Usage: python bench/spanish.py [--only NAME ...]   (writes bench/runs/spanish.json)

Two indexes, built once into bench/cache/: the default corpus and the 48 XQuAD articles, both
with the multilingual voice. Each configuration is asked
- the XQuAD Spanish and English dev questions (537 each) of the XQuAD articles,
- the domain questions (../shared/eval/questions.jsonl) and the Spanish domain questions
  (bench/questions-es.jsonl) of the default corpus,
- off-corpus questions, which should all abstain: the XQuAD Spanish questions asked of the
  default corpus, the answerable Spanish domain questions asked of the XQuAD articles.
Abstention thresholds are swept afterwards over the same answers (a threshold changes only
whether an answer abstains), so each ranking configuration runs once.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from fieldguide import embed
from fieldguide.build import build_index
from fieldguide.config import Settings
from fieldguide.engine import Engine
from fieldguide.evaluate import answer_holds, hit_rank, load_questions

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CACHE = ROOT / "bench" / "cache"
XQUAD = SHARED / "bench" / "xquad"
SETS = {
    "xquad-es": ("xquad", XQUAD / "questions-es-dev.jsonl"),
    "xquad-en": ("xquad", XQUAD / "questions-en-dev.jsonl"),
    "domain-en": ("default", SHARED / "eval" / "questions.jsonl"),
    "domain-es": ("default", ROOT / "bench" / "questions-es.jsonl"),
}
THRESHOLDS = (0.05, 0.06, 0.07, 0.08, 0.09)
CONFIGS = {
    "default": {},
    "ml-weight-1.0": {"multilingual_dense_weight": 1.0},
    "ml-weight-0.8": {"multilingual_dense_weight": 0.8},
    "ml-weight-0.7": {"multilingual_dense_weight": 0.7},
    "ml-weight-0.5": {"multilingual_dense_weight": 0.5},
    "ml-sentences-0.5": {"multilingual_rerank_weight": 0.5},
    "ml-sentences-0.7": {"multilingual_rerank_weight": 0.7},
    "ml-sentences-0.9": {"multilingual_rerank_weight": 0.9},
    "ml-depth-30": {"rerank_depth": 30},
    "first-stage-only": {"rerank": "none"},
    "english-only": {"languages": "en"},
}


def engines() -> dict[str, Engine]:
    """Engines over the default corpus and the XQuAD articles, built once under bench/cache."""
    out = {}
    for name, corpus in (("default", ROOT / "corpus"), ("xquad", XQUAD / "corpus")):
        settings = Settings.from_env({}, corpus=corpus, index=CACHE / f"spanish-{name}")
        try:
            out[name] = Engine.open(settings, embed.default_embedder())
            if out[name].index.multilingual is None:
                raise ValueError("built without the multilingual voice")
        except Exception:  # noqa: BLE001 - not built yet (or stale): build it
            build_index([corpus], settings, embed.default_embedder())
            out[name] = Engine.open(settings, embed.default_embedder())
    return out


def answers(engine: Engine, questions: list[dict]) -> list:
    return [engine.ask(q["q"]) for q in questions]


def score(questions, replies, threshold) -> dict:
    """hit@1, hit@3, answers holding an expected string, false abstentions at a threshold."""
    rows, held, false_abstain, right_abstain, unanswerable, danger, danger_911 = (
        [],
        0,
        0,
        0,
        0,
        0,
        0,
    )
    for q, a in zip(questions, replies, strict=True):
        abstained = _abstains(a, threshold)
        if q.get("kind") == "unanswerable":
            unanswerable += 1
            right_abstain += abstained or bool(a.missing)  # a partial answer declines too
            continue
        rows.append(hit_rank(q, a))
        held += not abstained and answer_holds(q, a)
        false_abstain += abstained
        if q.get("kind") == "danger":
            danger += 1
            danger_911 += bool(not abstained and a.citations and "911" in a.citations[0].sentence)
    n = len(rows) or 1
    out = {
        "answerable": len(rows),
        "hit@1": round(sum(r == 1 for r in rows) / n, 4),
        "hit@3": round(sum(r is not None and r <= 3 for r in rows) / n, 4),
        "answer holds": round(held / n, 4),
        "false abstentions": round(false_abstain / n, 4),
    }
    if unanswerable:
        out["unanswerable abstained"] = f"{right_abstain}/{unanswerable}"
    if danger:
        out["danger: 911 first"] = f"{danger_911}/{danger}"
    return out


def _abstains(answer, threshold) -> bool:
    if answer.abstained and not answer.hits:
        return True
    if answer.urgent and answer.citations and "911" in answer.citations[0].sentence:
        return False  # danger answers quote the emergency number whatever the cosines
    if not answer.multilingual:
        return answer.abstained  # English questions keep the English threshold
    return answer.evidence is None or answer.evidence < threshold


def run(engines_by_name, overrides) -> dict:
    result = {}
    for set_name, (corpus, path) in SETS.items():
        engine = _configured(engines_by_name[corpus], overrides)
        questions = load_questions(path)
        replies = answers(engine, questions)
        result[set_name] = {f"{t:.2f}": score(questions, replies, t) for t in THRESHOLDS}
    # off-corpus: every one should abstain
    off = {
        "xquad-es on default corpus": ("default", XQUAD / "questions-es-dev.jsonl"),
        "domain-es on xquad": ("xquad", ROOT / "bench" / "questions-es.jsonl"),
    }
    for name, (corpus, path) in off.items():
        engine = _configured(engines_by_name[corpus], overrides)
        questions = [q for q in load_questions(path) if q.get("kind") != "unanswerable"]
        replies = answers(engine, questions)
        result[name] = {
            f"{t:.2f}": round(sum(_abstains(a, t) for a in replies) / len(replies), 4)
            for t in THRESHOLDS
        }
    return result


def _configured(engine: Engine, overrides: dict) -> Engine:
    # a threshold of -1 keeps every answer; `run` sweeps thresholds over them afterwards
    settings = dataclasses.replace(engine.settings, multilingual_abstain_below=-1.0, **overrides)
    multilingual = engine.multilingual if settings.multilingual else None
    return dataclasses.replace(engine, settings=settings, multilingual=multilingual)


def tables(results: dict) -> str:
    """Markdown tables of a run: configurations at the default threshold, then the sweep."""
    t = f"{Settings().multilingual_abstain_below:.2f}"
    lines = [
        "| configuration | XQuAD es hit@1 / hit@3 | answer holds | false abst. | domain es "
        "hit@1 / hit@3 | answer holds | unanswerable declined | danger: 911 first | off-corpus "
        "abstained (XQuAD es on guides / domain es on XQuAD) | XQuAD en hit@1 / hit@3 | domain en "
        "hit@1 / hit@3 |",
        "|" + "---|" * 11,
    ]
    for name, r in results.items():
        x, d, xe, de = (r[k][t] for k in ("xquad-es", "domain-es", "xquad-en", "domain-en"))
        lines.append(
            f"| `{name}` | {x['hit@1']:.3f} / {x['hit@3']:.3f} | {x['answer holds']:.3f} | "
            f"{x['false abstentions']:.3f} | {d['hit@1']:.3f} / {d['hit@3']:.3f} | "
            f"{d['answer holds']:.3f} | {d['unanswerable abstained']} | {d['danger: 911 first']} | "
            f"{r['xquad-es on default corpus'][t]:.3f} / {r['domain-es on xquad'][t]:.3f} | "
            f"{xe['hit@1']:.3f} / {xe['hit@3']:.3f} | {de['hit@1']:.3f} / {de['hit@3']:.3f} |"
        )
    default = results.get("default")
    if default:
        lines += [
            "",
            "| `multilingual_abstain_below` | XQuAD es false abst. | answer holds | domain es "
            "false abst. | unanswerable declined | XQuAD es on guides abstained | domain es on "
            "XQuAD abstained |",
            "|---|---|---|---|---|---|---|",
        ]
        for th in default["xquad-es"]:
            x, d = default["xquad-es"][th], default["domain-es"][th]
            lines.append(
                f"| {th} | {x['false abstentions']:.3f} | {x['answer holds']:.3f} | "
                f"{d['false abstentions']:.3f} | {d['unanswerable abstained']} | "
                f"{default['xquad-es on default corpus'][th]:.3f} | "
                f"{default['domain-es on xquad'][th]:.3f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="configurations to run (default: all)")
    parser.add_argument("--table", action="store_true", help="print the last run as markdown")
    args = parser.parse_args()
    out_path = ROOT / "bench" / "runs" / "spanish.json"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    results = json.loads(out_path.read_text()) if out_path.exists() else {}
    if args.table:
        print(tables(results))
        return
    built = engines()
    for name, overrides in CONFIGS.items():
        if args.only and name not in args.only:
            continue
        results[name] = {"settings": overrides, **run(built, overrides)}
        out_path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
        default_t = f"{Settings().multilingual_abstain_below:.2f}"
        print(name, {k: v[default_t] for k, v in results[name].items() if k != "settings"})


if __name__ == "__main__":
    main()
