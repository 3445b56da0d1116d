"""Merging files and deriving states agree with plain, slow reference models of the rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_path.events import Event
from mlops_path.history import merge
from mlops_path.progress import ItemState
from mlops_path.replay import derive_states

from .helpers import examples

BASE = datetime(2026, 1, 1, tzinfo=UTC)
#: Few ids, items and minutes, so that repeats, ties and undos of earlier events are common.
EVENTS = st.builds(
    Event,
    id=st.sampled_from(["a", "b", "c", "d", "e", "f"]),
    catalogue=st.sampled_from(["guide", "guide", "other"]),
    item=st.sampled_from(["x", "y", "old-x"]),
    action=st.sampled_from(["done", "start", "skip", "reset", "note", "undo"]),
    at=st.integers(min_value=0, max_value=5).map(lambda minutes: BASE + timedelta(minutes=minutes)),
    on=st.none() | st.just(BASE - timedelta(days=1)),
    note=st.none() | st.sampled_from(["", "n1", "n2"]),
    target=st.none() | st.sampled_from(["a", "b", "c"]),
)
FILES = st.lists(
    st.tuples(st.none() | st.sampled_from(["laptop", "desktop"]), st.lists(EVENTS, max_size=5)),
    max_size=4,
)


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


@settings(max_examples=examples(150, soak=3000), deadline=None)
@given(files=FILES)
def test_merge_is_the_reference_merge(files: list[tuple[str | None, list[Event]]]) -> None:
    history = merge(files)
    assert (history.events, history.device_runs, history.conflicting) == reference_merge(files)


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


@settings(max_examples=examples(300, soak=5000), deadline=None)
@given(
    events=st.lists(EVENTS, max_size=12, unique_by=lambda event: event.id), renamed=st.booleans()
)
def test_derived_states_are_the_reference_replay(events: list[Event], renamed: bool) -> None:
    aliases = {"old-x": "x"} if renamed else {}
    derived = derive_states(events, catalogue_id="guide", aliases=aliases)
    assert derived == reference_states(events, aliases=aliases)
