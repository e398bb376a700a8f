"""Answer: verbatim cited sentences, and abstention when the documents don't answer."""

import dataclasses

from fieldguide.answer import pick_sentences
from fieldguide.engine import Engine


def test_pick_sentences_keeps_close_runners_up():
    assert pick_sentences([0.2, 0.9, 0.8, 0.1], 3) == [1, 2]
    assert pick_sentences([0.5, 0.5, 0.5, 0.5], 3) == [0, 1, 2]
    assert pick_sentences([], 3) == []


def test_answer_sentences_are_verbatim_and_cited(built, fake_embedder):
    # the fake embedder's cosines are low; the real model's threshold is tested in test_model
    engine = Engine.open(dataclasses.replace(built, abstain_below=0.1), fake_embedder)
    answer = engine.ask("What is the phone number of the Center for Health Justice?")
    assert not answer.abstained and answer.citations
    for citation in answer.citations:
        hit = answer.hits[citation.n - 1]
        document = open(hit.source, encoding="utf-8").read().replace("\u2019", "'")
        assert citation.sentence in document.replace("\u201c", '"').replace("\u201d", '"')
        assert f"{citation.sentence} [{citation.n}]" in answer.answer
        assert citation.doc_id == hit.doc_id and citation.section == hit.section
    assert "213-955-7500" in answer.answer


def test_off_topic_question_abstains(built, fake_embedder):
    answer = Engine.open(built, fake_embedder).ask("How do I reset my router password?")
    assert answer.abstained and answer.citations == []
    assert "don't seem to cover" in answer.answer
