"""The learner's history as entries to read: the activity log and what undo reverted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .progress import iso

if TYPE_CHECKING:
    from .events import Event


@dataclass(frozen=True, kw_only=True)
class LogEntry:
    """One event of the history, with the item's title where the catalogue knows it."""

    event: Event
    title: str | None
    undone: bool

    def to_json(self) -> dict[str, Any]:
        """Return the event as JSON, with its title and whether it was undone."""
        event = self.event
        return {
            "event": event.id,
            "at": iso(event.at),
            "action": event.action,
            "item": event.item,
            "title": self.title,
            "on": iso(event.on),
            "note": event.note,
            "target": event.target,
            "undone": self.undone,
        }


@dataclass(frozen=True, kw_only=True)
class UndoResult:
    """The change an undo reverted, or None when there was nothing left to undo."""

    reverted: LogEntry | None
