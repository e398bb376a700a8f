"""The Ask page, driven with AppTest and the fake embedder."""

from pathlib import Path

from builders import HOSTILE_HOST, make_hostile_html, make_hostile_markdown
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def start():
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    return AppTest.from_file(APP, default_timeout=60).run()


def ask(at, question):
    at.text_input(key="question").input(question)
    return at.button(key="FormSubmitter:ask-Ask").click().run()


def buttons(at, prefix):
    return [b for b in at.button if b.key and b.key.startswith(prefix)]


def shown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_first_start_builds_the_index_and_answers(settings, corpus, fake_embedder):
    at = start()
    assert not at.exception
    assert (settings.index / "CURRENT").exists()
    assert "1-888-373-7888" in at.error[0].value  # the emergency line is always visible
    assert at.info[0].value.startswith("Type a question in your own words")
    ask(at, "What is the phone number of the CAST hotline?")
    assert not at.info  # the how-to gives way to the answer
    assert "888\\-539\\-2373" in shown(at)  # passage text shown escaped, never as live markup
    assert [s.value for s in at.subheader] == ["Answer", "Passages"]


def test_answer_cites_its_passages_and_highlights_the_answering_sentence(built, fake_embedder):
    at = ask(start(), "What is the phone number of the CAST hotline?")
    captions = [c.value for c in at.caption]
    assert any(c.startswith("\\[1\\] ") for c in captions)  # the citation under the answer
    answer = at.markdown[0].value
    assert answer.endswith("\\[1\\]") or "\\[1\\]" in answer
    cards = [m.value for m in at.markdown if m.value.startswith("**\\[")]
    assert cards[0].startswith("**\\[1\\] ")
    assert ":orange-background[" in shown(at)  # the answering sentence, highlighted
    assert len(buttons(at, "show-")) == len(buttons(at, "pack-")) == 5


def test_example_button_fills_the_question(built, fake_embedder):
    at = start()
    at.button(key="example-0").click().run()
    assert at.text_input(key="question").value.startswith("What number do I call")


def test_missing_corpus_shows_a_message_not_a_traceback(settings, fake_embedder):
    at = start()  # the corpus folder is empty
    assert not at.exception
    assert any("No document could be indexed" in e.value for e in at.error)


def test_a_bad_setting_is_one_line_on_the_page(built, fake_embedder, monkeypatch):
    monkeypatch.setenv("FIELDGUIDE_RERANK", "sentence")
    at = start()
    assert not at.exception
    assert [e.value for e in at.error][1:] == [
        "FIELDGUIDE_RERANK must be one of none, sentences (got 'sentence')"
    ]


def test_a_question_the_documents_do_not_cover(built, fake_embedder):
    at = ask(start(), "How do I renew a fishing licence in Norway?")
    assert at.subheader[0].value == "Not in these documents"
    assert "mention Norway" in at.markdown[0].value  # it says what is missing
    assert at.subheader[1].value.startswith("Closest passages")


def test_filter_by_document(built, fake_embedder):
    at = start()
    at.multiselect(key="docs").set_value(["westlake"]).run()
    ask(at, "Where can people get help?")
    cards = [m.value for m in at.markdown if m.value.startswith("**\\[")]
    assert cards and all("Prostitutes in Westlake" in c for c in cards)


def test_show_in_document_opens_the_whole_document_at_the_passage(built, fake_embedder):
    at = ask(start(), "Which organization runs the Westlake WorkSource Center programs?")
    buttons(at, "show-")[0].click().run()
    assert not at.exception
    highlighted = [m.value for m in at.markdown if ":orange-background[" in m.value][-1]
    before, passage = highlighted.split(":orange-background[", 1)
    assert before  # a line of lead-in, then the passage
    assert len(before) < 2000  # the passage is near the top, not pages down
    assert "Beginning of the document" in [e.label for e in at.expander]


def test_add_to_pack_marks_the_passage_collected(built, fake_embedder):
    at = ask(start(), "What is the phone number of the CAST hotline?")
    buttons(at, "pack-")[1].click().run()
    collected = [(b.label, b.disabled) for b in buttons(at, "pack-")]
    assert collected[1] == ("In the pack", True)
    assert collected[0] == ("Add to pack", False)
    assert len(at.session_state.pack.items) == 1
    buttons(at, "pack-")[0].click().run()  # passage [1] holds the answer: the pack keeps it lit
    item = at.session_state.pack.items[1]
    quoted = [c.sentence for c in at.session_state.answer.citations if c.n == 1]
    assert quoted and sorted(item.text[s:e] for s, e in item.highlights) == sorted(quoted)


def test_question_in_danger_shows_emergency_passages_first(built, fake_embedder):
    at = start()
    at.button(key="example-3").click().run()  # "Someone is in danger right now - who do I call?"
    at.button(key="FormSubmitter:ask-Ask").click().run()
    assert any("call 911 now" in e.value for e in at.error)
    first_card = next(i for i, m in enumerate(at.markdown) if m.value.startswith("**\\[1\\]"))
    assert "911" in at.markdown[first_card + 1].value


def test_sources_that_differ_get_a_note(settings, fake_embedder):
    (settings.corpus / "a.txt").write_text(
        "What is the fine for soliciting?\n\nFirst-time offenders face up to 6 months in "
        "county jail and fines up to $1,000.\n"
    )
    (settings.corpus / "b.txt").write_text(
        "What is the fine for soliciting?\n\nFirst-time offenders face up to 6 months in "
        "county jail and fines up to $2,500.\n"
    )
    at = ask(start(), "What is the fine for soliciting?")
    (note,) = at.warning
    assert note.value.startswith("Sources differ on an amount of money")
    assert "\\$1\\,000" in note.value and "\\$2\\,500" in note.value


def test_hostile_documents_never_reach_the_page_as_markup(settings, corpus, fake_embedder):
    make_hostile_html(settings.corpus)
    make_hostile_markdown(settings.corpus)
    at = ask(start(), "Where can I sleep tonight?")
    buttons(at, "show-")[0].click().run()
    html = MarkdownIt("commonmark").render(shown(at))
    assert HOSTILE_HOST in html  # the hostile text is there, as text
    for active in ("<img", "<script", "<a ", "<iframe", "<meta", "<style", "<form"):
        assert active not in html
