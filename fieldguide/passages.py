"""Passages: a build's chunks.jsonl, written with each line's byte offset and read lazily.

A million passages held as `Chunk` objects cost about 2 GB; a large build's passages are instead
read from the memory-mapped file when asked for (one JSON line, some microseconds), so loading it
touches only the offsets.
"""

from __future__ import annotations

import dataclasses
import json
import mmap
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .chunk import Chunk

CHUNKS = "chunks.jsonl"
CHUNK_OFFSETS = "chunk-offsets.npy"  # byte offset of each line of chunks.jsonl, plus the end


def encode(chunks: list[Chunk]) -> tuple[bytes, np.ndarray]:
    """chunks.jsonl's bytes and the offset of each line (plus the end)."""
    lines = [json.dumps(dataclasses.asdict(c), ensure_ascii=False).encode() + b"\n" for c in chunks]
    offsets = np.cumsum([0] + [len(line) for line in lines], dtype=np.int64)
    return b"".join(lines), offsets


def chunk_from(row: dict) -> Chunk:
    """A Chunk from its JSON line's fields."""
    row["sentences"] = [tuple(span) for span in row.get("sentences", [])]
    return Chunk(**row)


def read_all(path: Path) -> list[Chunk]:
    """Every chunk of a chunks.jsonl, parsed now."""
    with open(path, encoding="utf-8") as handle:
        return [chunk_from(json.loads(line)) for line in handle if line.strip()]


class Passages(Sequence):
    """The chunks of a chunks.jsonl, parsed one at a time when indexed (read-only)."""

    def __init__(self, path: Path, offsets: np.ndarray):
        size = path.stat().st_size
        steps = np.diff(offsets)
        if len(offsets) < 1 or offsets[0] != 0 or offsets[-1] != size or np.any(steps <= 0):
            raise ValueError(f"{CHUNK_OFFSETS} does not match {CHUNKS}")
        self._offsets = offsets
        with open(path, "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        start, end = int(self._offsets[row]), int(self._offsets[row + 1])
        return chunk_from(json.loads(self._map[start:end]))
