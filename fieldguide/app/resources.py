"""Resources: phone numbers, text lines and hotlines found in the documents, with their sources."""

import streamlit as st

from fieldguide.app.shared import directory, engine_or_stop
from fieldguide.present import citation_label, escape_markdown, highlight_markdown
from fieldguide.resources import directory_csv, filter_resources, resource_rows

engine = engine_or_stop()
resources = directory(str(engine.index.path), engine.index)

st.title("Resources directory")
st.caption(
    "Every phone number, text line and hotline in your documents, with who runs it and the "
    "passages it comes from. Check the passage before you share a number."
)
query = st.text_input("Search", placeholder="e.g. CAST, shelter, 888, Westlake")
shown = filter_resources(resources, query)

if not resources:
    st.info("No phone numbers were found in these documents.")
    st.stop()

st.dataframe(
    resource_rows(shown),
    hide_index=True,
    width="stretch",
    column_config={
        "organisation": st.column_config.TextColumn("Organisation", width=320),
        "number": st.column_config.TextColumn("Number", width=130),
        "type": st.column_config.TextColumn("How", width=110),
        "check": st.column_config.TextColumn("Check", width=200),
        "found in": st.column_config.TextColumn("Found in", width=420),
    },
    column_order=["organisation", "number", "type", "check", "found in"],
)
st.download_button(
    "Download as CSV",
    directory_csv(shown),
    file_name="field-guide-resources.csv",
    mime="text/csv",
    icon=":material/download:",
)
st.caption(f"{len(shown)} of {len(resources)} numbers shown.")

st.subheader("Where each number comes from")
for resource in shown:
    title = f"{resource.organisation or '(not named)'} — {resource.number}"
    with st.expander(
        escape_markdown(title), icon=":material/warning:" if resource.warnings else None
    ):
        for warning in resource.warnings:
            st.warning(escape_markdown(warning))
        for mention in resource.mentions:
            st.caption(
                escape_markdown(citation_label(mention.title, mention.section, mention.page))
            )
            offset = mention.sentence.find(mention.written)
            spans = [(offset, offset + len(mention.written))] if offset >= 0 else []
            st.markdown(highlight_markdown(mention.sentence, spans))
