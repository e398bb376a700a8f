"""Engine: the loaded model and index together, behind the calls the CLI and app make."""

from __future__ import annotations

from dataclasses import dataclass

from .answer import Answer, compose_answer
from .config import Settings
from .rerank import prewarm
from .safety import hotlines_first, is_urgent
from .search import Hit, hybrid_search, one_thread, sentence_vectors
from .store import Index, load_index


@dataclass
class Engine:
    """A model plus a loaded (read-only) index; `reload` swaps in a newer build."""

    settings: Settings
    embedder: object
    index: Index

    @classmethod
    def open(cls, settings: Settings, embedder) -> Engine:
        """Load the current index for this embedder (raises IndexNotFound / IndexMismatch)."""
        return cls(settings, embedder, _load(settings, embedder))

    def reload(self) -> None:
        """Point at the newest build; the old index object stays valid for readers holding it."""
        self.index = _load(self.settings, self.embedder)

    def search(
        self, query: str, k: int | None = None, doc_ids: set[str] | None = None
    ) -> list[Hit]:
        """Hybrid search over the current index."""
        return hybrid_search(self.index, self.embedder, query, self.settings, k, doc_ids)

    def ask(self, question: str, k: int | None = None, doc_ids: set[str] | None = None) -> Answer:
        """Search, then compose a cited extractive answer (or abstain)."""
        index = self.index  # one index for the whole question, even if a reload happens
        with one_thread():
            qvec = self.embedder.encode_query(question)
            k = k or self.settings.k
            urgent = is_urgent(question)
            depth = max(k, self.settings.candidates) if urgent else k
            hits = hybrid_search(
                index, self.embedder, question, self.settings, depth, doc_ids, qvec
            )
            if urgent:  # someone in danger sees emergency and hotline numbers first
                hits = hotlines_first(hits)[:k]
            # sentence vectors are shared with the second stage: none is encoded twice
            sentences = sentence_vectors(self.embedder)
            return compose_answer(question, hits, sentences, self.settings, qvec)


def _load(settings: Settings, embedder) -> Index:
    index = load_index(settings.index, embedder.name, embedder.weights_sha256, embedder.dimension)
    # sentence vectors (second stage, answers): the stored ones, or a small index's encoded now
    prewarm(index, sentence_vectors(embedder))
    return index
