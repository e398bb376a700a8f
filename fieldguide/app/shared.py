"""What every page shares: the loaded model and engine, the session's pack, passage cards."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from fieldguide import embed
from fieldguide.build import ensure_index
from fieldguide.config import Settings
from fieldguide.engine import Engine
from fieldguide.errors import DocumentError, FieldGuideError
from fieldguide.export import Pack, item_from_hit
from fieldguide.library import read_indexed_document, save_report
from fieldguide.present import (
    citation_label,
    describe_problem,
    escape_markdown,
    highlight_markdown,
    progress_text,
    reading_start,
)
from fieldguide.resources import build_directory
from fieldguide.store import DocumentEntry
from fieldguide.strings import text

LIBRARY_PAGE = str(Path(__file__).with_name("library.py"))
STAGES = {
    "reading": "Reading documents",
    "recognising": "Recognising text in scanned pages",
    "embedding": "Indexing passages",
}


def settings() -> Settings:
    """Current settings (environment variables over defaults)."""
    return Settings.from_env()


@st.cache_resource(show_spinner="Loading the language model…")
def load_model():
    """The embedding model, loaded once and shared by every session."""
    return embed.default_embedder(settings())


def progress_bar(text: str = "Preparing the documents…"):
    """A progress bar and the callback(stage, done, total) that library builds report to."""
    bar = st.progress(0.0, text=text)
    started: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        label = STAGES.get(stage, stage.capitalize())
        elapsed = time.monotonic() - started.setdefault(stage, time.monotonic())
        bar.progress(
            done / total if total else 1.0, text=progress_text(label, done, total, elapsed)
        )

    return bar, progress


@st.cache_resource(show_spinner=False)
def load_engine() -> Engine:
    """Model and index, loaded once and shared by every session (built on first start)."""
    current = settings()
    bar, progress = progress_bar()
    report = ensure_index(current, load_model(), progress)
    if report is not None:
        save_report(current, report)
    bar.empty()
    return Engine.open(current, load_model())


def engine_or_stop() -> Engine:
    """The engine, or a plain message and a way to the Library page when there is none."""
    try:
        return load_engine()
    except FieldGuideError as exc:
        st.error(str(exc))
        st.page_link(
            LIBRARY_PAGE, label="Add documents on the Library page", icon=":material/library_books:"
        )
        st.stop()


def pack() -> Pack:
    """The workshop pack of this session."""
    if "pack" not in st.session_state:
        st.session_state.pack = Pack()
    return st.session_state.pack


@st.cache_resource(max_entries=4, show_spinner="Collecting phone numbers and hotlines…")
def directory(build: str, _index) -> list:
    """The resources directory of one index build (rebuilt when the index changes)."""
    return build_directory(_index.chunks)


@st.cache_data(max_entries=16, show_spinner="Opening the document…")
def document_text(doc_id: str, source: str, content_hash: str) -> str:
    """A document's normalised text, read again from its file in the sandbox."""
    return read_indexed_document(settings(), doc_id, source, content_hash).text


def problem_markdown(message: str, kind: str) -> str:
    """A library problem in plain words, escaped: file, what happened, what to do (by its kind)."""
    name, happened, advice = describe_problem(message, kind)
    head = f"**{escape_markdown(name)}**: " if name else ""
    tail = f"  \n{escape_markdown(advice)}" if advice else ""
    return head + escape_markdown(happened) + tail


def engine_note(engine: Engine, hit) -> str:
    """Which pages OCR read, and with what (the passage card's tooltip)."""
    entry = engine.index.manifest.documents[hit.doc_id]
    pages = ", ".join(map(str, entry.ocr_pages))
    return f"Recognised by {entry.ocr or 'OCR'}: page {pages}" if pages else ""


def original_file(entry: DocumentEntry) -> None:
    """A button that hands the browser the original file, to check recognised text against."""
    path = Path(entry.source)
    if not path.is_file():
        return
    kinds = {".pdf": "application/pdf", ".png": "image/png", ".webp": "image/webp"}
    kinds |= {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".tif": "image/tiff"}
    st.download_button(
        "Open the original",
        data=path.read_bytes(),
        file_name=path.name,
        mime=kinds.get(path.suffix.lower(), "application/octet-stream"),
        icon=":material/image:",
    )


@st.dialog("In the document", width="large")
def show_in_document(engine: Engine, hit) -> None:
    """The whole document with the passage highlighted; earlier text folded away above it."""
    entry = engine.index.manifest.documents.get(hit.doc_id) or DocumentEntry("")
    st.markdown(f"**{escape_markdown(hit.title)}**")
    file_name = Path(entry.source or hit.source).name
    st.caption(
        escape_markdown(f"{file_name} · passage: {citation_label('', hit.section, hit.page)}")
    )
    if from_scan(engine, hit):
        st.caption(text("from_scan"), help=engine_note(engine, hit))
        original_file(entry)
    try:
        body = document_text(hit.doc_id, entry.source, entry.hash)
    except DocumentError as exc:
        body = ""
        st.warning(
            problem_markdown(str(exc), exc.kind)
            + "  \n"
            + escape_markdown("Showing the passage only.")
        )
    if body[hit.start : hit.end] != hit.text:
        st.markdown(highlight_markdown(hit.text, [(0, len(hit.text))]))
        return
    cut = reading_start(body, hit.start)
    st.caption(
        "The passage is highlighted below." + (" Earlier text is folded away." if cut else "")
    )
    if cut:
        with st.expander("Beginning of the document"):
            st.markdown(escape_markdown(body[:cut]))
    st.markdown(highlight_markdown(body[cut:], [(hit.start - cut, hit.end - cut)]))


def from_scan(engine: Engine, hit) -> bool:
    """True when OCR recognised the passage's text (its page came from a scan or a photo)."""
    entry = engine.index.manifest.documents.get(hit.doc_id)
    return entry is not None and hit.page is not None and hit.page in entry.ocr_pages


def passage_card(
    engine: Engine,
    n: int,
    hit,
    highlights: list[tuple[int, int]],
    question: str,
    language: str = "en",
) -> None:
    """One passage: citation, text with its answering sentences (`highlights`, spans of the
    passage's text) highlighted, and actions."""
    with st.container(border=True, key=f"passage-{n}"):
        label = citation_label(hit.title, hit.section, hit.page)
        st.markdown(f"**{escape_markdown(f'[{n}] {label}')}**")
        if from_scan(engine, hit):
            st.caption(text("from_scan", language), help=engine_note(engine, hit))
        st.markdown(highlight_markdown(hit.text, highlights, bold=True))
        actions = st.container(horizontal=True)
        if actions.button(
            "Show in document", key=f"show-{n}-{hit.chunk_id}", icon=":material/description:"
        ):
            show_in_document(engine, hit)
        item = item_from_hit(hit, highlights, question)
        collected = pack().has(item.item_id)
        actions.button(
            "In the pack" if collected else "Add to pack",
            key=f"pack-{n}-{hit.chunk_id}",
            icon=":material/check:" if collected else ":material/add:",
            disabled=collected,
            on_click=pack().add,
            args=(item,),
        )
