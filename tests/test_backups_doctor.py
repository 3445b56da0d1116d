"""Backups before every write, doctor's report, restoring, and renamed items."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from mlops_path.backups import BACKUP_GENERATIONS
from mlops_path.loading import catalogue_problems
from mlops_path.services import open_services
from mlops_path.validation import parse_catalogue

from .helpers import Invoke


def events_in(path: Path) -> int:
    return len(tomllib.loads(path.read_text()).get("events", []))


def backup(data_dir: Path, own_file: Path, generation: int) -> Path:
    """Return a generation of this device's backups of its current file."""
    return data_dir / "backups" / "laptop" / f"{own_file.name}.{generation}"


def test_each_write_keeps_the_previous_file_in_rotation(
    invoke: Invoke, data_dir: Path, own_file: Path
) -> None:
    items = ["rlhf", "ml-test-score", "rules-of-ml", "ml-tools-200"]
    for item in items:
        invoke("done", item)
    # The first write had nothing to back up; each later one kept the file before it.
    assert [events_in(backup(data_dir, own_file, n)) for n in (1, 2, 3)] == [3, 2, 1]
    assert not backup(data_dir, own_file, 4).exists()
    assert events_in(own_file) == 4


def test_rotation_keeps_a_bounded_number_of_generations(
    invoke: Invoke, data_dir: Path, own_file: Path
) -> None:
    for _ in range(BACKUP_GENERATIONS + 3):
        invoke("start", "rlhf")
        invoke("reset", "rlhf")
    names = sorted(p.name for p in (data_dir / "backups" / "laptop").iterdir())
    assert len(names) == BACKUP_GENERATIONS
    assert events_in(backup(data_dir, own_file, 1)) == 2 * (BACKUP_GENERATIONS + 3) - 1


def test_an_empty_file_never_displaces_a_backup(
    invoke: Invoke, data_dir: Path, own_file: Path
) -> None:
    invoke("done", "rlhf")
    invoke("done", "ml-test-score")
    good_backup = backup(data_dir, own_file, 1).read_bytes()
    own_file.write_text('schema = 3\ndevice = "laptop"\n')  # emptied by a sync gone wrong
    invoke("done", "rules-of-ml")
    assert backup(data_dir, own_file, 1).read_bytes() == good_backup
    assert not backup(data_dir, own_file, 2).exists()


def test_doctor_on_a_healthy_store(invoke: Invoke, data_dir: Path, own_file: Path) -> None:
    invoke("done", "rlhf")
    invoke("done", "ml-test-score")
    result = invoke("doctor")
    assert result.exit_code == 0
    assert f"data folder  {data_dir}" in result.stdout
    assert "progress   ok, 2 events" in result.stdout
    assert "device     laptop (this device): 1 file, 2 events, newest " in result.stdout
    assert "catalogue  valid, mlops-guide 2026.11.0: 7 sections, 50 items" in result.stdout
    assert f"laptop/{own_file.name}.1" in result.stdout
    report = json.loads(invoke("doctor", "--json").stdout)
    assert report["healthy"] is True
    assert report["files"]["progress"] == str(data_dir / "progress")
    assert report["this_device"] == "laptop"
    assert report["devices"]["laptop"]["events"] == 2
    assert report["catalogue"] == {
        "problems": [],
        "id": "mlops-guide",
        "version": "2026.11.0",
        "sections": 7,
        "items": 50,
    }
    assert [b["events"] for b in report["backups"]] == [1]


def test_doctor_with_nothing_recorded(invoke: Invoke, data_dir: Path) -> None:
    result = invoke("doctor")
    assert result.exit_code == 0
    assert "nothing recorded yet" in result.stdout
    assert not data_dir.exists()


def test_doctor_reports_a_broken_file_and_restore_brings_back_the_backup(
    invoke: Invoke, data_dir: Path, own_file: Path
) -> None:
    invoke("done", "rlhf")
    invoke("done", "ml-test-score")
    own_file.write_bytes(b"\x00\x01 garbage")
    report = invoke("doctor")
    assert report.exit_code == 1
    assert f"BROKEN: {own_file}: is not valid TOML" in report.stdout
    assert "mlops-path doctor --restore" in report.stdout
    assert invoke("next").exit_code == 1  # every other command stops, naming the file

    restored = invoke("doctor", "--restore")
    assert restored.exit_code == 0
    assert f"Restored {own_file} from " in restored.stdout
    assert "(1 event, saved" in restored.stdout
    done = [i["id"] for i in json.loads(invoke("list", "--status", "done", "--json").stdout)]
    assert done == ["rlhf"]
    kept = list((data_dir / "backups" / "laptop").glob("*.replaced-*"))
    assert [path.read_bytes() for path in kept] == [b"\x00\x01 garbage"]


def test_restore_without_a_backup_says_so(invoke: Invoke, own_file: Path) -> None:
    invoke("done", "rlhf")  # first write: nothing to back up yet
    own_file.write_text("not toml [")
    result = invoke("doctor", "--restore")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"mlops-path: error: no backup with any history for {own_file}")
    assert own_file.read_text() == "not toml ["


GONE = """
[[events]]
id = "0123456789abcdef0123456789abcdef"
catalogue = "mlops-guide"
item = "an-item-that-was-removed"
action = "done"
at = 2026-01-01T10:00:00Z

[[events]]
id = "1123456789abcdef0123456789abcdef"
catalogue = "another-path"
item = "chapter-1"
action = "done"
at = 2026-01-01T10:00:00Z
"""


def test_doctor_lists_orphans_and_writes_keep_them(
    invoke: Invoke, store_file: Path, data_dir: Path
) -> None:
    data_dir.mkdir()
    store_file.write_text("schema = 2\n" + GONE)
    invoke("done", "rlhf")
    report = json.loads(invoke("doctor", "--json").stdout)
    assert report["orphaned_ids"] == {"an-item-that-was-removed": 1}
    assert report["other_catalogues"] == {"another-path": 1}
    text = invoke("doctor").stdout
    assert "kept, but not in the catalogue: an-item-that-was-removed (1)" in text
    assert "another-path (1 event)" in text
    moved = sorted((data_dir / "progress" / "laptop").glob("*.toml"))
    assert sum(events_in(path) for path in moved) == 3  # the older store, moved, and the new one


RENAMED = b"""
[catalogue]
id = "mlops-guide"
title = "Renamed"
version = "2"

[[sections]]
id = "one"
title = "One"

[[items]]
id = "new-name"
aliases = ["an-item-that-was-removed"]
section = "one"
title = "Renamed item"
kind = "book"
summary = "s"
effort = 5
"""


def test_aliases_carry_progress_to_a_renamed_item(
    invoke: Invoke, store_file: Path, data_dir: Path
) -> None:
    data_dir.mkdir()
    store_file.write_text("schema = 2\n" + GONE)
    renamed = parse_catalogue(RENAMED, source="renamed.toml")
    services = replace(open_services(), catalogue=renamed)
    shown = json.loads(invoke("show", "new-name", "--json", obj=services).stdout)
    assert shown["status"] == "done"
    assert json.loads(invoke("show", "an-item-that-was-removed", "--json", obj=services).stdout)[
        "id"
    ] == ("new-name")
    report = json.loads(invoke("doctor", "--json", obj=services).stdout)
    assert report["orphaned_ids"] == {}


def test_restore_as_json(invoke: Invoke, own_file: Path, data_dir: Path) -> None:
    invoke("done", "rlhf")
    invoke("done", "ml-test-score")
    own_file.write_text("broken [")
    report = json.loads(invoke("doctor", "--restore", "--json").stdout)
    assert report["restored"] == str(backup(data_dir, own_file, 1))
    assert report["to"] == str(own_file)
    assert report["previous_kept_at"].startswith(
        str(backup(data_dir, own_file, 1)).removesuffix(".1")
    )
    assert json.loads(invoke("doctor", "--json").stdout)["healthy"] is True


def test_doctor_validates_catalogues_in_full(tmp_path: Path) -> None:
    assert catalogue_problems(None) == ()  # the bundled guide, which other commands trust
    broken = tmp_path / "broken.toml"
    broken.write_text(RENAMED.decode().replace('kind = "book"', 'kind = "podcast"'))
    (problem,) = catalogue_problems(broken)
    assert problem.startswith(f"{broken}:16: items[0].kind: unknown kind 'podcast'")


def test_restore_refuses_to_roll_back_a_healthy_store(
    invoke: Invoke, data_dir: Path, own_file: Path
) -> None:
    invoke("done", "rules-of-ml")
    invoke("done", "rlhf")
    before = own_file.read_bytes()
    refused = invoke("doctor", "--restore")
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"mlops-path: error: the progress files in {data_dir} are healthy; restoring would roll "
        "them back; add --force to restore the newest backup anyway (the file is kept)\n"
    )
    assert own_file.read_bytes() == before
    forced = json.loads(invoke("doctor", "--restore", "--force", "--json").stdout)
    assert Path(forced["previous_kept_at"]).read_bytes() == before
    items = [entry["item"] for entry in json.loads(invoke("log", "--json").stdout)]
    assert items == ["rules-of-ml"]


def test_an_escaped_inline_events_array_is_never_appended_to(
    invoke: Invoke, data_dir: Path, store_file: Path
) -> None:
    """A valid store whose events are an inline array under an escaped key: rewrite, not append."""
    data_dir.mkdir()
    store_file.write_text(
        'schema = 2\n"\\u0065vents" = [ { id = "e1", catalogue = "mlops-guide", item = "rlhf", '
        'action = "done", at = 2026-01-01T00:00:00Z } ]\n'
    )
    for item in ("ml-test-score", "rules-of-ml"):
        assert invoke("done", item).exit_code == 0
    done = {entry["item"] for entry in json.loads(invoke("log", "--json").stdout)}
    assert done == {"rlhf", "ml-test-score", "rules-of-ml"}
    assert json.loads(invoke("doctor", "--json").stdout)["healthy"] is True


def test_doctor_finds_a_read_only_data_folder(
    invoke: Invoke, tiny_fs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    monkeypatch.setenv("MLOPS_PATH_DATA_DIR", str(tiny_fs))
    invoke("done", "rlhf")
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_fs)], check=True)
    result = invoke("doctor")
    assert result.exit_code == 1
    assert "cannot be written; every change will fail" in result.stdout
    assert json.loads(invoke("doctor", "--json").stdout)["store"]["writable"] is False
