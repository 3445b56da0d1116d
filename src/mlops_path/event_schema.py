"""Check progress files and exports with pydantic: the slow path, only where bytes come in."""

from __future__ import annotations

from datetime import UTC
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    model_validator,
)

__all__ = ["StoredEvent", "StoredFile", "check_events", "check_file"]

EventId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]
#: A moment with a time zone, normalised to UTC when read, so that every comparison, every
#: day boundary and every cached key agree whatever offset a file or an import was written with.
UtcMoment = Annotated[AwareDatetime, AfterValidator(lambda moment: moment.astimezone(UTC))]
#: Device ids name files: the same rule as event ids.
DeviceId = EventId


class StoredEvent(BaseModel):
    """One event as a file or an export holds it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: EventId
    catalogue: Annotated[str, Field(min_length=1, max_length=200)]
    item: Annotated[str, Field(min_length=1, max_length=200)]
    action: Literal["done", "start", "skip", "reset", "note", "undo"]
    at: UtcMoment
    on: UtcMoment | None = None
    note: str | None = None
    target: EventId | None = None

    @model_validator(mode="after")
    def _undo_names_its_target(self) -> StoredEvent:
        """Check that undo events, and only they, name the event they revert."""
        if (self.action == "undo") != (self.target is not None):
            raise ValueError("an undo event, and only an undo event, names a target")
        return self


class StoredFile(BaseModel):
    """A whole progress file: its schema, whose it is, and its events."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: int = Field(alias="schema", ge=1)
    device: DeviceId | None = None
    layout: str | None = None
    events: tuple[StoredEvent, ...] = ()


def _fields(event: StoredEvent) -> dict[str, Any]:
    """Return a checked event's fields."""
    return {
        "id": event.id,
        "catalogue": event.catalogue,
        "item": event.item,
        "action": event.action,
        "at": event.at,
        "on": event.on,
        "note": event.note,
        "target": event.target,
    }


def check_file(raw: object) -> dict[str, Any]:
    """Check a progress file's data; return its schema, device, layout and events as plain values.

    Raises pydantic's ValidationError, which the caller words.
    """
    stored = _adapter(StoredFile).validate_python(raw)
    return {
        "schema": stored.schema_,
        "device": stored.device,
        "layout": stored.layout,
        "events": [_fields(event) for event in stored.events],
    }


def check_events(raw: object) -> list[dict[str, Any]]:
    """Check a list of events (an export's); return their fields. Raises ValidationError."""
    return [_fields(event) for event in _adapter(list[StoredEvent]).validate_python(raw)]


@cache
def _adapter(shape: Any) -> TypeAdapter[Any]:
    """Return the validator of ``shape``, built once, on first need."""
    return TypeAdapter(shape)
