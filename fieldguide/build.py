"""Build: the index from folders of documents (ingest → chunk → embed → store), reusing the
unchanged ones from the serving index."""

from __future__ import annotations

import copy
import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import segments
from .chunk import Chunk, chunk_document
from .config import Settings
from .errors import DocumentError, FieldGuideError, IndexMismatch, IndexNotFound
from .ingest import Document
from .problems import Kind, check_size, check_type, document_error
from .sandbox import Parser
from .store import (
    CHUNKER_VERSION,
    DocumentEntry,
    Index,
    Manifest,
    build_lock,
    library_versions,
    load_index,
)
from .store import write_index as store_write

Progress = Callable[[str, int, int], None]


@dataclass
class Problem:
    """A file that was skipped, and why: in plain words, and as a `problems.Kind`."""

    path: str
    message: str
    kind: str = Kind.OTHER  # reports saved before kinds existed have none


@dataclass
class BuildReport:
    """What a build did."""

    index: str
    documents: int
    chunks: int
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


# controls and bidi overrides in a file name could forge extra lines or reverse a message
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def _printable(message: str) -> str:
    """A message as one line of plain characters ("?" for each control or bidi character)."""
    return _UNPRINTABLE.sub("?", message)


def collect_files(paths: list[Path]) -> list[Path]:
    """Files under `paths`: folders searched recursively, hidden files skipped."""
    files: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            files.append(path)
            continue
        found: list[tuple[tuple[str, ...], str]] = []  # (parts under `path`, full path)
        _walk(str(path), (), found)
        files += [Path(full) for _, full in sorted(found)]  # in Path order: part by part
    return list(dict.fromkeys(files))


def _walk(folder: str, inside: tuple[str, ...], found: list) -> None:
    """The files under `folder`, hidden ones and hidden folders' skipped (`os.scandir`: the
    directory entry says what each is, without a stat per file on most file systems)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                _walk(entry.path, (*inside, entry.name), found)
            elif entry.is_file():
                found.append(((*inside, entry.name), entry.path))


def assign_ids(files: list[Path]) -> dict[Path, str]:
    """Stable document ids: the file stem, made unique with the suffix when stems collide."""
    ids: dict[Path, str] = {}
    taken: set[str] = set()
    for path in files:
        base = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "document"
        doc_id = base
        if doc_id in taken:
            doc_id = f"{base}-{path.suffix.lstrip('.').lower()}"
        n = 2
        while doc_id in taken:
            doc_id, n = f"{base}-{n}", n + 1
        taken.add(doc_id)
        ids[path] = doc_id
    return ids


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes: what the manifest records per document."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def voice_spec(embedder) -> tuple[str, str, int] | None:
    """(name, sha256, dimension) of a model, as `load_index` checks it; None for no model."""
    if embedder is None:
        return None
    return embedder.name, embedder.weights_sha256, embedder.dimension


def multilingual_for(settings: Settings, multilingual=None):
    """The multilingual model when the settings ask for languages beyond English, else None.

    Raises:
        FieldGuideError: a language the detector does not know.
    """
    if not settings.multilingual:
        return None
    from .language import unknown_languages

    unknown = unknown_languages(settings.languages)
    if unknown:
        raise FieldGuideError(
            f"FIELDGUIDE_LANGUAGES: the language detector knows no language "
            f"{', '.join(repr(code) for code in unknown)} (use ISO 639-1 codes such as en,es)"
        )
    if multilingual is None:
        from .embed import multilingual_embedder

        multilingual = multilingual_embedder()
    return multilingual


def load_for(settings: Settings, embedder, multilingual=None, reuse: Index | None = None) -> Index:
    """The settings' serving index, checked against these models (`reuse`: an index already
    open, whose build, or base build, is not read again when it is the current one's).

    Raises:
        IndexNotFound: nothing built yet.
        IndexMismatch: damaged, or built by other models.
    """
    return load_index(
        settings.index,
        embedder.name,
        embedder.weights_sha256,
        embedder.dimension,
        voice_spec(multilingual),
        embedder.encoder,
        reuse,
    )


def previous_index(
    settings: Settings, embedder, multilingual=None, serving: Index | None = None
) -> Index | None:
    """The serving index if it can be reused for an incremental build, else None.

    Its multilingual vectors are reused only when they were made by `multilingual` itself.
    """
    try:
        index = load_for(settings, embedder, multilingual, serving)
    except IndexMismatch:
        if multilingual is None:
            return None
        # built by another multilingual model: its English vectors may still be reused
        return previous_index(settings, embedder, None)
    except IndexNotFound:
        return None
    m = index.manifest
    if m.chunk_tokens != settings.chunk_tokens or m.chunker_version != CHUNKER_VERSION:
        return None
    return index


def build_index(
    paths: list[Path],
    settings: Settings,
    embedder,
    progress: Progress | None = None,
    multilingual=None,
    serving: Index | None = None,
) -> BuildReport:
    """Index the documents under `paths`, reusing unchanged ones from the serving index.

    A change to a large build is written as a segment beside it (`segments`), in seconds.

    Args:
        paths: files or folders; the new index holds exactly the readable documents found.
        settings: index folder, chunk size, parse limits.
        embedder: provides name, dimension, weights_sha256, count_tokens and encode.
        progress: optional callable(stage, done, total).
        multilingual: the multilingual model (default: the packaged one, when the settings'
            languages go beyond English).
        serving: the index the caller has open, if any: not read from disk again.

    Returns:
        A BuildReport; per-file problems are listed in it, never raised.

    Raises:
        FieldGuideError: no document at all could be indexed (the serving index is kept).
    """
    started = time.monotonic()
    report = BuildReport(str(settings.index), 0, 0)
    with build_lock(settings.index):
        multilingual = multilingual_for(settings, multilingual)
        prev = previous_index(settings, embedder, multilingual, serving)
        prev_docs = prev.manifest.documents if prev else {}
        files = collect_files(paths)
        ids = assign_ids(files)
        kept: dict[str, tuple[DocumentEntry, list[int]]] = {}
        fresh: list[tuple[Document, DocumentEntry]] = []
        with Parser(timeout=settings.parse_timeout) as parser:
            for done, path in enumerate(files, start=1):
                if progress:
                    progress("reading", done, len(files))
                doc_id = ids[path]
                try:
                    old = prev_docs.get(doc_id)
                    entry = _check_file(path, settings.max_upload_mb, old)
                    if old and old.hash == entry.hash:
                        rows = prev.rows_of(doc_id)  # not a scan per document
                        same = copy.copy(old)  # (dataclasses.replace: 10x slower, per file)
                        same.source, same.mtime_ns = str(path), entry.mtime_ns
                        kept[doc_id] = (same, rows)
                        report.unchanged.append(doc_id)
                        continue
                    doc = parser.read(path, doc_id, _page_progress(progress))
                except DocumentError as exc:
                    report.problems.append(Problem(str(path), _printable(str(exc)), exc.kind))
                    continue
                entry.title, entry.source, entry.pages = doc.title, str(path), len(doc.pages)
                entry.reader, entry.ocr_pages, entry.ocr = doc.reader, doc.ocr_pages, doc.ocr
                entry.added = (old.added if old else "") or time.strftime("%Y-%m-%d")
                fresh.append((doc, entry))
                (report.updated if old else report.added).append(doc_id)
        if not kept and not fresh:
            skipped = "; ".join(p.message for p in report.problems) or "no supported files found"
            raise FieldGuideError(
                f"No document could be indexed; the existing index was kept ({skipped})"
            )
        report.removed = sorted(set(prev_docs) - set(kept) - {d.doc_id for d, _ in fresh})
        if segments.accepts(prev, settings, multilingual):
            final, documents = _write_segment(
                prev, kept, fresh, settings, embedder, multilingual, progress
            )
        else:
            built = _assemble(prev, kept, fresh, settings, embedder, multilingual, progress)
            documents = built.manifest.documents
            final = store_write(
                settings.index,
                built.manifest,
                built.chunks,
                built.vectors,
                built.sentences,
                built.multilingual,
            )
    report.index, report.documents = str(final), len(documents)
    report.chunks = sum(e.chunks for e in documents.values())
    report.seconds = round(time.monotonic() - started, 2)
    return report


def _write_segment(prev: Index, kept, fresh, settings, embedder, multilingual, progress):
    """The change as a segment over `prev`'s base; merged into a whole build when the segment
    grows past its share of the base. Returns (the new build's folder, the documents it serves)."""
    base = segments.base_of(prev)
    carried = {d: v for d, v in kept.items() if segments.in_segment(prev, d)}
    served = set(kept) - set(carried)
    removed = sorted(set(base.manifest.documents) - served)
    built = _assemble(prev, carried, fresh, settings, embedder, multilingual, progress)
    final = segments.write_segment(
        settings.index,
        base,
        built.manifest,
        built.chunks,
        built.vectors,
        built.sentences,
        removed,
        built.multilingual,
        segments.hidden_terms(prev, base, removed),
    )
    if not segments.oversized(base, len(built.chunks), removed):
        return final, segments.served_documents(base.manifest, built.manifest)
    whole = segments.merge(load_for(settings, embedder, multilingual, base))
    return store_write(settings.index, **whole), whole["manifest"].documents


def _page_progress(progress: Progress | None):
    """The parser's per-page OCR callback, reported as the stage "recognising"."""
    return (lambda page, pages: progress("recognising", page, pages)) if progress else None


# a file changed this close to its hashing may change again within the same mtime tick
SETTLED_NS = 2_000_000_000


def _check_file(path: Path, limit_mb: int, old: DocumentEntry | None = None) -> DocumentEntry:
    """The file's hash and size (and time, once settled); `old`'s hash, unread, when the file
    has the path, size and modification time it had when `old` was hashed (as git does)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise document_error(Kind.MISSING, str(path)) from None
    except OSError:
        stat = None
    check_type(path.name, path.suffix)
    try:
        if stat is None:
            stat = path.stat()  # raises again, for the message below
        size = stat.st_size
        check_size(path.name, size, limit_mb)
        if (
            old is not None
            and old.mtime_ns
            and (old.source, old.size, old.mtime_ns) == (str(path), size, stat.st_mtime_ns)
        ):
            return DocumentEntry(old.hash, size, mtime_ns=old.mtime_ns)
        digest = file_hash(path)
        settled = time.time_ns() - stat.st_mtime_ns > SETTLED_NS
        return DocumentEntry(digest, size, mtime_ns=stat.st_mtime_ns if settled else 0)
    except OSError as exc:
        reason = exc.strerror or exc
        raise document_error(Kind.CANNOT_OPEN, path.name, reason=reason) from exc


@dataclass
class _Assembled:
    """Everything a build writes, row-aligned with `chunks`."""

    manifest: Manifest
    chunks: list[Chunk]
    vectors: np.ndarray
    sentences: np.ndarray | None
    multilingual: tuple[np.ndarray, np.ndarray] | None


def _assemble(prev, kept, fresh, settings, embedder, multilingual, progress) -> _Assembled:
    """Chunk and embed new documents; carry unchanged ones over with their stored vectors.

    Every vector set is in chunk order: the kept passages first, then the new ones.
    """
    chunks: list[Chunk] = []
    parts: list[np.ndarray] = []
    sentence_parts: list[np.ndarray] = []
    documents: dict[str, DocumentEntry] = {}
    # sentence vectors serve the second stage (and answers); without it, builds skip them
    store_sentences = settings.rerank == "sentences"
    reuse = store_sentences and prev is not None and prev.sentence_vectors is not None
    stale: list[Chunk] = []  # kept passages whose sentences were not stored: encoded again
    kept_rows: list[int] = []
    for doc_id, (entry, rows) in kept.items():
        chunks += [prev.chunks[r] for r in rows]
        kept_rows += rows
        parts.append(prev.vectors_of(rows))
        if reuse:
            sentence_parts += [prev.sentence_vectors[prev.sentence_rows(r)] for r in rows]
        elif store_sentences:
            stale += [prev.chunks[r] for r in rows]
        documents[doc_id] = entry
    new_chunks: list[Chunk] = []
    for doc, entry in fresh:
        doc_chunks = chunk_document(doc, embedder.count_tokens, settings.chunk_tokens)
        entry.chunks = len(doc_chunks)
        documents[doc.doc_id] = entry
        new_chunks += doc_chunks
    # a changed document's passages whose text is as before keep their vectors (an edit to one
    # section of a long document re-embeds that section)
    same = [None] * len(new_chunks)
    if prev is not None and (reuse or not store_sentences):
        same = _unchanged_passages(prev, [doc.doc_id for doc, _ in fresh], new_chunks)
    encode = [c for c, row in zip(new_chunks, same, strict=True) if row is None]
    passages = [c.embed_text() for c in encode]
    sentences = [t for c in stale + encode for t in c.sentence_texts()] if store_sentences else []
    # the multilingual voice: reused whole from a build by the same model, else encoded again
    voice = prev.multilingual if prev is not None and multilingual is not None else None
    voice_chunks = encode if voice is not None else chunks + new_chunks
    voice_work = (
        (
            [c.embed_text() for c in voice_chunks],
            [t for c in voice_chunks for t in c.sentence_texts()],
        )
        if multilingual is not None
        else ([], [])
    )
    total = len(passages) + len(sentences) + sum(map(len, voice_work))
    if progress:
        progress("embedding", 0, total)

    def _progress(offset):
        return (lambda done, _: progress("embedding", offset + done, total)) if progress else None

    encoded = embedder.encode(passages, progress=_progress(0))
    parts.append(_in_order(same, encoded, prev.vectors_of if prev is not None else None))
    # in chunk order: the kept passages' (reused, or encoded here when stale), then the new ones'
    encoded = embedder.encode(sentences, progress=_progress(len(passages)))
    stale_rows = sum(len(c.sentence_texts()) for c in stale)
    sentence_parts.append(encoded[:stale_rows])
    if store_sentences:
        sentence_parts += _sentences_in_order(
            prev, prev.sentence_vectors if prev is not None else None, new_chunks, same,
            encoded[stale_rows:],
        )  # fmt: skip
    voice_vectors = None
    if multilingual is not None:
        offset = len(passages) + len(sentences)
        voice_passages = multilingual.encode(voice_work[0], progress=_progress(offset))
        voice_sentences = multilingual.encode(
            voice_work[1], progress=_progress(offset + len(voice_work[0]))
        )
        if voice is not None:
            voice_passages = np.vstack(
                [voice.vectors_of(kept_rows), _in_order(same, voice_passages, voice.vectors_of)]
            )
            old = [voice.sentence_vectors[prev.sentence_rows(r)] for r in kept_rows]
            new = _sentences_in_order(
                prev, voice.sentence_vectors, new_chunks, same, voice_sentences
            )
            voice_sentences = np.vstack([*old, *new]) if old or new else voice_sentences
        voice_vectors = (voice_passages, voice_sentences)
    chunks += new_chunks
    dim = (0, embedder.dimension)
    vectors = np.vstack(parts) if parts else np.zeros(dim, np.float32)
    sentence_vectors = np.vstack(sentence_parts) if store_sentences else None
    manifest = Manifest(
        model=embedder.name,
        model_sha256=embedder.weights_sha256,
        dimension=embedder.dimension,
        chunk_tokens=settings.chunk_tokens,
        versions=library_versions(),
        documents=dict(sorted(documents.items())),
        bm25_k1=settings.bm25_k1,
        bm25_b=settings.bm25_b,
        encoder=embedder.encoder,
        multilingual=(
            {
                "model": multilingual.name,
                "model_sha256": multilingual.weights_sha256,
                "dimension": multilingual.dimension,
            }
            if multilingual is not None
            else {}
        ),
    )
    return _Assembled(manifest, chunks, vectors, sentence_vectors, voice_vectors)


def _unchanged_passages(prev: Index, doc_ids: list[str], chunks: list[Chunk]) -> list:
    """For each of `chunks`, the row in `prev` of a passage of the same document with the same
    text to embed and the same sentences (its vectors are these chunks'), else None."""
    rows: dict[tuple, int] = {}
    for doc_id in doc_ids:
        for row in prev.rows_of(doc_id):
            old = prev.chunks[row]
            rows.setdefault((old.doc_id, old.embed_text(), tuple(old.sentence_texts())), row)
    return [rows.get((c.doc_id, c.embed_text(), tuple(c.sentence_texts()))) for c in chunks]


def _in_order(same: list, encoded: np.ndarray, stored) -> np.ndarray:
    """Vectors of passages in order: the stored ones (`stored(rows)`) where `same` gives a row,
    the encoded ones (in order) elsewhere."""
    if all(row is None for row in same):
        return encoded
    reused = np.array([row is not None for row in same])
    out = np.zeros((len(same), encoded.shape[1]), dtype=np.float32)
    out[reused] = stored([row for row in same if row is not None])
    out[~reused] = encoded
    return out


def _sentences_in_order(prev, table, chunks, same, encoded) -> list[np.ndarray]:
    """Sentence vectors of `chunks`, one block each: a reused passage's rows of `table`, the
    others' next rows of `encoded` (theirs, in order)."""
    blocks, at = [], 0
    for chunk, row in zip(chunks, same, strict=True):
        if row is not None:
            blocks.append(np.asarray(table[prev.sentence_rows(row)]))
            continue
        count = len(chunk.sentence_texts())
        blocks.append(encoded[at : at + count])
        at += count
    return blocks


def ensure_index(
    settings: Settings, embedder, progress: Progress | None = None
) -> BuildReport | None:
    """Build the index from the corpus folder if none exists yet; None when one already does."""
    from .store import current_build

    try:
        current_build(settings.index)
        return None
    except IndexNotFound:
        return build_index([settings.corpus], settings, embedder, progress)
