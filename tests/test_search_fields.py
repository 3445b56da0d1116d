"""Search finds what people type: every word, in any field, ranked; open says why it printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlops_path.paths import DATA_DIR_ENV
from mlops_path.search import fold, score

from .helpers import Invoke


def hits(invoke: Invoke, *words: str) -> list[tuple[str, list[str]]]:
    """Return each hit's id and the fields it matched in."""
    result = invoke("search", *words, "--json")
    assert result.exit_code == 0, result.stderr
    return [(hit["id"], hit["matched"]) for hit in json.loads(result.stdout)]


def test_the_help_example_finds_something(invoke: Invoke) -> None:
    assert "Example: mlops-path search feature platforms" in invoke("search", "--help").stdout
    assert hits(invoke, "feature", "platforms")[0][0] == "feature-platforms"


@pytest.mark.parametrize(
    ("words", "item", "field"),
    [
        (["tuulos"], "netflix-streaming", "links"),
        (["colyer", "lessons"], "booking-150-models", "links"),
        (["hackernoon"], "chicisimo-fashion", "publisher"),
        (["order", "given"], "free-ml-courses", "note"),
        (["Goodfellow"], "deep-learning-book", "authors"),
    ],
)
def test_every_field_is_searched(invoke: Invoke, words: list[str], item: str, field: str) -> None:
    found = dict(hits(invoke, *words))
    assert item in found
    assert field in found[item]


def test_every_word_must_match_somewhere(invoke: Invoke) -> None:
    assert hits(invoke, "tuulos", "airbnb") == []
    assert invoke("search", "tuulos", "airbnb").stdout == "No items match.\n"


def test_the_learners_notes_and_case_and_accents(invoke: Invoke) -> None:
    invoke("note", "rlhf", "Compare with DPO, résumé later")
    assert hits(invoke, "dpo", "RESUME") == [("rlhf", ["notes"])]


def test_a_title_match_ranks_above_a_summary_match(invoke: Invoke) -> None:
    found = [item for item, _ in hits(invoke, "monitoring")]
    assert found.index("distribution-shifts") < len(found)
    first_fields = hits(invoke, "monitoring")[0][1]
    assert "title" in first_fields


def test_a_plural_finds_the_singular() -> None:
    assert score("feature stores", {"title": ["A feature store"]}) is not None
    assert score("boss", {"title": ["a bos"]}) is None


def test_open_without_a_display_prints_the_address_and_says_why(data_dir: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")
    }
    env[DATA_DIR_ENV] = str(data_dir)
    result = open_rlhf(env)
    assert result.returncode == 0
    assert result.stdout == "https://huyenchip.com/2023/05/02/rlhf.html\n"
    assert result.stderr == (
        "mlops-path: no graphical browser here (no DISPLAY); set BROWSER to choose one; "
        "here is the address:\n"
    )


def test_open_says_when_browser_names_a_missing_program(data_dir: Path) -> None:
    env = {**os.environ, "BROWSER": "/nonexistent/browser", DATA_DIR_ENV: str(data_dir)}
    result = open_rlhf(env)
    assert result.returncode == 0
    assert result.stdout == "https://huyenchip.com/2023/05/02/rlhf.html\n"
    assert "BROWSER names '/nonexistent/browser', not a program here" in result.stderr


def open_rlhf(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `mlops-path open rlhf` as its own process, with no browser to hand."""
    return subprocess.run(
        [sys.executable, "-m", "mlops_path", "open", "rlhf"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@given(text=st.text(st.characters(max_codepoint=127)) | st.text())
def test_folding_ascii_text_quickly_folds_it_as_the_full_rule_does(text: str) -> None:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    assert fold(text) == "".join(ch for ch in decomposed if not unicodedata.combining(ch))
