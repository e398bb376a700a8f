"""The encoder variant (fp32 torch or int8 ONNX): recorded in the manifest, never mixed in one
index, re-embedded on a switch; the int8 file made offline from the packaged weights."""

import json
import socket

import numpy as np
import pytest
from click.testing import CliRunner

from fieldguide import embed
from fieldguide.build import build_index
from fieldguide.cli import main
from fieldguide.config import Settings
from fieldguide.engine import Engine
from fieldguide.errors import FieldGuideError, IndexMismatch
from fieldguide.present import progress_text
from fieldguide.store import current_build

INT8 = {"variant": "int8", "onnx_sha256": "ab" * 32}


def _manifest(settings) -> dict:
    return json.loads((current_build(settings.index) / "manifest.json").read_text())


def test_a_build_records_its_encoder_variant(built):
    assert _manifest(built)["encoder"] == {"variant": "fp32"}


def test_an_index_of_the_other_variant_is_refused_then_re_embedded_whole(
    built, fake_embedder, monkeypatch
):
    monkeypatch.setattr(fake_embedder, "encoder", INT8)
    with pytest.raises(
        IndexMismatch, match="built with the fp32 encoder .* not the configured int8"
    ):
        Engine.open(built, fake_embedder)
    before = _manifest(built)["chunks"]
    fake_embedder.encoded.clear()
    build_index([built.corpus], built, fake_embedder)
    # every passage encoded again: none of the fp32 vectors was reused beside int8 ones
    passages = [c.embed_text() for c in Engine.open(built, fake_embedder).index.chunks]
    assert set(passages) <= set(fake_embedder.encoded)
    assert len(passages) == before
    assert _manifest(built)["encoder"] == INT8


def test_another_int8_file_is_another_variant(built, fake_embedder, monkeypatch):
    monkeypatch.setattr(fake_embedder, "encoder", INT8)
    build_index([built.corpus], built, fake_embedder)
    monkeypatch.setattr(fake_embedder, "encoder", {**INT8, "onnx_sha256": "cd" * 32})
    with pytest.raises(IndexMismatch, match="int8 encoder \\(abababababab\\)"):
        Engine.open(built, fake_embedder)


def test_an_index_from_before_variants_loads_as_fp32(built, fake_embedder):
    from fieldguide.store import load_index

    build = current_build(built.index)
    raw = json.loads((build / "manifest.json").read_text())
    del raw["encoder"]  # what a build before this change wrote
    (build / "manifest.json").write_text(json.dumps(raw))
    assert Engine.open(built, fake_embedder).index.manifest.encoder == {}
    with pytest.raises(IndexMismatch, match="fp32 encoder"):
        load_index(built.index, fake_embedder.name, "fake", 64, None, INT8)


def test_the_encoder_setting_takes_fp32_int8_or_torch_only():
    assert Settings.from_env({}).encoder == "fp32"
    assert Settings.from_env({"FIELDGUIDE_ENCODER": "int8"}).encoder == "int8"
    assert Settings.from_env({"FIELDGUIDE_ENCODER": "torch"}).encoder == "torch"
    with pytest.raises(
        FieldGuideError, match="FIELDGUIDE_ENCODER must be one of fp32, int8, torch"
    ):
        Settings.from_env({"FIELDGUIDE_ENCODER": "int4"})


def test_the_cli_index_reports_its_stages(settings, corpus, fake_embedder):
    seen = []
    build_index([corpus], settings, fake_embedder, lambda *a: seen.append(a))
    stages = [s for s, *_ in seen]
    assert stages.index("reading") < stages.index("embedding")
    reading = [(d, t) for s, d, t in seen if s == "reading"]
    assert reading[-1][0] == reading[-1][1] == len(list(corpus.glob("*.txt")))
    embedding = [(d, t) for s, d, t in seen if s == "embedding"]
    assert embedding[-1][0] == embedding[-1][1] > 0
    result = CliRunner().invoke(main, ["index", "--json"])
    assert result.exit_code == 0, result.output
    assert "Embedding" not in result.output  # no bar under --json


def test_progress_text_gives_the_time_left_at_the_pace_so_far():
    assert progress_text("Indexing passages", 0, 100, 0.0) == "Indexing passages: 0 of 100"
    assert progress_text("Indexing passages", 25, 100, 10.0).endswith("(about 30 s left)")
    assert progress_text("Indexing passages", 10, 100, 60.0).endswith("(about 9 min left)")
    assert progress_text("Reading documents", 5, 5, 12.0) == "Reading documents: 5 of 5"


@pytest.fixture
def no_network(monkeypatch):
    """Every connect and name lookup fails (and is recorded) while the test runs."""
    tried = []

    def refuse(*args, **kwargs):
        tried.append(args)
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return tried


@pytest.mark.model
def test_the_int8_model_is_made_offline_once_and_close_to_fp32(tmp_path, no_network):
    cache = tmp_path / "models"
    int8 = embed.Int8Embedder(cache)
    assert no_network == []
    record = json.loads(next(cache.glob("*/record.json")).read_text())
    assert record["source_sha256"] == int8.weights_sha256
    assert int8.encoder == {"variant": "int8", "onnx_sha256": record["onnx_sha256"]}
    made = next(cache.glob("*/model_qint8.onnx")).stat().st_mtime_ns
    again = embed.Int8Embedder(cache)  # cached: not exported again
    assert next(cache.glob("*/model_qint8.onnx")).stat().st_mtime_ns == made
    assert again.encoder == int8.encoder
    fp32 = embed.Embedder()
    texts = [
        "Free HIV testing is offered at the Westlake clinic on Tuesdays.",
        "Call the national trafficking hotline at any hour.",
        " ".join(["A long passage about shelters and their intake rules."] * 60),  # > 256 pieces
    ]
    cosines = (int8.encode(texts) * fp32.encode(texts)).sum(axis=1)
    assert cosines.min() > 0.98
    assert [int8.count_tokens(t) for t in texts] == [fp32.count_tokens(t) for t in texts]
    query = int8.encode_query(texts[0])
    assert query.shape == (384,) and abs(float(np.linalg.norm(query)) - 1) < 1e-5


@pytest.mark.model
def test_the_default_fp32_encoder_gives_the_torch_models_vectors_without_torch(tmp_path):
    import subprocess
    import sys

    cache = tmp_path / "models"
    onnx = embed.OnnxEmbedder(cache)
    assert onnx.encoder == {"variant": "fp32"}  # the same index as the torch model's
    texts = [
        "Free HIV testing is offered at the Westlake clinic on Tuesdays.",
        " ".join(["A long passage about shelters and their intake rules."] * 60),
    ]
    cosines = (onnx.encode(texts) * embed.Embedder().encode(texts)).sum(axis=1)
    assert cosines.min() > 0.99999
    # ONNX Runtime's optimizer fused each layer's attention into one kernel (the speed-up)
    import onnx as onnx_lib

    graph = onnx_lib.load(str(onnx.quantized.path)).graph
    assert sum(node.op_type == "Attention" for node in graph.node) == 6
    # a fresh process encoding with the cached file never imports torch
    code = (
        "import sys; from pathlib import Path; from fieldguide import embed; "
        f"embed.OnnxEmbedder(Path({str(cache)!r})).encode_query('a shelter'); "
        "print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.model
def test_a_damaged_int8_file_is_made_again(tmp_path):
    cache = tmp_path / "models"
    from fieldguide.quantized import sha256_of

    embed.Int8Embedder(cache)
    onnx_file = next(cache.glob("*/model_qint8.onnx"))
    onnx_file.write_bytes(onnx_file.read_bytes()[:1000])
    again = embed.Int8Embedder(cache)  # the record no longer matches the bytes: made again
    assert onnx_file.stat().st_size > 1_000_000
    assert again.encoder["onnx_sha256"] == sha256_of(onnx_file)
    assert again.encode(["a shelter intake line"]).shape == (1, 384)
