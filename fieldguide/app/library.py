"""Library: the documents Field Guide answers from — add, remove, re-index, see what went wrong."""

from pathlib import Path

import streamlit as st

from fieldguide.app.shared import load_engine, load_model, problem_markdown, progress_bar, settings
from fieldguide.errors import FieldGuideError
from fieldguide.language import languages_note
from fieldguide.library import (
    add_uploaded_file,
    load_report,
    remove_from_library,
    update_library,
)
from fieldguide.present import document_rows, escape_markdown
from fieldguide.problems import SUPPORTED, TYPE_NAMES, Kind

TYPES = sorted(suffix.lstrip(".") for suffix in SUPPORTED)


def current_engine():
    """The engine, or None while the library is empty (this page must work then too)."""
    try:
        return load_engine()
    except FieldGuideError:
        return None


def rebuild(documents: dict, leave_out: set[str] = frozenset(), done: str = "") -> None:
    """Re-index with a progress bar, swap the new index in, and say what changed."""
    bar, progress = progress_bar("Updating the library…")
    try:
        serving = engine.index if engine is not None else None
        report = update_library(config, load_model(), documents, progress, leave_out, serving)
    except FieldGuideError as exc:
        st.session_state.library_notice = ("error", str(exc))
        return
    finally:
        bar.empty()
    if engine is not None:
        engine.reload()
    st.session_state.library_notice = (
        "success",
        done + f"Library updated: {len(report.added)} added, {len(report.updated)} changed, "
        f"{len(report.removed)} removed - {report.documents} documents, "
        f"{report.chunks} passages.",
    )


def add_files(files) -> None:
    saved, failed = [], []
    for upload in files:
        try:
            path, replaced = add_uploaded_file(config, upload.name, upload.getvalue())
            saved.append(f"{path.name} (replaced the earlier copy)" if replaced else path.name)
        except FieldGuideError as exc:
            failed.append((str(exc), getattr(exc, "kind", Kind.OTHER)))
    st.session_state.upload_failures = failed
    if saved:
        rebuild(documents, done=f"Saved {', '.join(saved)}. ")
    st.session_state.uploader = st.session_state.get("uploader", 0) + 1


config = settings()
engine = current_engine()
documents = engine.index.manifest.documents if engine else {}

st.title("Library")
st.caption(
    "The documents Field Guide answers from, kept in the folder "
    f"{escape_markdown(str(config.corpus.resolve()))} on this computer."
)

notice = st.session_state.pop("library_notice", None)
if notice:
    getattr(st, notice[0])(escape_markdown(notice[1]))
for message, kind in st.session_state.pop("upload_failures", []):
    st.error(problem_markdown(message, kind))

st.subheader(f"Documents ({len(documents)})")
if documents:
    st.dataframe(
        document_rows(documents),
        hide_index=True,
        width="stretch",
        column_config={
            "title": st.column_config.TextColumn("Title", width="large"),
            "file": "File",
            "pages": st.column_config.TextColumn("Pages", help="Only PDFs have pages"),
            "passages": st.column_config.NumberColumn("Passages"),
            "added": "Added",
            "read": st.column_config.TextColumn(
                "Read by", help="OCR: text recognised from a scan - check the original"
            ),
        },
    )
else:
    st.info("No documents yet. Add some below.")

report = load_report(config)
if report and report.problems:
    st.subheader("Files that could not be added")
    for n, problem in enumerate(report.problems):
        st.warning(problem_markdown(problem.message, problem.kind), icon=":material/warning:")
        if Path(problem.path).exists() and st.button(
            "Remove this file from the library folder", key=f"drop-{n}", icon=":material/delete:"
        ):
            remove_from_library(config, problem.path)
            rebuild(documents)
            st.rerun()

st.subheader("Add documents")
files = st.file_uploader(
    f"{TYPE_NAMES} files, up to {config.max_upload_mb} MB each",
    type=TYPES,
    accept_multiple_files=True,
    key=f"uploader-{st.session_state.get('uploader', 0)}",
    max_upload_size=config.max_upload_mb,
)
if st.button("Add to library", type="primary", disabled=not files):
    add_files(files)
    st.rerun()

if documents:
    st.subheader("Remove a document")
    doc_id = st.selectbox(
        "Document", list(documents), format_func=lambda d: documents[d].title or d
    )
    entry = documents[doc_id]
    sure = st.checkbox("Yes, remove it (its file is deleted from the library folder)")
    if st.button("Remove", disabled=not sure or len(documents) < 2):
        deleted = remove_from_library(config, entry.source)
        rebuild(documents, set() if deleted else {doc_id})
        st.rerun()
    if len(documents) < 2:
        st.caption("The library needs at least one document, so the last one cannot be removed.")

st.subheader("Languages")
built_model = engine.index.manifest.multilingual.get("model", "") if engine else ""
st.caption(escape_markdown(languages_note(config.languages, built_model)))

st.subheader("Re-index")
st.caption("Changed files in the library folder yourself? Pick up the changes here.")
if st.button("Re-index the library"):
    rebuild(documents)
    st.rerun()
