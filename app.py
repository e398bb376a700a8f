"""Field Guide's Streamlit app, for `streamlit run app.py` in a checkout and for AppTest.

The app itself is package data (fieldguide/app/), so an installed wheel runs it too:
`fieldguide serve` starts fieldguide/app/streamlit_app.py, and this file runs the same `main`.
"""

from fieldguide.app.streamlit_app import main

main()
