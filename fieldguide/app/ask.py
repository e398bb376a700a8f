"""Ask: a question in plain words → a cited answer quoted from the documents, and its passages."""

import streamlit as st

from fieldguide.app.shared import engine_or_stop, passage_card
from fieldguide.present import citation_label, escape_markdown
from fieldguide.strings import differ_note, text

EXAMPLES = [
    "What number do I call if I think someone is being trafficked?",
    "Where can someone near Westlake get free STI testing?",
    "Is prostitution legal anywhere in California?",
    "Someone is in danger right now - who do I call?",
    "¿Dónde puedo hacerme una prueba de VIH gratis cerca de Walnut Park?",
]


def set_question(text: str) -> None:
    st.session_state.question = text


def cached_answer(engine, question: str, k: int, docs: list[str]):
    """Ask once per question: buttons on the page rerun the script, they must not re-ask."""
    key = (str(engine.index.path), question, k, tuple(sorted(docs)))
    if st.session_state.get("answer_key") != key:
        st.session_state.answer = engine.ask(question, k, set(docs) or None)
        st.session_state.answer_key = key
    return st.session_state.answer


engine = engine_or_stop()
documents = engine.index.manifest.documents
st.session_state.setdefault("k", engine.settings.k)
st.session_state["docs"] = [d for d in st.session_state.get("docs", []) if d in documents]

st.title("Ask the documents")
st.caption(
    "Answers are sentences quoted from your organisation's documents, each with where it came "
    "from. Nothing you type leaves this computer."
)

with st.form("ask", border=False):
    question = st.text_input(
        "Your question", key="question", placeholder="e.g. Where can someone get free STI testing?"
    )
    st.form_submit_button("Ask", type="primary")

st.caption("Or try one of these:")
examples = st.container(horizontal=True)
for n, example in enumerate(EXAMPLES):
    examples.button(example, key=f"example-{n}", on_click=set_question, args=(example,))

with st.expander(
    "Search in: " + ("all documents" if not st.session_state.docs else "some documents")
):
    chosen = st.multiselect(
        "Only these documents",
        options=list(documents),
        format_func=lambda d: documents[d].title or d,
        placeholder="All documents",
        key="docs",
    )
    k = st.slider("Passages to show", 1, 10, key="k")

if not question.strip():
    st.info(
        "Type a question in your own words. The answer is made of sentences copied from your "
        "documents, each numbered [1], [2]… to show which passage it came from. Read the passage "
        "(or open it in its document) before you act on it. When the documents don't cover a "
        "question, Field Guide says so instead of guessing.",
        icon=":material/info:",
    )
else:
    answer = cached_answer(engine, question, k, chosen)
    language = answer.language
    if answer.urgent:
        st.error(text("danger_now", language), icon=":material/emergency:")
    if language != "en" and not answer.multilingual:
        st.info(text("searched_as_english", language), icon=":material/translate:")
    with st.container(border=True, key="answer"):
        note = answer.note
        if answer.abstained:
            st.subheader(text("not_covered_title", language))
            st.write(escape_markdown(note) if note else answer.answer)
            if chosen:
                st.write(text("some_documents", language))
        else:
            st.subheader(text("partial_title" if note else "answer_title", language))
            if note:  # plainly what the documents do not say, before what they do
                st.warning(escape_markdown(note), icon=":material/help:")
            if text("answer_framing", language):  # the quotes stay in the documents' words
                st.markdown(f"*{escape_markdown(text('answer_framing', language))}*")
            # one quoted sentence per line, each followed by its passage number
            lines = [escape_markdown(f"{c.sentence} [{c.n}]") for c in answer.citations]
            st.markdown("\n\n".join(lines))
            for n in dict.fromkeys(c.n for c in answer.citations):
                hit = answer.hits[n - 1]
                st.caption(
                    escape_markdown(f"[{n}] {citation_label(hit.title, hit.section, hit.page)}")
                )
    for difference in answer.differences:
        st.warning(escape_markdown(differ_note(difference, language)), icon=":material/balance:")
    if answer.hits:
        st.subheader(text("closest_passages" if answer.abstained else "passages", language))
    for n, hit in enumerate(answer.hits, start=1):
        passage_card(engine, n, hit, answer.spans_of(n), question, language)
