"""Share fixtures: a private data folder per test and a runner for the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from mlops_path.cli import app
from mlops_path.paths import CACHE_DIR_ENV, DATA_DIR_ENV
from mlops_path.tracker import Tracker

Invoke = Callable[..., Result]


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data folder at a fresh temporary folder, so no test touches the real one."""
    folder = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return folder


@pytest.fixture
def store_file(data_dir: Path) -> Path:
    """Return where the progress store of this test lives."""
    return data_dir / "progress.toml"


@pytest.fixture
def invoke() -> Invoke:
    """Return a function that runs the CLI in-process and returns its result."""
    runner = CliRunner()

    def run(*args: str, obj: object = None) -> Result:
        return runner.invoke(app, list(args), obj=obj, catch_exceptions=False)

    return run


def play(tracker: Tracker, script: list[tuple[str, str]]) -> None:
    """Run a script of (action, item) steps against a tracker, as a learner would."""
    for action, item in script:
        match action:
            case "done":
                tracker.mark_done([item])
            case "start":
                tracker.start([item])
            case "skip":
                tracker.skip([item])
            case "reset":
                tracker.reset([item])
            case "note":
                tracker.add_note(item, f"note on {item}")
            case _:
                tracker.undo()
