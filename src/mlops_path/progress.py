"""Derive where a learner stands from the event log; pure functions, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

from .catalogue import Catalogue, Item
from .store import Event

Status = Literal["todo", "done"]
STATUSES: tuple[str, ...] = get_args(Status)


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemState:
    """What the learner has done with one item."""

    status: Status = "todo"
    done_at: datetime | None = None
    notes: tuple[str, ...] = field(default=())


TODO = ItemState()


def derive_states(events: Iterable[Event], *, catalogue_id: str) -> dict[str, ItemState]:
    """Return the state of every item that has events in this catalogue, keyed by item id.

    Events are applied in time order; the first completion wins, so recording an item twice
    keeps the original date.
    """
    states: dict[str, ItemState] = {}
    for event in sorted(events, key=lambda e: e.at):
        if event.catalogue != catalogue_id:
            continue
        before = states.get(event.item, TODO)
        notes = (*before.notes, event.note) if event.note else before.notes
        if event.action == "done" and before.status != "done":
            states[event.item] = ItemState(status="done", done_at=event.at, notes=notes)
        else:
            states[event.item] = ItemState(
                status=before.status, done_at=before.done_at, notes=notes
            )
    return states


def is_eligible(item: Item, states: Mapping[str, ItemState]) -> bool:
    """Tell whether an item is still open and every prerequisite of it is done."""
    if states.get(item.id, TODO).status == "done":
        return False
    return all(states.get(req, TODO).status == "done" for req in item.requires)


def next_items(
    catalogue: Catalogue,
    states: Mapping[str, ItemState],
    *,
    section: str | None = None,
    kind: str | None = None,
    limit: int = 1,
) -> list[Item]:
    """Return the first ``limit`` eligible items in catalogue order, after the filters."""
    chosen: list[Item] = []
    for item in catalogue.items:
        if len(chosen) >= limit:
            break
        if section is not None and item.section != section:
            continue
        if kind is not None and item.kind != kind:
            continue
        if is_eligible(item, states):
            chosen.append(item)
    return chosen
