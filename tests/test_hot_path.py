"""Guard the start-up path: work kept off it must stay off. Not a timing test.

docs/performance.md measures the time; this checks the reasons for it, in a fresh process
with output piped, so that a later change cannot quietly put the heavy work back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_path.paths import CACHE_DIR_ENV, DATA_DIR_ENV

PROBE = """
import json, sys
from mlops_path.cli import main
sys.argv = ["mlops-path", *sys.argv[1:]]
try:
    main()
except SystemExit as stop:
    code = stop.code
from mlops_path.catalogue import CatalogueFile, Item
loaded = set(sys.modules)
report = {
    "code": code,
    "modules": sorted(m for m in loaded if m.split(".")[0] in ("rich", "tomli_w")
                      or m in ("mlops_path.events", "mlops_path.event_schema",
                               "mlops_path.validation", "mlops_path.search",
                               "mlops_path.text_study", "mlops_path.text_records",
                               "mlops_path.json_forms")),
    "catalogue_validator_built": CatalogueFile.__pydantic_complete__ or Item.__pydantic_complete__,
}
# Parsed: read as written (its patterns compiled), or through tomllib and pydantic.
lines = sys.modules.get("mlops_path.event_lines")
report["store_parsed"] = "mlops_path.event_schema" in loaded or bool(
    lines and lines._patterns.cache_info().currsize
)
sys.stderr.write(json.dumps(report) + "\\n")
"""


def probe(data_dir: Path, cache_dir: Path, *args: str) -> dict[str, object]:
    env = {**os.environ, DATA_DIR_ENV: str(data_dir), CACHE_DIR_ENV: str(cache_dir)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    report: dict[str, object] = json.loads(result.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None), result.stderr
    return report


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return a data and a cache folder with some history, after one command has run."""
    folder = tmp_path_factory.mktemp("warm")
    data_dir, cache_dir = folder / "data", folder / "cache"
    probe(data_dir, cache_dir, "done", "free-ml-courses", "rlhf")
    probe(data_dir, cache_dir, "next")
    return data_dir, cache_dir


def test_next_in_a_pipe_stays_light(warm: tuple[Path, Path]) -> None:
    report = probe(*warm, "next")
    # No rich, no TOML writer, no store model: only the text forms.
    assert report["modules"] == ["mlops_path.text_records", "mlops_path.text_study"]
    assert report["catalogue_validator_built"] is False


def test_json_output_stays_light(warm: tuple[Path, Path]) -> None:
    report = probe(*warm, "list", "--json")
    assert report["modules"] == ["mlops_path.json_forms"]
    assert report["catalogue_validator_built"] is False


def test_done_appends_without_parsing_the_history(warm: tuple[Path, Path]) -> None:
    report = probe(*warm, "done", "ml-test-score")
    assert report["store_parsed"] is False
    assert report["catalogue_validator_built"] is False
    # The events are written in mlops-path's own line form: no TOML serialiser is loaded.
    assert report["modules"] == [
        "mlops_path.events",
        "mlops_path.text_records",
        "mlops_path.text_study",
    ]


def test_id_completion_stays_light(warm: tuple[Path, Path]) -> None:
    data_dir, cache_dir = warm
    env = {
        **os.environ,
        DATA_DIR_ENV: str(data_dir),
        CACHE_DIR_ENV: str(cache_dir),
        "_MLOPS_PATH_COMPLETE": "complete_bash",
        "COMP_WORDS": "mlops-path done rl",
        "COMP_CWORD": "2",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["rlhf"]
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report["modules"] == []
    assert report["catalogue_validator_built"] is False


def test_a_cold_start_still_parses_the_store(tmp_path: Path) -> None:
    """The guard is not vacuous: without a cache the store is parsed (and checked)."""
    probe(tmp_path / "data", tmp_path / "cache-a", "done", "rlhf")
    report = probe(tmp_path / "data", tmp_path / "cache-b", "done", "ml-test-score")
    assert report["store_parsed"] is True


def test_after_the_cache_is_lost_only_the_first_write_reads_the_store(tmp_path: Path) -> None:
    """The layout marker is noted as read once it is checked, as when this version writes it."""
    probe(tmp_path / "data", tmp_path / "cache-a", "done", "rlhf")
    first = probe(tmp_path / "data", tmp_path / "cache-b", "done", "ml-test-score")
    second = probe(tmp_path / "data", tmp_path / "cache-b", "done", "free-ml-courses")
    assert first["store_parsed"] is True
    assert second["store_parsed"] is False
