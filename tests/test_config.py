"""The settings file: config set/get/list/path/unset, what each setting does, and precedence."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from mlops_path.paths import CATALOGUE_ENV, CONFIG_DIR_ENV

from .helpers import Invoke

ESCAPE = "\x1b["


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """Return the settings file of this test (conftest points MLOPS_PATH_CONFIG_DIR here)."""
    return tmp_path / "config" / "config.toml"


def starter(invoke: Invoke, path: Path, catalogue_id: str) -> Path:
    """Write a starter catalogue with its own id and return its path."""
    assert invoke("catalogue", "new", str(path), "--id", catalogue_id).exit_code == 0
    return path


def catalogue_of(invoke: Invoke, *args: str) -> str:
    """Return the id of the catalogue a run studies, from stats --json."""
    result = invoke(*args, "stats", "--json")
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["catalogue"])


def test_config_path_set_get_list_unset(invoke: Invoke, config_file: Path) -> None:
    assert invoke("config", "path").stdout == f"{config_file}\n"
    assert not config_file.exists()
    result = invoke("config", "set", "Color", "NEVER")
    assert result.exit_code == 0
    assert result.stdout.startswith("Set colour = never")
    assert config_file.read_text() == 'colour = "never"\n'
    assert invoke("config", "get", "colour").stdout == "never\n"
    listed = invoke("config", "list").stdout
    assert "colour  never  [config file]" in listed
    assert "week-start  monday  [default]" in listed
    assert invoke("config", "unset", "colour").exit_code == 0
    assert invoke("config", "get", "colour").stdout == "auto\n"


def test_config_dir_override_moves_the_file(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path / "elsewhere"))
    invoke("config", "set", "week-start", "sunday")
    assert (tmp_path / "elsewhere" / "config.toml").is_file()


def test_a_catalogue_set_once_is_used_everywhere(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = starter(invoke, tmp_path / "mine.toml", "mine")
    monkeypatch.chdir(tmp_path)
    assert invoke("config", "set", "catalogue", "mine.toml").exit_code == 0
    assert invoke("config", "get", "catalogue").stdout == f"{mine}\n"  # kept absolute
    monkeypatch.chdir("/")
    assert catalogue_of(invoke) == "mine"
    assert invoke("config", "set", "catalogue", "mlops-guide").exit_code == 0
    assert catalogue_of(invoke) == "mlops-guide"


def test_a_catalogue_named_by_its_id(invoke: Invoke, tmp_path: Path) -> None:
    mine = starter(invoke, tmp_path / "mine.toml", "mine")
    assert catalogue_of(invoke, "--catalogue", str(mine)) == "mine"  # now known by its id
    assert invoke("config", "set", "catalogue", "mine").exit_code == 0
    assert catalogue_of(invoke) == "mine"
    unknown = invoke("config", "set", "catalogue", "nothing-like-it")
    assert unknown.exit_code == 2
    assert "no file or catalogue named 'nothing-like-it'" in unknown.stderr


def test_flag_beats_environment_beats_config(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_config = starter(invoke, tmp_path / "a.toml", "from-config")
    from_env = starter(invoke, tmp_path / "b.toml", "from-env")
    from_flag = starter(invoke, tmp_path / "c.toml", "from-flag")
    invoke("config", "set", "catalogue", str(from_config))
    assert catalogue_of(invoke) == "from-config"
    monkeypatch.setenv(CATALOGUE_ENV, str(from_env))
    assert catalogue_of(invoke) == "from-env"
    assert catalogue_of(invoke, "--catalogue", str(from_flag)) == "from-flag"


def test_colour_setting_and_the_environment_that_wins(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ESCAPE not in invoke("list").stdout  # a pipe: plain by default
    invoke("config", "set", "colour", "always")
    assert ESCAPE in invoke("list").stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESCAPE not in invoke("list").stdout
    monkeypatch.delenv("NO_COLOR")
    invoke("config", "set", "colour", "never")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ESCAPE in invoke("list").stdout


def test_week_start_sunday(invoke: Invoke) -> None:
    invoke("config", "set", "week-start", "sunday")
    weeks = json.loads(invoke("stats", "--json").stdout)["activity"]["weeks"]
    assert {date.fromisoformat(week["start"]).weekday() for week in weeks} == {6}


def test_time_zone_setting_and_tz_that_wins(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke("done", "rlhf", "--on", "2026-11-20T23:30:00+00:00")
    monkeypatch.delenv("TZ")
    invoke("config", "set", "time-zone", "Asia/Tokyo")
    assert "done on  2026-11-21 08:30" in invoke("show", "rlhf").stdout
    monkeypatch.setenv("TZ", "UTC")
    assert "done on  2026-11-20 23:30" in invoke("show", "rlhf").stdout


@pytest.mark.parametrize(
    ("content", "names"),
    [
        ('colour = "blue"\n', ["colour", "'blue' is not one of auto, always, never"]),
        ('week-start = "friday"\n', ["week-start", "friday"]),
        ('time-zone = "Mars/Base"\n', ["time-zone", "not a time zone"]),
        ('colr = "never"\n', ["colr: not a setting", "did you mean 'colour'?"]),
        ("colour = [1, 2]\n", ["colour: must be a string"]),
        ("colour = \n", ["not valid TOML"]),
    ],
)
def test_a_bad_config_is_one_line_naming_file_and_key(
    invoke: Invoke, config_file: Path, content: str, names: list[str]
) -> None:
    config_file.parent.mkdir(parents=True)
    config_file.write_text(content)
    result = invoke("next")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"mlops-path: error: config file {config_file}: ")
    for name in names:
        assert name in result.stderr
    # The way out still works: the file's place, and setting a good value.
    assert invoke("config", "path").exit_code == 0


def test_a_bad_value_is_refused_when_set(invoke: Invoke, config_file: Path) -> None:
    for key, value in [("colour", "blue"), ("week-start", "friday"), ("tz", "Mars/Base")]:
        result = invoke("config", "set", key, value)
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1
    assert not config_file.exists()
