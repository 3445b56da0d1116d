"""Keep the learner's history: an append-only event log in one TOML file, safe to share.

Guarantees, each covered by tests/test_store.py:

* Writes are atomic: a temp file in the same folder, flushed and fsynced, then ``os.replace``.
* Every read-modify-write holds an exclusive ``flock`` on a lock file beside the store.
* A file that cannot be read, parsed or validated is never overwritten.
* Events are never dropped on a write, whatever catalogue or item they name.
* Before each write the previous file is kept as a rotating backup; an empty file never
  displaces a backup, and a file from an older schema is kept as a copy before migrating.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import ReadCache, digest
from .errors import StoreError
from .files import reason

if TYPE_CHECKING:
    from .events import Event, StoreFile

#: How many previous versions of the store are kept in the backups folder.
BACKUP_GENERATIONS = 10
#: Read-cache entry naming the schema of a store file this version wrote, by its digest:
#: bytes it wrote itself can be appended to without being parsed again.
LAYOUT_ENTRY = "store-written"


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file.

    A symlink is written through: its target gets the new content and the link stays, so a
    store linked into a synced folder keeps feeding that folder.
    """
    if path.is_symlink():
        path = path.resolve()
    # A random name opened with O_EXCL, as tempfile.mkstemp does, without importing tempfile.
    temp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Persist the rename itself; some platforms cannot open a folder, which is fine there."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


@dataclass(frozen=True, slots=True, kw_only=True)
class Backup:
    """One kept copy of the store."""

    path: Path
    modified: datetime
    store: StoreFile | None
    problem: str | None


class Snapshot:
    """The store file as read once: its bytes, their digest, and the parsed history on demand."""

    def __init__(self, *, path: Path, data: bytes | None) -> None:
        """Hold the bytes read from ``path`` (None: there was no file)."""
        self.path = path
        self.data = data

    @cached_property
    def digest(self) -> str:
        """Return the digest of the bytes, which read caches are keyed by."""
        return digest(self.data or b"")

    @cached_property
    def history(self) -> StoreFile:
        """Return the parsed, validated history (raises StoreError if the file is broken)."""
        from .events import EMPTY, parse_store

        return EMPTY if self.data is None else parse_store(self.data, path=self.path)


class Transaction:
    """One read-modify-write of the store under its lock: the file as it is now, one change.

    Made by ``ProgressStore.transaction``; what a command decides from ``snapshot`` stays right
    when several commands run at once, because no other writer can run until it ends.
    """

    def __init__(self, *, store: ProgressStore, snapshot: Snapshot) -> None:
        """Begin a change of ``store``, whose file currently reads as ``snapshot``."""
        self._store = store
        self.snapshot = snapshot
        self._done = False

    def append(self, events: Sequence[Event]) -> str | None:
        """Append ``events`` to the history; return the new file's digest, None if none."""
        self._one_change()
        return self._store._write_after(self.snapshot, events) if events else None

    def replace(self, new: StoreFile) -> Path | None:
        """Make ``new`` the whole store; return where the replaced file was kept, if any."""
        self._one_change()
        return self._store._replace(self.snapshot, new)

    def _one_change(self) -> None:
        """Refuse a second change: it would be decided on a snapshot that is no longer true."""
        if self._done:
            raise RuntimeError("a store transaction makes one change; start another")
        self._done = True


class ProgressStore:
    """Read and append to the progress file; the only code that touches it."""

    def __init__(
        self,
        *,
        path: Path,
        lock_path: Path,
        backup_dir: Path | None = None,
        lock_timeout: float = 10.0,
        cache: ReadCache,
        write: Callable[[Path, bytes], None] = atomic_write,
    ) -> None:
        """Point the store at its file, lock and backups; ``write`` is the atomic writer.

        ``cache`` remembers the layout of valid files by digest, so that appending to a long
        history does not parse all of it again.
        """
        self.path = path
        self.lock_path = lock_path
        self.backup_dir = backup_dir or path.parent / "backups"
        self.lock_timeout = lock_timeout
        self._write = write
        self._cache = cache

    def snapshot(self) -> Snapshot:
        """Read the file once; parsing waits until something needs the events."""
        return Snapshot(path=self.path, data=self._read_bytes())

    def exists(self) -> bool:
        """Tell whether anything has been recorded yet (a missing file is an empty history)."""
        return self.path.exists()

    def load(self) -> StoreFile:
        """Return the stored history; a missing file is an empty history."""
        return self.snapshot().history

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Hold the write lock, read the file once, and yield a transaction on it."""
        with self.locked():
            yield Transaction(store=self, snapshot=self.snapshot())

    def _replace(self, current: Snapshot, new: StoreFile) -> Path | None:
        """Write ``new`` over the store, moving the current file aside (never deleting it)."""
        from .events import dump_store

        aside = None
        if current.data is not None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            aside = self.backup_dir / f"{self.path.name}.replaced-{stamp}"
            self._guard(lambda: self._keep(current.data or b"", aside, rotate=False))
        self._guard(lambda: self._write(self.path, dump_store(new.events)))
        return aside

    def backups(self) -> list[Backup]:
        """Return the kept copies of the store, newest first, each parsed if it can be."""
        from .events import parse_store
        from .files import read_regular_file

        found = []
        paths = sorted(self.backup_dir.glob(f"{self.path.stem}*"), key=_generation)
        for path in paths:
            try:
                # lstat: a dangling link is listed (as unreadable), not a crash.
                modified = datetime.fromtimestamp(path.lstat().st_mtime, UTC)
                store, problem = parse_store(read_regular_file(path, cap=None), path=path), None
            except FileNotFoundError:
                if not path.is_symlink():
                    continue  # renamed or removed since the folder was listed
                store, problem = None, "a link to a file that does not exist"
            except StoreError as error:
                store, problem = None, error.message
            except OSError as error:
                store, problem = None, reason(error)
            found.append(Backup(path=path, modified=modified, store=store, problem=problem))
        return found

    def _write_after(self, before: Snapshot, new_events: Sequence[Event]) -> str:
        """Write the file with ``new_events`` added, after keeping a backup; return its digest."""
        from .events import SCHEMA

        self._remove_stale_temp_files()
        old = before.data
        written_here = old is not None and self._cache.get(LAYOUT_ENTRY, before.digest) == SCHEMA
        # An empty store never displaces a backup that holds history.
        if old is not None and (written_here or before.history.events):
            schema = SCHEMA if written_here else before.history.schema_version
            if schema < SCHEMA:
                migrated = self.backup_dir / f"{self.path.stem}.schema-{schema}.toml"
                self._guard(lambda: self._keep(old, migrated, rotate=False))
            self._guard(
                lambda: self._keep(old, self.backup_dir / f"{self.path.name}.1", rotate=True)
            )
        data = self._extended(before, new_events, written_here=written_here)
        self._guard(lambda: self._write(self.path, data))
        after = digest(data)
        self._cache.put(LAYOUT_ENTRY, after, SCHEMA)
        return after

    def _extended(
        self, before: Snapshot, new_events: Sequence[Event], *, written_here: bool
    ) -> bytes:
        """Return the file's bytes with ``new_events`` added.

        Bytes this version wrote are extended by appending [[events]] tables, so a long
        history is neither parsed nor serialised again. Other bytes (a hand edit, a synced
        copy, an older schema) are appended to only when the result, parsed back, holds
        exactly the old history and the new events; otherwise the file is rewritten whole.
        """
        from .events import SCHEMA, dump_events, dump_store, parse_store

        old = before.data
        if old is None:
            return dump_store(new_events)
        appended = old + (b"" if old.endswith(b"\n") else b"\n") + dump_events(new_events)
        if written_here:
            return appended
        history = before.history
        if history.schema_version == SCHEMA:
            try:
                reread = parse_store(appended, path=self.path)
            except StoreError:
                reread = None
            if reread is not None and reread.events == (*history.events, *new_events):
                return appended
        return dump_store([*history.events, *new_events])

    def _keep(self, data: bytes, target: Path, *, rotate: bool) -> None:
        """Keep ``data`` as a backup at ``target``, rotating the numbered generations."""
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        if rotate:
            for generation in range(BACKUP_GENERATIONS - 1, 0, -1):
                older = self.backup_dir / f"{self.path.name}.{generation}"
                if older.exists():
                    older.replace(self.backup_dir / f"{self.path.name}.{generation + 1}")
        elif target.exists():
            return  # the first copy of an old schema is the one worth keeping
        atomic_write(target, data)

    def _guard(self, action: Callable[[], object]) -> None:
        """Run a write step, turning an OS error into a StoreError that names the file."""
        try:
            action()
        except OSError as error:
            where = "" if error.filename in (None, str(self.path)) else f" ({error.filename})"
            raise StoreError(
                path=self.path,
                problem=f"cannot write: {reason(error)}{where}",
                hint="nothing was changed; the previous file is intact",
            ) from None

    def _remove_stale_temp_files(self) -> None:
        """Delete temp files left by a writer that was killed; only lock holders write them."""
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            leftover.unlink(missing_ok=True)

    def _read_bytes(self) -> bytes | None:
        """Return the file's bytes, None when there is no file yet."""
        from .files import NotAFileError, read_regular_file

        try:
            return read_regular_file(self.path, cap=None)
        except FileNotFoundError:
            return None
        except NotAFileError as error:
            raise StoreError(path=self.path, problem=str(error).removeprefix("it ")) from None
        except IsADirectoryError:
            raise StoreError(path=self.path, problem="is a folder, not a file") from None
        except OSError as error:
            raise StoreError(path=self.path, problem=f"cannot read: {reason(error)}") from None

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store's exclusive write lock, waiting up to ``lock_timeout`` seconds."""
        import fcntl  # POSIX only; the lock is taken only by commands that write

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
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


def _generation(path: Path) -> tuple[int, str]:
    """Sort key for backups: numbered generations first, newest first."""
    suffix = path.name.rsplit(".", 1)[-1]
    return (int(suffix), "") if suffix.isdigit() else (10**6, path.name)
