"""The Workshop pack page: collect passages on Ask, then reorder, annotate, download, reopen."""

from streamlit.testing.v1 import AppTest
from test_app import APP, ask, buttons

from fieldguide.export import Pack, PackItem, pack_to_json


def start():
    import streamlit as st

    st.cache_resource.clear()
    return AppTest.from_file(APP, default_timeout=60).run()


def pack_page(at):
    return at.switch_page("fieldguide/app/pack.py").run()


def cards(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**") and ". " in m.value[:8]]


def test_empty_pack_says_how_to_fill_it(built, fake_embedder):
    at = pack_page(start())
    assert not at.exception
    assert "Add to pack" in at.info[0].value
    assert len(at.get("download_button")) == 0


def test_collect_reorder_annotate_remove(built, fake_embedder):
    at = ask(start(), "What is the phone number of the CAST hotline?")
    buttons(at, "pack-")[0].click().run()
    buttons(at, "pack-")[2].click().run()
    at = pack_page(at)
    first, second = cards(at)
    assert first.startswith("**1\\. ") and second.startswith("**2\\. ")
    assert len(at.get("download_button")) == 3  # Markdown, Word, pack file
    buttons(at, "down-")[0].click().run()
    assert [c[5:] for c in cards(at)] == [second[5:], first[5:]]
    at.text_area[0].input("Ask the group first").run()
    assert at.session_state.pack.items[0].note == "Ask the group first"
    buttons(at, "remove-")[1].click().run()
    assert [c[5:] for c in cards(at)] == [second[5:]]
    at = pack_page(at.switch_page("fieldguide/app/ask.py").run())  # the pack survives page changes
    assert at.text_area[0].value == "Ask the group first"


def test_reopen_a_saved_pack(built, fake_embedder):
    saved = Pack("Saved", [PackItem("Covenant House California helps youth.", "Westlake")])
    at = pack_page(start())
    at.file_uploader[0].set_value(("pack.json", pack_to_json(saved).encode(), "application/json"))
    at.run()
    assert "Added 1 passages" in at.success[0].value
    assert cards(at) == ["**1\\. Westlake**"]


def test_a_file_that_is_not_a_pack_is_refused_in_words(built, fake_embedder):
    at = pack_page(start())
    at.file_uploader[0].set_value(("notes.json", b'{"hello": 1}', "application/json")).run()
    assert "not a Field Guide pack" in at.error[-1].value
    assert not at.exception
