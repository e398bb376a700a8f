"""Settings: one typed table with defaults and help text, overridable by FIELDGUIDE_* variables."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path


def _setting(default, help_text: str):
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class Settings:
    """Every tunable of Field Guide; `FIELDGUIDE_<NAME>` in the environment overrides a default."""

    index: Path = _setting(Path("index"), "Folder holding the built index.")
    corpus: Path = _setting(Path("corpus"), "Folder of documents indexed by default.")
    chunk_tokens: int = _setting(200, "Most word pieces in one chunk (model limit is 256).")
    k: int = _setting(5, "Passages returned for a question.")
    candidates: int = _setting(50, "Candidates taken from each retriever before fusion.")
    fusion: str = _setting("score", "How dense and BM25 rankings combine: 'score' or 'rrf'.")
    dense_weight: float = _setting(0.5, "Weight of the dense score in score fusion (0..1).")
    code_dense_weight: float = _setting(
        0.6, "Dense weight is multiplied by this for questions with digits, codes or acronyms."
    )
    bm25_k1: float = _setting(1.5, "BM25 term-frequency saturation (k1), applied at index time.")
    bm25_b: float = _setting(0.75, "BM25 length normalisation (b), applied at index time.")
    rerank: str = _setting(
        "sentences",
        "Second stage: 'none' or 'sentences' (best-sentence cosine of top passages; "
        "builds then store sentence vectors).",
    )
    rerank_depth: int = _setting(20, "Passages the second stage re-scores.")
    rerank_weight: float = _setting(0.5, "Share of the best-sentence score in the second stage.")
    max_per_doc: int = _setting(2, "Most passages from one document in the results (0: no cap).")
    duplicate_cosine: float = _setting(
        0.97, "Passages at least this similar are shown as one result listing every source."
    )
    abstain_below: float = _setting(0.30, "Abstain when the best passage's cosine is below this.")
    answer_sentences: int = _setting(3, "Most sentences in an extractive answer.")
    languages: str = _setting(
        "en,es",
        "Languages questions may be asked in (ISO codes). Beyond 'en', builds add "
        "multilingual-e5-small vectors (building takes about 3 times as long) and questions "
        "detected as another language are searched with them.",
    )
    multilingual_dense_weight: float = _setting(
        0.9, "Weight of the multilingual dense score against BM25 for non-English questions."
    )
    multilingual_rerank_weight: float = _setting(
        0.8, "Share of the best-sentence score in the second stage for non-English questions."
    )
    multilingual_abstain_below: float = _setting(
        0.07,
        "Abstain on a non-English question when its best passage or sentence beats the "
        "question's cosine with unrelated text by less than this.",
    )
    max_upload_mb: int = _setting(25, "Largest file accepted for indexing, in MB.")
    parse_timeout: float = _setting(
        60.0, "Seconds one file may take to parse before it is skipped."
    )

    @property
    def multilingual(self) -> bool:
        """Whether questions beyond English are expected (builds add the multilingual voice)."""
        from .language import parse_languages

        return len(parse_languages(self.languages)) > 1

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> Settings:
        """Defaults, then FIELDGUIDE_* environment variables, then explicit overrides."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(f"FIELDGUIDE_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _convert(f.default, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def _convert(default, raw: str):
    if isinstance(default, Path):
        return Path(raw)
    return type(default)(raw)


def settings_table() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) rows, for the README and `fieldguide settings`."""
    return [
        (f"FIELDGUIDE_{f.name.upper()}", str(f.default), f.metadata["help"])
        for f in dataclasses.fields(Settings)
    ]
