"""Nothing leaves the machine: no network attempt while indexing, asking or serving the app; a
typed question leaves no trace in logs, caches or URLs; the server answers on loopback only and
refuses foreign Host and Origin headers.

Every Python process these tests start (the CLI, the Streamlit server, the sandbox children)
loads a `sitecustomize` that installs an audit hook: it logs each off-machine connect, send,
name lookup or bind, and blocks the connects and lookups, so nothing is sent even if one is tried.
"""

import base64
import json
import os
import re
import socket
import subprocess
import sys
import textwrap
import tomllib
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from builders import make_docx, make_pdf, make_text
from conftest import CHROMIUM_ARGS, running_app, skip_or_fail_without_chromium

ROOT = Path(__file__).resolve().parent.parent
PORTS = range(8610, 8620)
CANARY = "zqcanary4471"
QUESTION = f"Where is the {CANARY} clinic that offers free STI testing?"

SITECUSTOMIZE = '''
"""Test only: log (and block) every attempt of this process to reach beyond loopback."""
import ipaddress, json, os, socket, sys

_LOG = os.environ.get("FG_AUDIT_LOG")
_LOOKUPS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
            "socket.gethostbyaddr"}
_SENDS = {"socket.connect", "socket.sendto", "socket.sendmsg", "socket.bind"}


def _local(host):
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if host in (None, "", "localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _command():
    try:
        with open("/proc/self/cmdline", "rb") as handle:
            return handle.read().decode(errors="replace").split("\\0")[:6]
    except OSError:
        return sys.argv[:4]


def _write(record):
    with open(_LOG, "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\\n")


def _hook(event, args):
    if not event.startswith(("socket.", "http.client.", "urllib.")):
        return
    if event in _SENDS:
        address = args[-1]
        if not isinstance(address, tuple):  # a Unix socket path
            return
        host = address[0]
    elif event in _LOOKUPS:
        host = args[0]
    elif event == "socket.getnameinfo":
        host = args[0][0]
    elif event == "http.client.connect":
        host = args[1]
    elif event == "urllib.Request":
        from urllib.parse import urlsplit
        host = urlsplit(args[0]).hostname
    else:
        return
    if _local(host):
        return
    _write({"pid": os.getpid(), "cmd": _command(), "event": event, "host": str(host)})
    if event != "socket.bind":  # a bind sends nothing; a connect or lookup would
        raise OSError(f"test: {event} to {host} blocked")


if _LOG:
    _write({"pid": os.getpid(), "cmd": _command(), "event": "hooked"})
    sys.addaudithook(_hook)
'''


def audited_env(folder: Path) -> dict[str, str]:
    """Environment for a child process: the audit hook, and home, temp and index in `folder`."""
    site = folder / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    for name in ("home", "tmp", "index", "corpus"):
        (folder / name).mkdir(exist_ok=True)
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])),
        "FG_AUDIT_LOG": str(folder / "audit.log"),
        "HOME": str(folder / "home"),
        "TMPDIR": str(folder / "tmp"),
        "XDG_CACHE_HOME": str(folder / "home" / ".cache"),
        "FIELDGUIDE_INDEX": str(folder / "index"),
        "FIELDGUIDE_CORPUS": str(folder / "corpus"),
    }


def audit(folder: Path, since: int = 0) -> tuple[list[dict], list[dict]]:
    """(processes hooked, off-machine attempts) logged after byte offset `since`."""
    log = folder / "audit.log"
    text = log.read_text()[since:] if log.exists() else ""
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    hooked = [r for r in records if r["event"] == "hooked"]
    return hooked, [r for r in records if r["event"] != "hooked"]


def audit_size(folder: Path) -> int:
    log = folder / "audit.log"
    return len(log.read_text()) if log.exists() else 0


def traces_of(secret: str, *places: Path) -> list[str]:
    """Files under `places` whose bytes contain `secret`."""
    found = []
    for place in places:
        for path in [place] if place.is_file() else place.rglob("*"):
            if path.is_file() and not path.is_symlink():
                try:
                    if secret.encode() in path.read_bytes():
                        found.append(str(path))
                except OSError:
                    continue
    return found


def small_library(corpus: Path) -> None:
    make_text(corpus)
    make_pdf(corpus)
    make_docx(corpus)


# --------------------------------------------------------------------------- the CLI, real model


@pytest.mark.model
@pytest.mark.parametrize("encoder", ["fp32", "int8"])  # int8: its file is made here, offline
def test_indexing_and_asking_with_the_real_model_stay_on_the_machine(tmp_path, encoder):
    env = {**audited_env(tmp_path), "FIELDGUIDE_ENCODER": encoder}
    small_library(tmp_path / "corpus")
    script = textwrap.dedent(
        f"""
        import socket
        from fieldguide.cli import main
        main(["index"], standalone_mode=False)
        main(["ask", {QUESTION!r}], standalone_mode=False)
        main(["search", "night van", "--json"], standalone_mode=False)
        try:  # proves the hook sees (and stops) a lookup: the only one this test may log
            socket.getaddrinfo("example.com", 443)
        except OSError:
            print("sentinel blocked")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, timeout=600
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    assert b"sentinel blocked" in done.stdout and b"Lantern Project" in done.stdout
    hooked, attempts = audit(tmp_path)
    assert [(a["event"], a["host"]) for a in attempts] == [("socket.getaddrinfo", "example.com")]
    assert any("fieldguide.sandbox" in r["cmd"] for r in hooked), "the parser was not audited"
    assert traces_of(CANARY, tmp_path / "index", tmp_path / "home", tmp_path / "tmp") == []


# --------------------------------------------------------------------------- the Milvus backend


def test_the_milvus_backend_serves_on_loopback_and_stays_on_the_machine(tmp_path):
    """FIELDGUIDE_STORE=milvus: Milvus Lite's server and client talk over 127.0.0.1 only."""
    env = {**audited_env(tmp_path), "FIELDGUIDE_STORE": "milvus"}
    script = textwrap.dedent(
        f"""
        import socket
        from pathlib import Path
        import numpy as np
        from fieldguide.chunk import Chunk
        from fieldguide.store import DocumentEntry, Manifest, load_index, write_index
        texts = ["Night van stops at the {CANARY} clinic.", "Food bank opens on Monday."]
        chunks = [Chunk(f"d:{{i}}", "d", "D", "", None, 0, len(t), t, "d.txt")
                  for i, t in enumerate(texts)]
        vectors = np.eye(2, 8, dtype=np.float32)
        manifest = Manifest("m", "s", 8, 200, documents={{"d": DocumentEntry("h", chunks=2)}})
        write_index(Path("index"), manifest, chunks, vectors)
        index = load_index(Path("index"), "m", "s", 8)
        print(index.manifest.store, index.lexical.client._get_connection()._address)
        print("dense", index.dense(vectors[1], 1), "bm25", index.lexical_search("{CANARY}", 2)[0])
        try:  # proves the hook sees (and stops) a lookup: the only one this test may log
            socket.getaddrinfo("example.com", 443)
        except OSError:
            print("sentinel blocked")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    out = done.stdout.decode()
    assert "milvus 127.0.0.1:" in out and "dense [(1, 1.0)] bm25 [0]" in out, out
    assert "sentinel blocked" in out
    _, attempts = audit(tmp_path)
    assert [(a["event"], a["host"]) for a in attempts] == [("socket.getaddrinfo", "example.com")]


# --------------------------------------------------------------------------- the app's server


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`fieldguide serve` (the packaged app, started from another folder) under the audit hook."""
    folder = tmp_path_factory.mktemp("served")
    env = audited_env(folder)
    small_library(folder / "corpus")
    with running_app(folder, PORTS, env, cwd=folder) as base:
        port = int(base.rsplit(":", 1)[1])
        yield SimpleNamespace(base=base, port=port, folder=folder, started=audit_size(folder))


def _handshake(served, host: str, origin: str | None = None) -> str:
    """Status line of a WebSocket handshake to the app's session stream."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        + (f"Origin: {origin}\r\n" if origin else "")
        + "\r\n"
    )
    with socket.create_connection(("127.0.0.1", served.port), timeout=30) as connection:
        connection.sendall(request.encode())
        return connection.recv(4096).decode(errors="replace").split("\r\n")[0]


def test_the_app_starts_without_any_network_attempt(served):
    startup = (served.folder / "audit.log").read_text()[: served.started]
    records = [json.loads(line) for line in startup.splitlines() if line.strip()]
    hooked = [" ".join(r["cmd"]) for r in records if r["event"] == "hooked"]
    assert any("fieldguide.server run" in command for command in hooked), hooked  # audited
    assert [r for r in records if r["event"] != "hooked"] == []


def test_the_server_listens_on_loopback_only(served):
    port = f":{served.port:04X} "
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A" and local.endswith(port.strip()):  # 0A = LISTEN
                listening.append(local.split(":")[0])
    assert listening and set(listening) == {"0100007F"}, listening  # 127.0.0.1, nothing else


def test_a_foreign_host_or_origin_cannot_open_a_session(served):
    own = f"127.0.0.1:{served.port}"
    assert _handshake(served, own, f"http://{own}") == "HTTP/1.1 101 Switching Protocols"
    assert _handshake(served, f"localhost:{served.port}").startswith("HTTP/1.1 101")
    # DNS rebinding: a page on evil.example resolved to 127.0.0.1
    assert _handshake(served, "evil.example").startswith("HTTP/1.1 403")
    assert _handshake(served, "evil.example", "http://evil.example").startswith("HTTP/1.1 403")


def test_a_foreign_origin_gets_no_cors_allowance(served):
    for path in ("/_stcore/health", "/_stcore/host-config", "/"):
        request = urllib.request.Request(
            served.base + path, headers={"Origin": "http://evil.example"}
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            allowed = reply.headers.get("Access-Control-Allow-Origin")
        assert allowed in (None, "", served.base), (path, allowed)


def test_a_page_on_another_site_cannot_make_the_server_phone_out(served):
    before = audit_size(served.folder)
    own = f"127.0.0.1:{served.port}"
    assert _handshake(served, own, "http://evil.example").startswith("HTTP/1.1 403")
    assert audit(served.folder, before)[1] == []


def test_streamlit_config_keeps_the_app_private():
    packaged = ROOT / "fieldguide" / "app" / ".streamlit" / "config.toml"  # beside the entry
    # `streamlit run app.py` in a checkout reads the same file
    assert (ROOT / ".streamlit" / "config.toml").resolve() == packaged.resolve()
    config = tomllib.loads(packaged.read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["address"] == "127.0.0.1"
    assert set(config["server"]["allowedHosts"]) <= {"127.0.0.1", "localhost", "::1"}
    assert config["server"]["enableCORS"] is True
    assert config["server"]["enableXsrfProtection"] is True
    assert not config["server"].get("corsAllowedOrigins")


@pytest.mark.browser
@pytest.mark.model
def test_a_typed_question_leaves_no_trace_and_nothing_leaves_the_machine(served):
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        skip_or_fail_without_chromium()
    before = audit_size(served.folder)
    requests: list[str] = []
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=CHROMIUM_ARGS,
        )
        try:
            tab = browser.new_context().new_page()
            tab.on("request", lambda request: requests.append(request.url))
            tab.on("websocket", lambda socket: requests.append(socket.url))
            tab.goto(served.base)
            question = tab.get_by_label("Your question")
            playwright.expect(question).to_be_visible(timeout=300_000)  # model load, first build
            question.fill(QUESTION)
            tab.get_by_role("button", name="Ask", exact=True).click()
            playwright.expect(
                tab.get_by_text("Passages", exact=True).or_(tab.get_by_text("Closest passages"))
            ).to_be_visible(timeout=120_000)
            playwright.expect(tab.get_by_text("Harbor Clinic").first).to_be_visible()
            assert question.input_value() == QUESTION  # the canary really was typed and sent
            url = tab.url
        finally:
            browser.close()
    assert CANARY not in url
    own = (served.base + "/", served.base.replace("http", "ws", 1) + "/", "data:", "blob:")
    assert any(u.startswith(own[1]) for u in requests)  # the session's own WebSocket was seen
    foreign = [u for u in requests if not u.startswith(own)]
    assert foreign == [], foreign
    hooked, attempts = audit(served.folder, before)
    assert attempts == [], attempts
    assert any("fieldguide.sandbox" in r["cmd"] for r in hooked)  # the first build was audited
    folder = served.folder
    places = [folder / "index", folder / "home", folder / "tmp", folder / "stdout.log"]
    places += [folder / "stderr.log", folder / "audit.log", ROOT / ".streamlit"]
    assert traces_of(CANARY, *places) == []
    assert re.search(
        r"Uvicorn server started on 127\.0\.0\.1:\d+",
        (folder / "stdout.log").read_text() + (folder / "stderr.log").read_text(),
    )
