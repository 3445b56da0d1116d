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

import errno
import os
import shutil
import tempfile
import time
import tomllib
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import StoreError

#: Version of the store file layout. 1: completions only (mlops-path 0.1);
#: 2: every state change, notes, undo and back-dated completions.
SCHEMA = 2
#: How many previous versions of the store are kept in the backups folder.
BACKUP_GENERATIONS = 10
HEADER = (
    "# mlops-path progress store: your study history, one event per [[events]] table.\n"
    "# Safe to back up or sync; edit by hand only while no mlops-path command runs.\n"
)

Action = Literal["done", "start", "skip", "reset", "note", "undo"]
EventId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]


class Event(BaseModel):
    """One thing the learner did to one item, recorded at one moment (``at``, UTC).

    ``on`` is when a back-dated completion really happened; ``target`` is the event an
    ``undo`` reverts; ``note`` is the text of a note, a skip reason, or a completion note.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: EventId
    catalogue: Annotated[str, Field(min_length=1, max_length=200)]
    item: Annotated[str, Field(min_length=1, max_length=200)]
    action: Action
    at: AwareDatetime
    on: AwareDatetime | None = None
    note: str | None = None
    target: EventId | None = None

    @model_validator(mode="after")
    def _undo_names_its_target(self) -> Event:
        if (self.action == "undo") != (self.target is not None):
            raise ValueError("an undo event, and only an undo event, names a target")
        return self


class StoreFile(BaseModel):
    """The whole store file as it sits on disk."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_version: int = Field(alias="schema", ge=1)
    events: tuple[Event, ...] = ()

    @model_validator(mode="after")
    def _event_ids_are_unique(self) -> StoreFile:
        seen: set[str] = set()
        for index, event in enumerate(self.events):
            if event.id in seen:
                raise ValueError(f"events[{index}] repeats the event id {event.id!r}")
            seen.add(event.id)
        return self


EMPTY = StoreFile(schema_version=SCHEMA)


def new_event(
    *,
    catalogue: str,
    item: str,
    action: Action,
    note: str | None = None,
    on: datetime | None = None,
    target: str | None = None,
) -> Event:
    """Return a fresh event with a unique id, recorded now (UTC)."""
    return Event(
        id=uuid.uuid4().hex,
        catalogue=catalogue,
        item=item,
        action=action,
        at=datetime.now(UTC),
        on=on.astimezone(UTC) if on else None,
        note=note,
        target=target,
    )


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file."""
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(temp_name)
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


def parse_store(data: bytes, *, path: Path) -> StoreFile:
    """Parse and validate store bytes, or raise a StoreError that names ``path`` and the problem."""
    broken = "left untouched; run 'mlops-path doctor' to see backups you can restore"
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise StoreError(path=path, problem="is not UTF-8 text", hint=broken) from None
    except tomllib.TOMLDecodeError as error:
        raise StoreError(path=path, problem=f"is not valid TOML ({error})", hint=broken) from None
    schema = raw.get("schema")
    if isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA:
        raise StoreError(
            path=path,
            problem=f"was written by a newer mlops-path (schema {schema}, this one knows {SCHEMA})",
            hint="upgrade mlops-path to read it",
        )
    try:
        return StoreFile.model_validate(raw)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "<top level>"
        message = str(first["msg"]).removeprefix("Value error, ")
        count = error.error_count()
        more = f" (and {count - 1} more problems)" if count > 1 else ""
        raise StoreError(path=path, problem=f"{where}: {message}{more}", hint=broken) from None


def dump_store(events: Sequence[Event]) -> bytes:
    """Return the TOML text of a store holding ``events``, at the current schema."""
    import tomli_w  # only writers pay for the serialiser

    body = {"schema": SCHEMA, "events": [event.model_dump(exclude_none=True) for event in events]}
    return (HEADER + tomli_w.dumps(body)).encode("utf-8")


@dataclass(frozen=True, slots=True, kw_only=True)
class Backup:
    """One kept copy of the store."""

    path: Path
    modified: datetime
    store: StoreFile | None
    problem: str | None


class ProgressStore:
    """Read and append to the progress file; the only code that touches it."""

    def __init__(
        self,
        *,
        path: Path,
        lock_path: Path,
        backup_dir: Path | None = None,
        lock_timeout: float = 10.0,
        write: Callable[[Path, bytes], None] = atomic_write,
    ) -> None:
        """Point the store at its file, lock and backups; ``write`` is the atomic writer."""
        self.path = path
        self.lock_path = lock_path
        self.backup_dir = backup_dir or path.parent / "backups"
        self.lock_timeout = lock_timeout
        self._write = write

    def load(self) -> StoreFile:
        """Return the stored history; a missing file is an empty history."""
        data = self._read_bytes()
        return EMPTY if data is None else parse_store(data, path=self.path)

    def append(self, decide: Callable[[StoreFile], Sequence[Event]]) -> list[Event]:
        """Append the events ``decide`` returns for the current history, under the write lock.

        ``decide`` sees the history as it is once the lock is held, so decisions such as
        "already done" stay right when several commands run at once.
        """
        with self.locked():
            data = self._read_bytes()
            current = EMPTY if data is None else parse_store(data, path=self.path)
            new_events = list(decide(current))
            if new_events:
                self._replace(data, current, [*current.events, *new_events])
            return new_events

    def replace_with(self, new: StoreFile) -> Path | None:
        """Make ``new`` the store, moving the current file aside (never deleting it).

        Returns where the previous file now lives, or None when there was none.
        """
        with self.locked():
            aside = None
            if self.path.exists():
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
                aside = self.backup_dir / f"{self.path.name}.replaced-{stamp}"
                self._guard(lambda: self.backup_dir.mkdir(parents=True, exist_ok=True))
                self._guard(lambda: shutil.copy2(self.path, aside))
            self._guard(lambda: self._write(self.path, dump_store(new.events)))
            return aside

    def backups(self) -> list[Backup]:
        """Return the kept copies of the store, newest first, each parsed if it can be."""
        found = []
        paths = sorted(self.backup_dir.glob(f"{self.path.stem}*"), key=_generation)
        for path in paths:
            try:
                store, problem = parse_store(path.read_bytes(), path=path), None
            except StoreError as error:
                store, problem = None, error.message
            except OSError as error:
                store, problem = None, error.strerror
            modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            found.append(Backup(path=path, modified=modified, store=store, problem=problem))
        return found

    def _replace(self, old: bytes | None, current: StoreFile, events: Sequence[Event]) -> None:
        """Write ``events`` as the new store, after keeping ``old`` as a backup."""
        self._remove_stale_temp_files()
        if old is not None and current.events:
            # An empty store never displaces a backup that holds history.
            if current.schema_version < SCHEMA:
                migrated = (
                    self.backup_dir / f"{self.path.stem}.schema-{current.schema_version}.toml"
                )
                self._guard(lambda: self._keep(old, migrated, rotate=False))
            self._guard(
                lambda: self._keep(old, self.backup_dir / f"{self.path.name}.1", rotate=True)
            )
        self._guard(lambda: self._write(self.path, dump_store(events)))

    def _keep(self, data: bytes, target: Path, *, rotate: bool) -> None:
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
        try:
            action()
        except OSError as error:
            where = "" if error.filename in (None, str(self.path)) else f" ({error.filename})"
            raise StoreError(
                path=self.path,
                problem=f"cannot write: {_reason(error)}{where}",
                hint="nothing was changed; the previous file is intact",
            ) from None

    def _remove_stale_temp_files(self) -> None:
        """Delete temp files left by a writer that was killed; only lock holders write them."""
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            leftover.unlink(missing_ok=True)

    def _read_bytes(self) -> bytes | None:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            raise StoreError(path=self.path, problem="is a folder, not a file") from None
        except OSError as error:
            raise StoreError(path=self.path, problem=f"cannot read: {_reason(error)}") from None

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
                problem=f"cannot create the lock file: {_reason(error)}",
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
    suffix = path.name.rsplit(".", 1)[-1]
    return (int(suffix), "") if suffix.isdigit() else (10**6, path.name)


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "no space left on device"
    if error.errno == errno.EROFS:
        return "read-only file system"
    return error.strerror or str(error)
