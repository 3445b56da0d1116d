"""Export files: the format from the extension, '-' for stdout, permissions like any program's."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import Invoke


@pytest.fixture
def umask_022() -> Iterator[None]:
    """Run with the usual umask, 022."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("progress.csv", "position,id,section"),
        ("progress.CSV", "position,id,section"),
        ("progress.md", "# MLOps guide"),
        ("progress.markdown", "# MLOps guide"),
        ("progress.json", "{"),
        ("progress.txt", "{"),
    ],
)
def test_the_format_follows_the_extension(
    invoke: Invoke, tmp_path: Path, name: str, starts: str
) -> None:
    target = tmp_path / name
    result = invoke("export", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == f"Wrote {target}\n"
    assert target.read_text().startswith(starts)


def test_a_format_given_wins_over_the_extension(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "progress.csv"
    invoke("export", "--format", "JSON", "-o", str(target))
    assert json.loads(target.read_text())["format"] == "mlops-path-export"


@pytest.mark.parametrize(("typed", "starts"), [("CSV", "position,"), ("md", "# "), ("Mark", "# ")])
def test_formats_in_any_case_and_md(invoke: Invoke, typed: str, starts: str) -> None:
    result = invoke("export", "--format", typed)
    assert result.exit_code == 0
    assert result.stdout.startswith(starts)


def test_dash_is_stdout(invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("export", "--format", "csv", "-o", "-")
    assert result.stdout.startswith("position,id,section")
    assert not (tmp_path / "-").exists()


@pytest.mark.usefixtures("umask_022")
def test_a_new_file_respects_the_umask(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "progress.json"
    invoke("export", "-o", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


@pytest.mark.usefixtures("umask_022")
def test_an_existing_file_is_replaced_atomically_and_keeps_its_mode(
    invoke: Invoke, tmp_path: Path
) -> None:
    target = tmp_path / "progress.md"
    target.write_text("old\n")
    target.chmod(0o640)
    before = target.stat().st_ino
    invoke("done", "rlhf")
    invoke("export", "-o", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.stat().st_ino != before  # a new file renamed over the old one
    assert "[x]" in target.read_text()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_markdown_dates_are_local_days(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke("done", "rlhf", "--on", "2026-11-20T23:30:00+00:00")
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert "done 2026-11-21" in invoke("export", "--format", "md").stdout
    csv_text = invoke("export", "--format", "csv").stdout
    assert "2026-11-20T23:30:00Z" in csv_text
