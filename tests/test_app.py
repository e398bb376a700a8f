"""The Streamlit app, driven with AppTest and the fake embedder."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def start():
    import streamlit as st

    st.cache_resource.clear()
    return AppTest.from_file(APP, default_timeout=60).run()


def test_first_start_builds_the_index_and_answers(settings, corpus, fake_embedder):
    at = start()
    assert not at.exception
    assert (settings.index / "CURRENT").exists()
    assert "1-888-373-7888" in at.error[0].value  # the emergency line is always visible
    at.text_input(key="question").input("What is the phone number of the CAST hotline?")
    at.button[-1].click().run()
    markdown = " ".join(m.value for m in at.markdown)
    assert "888\\-539\\-2373" in markdown  # passage text shown escaped, never as live markup
    assert any("Passages" in s.value or "Closest" in s.value for s in at.subheader)


def test_example_button_fills_the_question(built, fake_embedder):
    at = start()
    at.button[0].click().run()
    assert at.text_input(key="question").value.startswith("What number do I call")


def test_missing_corpus_shows_a_message_not_a_traceback(settings, fake_embedder):
    at = start()  # the corpus folder is empty
    assert not at.exception
    assert any("No document could be indexed" in e.value for e in at.error)
