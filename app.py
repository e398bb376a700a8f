"""Field Guide's Streamlit app: ask, read in context, manage the library, collect a workshop pack.
Widgets only; the logic lives in the fieldguide package, the pages in pages_app/."""

import streamlit as st

from fieldguide.strings import text

st.set_page_config(page_title="Field Guide", page_icon="🧭", layout="wide")

# widget values survive a visit to another page only if re-stored on every run
for key in ("question", "docs", "k"):
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]

st.error(
    text("emergency_banner") + "  \n" + text("emergency_banner", "es"),
    icon=":material/emergency:",
)
page = st.navigation(
    [
        st.Page("pages_app/ask.py", title="Ask", icon=":material/search:", default=True),
        st.Page("pages_app/library.py", title="Library", icon=":material/library_books:"),
        st.Page("pages_app/resources.py", title="Resources", icon=":material/call:"),
        st.Page("pages_app/pack.py", title="Workshop pack", icon=":material/school:"),
    ]
)
page.run()
