"""Baselines over Field Guide's own passages: plain BM25, plain dense MiniLM and txtai, per set.

Usage: nice -n 10 python bench/baselines.py [--sets NAME ...] [--systems NAME ...]
         [--questions FILE ... [--corpus DIR]] [--out FILE]
  --questions: more question files (any number) over --corpus (default corpus/); the domain
  sets bench/data/domain-*.jsonl join by themselves when they exist.
Every system gets the same passages: Field Guide's ingest + chunk of each corpus (SciFact: the
BEIR path's passages), dumped to bench/cache/baselines/<set>.passages.jsonl, each indexed as
its `embed_text()` (title, section, text). Systems:
  bm25     bm25s defaults (k1 1.5, b 0.75, lucene; English stop words, no stemming)
  dense    the packaged all-MiniLM-L6-v2, FAISS inner product over normalised vectors
  txtai    txtai 9.14 `Embeddings(hybrid=True, content=True)` in its own venv (TXTAI_PYTHON,
           default /work/txtai-venv/bin/python) through bench/txtai_passages.py; skipped without it
  fieldguide  Field Guide's defaults (its own index of the corpus, `Engine.ask`), for the row beside
Question sets: hit@1, hit@3, MRR@10 by fieldguide.evaluate.hit_rank (declining kinds left out).
SciFact: a document scores as its best passage; nDCG@10, Recall@100 by fieldguide.beir.score_run.
Writes bench/runs/baselines.json (or --out): {set: {system: metrics}}, merged row by row.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from workspace import CACHE, CORPUS, QUESTIONS, ROOT, RUNS, SCIFACT

from fieldguide import beir
from fieldguide import evaluate as fg_evaluate
from fieldguide.build import assign_ids, collect_files
from fieldguide.chunk import chunk_document
from fieldguide.config import Settings
from fieldguide.errors import DocumentError
from fieldguide.evaluate import hit_rank, load_questions
from fieldguide.problems import check_type
from fieldguide.sandbox import Parser

SHARED = ROOT.parent / "shared" / "bench"
FOLDER = CACHE / "baselines"
TXTAI_PYTHON = Path(os.environ.get("TXTAI_PYTHON", "/work/txtai-venv/bin/python"))
DEPTH = 10  # passages ranked per question
BEIR_PASSAGES = 3 * beir.DEPTH  # passages ranked per SciFact query, as Field Guide's BEIR path
# kinds whose right outcome is to decline, left out of hit@k as `evaluate` leaves them out
DECLINE = getattr(fg_evaluate, "DECLINE", ("unanswerable",))


@dataclass
class EvalSet:
    """Questions over a corpus folder, or a BEIR folder (`questions` None)."""

    name: str
    corpus: Path
    questions: Path | None = None


@dataclass
class Passage:
    """One passage as every system sees it: `index_text` is indexed, `text` is checked for hits."""

    id: str
    doc_id: str
    text: str
    index_text: str


@dataclass
class Ranked:
    """A system's ranked passages for one question (what `hit_rank` reads as `hits`)."""

    hits: list[Passage]


def default_sets() -> list[EvalSet]:
    """The shared sets, plus the domain sets when they exist."""
    sets = [EvalSet("questions", CORPUS, QUESTIONS)]
    sets += [EvalSet(p.stem, CORPUS, p) for p in sorted((ROOT / "bench" / "data").glob("domain-*"))]
    userdocs = ROOT / "bench" / "data" / "userdocs"
    sets += [EvalSet("userdocs", userdocs / "docs", userdocs / "questions.jsonl")]
    covid, xquad = SHARED / "covidfaq", SHARED / "xquad"
    sets += [
        EvalSet("covidfaq-dev", covid / "corpus", covid / "queries-dev.jsonl"),
        EvalSet("xquad-en-dev", xquad / "corpus", xquad / "questions-en-dev.jsonl"),
        EvalSet("scifact", SCIFACT),
    ]
    return sets


def corpus_passages(folder: Path, settings: Settings, embedder) -> list[Passage]:
    """The passages `build_index` makes of a folder: the same files, parser and chunker."""
    files = collect_files([folder])
    ids = assign_ids(files)
    out: list[Passage] = []
    with Parser(timeout=settings.parse_timeout) as parser:
        for path in files:
            try:
                check_type(path.name, path.suffix)
                doc = parser.read(path, ids[path])
            except DocumentError as exc:
                print(f"skipped {path}: {exc}", file=sys.stderr)
                continue
            chunks = chunk_document(doc, embedder.count_tokens, settings.chunk_tokens)
            out += [Passage(c.chunk_id, c.doc_id, c.text, c.embed_text()) for c in chunks]
    return out


def write_jsonl(path: Path, rows: list) -> None:
    """Rows (dataclasses or dicts) as JSON lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(dataclasses.asdict(r) if dataclasses.is_dataclass(r) else r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_passages(path: Path) -> list[Passage]:
    """Passages written by `write_jsonl`."""
    return [Passage(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]


def bm25_rankings(passages: list[Passage], queries: list[str], depth: int) -> list[list]:
    """Plain bm25s: its defaults, English stop words; passages scoring 0 are not returned."""
    import bm25s

    def tokens(texts):
        return bm25s.tokenize(texts, stopwords="en", return_ids=False, show_progress=False)

    retriever = bm25s.BM25()
    # bm25s cannot index an empty vocabulary; a placeholder token keeps rows aligned
    texts = tokens([p.index_text for p in passages])
    retriever.index([t or ["\x00empty"] for t in texts], show_progress=False)
    out = []
    for query_tokens in tokens(queries):
        scores = retriever.get_scores(query_tokens) if query_tokens else np.zeros(len(passages))
        top = np.argsort(-scores, kind="stable")[:depth]
        out.append([(passages[i].id, float(scores[i])) for i in top if scores[i] > 0])
    return out


def dense_rankings(
    passages: list[Passage], queries: list[str], depth: int, embedder, vectors=None
) -> list[list]:
    """Plain dense retrieval: inner product equals cosine on the normalised MiniLM vectors."""
    import faiss

    if vectors is None:
        vectors = embedder.encode([p.index_text for p in passages])
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    scores, rows = index.search(embedder.encode(queries), min(depth, len(passages)))
    return [
        [(passages[r].id, float(s)) for r, s in zip(row, score, strict=True) if r >= 0]
        for row, score in zip(rows, scores, strict=True)
    ]


def txtai_rankings(name: str, passages_file: Path, queries: list[str], depth: int):
    """txtai's rankings from its own venv, or None when that venv is missing."""
    if not TXTAI_PYTHON.exists():
        print(f"txtai skipped: no {TXTAI_PYTHON} (see bench/txtai_passages.py)", file=sys.stderr)
        return None
    queries_file, out = FOLDER / f"{name}.queries.jsonl", FOLDER / f"{name}.txtai.json"
    write_jsonl(queries_file, [{"id": str(i), "text": q} for i, q in enumerate(queries)])
    script = ROOT / "bench" / "txtai_passages.py"
    command = [str(TXTAI_PYTHON), str(script), "--passages", str(passages_file)]
    command += ["--queries", str(queries_file), "--k", str(depth), "--out", str(out)]
    subprocess.run(command, check=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    ranked = json.loads(out.read_text())["ranked"]
    return [[tuple(pair) for pair in ranked[str(i)]] for i in range(len(queries))]


def hit_metrics(questions: list[dict], rankings: list[list], passages: list[Passage]) -> dict:
    """hit@1, hit@3 and MRR@10 over the answerable questions, by Field Guide's own hit rule."""
    by_id = {p.id: p for p in passages}
    ranks = [
        hit_rank(q, Ranked([by_id[pid] for pid, _ in ranked[:DEPTH]]))
        for q, ranked in zip(questions, rankings, strict=True)
        if q.get("kind") not in DECLINE
    ]
    n = len(ranks) or 1
    return {
        "questions": len(ranks),
        "hit@1": round(sum(r == 1 for r in ranks) / n, 4),
        "hit@3": round(sum(r is not None and r <= 3 for r in ranks) / n, 4),
        "mrr@10": round(sum(1 / r for r in ranks if r) / n, 4),
    }


def document_run(ids: list[str], rankings: list[list], passages: list[Passage]) -> dict:
    """{query id: {doc id: best passage score}}, the top `beir.DEPTH` documents per query."""
    doc_of = {p.id: p.doc_id for p in passages}
    run = {}
    for qid, ranked in zip(ids, rankings, strict=True):
        best: dict[str, float] = {}
        for pid, score in ranked:
            best.setdefault(doc_of[pid], score)
        run[qid] = dict(list(best.items())[: beir.DEPTH])
    return run


def rankings_of(system: str, name: str, passages, passages_file, queries, depth, embedder, vectors):
    """`system`'s ranked (passage id, score) lists, one per query (None: system not available)."""
    if system == "bm25":
        return bm25_rankings(passages, queries, depth)
    if system == "dense":
        return dense_rankings(passages, queries, depth, embedder, vectors)
    return txtai_rankings(name, passages_file, queries, depth)


def fieldguide_row(evalset: EvalSet, settings: Settings, embedder, passages) -> dict:
    """Field Guide's defaults on a question set: its own index of the corpus, `Engine.ask`."""
    from fieldguide.build import build_index
    from fieldguide.engine import Engine
    from fieldguide.evaluate import evaluate

    key = f"index-{evalset.corpus.parent.name}-{evalset.corpus.name}"
    settings = dataclasses.replace(settings, corpus=evalset.corpus, index=FOLDER / key)
    build_index([evalset.corpus], settings, embedder)  # unchanged files are reused
    engine = Engine.open(settings, embedder)
    indexed = sorted((c.chunk_id, c.text) for c in engine.index.chunks)
    report = evaluate(load_questions(evalset.questions), lambda q: engine.ask(q, k=DEPTH))
    return {
        "questions": report.answerable,
        "hit@1": report.hit_at_1,
        "hit@3": report.hit_at_3,
        "mrr@10": report.mrr,
        "same_passages": indexed == sorted((p.id, p.text) for p in passages),
    }


def set_rows(evalset: EvalSet, systems: list[str], settings: Settings, embedder):
    """(system, metrics) for each system on one set, as each finishes."""
    vectors = data = None
    if evalset.questions is None:  # BEIR: the passages (and vectors) Field Guide's BEIR path caches
        data = beir.load_beir(evalset.corpus)
        chunks, vectors, _ = beir.cached_passages(
            data, embedder, settings.chunk_tokens, beir.default_cache()
        )
        passages = [Passage(c.chunk_id, c.doc_id, c.text, c.embed_text()) for c in chunks]
        ids, queries, depth = list(data.queries), list(data.queries.values()), BEIR_PASSAGES
    else:
        passages = corpus_passages(evalset.corpus, settings, embedder)
        questions = load_questions(evalset.questions)
        queries, depth = [q["q"] for q in questions], DEPTH
    passages_file = FOLDER / f"{evalset.name}.passages.jsonl"
    write_jsonl(passages_file, passages)
    for system in systems:
        started = time.perf_counter()
        if system == "fieldguide":
            row = (
                beir.evaluate_beir(evalset.corpus, settings, embedder).as_json()
                if data is not None
                else fieldguide_row(evalset, settings, embedder, passages)
            )
            row.pop("config", None)
        else:
            ranked = rankings_of(
                system, evalset.name, passages, passages_file, queries, depth, embedder, vectors
            )
            if ranked is None:
                continue
            row = (
                beir.score_run(data.qrels, document_run(ids, ranked, passages))
                if data is not None
                else hit_metrics(questions, ranked, passages)
            )
        row.setdefault("questions", len(queries))  # BEIR rows: the judged queries
        row.update(passages=len(passages), seconds=round(time.perf_counter() - started, 1))
        yield system, row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", help="only these sets (default: all)")
    parser.add_argument("--questions", nargs="*", default=[], help="more question files")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="for --questions files")
    parser.add_argument("--systems", nargs="*", default=["bm25", "dense", "txtai", "fieldguide"])
    parser.add_argument("--out", type=Path, default=RUNS / "baselines.json")
    args = parser.parse_args()
    from fieldguide.embed import default_embedder

    embedder = default_embedder()
    settings = Settings.from_env({})
    sets = default_sets() + [EvalSet(Path(f).stem, args.corpus, Path(f)) for f in args.questions]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for evalset in sets:
        if args.sets and evalset.name not in args.sets:
            continue
        for system, row in set_rows(evalset, args.systems, settings, embedder):
            # read again before each write: rows another run wrote meanwhile are kept
            results = json.loads(args.out.read_text()) if args.out.exists() else {}
            results.setdefault(evalset.name, {})[system] = row
            args.out.write_text(json.dumps(results, indent=2))
            print(f"{evalset.name:14} {system:10} {json.dumps(row)}", flush=True)


if __name__ == "__main__":
    main()
