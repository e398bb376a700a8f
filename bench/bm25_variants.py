"""BM25 alone on SciFact whole documents: parameters, stemming and stop words compared.

Usage: python bench/bm25_variants.py   (writes bench/runs/bm25_variants.json)
"""

from __future__ import annotations

import json

import bm25s
import numpy as np
from workspace import RUNS, SCIFACT

from fieldguide import beir, bm25


def tokens(texts, stem: bool, stopwords):
    return bm25s.tokenize(
        [bm25.expand_codes(t) for t in texts],
        stopwords=stopwords,
        stemmer=bm25._stemmer() if stem else None,
        return_ids=False,
        show_progress=False,
    )


def score(data, k1: float, b: float, stem: bool, stopwords) -> dict:
    ids = list(data.corpus)
    docs = [f"{title} {text}" for title, text in data.corpus.values()]
    retriever = bm25s.BM25(k1=k1, b=b)
    retriever.index(
        [t or ["\x00empty"] for t in tokens(docs, stem, stopwords)], show_progress=False
    )
    run = {}
    for qid, text in data.queries.items():
        q = tokens([text], stem, stopwords)[0]
        s = retriever.get_scores(q) if q else np.zeros(len(ids))
        top = np.argsort(-s, kind="stable")[:100]
        run[qid] = {ids[i]: float(s[i]) for i in top}
    return beir.score_run(data.qrels, run)


def main() -> None:
    data = beir.load_beir(SCIFACT)
    rows = {}
    variants = [
        ("k1 1.5 b 0.75, stem, stop en", 1.5, 0.75, True, "en"),
        ("k1 1.2 b 0.75, stem, stop en", 1.2, 0.75, True, "en"),
        ("k1 0.9 b 0.4, stem, stop en", 0.9, 0.4, True, "en"),
        ("k1 1.5 b 0.75, no stem, stop en", 1.5, 0.75, False, "en"),
        ("k1 1.5 b 0.75, stem, no stop", 1.5, 0.75, True, []),
        ("k1 1.5 b 0.75, stem, stop en+", 1.5, 0.75, True, bm25._QUESTION_STOPWORDS),
        ("k1 1.2 b 0.9, stem, stop en", 1.2, 0.9, True, "en"),
        ("k1 2.0 b 0.75, stem, stop en", 2.0, 0.75, True, "en"),
    ]
    for name, k1, b, stem, stop in variants:
        rows[name] = score(data, k1, b, stem, stop)
        print(
            f"{name:36} nDCG@10 {rows[name]['ndcg@10']:.4f}  R@100 {rows[name]['recall@100']:.4f}"
        )
    out = RUNS / "bm25_variants.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
