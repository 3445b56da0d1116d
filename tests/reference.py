"""Plain, slow models of the history's rules, event by event, that the fast code is held to."""

from __future__ import annotations

from typing import Any

from mlops_path.events import Event
from mlops_path.progress import ItemState


def reference_merge(files: list[tuple[str | None, list[Event]]]) -> tuple[Any, ...]:
    """Keep each id's first copy, in reading order; note ids found again with other content."""
    kept: dict[str, Event] = {}
    runs: list[tuple[int, str | None]] = []
    conflicting: list[str] = []
    for device, events in files:
        runs.append((len(kept), device))
        for event in events:
            if event.id not in kept:
                kept[event.id] = event
            elif kept[event.id] != event:
                conflicting.append(event.id)
    return tuple(kept.values()), tuple(runs), tuple(conflicting)


def reference_states(events: list[Event], *, aliases: dict[str, str]) -> dict[str, ItemState]:
    """Replay each item's events one by one, by the rules the README states."""
    undone = {event.target for event in events if event.action == "undo"}
    replay = sorted(
        (
            event
            for event in events
            if event.catalogue == "guide" and event.action != "undo" and event.id not in undone
        ),
        key=lambda event: (event.at, event.id),
    )
    states: dict[str, ItemState] = {}
    for event in replay:
        item = aliases.get(event.item, event.item)
        state = states.get(item, ItemState())
        notes = state.notes + (
            (event.note,) if event.note and event.action in ("done", "note") else ()
        )
        if event.action == "done" and state.status != "done":  # the first completion wins
            state = ItemState(
                status="done", done_at=event.on or event.at, started_at=state.started_at
            )
        elif event.action == "start":
            state = ItemState(status="in-progress", started_at=event.at)
        elif event.action == "skip":
            state = ItemState(status="skipped", started_at=state.started_at, skip_reason=event.note)
        elif event.action == "reset":
            state = ItemState()
        states[item] = ItemState(
            status=state.status,
            done_at=state.done_at,
            started_at=state.started_at,
            skip_reason=state.skip_reason,
            notes=notes,
        )
    return states
