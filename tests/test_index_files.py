"""A corrupt or foreign index folder gives a clear message, never a crash or a wrong citation;
the CLI says so on one line with exit code 1, and the next `fieldguide index` repairs it."""

import hashlib
import json
import os
import shutil
from pathlib import Path

import faiss
import numpy as np
import pytest
from builders import make_text
from click.testing import CliRunner
from conftest import CORPUS, FakeEmbedder, FakeMultilingual

from fieldguide.build import build_index
from fieldguide.cli import main
from fieldguide.config import Settings
from fieldguide.engine import Engine
from fieldguide.errors import IndexMismatch, IndexNotFound
from fieldguide.store import current_build, load_index

REBUILD = "rebuild it with: fieldguide index"


def _edit_json(name: str, change):
    def damage(build: Path) -> None:
        data = json.loads((build / name).read_text())
        (build / name).write_text(json.dumps(change(data)))

    return damage


def _edit_lines(change):
    def damage(build: Path) -> None:
        lines = (build / "chunks.jsonl").read_text().splitlines()
        (build / "chunks.jsonl").write_text("\n".join(change(lines)) + "\n")

    return damage


def _swap_first_two(items: list) -> list:
    return [items[1], items[0], *items[2:]]


def _edit_text(lines: list[str]) -> list[str]:
    row = json.loads(lines[0])
    row["text"] = "Call 555-000-0000 for everything."  # a passage the documents never said
    return [json.dumps(row), *lines[1:]]


def _faiss(build: Path, vectors: np.ndarray) -> None:
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    faiss.write_index(index, str(build / "vectors.faiss"))


def _stored(build: Path) -> np.ndarray:
    index = faiss.read_index(str(build / "vectors.faiss"))
    return np.vstack([index.reconstruct(i) for i in range(index.ntotal)])


def _truncate(name: str, keep: float = 0.5):
    def damage(build: Path) -> None:
        data = (build / name).read_bytes()
        (build / name).write_bytes(data[: int(len(data) * keep)])

    return damage


def _garbage(name: str):
    def damage(build: Path) -> None:
        (build / name).write_bytes(os.urandom(2048))

    return damage


def _offsets(change):
    """Sentence offsets changed and checksummed again, as if a build had written them."""

    def damage(build: Path) -> None:
        path = build / "sentence-offsets.npy"
        np.save(path, change(np.load(path)))
        manifest = json.loads((build / "manifest.json").read_text())
        manifest["files"][path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
        (build / "manifest.json").write_text(json.dumps(manifest))

    return damage


def _pointer(content: bytes):
    def damage(build: Path) -> None:
        (build.parent.parent / "CURRENT").write_bytes(content)

    return damage


def _other_bm25(build: Path) -> None:
    """The lexical index of another build with as many passages."""
    from fieldguide import bm25

    count = len((build / "chunks.jsonl").read_text().splitlines())
    shutil.rmtree(build / "bm25")
    bm25.build([f"unrelated passage {n}" for n in range(count)]).save(str(build / "bm25"))


DAMAGE = {
    "vectors.faiss truncated": _truncate("vectors.faiss"),
    "vectors.faiss emptied": _truncate("vectors.faiss", 0),
    "vectors.faiss garbage": _garbage("vectors.faiss"),
    "vectors.faiss missing": lambda b: (b / "vectors.faiss").unlink(),
    "vectors.faiss of another dimension": lambda b: _faiss(
        b, np.eye(len(_stored(b)), 32, dtype=np.float32)
    ),
    "vectors.faiss one vector short": lambda b: _faiss(b, _stored(b)[:-1]),
    "vectors.faiss rows reordered": lambda b: _faiss(
        b, np.array(_swap_first_two(list(_stored(b))))
    ),
    "manifest not JSON": lambda b: (b / "manifest.json").write_text("{not json"),
    "manifest a list": lambda b: (b / "manifest.json").write_text("[1, 2]"),
    "manifest missing": lambda b: (b / "manifest.json").unlink(),
    "manifest without dimension": _edit_json(
        "manifest.json", lambda m: {k: v for k, v in m.items() if k != "dimension"}
    ),
    "manifest with an unknown field": _edit_json("manifest.json", lambda m: {**m, "extra": 1}),
    "manifest chunk count edited": _edit_json("manifest.json", lambda m: {**m, "chunks": 3}),
    "manifest names another model": _edit_json(
        "manifest.json", lambda m: {**m, "model": "some/other-model"}
    ),
    "manifest dimension edited": _edit_json("manifest.json", lambda m: {**m, "dimension": 384}),
    "manifest format from the future": _edit_json(
        "manifest.json", lambda m: {**m, "format_version": 99}
    ),
    "manifest lost a document": _edit_json(
        "manifest.json",
        lambda m: {**m, "documents": {k: v for k, v in m["documents"].items() if k != "westlake"}},
    ),
    "CURRENT names a missing build": _pointer(b"20000101-000000-00000000"),
    "CURRENT empty": _pointer(b""),
    "CURRENT points outside": _pointer(b"../../etc"),
    "CURRENT points at the parent": _pointer(b".."),
    "CURRENT binary garbage": _pointer(b"\xff\xfe\x00\x81garbage"),
    "build folder deleted": lambda b: shutil.rmtree(b),
    "chunks.jsonl truncated mid-line": _truncate("chunks.jsonl", 0.7),
    "chunks.jsonl garbage bytes": _garbage("chunks.jsonl"),
    "chunks.jsonl emptied": _truncate("chunks.jsonl", 0),
    "chunks.jsonl a line is a number": _edit_lines(lambda lines: ["42", *lines[1:]]),
    "chunks.jsonl a line is a list": _edit_lines(lambda lines: ["[1, 2]", *lines[1:]]),
    "chunks.jsonl a line lost its text": _edit_lines(
        lambda lines: [
            json.dumps({k: v for k, v in json.loads(lines[0]).items() if k != "text"}),
            *lines[1:],
        ]
    ),
    "chunks.jsonl two lines swapped": _edit_lines(_swap_first_two),
    "chunks.jsonl a passage rewritten": _edit_lines(_edit_text),
    "chunks.jsonl one line short": _edit_lines(lambda lines: lines[:-1]),
    "bm25 folder missing": lambda b: shutil.rmtree(b / "bm25"),
    "bm25 parameters garbage": _garbage("bm25/params.index.json"),
    "bm25 vocabulary truncated": _truncate("bm25/vocab.index.json"),
    "bm25 arrays garbage": _garbage("bm25/data.csc.index.npy"),
    "bm25 of another index": _other_bm25,
    "sentences.npy truncated": _truncate("sentences.npy"),
    "sentences.npy garbage": _garbage("sentences.npy"),
    "sentences.npy missing": lambda b: (b / "sentences.npy").unlink(),
    "sentence-offsets.npy truncated": _truncate("sentence-offsets.npy"),
    "sentence-offsets.npy garbage": _garbage("sentence-offsets.npy"),
    "sentence-offsets.npy missing": lambda b: (b / "sentence-offsets.npy").unlink(),
    "sentence offsets shifted by one": _offsets(lambda o: np.r_[o[:1], o[1:-1] + 1, o[-1:]]),
    "sentence offsets not increasing": _offsets(lambda o: np.r_[o[:1], o[2:3], o[1:2], o[3:]]),
    "sentence offsets one chunk short": _offsets(lambda o: o[:-1]),
    "sentence offsets as floats": _offsets(lambda o: o.astype(np.float64)),
    "sentence offsets a 2-d table": _offsets(lambda o: o.reshape(1, -1)),
    "manifest sentence count edited": _edit_json(
        "manifest.json", lambda m: {**m, "sentences": m["sentences"] - 1}
    ),
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """The default corpus indexed once; each test damages its own copy."""
    root = tmp_path_factory.mktemp("pristine")
    (root / "corpus").mkdir()
    for path in CORPUS.glob("*.txt"):  # as the `corpus` fixture does
        shutil.copy(path, root / "corpus" / path.name)
    # module scope: set up before the autouse fake multilingual model, so name it here
    settings = Settings(index=root / "index")
    build_index([root / "corpus"], settings, FakeEmbedder(), multilingual=FakeMultilingual())
    return root / "index"


@pytest.fixture
def built(settings, corpus, fake_embedder, pristine):
    shutil.copytree(pristine, settings.index)
    return settings


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_index_is_refused_clearly_and_the_next_build_repairs_it(
    built, fake_embedder, damage
):
    DAMAGE[damage](current_build(built.index))
    with pytest.raises((IndexMismatch, IndexNotFound)) as refused:
        Engine.open(built, fake_embedder)
    assert REBUILD in str(refused.value) or "run: fieldguide index" in str(refused.value)
    for command in (["search", "hotline"], ["ask", "What is the CAST hotline?"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
        assert "fieldguide index" in lines[0] and "Traceback" not in result.output
    # `fieldguide index` repairs it without any manual cleanup
    result = CliRunner().invoke(main, ["index", str(built.corpus)])
    assert result.exit_code == 0, result.output
    hits = Engine.open(built, fake_embedder).search("CAST hotline phone number", k=3)
    assert any("888-539-2373" in h.text for h in hits)


def test_an_index_built_before_sentence_offsets_were_stored_still_loads(built, fake_embedder):
    question = "Where can someone near Westlake get free STI testing?"
    before = Engine.open(built, fake_embedder).ask(question)
    build = current_build(built.index)
    stored = np.load(build / "sentence-offsets.npy")
    assert (
        stored[0] == 0
        and len(stored) == json.loads((build / "manifest.json").read_text())["chunks"] + 1
    )
    (build / "sentence-offsets.npy").unlink()
    _edit_json(
        "manifest.json",
        lambda m: {**m, "files": {k: v for k, v in m["files"].items() if "offsets" not in k}},
    )(build)
    engine = Engine.open(built, fake_embedder)  # derived from the chunks instead
    assert np.array_equal(engine.index.sentence_offsets, stored)
    assert engine.ask(question) == before


def test_no_index_at_all_says_how_to_build_one(settings, fake_embedder):
    with pytest.raises(IndexNotFound, match="run: fieldguide index"):
        Engine.open(settings, fake_embedder)
    result = CliRunner().invoke(main, ["search", "hotline"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: No index in {settings.index} yet - run: fieldguide index"
    ]


def test_an_index_from_another_model_is_refused(built, fake_embedder):
    with pytest.raises(IndexMismatch, match=f"built with model fake-embedder.*{REBUILD}"):
        load_index(built.index, "sentence-transformers/all-MiniLM-L6-v2", "abc", 384)


# --------------------------------------------------------------------------- FAISS padding


@pytest.fixture
def tiny(settings, fake_embedder):
    make_text(settings.corpus, "one.txt", "Is there a clinic?\n\nThe Oak Clinic is open.\n")
    build_index([settings.corpus], settings, fake_embedder)
    return Engine.open(settings, fake_embedder)


def test_asking_for_more_passages_than_exist_never_yields_row_minus_one(tiny, fake_embedder):
    index = tiny.index
    assert index.vectors.ntotal == 1
    raw_scores, raw_rows = index.vectors.search(
        fake_embedder.encode_query("clinic").reshape(1, -1), 10
    )
    assert list(raw_rows[0]).count(-1) == 9  # what FAISS itself pads with
    assert [row for row, _ in index.dense(fake_embedder.encode_query("clinic"), 10)] == [0]
    for doc_ids in (None, {"one"}):
        hits = tiny.search("Is there a clinic?", k=50, doc_ids=doc_ids)
        assert [h.text for h in hits] == ["Is there a clinic?\n\nThe Oak Clinic is open."]
    result = CliRunner().invoke(main, ["search", "clinic", "--k", "100", "--json"])
    assert result.exit_code == 0
    assert [h["doc_id"] for h in json.loads(result.stdout)["hits"]] == ["one"]
