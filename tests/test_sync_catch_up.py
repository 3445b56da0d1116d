"""After a sync, cached states catch up with the added events, and equal a full reading."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_path.cache import ReadCache
from mlops_path.events import Event
from mlops_path.history import Snapshot
from mlops_path.progress import order_key
from mlops_path.states_cache import StatesCache, StatesSeen
from mlops_path.store import ProgressStore

from .helpers import append, derived_states, device_files, examples, guide, make_store

BASE = datetime(2026, 6, 1, tzinfo=UTC)
ITEMS = ["rlhf", "ml-test-score", "rules-of-ml"]


class Machines:
    """This laptop, with its read cache, and a desktop writing to the same synced folder."""

    def __init__(self, folder: Path) -> None:
        cache = ReadCache(folder / "laptop-cache")
        self.laptop = make_store(folder, cache=cache, device="laptop")
        self.desktop = make_store(folder, cache=ReadCache(None), device="desktop")
        self.states = StatesCache(catalogue=guide(), cache=cache)
        self.written: list[Event] = []

    def record(self, store: ProgressStore, action: str, item: str, minutes: int) -> Event:
        """Append one event to ``store``'s file, recorded ``minutes`` after BASE."""
        target = self.written[-1].id if action == "undo" and self.written else None
        event = Event(
            id=os.urandom(16).hex(),
            catalogue="mlops-guide",
            item=item,
            action="note" if action == "undo" and target is None else action,  # type: ignore[arg-type]
            at=BASE + timedelta(minutes=minutes),
            note="a note" if action in ("note", "done") else None,
            target=target,
        )
        append(store, [event])
        self.written.append(event)
        return event

    def read(self) -> tuple[StatesSeen, Snapshot]:
        """Return what the laptop sees, and the snapshot it saw it in."""
        snapshot = self.laptop.snapshot()
        return self.states.seen(snapshot), snapshot


def full_reading(snapshot: Snapshot) -> dict[str, object]:
    """Return the states derived from every event, as with no cache at all."""
    return dict(derived_states(snapshot.history.events, catalogue_id="mlops-guide"))


def test_events_synced_in_after_the_last_are_applied_without_reading_the_history(
    tmp_path: Path,
) -> None:
    machines = Machines(tmp_path)
    machines.record(machines.laptop, "done", "rlhf", 0)
    machines.read()
    machines.record(machines.desktop, "start", "ml-test-score", 10)
    machines.record(machines.desktop, "done", "rules-of-ml", 20)

    seen, snapshot = machines.read()

    assert not {"history", "ledger"} & vars(snapshot).keys(), "the whole history was read"
    assert seen.states == full_reading(snapshot)
    assert seen.states["ml-test-score"].status == "in-progress"


@pytest.mark.parametrize(
    "change",
    [
        "older event",
        "undo",
        "a new event on two machines",
        "an event id reused",
        "an undone event arriving after its undo",
        "file removed",
        "history edited",
    ],
)
def test_anything_but_later_events_reads_the_whole_history(tmp_path: Path, change: str) -> None:
    machines = Machines(tmp_path)
    first = machines.record(machines.laptop, "done", "rlhf", 60)
    machines.record(machines.desktop, "note", "rlhf", 70)
    machines.read()
    desktop_file = next(path for path in device_files(tmp_path) if "desktop" in str(path))
    if change == "older event":
        machines.record(machines.desktop, "skip", "ml-test-score", 0)
    elif change == "undo":
        machines.record(machines.desktop, "undo", "rlhf", 80)
    elif change == "a new event on two machines":  # both imported one new export
        tablet = make_store(tmp_path, cache=ReadCache(None), device="tablet")
        shared = machines.record(machines.desktop, "note", "rlhf", 90)
        append(tablet, [shared])
    elif change == "an undone event arriving after its undo":
        # The desktop undid an event recorded on a tablet whose clock runs ahead, and the
        # desktop's file was synced here first: the event arrives later, already undone.
        late = Event(
            id=os.urandom(16).hex(),
            catalogue="mlops-guide",
            item="ml-test-score",
            action="done",
            at=BASE + timedelta(minutes=400),
        )
        undo = late._replace(id=os.urandom(16).hex(), action="undo", target=late.id)
        append(machines.desktop, [undo._replace(at=BASE + timedelta(minutes=80))])
        machines.read()
        tablet = make_store(tmp_path, cache=ReadCache(None), device="tablet")
        append(tablet, [late])
    elif change == "an event id reused":  # a copy of the laptop's event, changed on the way
        append(machines.desktop, [first._replace(at=first.at + timedelta(hours=1))])
    elif change == "file removed":
        desktop_file.unlink()
    else:
        desktop_file.write_text(desktop_file.read_text().replace("a note", "an edited note"))

    seen, snapshot = machines.read()

    assert "ledger" in vars(snapshot), "the whole history was not read"
    assert seen.states == full_reading(snapshot)


@settings(max_examples=examples(10, soak=200), deadline=None)
@given(
    rounds=st.lists(
        st.lists(
            st.tuples(
                st.sampled_from(["laptop", "desktop"]),
                st.sampled_from(["done", "start", "skip", "reset", "note", "undo"]),
                st.sampled_from(ITEMS),
                st.integers(min_value=0, max_value=300),
            ),
            max_size=4,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_states_seen_after_any_sync_equal_a_full_reading(
    tmp_path_factory: pytest.TempPathFactory,
    rounds: list[list[tuple[str, str, str, int]]],
) -> None:
    machines = Machines(tmp_path_factory.mktemp("sync"))
    for changes in rounds:
        for machine, action, item, minutes in changes:
            store = machines.laptop if machine == "laptop" else machines.desktop
            machines.record(store, action, item, minutes)
        seen, snapshot = machines.read()
        assert seen.states == full_reading(snapshot)
        events = snapshot.history.events
        assert seen.newest == max(map(order_key, events), default=None)
