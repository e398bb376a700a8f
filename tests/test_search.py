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


def test_select_folds_near_identical_passages_and_caps_documents():
    import numpy as np

    from fieldguide.search import select

    a, b = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    vectors = np.vstack([a, a, b, b * 0.9 + a * 0.1, a * 0.8 + b * 0.6])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    docs = ["x", "y", "x", "x", "z"]
    picked = select(list(range(5)), vectors, docs, k=3, per_doc=0, same=0.97)
    assert picked == [(0, [1]), (2, [3]), (4, [])]  # row 1 repeats row 0 in another document
    capped = select(list(range(5)), vectors, docs, k=3, per_doc=1, same=1.1)
    assert [i for i, _ in capped] == [0, 1, 4]  # x, y, z: one each before a second x
    assert [i for i, _ in select(list(range(3)), vectors, ["x"] * 3, 2, 1, 1.1)] == [0, 1]


def test_duplicate_passages_become_one_hit_listing_every_source(settings, fake_embedder, corpus):
    from fieldguide.build import build_index

    text = (settings.corpus / "westlake.txt").read_text()
    (settings.corpus / "westlake-copy.txt").write_text(text)
    build_index([corpus], settings, fake_embedder)
    hits = Engine.open(settings, fake_embedder).search("Covenant House California", k=3)
    assert hits[0].also and {hits[0].doc_id, hits[0].also[0].doc_id} == {
        "westlake",
        "westlake-copy",
    }
    assert len({h.text for h in hits}) == len(hits)


def test_second_stage_keeps_exact_tokens_findable(built, fake_embedder):
    from dataclasses import replace

    engine = Engine.open(replace(built, rerank="sentences"), fake_embedder)
    for query, expected in [("pc 647b", "647(b)"), ("8885392373", "888-539-2373")]:
        assert expected in engine.search(query, k=3)[0].text


def test_a_unique_keyword_finds_its_passage_first(settings, fake_embedder):
    text = "Where is the van?\n\n" + "\n\n".join(
        f"Stop {i}?\n\nThe van parks at corner {i} every evening." for i in range(12)
    )
    (settings.corpus / "van.txt").write_text(text + "\n\nLast stop?\n\nAsk for zqlantern there.\n")
    from fieldguide.build import build_index

    build_index([settings.corpus], settings, fake_embedder)
    hits = Engine.open(settings, fake_embedder).search("zqlantern", k=1)
    assert "zqlantern" in hits[0].text


def test_fusion_scales_each_side_over_the_head_only():
    # the head (top candidates) spans 0..1; a deeper candidate keeps its place below it
    dense = {1: 0.9, 2: 0.7, 3: 0.1}
    lexical = {1: 2.0, 2: 4.0, 3: 0.0}
    fused = dict(score_fusion(dense, lexical, 0.5, head={1, 2}))
    assert fused[1] == pytest.approx(0.5) and fused[2] == pytest.approx(0.5)
    assert fused[3] < 0  # below the head on both sides
    assert minmax({1: 2.0, 2: 2.0, 3: 1.0}, head={1, 2}) == {1: 1.0, 2: 1.0, 3: 0.0}


def test_a_query_runs_on_one_thread_and_gives_the_threads_back(built, fake_embedder):
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(2)
    seen = []
    encode_query = fake_embedder.encode_query

    def recording(text):
        seen.append(faiss.omp_get_max_threads())
        return encode_query(text)

    fake_embedder.encode_query = recording
    try:
        engine = Engine.open(built, fake_embedder)
        engine.search("free STI testing")
        engine.ask("free STI testing")
        after = faiss.omp_get_max_threads()
    finally:
        faiss.omp_set_num_threads(before)  # later tests get the threads they started with
    assert seen and set(seen) == {1}  # torch and FAISS follow this thread's OpenMP setting
    assert after == 2  # a build after a search still gets both cores
