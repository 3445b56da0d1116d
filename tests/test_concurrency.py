"""Run real mlops-path processes at the same time against one store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_path.paths import DATA_DIR_ENV

from .helpers import guide


def start(args: list[str], data_dir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, DATA_DIR_ENV: str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-m", "mlops_path", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_simultaneous_done_commands_record_every_one(data_dir: Path, soak: bool) -> None:
    """Start `done` on different items at once (20 with --soak, 6 in a normal run)."""
    items = [item.id for item in guide().items][: 20 if soak else 6]
    processes = [start(["done", item], data_dir) for item in items]
    outcomes = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in processes]
    assert outcomes == [(0, "")] * len(items)
    listed = subprocess.run(
        [sys.executable, "-m", "mlops_path", "list", "--status", "done", "--json"],
        env={**os.environ, DATA_DIR_ENV: str(data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert sorted(item["id"] for item in json.loads(listed.stdout)) == sorted(items)


@pytest.mark.slow
def test_same_item_done_at_once_is_recorded_exactly_once(data_dir: Path) -> None:
    processes = [start(["done", "rlhf"], data_dir) for _ in range(5)]
    outputs = [(p.wait(timeout=120), p.stdout.read() if p.stdout else "") for p in processes]
    assert [code for code, _ in outputs] == [0] * 5
    assert sum(out.startswith("Done: rlhf") for _, out in outputs) == 1
    assert sum(out.startswith("Unchanged: rlhf") for _, out in outputs) == 4
    written = "".join(p.read_text() for p in (data_dir / "progress").glob("*/*.toml"))
    assert written.count('item = "rlhf"') == 1


@pytest.mark.slow
def test_restores_racing_notes_lose_nothing_and_never_crash(data_dir: Path, soak: bool) -> None:
    """Notes and restores at once (8 each with --soak, 4): nothing rolled back, nothing crashes."""
    racers = 8 if soak else 3
    for item in ("rlhf", "ml-test-score"):
        assert start(["done", item], data_dir).wait(timeout=60) == 0
    notes = [start(["note", "rlhf", f"note {n}"], data_dir) for n in range(racers)]
    restores = [start(["doctor", "--restore"], data_dir) for _ in range(racers)]
    noted = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in notes]
    refused = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in restores]
    assert noted == [(0, "")] * racers
    assert all(
        code == 2 and "are healthy" in err and "Traceback" not in err for code, err in refused
    )
    shown = subprocess.run(
        [sys.executable, "-m", "mlops_path", "show", "rlhf", "--json"],
        env={**os.environ, DATA_DIR_ENV: str(data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert sorted(json.loads(shown.stdout)["notes"]) == sorted(f"note {n}" for n in range(racers))
