"""Settings: environment overrides, checked once with one-line errors; the README lists them all."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import pytest
from click.testing import CliRunner

from fieldguide.cli import main
from fieldguide.config import Settings, _setting, settings_table
from fieldguide.errors import FieldGuideError


def test_environment_overrides_defaults():
    settings = Settings.from_env({"FIELDGUIDE_K": "8", "FIELDGUIDE_INDEX": "/tmp/x"})
    assert settings.k == 8 and settings.index == Path("/tmp/x")
    assert Settings.from_env({}, k=3).k == 3
    assert Settings.from_env({"FIELDGUIDE_ABSTAIN_BELOW": " 0.25 "}).abstain_below == 0.25


def test_readme_lists_every_setting():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for variable, _default, _ in settings_table():
        assert f"| `{variable}` |" in readme, variable


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("FIELDGUIDE_K", "abc", "FIELDGUIDE_K must be a whole number from 1 to 100 (got 'abc')"),
        ("FIELDGUIDE_K", "0", "FIELDGUIDE_K must be a whole number from 1 to 100 (got '0')"),
        ("FIELDGUIDE_K", "2.5", "FIELDGUIDE_K must be a whole number from 1 to 100"),
        ("FIELDGUIDE_RERANK", "sentence", "FIELDGUIDE_RERANK must be one of none, sentences"),
        ("FIELDGUIDE_FUSION", "RRF", "FIELDGUIDE_FUSION must be one of score, rrf (got 'RRF')"),
        ("FIELDGUIDE_DENSE_WEIGHT", "1.5", "FIELDGUIDE_DENSE_WEIGHT must be a number from 0 to 1"),
        ("FIELDGUIDE_DENSE_WEIGHT", "nan", "FIELDGUIDE_DENSE_WEIGHT must be a number from 0 to 1"),
        ("FIELDGUIDE_MAX_PER_DOC", "-1", "FIELDGUIDE_MAX_PER_DOC must be a whole number, 0 or"),
        ("FIELDGUIDE_CHUNK_TOKENS", "512", "FIELDGUIDE_CHUNK_TOKENS must be a whole number from"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable_and_what_it_may_be(
    monkeypatch, variable, value, message
):
    with pytest.raises(FieldGuideError) as raised:
        Settings.from_env({variable: value})
    assert str(raised.value).startswith(message)
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(main, ["settings"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: " + message) and result.output.count("\n") == 1
    assert "Traceback" not in result.output


def test_values_given_in_python_are_checked_too():
    with pytest.raises(FieldGuideError, match="FIELDGUIDE_RERANK must be one of none, sentences"):
        Settings(rerank="sentence")
    with pytest.raises(FieldGuideError, match="FIELDGUIDE_K must be a whole number"):
        replace(Settings(), k=2.5)
    assert Settings(abstain_below=0).abstain_below == 0.0


def test_paths_are_absolute_from_where_the_settings_are_made(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({"FIELDGUIDE_INDEX": "idx"}, corpus=Path("docs"))
    assert settings.index == tmp_path / "idx" and settings.corpus == tmp_path / "docs"
    monkeypatch.chdir("/")
    assert replace(settings, k=3).index == tmp_path / "idx"  # resolved once, kept


def test_to_env_gives_another_process_the_same_settings(tmp_path):
    settings = Settings(index=tmp_path / "i", k=7, rerank="none", abstain_below=0.25)
    assert Settings.from_env(settings.to_env()) == settings


@dataclass(frozen=True)
class Wider(Settings):
    """Fields of the kinds a later change may add: a list of choices, a bounded float."""

    voices: tuple[Literal["en", "es"], ...] = _setting(("en", "es"), "Voices indexed.")
    threshold: float = _setting(0.5, "Some threshold.", range=(0, 1))


def test_a_new_field_is_checked_by_declaring_its_type_and_range():
    wider = Wider.from_env({"FIELDGUIDE_VOICES": "es", "FIELDGUIDE_THRESHOLD": "0.2"})
    assert wider.voices == ("es",) and wider.threshold == 0.2
    assert Wider.from_env(wider.to_env()) == wider
    with pytest.raises(FieldGuideError, match=r"FIELDGUIDE_VOICES must be one of en, es"):
        Wider.from_env({"FIELDGUIDE_VOICES": "en,fr"})
    with pytest.raises(FieldGuideError, match=r"FIELDGUIDE_THRESHOLD must be a number from 0 to 1"):
        Wider.from_env({"FIELDGUIDE_THRESHOLD": "2"})
