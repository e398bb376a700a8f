"""BEIR: score retrieval on a BEIR-format dataset (nDCG@10, Recall@100 by pytrec_eval)."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .chunk import Chunk, chunk_document
from .config import Settings
from .errors import FieldGuideError
from .ingest import Document
from .search import best_per_document, one_thread, rank
from .store import CHUNKER_VERSION, Index, Manifest

DEPTH = 100  # documents kept per query in the run file (Recall@100 needs 100)


@dataclass
class BeirData:
    """A BEIR dataset: corpus `{id: (title, text)}`, queries `{id: text}`, qrels."""

    corpus: dict[str, tuple[str, str]]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]
    corpus_file: Path


@dataclass
class BeirReport:
    """Retrieval quality on a BEIR dataset, and what produced it."""

    ndcg_at_10: float
    recall_at_100: float
    queries: int
    run_file: str
    index_seconds: float
    query_ms_p50: float
    query_ms_p95: float
    config: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        """The `--json` shape: metric names as BEIR papers write them."""
        return {
            "ndcg@10": self.ndcg_at_10,
            "recall@100": self.recall_at_100,
            "queries": self.queries,
            "run_file": self.run_file,
            "index_seconds": self.index_seconds,
            "query_ms_p50": self.query_ms_p50,
            "query_ms_p95": self.query_ms_p95,
            "config": self.config,
        }


def _jsonl(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def load_beir(directory: Path, split: str = "test") -> BeirData:
    """Read `corpus.jsonl[.gz]`, `queries.jsonl` and `qrels/<split>.tsv` from a BEIR folder.

    Only queries that have judgements are kept (as BEIR's own evaluation does).
    """
    directory = Path(directory)
    corpus_file = next(
        (directory / n for n in ("corpus.jsonl", "corpus.jsonl.gz") if (directory / n).exists()),
        None,
    )
    qrels_file = directory / "qrels" / f"{split}.tsv"
    if corpus_file is None or not (directory / "queries.jsonl").exists() or not qrels_file.exists():
        raise FieldGuideError(
            f"{directory} is not a BEIR folder (needs corpus.jsonl[.gz], queries.jsonl "
            f"and qrels/{split}.tsv)"
        )
    try:
        corpus = {
            str(d["_id"]): (d.get("title") or "", d.get("text") or "") for d in _jsonl(corpus_file)
        }
        qrels: dict[str, dict[str, int]] = {}
        for line in qrels_file.read_text(encoding="utf-8").splitlines()[1:]:
            qid, did, score = line.split("\t")[:3]
            qrels.setdefault(qid, {})[did] = int(score)
        queries = {
            str(q["_id"]): q["text"]
            for q in _jsonl(directory / "queries.jsonl")
            if str(q["_id"]) in qrels
        }
    except (OSError, ValueError, KeyError) as exc:
        raise FieldGuideError(f"Cannot read the BEIR data in {directory}: {exc}") from None
    return BeirData(corpus, queries, qrels, corpus_file)


def passages(data: BeirData, count_tokens, max_tokens: int) -> list[Chunk]:
    """Each document (title + text) as passages within `max_tokens` word pieces.

    The chunker packs whole sentences; the title is repeated in every passage's `embed_text`.
    """
    out: list[Chunk] = []
    for doc_id, (title, text) in data.corpus.items():
        doc = Document(doc_id, title, doc_id, text, "")
        chunks = chunk_document(doc, count_tokens, max_tokens) if text.strip() else []
        if not chunks:  # a one-line abstract can read as a heading; keep it whole
            chunks = [Chunk(f"{doc_id}:0", doc_id, title, "", None, 0, len(text), text, doc_id)]
        # BEIR judges documents: section headings the chunker guessed are noise here
        out += [Chunk(**{**c.__dict__, "section": ""}) for c in chunks]
    return out


def default_cache() -> Path:
    """Where BEIR indexes are kept between runs ($XDG_CACHE_HOME/fieldguide/beir)."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "fieldguide" / "beir"


def _file_key(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def passage_cache(data: BeirData, embedder, max_tokens: int, cache: Path) -> Path:
    """The cache folder for this corpus, model (and encoder variant) and chunking."""
    model = (embedder.weights_sha256 or embedder.name.replace("/", "_"))[:12]
    variant = getattr(embedder, "encoder", {}).get("onnx_sha256", "")[:12]  # fp32: none
    model = f"{model}-int8-{variant}" if variant else model
    key = f"{_file_key(data.corpus_file)}/{model}-p{max_tokens}-c{CHUNKER_VERSION}"
    return Path(cache) / key


def cached_passages(
    data: BeirData, embedder, max_tokens: int, cache: Path, progress=None
) -> tuple[list[Chunk], np.ndarray, float]:
    """Passages and their vectors, from the cache when present.

    Returns:
        (chunks, vectors, seconds spent chunking and embedding now; 0.0 when cached).
    """
    folder = passage_cache(data, embedder, max_tokens, cache)
    chunks_file, vectors_file = folder / "chunks.jsonl", folder / "vectors.npy"
    if chunks_file.exists() and vectors_file.exists():
        with open(chunks_file, encoding="utf-8") as handle:
            chunks = [Chunk(**json.loads(line)) for line in handle]
        return chunks, np.load(vectors_file), 0.0
    started = time.perf_counter()
    chunks = passages(data, embedder.count_tokens, max_tokens)
    vectors = embedder.encode([c.embed_text() for c in chunks], progress=progress)
    seconds = time.perf_counter() - started
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(c.__dict__, ensure_ascii=False) for c in chunks]
    chunks_file.with_suffix(".tmp").write_text("\n".join(lines) + "\n", encoding="utf-8")
    np.save(folder / "vectors.tmp.npy", vectors)
    os.replace(folder / "vectors.tmp.npy", vectors_file)
    os.replace(chunks_file.with_suffix(".tmp"), chunks_file)
    (folder / "build.json").write_text(json.dumps({"seconds": round(seconds, 2)}))
    return chunks, vectors, seconds


def stored_sentences(embedder, folder: Path):
    """Sentence vectors for the second stage, filled from `folder` when saved there before."""
    from .rerank import SentenceVectors

    cache = SentenceVectors(embedder, size=10**7)  # a BEIR corpus has far more than an app's
    path = Path(folder) / "sentences.npz"
    if path.exists():
        texts = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        cache.keep(texts, np.load(path)["vectors"])
    return cache


def save_sentences(cache, folder: Path) -> None:
    """Keep the sentence vectors encoded during a run for the next one."""
    texts, vectors = cache.kept()
    if texts:
        path = Path(folder) / "sentences.npz"
        np.savez(path, vectors=np.vstack(vectors))
        path.with_suffix(".json").write_text(json.dumps(texts), encoding="utf-8")


def memory_index(chunks: list[Chunk], vectors: np.ndarray, embedder, settings: Settings) -> Index:
    """An in-memory Index (FAISS + BM25) over ready passages and vectors."""
    import faiss

    from . import bm25

    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(np.ascontiguousarray(vectors, dtype=np.float32))
    lexical = bm25.build([c.embed_text() for c in chunks], settings=settings)
    manifest = Manifest(
        embedder.name, embedder.weights_sha256, vectors.shape[1], settings.chunk_tokens
    )
    manifest.chunks = len(chunks)
    return Index(Path("<memory>"), manifest, chunks, flat, lexical)


def document_run(
    index: Index,
    embedder,
    queries: dict[str, str],
    settings: Settings,
    depth: int = DEPTH,
    sentences=None,
) -> tuple[dict[str, dict[str, float]], list[float]]:
    """Top `depth` documents per query (a document scores as its best passage) and latencies.

    `sentences`: the second stage's sentence vectors (`stored_sentences`), shared by the queries.
    """
    run: dict[str, dict[str, float]] = {}
    latencies = []
    for qid, text in queries.items():
        started = time.perf_counter()
        with one_thread():
            qvec = embedder.encode_query(text)
            ranked = rank(index, embedder, qvec, text, settings, 3 * depth, sentences=sentences)
        run[qid] = dict(best_per_document(index, ranked)[:depth])
        latencies.append((time.perf_counter() - started) * 1000)
    return run, latencies


def score_run(qrels: dict[str, dict[str, int]], run: dict[str, dict[str, float]]) -> dict:
    """nDCG@10 and Recall@100 by pytrec_eval (trec_eval's definitions, as BEIR reports them).

    A judged query missing from the run scores 0.
    """
    try:
        import pytrec_eval
    except ImportError as exc:  # pragma: no cover - an install problem
        raise FieldGuideError(
            "BEIR scoring needs pytrec_eval - run: pip install pytrec-eval-terrier"
        ) from exc
    evaluator = pytrec_eval.RelevanceEvaluator(qrels, {"ndcg_cut.10", "recall.100"})
    per_query = evaluator.evaluate({qid: run.get(qid, {}) for qid in qrels})
    n = len(qrels) or 1
    return {
        "ndcg@10": round(sum(q["ndcg_cut_10"] for q in per_query.values()) / n, 4),
        "recall@100": round(sum(q["recall_100"] for q in per_query.values()) / n, 4),
    }


def write_run(path: Path, run: dict[str, dict[str, float]], tag: str = "fieldguide") -> None:
    """A TREC run file: `qid Q0 docid rank score tag`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for qid, docs in run.items():
            ranked = sorted(docs.items(), key=lambda pair: -pair[1])
            for rank, (did, score) in enumerate(ranked, start=1):
                handle.write(f"{qid} Q0 {did} {rank} {score:.6f} {tag}\n")


def run_config(settings: Settings) -> dict:
    """The settings that shape a ranking (recorded beside the metrics)."""
    from .search import RANKING_SETTINGS

    return {name: getattr(settings, name) for name in RANKING_SETTINGS}


def evaluate_beir(
    directory: Path, settings: Settings, embedder, cache: Path | None = None, progress=None
) -> BeirReport:
    """Index a BEIR corpus (cached), run every query, and score the run.

    Args:
        directory: BEIR folder (corpus.jsonl[.gz], queries.jsonl, qrels/test.tsv).
        settings: chunk size and ranking settings.
        embedder: encodes passages and queries.
        cache: folder for passage vectors and run files (default `default_cache()`).
        progress: optional callable(done, total) while embedding.

    Returns:
        A BeirReport; the run file is written under the cache folder.
    """
    data = load_beir(directory)
    cache = Path(cache or default_cache())
    started = time.perf_counter()
    chunks, vectors, _ = cached_passages(data, embedder, settings.chunk_tokens, cache, progress)
    index = memory_index(chunks, vectors, embedder, settings)
    index_seconds = time.perf_counter() - started
    folder = passage_cache(data, embedder, settings.chunk_tokens, cache)
    sentences = stored_sentences(embedder, folder) if settings.rerank == "sentences" else None
    run, latencies = document_run(index, embedder, data.queries, settings, sentences=sentences)
    if sentences is not None:
        save_sentences(sentences, folder)
    metrics = score_run(data.qrels, run)
    config = run_config(settings)
    tag = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:10]
    run_file = folder / f"run-{tag}.trec"
    write_run(run_file, run)
    return BeirReport(
        metrics["ndcg@10"],
        metrics["recall@100"],
        len(data.queries),
        str(run_file),
        round(index_seconds, 2),
        round(float(np.percentile(latencies, 50)), 2),
        round(float(np.percentile(latencies, 95)), 2),
        config,
    )
