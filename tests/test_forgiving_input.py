"""Names typed in any case or as unique prefixes, suggestions, help spellings, plain wording.

And files as other editors save them: UTF-8 with a byte-order mark.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mlops_path.services import open_services

from .helpers import Invoke


def ids(invoke: Invoke, *args: str) -> list[str]:
    """Return the ids a listing command prints as JSON."""
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return [item["id"] for item in json.loads(result.stdout)]


def test_ids_in_any_case(invoke: Invoke) -> None:
    result = invoke("done", "RLHF", "Rules")
    assert result.exit_code == 0, result.stderr
    assert "Done: rlhf" in result.stdout
    assert "Done: rules-of-ml" in result.stdout


@pytest.mark.parametrize(
    ("typed", "section"),
    [("Overview", "overview"), ("case", "case-studies"), ("ADV", "advanced"), ("bon", "bonus")],
)
def test_sections_in_any_case_and_by_unique_prefix(
    invoke: Invoke, typed: str, section: str
) -> None:
    listed = json.loads(invoke("list", "--section", typed, "--json").stdout)
    assert listed
    assert {item["section"] for item in listed} == {section}


def test_an_ambiguous_section_prefix_names_the_candidates(invoke: Invoke) -> None:
    result = invoke("list", "--section", "ca")
    assert result.exit_code == 2
    assert result.stderr == (
        "mlops-path: error: section prefix 'ca' is ambiguous: it matches career, case-studies\n"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["list", "--kind", "Video"], {"video"}),
        (["list", "--kind", "vid"], {"video"}),
        (["list", "--kind", "LECTURE"], {"lecture-note"}),
    ],
)
def test_kinds_in_any_case_and_by_prefix(
    invoke: Invoke, args: list[str], expected: set[str]
) -> None:
    assert {item["kind"] for item in json.loads(invoke(*args, "--json").stdout)} == expected


@pytest.mark.parametrize("typed", ["Done", "DONE", "do"])
def test_statuses_in_any_case_and_by_prefix(invoke: Invoke, typed: str) -> None:
    invoke("done", "rlhf")
    assert ids(invoke, "list", "--status", typed) == ["rlhf"]


def test_in_progress_by_prefix(invoke: Invoke) -> None:
    invoke("start", "rlhf")
    assert ids(invoke, "list", "--status", "in") == ["rlhf"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["done", "rhlf"], "unknown item 'rhlf'; did you mean 'rlhf'?"),
        (["list", "--section", "advanse"], "unknown section 'advanse'; did you mean 'advanced'?"),
        (["list", "--kind", "papr"], "unknown kind 'papr'; did you mean 'paper'?"),
        (["list", "--status", "dne"], "unknown status 'dne'; did you mean 'done'?"),
        (["export", "--format", "jsn"], "unknown format 'jsn'; did you mean 'json'?"),
        (["nxet"], "unknown command 'nxet'; did you mean 'next'?"),
        (["help", "nxet"], "unknown command 'nxet'; did you mean 'next'?"),
        (["config", "get", "colr"], "unknown setting 'colr'; did you mean 'colour'?"),
        (["next", "--sectoin", "x"], "unknown option '--sectoin'; did you mean '--section'?"),
    ],
)
def test_did_you_mean_wherever_a_value_is_looked_up(
    invoke: Invoke, args: list[str], message: str
) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr == f"mlops-path: error: {message}\n"
    assert "?;" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["next", "-n", "abc"], "-n 'abc' is not a whole number; use e.g. -n 3"),
        (["log", "-n", "lots"], "-n 'lots' is not a whole number; use e.g. -n 3"),
        (["done", ""], "the item id is empty; name an item, e.g. 'rules-of-ml'"),
        (["next", "-n"], "-n needs a value"),
        (["next", "extra"], "unexpected argument 'extra'; see 'mlops-path next --help'"),
        (["note", "rlhf"], "'note' needs TEXT; see 'mlops-path note --help'"),
    ],
)
def test_messages_are_in_our_own_words(invoke: Invoke, args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr == f"mlops-path: error: {message}\n"
    for foreign in ("Input should be", "Invalid value", "Missing argument", "No such", "Got "):
        assert foreign not in result.stderr


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_h_is_help_everywhere(invoke: Invoke, flag: str) -> None:
    for args in ([], ["next"], ["catalogue"], ["catalogue", "new"], ["config", "set"]):
        result = invoke(*args, flag)
        assert result.exit_code == 0, args
        assert "Usage: mlops-path" in result.stdout


def test_help_command(invoke: Invoke) -> None:
    assert invoke("help").stdout == invoke("--help").stdout
    assert invoke("help", "done").stdout == invoke("done", "--help").stdout
    nested = invoke("help", "catalogue", "new")
    assert nested.stdout == invoke("catalogue", "new", "--help").stdout
    assert "Example: mlops-path catalogue new" in nested.stdout


def test_bare_command_says_where_to_start(invoke: Invoke) -> None:
    result = invoke()
    assert result.exit_code == 0
    assert "Start here:    mlops-path next" in result.stdout


def test_bare_group_shows_its_help_and_succeeds(invoke: Invoke) -> None:
    for group in ("catalogue", "config"):
        result = invoke(group)
        assert result.exit_code == 0
        assert f"Usage: mlops-path {group}" in result.stdout


def test_global_options_after_the_command(invoke: Invoke, tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    assert invoke("catalogue", "new", str(mine)).exit_code == 0
    before = ids(invoke, "--catalogue", str(mine), "next", "-n", "2")
    assert ids(invoke, "next", "-n", "2", "-c", str(mine)) == before
    assert ids(invoke, "next", f"--catalogue={mine}", "-n", "2") == before
    assert before != ids(invoke, "next", "-n", "2")


def test_next_with_exactly_one_match_says_so(invoke: Invoke) -> None:
    out = invoke("next", "--kind", "tutorial").stdout
    assert out.startswith("1 item left.\n\n")


def test_a_filtered_list_counts_the_whole_section(invoke: Invoke) -> None:
    invoke("done", "rules-of-ml", "ml-test-score")
    out = invoke("list", "--status", "done", "--section", "overview").stdout
    assert "(overview, 2/7 done)" in out


def test_pace_is_shown_exactly(invoke: Invoke) -> None:
    services = replace(open_services(), clock=lambda: datetime(2026, 11, 26, 12, tzinfo=UTC))
    invoke("done", "rlhf", "--on", "2026-11-20", obj=services)
    out = invoke("stats", obj=services).stdout
    assert "Pace:   0.25 items and" in out


def with_byte_order_mark(path: Path) -> None:
    """Save a file again as Notepad saves UTF-8: a byte-order mark before the text."""
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())


def test_a_catalogue_saved_with_a_byte_order_mark_is_read(invoke: Invoke, tmp_path: Path) -> None:
    catalogue = tmp_path / "mine.toml"
    assert invoke("catalogue", "new", str(catalogue), "--id", "mine").exit_code == 0
    with_byte_order_mark(catalogue)

    result = invoke("--catalogue", str(catalogue), "stats", "--json")

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["catalogue"] == "mine"


def test_a_progress_file_saved_with_a_byte_order_mark_is_read_and_written(
    invoke: Invoke, own_file: Path
) -> None:
    assert invoke("done", "rlhf").exit_code == 0
    with_byte_order_mark(own_file)

    assert json.loads(invoke("show", "rlhf", "--json").stdout)["status"] == "done"
    assert invoke("done", "rules-of-ml").exit_code == 0
    done = {item["id"] for item in json.loads(invoke("list", "--status", "done", "--json").stdout)}
    assert done == {"rlhf", "rules-of-ml"}


def test_settings_saved_with_a_byte_order_mark_are_read(invoke: Invoke, tmp_path: Path) -> None:
    config_file = tmp_path / "config" / "config.toml"
    assert invoke("config", "set", "week-start", "sunday").exit_code == 0
    with_byte_order_mark(config_file)

    assert invoke("config", "get", "week-start").stdout == "sunday\n"


def test_an_export_saved_with_a_byte_order_mark_is_imported(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke("done", "rlhf")
    export_file = tmp_path / "export.json"
    assert invoke("export", "-o", str(export_file)).exit_code == 0
    with_byte_order_mark(export_file)
    monkeypatch.setenv("MLOPS_PATH_DATA_DIR", str(tmp_path / "elsewhere"))

    result = invoke("import", str(export_file))

    assert result.exit_code == 0, result.stderr
    assert json.loads(invoke("show", "rlhf", "--json").stdout)["status"] == "done"
