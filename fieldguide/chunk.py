"""Chunk: split a Document into structure-aware passages that fit the embedding model."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from .ingest import Document
from .tables import SEPARATOR, is_row_line

TokenCounter = Callable[[str], int]

_BULLET = re.compile(r"^([-*\u2022\u2023\u25e6\u2043\u2219]|\d{1,2}[.)])\s+")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
# a numbered subsection's title on its own line ("3.2 Riverbend Warming Site" in a policy PDF),
# not a numbered list item ("1. Call 911")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}\.?\s+[A-Z][^.!?:;]*$")


@dataclass
class Chunk:
    """A passage of a document: its exact text, where it sits, and its sentences."""

    chunk_id: str
    doc_id: str
    title: str
    section: str
    page: int | None
    start: int
    end: int
    text: str
    source: str
    sentences: list[tuple[int, int]] = field(default_factory=list)

    def embed_text(self) -> str:
        """What the models see: document title and section heading give the passage context."""
        head = self.section if self.section and not self.text.startswith(self.section) else ""
        return "\n".join(part for part in (self.title, head, self.text) if part)

    def sentence_texts(self) -> list[str]:
        """The passage's sentences (the whole passage when it has no sentence spans)."""
        spans = self.sentences or [(self.start, self.end)]
        texts = [self.text[s - self.start : e - self.start].strip() for s, e in spans]
        return [t for t in texts if t] or [self.text]


@dataclass
class _Unit:
    kind: str  # "heading" | "paragraph" | "bullet" | "row" (a table row: never cut if it fits)
    start: int
    end: int


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


# pysbd's time grows with the square of its input: feed it windows of bounded length
SEGMENT_WINDOW = 4000


def _windows(text: str, size: int = SEGMENT_WINDOW) -> list[tuple[int, int]]:
    """Split text into spans of at most `size` chars, preferably after a sentence end."""
    spans, start = [], 0
    while len(text) - start > size:
        cut = max(text.rfind(". ", start, start + size), text.rfind("\n", start, start + size))
        if cut <= start:
            cut = text.rfind(" ", start, start + size)
        cut = cut + 1 if cut > start else start + size
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


# a line break after a word that ends no sentence: the line was wrapped ("from 9 am to\nnoon")
_WRAPPED = re.compile(r"(?<=[^\s.!?:])[ \t]*\n(?=[ \t]*[^\s\-*•])")


def _unwrap(text: str) -> str:
    """`text` with its wrapped lines' breaks read as spaces (same length, so spans still fit):
    pysbd ends a sentence at every line break."""
    return _WRAPPED.sub(lambda m: " " * len(m.group()), text)


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence character spans in `text` (shifted by `offset`), trailing spaces excluded."""
    spans = []
    for window_start, window_end in _windows(text):
        window = text[window_start:window_end]
        for piece in _segmenter().segment(_unwrap(window)):
            start, end = piece.start, piece.end
            while end > start and window[end - 1].isspace():
                end -= 1
            while start < end and window[start].isspace():
                start += 1
            if end > start:
                spans.append((start + window_start + offset, end + window_start + offset))
    return spans


def _is_heading(line: str, alone: bool, fresh: bool, known: set[str]) -> bool:
    """Markdown/known headings; a numbered subsection title; a short question line after a
    finished sentence; a title alone."""
    stripped = line.strip()
    if not stripped or _BULLET.match(stripped):
        return False
    if _MD_HEADING.match(stripped) or stripped in known:
        return True
    words = stripped.split()
    if len(stripped) > 120 or len(words) > 16:
        return False
    if stripped.endswith("?"):
        return alone or fresh
    if _NUMBERED_HEADING.match(stripped) and len(words) <= 10:  # its number says what it is
        return True
    return alone and stripped[0].isupper() and stripped[-1] not in ".,;:!)\"'" and len(words) <= 12


def parse_units(doc: Document) -> list[_Unit]:
    """Headings, paragraphs, bullet items and table rows of a document, as spans of its text."""
    known = set(doc.headings)
    units: list[_Unit] = []
    text = doc.text
    for block in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", text):
        lines = [
            (m.start() + block.start(), m.end() + block.start())
            for m in re.finditer(r"[^\n]+", block.group())
        ]
        single = len(lines) == 1
        for i, (start, end) in enumerate(lines):
            line = text[start:end]
            fresh = i == 0 or text[lines[i - 1][0] : lines[i - 1][1]].rstrip()[-1:] in ".!?:"
            if _is_row(line, known):
                units.append(_Unit("row", start, end))
            elif _is_heading(line, single, fresh, known):
                units.append(_Unit("heading", start, end))
            elif _BULLET.match(line.strip()):
                units.append(_Unit("bullet", start, end))
            elif units and units[-1].kind in ("paragraph", "bullet") and units[-1].end + 1 == start:
                units[-1].end = end  # a wrapped line continues the paragraph or bullet
            else:
                units.append(_Unit("paragraph", start, end))
    return _unhead_trailing(units, text, known | {doc.title})


def _unhead_trailing(units: list[_Unit], text: str, keep: set[str]) -> list[_Unit]:
    """A short line taken for a heading with nothing under it before the next heading or the end
    ("Walk-ins welcome", "Call 213-555-0100" closing a flyer) is content: a passage holds it.
    `keep`: headings the document declares, and its title line, stay headings."""
    for i in range(len(units) - 1, -1, -1):
        unit = units[i]
        line = text[unit.start : unit.end].strip()
        if unit.kind != "heading" or _MD_HEADING.match(line) or line in keep:
            continue
        if i + 1 == len(units) or units[i + 1].kind == "heading":
            unit.kind = "paragraph"
    return units


def _is_row(line: str, known: set[str]) -> bool:
    """A table row line ("Organisation: CAST · Phone: …") that is not a known heading."""
    stripped = line.strip()
    return is_row_line(stripped) and stripped not in known and not _MD_HEADING.match(stripped)


def _heading_text(text: str) -> str:
    return _MD_HEADING.sub("", text).strip()


def chunk_document(doc: Document, count_tokens: TokenCounter, max_tokens: int = 200) -> list[Chunk]:
    """Split a document into chunks: one section (heading + answer) per chunk where it fits.

    Args:
        doc: the document.
        count_tokens: the embedding model's word-piece counter.
        max_tokens: most word pieces per chunk, including title and section.

    Returns:
        Chunks in document order; bullets stay with their lead sentence, sentences and table rows
        are never cut (one longer than the limit is split as a last resort: a row at its cells,
        in passages of its own; a sentence at word boundaries).
    """
    sections: list[tuple[str, list[_Unit]]] = []
    for unit in parse_units(doc):
        if unit.kind == "heading":
            sections.append((_heading_text(doc.text[unit.start : unit.end]), [unit]))
        elif sections:
            sections[-1][1].append(unit)
        else:
            sections.append(("", [unit]))
    chunks: list[Chunk] = []
    for section, units in sections:
        body = [u for u in units if u.kind != "heading"]
        if not body:
            continue
        budget = max_tokens - count_tokens(f"{doc.title}\n{section}") - 2
        for start, end, sents in _pack(doc.text, units, count_tokens, max(budget, 16)):
            chunks.append(
                Chunk(
                    f"{doc.doc_id}:{len(chunks)}",
                    doc.doc_id,
                    doc.title,
                    section,
                    doc.page_at(start),
                    start,
                    end,
                    doc.text[start:end],
                    doc.source,
                    sents,
                )
            )
    return chunks


def _pack(text: str, units: list[_Unit], count_tokens: TokenCounter, budget: int):
    """Greedily pack groups (a paragraph with the bullets after it) into spans within budget."""
    groups: list[list[_Unit]] = []
    for unit in units:
        if unit.kind == "bullet" and groups and groups[-1][-1].kind != "heading":
            groups[-1].append(unit)
        else:
            groups.append([unit])
    pieces: list[tuple[int, int, list[tuple[int, int]], int]] = []
    alone: set[int] = set()  # pieces that start a passage: a long row's, and what follows one
    for group in groups:
        for unit in group:
            if unit.kind == "heading":
                heading = text[unit.start : unit.end]
                pieces.append((unit.start, unit.end, [], _cost(heading, count_tokens)))
            elif unit.kind == "row":
                row = _fit_row(text, unit.start, unit.end, count_tokens, budget)
                if len(row) > 1:
                    alone.update((len(pieces), len(pieces) + len(row)))
                pieces.extend(row)
            else:
                for s, e in sentence_spans(text[unit.start : unit.end], unit.start):
                    pieces.extend(_fit_sentence(text, s, e, count_tokens, budget))
    current: list = []
    used = 0
    for index, piece in enumerate(pieces):
        fresh = index in alone and any(p[2] for p in current)
        if current and (used + piece[3] > budget or fresh):
            yield _emit(current)
            current, used = [], 0
        current.append(piece)
        used += piece[3]
    if current and any(p[2] for p in current):
        yield _emit(current)


MAX_WORD_CHARS = 100
# the tokenizer reads a run over 100 characters as one [UNK]: length bounds a passage as well
CHARS_PER_TOKEN = 10


def _cost(text: str, count_tokens: TokenCounter) -> int:
    """A span's weight against the budget: its word pieces, or its length where that is more."""
    return max(count_tokens(text), -(-len(text) // CHARS_PER_TOKEN))


def _fit_row(text, start, end, count_tokens, budget):
    """A table row as one piece (its one sentence); a row over budget is cut between cells,
    and a cell over budget at word boundaries."""
    cost = _cost(text[start:end], count_tokens)
    if cost <= budget:
        return [(start, end, [(start, end)], cost)]
    cells, cursor = [], start
    while (cut := text.find(SEPARATOR, cursor, end)) >= 0:
        cells.append((cursor, cut))
        cursor = cut + len(SEPARATOR)
    cells.append((cursor, end))
    out: list = []
    for cell_start, cell_end in cells:
        for piece in _fit_sentence(text, cell_start, cell_end, count_tokens, budget):
            if out and _cost(text[out[-1][0] : piece[1]], count_tokens) <= budget:
                joined = (out[-1][0], piece[1])
                out[-1] = (*joined, [joined], _cost(text[joined[0] : joined[1]], count_tokens))
            else:
                out.append(piece)
    return out


def _fit_sentence(text, start, end, count_tokens, budget):
    cost = _cost(text[start:end], count_tokens)
    if cost <= budget:
        return [(start, end, [(start, end)], cost)]
    # a "word" longer than any real one (a pasted hash, a 256 kB run) is cut into slices, so no
    # piece can outgrow the budget
    words = list(re.finditer(rf"\S{{1,{MAX_WORD_CHARS}}}", text[start:end]))
    out, first = [], 0
    for i in range(1, len(words) + 1):
        piece_end = start + words[i - 1].end()
        piece_start = start + words[first].start()
        if (
            i == len(words)
            or _cost(text[piece_start : start + words[i].end()], count_tokens) > budget
        ):
            piece = text[piece_start:piece_end]
            out.append(
                (piece_start, piece_end, [(piece_start, piece_end)], _cost(piece, count_tokens))
            )
            first = i
    return out


def _emit(pieces):
    sentences = [span for piece in pieces for span in piece[2]]
    return pieces[0][0], pieces[-1][1], sentences
