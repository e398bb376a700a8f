"""The Ask page in Spanish: the documents' English sentences, cited, framed in Spanish."""

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def ask(question):
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input(key="question").input(question)
    return at.button(key="FormSubmitter:ask-Ask").click().run()


def test_the_emergency_line_is_also_in_spanish(built, fake_embedder):
    at = ask("¿Dónde hay pruebas de VIH gratis?")
    assert "¿En peligro inmediato? Llame al 911." in at.error[0].value


def test_a_spanish_question_gets_english_quotes_under_a_spanish_framing(built, fake_embedder):
    at = ask("¿Dónde hay pruebas de VIH gratis?")
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Respuesta", "Pasajes (en inglés)"]
    texts = [m.value for m in at.markdown]
    framing = "*Respuesta en inglés\\, citada de los documentos\\:*"  # escaped markdown
    assert framing in texts
    quoted = texts[texts.index(framing) + 1]
    assert "HIV testing" in quoted and re.search(r"\\\[\d\\\]", quoted)  # English, cited


def test_a_spanish_danger_question_says_call_911_in_spanish(built, fake_embedder):
    at = ask("me están golpeando y no puedo salir")
    assert any(e.value == "**¿En peligro inmediato? Llame al 911.**" for e in at.error)
    quoted = [m.value for m in at.markdown if "911" in m.value]
    assert quoted  # the answer quotes the documents' "call 911" sentence


def test_a_partial_answer_says_what_the_documents_do_not_give(built, fake_embedder):
    at = ask("What is the phone number of Saving Innocence?")
    assert at.subheader[0].value == "Partly in these documents"
    assert any("give no phone number for it" in w.value for w in at.warning)


def test_the_library_page_says_which_languages_the_index_serves(built, fake_embedder):
    import streamlit as st

    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    at = at.switch_page("fieldguide/app/library.py").run()
    note = next(c.value for c in at.caption if "Questions may be asked in" in c.value)
    assert "English and Spanish" in note and "fake\\-multilingual" in note  # escaped markdown
