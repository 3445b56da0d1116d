"""The event log's data: events, a parsed progress file, and their TOML form.

Events are plain frozen dataclasses, cheap to build from the read cache; pydantic checks them
only at the edges, where bytes come in from a file or an import (``parse_progress``,
``validate_events``). Nothing on a warm path imports pydantic from here.
"""

from __future__ import annotations

import os
import tomllib
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain, repeat
from pathlib import Path
from sys import intern  # a long history names few catalogues, items and actions, many times
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import InvalidValueError, StoreError
from .event_lines import COLUMN_COUNT, Columns, Written, read_written
from .event_rules import ACTIONS, Action
from .progress_lines import moment_text, read_canonical, write_events, write_table

if TYPE_CHECKING:
    from .event_schema import StoredEvent

__all__ = [
    "EVENT_FIELDS",
    "SCHEMA",
    "Action",
    "Event",
    "StoreFile",
    "check_storable",
    "dump_events",
    "dump_progress",
    "event_columns",
    "event_table",
    "events_from_columns",
    "new_event",
    "parse_progress",
    "read_columns",
    "read_progress",
    "validate_events",
]

#: Version of the progress file layout. 1: completions only (mlops-path 0.1); 2: every state
#: change, notes, undo and back-dated completions, in one progress.toml; 3: one folder of
#: files per device under progress/, with a progress.toml that only marks the layout.
SCHEMA = 3


class Event(NamedTuple):
    """One thing the learner did to one item, recorded at one moment (``at``, UTC).

    ``on`` is when a back-dated completion really happened; ``target`` is the event an
    ``undo`` reverts; ``note`` is the text of a note, a skip reason, or a completion note.
    A named tuple, not a frozen dataclass: as immutable, and a cold read of a long history
    builds one per event, where a frozen dataclass's ``__init__`` costs eight times as much.
    Being a tuple, it also sorts and compares as one: order events with ``order_key``, and
    build them with keywords.
    """

    id: str
    catalogue: str
    item: str
    action: Action
    at: datetime
    on: datetime | None = None
    note: str | None = None
    target: str | None = None


EVENT_FIELDS = Event._fields


@dataclass(frozen=True, slots=True, kw_only=True)
class StoreFile:
    """One progress file as parsed: its schema, its events, and whose they are."""

    schema_version: int
    events: tuple[Event, ...] = ()
    device: str | None = None
    layout: str | None = None


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
        id=os.urandom(16).hex(),
        catalogue=catalogue,
        item=item,
        action=action,
        at=datetime.now(UTC),
        on=on.astimezone(UTC) if on else None,
        note=note,
        target=target,
    )


def check_storable(text: str) -> None:
    """Refuse text that cannot be stored as UTF-8: bytes a terminal passed on undecoded."""
    from .terminal_text import is_utf8

    if not text.isascii() and not is_utf8(text):
        raise InvalidValueError("the text holds bytes that are not UTF-8; type it again in UTF-8")


def event_columns(events: Sequence[Event]) -> Columns:
    """Return events as the plain columns that the read cache stores.

    Moments are text as a file holds them, the form a file read as written gives: in it,
    text sorts as time does (``ledger`` relies on it).
    """
    if not events:
        return ((),) * COLUMN_COUNT
    ids, catalogues, items, actions, ats, ons, notes, targets = zip(*events, strict=True)
    return (
        ids,
        catalogues,
        items,
        actions,
        [moment_text(at) for at in ats],
        [moment_text(on) if on else None for on in ons],
        notes,
        targets,
    )


def events_from_columns(columns: Columns) -> tuple[Event, ...]:
    """Rebuild events from columns: ``event_columns`` output, or a file read as written.

    Column by column, with ``map`` and ``zip``: a cold read of a long history rebuilds
    hundreds of thousands. Raises ValueError for a moment that is not a real one.
    """
    ids, catalogues, items, actions, ats, ons, notes, targets = columns
    moment = datetime.fromisoformat
    fields = zip(
        ids,
        map(intern, catalogues),
        map(intern, items),
        map(ACTIONS.__getitem__, actions),
        map(moment, ats),
        [moment(on) if on else None for on in ons],
        notes,
        targets,
        strict=True,
    )
    # What Event._make does, without its Python-level length check: zip gives eight values.
    return tuple(map(tuple.__new__, repeat(Event), fields))


BROKEN_HINT = "left untouched; run 'mlops-path doctor' to see backups you can restore"


def parse_progress(data: bytes, *, path: Path) -> StoreFile:
    """Parse and validate a progress file, or raise a StoreError naming ``path`` and the problem."""
    return read_progress(data, path=path)[0]


def read_progress(data: bytes, *, path: Path) -> tuple[StoreFile, Columns | None]:
    """Return ``parse_progress``'s answer, and the events as columns if the file was as written.

    None instead of columns tells that the file took the slow path (tomllib and pydantic).
    """
    text = _text(data, path=path)
    written = _as_written(text)
    if written is not None:
        events = events_from_columns(written.columns)
        stored = StoreFile(
            schema_version=SCHEMA, events=events, device=written.device, layout=written.layout
        )
        return stored, written.columns
    return _checked(_toml(text, path=path), path=path), None


def read_columns(data: bytes, *, path: Path) -> Columns:
    """Return a progress file's events as checked columns, or raise a StoreError naming it.

    What the read cache keeps, and what a cold read of the history replays: a file read as
    written gives them without an event object each.
    """
    text = _text(data, path=path)
    written = _as_written(text)
    if written is not None:
        return written.columns
    return event_columns(_checked(_toml(text, path=path), path=path).events)


def _as_written(text: str) -> Written | None:
    """Return a file read as written, at this schema, with real moments only; else None."""
    written = read_written(text)
    if written is None or written.schema != SCHEMA:
        return None
    _, _, _, _, ats, ons, _, _ = written.columns
    try:
        # The pattern checks the form; a day the month has not is left to the slow path's words.
        deque(map(datetime.fromisoformat, chain(ats, filter(None, ons))), maxlen=0)
    except ValueError:
        return None
    return written


def _checked(raw: dict[str, Any], *, path: Path) -> StoreFile:
    """Validate a progress file's TOML data with pydantic, naming the first problem."""
    from pydantic import ValidationError

    schema = raw.get("schema")
    if isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA:
        raise StoreError(
            path=path,
            problem=f"was written by a newer mlops-path (schema {schema}, this one knows {SCHEMA})",
            hint="upgrade mlops-path to read it",
        )
    from .event_schema import check_file

    try:
        stored = check_file(raw)
    except ValidationError as error:
        raise StoreError(path=path, problem=_first_problem(error), hint=BROKEN_HINT) from None
    events = tuple(_event(item) for item in stored.get("events", ()))
    seen: set[str] = set()
    for index, event in enumerate(events):
        if event.id in seen:
            problem = f"events[{index}] repeats the event id {event.id!r}"
            raise StoreError(path=path, problem=problem, hint=BROKEN_HINT)
        seen.add(event.id)
    return StoreFile(
        schema_version=stored["schema"],
        events=events,
        device=stored.get("device"),
        layout=stored.get("layout"),
    )


def validate_events(raw: object) -> list[Event]:
    """Return validated events from plain data (an export's list); raises ValidationError."""
    from .event_schema import check_events

    return [_event(item) for item in check_events(raw)]


def _text(data: bytes, *, path: Path) -> str:
    """Return a progress file's text, or raise a StoreError if it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")  # a leading byte-order mark (Notepad's) is not text
    except UnicodeDecodeError:
        raise StoreError(path=path, problem="is not UTF-8 text", hint=BROKEN_HINT) from None


def _toml(text: str, *, path: Path) -> dict[str, Any]:
    """Return the TOML data of a progress file, or raise a StoreError."""
    try:
        canonical = read_canonical(text)
        return canonical if canonical is not None else tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problem = f"is not valid TOML ({error})"
        raise StoreError(path=path, problem=problem, hint=BROKEN_HINT) from None
    except RecursionError:
        problem = "nests values too deeply to read"
        raise StoreError(path=path, problem=problem, hint=BROKEN_HINT) from None


def _first_problem(error: Any) -> str:
    """Return pydantic's first complaint as ``where: problem (and N more problems)``."""
    first = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "<top level>"
    message = str(first["msg"]).removeprefix("Value error, ")
    count = error.error_count()
    more = f" (and {count - 1} more problems)" if count > 1 else ""
    return f"{where}: {message}{more}"


def _event(validated: StoredEvent) -> Event:
    """Return an event from data the adapter has checked."""
    return Event(
        id=validated["id"],
        catalogue=intern(validated["catalogue"]),
        item=intern(validated["item"]),
        action=ACTIONS[validated["action"]],
        at=validated["at"],
        on=validated.get("on"),
        note=validated.get("note"),
        target=validated.get("target"),
    )


HEADER = (
    "# mlops-path progress: this device's study history, one event per [[events]] table.\n"
    "# Other devices write their own files; every reader merges them by event id.\n"
)
LAYOUT_MARKER = (
    "# This data folder keeps progress under progress/, one folder per device "
    "(mlops-path 0.2 and newer).\n"
    "# Older versions refuse it and ask to be upgraded, instead of writing here.\n"
)


def event_table(event: Event) -> dict[str, object]:
    """Return an event as the TOML table it is stored as, leaving out empty fields."""
    fields = {name: getattr(event, name) for name in EVENT_FIELDS}
    return {name: value for name, value in fields.items() if value is not None}


def dump_progress(events: Sequence[Event], *, device: str | None) -> bytes:
    """Return the text of a progress file holding ``events``, at the current schema.

    With no ``device`` it is the layout marker that progress.toml becomes.
    """
    if device is None:
        return (LAYOUT_MARKER + write_table({"schema": SCHEMA, "layout": "progress/"})).encode()
    head = write_table({"schema": SCHEMA, "device": device})
    return (HEADER + head + dump_events(events).decode()).encode()


def dump_events(events: Sequence[Event]) -> bytes:
    """Return ``events`` as [[events]] tables, each after a blank line: lines to append."""
    return write_events([event_table(event) for event in events]).encode()
