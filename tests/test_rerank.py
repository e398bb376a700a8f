"""Second stage: best-sentence scores, the sentence-vector cache, and the re-ordering."""

import numpy as np
import pytest

from fieldguide.chunk import Chunk
from fieldguide.rerank import SentenceVectors, passage_sentences, rerank_sentences


class _Index:
    def __init__(self, chunks):
        self.chunks = chunks


def _chunk(n, text):
    sentences, start = [], 0
    for part in text.split(". "):
        sentences.append((start, start + len(part)))
        start += len(part) + 2
    return Chunk(f"d{n}:0", f"d{n}", "T", "", None, 0, len(text), text, "", sentences)


def test_passage_sentences_follow_spans():
    chunk = _chunk(1, "Beds open at nine. Call first")
    assert passage_sentences(chunk) == ["Beds open at nine", "Call first"]


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


def test_prewarm_encodes_a_small_index_once(fake_embedder):
    from fieldguide.rerank import prewarm

    index = _Index([_chunk(1, "Beds open at nine. Call first"), _chunk(2, "Vans run on Fridays")])
    cache = SentenceVectors(fake_embedder)
    assert prewarm(index, cache) == 3
    assert prewarm(index, cache) == 3 and len(fake_embedder.encoded) == 3
    assert prewarm(index, SentenceVectors(fake_embedder), limit=2) == 0
