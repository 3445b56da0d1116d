"""Derive where a learner stands from the event log: pure functions, no I/O, no clock."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Literal, get_args

from .catalogue import Catalogue, Item

if TYPE_CHECKING:
    from .events import Event

__all__ = [
    "SETTLED",
    "STATUSES",
    "TODO",
    "ItemState",
    "Status",
    "apply",
    "blockers",
    "chronological",
    "derive_states",
    "is_eligible",
    "latest_undoable",
    "next_items",
    "order_key",
    "status_of",
    "undone_ids",
]

Status = Literal["todo", "in-progress", "done", "skipped"]
STATUSES: tuple[str, ...] = get_args(Status)
#: Statuses that let the items which require this one go ahead.
SETTLED = frozenset({"done", "skipped"})
#: Actions whose text is a note kept with the item (a skip's text is its reason instead).
NOTE_ACTIONS = frozenset({"done", "note"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemState:
    """What the learner has done with one item."""

    status: Status = "todo"
    done_at: datetime | None = None
    started_at: datetime | None = None
    skip_reason: str | None = None
    notes: tuple[str, ...] = ()


TODO = ItemState()


def order_key(event: Event) -> tuple[datetime, str]:
    """Return the one key the history is ordered by: recording time, ties broken by event id.

    Every reader and every cache derives states in this order, so the same set of events
    gives the same states wherever and however it is read.
    """
    return (event.at, event.id)


def chronological(events: Iterable[Event]) -> list[Event]:
    """Return events in the order they were recorded, oldest first."""
    return sorted(events, key=order_key)


def undone_ids(events: Iterable[Event]) -> set[str]:
    """Return the ids of events that an undo has reverted."""
    return {event.target for event in events if event.action == "undo" and event.target}


def latest_undoable(events: Sequence[Event], *, catalogue_id: str) -> list[Event]:
    """Return this catalogue's changes that can still be undone, latest recorded first.

    ``events`` come in recording order (the order of the file): undo follows what the learner
    did last, whatever time an imported or back-dated event carries.
    """
    undone = undone_ids(events)
    return [
        event
        for event in reversed(events)
        if event.catalogue == catalogue_id and event.action != "undo" and event.id not in undone
    ]


def derive_states(
    events: Iterable[Event],
    *,
    catalogue_id: str,
    aliases: Mapping[str, str] | None = None,
) -> dict[str, ItemState]:
    """Return the state of every item with events in this catalogue, keyed by current item id.

    Events are applied in recording order, skipping undone ones. The first completion wins,
    so an item recorded twice keeps its original date. ``aliases`` maps old ids to new ones.
    """
    events = list(events)
    undone = undone_ids(events)
    rename = aliases or {}
    states: dict[str, ItemState] = {}
    # Notes gather in lists and are frozen once at the end: adding each to a tuple would
    # copy all earlier ones, quadratic in the notes of one item.
    notes: dict[str, list[str]] = {}
    for event in chronological(events):
        if event.catalogue != catalogue_id or event.action == "undo" or event.id in undone:
            continue
        item_id = rename.get(event.item, event.item)
        states[item_id] = _moved(states.get(item_id, TODO), event)
        if event.note and event.action in NOTE_ACTIONS:
            notes.setdefault(item_id, []).append(event.note)
    return {
        item_id: replace(state, notes=tuple(notes[item_id])) if item_id in notes else state
        for item_id, state in states.items()
    }


def apply(state: ItemState, event: Event) -> ItemState:
    """Return the state after one event."""
    moved = _moved(state, event)
    if event.note and event.action in NOTE_ACTIONS:
        return replace(moved, notes=(*moved.notes, event.note))
    return moved


def _moved(state: ItemState, event: Event) -> ItemState:
    """Return the state after one event, notes aside."""
    match event.action:
        case "done" if state.status != "done":
            moved = replace(state, status="done", done_at=event.on or event.at, skip_reason=None)
        case "start":
            moved = replace(
                state, status="in-progress", started_at=event.at, done_at=None, skip_reason=None
            )
        case "skip":
            moved = replace(state, status="skipped", skip_reason=event.note, done_at=None)
        case "reset":
            moved = replace(state, status="todo", done_at=None, started_at=None, skip_reason=None)
        case _:  # a note, or a repeated completion: only the note counts
            moved = state
    return moved


def status_of(item_id: str, states: Mapping[str, ItemState]) -> Status:
    """Return an item's status; items without events are to do."""
    return states.get(item_id, TODO).status


def is_eligible(item: Item, states: Mapping[str, ItemState]) -> bool:
    """Tell whether an item is open (to do or in progress) and its prerequisites are settled.

    A skipped prerequisite counts as settled: the learner chose to go on without it.
    """
    if status_of(item.id, states) not in ("todo", "in-progress"):
        return False
    return all(status_of(req, states) in SETTLED for req in item.requires)


def next_items(
    catalogue: Catalogue,
    states: Mapping[str, ItemState],
    *,
    section: str | None = None,
    kind: str | None = None,
    limit: int = 1,
    budget: int | None = None,
) -> list[Item]:
    """Return up to ``limit`` items to study: those in progress first, then the earliest eligible.

    Both groups keep catalogue order and pass the section and kind filters. An item the
    learner started is shown even if a prerequisite is still open: they chose to begin it.
    With a ``budget`` in minutes, items are taken in that order while their efforts still fit.
    """
    matching = [
        item
        for item in catalogue.items
        if (section is None or item.section == section) and (kind is None or item.kind == kind)
    ]
    started = [item for item in matching if status_of(item.id, states) == "in-progress"]
    waiting = [
        item
        for item in matching
        if status_of(item.id, states) == "todo" and is_eligible(item, states)
    ]
    chosen: list[Item] = []
    left = budget
    for item in [*started, *waiting]:
        if len(chosen) >= limit:
            break
        if left is not None:
            if item.effort > left:
                continue
            left -= item.effort
        chosen.append(item)
    return chosen


def blockers(item: Item, states: Mapping[str, ItemState]) -> list[str]:
    """Return the prerequisites of an item that are neither done nor skipped."""
    return [req for req in item.requires if status_of(req, states) not in SETTLED]
