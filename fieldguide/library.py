"""Library: the app's documents — uploads, removals, re-indexing, re-reading one, the last build's
report."""

from __future__ import annotations

import re
from pathlib import Path

from .build import BuildReport, Problem, Progress, build_index, file_hash
from .config import Settings
from .ingest import Document
from .problems import Kind, check_size, check_type, document_error
from .sandbox import Parser
from .store import DocumentEntry

REPORT_FILE = "last-build.json"


def safe_file_name(name: str) -> str:
    """A plain file name for an upload: no folders, no hidden or odd characters, a known type.

    Raises:
        DocumentError: the file type is not one Field Guide reads.
    """
    import unicodedata

    base = re.split(r"[\\/]", unicodedata.normalize("NFKC", name))[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = "." + suffix.lower() if suffix else ""
    check_type(base or "the file", suffix)
    stem = re.sub(r"[^\w\- ()]+", "_", stem).strip(" ._-")[:100]
    return (stem or "document") + suffix


def add_uploaded_file(settings: Settings, name: str, data: bytes) -> tuple[Path, bool]:
    """Save an uploaded file into the corpus folder under a safe name.

    Returns:
        (the saved path, whether it replaced a file of the same name).

    Raises:
        DocumentError: unsupported type, empty, or over the upload size limit.
    """
    import os
    import tempfile

    safe = safe_file_name(name)
    if not data.strip():
        raise document_error(Kind.EMPTY, safe)
    check_size(safe, len(data), settings.max_upload_mb)
    folder = Path(settings.corpus)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe
    replaced = target.exists()
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, target)
    return target, replaced


def _inside(path: Path, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


def library_paths(settings: Settings, documents: dict[str, DocumentEntry]) -> list[Path]:
    """What the library holds: the corpus folder, plus indexed files kept outside it."""
    outside = [
        Path(entry.source)
        for entry in documents.values()
        if entry.source
        and Path(entry.source).is_file()
        and not _inside(Path(entry.source), settings.corpus)
    ]
    return [Path(settings.corpus), *outside]


def update_library(
    settings: Settings,
    embedder,
    documents: dict[str, DocumentEntry],
    progress: Progress | None = None,
    leave_out: set[str] = frozenset(),
    serving=None,
) -> BuildReport:
    """Re-index the library incrementally and record the report beside the index.

    Args:
        settings: corpus and index folders.
        embedder: the loaded model.
        documents: the serving index's manifest documents (to keep files indexed from elsewhere).
        progress: optional callable(stage, done, total).
        leave_out: document ids kept elsewhere that should no longer be indexed.
        serving: the index the app has open (a large one is then not read from disk again).
    """
    kept = {d: e for d, e in documents.items() if d not in leave_out}
    paths = library_paths(settings, kept)
    report = build_index(paths, settings, embedder, progress, serving=serving)
    save_report(settings, report)
    return report


def remove_from_library(settings: Settings, source: str) -> bool:
    """Delete the file at `source` if it is in the corpus folder; False if it lives elsewhere."""
    path = Path(source)
    if not path.name or not _inside(path, settings.corpus):
        return False
    path.unlink(missing_ok=True)
    return True


def save_report(settings: Settings, report: BuildReport) -> None:
    """Keep the last build's report (and its problems) beside the index."""
    import dataclasses
    import json
    import os

    path = Path(settings.index) / REPORT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(dataclasses.asdict(report), indent=2, ensure_ascii=False))
    os.replace(temporary, path)


def load_report(settings: Settings) -> BuildReport | None:
    """The last build's report, or None if none was recorded (or it is unreadable)."""
    import json

    try:
        data = json.loads((Path(settings.index) / REPORT_FILE).read_text())
        data["problems"] = [Problem(**p) for p in data.get("problems", [])]
        return BuildReport(**data)
    except (OSError, ValueError, TypeError):
        return None


def read_indexed_document(
    settings: Settings, doc_id: str, source: str, content_hash: str
) -> Document:
    """Read an indexed document again (in the sandbox) to show it whole.

    Args:
        settings: parse limits.
        doc_id: the document's id.
        source, content_hash: its file and the sha256 it had when indexed (`DocumentEntry`).

    Raises:
        DocumentError: the file is gone, or changed since it was indexed (offsets would not fit).
    """
    path = Path(source)
    if not path.is_file():
        raise document_error(Kind.GONE, path.name or doc_id)
    if file_hash(path) != content_hash:
        raise document_error(Kind.CHANGED, path.name)
    with Parser(timeout=settings.parse_timeout) as parser:
        return parser.read(path, doc_id)
