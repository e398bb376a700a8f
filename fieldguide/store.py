"""Store: the on-disk index (FAISS + BM25 + chunks + manifest), written atomically."""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import backends, bm25, milvus_store, passages
from . import vectors as vector_index
from .backends import MULTILINGUAL_VECTORS  # noqa: F401  (a build file's name, as before)
from .chunk import Chunk
from .errors import IndexMismatch, IndexNotFound

FORMAT_VERSION = 1
CHUNKER_VERSION = 2  # 2: numbered subsection titles ("3.2 Riverbend Warming Site") are headings
POINTER = "CURRENT"
MULTILINGUAL_SENTENCES = "multilingual-sentences.npy"
# start row of each chunk's sentences in every sentence-vector file, plus the end
SENTENCE_OFFSETS = "sentence-offsets.npy"


@dataclass
class DocumentEntry:
    """One indexed document as the manifest records it (these names are its JSON keys)."""

    hash: str  # sha256 of the file's bytes when it was indexed
    size: int = 0
    title: str = ""
    source: str = ""  # the file's path
    pages: int = 0  # PDF pages (0: a file without pages)
    added: str = ""  # YYYY-MM-DD it was first indexed
    chunks: int = 0
    reader: str = ""  # what produced the text: "pypdf", "pypdfium2", "tesseract" ("": plain)
    ocr_pages: list[int] = field(default_factory=list)  # pages whose text OCR recognised
    ocr: str = ""  # the OCR engine that read them ("tesseract 5.3.0 (eng+spa)")
    row: int = -1  # the build's row of its first passage (they are consecutive; -1: unknown)
    # the file's modification time when it was hashed (ns; 0: not to be trusted): a file of the
    # same path, size and time is not read again to find it unchanged
    mtime_ns: int = 0


@dataclass
class Manifest:
    """What an index was built from; checked when it is loaded."""

    model: str
    model_sha256: str
    dimension: int
    chunk_tokens: int
    chunker_version: int = CHUNKER_VERSION
    format_version: int = FORMAT_VERSION
    chunks: int = 0
    created: str = ""
    versions: dict[str, str] = field(default_factory=dict)
    documents: dict[str, DocumentEntry] = field(default_factory=dict)
    # BM25 parameters the lexical index was built with (None: the environment's defaults)
    bm25_k1: float | None = None
    bm25_b: float | None = None
    sentences: int = 0  # sentence vectors stored for the second stage and answers (0: none)
    # sha256 of every other file of the build: an edited, swapped or reordered file is refused
    # at load instead of pairing passages with the wrong vectors (a wrong citation)
    files: dict[str, str] = field(default_factory=dict)
    # the multilingual voice, when built: {"model", "model_sha256", "dimension", "sentences"}
    multilingual: dict = field(default_factory=dict)
    # the English model's encoder variant: {"variant": "fp32"} or {"variant": "int8",
    # "onnx_sha256": ...}; an index from before variants existed ({}) was built by fp32
    encoder: dict = field(default_factory=dict)
    # the FAISS index kind: "flat" (exact), or "hnsw" / "ivf" (approximate, a large build whose
    # passages are read lazily)
    vector_index: str = vector_index.FLAT
    # where the vectors and BM25 live: "faiss" (FAISS + bm25s files) or "milvus" (a collection)
    store: str = "faiss"
    milvus_collection: str = ""
    # mean BM25 tokens per passage (bm25s does not keep it): a segment's passages are scored
    # with it; 0 in builds from before it was kept
    bm25_avgdl: float = 0.0
    # a segment (`segments`): the whole build whose passages it extends, that build's
    # `created` (checked at load), and the base's documents it replaces or removes
    base: str = ""
    base_created: str = ""
    removed_documents: list[str] = field(default_factory=list)


@dataclass
class Voice:
    """One model's vectors of every passage (and sentence), row-aligned with the chunks."""

    model: str
    vectors: object  # a FAISS index (`vectors.build`)
    sentence_vectors: np.ndarray | None = None  # one row per sentence, in chunk order

    def dense(
        self, query_vector: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Top-k rows by cosine similarity (inner product of normalised vectors), only the
        `allowed` rows (a boolean mask) when given."""
        k = min(k, self.vectors.ntotal)
        if k <= 0:
            return []
        scores, rows = vector_index.search(self.vectors, query_vector, k, allowed)
        # FAISS pads with id -1 when fewer than k vectors exist
        return [(int(r), float(s)) for r, s in zip(rows, scores, strict=True) if r >= 0]

    def vectors_of(self, rows: list[int]) -> np.ndarray:
        """Stored vectors of some rows."""
        return vector_index.stored(self.vectors, rows)


@dataclass
class Index:
    """A loaded, read-only index. Never mutated: a rebuild writes a new one and swaps."""

    path: Path
    manifest: Manifest
    chunks: list[Chunk]
    vectors: object  # faiss.IndexFlatIP
    lexical: object  # bm25s.BM25
    # one row per sentence, in chunk order (`Chunk.sentence_texts`); None if built without them
    sentence_vectors: np.ndarray | None = None
    # the multilingual model's vectors of the same passages, when built and wanted
    multilingual: Voice | None = None
    # start row of each chunk's sentences, plus the end (None: derived from the chunks)
    sentence_offsets: np.ndarray | None = None

    def __post_init__(self):
        if self.sentence_offsets is None:  # an index built before the offsets were stored
            self.sentence_offsets = sentence_offsets(self.chunks)

    def sentence_rows(self, row: int) -> slice:
        """Where chunk `row`'s sentences (`Chunk.sentence_texts`, in order) sit in the sentence
        vectors of every model."""
        return slice(int(self.sentence_offsets[row]), int(self.sentence_offsets[row + 1]))

    @property
    def sentence_count(self) -> int:
        """Sentences of all the chunks: the rows of each sentence-vector table."""
        return int(self.sentence_offsets[-1])

    @property
    def main(self) -> Voice:
        """The English model's vectors as a Voice."""
        return Voice(self.manifest.model, self.vectors, self.sentence_vectors)

    def voice(self, model: str) -> Voice | None:
        """The vectors made by `model` (by name), or None when this index holds none."""
        if model == self.manifest.model:
            return self.main
        if self.multilingual is not None and model == self.multilingual.model:
            return self.multilingual
        return None

    def dense(self, query_vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Top-k rows by cosine similarity (inner product of normalised vectors)."""
        return self.main.dense(query_vector, k)

    def lexical_search(
        self, query: str, k: int, allowed: np.ndarray | None = None, also: list[int] = ()
    ) -> tuple[list[int], dict[int, float]]:
        """The top-k rows by BM25 that match `query` at all (only `allowed` ones when given),
        and the BM25 score of each of them and of the rows `also` asked for."""
        if hasattr(self.lexical, "lexical_search"):  # another backend's BM25
            return self.lexical.lexical_search(query, k, allowed, also)
        return top_lexical(bm25.scores(self.lexical, query), k, allowed, also)

    def rows_of(self, doc_id: str) -> Sequence[int]:
        """The rows of one document's passages, in order (a large build's from the manifest, a
        range; otherwise one pass over the passages, kept)."""
        entry = self.manifest.documents.get(doc_id)
        if self.large and entry is not None and entry.row >= 0:
            return range(entry.row, entry.row + entry.chunks)
        return self._rows_by_document.get(doc_id, [])

    def vocabulary(self):
        """(known, rarity) of stemmed terms over the passages' BM25 vocabulary: `known(term)`
        also accepts a near spelling or a shortening ("sac"); None for a backend whose
        vocabulary is not at hand."""
        lexical = self.lexical
        if not hasattr(lexical, "vocab_dict"):
            return None
        return (
            lambda term: (
                bm25.known(lexical, term)
                or bm25.spelled_like(lexical, term)
                or bool(bm25.abbreviated(lexical.vocab_dict, term))
            ),
            lambda term: bm25.rarity(lexical, term),
        )

    @functools.cached_property
    def _rows_by_document(self) -> dict[str, list[int]]:
        rows: dict[str, list[int]] = {}
        for row, chunk in enumerate(self.chunks):
            rows.setdefault(chunk.doc_id, []).append(row)
        return rows

    @functools.cached_property
    def lowercase_words(self) -> frozenset[str] | None:
        """Every word the passages write in lower case (None for a large build, whose passages
        are not all in memory): a word a question types in lower case that the passages never
        do is a name ("riverbend")."""
        if self.large:
            return None
        return frozenset(w for c in self.chunks for w in re.findall(r"\b[a-z][\w'’-]*", c.text))

    @property
    def large(self) -> bool:
        """A build with an approximate vector index, whose passages are read lazily."""
        return self.manifest.vector_index != vector_index.FLAT

    def vectors_of(self, rows: list[int]) -> np.ndarray:
        """Stored vectors of some rows (for reuse in an incremental rebuild)."""
        if not rows:
            return np.zeros((0, self.manifest.dimension), dtype=np.float32)
        return self.main.vectors_of(rows)


def top_lexical(
    scores: np.ndarray, k: int, allowed: np.ndarray | None, also
) -> tuple[list[int], dict[int, float]]:
    """`Index.lexical_search`'s answer from the BM25 score of every row."""
    if allowed is not None:
        scores = np.where(allowed, scores, 0.0)
    top = [int(r) for r in bm25.top_rows(scores, k) if scores[r] > 0]
    return top, {r: float(scores[r]) for r in dict.fromkeys([*top, *also])}


def sentence_offsets(chunks: list[Chunk]) -> np.ndarray:
    """Start row of each chunk's sentences in chunk order, plus the end (what a build stores)."""
    return np.cumsum([0] + [len(c.sentence_texts()) for c in chunks], dtype=np.int64)


def library_versions() -> dict[str, str]:
    """Versions of the libraries whose behaviour shapes the index."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    names = ("fieldguide", "faiss-cpu", "bm25s", "sentence-transformers", "torch", "pypdf")
    for name in (*names, "pypdfium2", "pytesseract"):
        with contextlib.suppress(PackageNotFoundError):
            out[name] = version(name)
    return out


@contextlib.contextmanager
def build_lock(index_dir: Path):
    """Hold an exclusive lock on the index folder while a build runs."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_index(
    index_dir: Path,
    manifest: Manifest,
    chunks: list[Chunk],
    vectors: np.ndarray,
    sentence_vectors: np.ndarray | None = None,
    multilingual: tuple[np.ndarray, np.ndarray] | None = None,
    layout: vector_index.Layout | None = None,
    store: tuple[str, str] | None = None,
) -> Path:
    """Write a complete new build, then make it current with one atomic rename.

    Args:
        index_dir: the index folder (holds CURRENT and builds/).
        manifest: settings and document hashes of this build (BM25 k1/b included).
        chunks: every chunk, row-aligned with `vectors`.
        vectors: normalised float32 vectors, shape (len(chunks), dimension).
        sentence_vectors: optional normalised vectors of every chunk's `sentence_texts()`,
            in order.
        multilingual: optional (passage vectors, sentence vectors) of the multilingual model,
            aligned like `vectors` and `sentence_vectors`; `manifest.multilingual` names it.
        layout: exact or approximate vector index by passage count (default: the settings').
        store: (backend, Milvus URI) of the vectors and BM25 (default: the settings').

    Returns:
        The new build's folder. Until the rename, the previous build keeps serving.
    """
    from .config import Settings

    settings = Settings.from_env() if layout is None or store is None else None
    layout = layout or vector_index.Layout.from_settings(settings)
    manifest.store, uri = store or (settings.store, settings.milvus_uri)
    manifest.vector_index = layout.kind_for(len(chunks))
    staging, name = new_staging(index_dir)
    write_rows(staging, manifest, chunks, sentence_vectors, multilingual)
    if manifest.store == "milvus":
        backends.write_milvus(staging, name, uri, manifest, chunks, vectors, multilingual)
    else:
        backends.write_faiss(staging, manifest, chunks, vectors, multilingual)
    return publish(index_dir, staging, name, manifest)


def write_rows(
    staging: Path,
    manifest: Manifest,
    chunks: list[Chunk],
    sentence_vectors: np.ndarray | None,
    multilingual: tuple[np.ndarray, np.ndarray] | None,
) -> None:
    """What every build (a segment too) holds beside its search structures: the passages, their
    sentence offsets and each model's sentence vectors, and the manifest's counts of them."""
    offsets = sentence_offsets(chunks)
    with open(staging / SENTENCE_OFFSETS, "wb") as handle:
        np.save(handle, offsets)
    if multilingual is not None:
        write_voice(staging, manifest, len(chunks), int(offsets[-1]), *multilingual)
    else:
        manifest.multilingual = {}
    manifest.sentences = 0
    if sentence_vectors is not None and len(chunks):
        expected = int(offsets[-1])
        if len(sentence_vectors) != expected:  # never publish an index that cannot load
            raise ValueError(f"{len(sentence_vectors)} sentence vectors for {expected} sentences")
        with open(staging / "sentences.npy", "wb") as handle:
            np.save(handle, np.ascontiguousarray(sentence_vectors, dtype=np.float32))
        manifest.sentences = len(sentence_vectors)
    write_passages(staging, chunks)
    manifest.chunks = len(chunks)
    first_rows(manifest, chunks)


def new_staging(index_dir: Path) -> tuple[Path, str]:
    """A new build's staging folder (renamed into place by `publish`) and the build's name."""
    builds = index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    name = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:8]
    staging = builds / (name + ".partial")
    staging.mkdir()
    return staging, name


def write_passages(staging: Path, chunks) -> None:
    """chunks.jsonl and the byte offset of each of its lines."""
    text, line_offsets = passages.encode(chunks)
    _write_file(staging / passages.CHUNKS, text)
    with open(staging / passages.CHUNK_OFFSETS, "wb") as handle:
        np.save(handle, line_offsets)


def first_rows(manifest: Manifest, chunks) -> None:
    """Each document's first row, when its passages are consecutive (as builds write them)."""
    spans: dict[str, list[int]] = {}  # first row, last row, passages
    for row, chunk in enumerate(chunks):
        span = spans.setdefault(chunk.doc_id, [row, row, 0])
        span[1], span[2] = row, span[2] + 1
    for doc_id, entry in manifest.documents.items():
        first, last, count = spans.get(doc_id, (0, -1, 0))
        entry.row = first if count == entry.chunks == last - first + 1 else -1


def publish(index_dir: Path, staging: Path, name: str, manifest: Manifest) -> Path:
    """Hash and fsync a staged build, rename it into place, then point CURRENT at it."""
    builds = staging.parent
    manifest.created = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    manifest.files = {
        path.relative_to(staging).as_posix(): sha256(path)
        for path in sorted(staging.rglob("*"))
        if path.is_file() and milvus_store.FOLDER not in path.relative_to(staging).parts
    }
    _write_file(
        staging / "manifest.json",
        json.dumps(dataclasses.asdict(manifest), indent=2, ensure_ascii=False).encode(),
    )
    for path in [*staging.rglob("*")]:
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    for folder in ("bm25", milvus_store.FOLDER):
        if (staging / folder).is_dir():
            _fsync_dir(staging / folder)
    _fsync_dir(staging)
    final = builds / name
    os.rename(staging, final)
    _fsync_dir(builds)
    pointer_tmp = index_dir / (POINTER + ".tmp")
    _write_file(pointer_tmp, name.encode())
    try:
        replaced = (index_dir / POINTER).read_text().strip()
    except (OSError, ValueError):
        replaced = ""
    os.replace(pointer_tmp, index_dir / POINTER)
    _fsync_dir(index_dir)
    # keep the build just replaced (not the one whose name sorts before ours: names made in the
    # same second sort at random): a reader that read CURRENT a moment ago may still be loading it
    _prune(builds, keep={name, replaced})
    return final


def write_voice(
    staging: Path, manifest: Manifest, chunks: int, expected: int, passage_vectors, sentences
) -> None:
    """The multilingual model's sentence vectors (npy) of this build, after checking counts."""
    if len(passage_vectors) != chunks or len(sentences) != expected:
        raise ValueError(
            f"{len(passage_vectors)}/{len(sentences)} multilingual vectors for "
            f"{chunks} passages/{expected} sentences"
        )
    with open(staging / MULTILINGUAL_SENTENCES, "wb") as handle:
        np.save(handle, np.ascontiguousarray(sentences, dtype=np.float32))
    manifest.multilingual["sentences"] = len(sentences)


def _prune(builds: Path, keep: set[str]) -> None:
    """Drop old builds and leftovers of crashed ones; keep the current and previous build, and
    the build each of them extends (a segment's base)."""
    keep = keep | {base for name in keep if (base := _base_of(builds / name))}
    for path in builds.iterdir():
        if path.name not in keep:
            milvus_store.release(path)
            shutil.rmtree(path, ignore_errors=True)


def _base_of(build: Path) -> str:
    """The name of the build that `build` extends ("" for a whole build or an unreadable one)."""
    try:
        return str(json.loads((build / "manifest.json").read_text()).get("base") or "")
    except (OSError, ValueError, AttributeError):
        return ""


def current_build(index_dir: Path) -> Path:
    """The folder of the build that CURRENT points at."""
    pointer = Path(index_dir) / POINTER
    try:
        name = pointer.read_text().strip()
    except FileNotFoundError:
        raise IndexNotFound(f"No index in {index_dir} yet - run: fieldguide index") from None
    except (OSError, ValueError):  # unreadable or not text: reported as damaged below
        name = ""
    build = Path(index_dir) / "builds" / name
    if not name or "/" in name or not build.is_dir():
        raise IndexMismatch(
            f"The index in {index_dir} is damaged (its current build is "
            "missing) - rebuild it with: fieldguide index"
        )
    return build


def load_index(
    index_dir: Path,
    model: str,
    model_sha256: str,
    dimension: int,
    multilingual: tuple[str, str, int] | None = None,
    encoder: dict | None = None,
    reuse: Index | None = None,
) -> Index:
    """Load the current build and check it matches the configured model(s).

    Args:
        index_dir: the index folder.
        model, model_sha256, dimension: the English model the index must have been built with.
        multilingual: (name, sha256, dimension) of the installed multilingual model when its
            vectors are wanted; an index built without them loads without them.
        encoder: the English model's encoder variant (`Manifest.encoder`) the index must have
            been built with; None checks none.
        reuse: an index already open (the one serving); when the current build is a segment
            over the same base build, that base is taken from it instead of read again.

    Raises:
        IndexNotFound: nothing built yet.
        IndexMismatch: corrupt files, or built with another model or format.
    """
    build = current_build(Path(index_dir))
    if reuse is not None and reuse.path == build:  # builds never change once written
        return reuse
    checks = (index_dir, model, model_sha256, dimension, multilingual, encoder)
    return _open_build(build, checks, reuse)


def _open_build(build: Path, checks: tuple, reuse: Index | None = None) -> Index:
    """One build folder, checked (`checks`: `load_index`'s arguments); a segment with its base."""
    index_dir, model, model_sha256, dimension, multilingual, encoder = checks
    damaged = f"The index in {index_dir} is damaged - rebuild it with: fieldguide index"
    try:
        raw = json.loads((build / "manifest.json").read_text())
        manifest = Manifest(**raw)
        manifest.documents = {d: DocumentEntry(**e) for d, e in manifest.documents.items()}
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise IndexMismatch(f"{damaged} (manifest unreadable: {exc})") from None
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatch(
            f"The index in {index_dir} has an older format - rebuild it with: fieldguide index"
        )
    if (manifest.model, manifest.dimension) != (model, dimension) or (
        model_sha256 and manifest.model_sha256 != model_sha256
    ):
        raise IndexMismatch(
            f"The index in {index_dir} was built with model {manifest.model} "
            f"({manifest.dimension}-d), not {model} ({dimension}-d) - rebuild "
            "it with: fieldguide index"
        )
    built_by = manifest.encoder or {"variant": "fp32"}
    if encoder is not None and built_by != encoder:
        raise IndexMismatch(
            f"The index in {index_dir} was built with the {built_by.get('variant')} encoder "
            f"({str(built_by.get('onnx_sha256', ''))[:12] or 'torch'}), not the configured "
            f"{encoder.get('variant')} ({str(encoder.get('onnx_sha256', ''))[:12] or 'torch'}) - "
            "rebuild it with: fieldguide index"
        )
    if manifest.base:
        from . import segments

        base = segments.reusable_base(reuse, build.parent / manifest.base)
        if base is None:
            base = _open_build(build.parent / manifest.base, checks)
        return segments.open_segment(build, manifest, base, damaged)
    try:
        changed = [n for n, digest in manifest.files.items() if sha256(build / n) != digest]
        if changed:
            raise IndexMismatch(f"{damaged} ({', '.join(changed)} changed after it was written)")
        large = manifest.vector_index != vector_index.FLAT
        chunks = read_chunks(build, large)
        wanted = multilingual and manifest.multilingual
        if wanted:
            _check_multilingual(index_dir, manifest.multilingual, multilingual)
        vectors, voice_vectors, lexical = backends.open_search(build, manifest, bool(wanted))
        offsets = None  # absent from builds made before it was stored: derived from the chunks
        if SENTENCE_OFFSETS in manifest.files:
            offsets = np.load(build / SENTENCE_OFFSETS, allow_pickle=False)
        sentences = None
        if manifest.sentences:  # read where the second stage needs them, never all at once
            sentences = np.load(build / "sentences.npy", mmap_mode="r", allow_pickle=False)
        voice = None
        if wanted:
            voice = Voice(
                manifest.multilingual["model"],
                voice_vectors,
                np.load(build / MULTILINGUAL_SENTENCES, mmap_mode="r", allow_pickle=False),
            )
    except (OSError, ValueError, TypeError, KeyError, RuntimeError, AttributeError) as exc:
        raise IndexMismatch(f"{damaged} ({type(exc).__name__})") from None
    if not (len(chunks) == vectors.ntotal == manifest.chunks) or vectors.d != dimension:
        raise IndexMismatch(f"{damaged} (chunks, vectors and manifest disagree)")
    if vector_index.kind_of(vectors) != manifest.vector_index:
        raise IndexMismatch(f"{damaged} (vector index and manifest disagree)")
    documents = lexical.num_docs if hasattr(lexical, "num_docs") else lexical.scores["num_docs"]
    if len(chunks) and int(documents) != len(chunks):
        raise IndexMismatch(f"{damaged} (BM25 and chunks disagree)")
    if large:  # every file's hash matched: the counts the manifest keeps must add up
        derived = offsets
        if derived is None or sum(e.chunks for e in manifest.documents.values()) != len(chunks):
            raise IndexMismatch(f"{damaged} (passages and manifest disagree)")
    elif not {c.doc_id for c in chunks} <= set(manifest.documents):
        raise IndexMismatch(f"{damaged} (passages of documents the manifest does not list)")
    else:
        derived = sentence_offsets(chunks)
    if offsets is not None and not (
        offsets.dtype.kind in "iu"
        and len(offsets) == len(chunks) + 1
        and np.array_equal(offsets, derived)
    ):
        raise IndexMismatch(f"{damaged} (sentence offsets and passages disagree)")
    if sentences is not None and (
        sentences.shape != (manifest.sentences, dimension) or derived[-1] != manifest.sentences
    ):
        raise IndexMismatch(f"{damaged} (sentence vectors and passages disagree)")
    if voice is not None and (
        voice.vectors.ntotal != len(chunks)
        or voice.sentence_vectors.shape != (manifest.multilingual["sentences"], voice.vectors.d)
        or derived[-1] != len(voice.sentence_vectors)
    ):
        raise IndexMismatch(f"{damaged} (multilingual vectors and passages disagree)")
    return Index(build, manifest, chunks, vectors, lexical, sentences, voice, derived)


def _check_multilingual(index_dir: Path, built: dict, installed: tuple[str, str, int]) -> None:
    name, sha256, dimension = installed
    if (built.get("model"), built.get("dimension")) != (name, dimension) or (
        sha256 and built.get("model_sha256") != sha256
    ):
        raise IndexMismatch(
            f"The index in {index_dir} was built with multilingual model "
            f"{built.get('model')} ({str(built.get('model_sha256', ''))[:12]}), not the installed "
            f"{name} ({sha256[:12]}) - rebuild it with: fieldguide index"
        )


def read_chunks(build: Path, lazy: bool):
    """The build's passages: parsed now, or (a large build) read from disk when asked for."""
    if not lazy:
        return passages.read_all(build / passages.CHUNKS)
    line_offsets = np.load(build / passages.CHUNK_OFFSETS, allow_pickle=False)
    return passages.Passages(build / passages.CHUNKS, line_offsets)
