"""Keep the learner's history: an append-only event log in one TOML file, safe to share.

Guarantees, each covered by tests/test_store.py:

* Writes are atomic: a temp file in the same folder, flushed and fsynced, then ``os.replace``.
* Every read-modify-write holds an exclusive ``flock`` on a lock file beside the store.
* A file that cannot be read, parsed or validated is never overwritten.
* Events are never dropped on a write, whatever catalogue or item they name.
"""

from __future__ import annotations

import errno
import os
import tempfile
import time
import tomllib
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from .errors import StoreError

#: Version of the store file layout; bump it with a migration when the layout changes.
SCHEMA = 1
HEADER = (
    "# mlops-path progress store: your study history, one event per [[events]] table.\n"
    "# Safe to back up or sync; edit by hand only while no mlops-path command runs.\n"
)

Action = Literal["done"]


class Event(BaseModel):
    """One thing the learner did to one item, at one moment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(min_length=1, max_length=64)]
    catalogue: Annotated[str, Field(min_length=1)]
    item: Annotated[str, Field(min_length=1)]
    action: Action
    at: AwareDatetime
    note: str | None = None


class StoreFile(BaseModel):
    """The whole store file as it sits on disk."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_version: int = Field(alias="schema")
    events: tuple[Event, ...] = ()


def new_event(
    *, catalogue: str, item: str, action: Action, at: datetime | None = None, note: str | None
) -> Event:
    """Return a fresh event with a unique id, stamped now (UTC) unless a time is given."""
    return Event(
        id=uuid.uuid4().hex,
        catalogue=catalogue,
        item=item,
        action=action,
        at=(at or datetime.now(UTC)).astimezone(UTC),
        note=note,
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


class ProgressStore:
    """Read and append to the progress file; the only code that touches it."""

    def __init__(
        self,
        *,
        path: Path,
        lock_path: Path,
        lock_timeout: float = 10.0,
        write: Callable[[Path, bytes], None] = atomic_write,
    ) -> None:
        """Point the store at its file and lock; ``write`` is the atomic file writer."""
        self.path = path
        self.lock_path = lock_path
        self.lock_timeout = lock_timeout
        self._write = write

    def load(self) -> StoreFile:
        """Return the stored history; a missing file is an empty history."""
        data = self._read_bytes()
        if data is None:
            return StoreFile(schema_version=SCHEMA)
        return self._parse(data)

    def append(self, decide: Callable[[StoreFile], Sequence[Event]]) -> list[Event]:
        """Append the events ``decide`` returns for the current history, under the write lock.

        ``decide`` sees the history as it is once the lock is held, so decisions such as
        "already done" stay right when several commands run at once.
        """
        with self._locked():
            data = self._read_bytes()
            current = StoreFile(schema_version=SCHEMA) if data is None else self._parse(data)
            new_events = list(decide(current))
            if new_events:
                self._remove_stale_temp_files()
                raw = {} if data is None else tomllib.loads(data.decode("utf-8"))
                raw["schema"] = SCHEMA
                raw.setdefault("events", [])
                raw["events"] = [*raw["events"], *(_event_table(e) for e in new_events)]
                self._save(raw)
            return new_events

    def _save(self, raw: dict[str, Any]) -> None:
        import tomli_w  # only writers pay for the serialiser

        # schema first so a reader sees the version before any event.
        ordered = {"schema": raw["schema"], **{k: v for k, v in raw.items() if k != "schema"}}
        data = (HEADER + tomli_w.dumps(ordered)).encode("utf-8")
        try:
            self._write(self.path, data)
        except OSError as error:
            raise StoreError(
                path=self.path,
                problem=f"cannot write: {_reason(error)}",
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

    def _parse(self, data: bytes) -> StoreFile:
        broken = "left untouched; fix or move it aside, then run the command again"
        try:
            raw = tomllib.loads(data.decode("utf-8"))
        except UnicodeDecodeError:
            raise StoreError(path=self.path, problem="is not UTF-8 text", hint=broken) from None
        except tomllib.TOMLDecodeError as error:
            raise StoreError(
                path=self.path, problem=f"is not valid TOML ({error})", hint=broken
            ) from None
        schema = raw.get("schema")
        if isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA:
            raise StoreError(
                path=self.path,
                problem=f"was written by a newer mlops-path "
                f"(schema {schema}, this one knows {SCHEMA})",
                hint="upgrade mlops-path to read it",
            )
        try:
            return StoreFile.model_validate(raw)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"]) or "<top level>"
            count = error.error_count()
            more = f" (and {count - 1} more problems)" if count > 1 else ""
            raise StoreError(
                path=self.path, problem=f"{where}: {first['msg']}{more}", hint=broken
            ) from None

    @contextmanager
    def _locked(self) -> Iterator[None]:
        import fcntl  # POSIX only; the lock is taken only by commands that write

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise StoreError(
                path=self.path, problem=f"cannot create the lock file: {_reason(error)}"
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


def _event_table(event: Event) -> dict[str, Any]:
    return event.model_dump(exclude_none=True)


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "no space left on device"
    if error.errno == errno.EROFS:
        return "read-only file system"
    return error.strerror or str(error)
