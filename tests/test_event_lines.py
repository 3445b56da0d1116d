"""A progress file read as written gives what tomllib and pydantic give, or steps aside."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from mlops_path.errors import StoreError
from mlops_path.event_lines import read_written
from mlops_path.events import (
    Event,
    dump_progress,
    events_from_columns,
    parse_progress,
    read_progress,
)
from mlops_path.events import validate_events as checked_by_pydantic

from .helpers import Edit, edits, examples, mangled
from .test_progress_lines import EVENTS, MOMENTS, TEXT

PATH = Path("2026.toml")
#: Events as this version records them: names without characters to escape, ids unique.
RECORDED = st.lists(
    st.builds(
        Event,
        id=st.from_regex(r"[0-9A-Za-z_-]{1,64}", fullmatch=True),
        catalogue=st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
        item=st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
        action=st.sampled_from(["done", "start", "skip", "reset", "note"]),
        at=MOMENTS,
        on=st.none() | MOMENTS,
        note=st.none() | TEXT,
        target=st.none(),
    ),
    max_size=6,
    unique_by=lambda event: event.id,
)
#: Characters that change what a line of a progress file means.
SIGNIFICANT = list(' \t\r\n"\\#=[]:+-.0123456789abcdefuTZ\u00e9')


def slow_path(text: str) -> Any:
    """Return the events tomllib and pydantic read from ``text``, or the error, as text.

    As a repr: datetimes that are equal may still differ in their offset.
    """
    try:
        raw = tomllib.loads(text)
        events = checked_by_pydantic(raw.get("events", []))
    except (tomllib.TOMLDecodeError, ValidationError) as error:
        return type(error).__name__
    if len({event.id for event in events}) != len(events):
        return "repeated id"
    return repr((raw.get("schema"), raw.get("device"), raw.get("layout"), events))


def fast_path(text: str) -> Any:
    """Return what the reader gives for ``text``: None when it steps aside."""
    written = read_written(text)
    if written is None:
        return None
    try:
        events = list(events_from_columns(written.columns))
    except ValueError:
        return None  # parse_progress takes the slow path for a day the month has not
    return repr((written.schema, written.device, written.layout, events))


@settings(max_examples=examples(40, soak=1000), deadline=None)
@given(events=RECORDED, device=st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True))
def test_what_this_version_writes_is_read_as_written(events: list[Event], device: str) -> None:
    text = dump_progress(events, device=device).decode("utf-8")
    fast = fast_path(text)
    assert fast is not None, "the writer's own output must be read as written"
    assert fast == slow_path(text)
    assert read_progress(text.encode(), path=PATH)[1] is not None


def test_the_layout_marker_is_read_as_written() -> None:
    text = dump_progress([], device=None).decode("utf-8")
    assert fast_path(text) is not None
    assert fast_path(text) == slow_path(text)
    assert fast_path(text + EVENT.format(id="a", at=UTC)) is None  # the marker holds no events


@settings(max_examples=examples(60, soak=1000), deadline=None)
@given(events=st.lists(EVENTS, max_size=4))
def test_any_event_reads_the_same_either_way(events: list[Event]) -> None:
    text = dump_progress(events, device="laptop").decode("utf-8")
    fast = fast_path(text)
    assert fast is None or fast == slow_path(text)


@settings(max_examples=examples(40, soak=4000), deadline=None)
@given(
    events=RECORDED.filter(bool),
    changes=edits(SIGNIFICANT, most=3),
)
def test_a_mangled_file_reads_as_pydantic_reads_it_or_is_left_to_it(
    events: list[Event], changes: list[Edit]
) -> None:
    text = dump_progress(events, device="laptop").decode("utf-8")
    text = mangled(text, changes)
    fast = fast_path(text)
    assert fast is None or fast == slow_path(text)


HEAD = 'schema = 3\ndevice = "laptop"\n'
EVENT = '\n[[events]]\nid = "{id}"\ncatalogue = "g"\nitem = "x"\naction = "done"\nat = {at}\n'
UTC = "2026-01-02 03:04:05+00:00"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (HEAD + EVENT.format(id="a", at=UTC) * 2, "repeats the event id 'a'"),
        (HEAD + EVENT.format(id="a", at="2026-02-30 03:04:05+00:00"), "not valid TOML"),
        (HEAD + EVENT.format(id="a", at=UTC) + 'target = "b"\n', "names a target"),
        (HEAD + EVENT.format(id="a", at=UTC).replace('"done"', '"undo"'), "names a target"),
        (HEAD + EVENT.format(id="a" * 65, at=UTC), "events.0.id"),
        (HEAD + EVENT.format(id="a", at=UTC) + 'colour = "red"\n', "events.0.colour"),
        (HEAD + EVENT.format(id="a", at=UTC).replace('"g"', '""'), "events.0.catalogue"),
        # Valid TOML, but beyond what a datetime holds once put in UTC.
        (HEAD + EVENT.format(id="a", at="9999-12-31 23:59:59-00:01"), "outside the years"),
        (HEAD + EVENT.format(id="a", at="0001-01-01 00:00:00+00:01"), "outside the years"),
        (HEAD + EVENT.format(id="a", at=UTC) + "on = 9999-12-31 23:59:59-23:59\n", "events.0.on"),
    ],
)
def test_a_broken_file_is_refused_with_the_slow_paths_words(text: str, problem: str) -> None:
    assert read_written(text) is None or "2026-02-30" in text
    with pytest.raises(StoreError, match=problem):
        parse_progress(text.encode(), path=PATH)


@pytest.mark.parametrize(
    ("text", "as_written"),
    [
        (HEAD + EVENT.format(id="a", at=UTC) + "# a comment at the end\n", False),
        (HEAD.replace("\n", "\r\n") + EVENT.format(id="a", at=UTC).replace("\n", "\r\n"), False),
        (HEAD + EVENT.format(id="a", at="2026-01-02T03:04:05Z"), False),
        (HEAD + EVENT.format(id="a", at="2026-01-02 04:04:05+01:00"), False),
        (HEAD + "\n" + EVENT.format(id="a", at=UTC), False),
        ("# a hand-written comment\n" + HEAD + EVENT.format(id="a", at=UTC) + 'note = ""\n', True),
        (HEAD + EVENT.format(id="a", at=UTC) + 'note = "tab\\there \\u00e9"\n', True),
    ],
)
def test_valid_files_in_any_form_give_the_same_events(text: str, as_written: bool) -> None:
    stored, columns = read_progress(text.encode(), path=PATH)
    assert (columns is not None) == as_written
    read = (stored.schema_version, stored.device, stored.layout, list(stored.events))
    assert repr(read) == slow_path(text)
