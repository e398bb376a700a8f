"""Fill the tables in docs/benchmarks.md from bench/runs/*.json (between `<!-- NAME -->` marks).

Usage: python bench/report.py [--only NAME ...]
(after scifact.py, questions.py, latency.py, txtai_scifact.py, baselines.py)
"""

from __future__ import annotations

import argparse
import json
import re

from workspace import DOC, RUNS, SCIFACT

from fieldguide import beir

PUBLISHED = [
    ("BM25 (BEIR paper)", ".665", "—"),
    ("BM25 flat / multifield (Pyserini)", ".679 / .665", ".925 / .908"),
    ("BM25 + MiniLM-L6 cross-encoder (BEIR paper)", ".688", "—"),
    ("all-MiniLM-L6-v2 (MTEB)", ".645", ".925"),
    ("bge-small-en-v1.5 (MTEB)", ".713", ".945"),
]


def _load(name: str) -> dict:
    path = RUNS / name
    return json.loads(path.read_text()) if path.exists() else {}


def scifact_table() -> str:
    rows = _load("scifact.json")
    lines = [
        "| configuration | nDCG@10 | Recall@100 | ranking ms p50 (no encode) |",
        "|---|---|---|---|",
    ]
    for name, row in rows.items():
        lines.append(
            f"| `{name}` — {row['description']} | {row['ndcg@10']:.3f} | "
            f"{row['recall@100']:.3f} | {row['rank_ms_p50']:.1f} |"
        )
    for name, ndcg, recall in PUBLISHED:
        lines.append(f"| published: {name} | {ndcg} | {recall} | |")
    return "\n".join(lines)


def bm25_table() -> str:
    rows = _load("bm25_variants.json")
    lines = ["| BM25 on whole documents | nDCG@10 | Recall@100 |", "|---|---|---|"]
    lines += [f"| {n} | {r['ndcg@10']:.3f} | {r['recall@100']:.3f} |" for n, r in rows.items()]
    return "\n".join(lines)


def txtai_table() -> str:
    data = beir.load_beir(SCIFACT)
    lines = [
        "| system (same model and machine) | nDCG@10 | Recall@100 | 500-doc index s | "
        "query ms p50/p95 |",
        "|---|---|---|---|---|",
    ]
    latency = _load("latency.json")
    scifact = _load("scifact.json")
    query = latency.get("query_ms", {})
    for name, row, build, timing in (
        (
            "Field Guide defaults",
            "default",
            latency.get("build", {}),
            query.get("+ sentence second stage, sentence vectors stored (default)", {}),
        ),
        (
            "Field Guide, `FIELDGUIDE_RERANK=none`",
            "score-0.5",
            latency.get("build_plain", {}),
            query.get("first stage only", {}),
        ),
    ):
        if row in scifact:
            lines.append(
                f"| {name} | {scifact[row]['ndcg@10']:.3f} | {scifact[row]['recall@100']:.3f} | "
                f"{build.get('build_seconds', '—')} | "
                f"{timing.get('p50', '?')}/{timing.get('p95', '?')} |"
            )
    for mode in ("hybrid", "dense"):
        timing = _load(f"txtai-{mode}.json")
        run_file = RUNS / f"txtai-{mode}.trec"
        if not timing or not run_file.exists():
            continue
        run: dict[str, dict[str, float]] = {}
        for line in run_file.read_text().splitlines():
            qid, _, did, _, score, _ = line.split()
            run.setdefault(qid, {})[did] = float(score)
        m = beir.score_run(data.qrels, run)
        sub = _load(f"txtai-{mode}-500.json").get("index_seconds", "—")
        one = ""
        if "one_thread_query_ms_p50" in timing:
            one = (
                f" (two threads); {timing['one_thread_query_ms_p50']}/"
                f"{timing['one_thread_query_ms_p95']} (one thread)"
            )
        lines.append(
            f"| txtai {timing['txtai']} {mode} defaults | {m['ndcg@10']:.3f} | "
            f"{m['recall@100']:.3f} | {sub} | "
            f"{timing['query_ms_p50']}/{timing['query_ms_p95']}{one} |"
        )
    return "\n".join(lines)


def fusion_table() -> str:
    rows = _load("fusion_variants.json")
    lines = ["| idea (first stage unless noted) | nDCG@10 | Recall@100 |", "|---|---|---|"]
    for name, row in rows.items():
        note = f" ({row['note']})" if row.get("note") else ""
        lines.append(f"| {name}{note} | {row['ndcg@10']:.3f} | {row['recall@100']:.3f} |")
    return "\n".join(lines)


def latency_table() -> str:
    data = _load("latency.json")
    lines = ["| measurement | p50 ms | p95 ms |", "|---|---|---|"]
    for name, p in data.get("query_ms", {}).items():
        lines.append(f"| {name} | {p['p50']} | {p['p95']} |")
    for key, label in (("build", "defaults"), ("build_plain", "`FIELDGUIDE_RERANK=none`")):
        build = data.get(key)
        if not build:
            continue
        lines += [
            "",
            f"| build ({label}), first {build['documents']} SciFact docs as text files | s |",
            "|---|---|",
            f"| `build_index`: read, chunk, embed {build['passages']} passages and "
            f"{build['sentences']} sentences, FAISS, BM25, write | {build['build_seconds']} |",
            f"| bare `model.encode` of the passages | {build['bare_passages_seconds']} |",
            f"| bare `model.encode` of the sentences | {build['bare_sentences_seconds']} |",
            f"| ratio: bare encode of the same texts / build (target ≥ 0.9) | {build['ratio']} |",
        ]
    when = data.get("when")
    if when:
        before = ", ".join(f"{x:.1f}" for x in data.get("load_before", []))
        after = ", ".join(f"{x:.1f}" for x in data.get("load_after", []))
        lines.append(
            f"\nQuery times measured {when} UTC, load average (1, 5, 15 min) before: {before}; "
            f"after: {after}. Builds measured {data.get('build_when', '?')} UTC, load before "
            f"{', '.join(f'{x:.1f}' for x in data.get('build_load_before', []))}."
        )
    return "\n".join(lines)


def questions_table() -> str:
    rows = _load("questions.json")
    lines = [
        "| configuration | hit@1 | hit@3 | MRR | unanswerable abstained | misses |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        misses = "; ".join(r["misses"]) or "—"
        lines.append(
            f"| `{name}` {r['overrides'] or ''} | {r['hit@1']:.1%} | {r['hit@3']:.1%} | "
            f"{r['mrr']:.3f} | {r['abstain']:.0%} | {misses} |"
        )
    return "\n".join(lines)


SYSTEMS = {
    "bm25": "plain BM25 (bm25s defaults)",
    "dense": "plain dense MiniLM (FAISS IP)",
    "txtai": "txtai 9.14 hybrid defaults",
    "fieldguide": "Field Guide defaults",
}


def baselines_table() -> str:
    rows = _load("baselines.json")
    lines = [
        "| set (questions, passages) | " + " | ".join(SYSTEMS.values()) + " |",
        "|---" * (len(SYSTEMS) + 1) + "|",
    ]
    for name, systems in rows.items():
        first = next(iter(systems.values()))
        metrics = ("ndcg@10", "recall@100") if "ndcg@10" in first else ("hit@1", "hit@3", "mrr@10")
        cells = [
            " / ".join(f"{systems[s][m]:.3f}" for m in metrics) if s in systems else "not run"
            for s in SYSTEMS
        ]
        head = f"{name} ({first.get('questions', '?')}, {first['passages']:,})"
        lines.append(f"| {head} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


TABLES = {
    "scifact": scifact_table,
    "bm25": bm25_table,
    "txtai": txtai_table,
    "fusion": fusion_table,
    "latency": latency_table,
    "questions": questions_table,
    "baselines": baselines_table,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="fill only these tables (default: all)")
    args = parser.parse_args()
    text = DOC.read_text()
    for name, make in TABLES.items():
        if args.only and name not in args.only:
            continue
        pattern = re.compile(rf"(<!-- {name} -->\n).*?(<!-- /{name} -->)", re.S)
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(2), text)
    DOC.write_text(text)
    print(f"updated {DOC}")


if __name__ == "__main__":
    main()
