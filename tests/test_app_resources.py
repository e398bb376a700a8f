"""The Resources page: the directory of numbers found in the documents, searchable, with sources."""

from streamlit.testing.v1 import AppTest
from test_app import APP


def resources_page():
    import streamlit as st

    st.cache_resource.clear()
    return (
        AppTest.from_file(APP, default_timeout=60)
        .run()
        .switch_page("fieldguide/app/resources.py")
        .run()
    )


def test_directory_lists_numbers_with_organisations_and_sources(built, fake_embedder):
    at = resources_page()
    assert not at.exception
    table = at.dataframe[0].value
    rows = dict(zip(table["number"], table["organisation"], strict=True))
    assert rows["(888) 373-7888"] == "National Human Trafficking Hotline"
    assert rows["text 233733"] == "National Human Trafficking Hotline"
    assert rows["(323) 461-3131"] == "Covenant House California"
    assert len(at.expander) == len(table)  # every entry opens onto the passages it came from
    assert len(at.get("download_button")) == 1


def test_search_narrows_the_table(built, fake_embedder):
    at = resources_page()
    at.text_input[0].input("covenant").run()
    assert list(at.dataframe[0].value["number"]) == ["(323) 461-3131"]
    assert any(c.value.startswith("1 of ") for c in at.caption)
    (entry,) = at.expander
    assert ":orange-background[323\\-461\\-3131]" in entry.markdown[0].value


def test_an_organisation_with_two_numbers_is_flagged_on_the_page(settings, fake_embedder):
    (settings.corpus / "a.txt").write_text("Call the CAST Hotline (888-539-2373) for shelter.\n")
    (settings.corpus / "b.txt").write_text("The CAST Hotline is 213-365-1906.\n")
    at = resources_page()
    checks = list(at.dataframe[0].value["check"])
    assert all("also listed with" in c for c in checks)
    assert len(at.expander[0].warning) == 1
