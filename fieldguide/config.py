"""Settings: one typed table with defaults and help text, overridable by FIELDGUIDE_* variables."""

from __future__ import annotations

import dataclasses
import math
import os
import re
import typing
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from .errors import FieldGuideError


def _setting(default, help_text: str, range: tuple[float | None, float | None] | None = None):
    """A field of the table; `range` is (lowest, highest) allowed, inclusive, None for open."""
    return field(default=default, metadata={"help": help_text, "range": range})


@dataclass(frozen=True)
class Settings:
    """Every tunable of Field Guide; `FIELDGUIDE_<NAME>` in the environment overrides a default.

    Values are converted and checked when the settings are made (a `Literal` type lists the
    choices, `range` bounds a number; paths become absolute), so a bad value fails at once with
    one line naming its variable.
    """

    index: Path = _setting(Path("index"), "Folder holding the built index.")
    corpus: Path = _setting(Path("corpus"), "Folder of documents indexed by default.")
    encoder: Literal["fp32", "int8", "torch"] = _setting(
        "fp32",
        "MiniLM as 'fp32' (an ONNX graph exported once from the packaged weights, run by ONNX "
        "Runtime: the torch model's vectors, a 2 s app start), 'torch' (the same model in "
        "sentence-transformers; the same vectors, a 6 s start) or 'int8' (quantised ONNX: "
        "faster builds, slightly lower answer quality; see docs/benchmarks.md). fp32 and torch "
        "build the same index; switching to or from int8 re-embeds at the next build.",
    )
    model_cache: Path = _setting(
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "fieldguide",
        "Folder for the ONNX model files made from the packaged weights (user-writable).",
    )
    chunk_tokens: int = _setting(
        200, "Most word pieces in one chunk (model limit is 256).", range=(10, 256)
    )
    k: int = _setting(5, "Passages returned for a question.", range=(1, 100))
    candidates: int = _setting(
        50, "Candidates taken from each retriever before fusion.", range=(1, None)
    )
    fusion: Literal["score", "rrf"] = _setting(
        "score", "How dense and BM25 rankings combine: 'score' or 'rrf'."
    )
    dense_weight: float = _setting(
        0.5, "Weight of the dense score in score fusion (0..1).", range=(0, 1)
    )
    code_dense_weight: float = _setting(
        0.6,
        "Dense weight is multiplied by this for questions with digits, codes or acronyms.",
        range=(0, 1),
    )
    bm25_k1: float = _setting(
        1.5, "BM25 term-frequency saturation (k1), applied at index time.", range=(0, None)
    )
    bm25_b: float = _setting(
        0.75, "BM25 length normalisation (b), applied at index time.", range=(0, 1)
    )
    rerank: Literal["none", "sentences"] = _setting(
        "sentences",
        "Second stage: 'none' or 'sentences' (best-sentence cosine of top passages; "
        "builds then store sentence vectors).",
    )
    rerank_depth: int = _setting(20, "Passages the second stage re-scores.", range=(1, None))
    rerank_weight: float = _setting(
        0.5, "Share of the best-sentence score in the second stage.", range=(0, 1)
    )
    max_per_doc: int = _setting(
        3, "Most passages from one document in the results (0: no cap).", range=(0, None)
    )
    duplicate_cosine: float = _setting(
        0.97,
        "Passages at least this similar are shown as one result listing every source.",
        range=(0, 1),
    )
    abstain: Literal["calibrated", "cosine"] = _setting(
        "cosine",
        "How to decide a question is not in the documents: 'calibrated' (a logistic model over "
        "cosines, word coverage and answer-type checks, fitted on dev questions) or 'cosine' "
        "(the best passage's cosine below abstain_below).",
    )
    # chosen on every question set together (bench/abstain_threshold.py): 0.30 abstained on 18
    # more answerable questions over the five sets to decline 2 more of 65 unanswerable ones
    abstain_below: float = _setting(
        0.22, "Abstain when the best passage's cosine is below this.", range=(-1, 1)
    )
    answer_sentences: int = _setting(3, "Most sentences in an extractive answer.", range=(1, None))
    languages: str = _setting(
        "en,es",
        "Languages questions may be asked in (ISO codes). Beyond 'en', builds add "
        "multilingual-e5-small vectors (building takes about 3 times as long) and questions "
        "detected as another language are searched with them.",
    )
    multilingual_dense_weight: float = _setting(
        0.9,
        "Weight of the multilingual dense score against BM25 for non-English questions.",
        range=(0, 1),
    )
    multilingual_rerank_weight: float = _setting(
        0.8,
        "Share of the best-sentence score in the second stage for non-English questions.",
        range=(0, 1),
    )
    multilingual_english_weight: float = _setting(
        0.4,
        "Share of the multilingual model's cosine in the ranking of English questions, when "
        "the index holds its vectors (languages beyond 'en'): a second model's view of the "
        "same passages. 0 ranks English questions by MiniLM and BM25 alone.",
        range=(0, 1),
    )
    multilingual_abstain_below: float = _setting(
        0.07,
        "Abstain on a non-English question when its best passage or sentence beats the "
        "question's cosine with unrelated text by less than this.",
        range=(-1, 1),
    )
    exact_below: int = _setting(
        50_000,
        "Builds of fewer passages search their vectors exactly; larger ones use an approximate "
        "index (`approximate`), read their passages from disk as needed, and score each "
        "query's candidates with their exact vectors.",
        range=(0, None),
    )
    segment_above: int = _setting(
        50_000,
        "A change to a build of at least this many passages (documents added, changed or "
        "removed) is written as a small segment searched beside it, in seconds, instead of a "
        "whole new build; the build is made whole again once its segment reaches a tenth of it.",
        range=(1, None),
    )
    approximate: Literal["hnsw", "ivf"] = _setting(
        "hnsw", "The approximate vector index of large builds: 'hnsw' or 'ivf'."
    )
    store: Literal["faiss", "milvus"] = _setting(
        "faiss",
        "Where new builds keep passage vectors and BM25: 'faiss' (files in the index folder) "
        "or 'milvus' (a Milvus collection; needs `pip install 'fieldguide[milvus]'`).",
    )
    milvus_uri: str = _setting(
        "",
        "With store 'milvus': empty for Milvus Lite inside the build folder (this machine "
        "only), or the URI of your organisation's own Milvus server.",
    )
    max_upload_mb: int = _setting(25, "Largest file accepted for indexing, in MB.", range=(1, None))
    parse_timeout: float = _setting(
        60.0, "Seconds one file may take to parse before it is skipped.", range=(1, None)
    )

    def __post_init__(self) -> None:
        types = _types(type(self))
        for f in dataclasses.fields(self):
            value = _checked(f, types[f.name], getattr(self, f.name))
            object.__setattr__(self, f.name, value)  # frozen: set once, here
        from .language import parse_languages

        malformed = [c for c in parse_languages(self.languages) if not re.fullmatch("[a-z]{2}", c)]
        if malformed:  # whether the detector knows a code is checked when a model needs it
            raise FieldGuideError(
                f"{variable('languages')} must be ISO 639-1 language codes such as en,es "
                f"(got {', '.join(repr(code) for code in malformed)})"
            )

    @property
    def multilingual(self) -> bool:
        """Whether questions beyond English are expected (builds add the multilingual voice)."""
        from .language import parse_languages

        return len(parse_languages(self.languages)) > 1

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> Settings:
        """Defaults, then FIELDGUIDE_* environment variables, then explicit overrides.

        Raises:
            FieldGuideError: a value is not of its type, not one of its choices or out of range.
        """
        environ = os.environ if environ is None else environ
        values = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(variable(f.name))
            if raw is not None and raw != "":
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def to_env(self) -> dict[str, str]:
        """Every setting as a FIELDGUIDE_* variable: another process's `from_env` sees the same."""
        return {variable(f.name): shown(getattr(self, f.name)) for f in dataclasses.fields(self)}


def variable(name: str) -> str:
    """The environment variable of a setting."""
    return f"FIELDGUIDE_{name.upper()}"


def shown(value) -> str:
    """A setting's value as it is written in the environment."""
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return str(value)


@cache
def _types(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)


def _checked(f: dataclasses.Field, kind, value):
    """`value` (text from the environment, or a Python value) converted to `kind` and checked."""
    name = variable(f.name)
    if typing.get_origin(kind) is tuple:  # "a,b" from the environment: each item checked
        items = value.split(",") if isinstance(value, str) else value
        item_kind = typing.get_args(kind)[0]
        return tuple(_checked(f, item_kind, item.strip()) for item in items)
    if typing.get_origin(kind) is Literal:
        choices = typing.get_args(kind)
        if value not in choices:
            raise FieldGuideError(f"{name} must be one of {', '.join(choices)} (got {value!r})")
        return value
    if kind is Path:
        return Path(os.path.abspath(os.path.expanduser(value)))
    if kind in (int, float):
        return _number(name, kind, value, f.metadata.get("range"))
    return kind(value)


def _number(name: str, kind, value, bounds):
    low, high = bounds or (None, None)
    what = "a whole number" if kind is int else "a number"
    if low is not None and high is not None:
        allowed = f"{what} from {low} to {high}"
    elif low is not None:
        allowed = f"{what}, {low} or more"
    else:
        allowed = what
    wrong = FieldGuideError(f"{name} must be {allowed} (got {value!r})")
    if isinstance(value, str):
        try:
            value = kind(value.strip())
        except ValueError:
            raise wrong from None
    # a Python value must already be a number of the kind (an int passes as a float)
    if isinstance(value, bool) or not isinstance(value, int if kind is int else (int, float)):
        raise wrong
    number = kind(value)
    if not math.isfinite(number):
        raise wrong
    if (low is not None and number < low) or (high is not None and number > high):
        raise wrong
    return number


def settings_table() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) rows, for the README and `fieldguide settings`."""
    return [
        (variable(f.name), shown(f.default), f.metadata["help"])
        for f in dataclasses.fields(Settings)
    ]
