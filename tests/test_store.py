"""Check the progress store's guarantees: atomic, locked, never overwrites what it cannot read."""

from __future__ import annotations

import errno
import fcntl
import os
import random
import signal
import subprocess
import sys
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mlops_path.cache import ReadCache
from mlops_path.errors import StoreError
from mlops_path.events import SCHEMA, Event, new_event
from mlops_path.files import atomic_write
from mlops_path.store import ProgressStore

from .helpers import append, device_files, make_store


def add(store: ProgressStore, item: str, *, catalogue: str = "mlops-guide") -> Event:
    event = new_event(catalogue=catalogue, item=item, action="done", note=None)
    append(store, [event])
    return event


def test_missing_store_is_an_empty_history_and_creates_nothing(tmp_path: Path) -> None:
    store = make_store(tmp_path / "new")
    assert store.load() == ()
    assert not (tmp_path / "new").exists()


def test_first_write_creates_the_folder_and_a_versioned_file(tmp_path: Path) -> None:
    store = make_store(tmp_path / "a" / "b")
    add(store, "rlhf")
    assert tomllib.loads(store.path.read_text()) == {"schema": SCHEMA, "layout": "progress/"}
    (written,) = device_files(tmp_path / "a" / "b")
    assert written.parent.name == "test-device"
    raw = tomllib.loads(written.read_text())
    assert (raw["schema"], raw["device"]) == (SCHEMA, "test-device")
    assert [e["item"] for e in raw["events"]] == ["rlhf"]
    assert written.read_text().startswith("# mlops-path progress: this device's study history")


def test_events_round_trip_with_unicode_notes(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    note = 'naïve Bayes ≠ 贝叶斯 \U0001f9e0 "quoted" \\ back\nslash ' + "x" * 5000
    event = new_event(catalogue="mlops-guide", item="rlhf", action="done", note=note)
    append(store, [event])
    assert store.load() == (event,)


def test_orphaned_ids_and_other_catalogues_survive_writes(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    add(store, "an-item-the-catalogue-dropped")
    add(store, "chapter-1", catalogue="another-path")
    add(store, "rlhf")
    assert [(e.catalogue, e.item) for e in store.load()] == [
        ("mlops-guide", "an-item-the-catalogue-dropped"),
        ("another-path", "chapter-1"),
        ("mlops-guide", "rlhf"),
    ]


CORRUPT = {
    "not toml": b"schema = 1\n[[events]\n",
    "not utf-8": b"schema = 1\n\xff\xfe\n",
    "wrong type": b'schema = 1\nevents = "lots"\n',
    "unknown key": b"schema = 1\ncolour = 3\n",
    "missing schema": b"[[events]]\nid = 'x'\n",
    "event without time": b'schema = 1\n[[events]]\nid = "x"\ncatalogue = "c"\nitem = "i"\n'
    b'action = "done"\n',
}


@pytest.mark.parametrize("content", CORRUPT.values(), ids=CORRUPT.keys())
def test_unreadable_store_is_reported_and_never_overwritten(tmp_path: Path, content: bytes) -> None:
    store = make_store(tmp_path)
    store.path.write_bytes(content)
    with pytest.raises(StoreError, match=str(store.path)):
        store.load()
    with pytest.raises(StoreError, match=str(store.path)):
        add(store, "rlhf")
    assert store.path.read_bytes() == content


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.path.write_bytes(b"schema = 99\n")
    with pytest.raises(StoreError, match=r"newer mlops-path \(schema 99") as caught:
        add(store, "rlhf")
    assert caught.value.hint == "upgrade mlops-path to read it"
    assert store.path.read_bytes() == b"schema = 99\n"


def test_store_path_that_is_a_folder(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.path.mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        store.load()


def test_failed_write_is_reported_and_the_old_file_kept(tmp_path: Path) -> None:
    def full_disk(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    good = make_store(tmp_path)
    add(good, "rlhf")
    before = good.path.read_bytes()
    broken = make_store(tmp_path, write=full_disk)
    with pytest.raises(StoreError, match="cannot write: no space left on device") as caught:
        add(broken, "ml-test-score")
    assert caught.value.hint == "nothing was changed; the previous file is intact"
    assert good.path.read_bytes() == before


def test_atomic_write_failing_midway_keeps_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "progress.toml"
    target.write_bytes(b"schema = 1\n")
    with pytest.raises(TypeError):
        atomic_write(target, "text, not bytes: the write itself fails")  # type: ignore[arg-type]
    assert target.read_bytes() == b"schema = 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["progress.toml"]


def test_full_disk_keeps_the_previous_file(tiny_fs: Path) -> None:
    store = make_store(tiny_fs)
    add(store, "rlhf")
    before = store.path.read_bytes()
    huge = new_event(catalogue="mlops-guide", item="x", action="done", note="n" * 100_000)
    with pytest.raises(StoreError, match="no space left on device"):
        append(store, [huge])
    assert store.path.read_bytes() == before
    assert not [p for p in tiny_fs.rglob("*") if p.name.endswith(".tmp")]


def test_read_only_folder_keeps_the_previous_file(tiny_fs: Path) -> None:
    store = make_store(tiny_fs)
    add(store, "rlhf")
    before = store.path.read_bytes()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_fs)], check=True)
    with pytest.raises(StoreError, match="read-only file system"):
        add(store, "ml-test-score")
    assert store.path.read_bytes() == before
    assert [e.item for e in store.load()] == ["rlhf"]


def test_a_held_lock_times_out_with_a_clear_message(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.lock_timeout = 0.2
    add(store, "rlhf")
    before = store.path.read_bytes()
    fd = os.open(store.lock_path, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(StoreError, match="another mlops-path command held the lock"):
            add(store, "ml-test-score")
    finally:
        os.close(fd)
    assert store.path.read_bytes() == before


def test_decisions_see_the_history_as_of_the_lock(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    add(store, "rlhf")
    with store.transaction() as tx:
        seen = tuple(e.item for e in tx.snapshot.history.events)
    assert seen == ("rlhf",)


WRITER = """
import sys
from pathlib import Path
from mlops_path.events import new_event
from mlops_path.cache import ReadCache
from mlops_path.store import ProgressStore
folder = Path(sys.argv[1])
store = ProgressStore(
    path=folder / "progress.toml", lock_path=folder / "progress.toml.lock", cache=ReadCache(None)
)
for n in range(10_000):
    event = new_event(catalogue="c", item=f"item-{n}", action="done", note="x")
    with store.transaction() as tx:
        tx.append([event])
    print(n, flush=True)
"""


@pytest.mark.slow
def test_killing_a_writer_never_leaves_a_broken_file(tmp_path: Path, soak: bool) -> None:
    """SIGKILL a writer at random moments (200 with --soak, 10 in a normal run).

    After each kill the file parses and keeps every event the writer reported saved.
    """
    rng = random.Random(1234)
    kills = 200 if soak else 10
    for _ in range(kills):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None
        first = writer.stdout.readline()  # started, and at least one event saved
        time.sleep(rng.uniform(0, 0.05))
        writer.send_signal(signal.SIGKILL)
        reported = [int(line) for line in (first + writer.stdout.read()).split()]
        writer.wait()
        saved = {e.item for e in make_store(tmp_path).load()}
        assert {f"item-{n}" for n in reported} <= saved
    add(make_store(tmp_path), "after-the-crashes")
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_symlinked_store_is_written_through(tmp_path: Path) -> None:
    synced = tmp_path / "synced" / "progress" / "test-device"
    synced.mkdir(parents=True)
    store = make_store(tmp_path / "data")
    add(store, "rlhf")
    (own,) = device_files(tmp_path / "data")
    target = synced / own.name
    own.rename(target)
    own.symlink_to(target)
    add(store, "ml-test-score")
    add(store, "rules-of-ml")
    assert own.is_symlink()
    assert [e.item for e in make_store(tmp_path / "synced").load()] == [
        "rlhf",
        "ml-test-score",
        "rules-of-ml",
    ]


def test_a_file_of_short_events_can_be_appended_to(tmp_path: Path) -> None:
    # Written by tomli_w, a file whose events all fit on a line became one inline array,
    # which the [[events]] tables of the next append could not extend: the file broke.
    store = make_store(tmp_path, cache=ReadCache(tmp_path / "cache"))
    short = Event(
        id="a1", catalogue="c", item="i", action="done", at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    append(store, [short])
    later = new_event(catalogue="c", item="j", action="done")
    append(store, [later])
    assert store.load() == (short, later)
    for path in device_files(tmp_path):
        tomllib.loads(path.read_text())
