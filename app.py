"""Field Guide's Streamlit app: ask a question, read cited passages. Widgets only; logic lives in
the fieldguide package."""

import streamlit as st

from fieldguide import embed
from fieldguide.config import Settings
from fieldguide.engine import Engine
from fieldguide.errors import FieldGuideError
from fieldguide.library import ensure_index
from fieldguide.present import citation_label, escape_markdown, highlight_markdown

EXAMPLES = [
    "What number do I call if I think someone is being trafficked?",
    "Where can someone near Westlake get free STI testing?",
    "Is prostitution legal anywhere in California?",
    "Which housing programs in Sacramento prioritize people fleeing exploitation?",
]

st.set_page_config(page_title="Field Guide", page_icon="🧭", layout="wide")


@st.cache_resource(show_spinner="Loading the language model…")
def load_engine() -> Engine:
    """Model and index, loaded once and shared by every session."""
    settings = Settings.from_env()
    embedder = embed.default_embedder()
    bar = st.progress(0.0, text="Preparing the documents…")

    def progress(stage: str, done: int, total: int) -> None:
        label = "Reading documents" if stage == "reading" else "Indexing passages"
        bar.progress(done / total if total else 1.0, text=f"{label}: {done} of {total}")

    ensure_index(settings, embedder, progress)
    bar.empty()
    return Engine.open(settings, embedder)


st.error(
    "**In immediate danger? Call 911.** National Human Trafficking Hotline: "
    "**1-888-373-7888** · text **233733** (24/7, confidential).",
)
st.title("Field Guide")
st.caption(
    "Answers quoted from your organisation's documents, with where they came from. "
    "Everything stays on this computer."
)

try:
    engine = load_engine()
except FieldGuideError as exc:
    st.error(str(exc))
    st.stop()

documents = engine.index.manifest.documents
with st.sidebar:
    st.header("Search in")
    chosen = st.multiselect(
        "Documents",
        options=list(documents),
        format_func=lambda d: documents[d].get("title", d),
        placeholder="All documents",
    )
    k = st.slider("Passages to show", 1, 10, engine.settings.k)

st.write("**Try:**")
columns = st.columns(len(EXAMPLES))
for column, example in zip(columns, EXAMPLES, strict=True):
    if column.button(example, use_container_width=True):
        st.session_state.question = example

with st.form("ask", border=False):
    question = st.text_input(
        "Your question", key="question", placeholder="e.g. Where can someone get free STI testing?"
    )
    st.form_submit_button("Ask", type="primary")

if question.strip():
    answer = engine.ask(question, k, set(chosen) or None)
    with st.container(border=True):
        if answer.abstained:
            st.subheader("Not in these documents")
            st.write(answer.answer)
        else:
            st.subheader("Answer")
            st.markdown(escape_markdown(answer.answer))
            for n in dict.fromkeys(c.n for c in answer.citations):
                hit = answer.hits[n - 1]
                st.caption(
                    escape_markdown(f"[{n}] {citation_label(hit.title, hit.section, hit.page)}")
                )
    st.subheader("Passages" if not answer.abstained else "Closest passages")
    quoted = {(c.n, c.start, c.end) for c in answer.citations}
    for n, hit in enumerate(answer.hits, start=1):
        with st.container(border=True):
            label = citation_label(hit.title, hit.section, hit.page)
            st.markdown(f"**{escape_markdown(f'[{n}] {label}')}**")
            spans = [(s - hit.start, e - hit.start) for (m, s, e) in quoted if m == n]
            st.markdown(highlight_markdown(hit.text, spans))
            st.caption(escape_markdown(f"{hit.doc_id} · characters {hit.start}-{hit.end}"))
