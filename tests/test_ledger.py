"""A history replayed as columns gives what its events give, however each file was read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_path.event_lines import Columns
from mlops_path.event_rules import ACTIONS
from mlops_path.events import Event, dump_progress, read_columns
from mlops_path.ledger import Ledger

from .helpers import examples
from .reference import reference_merge, reference_states

PATH = Path("progress/laptop/2026.toml")
BASE = datetime(2026, 1, 1, tzinfo=UTC)
#: Moments a few seconds apart on days months apart, with and without microseconds: ties,
#: and texts of two lengths.
MOMENTS = st.builds(
    lambda days, seconds, micros: BASE + timedelta(days=days, seconds=seconds, microseconds=micros),
    st.sampled_from([0, 40, 400]),
    st.integers(min_value=0, max_value=3),
    st.sampled_from([0, 1, 500_000]),
)


@st.composite
def events(draw: st.DrawFn) -> Event:
    """Draw an event as a file may hold it: an undo names a target, nothing else does."""
    action = ACTIONS[draw(st.sampled_from(list(ACTIONS)))]
    return Event(
        id=draw(st.sampled_from(["a", "b", "c", "d", "e", "f"])),
        catalogue=draw(st.sampled_from(["guide", "guide", "other"])),
        item=draw(st.sampled_from(["x", "y", "old-x"])),
        action=action,
        at=draw(MOMENTS),
        on=draw(st.none() | MOMENTS),
        note=draw(st.none() | st.sampled_from(["", "n1", "n2"])),
        target=draw(st.sampled_from(["a", "b", "c"])) if action == "undo" else None,
    )


#: Files of one device each, ids unique within a file (a file that repeats one is broken) but
#: not across files; each read as written, or through the slow path after a hand edit.
FILES = st.lists(
    st.tuples(st.lists(events(), max_size=6, unique_by=lambda event: event.id), st.booleans()),
    max_size=4,
)


def read(events: list[Event], *, as_written: bool) -> Columns:
    """Return the columns of a file holding ``events``, read as written or after a hand edit."""
    data = dump_progress(events, device="laptop")
    if not as_written:
        data += b"# a comment: no longer the form this version writes\n"
    return read_columns(data, path=PATH)


@settings(max_examples=examples(300, soak=5000), deadline=None)
@given(files=FILES, renamed=st.booleans())
def test_the_ledger_replays_what_the_merged_events_give(
    files: list[tuple[list[Event], bool]], renamed: bool
) -> None:
    aliases = {"old-x": "x"} if renamed else {}
    ledger = Ledger([read(events, as_written=as_written) for events, as_written in files])
    merged = list(reference_merge([(None, events) for events, _ in files])[0])

    states = ledger.states(catalogue_id="guide", aliases=aliases)
    assert states == reference_states(merged, aliases=aliases)
    assert ledger.newest == max(((event.at, event.id) for event in merged), default=None)
    assert ledger.undone == {event.target for event in merged if event.action == "undo"}


def test_a_moment_with_no_microseconds_written_out_sorts_as_the_same_moment() -> None:
    hand_written = dump_progress(
        [Event(id="b", catalogue="guide", item="x", action="start", at=BASE)], device="laptop"
    ).replace(b"00:00:00+00:00", b"00:00:00.000000+00:00")
    ours = dump_progress(
        [Event(id="a", catalogue="guide", item="x", action="skip", at=BASE)], device="laptop"
    )

    ledger = Ledger([read_columns(hand_written, path=PATH), read_columns(ours, path=PATH)])

    assert ledger.ats == ["2026-01-01 00:00:00+00:00"] * 2
    assert ledger.states(catalogue_id="guide")["x"].status == "in-progress"  # a, then b
