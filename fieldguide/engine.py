"""Engine: the loaded model and index together, behind the calls the CLI and app make."""

from __future__ import annotations

from dataclasses import dataclass, field

from .answer import Answer, compose_answer, quoted_first
from .build import load_for, multilingual_for
from .config import Settings
from .disagree import find_differences
from .language import ENGLISH, detect_language, parse_languages
from .question import analyse
from .rerank import SentenceVectors, prewarm
from .safety import contact_rank, hotlines_first
from .search import Hit, hybrid_search, one_thread
from .store import Index
from .strings import text

# what a danger question is searched for when its own words found no emergency number
EMERGENCY_QUERY = "In an emergency or immediate danger, call 911."


@dataclass
class Engine:
    """The models plus a loaded (read-only) index; `reload` swaps in a newer build.

    `multilingual` (None when the settings' languages are English only) answers questions in
    other languages from the index's multilingual vectors. Each model has its own sentence
    vectors (the second stage's and the answers'), served from the index's stored ones.
    """

    settings: Settings
    embedder: object
    index: Index
    multilingual: object = None
    sentences: SentenceVectors = field(init=False, repr=False)
    multilingual_sentences: SentenceVectors | None = field(init=False, repr=False)

    def __post_init__(self):
        self.sentences = SentenceVectors(self.embedder)
        self.multilingual_sentences = (
            SentenceVectors(self.multilingual) if self.multilingual is not None else None
        )
        self._prewarm(self.index)

    @classmethod
    def open(cls, settings: Settings, embedder, multilingual=None) -> Engine:
        """Load the current index for these models (raises IndexNotFound / IndexMismatch)."""
        multilingual = multilingual_for(settings, multilingual)
        return cls(settings, embedder, load_for(settings, embedder, multilingual), multilingual)

    def reload(self) -> None:
        """Point at the newest build; the old index object stays valid for readers holding it."""
        # a segment over the build already open reads only its own files
        index = load_for(self.settings, self.embedder, self.multilingual, self.index)
        self._prewarm(index)
        self.index = index

    def _prewarm(self, index: Index) -> None:
        """Sentence vectors ready: the stored ones, or a small index's encoded now; and the
        words its passages write in lower case, so the first question does not wait for them."""
        prewarm(index, self.sentences)
        index.lowercase_words  # noqa: B018 - a cached property, read to fill it
        if self.multilingual_sentences is not None and index.multilingual is not None:
            prewarm(index, self.multilingual_sentences)

    def language_of(self, question: str) -> str:
        """The question's language among the settings' languages ("en" when unsure)."""
        if self.multilingual is None:
            return ENGLISH
        return detect_language(question, parse_languages(self.settings.languages))

    def embedder_for(self, language: str, index: Index | None = None):
        """The model whose vectors serve a question in `language` on `index`."""
        index = index or self.index
        if language != ENGLISH and self.multilingual is not None and index.multilingual:
            return self.multilingual
        return self.embedder

    def sentences_for(self, embedder) -> SentenceVectors:
        """The sentence vectors of `embedder` (one of this engine's models)."""
        if embedder is self.multilingual and self.multilingual_sentences is not None:
            return self.multilingual_sentences
        return self.sentences

    def search(
        self, query: str, k: int | None = None, doc_ids: set[str] | None = None
    ) -> list[Hit]:
        """Hybrid search over the current index, with the vectors for the query's language."""
        index = self.index
        embedder = self.embedder_for(self.language_of(query), index)
        sentences = self.sentences_for(embedder)
        second = self._second_voice(index, query, embedder)
        return hybrid_search(
            index, embedder, query, self.settings, k, doc_ids, None, sentences, second
        )

    def _second_voice(self, index: Index, question: str, embedder):
        """For an English question, the multilingual voice and the question's vector in it,
        when the index holds that voice and the settings give it a share; else None."""
        if (
            embedder is not self.embedder
            or self.multilingual is None
            or index.multilingual is None
            or self.settings.multilingual_english_weight <= 0
        ):
            return None
        with one_thread():
            vector = self.multilingual.encode_query(question)
        return index.multilingual, vector

    @staticmethod
    def _known(index: Index):
        """`known(term)`: whether the index's passages hold a term (or a near spelling of it);
        None for a backend whose BM25 vocabulary is not at hand (then no name is absent)."""
        vocabulary = index.vocabulary()
        return vocabulary[0] if vocabulary else None

    @staticmethod
    def _rarity(index: Index):
        vocabulary = index.vocabulary()
        return vocabulary[1] if vocabulary else None

    def _with_emergency(self, hits: list[Hit], index: Index, doc_ids) -> list[Hit]:
        """`hits`, plus the documents' best passage giving an emergency number if none does.

        However a danger question is worded, the reader should see the documents' own "call
        911" sentence; documents that give no emergency number add nothing.
        """
        if any(contact_rank(hit.text) == 0 for hit in hits):
            return hits
        found = hybrid_search(
            index, self.embedder, EMERGENCY_QUERY, self.settings, self.settings.k, doc_ids
        )
        known = {hit.chunk_id for hit in hits}
        extra = [h for h in found if contact_rank(h.text) == 0 and h.chunk_id not in known]
        return extra[:1] + hits

    def ask(self, question: str, k: int | None = None, doc_ids: set[str] | None = None) -> Answer:
        """Search, then compose a cited extractive answer (or abstain).

        A question in another of the settings' languages is searched with the multilingual
        vectors; its answer is still the documents' own (English) sentences, cited.
        """
        index = self.index  # one index for the whole question, even if a reload happens
        language = self.language_of(question)
        embedder = self.embedder_for(language, index)
        multilingual = embedder is not self.embedder
        sentences = self.sentences_for(embedder)
        q = analyse(question, language)  # once: search, answer and safety read the same
        urgent = q.urgent
        with one_thread():
            qvec = embedder.encode_query(question)
            k = k or self.settings.k
            depth = max(k, self.settings.candidates) if urgent else k
            second = self._second_voice(index, question, embedder)
            hits = hybrid_search(
                index, embedder, question, self.settings, depth, doc_ids, qvec, sentences, second
            )
            if urgent:  # someone in danger sees emergency and hotline numbers first
                hits = hotlines_first(self._with_emergency(hits, index, doc_ids))[:k]
            # sentence vectors are shared with the second stage: none is encoded twice
            answer = compose_answer(
                q,
                hits,
                sentences,
                self.settings,
                qvec,
                threshold=(
                    self.settings.multilingual_abstain_below
                    if multilingual
                    else self.settings.abstain_below
                ),
                baseline=embedder.baseline(qvec) if multilingual else None,
                urgent=urgent,
                known=self._known(index),
                rarity=self._rarity(index),
                lowercase=index.lowercase_words,
            )
        answer = quoted_first(answer)
        if answer.abstained:
            answer.answer = text("not_covered", language)
        answer.language = language
        answer.multilingual = multilingual
        answer.urgent = urgent
        answer.differences = find_differences(answer.hits)
        return answer
