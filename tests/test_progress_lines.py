"""The fast reader of progress files agrees with tomllib, or steps aside for it."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mlops_path.events import Event, dump_progress
from mlops_path.progress_lines import read_canonical

from .helpers import Edit, edits, examples, mangled

#: Text a learner could type, with everything TOML must escape: quotes, backslashes,
#: control characters, bidi controls, astral characters.
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
MOMENTS = st.builds(
    lambda moment, minutes: moment.replace(tzinfo=timezone(timedelta(minutes=minutes))),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59),
)
EVENTS = st.builds(
    Event,
    id=st.from_regex(r"[0-9A-Za-z_-]{1,64}", fullmatch=True),
    catalogue=TEXT,
    item=TEXT,
    action=st.sampled_from(["done", "start", "skip", "reset", "note", "undo"]),
    at=MOMENTS,
    on=st.none() | MOMENTS,
    note=st.none() | TEXT,
    target=st.none() | st.just("abc"),
)
#: Characters that change what a TOML line means.
SIGNIFICANT = list(" \t\r\n\"'\\#=[].,:+-_0123456789TZtzeu{}\x00\x7f\u00e9")


def same(left: Any, right: Any) -> bool:
    """Tell whether two parsed documents are equal, time zones and value types included."""
    return repr(left) == repr(right)


@settings(max_examples=examples(60, soak=1000), deadline=None)
@given(
    events=st.lists(EVENTS, max_size=6), device=st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True)
)
def test_what_this_version_writes_is_read_fast_and_as_tomllib_reads_it(
    events: list[Event], device: str
) -> None:
    text = dump_progress(events, device=device).decode("utf-8")
    fast = read_canonical(text)
    assert fast is not None, "the writer's own output must take the fast path"
    assert same(fast, tomllib.loads(text))


@settings(max_examples=examples(150, soak=3000), deadline=None)
@given(
    events=st.lists(EVENTS, min_size=1, max_size=3),
    changes=edits(SIGNIFICANT, most=3),
)
def test_a_mangled_file_is_read_as_tomllib_reads_it_or_left_to_tomllib(
    events: list[Event], changes: list[Edit]
) -> None:
    text = dump_progress(events, device="laptop").decode("utf-8")
    text = mangled(text, changes)
    fast = read_canonical(text)
    try:
        slow = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert fast is None, "the fast reader accepted a file tomllib rejects"
        return
    assert fast is None or same(fast, slow)


@pytest.mark.parametrize(
    "text",
    [
        "schema = 3 # a comment after a value\n",
        "schema=3\n",
        "device = 'literal'\n",
        'schema = 3\r\ndevice = "crlf"\r\n',
        '[[events]]\nid = "a"\n[other]\nx = 1\n',
        'events = "not a table"\n[[events]]\nid = "a"\n',
        'note = "\\ud800"\n',
        "at = 2026-02-30 00:00:00+00:00\n",
        "at = 2026-01-01 00:00:00.1234567+00:00\n",
        "at = 2026-01-01 00:00:00\n",
        "schema = 007\n",
        'id = "a"\nid = "b"\n',
        "\ufeffschema = 3\n",
        "at = 2026-01-01t00:00:00z\n",
        "schema = 1\u0661\n",  # an Arabic-Indic digit, which tomllib refuses
    ],
)
def test_anything_outside_the_written_form_is_left_to_tomllib(text: str) -> None:
    assert read_canonical(text) is None


@example(text='note = "tab\there, \\u00e9 and \\U0001F600"\nat = 2026-01-01T00:00:00Z\n')
@given(text=st.just('schema = 3\ndevice = "x"\n\n# a comment\n[[events]]\nid = "a"\n'))
def test_the_written_form_gives_tomllibs_values(text: str) -> None:
    fast = read_canonical(text)
    assert fast is not None
    assert same(fast, tomllib.loads(text))


def test_utc_written_either_way_is_one_moment() -> None:
    fast = read_canonical("a = 2026-01-01 00:00:00+00:00\nb = 2026-01-01T00:00:00Z\n")
    assert fast == {"a": datetime(2026, 1, 1, tzinfo=UTC), "b": datetime(2026, 1, 1, tzinfo=UTC)}
