"""Shared fixtures: a deterministic fake embedder, settings in tmp_path, small built indexes."""

import contextlib
import functools
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from fieldguide import bm25, embed
from fieldguide.build import build_index
from fieldguide.config import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
# headless on a closed network: no background calls home, no component updates
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
QUESTIONS = ROOT.parent / "shared" / "eval" / "questions.jsonl"


@functools.lru_cache(maxsize=50_000)
def _hashed_vector(text: str, dimension: int) -> np.ndarray:
    """Bag of stemmed words hashed into `dimension` signs, normalised (kept: every test builds
    the same corpus, twice per build with the multilingual fake)."""
    vector = np.zeros(dimension, dtype=np.float32)
    for token in bm25.tokenize([text])[0]:
        h = int(hashlib.md5(token.encode()).hexdigest(), 16)
        vector[h % dimension] += 1.0 if (h >> 8) % 2 else -1.0
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


class FakeEmbedder:
    """Bag of stemmed words hashed into 64 dimensions: fast, deterministic, a little semantic."""

    name = "fake-embedder"
    weights_sha256 = "fake"
    encoder = {"variant": "fp32"}
    dimension = 64
    max_tokens = 256

    def __init__(self):
        self.encoded: list[str] = []

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2

    def _vector(self, text: str) -> np.ndarray:
        return _hashed_vector(text, self.dimension).copy()

    def encode(self, texts, batch_size=32, progress=None):
        self.encoded += list(texts)
        out = np.array([self._vector(t) for t in texts], dtype=np.float32)
        if progress and texts:
            progress(len(texts), len(texts))
        return out.reshape(len(texts), self.dimension)

    def encode_query(self, text):
        return self._vector(text)


# enough Spanish for the fake multilingual model to meet the default corpus's English
SPANISH = {
    "prueba": "testing",
    "pruebas": "testing",
    "vih": "hiv",
    "gratis": "free",
    "gratuita": "free",
    "cerca": "near",
    "donde": "where",
    "dónde": "where",
    "teléfono": "phone",
    "telefono": "phone",
    "número": "number",
    "numero": "number",
    "línea": "hotline",
    "trata": "trafficking",
    "refugio": "shelter",
    "ley": "law",
    "prostitución": "prostitution",
    "peligro": "danger",
    "llamar": "call",
}
# Spanish function words, which the fake reads as nothing
SPANISH_STOP = {"de", "la", "el", "una", "un", "hay", "puedo", "hacerme", "en", "que", "me"}


class FakeMultilingual(FakeEmbedder):
    """The fake model, reading a few Spanish words as English: a stand-in for e5's shared
    space of both languages. Its own name, so its vectors are stored apart."""

    name = "fake-multilingual"
    weights_sha256 = "fake-ml"

    def _vector(self, text: str) -> np.ndarray:
        words = [w.lower().strip("¿?¡!.,") for w in text.split()]
        words = [SPANISH.get(w, w) for w in words if w not in SPANISH_STOP]
        return super()._vector(" ".join(words))

    def baseline(self, query_vector) -> float:
        return 0.0


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch, request):
    """Every test gets its own index and corpus folders; no test touches the repo's index/.

    The fake multilingual model stands in for Spanish questions; its view of English ones is
    no ranker's, so English questions are ranked without it except in the tests of the real
    models (`-m model`) and those that set a share themselves."""
    if not request.node.get_closest_marker("model"):
        monkeypatch.setenv("FIELDGUIDE_MULTILINGUAL_ENGLISH_WEIGHT", "0")
    monkeypatch.setenv("FIELDGUIDE_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("FIELDGUIDE_CORPUS", str(tmp_path / "corpus"))
    (tmp_path / "corpus").mkdir()
    return Settings.from_env()


@pytest.fixture(autouse=True)
def openmp_threads_given_back():
    """A test that changes FAISS's process-wide OpenMP thread count must restore it."""
    import faiss

    before = faiss.omp_get_max_threads()
    yield
    after = faiss.omp_get_max_threads()
    if after != before:
        faiss.omp_set_num_threads(before)
        pytest.fail(f"the test left FAISS on {after} OpenMP threads (it started on {before})")


@pytest.fixture(params=["faiss", "milvus"])
def store_backend(request, monkeypatch):
    """The test runs against each store backend: FAISS + bm25s, and Milvus (Milvus Lite, embedded
    in the test's process, its data in the build folder)."""
    monkeypatch.setenv("FIELDGUIDE_STORE", request.param)
    return request.param


@pytest.fixture
def settings(isolated_settings):
    return isolated_settings


@pytest.fixture(autouse=True)
def fake_multilingual(request, monkeypatch):
    """The fake multilingual model as `embed.multilingual_embedder()`, except in the tests of
    the real models (`-m model`), which get the packaged one."""
    if request.node.get_closest_marker("model"):
        return None
    fake = FakeMultilingual()
    monkeypatch.setattr(embed, "multilingual_embedder", lambda: fake)
    return fake


@pytest.fixture
def fake_embedder(monkeypatch, fake_multilingual):
    """The fake model, also returned by `embed.default_embedder()` for CLI and app code (the
    fake multilingual model stands in for the real one beside it)."""
    fake = FakeEmbedder()
    monkeypatch.setattr(embed, "default_embedder", lambda settings=None: fake)
    return fake


@pytest.fixture
def corpus(settings):
    """The default corpus copied into the test's corpus folder."""
    for path in CORPUS.glob("*.txt"):
        shutil.copy(path, settings.corpus / path.name)
    return settings.corpus


@pytest.fixture
def built(settings, corpus, fake_embedder):
    """The default corpus indexed with the fake embedder."""
    build_index([corpus], settings, fake_embedder)
    return settings


@pytest.fixture(scope="session")
def real_embedder():
    """The packaged all-MiniLM-L6-v2 (loaded once for the session)."""
    return embed.default_embedder()


def skip_or_fail_without_chromium() -> None:
    """Browser tests skip on a laptop without Chromium, but fail in CI, which must install it."""
    message = "Chromium is not installed (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message + " - .ci/run should have installed it")
    pytest.skip(message)


def _free_port(ports: range) -> int:
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip(f"no free port in {ports.start}-{ports.stop - 1}")


@contextlib.contextmanager
def running_app(
    folder: Path, ports: range, env: dict[str, str], cwd: Path = ROOT, bin: Path | None = None
):
    """`fieldguide serve` on a free port of `ports`; yields its base URL, stops it afterwards.

    `bin` is the folder of the `fieldguide` script (default: this venv's). Its output goes to
    folder/stdout.log and folder/stderr.log.
    """
    port = _free_port(ports)
    fieldguide = (bin or Path(sys.executable).parent) / "fieldguide"
    out, err = open(folder / "stdout.log", "wb"), open(folder / "stderr.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [str(fieldguide), "serve", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=out,
        stderr=err,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply:
                    if reply.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("the app did not start: " + (folder / "stderr.log").read_text()[-2000:])
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
        out.close()
        err.close()
