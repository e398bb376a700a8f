"""Server: run Streamlit on loopback with its own network look-ups switched off.

Streamlit finds "the machine's IP" by connecting to 8.8.8.8 and fetching an outside
check-IP page, both when it starts and when a WebSocket arrives with a foreign Origin.
Seeding its cache with the loopback address first means it never asks.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> None:
    """`python -m fieldguide.server run app.py [options]` — the same arguments as `streamlit`."""
    from streamlit import net_util

    net_util._internal_ip = "127.0.0.1"
    net_util._external_ip = "127.0.0.1"
    from streamlit.web import cli

    sys.argv = ["streamlit", *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
