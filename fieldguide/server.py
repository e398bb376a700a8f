"""Server: run Streamlit on loopback with its own network look-ups switched off.

Streamlit finds "the machine's IP" by connecting to 8.8.8.8 and fetching an outside
check-IP page, both when it starts and when a WebSocket arrives with a foreign Origin.
Seeding its cache with the loopback address first means it never asks.

While Streamlit starts, a thread loads the model and the index into the app's shared cache
(`st.cache_resource` is one per process), so the first question does not wait for them.
"""

from __future__ import annotations

import sys
import threading


def warm() -> None:
    """Load the shared model, and the engine when an index exists, before the first page.

    A first start without an index only loads the model: the page then builds the index with
    its progress bar. Any failure is left to the page, which says it in its own words.
    """
    import logging

    # the cached loaders run outside a page here, which Streamlit warns about in its log
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )
    try:
        from fieldguide.app import shared
        from fieldguide.store import current_build

        shared.load_model()
        current_build(shared.settings().index)
        shared.load_engine()
    except Exception:  # noqa: BLE001 - the page reports it
        return


def main(argv: list[str]) -> None:
    """`python -m fieldguide.server run app.py [options]` — the same arguments as `streamlit`."""
    from streamlit import net_util

    net_util._internal_ip = "127.0.0.1"
    net_util._external_ip = "127.0.0.1"
    from streamlit.web import cli

    sys.argv = ["streamlit", *argv]
    threading.Thread(target=warm, name="fieldguide-warm", daemon=True).start()
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
