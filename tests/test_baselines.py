"""bench/baselines.py: the same passages as the index, the hit rule, rankings and SciFact runs."""

import sys

from conftest import ROOT

from fieldguide.build import build_index
from fieldguide.store import load_index

sys.path.insert(0, str(ROOT / "bench"))
import baselines  # noqa: E402  (bench/ is scripts, not a package)
from baselines import Passage  # noqa: E402

PASSAGES = [
    Passage("guide:0", "guide", "Call the hotline at 1-888-373-7888.", "Guide\nCall the hotline"),
    Passage("guide:1", "guide", "Shelters open at NINE PM.", "Guide\nShelters open"),
    Passage("other:0", "other", "Shelters open at nine pm in Westlake.", "Other\nShelters"),
]


def test_passages_are_the_ones_the_index_holds(settings, corpus, fake_embedder, tmp_path):
    build_index([corpus], settings, fake_embedder)
    index = load_index(settings.index, fake_embedder.name, "fake", fake_embedder.dimension)
    passages = baselines.corpus_passages(corpus, settings, fake_embedder)
    assert [(p.id, p.doc_id, p.text) for p in passages] == [
        (c.chunk_id, c.doc_id, c.text) for c in index.chunks
    ]
    assert [p.index_text for p in passages] == [c.embed_text() for c in index.chunks]
    dump = tmp_path / "passages.jsonl"
    baselines.write_jsonl(dump, passages)
    assert baselines.read_passages(dump) == passages


def test_a_broken_file_is_skipped_and_the_rest_kept(settings, corpus, fake_embedder, capsys):
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (corpus / "notes.exe").write_bytes(b"MZ")
    passages = baselines.corpus_passages(corpus, settings, fake_embedder)
    assert {p.doc_id for p in passages} == {"north-highlands", "walnut-park", "westlake"}
    assert "broken.pdf" in capsys.readouterr().err


def test_hits_follow_field_guides_rule():
    questions = [
        # case-insensitive substring of the passage text; only the expected document counts
        {"q": "when?", "doc": "other", "expect": ["NINE PM"], "kind": "lookup"},
        {"q": "number?", "doc": "any", "expect": ["373-7888"], "kind": "lookup"},
        {"q": "missing?", "doc": "any", "expect": ["never said"], "kind": "lookup"},
        {"q": "off topic?", "doc": "any", "expect": [], "kind": "unanswerable"},
    ]
    ranked = [
        [("guide:1", 2.0), ("other:0", 1.0)],  # rank 2: guide:1 is the wrong document
        [("guide:0", 1.0)],  # rank 1
        [("guide:0", 1.0), ("other:0", 0.5)],  # no hit
        [("guide:0", 1.0)],  # unanswerable: not counted
    ]
    metrics = baselines.hit_metrics(questions, ranked, PASSAGES)
    assert metrics == {"questions": 3, "hit@1": 0.3333, "hit@3": 0.6667, "mrr@10": 0.5}


def test_a_hit_below_rank_ten_does_not_count():
    question = {"q": "x", "doc": "any", "expect": ["westlake"], "kind": "lookup"}
    ranked = [("guide:0", 1.0)] * 10 + [("other:0", 0.1)]
    assert baselines.hit_metrics([question], [ranked], PASSAGES)["mrr@10"] == 0.0


def test_bm25_returns_only_passages_that_share_a_term():
    ranked = baselines.bm25_rankings(PASSAGES, ["Westlake shelters", "zebra"], 10)
    assert ranked[0][0][0] == "other:0"
    assert {pid for pid, _ in ranked[0]} == {"guide:1", "other:0"}
    assert ranked[1] == []


def test_dense_ranks_by_cosine(fake_embedder):
    ranked = baselines.dense_rankings(PASSAGES, ["call the hotline"], 2, fake_embedder)
    assert len(ranked[0]) == 2
    assert ranked[0][0][0] == "guide:0"


def test_a_document_scores_as_its_best_passage():
    ranked = [[("guide:1", 0.9), ("other:0", 0.8), ("guide:0", 0.7)]]
    assert baselines.document_run(["q1"], ranked, PASSAGES) == {"q1": {"guide": 0.9, "other": 0.8}}
