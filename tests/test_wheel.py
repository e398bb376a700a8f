"""The app installs as a package: the wheel, installed in a fresh venv, serves the app from
outside any checkout (no app.py beside the package, no .streamlit/ in the working folder)."""

import os
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, running_app
from test_privacy import _handshake

pytestmark = pytest.mark.wheel
PORTS = range(8640, 8650)


def _run(*command, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel built from a copy of the sources, installed alone (--no-deps) in a new venv whose
    heavy dependencies come from this venv's site-packages through a .pth file."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"  # building from a copy leaves nothing behind in the checkout
    shutil.copytree(
        ROOT / "fieldguide", source / "fieldguide", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    _run(
        *pip,
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-w",
        str(root / "dist"),
        str(source),
        cwd=root,
    )
    [wheel] = (root / "dist").glob("fieldguide-*.whl")
    venv = root / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", str(venv), cwd=root)
    python = venv / "bin" / "python"
    packages = Path(
        _run(
            str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=root
        ).strip()
    )
    # appended after the venv's own site-packages: fieldguide itself comes from the wheel
    (packages / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    new_pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
    _run(*new_pip, "install", "--no-deps", "--no-index", "--ignore-installed", str(wheel), cwd=root)
    elsewhere = root / "elsewhere"  # the user's folder: no checkout, no .streamlit/
    (elsewhere / "corpus").mkdir(parents=True)
    (root / "home").mkdir()  # no ~/.streamlit/config.toml of the user's to lean on
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(
        HOME=str(root / "home"),
        FIELDGUIDE_INDEX=str(elsewhere / "index"),
        FIELDGUIDE_CORPUS=str(elsewhere / "corpus"),
    )
    return SimpleNamespace(root=root, venv=venv, python=python, elsewhere=elsewhere, env=env)


def test_the_installed_package_holds_the_app(installed):
    script = (
        "import fieldguide, fieldguide.app as app\n"
        "print(fieldguide.__file__)\n"
        "print(app.ENTRY)\n"
        "print((app.ENTRY.parent / '.streamlit' / 'config.toml').is_file())\n"
        "print(sorted(p.name for p in app.ENTRY.parent.glob('*.py')))\n"
    )
    out = _run(str(installed.python), "-c", script, cwd=installed.elsewhere, env=installed.env)
    package, entry, config, pages = out.splitlines()
    assert Path(package).is_relative_to(installed.venv), package  # the wheel's, not the checkout's
    assert Path(entry).is_relative_to(installed.venv) and config == "True"
    assert pages == str(
        [
            "__init__.py",
            "ask.py",
            "library.py",
            "pack.py",
            "resources.py",
            "shared.py",
            "streamlit_app.py",
        ]
    )


def test_fieldguide_serve_runs_the_app_from_the_wheel(installed):
    bin = installed.venv / "bin"
    with running_app(installed.root, PORTS, installed.env, installed.elsewhere, bin) as base:
        with urllib.request.urlopen(base + "/", timeout=30) as reply:
            assert reply.status == 200 and b"<html" in reply.read().lower()
        commands = [_cmdline(p) for p in Path("/proc").iterdir() if p.name.isdigit()]
        [server] = [c for c in commands if "fieldguide.server run" in c and str(bin) in c]
        entry = installed.venv / "lib"  # the entry script inside the new venv's site-packages
        assert f" {entry}/" in server and "/fieldguide/app/streamlit_app.py " in server, server
        # the packaged .streamlit/config.toml applies: only loopback hosts may open a session
        served = SimpleNamespace(port=int(base.rsplit(":", 1)[1]))
        assert _handshake(served, "evil.example").startswith("HTTP/1.1 403")
        assert _handshake(served, f"127.0.0.1:{served.port}").startswith("HTTP/1.1 101")


def _cmdline(proc: Path) -> str:
    try:
        return (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
