"""What a terminal shows at 100, 60 and 30 columns, in colour and plain, and in a pipe."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mlops_path.services import open_services

from .helpers import Invoke

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def in_a_terminal(args: list[str], *, columns: int, env: dict[str, str]) -> str:
    """Run mlops-path on a pseudo-terminal ``columns`` wide; return what it showed."""
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "mlops_path", *args],
        stdout=secondary,
        stderr=secondary,
        env={**env, "COLUMNS": str(columns), "LINES": "50"},
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait()
    os.close(primary)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.parametrize("columns", [30, 60, 100])
def test_plain_text_in_a_terminal_folds_at_words(columns: int, data_dir: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "MLOPS_PATH_DATA_DIR": str(data_dir)}
    shown = in_a_terminal(["list", "--section", "case-studies"], columns=columns, env=env)
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= columns
    words = set(" ".join(lines).split())
    # A long title is folded between its words, never inside one.
    title = "How we grew from 0 to 4 million women on our fashion app, with a vertical"
    for word in title.split(" "):
        assert word in words


def test_plain_text_in_a_pipe_is_never_folded(invoke: Invoke) -> None:
    out = invoke("list", "--section", "case-studies").stdout
    assert any(len(line) > 100 for line in out.splitlines())


@pytest.mark.parametrize("columns", [30, 60, 100])
def test_stats_keep_left_and_iso_weeks_at_any_width(invoke: Invoke, columns: int) -> None:
    services = replace(open_services(), clock=lambda: datetime(2026, 11, 26, 12, tzinfo=UTC))
    invoke("done", "rlhf", "--on", "2026-11-20", obj=services)
    for env in ({"FORCE_COLOR": "1"}, {}):
        result = invoke("stats", obj=services, env={**env, "COLUMNS": str(columns)})
        text = ANSI.sub("", result.stdout)
        if env:
            assert max(len(line) for line in text.splitlines()) <= columns
        assert re.search(r"\bleft\b", text)
        assert "…" not in text
        assert "2026-11-16" in text
