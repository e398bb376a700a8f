"""Field Guide's Streamlit app: ask, read in context, manage the library, collect a workshop pack.
Widgets only; the logic lives in the fieldguide package, the pages in fieldguide/app/."""

import streamlit as st

st.set_page_config(page_title="Field Guide", page_icon="🧭", layout="wide")

# widget values survive a visit to another page only if re-stored on every run
for key in ("question", "docs", "k"):
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]

st.error(
    "**In immediate danger? Call 911.** · National Human Trafficking Hotline "
    "**1-888-373-7888** · text **233733** (24/7)",
    icon=":material/emergency:",
)
page = st.navigation(
    [
        st.Page("fieldguide/app/ask.py", title="Ask", icon=":material/search:", default=True),
        st.Page("fieldguide/app/library.py", title="Library", icon=":material/library_books:"),
        st.Page("fieldguide/app/resources.py", title="Resources", icon=":material/call:"),
        st.Page("fieldguide/app/pack.py", title="Workshop pack", icon=":material/school:"),
    ]
)
page.run()
