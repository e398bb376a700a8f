"""Second stage: best-sentence scores, the sentence-vector cache, and the re-ordering."""

import numpy as np
import pytest

from fieldguide.chunk import Chunk
from fieldguide.rerank import SentenceVectors, rerank_sentences
from fieldguide.store import Index, Voice, sentence_offsets


class _Index:
    """Chunks and sentence vectors, read through the real `Index.sentence_rows`."""

    sentence_rows = Index.sentence_rows
    sentence_count = Index.sentence_count
    large = False  # a small build: stored sentence vectors are served by text

    def __init__(self, chunks, sentence_vectors=None):
        self.chunks = chunks
        self.sentence_vectors = sentence_vectors
        self.sentence_offsets = sentence_offsets(chunks)

    def voice(self, model):
        return Voice(model, None, self.sentence_vectors)


def _chunk(n, text):
    sentences, start = [], 0
    for part in text.split(". "):
        sentences.append((start, start + len(part)))
        start += len(part) + 2
    return Chunk(f"d{n}:0", f"d{n}", "T", "", None, 0, len(text), text, "", sentences)


def test_passage_sentences_follow_spans():
    chunk = _chunk(1, "Beds open at nine. Call first")
    assert chunk.sentence_texts() == ["Beds open at nine", "Call first"]


def test_sentence_vectors_encode_each_text_once(fake_embedder):
    cache = SentenceVectors(fake_embedder, size=2)
    cache.encode(["a b", "c d"])
    cache.encode(["a b", "c d"])
    assert fake_embedder.encoded == ["a b", "c d"]
    cache.encode(["e f"])  # evicts the least recently used
    cache.encode(["a b"])
    assert fake_embedder.encoded[-1] == "a b"


def test_a_passage_with_one_matching_sentence_moves_up(fake_embedder):
    chunks = [
        _chunk(1, "Shelter beds and warm meals. Laundry on Mondays"),
        _chunk(2, "Parking rules downtown. The clinic offers free STI testing"),
        _chunk(3, "Unrelated text about the weather"),
    ]
    index = _Index(chunks)
    qvec = fake_embedder.encode_query("free STI testing clinic")
    ranked = [(0, 0.9, 0.0, 0.0), (1, 0.8, 0.0, 0.0), (2, 0.1, 0.0, 0.0)]
    out = rerank_sentences(ranked, index, qvec, SentenceVectors(fake_embedder), 2, 0.7)
    assert [r for r, *_ in out] == [1, 0, 2]
    assert out[1][1] > out[2][1]  # the re-scored head stays above the tail
    same = rerank_sentences(ranked, index, qvec, SentenceVectors(fake_embedder), 2, 0.0)
    assert same == ranked


def test_sentence_scores_use_the_best_sentence(fake_embedder):
    from fieldguide.rerank import sentence_maxsim

    chunks = [_chunk(1, "Nothing here. The clinic offers free STI testing")]
    qvec = fake_embedder.encode_query("The clinic offers free STI testing")
    best = sentence_maxsim(_Index(chunks), [0], qvec, SentenceVectors(fake_embedder))
    assert best[0] == pytest.approx(1.0, abs=1e-5) and isinstance(best, np.ndarray)


def test_a_section_heading_scores_as_one_of_its_passage_s_sentences(fake_embedder):
    import dataclasses

    from fieldguide.rerank import prewarm, sentence_maxsim

    faq = dataclasses.replace(
        _chunk(1, "Service animals are welcome. Pets wait outside"), section="Can I bring my dog?"
    )
    plain = _chunk(2, "Service animals are welcome. Pets wait outside")
    index = _Index([faq, plain])
    cache = SentenceVectors(fake_embedder)
    prewarm(index, cache)  # the heading is encoded when the index opens, not at the question
    assert "Can I bring my dog?" in fake_embedder.encoded
    fake_embedder.encoded.clear()
    qvec = fake_embedder.encode_query("Can I bring my dog?")
    best = sentence_maxsim(index, [0, 1], qvec, cache)
    assert best[0] == pytest.approx(1.0, abs=1e-5) and best[1] < 0.9
    assert fake_embedder.encoded == []
    assert "Can I bring my dog?" not in faq.sentence_texts()  # scored, never quoted


def test_prewarm_encodes_a_small_index_once(fake_embedder):
    from fieldguide.rerank import prewarm

    index = _Index([_chunk(1, "Beds open at nine. Call first"), _chunk(2, "Vans run on Fridays")])
    cache = SentenceVectors(fake_embedder)
    assert prewarm(index, cache) == 3
    assert prewarm(index, cache) == 3 and len(fake_embedder.encoded) == 3
    assert prewarm(index, SentenceVectors(fake_embedder), limit=2) == 0


def test_sentence_vectors_stored_at_build_time_are_served_without_encoding(built, fake_embedder):
    from fieldguide.engine import Engine

    fake_embedder.encoded.clear()
    engine = Engine.open(built, fake_embedder)  # without stored vectors it would encode here
    question = "Where can someone near Westlake get free STI testing?"
    answer = engine.ask(question)
    assert answer.citations  # the second stage and the answer both used sentence vectors
    headings = {chunk.section for chunk in engine.index.chunks}  # encoded at open: few
    assert set(fake_embedder.encoded) <= {question} | headings


def test_use_index_serves_only_an_index_s_stored_sentences(fake_embedder):
    index = _Index([_chunk(1, "Beds open at nine. Call first")])
    cache = SentenceVectors(fake_embedder)
    stored = _Index(index.chunks, fake_embedder.encode(["Beds open at nine", "Call first"]))
    fake_embedder.encoded.clear()
    assert cache.use_index(stored) == 2 and cache.use_index(index) == 0
    cache.use_index(stored)
    cache.encode(["Call first", "Beds open at nine"])
    assert fake_embedder.encoded == []


def test_a_reload_while_a_question_is_encoding_does_not_break_it(fake_embedder):
    old = _Index([_chunk(1, "Beds open at nine. Call first")])
    old.sentence_vectors = fake_embedder.encode(old.chunks[0].sentence_texts())
    new = _Index([_chunk(2, "Vans run on Fridays")], fake_embedder.encode(["Vans run on Fridays"]))
    cache = SentenceVectors(fake_embedder)
    cache.use_index(old)
    encode = fake_embedder.encode

    def reload_meanwhile(texts, **kwargs):  # another session swaps the index mid-question
        cache.use_index(new)
        return encode(texts, **kwargs)

    fake_embedder.encode = reload_meanwhile
    out = cache.encode(["Beds open at nine", "Unseen sentence", "Call first"])
    assert out.shape == (3, fake_embedder.dimension)
    assert np.allclose(out[0], encode(["Beds open at nine"])[0], atol=1e-6)
    cache.use_index(_Index(new.chunks))  # an index without stored vectors stops serving them
    fake_embedder.encode = encode
    fake_embedder.encoded.clear()
    cache.encode(["Vans run on Fridays"])
    assert fake_embedder.encoded == ["Vans run on Fridays"]
