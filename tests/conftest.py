"""Share fixtures: a private data folder per test and a runner for the CLI."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from mlops_path.cli import app
from mlops_path.paths import (
    CACHE_DIR_ENV,
    CONFIG_DIR_ENV,
    DATA_DIR_ENV,
    DEVICE_ENV,
    STATE_DIR_ENV,
)

from .helpers import Invoke


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --soak: run the crash and concurrency tests at their full counts."""
    parser.addoption(
        "--soak",
        action="store_true",
        help="run crash and concurrency tests at full counts (200 kills, 50 and 20 writers)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Tell test modules whether this is a soak run; compile the package for the processes."""
    if config.getoption("--soak"):
        os.environ["MLOPS_PATH_TEST_SOAK"] = "1"
    if not hasattr(config, "workerinput"):  # once, in the main process, before the workers
        # An installed wheel comes with bytecode; a checkout under PYTHONDONTWRITEBYTECODE (as
        # on CI) has none, and each of the suite's few hundred processes compiled the whole
        # package again. Writing it explicitly is not affected by that variable.
        import compileall

        import mlops_path

        compileall.compile_dir(Path(mlops_path.__file__).parent, quiet=1)


@pytest.fixture(autouse=True, scope="session")
def _app_converted_once() -> Iterator[None]:
    """Make the click command from the Typer app once per worker, not once per invoke.

    Typer's CliRunner converts the app on every invoke, about 13 ms: a fifth of the suite's
    time went there. The command is the same every time; only the conversion is cached.
    """
    import typer.testing
    from typer.main import get_command

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", cache(get_command))
        yield


@pytest.fixture
def soak(request: pytest.FixtureRequest) -> bool:
    """Tell whether this run is a soak run (--soak), which repeats the slow tests in full."""
    return bool(request.config.getoption("--soak"))


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data folder at a fresh temporary folder, so no test touches the real one."""
    folder = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(STATE_DIR_ENV, str(tmp_path / "state"))
    monkeypatch.setenv(DEVICE_ENV, "laptop")
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path / "config"))
    # Days and times are the learner's local ones: tests pin the zone, and set another to
    # check local days.
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("NO_COLOR", raising=False)
    return folder


@pytest.fixture
def store_file(data_dir: Path) -> Path:
    """Return progress.toml: the layout marker, or an older single store a test writes."""
    return data_dir / "progress.toml"


@pytest.fixture
def own_file(data_dir: Path) -> Path:
    """Return this device's ("laptop") file for the current year, where changes are written."""
    return data_dir / "progress" / "laptop" / f"{datetime.now(UTC):%Y}.toml"


@pytest.fixture
def invoke() -> Invoke:
    """Return a function that runs the CLI in-process and returns its result."""
    runner = CliRunner()

    def run(*args: str, obj: object = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), obj=obj, env=env, catch_exceptions=False)

    return run


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Path]:
    """Mount a real 64 KiB tmpfs (needs root, as in CI); skip where mounting is not allowed."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
