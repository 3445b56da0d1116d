"""Merging files and deriving states agree with plain, slow reference models of the rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_path.events import Event
from mlops_path.history import merge
from mlops_path.progress import ItemState
from mlops_path.replay import apply

from .helpers import derived_states, examples
from .reference import reference_merge, reference_states

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


@settings(max_examples=examples(150, soak=3000), deadline=None)
@given(files=FILES)
def test_merge_is_the_reference_merge(files: list[tuple[str | None, list[Event]]]) -> None:
    history = merge(files)
    assert (history.events, history.device_runs, history.conflicting) == reference_merge(files)


@settings(max_examples=examples(300, soak=5000), deadline=None)
@given(
    events=st.lists(EVENTS, max_size=12, unique_by=lambda event: event.id), renamed=st.booleans()
)
def test_derived_states_are_the_reference_replay(events: list[Event], renamed: bool) -> None:
    aliases = {"old-x": "x"} if renamed else {}
    derived = derived_states(events, catalogue_id="guide", aliases=aliases)
    assert derived == reference_states(events, aliases=aliases)


@settings(max_examples=examples(300, soak=5000), deadline=None)
@given(events=st.lists(EVENTS, max_size=12, unique_by=lambda event: event.id))
def test_applying_events_one_at_a_time_is_the_reference_replay(events: list[Event]) -> None:
    """``apply`` takes every state a history reaches as its start: done, skipped, noted."""
    counted = [event for event in events if event.action != "undo" and event.catalogue == "guide"]
    states: dict[str, ItemState] = {}
    for event in sorted(counted, key=lambda event: (event.at, event.id)):
        states[event.item] = apply(states.get(event.item, ItemState()), event)
    assert states == reference_states(counted, aliases={})
