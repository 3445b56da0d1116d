"""States, notes, undo, the activity log, back-dated completions and schema migration."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from .helpers import Invoke, device_files


def status(invoke: Invoke, item: str) -> str:
    return str(json.loads(invoke("show", item, "--json").stdout)["status"])


def next_ids(invoke: Invoke, *args: str) -> list[str]:
    return [item["id"] for item in json.loads(invoke("next", "--json", *args).stdout)]


def test_start_puts_an_item_first_in_next(invoke: Invoke) -> None:
    assert invoke("start", "rlhf").exit_code == 0
    assert status(invoke, "rlhf") == "in-progress"
    assert next_ids(invoke, "-n", "2") == ["rlhf", "free-ml-courses"]
    assert "Unchanged: rlhf  (already in progress since" in invoke("start", "rlhf").stdout


def test_skip_leaves_next_and_is_counted_apart(invoke: Invoke) -> None:
    invoke("skip", "free-ml-courses", "--reason", "did them in 2019")
    assert next_ids(invoke) == ["murphy-mlpp"]
    stats = json.loads(invoke("stats", "--json").stdout)
    assert (stats["done"], stats["skipped"]) == (0, 1)
    assert stats["effort_left"] == stats["effort_total"] - 18000
    shown = json.loads(invoke("show", "free-ml-courses", "--json").stdout)
    assert (shown["status"], shown["skip_reason"]) == ("skipped", "did them in 2019")
    assert "1 skipped (300h, not counted)" in invoke("stats").stdout


def test_a_skipped_prerequisite_no_longer_blocks(invoke: Invoke) -> None:
    assert "ml-tools-landscape-v2" not in next_ids(invoke, "-s", "overview", "-n", "9")
    invoke("skip", "ml-tools-200")
    assert "ml-tools-landscape-v2" in next_ids(invoke, "-s", "overview", "-n", "9")


def test_reset_brings_an_item_back(invoke: Invoke) -> None:
    invoke("done", "free-ml-courses")
    assert invoke("reset", "free-ml-courses").exit_code == 0
    assert status(invoke, "free-ml-courses") == "todo"
    assert next_ids(invoke) == ["free-ml-courses"]
    assert "already to do" in invoke("reset", "free-ml-courses").stdout


def test_start_or_skip_a_done_item_is_refused_with_the_way_out(invoke: Invoke) -> None:
    invoke("done", "rlhf")
    assert "'reset rlhf' to study it again" in invoke("start", "rlhf").stdout
    assert "'reset rlhf' first" in invoke("skip", "rlhf").stdout
    assert status(invoke, "rlhf") == "done"


def test_every_status_filters_list(invoke: Invoke) -> None:
    invoke("done", "rlhf")
    invoke("start", "ml-test-score")
    invoke("skip", "murphy-mlpp")
    for wanted, ids in [
        ("done", ["rlhf"]),
        ("in-progress", ["ml-test-score"]),
        ("skipped", ["murphy-mlpp"]),
    ]:
        listed = json.loads(invoke("list", "--status", wanted, "--json").stdout)
        assert [item["id"] for item in listed] == ids
        assert {item["status"] for item in listed} == {wanted}
    assert len(json.loads(invoke("list", "--status", "todo", "--json").stdout)) == 47


def test_notes_show_up_in_show(invoke: Invoke) -> None:
    invoke("note", "rlhf", "compare with DPO")
    invoke("done", "rlhf", "--note", "reward hacking is scary")
    shown = json.loads(invoke("show", "rlhf", "--json").stdout)
    assert shown["notes"] == ["compare with DPO", "reward hacking is scary"]
    assert [entry["action"] for entry in shown["history"]] == ["note", "done"]
    text = invoke("show", "rlhf").stdout
    assert "your note  compare with DPO" in text


def test_empty_note_is_refused(invoke: Invoke, store_file: Path) -> None:
    result = invoke("note", "rlhf", "   ")
    assert result.exit_code == 2
    assert result.stderr == "mlops-path: error: the note is empty\n"
    assert not store_file.exists()


def test_a_note_of_bytes_that_are_not_utf8_is_refused(invoke: Invoke, data_dir: Path) -> None:
    # A terminal in another encoding passes such bytes through as lone surrogates.
    result = invoke("note", "rlhf", "caf\udce9")
    assert result.exit_code == 2
    assert result.stderr.startswith("mlops-path: error: the text holds bytes that are not UTF-8")
    assert not data_dir.exists()


@pytest.mark.parametrize("folder", ["none", "empty"])
def test_undo_with_nothing_recorded_says_so(invoke: Invoke, data_dir: Path, folder: str) -> None:
    if folder == "empty":
        (data_dir / "progress").mkdir(parents=True)
    for args in (["undo", "--list"], ["undo"]):
        result = invoke(*args)
        assert result.exit_code in (0, 1), result.stderr
        assert "Traceback" not in result.stderr


def test_undo_walks_back_one_change_at_a_time(invoke: Invoke) -> None:
    invoke("start", "rlhf")
    invoke("done", "rlhf")
    invoke("note", "ml-test-score", "later")
    listed = json.loads(invoke("undo", "--list", "--json").stdout)
    assert [(e["action"], e["item"]) for e in listed] == [
        ("note", "ml-test-score"),
        ("done", "rlhf"),
        ("start", "rlhf"),
    ]
    assert "Undid: noted ml-test-score: later" in invoke("undo").stdout
    assert json.loads(invoke("show", "ml-test-score", "--json").stdout)["notes"] == []
    assert "Undid: done rlhf" in invoke("undo").stdout
    assert status(invoke, "rlhf") == "in-progress"
    assert "Undid: started rlhf" in invoke("undo").stdout
    assert status(invoke, "rlhf") == "todo"
    result = invoke("undo")
    assert (result.exit_code, result.stdout) == (0, "Nothing to undo.\n")


def test_undo_of_a_repeat_done_restores_nothing_lost(invoke: Invoke) -> None:
    invoke("done", "rlhf", "--on", "2026-01-05")
    invoke("reset", "rlhf")
    invoke("undo")
    shown = json.loads(invoke("show", "rlhf", "--json").stdout)
    assert (shown["status"], shown["done_at"]) == ("done", "2026-01-05T00:00:00Z")


def test_done_on_an_earlier_date(invoke: Invoke) -> None:
    invoke("done", "rlhf", "--on", "2025-03-14")
    assert json.loads(invoke("show", "rlhf", "--json").stdout)["done_at"] == "2025-03-14T00:00:00Z"
    log = json.loads(invoke("log", "--json").stdout)
    assert log[0]["on"] == "2025-03-14T00:00:00Z"
    assert log[0]["at"].startswith(datetime.now(UTC).date().isoformat())


def test_done_in_the_future_is_refused(invoke: Invoke, store_file: Path) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    result = invoke("done", "rlhf", "--on", tomorrow)
    assert result.exit_code == 2
    assert result.stderr == f"mlops-path: error: --on {tomorrow} is in the future\n"
    assert not store_file.exists()


def test_bad_dates_are_refused(invoke: Invoke) -> None:
    result = invoke("log", "--since", "last tuesday")
    assert result.exit_code == 2
    assert "--since 'last tuesday' is not a date" in result.stderr


def test_log_is_newest_first_and_filters_by_date(invoke: Invoke) -> None:
    invoke("done", "rlhf")
    invoke("start", "ml-test-score")
    entries = json.loads(invoke("log", "--json").stdout)
    assert [(e["action"], e["item"]) for e in entries] == [
        ("start", "ml-test-score"),
        ("done", "rlhf"),
    ]
    assert entries[1]["title"] == "RLHF: Reinforcement Learning from Human Feedback"
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    assert json.loads(invoke("log", "--since", tomorrow, "--json").stdout) == []
    assert invoke("log", "--since", tomorrow).stdout == f"No activity since {tomorrow}.\n"


SCHEMA_1_STORE = """\
# mlops-path progress store: your study history, one event per [[events]] table.
schema = 1

[[events]]
id = "10aea5ca62fe4673aa384474152cd0da"
catalogue = "mlops-guide"
item = "free-ml-courses"
action = "done"
at = 2026-11-20 14:47:36.581910+00:00
note = "good start"
"""


def test_a_schema_1_store_is_read_and_migrated_with_a_copy_kept(
    invoke: Invoke, store_file: Path, data_dir: Path
) -> None:
    data_dir.mkdir()
    store_file.write_text(SCHEMA_1_STORE)
    assert status(invoke, "free-ml-courses") == "done"
    assert store_file.read_text() == SCHEMA_1_STORE  # reading migrates nothing
    invoke("done", "rlhf")
    assert tomllib.loads(store_file.read_text()) == {"schema": 3, "layout": "progress/"}
    moved = [tomllib.loads(path.read_text()) for path in device_files(data_dir)]
    assert {(m["schema"], m["device"]) for m in moved} == {(3, "laptop")}
    items = [e["item"] for m in moved for e in m["events"]]
    assert sorted(items) == ["free-ml-courses", "rlhf"]
    assert (data_dir / "backups" / "progress.schema-1.toml").read_text() == SCHEMA_1_STORE
    shown = json.loads(invoke("show", "free-ml-courses", "--json").stdout)
    assert (shown["done_at"], shown["notes"]) == ("2026-11-20T14:47:36.581910Z", ["good start"])


def test_a_store_from_a_newer_mlops_path_is_refused(
    invoke: Invoke, store_file: Path, data_dir: Path
) -> None:
    data_dir.mkdir()
    store_file.write_text("schema = 4\n")
    result = invoke("next")
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlops-path: error: progress file {store_file}: was written by a newer mlops-path "
        "(schema 4, this one knows 3); upgrade mlops-path to read it\n"
    )


def test_log_shows_the_latest_page_and_says_how_to_see_more(invoke: Invoke) -> None:
    for item in ["rlhf", "ml-test-score", "rules-of-ml"]:
        invoke("done", item)
        invoke("note", item, f"about {item}")
    page = invoke("log", "-n", "2").stdout
    assert "noted rules-of-ml: about rules-of-ml" in page
    assert "done rules-of-ml" in page
    assert "ml-test-score" not in page
    assert "The latest 2 of 6 entries; -n N or --all shows more." in page
    assert len(json.loads(invoke("log", "--json").stdout)) == 6
    assert len(json.loads(invoke("log", "-n", "3", "--json").stdout)) == 3
    assert len(json.loads(invoke("log", "-n", "3", "--all", "--json").stdout)) == 6


def test_log_until_excludes_that_moment(invoke: Invoke) -> None:
    invoke("done", "rlhf")
    assert json.loads(invoke("log", "--until", "2000-01-01", "--json").stdout) == []
    assert invoke("log", "--until", "2000-01-01").stdout == "No activity before 2000-01-01.\n"


def test_undo_follows_recording_order_not_timestamps(
    invoke: Invoke, tmp_path: Path, data_dir: Path
) -> None:
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    other = tmp_path / "other.toml"
    other.write_text(
        "schema = 2\n[[events]]\n"
        f'id = "imported1"\ncatalogue = "mlops-guide"\nitem = "ml-test-score"\n'
        f'action = "done"\nat = {tomorrow.isoformat()}\n'
    )
    assert invoke("import", str(other)).exit_code == 0
    invoke("done", "rlhf")
    undone = json.loads(invoke("undo", "--json").stdout)
    assert undone["reverted"]["item"] == "rlhf"


def test_a_note_given_with_done_on_a_done_item_is_kept(invoke: Invoke) -> None:
    invoke("done", "rlhf", "--on", "2026-01-05")
    result = invoke("done", "rlhf", "--note", "second reading", "--on", "2026-02-01")
    assert result.stdout == (
        "Unchanged: rlhf  (already done on 2026-01-05; keeping that date; for 2026-02-01: "
        "'reset rlhf', then 'done rlhf --on 2026-02-01'; your note is kept)\n"
    )
    shown = json.loads(invoke("show", "rlhf", "--json").stdout)
    assert shown["notes"] == ["second reading"]
    assert shown["done_at"] == "2026-01-05T00:00:00Z"


def test_changes_with_nothing_to_change_create_no_files(invoke: Invoke, data_dir: Path) -> None:
    assert invoke("undo").stdout == "Nothing to undo.\n"
    assert invoke("reset", "rlhf").stdout == "Unchanged: rlhf  (already to do)\n"
    assert not data_dir.exists()
