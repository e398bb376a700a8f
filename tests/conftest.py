"""Shared fixtures: a deterministic fake embedder, settings in tmp_path, small built indexes."""

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from fieldguide import bm25, embed
from fieldguide.config import Settings
from fieldguide.library import build_index

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
QUESTIONS = ROOT.parent / "shared" / "eval" / "questions.jsonl"


class FakeEmbedder:
    """Bag of stemmed words hashed into 64 dimensions: fast, deterministic, a little semantic."""

    name = "fake-embedder"
    weights_sha256 = "fake"
    dimension = 64
    max_tokens = 256

    def __init__(self):
        self.encoded: list[str] = []

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for token in bm25.tokenize([text])[0]:
            h = int(hashlib.md5(token.encode()).hexdigest(), 16)
            vector[h % self.dimension] += 1.0 if (h >> 8) % 2 else -1.0
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector

    def encode(self, texts, batch_size=32, progress=None):
        self.encoded += list(texts)
        out = np.array([self._vector(t) for t in texts], dtype=np.float32)
        if progress and texts:
            progress(len(texts), len(texts))
        return out.reshape(len(texts), self.dimension)

    def encode_query(self, text):
        return self._vector(text)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Every test gets its own index and corpus folders; no test touches the repo's index/."""
    monkeypatch.setenv("FIELDGUIDE_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("FIELDGUIDE_CORPUS", str(tmp_path / "corpus"))
    (tmp_path / "corpus").mkdir()
    return Settings.from_env()


@pytest.fixture
def settings(isolated_settings):
    return isolated_settings


@pytest.fixture
def fake_embedder(monkeypatch):
    """The fake model, also returned by `embed.default_embedder()` for CLI and app code."""
    fake = FakeEmbedder()
    monkeypatch.setattr(embed, "default_embedder", lambda: fake)
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
