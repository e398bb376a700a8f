"""The Streamlit app, shipped inside the package: an entry script, its pages, what they share."""

from pathlib import Path

ENTRY = Path(__file__).with_name("streamlit_app.py")  # what `fieldguide serve` runs
