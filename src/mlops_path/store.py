"""Keep the learner's history: append-only event logs, one folder per device, safe to sync.

Layout of the data folder (schema 3):

    progress.toml                  marks the layout, so older versions refuse it
    progress/<device>/2026.toml    this device's events recorded in 2026
    backups/<device>/2026.toml.1   ... earlier versions of that file

Each device writes only its own files, so a folder synced by any tool that copies whole
files, or by git, never has two writers of one file; readers merge every file by event id
(history.py). An older single ``progress.toml`` (schema 1 or 2) is read as it is and moved
into this device's files on the first write, with a copy kept in backups/.

Guarantees, each covered by tests:

* Writes are atomic: a temp file in the same folder, flushed and fsynced, then ``os.replace``.
* Every read-modify-write holds an exclusive ``flock`` on one lock file in the data folder.
* A file that cannot be read, parsed or validated is never overwritten.
* Events are never dropped on a write, whatever catalogue, item or device they name.
* Before each change of a file its previous version is kept as a rotating backup.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import ReadCache, digest
from .errors import StoreError
from .files import atomic_write, reason
from .history import ProgressFile, Snapshot, events_entry

if TYPE_CHECKING:
    from .backups import Backup
    from .events import Event

__all__ = ["ProgressStore", "Transaction"]

#: Read-cache entry (one per file) naming the schema of the bytes this version wrote there:
#: bytes it wrote itself can be appended to without being parsed again.
WRITTEN_ENTRY = "written-"
#: The name of a device's own yearly file; any other name in its folder is a copy a sync
#: tool made: Syncthing's ``2026.sync-conflict-...``, Dropbox's ``2026 (conflicted copy ...)``.
YEAR_FILE = re.compile(r"^\d{4}\.toml$")


class Transaction:
    """One read-modify-write of the history under the lock: the files as they are now, one change.

    Made by ``ProgressStore.transaction``; what a command decides from ``snapshot`` stays right
    when several commands run at once, because no other writer can run until it ends.
    """

    def __init__(self, *, store: ProgressStore, snapshot: Snapshot) -> None:
        """Begin a change of ``store``, whose files currently read as ``snapshot``."""
        self._store = store
        self.snapshot = snapshot
        self._done = False

    def append(self, events: Sequence[Event]) -> Snapshot | None:
        """Append ``events`` to this device's file; return the files as they are now, or None."""
        self._one_change()
        return self._store._write_after(self.snapshot, events) if events else None

    def _one_change(self) -> None:
        """Refuse a second change: it would be decided on a snapshot that is no longer true."""
        if self._done:
            raise RuntimeError("a store transaction makes one change; start another")
        self._done = True


class ProgressStore:
    """Read every device's progress files and append to this device's: the only code that does."""

    def __init__(
        self,
        *,
        data_dir: Path,
        lock_path: Path,
        device: Callable[[], str],
        cache: ReadCache,
        lock_timeout: float = 10.0,
        write: Callable[[Path, bytes], None] = atomic_write,
    ) -> None:
        """Point the store at a data folder; ``device`` names this machine when a write needs it.

        ``cache`` keeps each file's parsed events by digest, so a long history is not parsed
        again on every run; ``write`` is the atomic writer.
        """
        self.data_dir = data_dir
        self.path = data_dir / "progress.toml"
        self.progress_dir = data_dir / "progress"
        self.backup_dir = data_dir / "backups"
        self.lock_path = lock_path
        self.lock_timeout = lock_timeout
        self._device = device
        self._write = write
        self._cache = cache

    def device(self) -> str:
        """Return this device's id."""
        return self._device()

    def snapshot(self) -> Snapshot:
        """Read every file once; parsing waits until something needs the events."""
        marker_data = self._read(self.path)
        marker = (
            ProgressFile(path=self.path, device=None, data=marker_data, digest=digest(marker_data))
            if marker_data is not None
            else None
        )
        return Snapshot(marker=marker, files=self._device_files(), cache=self._cache)

    def exists(self) -> bool:
        """Tell whether anything has been recorded in this data folder yet."""
        return self.path.exists() or self.progress_dir.exists()

    def load(self) -> tuple[Event, ...]:
        """Return every event of every device, merged by id; nothing recorded is no events."""
        return self.snapshot().history.events

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Hold the write lock, read the files once, and yield a transaction on them."""
        with self.locked():
            yield Transaction(store=self, snapshot=self.snapshot())

    def backups(self) -> list[Backup]:
        """Return every kept copy, newest generation first, each parsed if it can be."""
        from .backups import list_backups

        return list_backups(self.backup_dir)

    def _device_files(self) -> list[ProgressFile]:
        """Return every device's files, each device's own years first, then conflict copies."""
        try:
            paths = sorted(self.progress_dir.glob("*/*.toml"))
        except OSError as error:
            problem = f"cannot read: {reason(error)}"
            raise StoreError(path=self.progress_dir, problem=problem) from None
        files = []
        for path in paths:
            data = self._read(path)
            if data is not None:
                files.append(
                    ProgressFile(
                        path=path,
                        device=path.parent.name,
                        data=data,
                        digest=digest(data),
                        conflict=not YEAR_FILE.match(path.name),
                    )
                )
        return sorted(files, key=lambda f: (f.conflict, str(f.path)))

    def _write_after(self, before: Snapshot, new_events: Sequence[Event]) -> Snapshot:
        """Append ``new_events`` to this device's file of this year; return the files after.

        An older single store is first moved into this device's yearly files, and the
        layout marker written, so that older versions refuse the folder from then on.
        """
        from .events import SCHEMA, dump_progress

        self._remove_stale_temp_files()
        device = self.device()
        files = {f.path: f for f in before.files}
        marker = before.marker
        if marker is None or self._marker_schema(before) < SCHEMA:
            for path, (data, events) in self._migrated(before, device).items():
                known = files.get(path)
                files[path] = self._put(
                    path, data, known=known, had_events=known is not None, events=events
                )
            marker_data = dump_progress((), device=None)
            self._guard(self.path, lambda: self._write(self.path, marker_data))
            marker = ProgressFile(
                path=self.path, device=None, data=marker_data, digest=digest(marker_data)
            )
            self._cache.put(_written(marker.path), marker.digest, SCHEMA)
        target = self.progress_dir / device / f"{datetime.now(UTC):%Y}.toml"
        current = files.get(target)
        there = before.events_of(current) if current else ()
        data = self._extended(current, there, new_events, device=device)
        events = (*there, *new_events)
        files[target] = self._put(
            target, data, known=current, had_events=bool(there), events=events
        )
        return Snapshot(marker=marker, files=list(files.values()), cache=self._cache)

    def _marker_schema(self, before: Snapshot) -> int:
        """Return the schema of progress.toml (validated when it is not the current marker)."""
        from .events import SCHEMA

        marker = before.marker
        if marker is None:
            return SCHEMA
        if self._cache.get(_written(marker.path), marker.digest) == SCHEMA:
            return SCHEMA
        schema = before.parsed(marker).schema_version
        if schema == SCHEMA:
            # Noted, as when this version writes it: once the read cache has gone (a new
            # version, a cleared cache), every write parsed the same marker again.
            self._cache.put(_written(marker.path), marker.digest, SCHEMA)
        return schema

    def _migrated(
        self, before: Snapshot, device: str
    ) -> dict[Path, tuple[bytes, tuple[Event, ...]]]:
        """Return this device's yearly files holding an older single store's events.

        The older file is kept in backups/ first; its events join this device's files by the
        year they were recorded in, after any already there.
        """
        from .backups import keep_copy
        from .events import dump_progress

        marker = before.marker
        if marker is None:
            return {}
        old = before.parsed(marker)
        copy = self.backup_dir / f"progress.schema-{old.schema_version}.toml"
        self._guard(copy, lambda: keep_copy(marker.data, copy))
        by_year: dict[Path, list[Event]] = {}
        for event in old.events:
            path = self.progress_dir / device / f"{event.at:%Y}.toml"
            by_year.setdefault(path, []).append(event)
        known = {f.path: f for f in before.files}
        migrated = {}
        for path, events in by_year.items():
            there = before.events_of(known[path]) if path in known else ()
            ids = {e.id for e in there}
            merged = (*there, *(e for e in events if e.id not in ids))
            migrated[path] = (dump_progress(merged, device=device), merged)
        return migrated

    def _extended(
        self,
        current: ProgressFile | None,
        there: Sequence[Event],
        new_events: Sequence[Event],
        *,
        device: str,
    ) -> bytes:
        """Return this device's file, which holds ``there``, with ``new_events`` added.

        Bytes this version wrote are extended by appending [[events]] tables, so the file is
        neither parsed nor serialised again. Other bytes (a hand edit, a copy from elsewhere)
        are appended to only when the result, parsed back, holds exactly the old events and
        the new ones, under this device; otherwise the file is rewritten whole.
        """
        from .events import SCHEMA, dump_events, dump_progress, parse_progress

        if current is None:
            return dump_progress(new_events, device=device)
        old = current.data
        appended = old.rstrip(b"\n") + b"\n" + dump_events(new_events)
        if self._cache.get(_written(current.path), current.digest) == SCHEMA:
            return appended
        try:
            reread = parse_progress(appended, path=current.path)
        except StoreError:
            reread = None
        if (
            reread is not None
            and reread.schema_version == SCHEMA
            and reread.device == device
            and reread.events == (*there, *new_events)
        ):
            return appended
        return dump_progress([*there, *new_events], device=device)

    def _put(
        self,
        path: Path,
        data: bytes,
        *,
        known: ProgressFile | None,
        had_events: bool,
        events: Sequence[Event],
    ) -> ProgressFile:
        """Write one device file after backing up its previous version.

        ``events`` are what ``data`` holds: they are cached under the new bytes, so the next
        reader of this file does not parse it again.
        """
        from .backups import backup_of, rotate_in
        from .events import SCHEMA, event_columns

        if known is not None and had_events:
            # A file with no events never displaces a backup that holds history.
            newest = backup_of(data_dir=self.data_dir, backup_dir=self.backup_dir, original=path)
            self._guard(path, lambda: rotate_in(known.data, newest))
        self._guard(path, lambda: path.parent.mkdir(parents=True, exist_ok=True))
        self._guard(path, lambda: self._write(path, data))
        written = ProgressFile(path=path, device=path.parent.name, data=data, digest=digest(data))
        self._cache.put(_written(path), written.digest, SCHEMA)
        self._cache.put(
            events_entry(path),
            written.digest,
            event_columns(events),
        )
        return written

    def _guard(self, path: Path, action: Callable[[], object]) -> None:
        """Run a write step, turning an OS error into a StoreError that names the file."""
        try:
            action()
        except OSError as error:
            where = "" if error.filename in (None, str(path)) else f" ({error.filename})"
            raise StoreError(
                path=path,
                problem=f"cannot write: {reason(error)}{where}",
                hint="nothing was changed; the previous file is intact",
            ) from None

    def _remove_stale_temp_files(self) -> None:
        """Delete temp files left by a writer that was killed; only lock holders write them."""
        for folder in (self.data_dir, self.progress_dir / self.device()):
            for leftover in folder.glob(".*.tmp"):
                leftover.unlink(missing_ok=True)

    def _read(self, path: Path) -> bytes | None:
        """Return a file's bytes, None when there is no such file."""
        from .files import NotAFileError, read_regular_file

        try:
            return read_regular_file(path, cap=None)
        except FileNotFoundError:
            return None
        except NotAFileError as error:
            raise StoreError(path=path, problem=str(error).removeprefix("it ")) from None
        except IsADirectoryError:
            raise StoreError(path=path, problem="is a folder, not a file") from None
        except OSError as error:
            raise StoreError(path=path, problem=f"cannot read: {reason(error)}") from None

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store's exclusive write lock, waiting up to ``lock_timeout`` seconds."""
        import fcntl  # POSIX only; the lock is taken only by commands that write

        try:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise StoreError(
                path=self.path,
                problem=f"cannot create the lock file: {reason(error)}",
                hint="nothing was changed",
            ) from None
        try:
            deadline = time.monotonic() + self.lock_timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise StoreError(
                            path=self.path,
                            problem=f"another mlops-path command held the lock "
                            f"({self.lock_path}) for over {self.lock_timeout:g}s",
                            hint="nothing was changed; try again when it has finished",
                        ) from None
                    time.sleep(0.01)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock


def _written(path: Path) -> str:
    """Return the read-cache entry that remembers what this version wrote to ``path``."""
    return WRITTEN_ENTRY + digest(str(path).encode())
