"""Pin the result contract: a JSON and a text form per result; JSON shapes as README says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mlops_path import results
from mlops_path.json_forms import to_json
from mlops_path.output import text_forms

from .helpers import Invoke

ITEM = {
    "id",
    "position",
    "title",
    "section",
    "kind",
    "status",
    "url",
    "effort",
    "authors",
    "year",
    "requires",
    "done_at",
    "started_at",
    "skip_reason",
    "label",
    "parent",
    "optional",
    "planned",
    "one_of",
    "owed",
    "links",
}
ENTRY = {"event", "at", "action", "item", "title", "on", "note", "target", "undone", "device"}
TALLY = {
    "done",
    "total",
    "in_progress",
    "skipped",
    "todo",
    "percent",
    "effort_done",
    "effort_left",
    "effort_skipped",
    "effort_total",
    "unknown_effort",
}
COMMAND_RESULTS = [
    getattr(results, name) for name in results.__all__ if name.endswith(("Result", "Report"))
]


@pytest.mark.parametrize("result_type", COMMAND_RESULTS, ids=lambda t: t.__name__)
def test_every_result_has_one_json_form_and_one_text_form(result_type: type) -> None:
    assert to_json.dispatch(result_type) is not to_json.dispatch(object)
    assert result_type in text_forms()


def run_json(invoke: Invoke, *args: str) -> Any:
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def history(invoke: Invoke) -> Invoke:
    """Give the learner some history: one done with a note, one started, one skipped."""
    invoke("done", "rlhf", "--note", "reward models")
    invoke("start", "ml-test-score")
    invoke("skip", "murphy-mlpp", "--reason", "read it")
    return invoke


def test_item_lists(history: Invoke) -> None:
    listed = run_json(history, "list", "--json")
    assert len(listed) == 50
    assert all(set(item) == ITEM for item in listed)
    assert {item["status"] for item in listed} == {"todo", "done", "in-progress", "skipped"}
    suggested = run_json(history, "next", "-n", "2", "--json")
    assert [set(item) for item in suggested] == [ITEM | {"reason"}] * 2
    found = run_json(history, "search", "rlhf", "--json")
    assert set(found[0]) == ITEM | {"score", "matched"}


def test_show(history: Invoke) -> None:
    shown = run_json(history, "show", "rlhf", "--json")
    assert set(shown) == ITEM | {"summary", "publisher", "note", "notes", "history"}
    assert shown["notes"] == ["reward models"]
    assert [set(entry) for entry in shown["history"]] == [ENTRY]


def test_changes(history: Invoke) -> None:
    changed = run_json(history, "done", "rlhf", "ml-test-score", "--json")
    assert set(changed) == {"action", "changed", "unchanged"}
    assert [set(item) for item in changed["changed"]] == [ITEM]
    assert [set(item) for item in changed["unchanged"]] == [ITEM | {"reason"}]
    assert changed["unchanged"][0]["reason"].startswith("already done on ")


def test_stats_and_sections(history: Invoke) -> None:
    stats = run_json(history, "stats", "--json")
    assert set(stats) == TALLY | {"catalogue", "activity", "sections"}
    assert set(stats["activity"]) == {
        "weeks",
        "current_streak",
        "longest_streak",
        "pace",
        "finish_on",
    }
    assert set(stats["activity"]["pace"]) == {"days", "items_per_week", "effort_per_week"}
    assert set(stats["activity"]["weeks"][0]) == {"start", "items", "effort"}
    assert all(set(section) == TALLY | {"id", "title", "part"} for section in stats["sections"])
    assert run_json(history, "sections", "--json") == stats["sections"]


def test_history_and_undo(history: Invoke) -> None:
    log = run_json(history, "log", "--json")
    assert [set(entry) for entry in log] == [ENTRY] * 3
    undoable = run_json(history, "undo", "--list", "--json")
    assert [entry["event"] for entry in undoable] == [entry["event"] for entry in log]
    undone = run_json(history, "undo", "--json")
    assert set(undone) == {"reverted"}
    assert set(undone["reverted"]) == ENTRY
    assert undone["reverted"]["undone"] is True


def test_nothing_to_undo_is_null(invoke: Invoke) -> None:
    assert run_json(invoke, "undo", "--json") == {"reverted": None}


def test_export_and_import(
    history: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exported = run_json(history, "export")
    assert set(exported) == {"format", "version", "exported_at", "catalogue", "items", "events"}
    assert set(exported["items"][0]) == ITEM | {"notes"}
    target = tmp_path / "export.json"
    target.write_text(json.dumps(exported))
    monkeypatch.setenv("MLOPS_PATH_DATA_DIR", str(tmp_path / "other"))
    imported = run_json(history, "import", str(target), "--json")
    assert imported == {
        "source": str(target),
        "added": 3,
        "already_present": 0,
        "conflicting": [],
    }


def test_doctor(history: Invoke) -> None:
    report = run_json(history, "doctor", "--json")
    assert set(report) == {
        "healthy",
        "files",
        "catalogue",
        "store",
        "this_device",
        "devices",
        "conflict_copies",
        "conflicting_ids",
        "orphaned_ids",
        "other_catalogues",
        "future_events",
        "backups",
    }
    assert set(report["store"]) == {"exists", "problem", "broken_files", "events", "writable"}
    assert set(report["devices"]["laptop"]) == {"files", "events", "newest"}
    assert set(report["backups"][0]) == {"path", "modified", "events", "problem"}


def test_restore_keeps_null_as_null(invoke: Invoke, own_file: Path) -> None:
    invoke("done", "rlhf")
    invoke("done", "ml-test-score")
    own_file.write_text("broken [")
    restored = run_json(invoke, "doctor", "--restore", "--json")
    assert set(restored) == {"restored", "to", "previous_kept_at"}
    assert restored["restored"].endswith(f"{own_file.name}.1")
    assert restored["previous_kept_at"] is not None
    own_file.unlink()  # a file that vanished: restored, with nothing to keep aside
    with pytest.raises(AssertionError):  # nothing is broken, so nothing is restored unasked
        run_json(invoke, "doctor", "--restore", "--json")
    forced = run_json(invoke, "doctor", "--restore", "--force", "--json")
    assert forced["previous_kept_at"] is None
