"""Export to JSON, CSV and Markdown; import merges by event id, in any order."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_path.paths import DATA_DIR_ENV
from mlops_path.services import Services

from .helpers import Invoke, examples, play, services_in

NOTE = 'naïve Bayes ≠ 贝叶斯 \U0001f9e0 "quoted" \\ tab\tnew\nline ' + "long " * 4000


def test_json_export_holds_the_log_and_the_state(invoke: Invoke) -> None:
    invoke("done", "rlhf", "--note", NOTE)
    invoke("start", "ml-test-score")
    document = json.loads(invoke("export").stdout)
    assert (document["format"], document["version"]) == ("mlops-path-export", 1)
    assert document["catalogue"]["id"] == "mlops-guide"
    assert [(e["action"], e["item"]) for e in document["events"]] == [
        ("done", "rlhf"),
        ("start", "ml-test-score"),
    ]
    states = {item["id"]: item["status"] for item in document["items"]}
    assert (states["rlhf"], states["ml-test-score"], len(states)) == ("done", "in-progress", 50)


def test_export_then_import_elsewhere_round_trips_exactly(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke("done", "rlhf", "--note", NOTE)
    invoke("skip", "murphy-mlpp", "--reason", "déjà lu")
    export_file = tmp_path / "export.json"
    assert invoke("export", "-o", str(export_file)).exit_code == 0
    before = invoke("list", "--json").stdout

    monkeypatch.setenv("MLOPS_PATH_DATA_DIR", str(tmp_path / "laptop"))
    result = invoke("import", str(export_file))
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Imported 2 new events from {export_file}.")
    assert invoke("list", "--json").stdout == before
    assert json.loads(invoke("show", "rlhf", "--json").stdout)["notes"] == [NOTE]

    again = invoke("import", str(export_file), "--json")
    assert json.loads(again.stdout)["added"] == 0
    assert json.loads(again.stdout)["already_present"] == 2


def test_import_accepts_another_devices_file(
    invoke: Invoke, own_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke("done", "rlhf")
    monkeypatch.setenv("MLOPS_PATH_DATA_DIR", str(tmp_path / "other"))
    invoke("done", "ml-test-score")
    assert invoke("import", str(own_file)).exit_code == 0
    done = json.loads(invoke("list", "--status", "done", "--json").stdout)
    assert [item["id"] for item in done] == ["ml-test-score", "rlhf"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe junk", "is neither an mlops-path JSON export nor a progress store"),
        (b'{"format": "something-else"}', "is not an mlops-path export"),
        (b'{"format": "mlops-path-export", "version": 99, "events": []}', "export version 99"),
        (b'{"format": "mlops-path-export", "version": 1, "events": [{"id": 1}]}', "events.0"),
        (b"{not json", "is not valid JSON"),
    ],
)
def test_import_rejects_what_it_cannot_read(
    invoke: Invoke, tmp_path: Path, store_file: Path, content: bytes, message: str
) -> None:
    invoke("done", "rlhf")
    before = store_file.read_bytes()
    bad = tmp_path / "bad"
    bad.write_bytes(content)
    result = invoke("import", str(bad))
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert store_file.read_bytes() == before


def test_import_of_a_missing_file(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("import", str(tmp_path / "nope.json"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlops-path: error: cannot read {tmp_path / 'nope.json'}: No such file or directory\n"
    )


def test_csv_export(invoke: Invoke) -> None:
    invoke("done", "rlhf", "--note", "a, with comma")
    rows = list(csv.DictReader(io.StringIO(invoke("export", "--format", "csv").stdout)))
    assert len(rows) == 50
    rlhf = next(row for row in rows if row["id"] == "rlhf")
    assert (rlhf["status"], rlhf["notes"], rlhf["section"]) == (
        "done",
        "a, with comma",
        "intermediate",
    )
    assert rows[0]["position"] == "1"


def test_markdown_export_is_the_guide_as_a_checklist(invoke: Invoke) -> None:
    invoke("done", "rlhf", "--on", "2026-02-03")
    text = invoke("export", "-f", "markdown").stdout
    assert text.startswith("# MLOps guide\n")
    assert "## MLOps › Intermediate\n" in text
    assert (
        "- [x] [RLHF: Reinforcement Learning from Human Feedback]"
        "(<https://huyenchip.com/2023/05/02/rlhf.html>) (45m, done 2026-02-03)"
    ) in text
    assert "- [ ] The ML interviews process (10m)" in text
    assert "  - see also: [Human-Centric Machine Learning Infrastructure @Netflix]" in text
    assert text.count("- [") == 50


def test_unknown_export_format(invoke: Invoke) -> None:
    result = invoke("export", "--format", "xml")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "mlops-path: error: unknown format 'xml'; use one of: json, csv, markdown\n"
    )


ITEMS = ["rlhf", "ml-test-score", "rules-of-ml", "murphy-mlpp"]
ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["done", "start", "skip", "reset", "note", "undo"]), st.sampled_from(ITEMS)
    ),
    max_size=8,
)


@settings(
    max_examples=examples(15, soak=100),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(laptop=ACTIONS, desktop=ACTIONS)
def test_merging_two_machines_gives_the_same_state_in_either_order(
    tmp_path_factory: pytest.TempPathFactory,
    laptop: list[tuple[str, str]],
    desktop: list[tuple[str, str]],
) -> None:

    def machine() -> Services:
        return services_in(tmp_path_factory.mktemp("machine"))

    a, b = machine(), machine()
    play(a, laptop)
    play(b, desktop)
    a_export = a.store.path.parent / "a.json"
    b_export = b.store.path.parent / "b.json"
    a.export("json", output=a_export)
    b.export("json", output=b_export)
    a.import_file(b_export)
    b.import_file(a_export)
    assert a.queries.states() == b.queries.states()
    assert {e.id for e in a.queries.events()} == {e.id for e in b.queries.events()}
    assert a.import_file(b_export).added == ()


def test_export_to_a_folder_that_does_not_exist(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "folder" / "out.json"
    result = invoke("export", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"mlops-path: error: cannot write {target}: No such file or directory\n"
    assert not target.exists()


def _beyond_utc(exported: str) -> str:
    """Return an export whose first event happened at a moment UTC cannot hold."""
    data = json.loads(exported)
    data["events"][0]["at"] = "9999-12-31T23:59:59-23:59"
    return json.dumps(data)


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        # JSON may escape a lone surrogate; no UTF-8 file can hold one.
        (lambda exported: exported.replace("NOTE", "caf\\udce9"), "lone surrogate"),
        (_beyond_utc, "outside the years 1 to 9999"),
    ],
)
def test_an_import_of_what_no_file_can_hold_is_refused_in_one_line(
    invoke: Invoke, tmp_path: Path, edit: Callable[[str], str], problem: str
) -> None:
    invoke("done", "rlhf", "--note", "NOTE")
    exported = tmp_path / "export.json"
    invoke("export", "--format", "json", "-o", str(exported))
    exported.write_text(edit(exported.read_text()))
    other = {DATA_DIR_ENV: str(tmp_path / "other")}
    result = invoke("import", str(exported), env=other)
    assert result.exit_code != 0
    assert problem in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "other" / "progress").exists()
