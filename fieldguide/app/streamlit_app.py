"""Field Guide's Streamlit app: ask, read in context, manage the library, collect a workshop pack.

The entry script `fieldguide serve` runs (the checkout's app.py runs the same `main`). Widgets
only; the logic lives in the fieldguide package. `.streamlit/config.toml` beside this file keeps
the app private wherever it is started from.
"""

from pathlib import Path

import streamlit as st

from fieldguide.config import Settings
from fieldguide.errors import FieldGuideError
from fieldguide.strings import text

PAGES = Path(__file__).parent


def main() -> None:
    """One run of the app: page setup, the emergency line, then the chosen page."""
    st.set_page_config(page_title="Field Guide", page_icon="🧭", layout="wide")

    # widget values survive a visit to another page only if re-stored on every run
    for key in ("question", "docs", "k"):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]

    st.error(
        text("emergency_banner") + "  \n" + text("emergency_banner", "es"),
        icon=":material/emergency:",
    )
    try:  # a bad FIELDGUIDE_* value: its one line, before any page runs
        Settings.from_env()
    except FieldGuideError as exc:
        st.error(str(exc))
        st.stop()
    page = st.navigation(
        [
            st.Page(PAGES / "ask.py", title="Ask", icon=":material/search:", default=True),
            st.Page(PAGES / "library.py", title="Library", icon=":material/library_books:"),
            st.Page(PAGES / "resources.py", title="Resources", icon=":material/call:"),
            st.Page(PAGES / "pack.py", title="Workshop pack", icon=":material/school:"),
        ]
    )
    page.run()


if __name__ == "__main__":  # Streamlit runs its entry script as __main__
    main()
