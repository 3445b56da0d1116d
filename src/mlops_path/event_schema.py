"""Check progress files and exports with pydantic: the slow path, only where bytes come in."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, NotRequired

from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field, TypeAdapter, with_config

# pydantic reads TypedDicts from typing_extensions only, below Python 3.12.
from typing_extensions import TypedDict

from .event_rules import ID_CHARACTERS, ID_MAX, NAME_MAX, Action

__all__ = ["StoredEvent", "StoredFile", "check_events", "check_file"]

EventId = Annotated[str, Field(min_length=1, max_length=ID_MAX, pattern=rf"^[{ID_CHARACTERS}]+$")]


def _in_utc(moment: datetime) -> datetime:
    """Return ``moment`` in UTC; refuse one that UTC cannot hold (9999-12-31 23:59-01:00)."""
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("is outside the years 1 to 9999 once put in UTC") from None


#: A moment with a time zone, normalised to UTC when read, so that every comparison, every
#: day boundary and every cached key agree whatever offset a file or an import was written with.
UtcMoment = Annotated[AwareDatetime, AfterValidator(_in_utc)]
#: Device ids name files: the same rule as event ids.
DeviceId = EventId


def _utf8(text: str) -> str:
    """Refuse text with lone surrogates: JSON can carry them, a UTF-8 file cannot."""
    from .terminal_text import is_utf8

    if not is_utf8(text):
        raise ValueError("holds a lone surrogate, which is not text")
    return text


#: Text that can be written back to a progress file.
Storable = Annotated[str, AfterValidator(_utf8)]
Name = Annotated[Storable, Field(min_length=1, max_length=NAME_MAX)]

FORBID_EXTRA = ConfigDict(extra="forbid")


# TypedDicts, not models: pydantic checks them in compiled code and hands back the dicts,
# with no model built per event, several times faster on a long history read cold.
@with_config(FORBID_EXTRA)
class StoredEvent(TypedDict):
    """One event as a file or an export holds it."""

    id: EventId
    catalogue: Name
    item: Name
    action: Action
    at: UtcMoment
    on: NotRequired[UtcMoment | None]
    note: NotRequired[Storable | None]
    target: NotRequired[EventId | None]


def _undo_names_its_target(event: StoredEvent) -> StoredEvent:
    """Check that undo events, and only they, name the event they revert."""
    if (event["action"] == "undo") != (event.get("target") is not None):
        raise ValueError("an undo event, and only an undo event, names a target")
    return event


CheckedEvent = Annotated[StoredEvent, AfterValidator(_undo_names_its_target)]


@with_config(FORBID_EXTRA)
class StoredFile(TypedDict):
    """A whole progress file: its schema, whose it is, and its events."""

    schema: Annotated[int, Field(ge=1)]
    device: NotRequired[DeviceId | None]
    layout: NotRequired[str | None]
    events: NotRequired[tuple[CheckedEvent, ...]]


def check_file(raw: object) -> StoredFile:
    """Check a progress file's data; return it with its moments in UTC.

    Raises pydantic's ValidationError, which the caller words.
    """
    checked: StoredFile = _adapter(StoredFile).validate_python(raw)
    return checked


def check_events(raw: object) -> list[StoredEvent]:
    """Check a list of events (an export's); return them. Raises ValidationError."""
    checked: list[StoredEvent] = _adapter(list[CheckedEvent]).validate_python(raw)
    return checked


@cache
def _adapter(shape: Any) -> TypeAdapter[Any]:
    """Return the validator of ``shape``, built once, on first need."""
    return TypeAdapter(shape)
