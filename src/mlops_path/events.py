"""The event log's data model: events, the store file, and their TOML form.

Kept apart from store.py so that a command answered from the read cache never builds these
pydantic models.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from .errors import StoreError

#: Version of the store file layout. 1: completions only (mlops-path 0.1);
#: 2: every state change, notes, undo and back-dated completions.
SCHEMA = 2
HEADER = (
    "# mlops-path progress store: your study history, one event per [[events]] table.\n"
    "# Safe to back up or sync; edit by hand only while no mlops-path command runs.\n"
)

Action = Literal["done", "start", "skip", "reset", "note", "undo"]
EventId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]
#: A moment with a time zone, normalised to UTC when read, so that every comparison, every
#: day boundary and every cached key agree whatever offset a file or an import was written with.
UtcMoment = Annotated[AwareDatetime, AfterValidator(lambda moment: moment.astimezone(UTC))]


class Event(BaseModel):
    """One thing the learner did to one item, recorded at one moment (``at``, UTC).

    ``on`` is when a back-dated completion really happened; ``target`` is the event an
    ``undo`` reverts; ``note`` is the text of a note, a skip reason, or a completion note.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: EventId
    catalogue: Annotated[str, Field(min_length=1, max_length=200)]
    item: Annotated[str, Field(min_length=1, max_length=200)]
    action: Action
    at: UtcMoment
    on: UtcMoment | None = None
    note: str | None = None
    target: EventId | None = None

    @model_validator(mode="after")
    def _undo_names_its_target(self) -> Event:
        """Check that undo events, and only they, name the event they revert."""
        if (self.action == "undo") != (self.target is not None):
            raise ValueError("an undo event, and only an undo event, names a target")
        return self


class StoreFile(BaseModel):
    """The whole store file as it sits on disk."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    schema_version: int = Field(alias="schema", ge=1)
    events: tuple[Event, ...] = ()

    @model_validator(mode="after")
    def _event_ids_are_unique(self) -> StoreFile:
        """Check that no two events share an id."""
        seen: set[str] = set()
        for index, event in enumerate(self.events):
            if event.id in seen:
                raise ValueError(f"events[{index}] repeats the event id {event.id!r}")
            seen.add(event.id)
        return self


EMPTY = StoreFile.model_construct(schema_version=SCHEMA, events=())


def new_event(
    *,
    catalogue: str,
    item: str,
    action: Action,
    note: str | None = None,
    on: datetime | None = None,
    target: str | None = None,
) -> Event:
    """Return a fresh event with a unique id, recorded now (UTC).

    Built without validation: every value is made here, with the right type.
    """
    return Event.model_construct(
        id=os.urandom(16).hex(),
        catalogue=catalogue,
        item=item,
        action=action,
        at=datetime.now(UTC),
        on=on.astimezone(UTC) if on else None,
        note=note,
        target=target,
    )


def parse_store(data: bytes, *, path: Path) -> StoreFile:
    """Parse and validate store bytes, or raise a StoreError that names ``path`` and the problem."""
    broken = "left untouched; run 'mlops-path doctor' to see backups you can restore"
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise StoreError(path=path, problem="is not UTF-8 text", hint=broken) from None
    except tomllib.TOMLDecodeError as error:
        raise StoreError(path=path, problem=f"is not valid TOML ({error})", hint=broken) from None
    except RecursionError:
        problem = "nests values too deeply to read"
        raise StoreError(path=path, problem=problem, hint=broken) from None
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


def event_table(event: Event) -> dict[str, object]:
    """Return an event as the TOML table it is stored as, leaving out empty fields.

    By hand rather than ``model_dump``: dumping would build the model's serialiser, which
    costs more start-up time than the whole write.
    """
    fields = {name: getattr(event, name) for name in Event.model_fields}
    return {name: value for name, value in fields.items() if value is not None}


def dump_store(events: Sequence[Event]) -> bytes:
    """Return the TOML text of a store holding ``events``, at the current schema."""
    import tomli_w  # only writers pay for the serialiser

    body: dict[str, object] = {"schema": SCHEMA}
    if events:  # `events = []` would be an inline array, and [[events]] could not follow it
        body["events"] = [event_table(event) for event in events]
    return (HEADER + tomli_w.dumps(body)).encode("utf-8")


def dump_events(events: Sequence[Event]) -> bytes:
    """Return ``events`` as [[events]] tables, to append to a store file this version wrote."""
    import tomli_w

    if not events:
        return b""
    body = {"events": [event_table(event) for event in events]}
    return tomli_w.dumps(body).encode("utf-8")
