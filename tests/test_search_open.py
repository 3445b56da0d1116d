"""Search, open, and next with a time budget and its reasons."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from mlops_path.errors import InvalidValueError
from mlops_path.inputs import parse_minutes
from mlops_path.paths import DATA_DIR_ENV

from .helpers import Invoke, run_cli


def search_ids(invoke: Invoke, *words: str) -> list[str]:
    return [hit["id"] for hit in json.loads(invoke("search", *words, "--json").stdout)]


def test_search_ignores_case_and_accents(invoke: Invoke) -> None:
    assert search_ids(invoke, "SCHUTZE") == ["intro-information-retrieval"]
    assert search_ids(invoke, "schütze") == ["intro-information-retrieval"]


def test_search_ranks_titles_above_summaries_and_needs_every_word(invoke: Invoke) -> None:
    hits = json.loads(invoke("search", "feature", "--json").stdout)
    ids = [hit["id"] for hit in hits]
    assert ids[:2] == ["feature-engineering", "feature-platforms"]
    assert hits[0]["score"] > hits[-1]["score"]
    # The section's own summary mentions feature platforms too: its items follow, ranked lower.
    assert search_ids(invoke, "feature", "platforms")[0] == "feature-platforms"
    assert search_ids(invoke, "feature", "zebra") == []
    assert invoke("search", "zebra").stdout == "No items match.\n"


def test_search_finds_authors_and_your_notes(invoke: Invoke) -> None:
    assert search_ids(invoke, "goodfellow") == ["deep-learning-book"]
    invoke("note", "lyft-fraud", "Compare with Stripe Radar")
    hits = json.loads(invoke("search", "radar", "--json").stdout)
    assert [(hit["id"], hit["matched"]) for hit in hits] == [("lyft-fraud", ["notes"])]


def test_search_text_is_required(invoke: Invoke) -> None:
    assert invoke("search").exit_code == 2
    result = invoke("search", " ")
    assert (result.exit_code, result.stderr) == (2, "mlops-path: error: the search text is empty\n")


@pytest.fixture
def fake_browser(tmp_path: Path) -> tuple[Path, Path]:
    """Return a BROWSER script that records the address it is given, and its record file."""
    record = tmp_path / "opened.txt"
    script = tmp_path / "browser"
    script.write_text(f'#!/bin/sh\necho "$1" >> {record}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, record


def test_open_hands_the_address_to_the_browser(
    fake_browser: tuple[Path, Path], data_dir: Path
) -> None:
    script, record = fake_browser
    env = {**os.environ, "BROWSER": str(script), DATA_DIR_ENV: str(data_dir)}
    result = run_cli("open", "rlhf", env=env)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert record.read_text() == "https://huyenchip.com/2023/05/02/rlhf.html\n"


def test_open_print_and_no_browser_print_the_address(invoke: Invoke, data_dir: Path) -> None:
    assert (
        invoke("open", "rlhf", "--print").stdout == "https://huyenchip.com/2023/05/02/rlhf.html\n"
    )
    env = {
        key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")
    }
    env.update(
        {"BROWSER": "/nonexistent/browser", "PATH": "/nonexistent", DATA_DIR_ENV: str(data_dir)}
    )
    result = run_cli("open", "booking", env=env)
    assert result.returncode == 0
    assert result.stdout == "https://dl.acm.org/doi/10.1145/3292500.3330744\n"


def test_open_an_item_without_an_address(invoke: Invoke) -> None:
    result = invoke("open", "ml-interviews-thread")
    assert result.exit_code == 2
    assert result.stderr == (
        "mlops-path: error: item 'ml-interviews-thread' has no address in the catalogue\n"
    )


@pytest.mark.parametrize(
    ("text", "minutes"), [("45m", 45), ("1h", 60), ("1h30m", 90), ("90", 90), ("2H", 120)]
)
def test_durations(text: str, minutes: int) -> None:
    assert parse_minutes(text) == minutes


@pytest.mark.parametrize("text", ["", "soon", "1d", "h", "-5"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(InvalidValueError, match="is not a duration"):
        parse_minutes(text)


def test_next_with_time_takes_what_fits_in_order(invoke: Invoke) -> None:
    items = json.loads(invoke("next", "--time", "1h", "-n", "5", "--json").stdout)
    assert [(i["id"], i["effort"]) for i in items] == [
        ("tools-and-concepts", 20),
        ("stanford-ai-courses", 30),
        ("ml-interviews-thread", 10),
    ]
    assert items[0]["reason"] == "next in the path (#9 of 50), fits in 1h"
    single = json.loads(invoke("next", "--time", "45m", "--json").stdout)
    assert [i["id"] for i in single] == ["tools-and-concepts"]


def test_next_with_a_time_nothing_fits(invoke: Invoke) -> None:
    result = invoke("next", "--time", "5m")
    assert result.exit_code == 0
    assert result.stdout == "Nothing open fits in 5m; try a longer --time.\n"
    assert invoke("next", "--time", "5m", "--json").stdout == "[]\n"


def test_next_explains_itself(invoke: Invoke) -> None:
    invoke("start", "rlhf")
    invoke("done", "ml-tools-200")
    items = json.loads(invoke("next", "-n", "2", "-s", "overview", "--json").stdout)
    assert items[0]["reason"] == "next in the path (#11 of 50)"
    started = json.loads(invoke("next", "--json").stdout)[0]
    assert started["id"] == "rlhf"
    assert started["reason"].startswith("you started it on ")
    v2 = json.loads(invoke("next", "-s", "overview", "-n", "9", "--json").stdout)
    reasons = {item["id"]: item["reason"] for item in v2}
    assert reasons["ml-tools-landscape-v2"] == (
        "next in the path (#15 of 50); ml-tools-200, which it needs, is settled"
    )


def test_next_names_what_is_waiting_on_prerequisites(invoke: Invoke) -> None:
    text = invoke("next", "-s", "overview", "-n", "6").stdout
    assert "1 item waits on prerequisites: ml-tools-landscape-v2 needs ml-tools-200." in text
    assert "Why: next in the path (#11 of 50)." in text
