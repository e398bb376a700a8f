"""Settings: environment overrides, and the README documents every setting."""

from pathlib import Path

from fieldguide.config import Settings, settings_table


def test_environment_overrides_defaults():
    settings = Settings.from_env({"FIELDGUIDE_K": "8", "FIELDGUIDE_INDEX": "/tmp/x"})
    assert settings.k == 8 and settings.index == Path("/tmp/x")
    assert Settings.from_env({}, k=3).k == 3


def test_readme_lists_every_setting():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for variable, _default, _ in settings_table():
        assert f"| `{variable}` |" in readme, variable
