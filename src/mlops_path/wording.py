"""Put results into the words the learner reads, in text and in JSON alike."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from .catalogue import effort_label

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .catalogue import Item
    from .results import ChangeResult, LogEntry, Suggestion, Unchanged

__all__ = [
    "ACTION_WORDS",
    "count",
    "day",
    "describe_event",
    "refusal",
    "some",
    "suggestion_reason",
    "titled",
    "when",
]

#: How each action reads in a confirmation line.
ACTION_WORDS = {
    "done": "Done",
    "start": "Started",
    "skip": "Skipped",
    "reset": "Reset",
    "note": "Noted",
    "undo": "Undid a change to",
}


def day(moment: datetime | None, *, zone: tzinfo) -> str:
    """Return the learner's local date of a moment, for messages."""
    from .localtime import local_day

    return local_day(moment, zone=zone).isoformat() if moment else "an unknown day"


def when(moment: datetime | None, *, zone: tzinfo) -> str | None:
    """Return a moment in local time to the minute; a date typed alone shows as a date only."""
    if moment is None:
        return None
    from .localtime import is_date_only, local

    if is_date_only(moment, zone=zone):
        return local(moment, zone=zone).date().isoformat()
    return local(moment, zone=zone).strftime("%Y-%m-%d %H:%M")


def titled(item: Item) -> str:
    """Return an item's title, after the source's own numbering when it has one."""
    return f"{item.label} {item.title}" if item.label else item.title


def some(names: Sequence[str], *, shown: int = 3) -> str:
    """Return the first few names joined, and how many more there are: a long list stays short."""
    head = ", ".join(names[:shown])
    return f"{head} and {len(names) - shown} more" if len(names) > shown else head


def suggestion_reason(suggestion: Suggestion, *, zone: tzinfo) -> str:
    """Say why ``next`` chose an item."""
    view = suggestion.view
    if view.status == "in-progress":
        return f"you started it on {day(view.state.started_at, zone=zone)}"
    place = f"next in the path (#{view.position} of {suggestion.path_length})"
    fits = f", fits in {effort_label(suggestion.budget)}" if suggestion.budget else ""
    settled = suggestion.settled_prerequisites
    after = f"; {some(settled)}, which it needs, is settled" if settled else ""
    return f"{place}{fits}{after}"


def refusal(result: ChangeResult, unchanged: Unchanged, *, zone: tzinfo) -> str:
    """Say why a change left an item as it was, and how to get what was meant."""
    view = unchanged.view
    state = view.state
    item_id = view.item.id
    # With a catalogue of one's own the hint is a whole command, --catalogue included.
    run = "" if result.command == "mlops-path" else f"{result.command} "
    match (result.action, view.status):
        case ("done", _):
            text = f"already done on {day(state.done_at, zone=zone)}; keeping that date"
            if result.on is not None:
                on = day(result.on, zone=zone)
                text += f"; for {on}: '{run}reset {item_id}', then '{run}done {item_id} --on {on}'"
            return text + ("; your note is kept" if unchanged.noted else "")
        case ("start", "done"):
            done_on = day(state.done_at, zone=zone)
            return f"already done on {done_on}; '{run}reset {item_id}' to study it again"
        case ("start", _):
            return f"already in progress since {day(state.started_at, zone=zone)}"
        case ("skip", "done"):
            return f"already done on {day(state.done_at, zone=zone)}; '{run}reset {item_id}' first"
        case ("skip", _):
            return "already skipped"
        case _:
            return "already to do"


def describe_event(entry: LogEntry, *, zone: tzinfo) -> str:
    """Return one line that says what an event did."""
    event = entry.event
    what = f"{ACTION_WORDS[event.action].lower()} {event.item}"
    if event.on:
        what += f" (on {day(event.on, zone=zone)})"
    if event.note:
        what += f": {event.note}"
    return what


def count(number: int, noun: str, plural: str | None = None) -> str:
    """Return a count with its noun, plural when it is not one."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
