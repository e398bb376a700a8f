"""Search: fusion functions, and exact tokens (codes, phone numbers, names) are findable."""

import pytest

from fieldguide.engine import Engine
from fieldguide.search import minmax, query_dense_weight, rrf, score_fusion


def test_rrf_rewards_agreement():
    fused = rrf([[1, 2, 3], [3, 1, 4]])
    assert [item for item, _ in fused][:2] == [1, 3]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_score_fusion_normalises_each_side():
    fused = dict(score_fusion({1: 0.9, 2: 0.5}, {2: 12.0, 3: 4.0}, 0.5))
    assert fused[2] == pytest.approx(0.5)  # worst dense, best lexical
    assert fused[1] == pytest.approx(0.5)
    assert fused[3] == pytest.approx(0.0)
    assert minmax({1: 3.0, 2: 3.0}) == {1: 1.0, 2: 1.0}


def test_codes_lean_on_bm25():
    assert query_dense_weight("pc 647b", 0.5) < 0.5
    assert query_dense_weight("where can I sleep tonight", 0.5) == 0.5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("647(b)", "647(b)"),
        ("pc 647b", "647(b)"),
        ("888-539-2373", "888-539-2373"),
        ("8885392373", "888-539-2373"),
        ("STAR Court", "STAR Court"),
        ("233733", "233733"),
    ],
)
def test_exact_tokens_are_findable(built, fake_embedder, query, expected):
    hits = Engine.open(built, fake_embedder).search(query, k=3)
    assert expected in hits[0].text


def test_document_filter_and_hit_fields(built, fake_embedder):
    engine = Engine.open(built, fake_embedder)
    hits = engine.search("hotline", k=4, doc_ids={"westlake"})
    assert hits and {h.doc_id for h in hits} == {"westlake"}
    hit = hits[0]
    source_text = open(hit.source, encoding="utf-8").read()
    assert hit.title == "Prostitutes in Westlake: Laws, Risks, and Community Impact"
    assert hit.end > hit.start and hit.section
    assert " ".join(hit.text.split()[:5]) in " ".join(source_text.split())
    assert engine.search("   ") == [] and engine.search("hotline", doc_ids={"nope"}) == []
