"""Read a device's progress file as this version writes it: its own form is its check.

A cold read of a long history used to parse every file with a TOML parser and validate every
event with pydantic, about 40 us an event. The files this version writes have one fixed form
(``progress_lines``), so one regular expression, run in C, can both read them and check every
rule the schema checks: id characters and lengths, name lengths, the six actions, moments in
UTC, and that undo events, and only they, name a target. It gives the events as columns,
which are converted with ``map`` and ``zip`` rather than a Python loop per event.

Anything else (a hand edit, an older version's file, a repeated id, an impossible date)
gives None, and the caller takes the slow path: tomllib and pydantic, whose error messages
name the problem. ``tests/test_event_lines.py`` checks that both paths give the same events.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from sys import intern
from typing import Any, NamedTuple

from .event_rules import ACTIONS, ID_CHARACTERS, ID_MAX, NAME_MAX
from .progress_lines import COMMENT, PLAIN, STRING, NotCanonical, unescape

__all__ = ["COLUMN_COUNT", "Columns", "Written", "read_written"]

#: A file's events as the read cache keeps them, one column per field: ids, catalogues,
#: items, actions, the moments as ISO text (``at``, then ``on`` or None), the notes and the
#: undo targets (each or None). Columns, not a tuple per event: a file read as written comes
#: out of the regular expression as columns, and marshal writes eight long tuples faster.
Columns = tuple[Sequence[Any], ...]
#: How many columns a file's events have: one per field of an event.
COLUMN_COUNT = 8

ID = rf"[{ID_CHARACTERS}]{{1,{ID_MAX}}}"
#: A catalogue or item id without escapes: names that need them take the slow path.
NAME = rf'[^"\\\x00-\x1f\x7f]{{1,{NAME_MAX}}}'
#: A moment as ``progress_lines`` writes it: in UTC, microseconds only when there are some
#: (never ``.000000``: in the one form, text sorts as time does). The ranges of months, days,
#: minutes and seconds are left to ``datetime.fromisoformat``, which refuses what tomllib
#: refuses (hours too: a newer Python may read 24:00).
MOMENT = r"\d{4}-\d\d-\d\d (?:[01]\d|2[0-3]):\d\d:\d\d(?:\.(?!0{6})\d{6})?\+00:00"
#: A file's first lines: comments, its schema, then whose it is (a device file) or, in the
#: progress.toml that marks the layout, where the device files are.
HEAD = (
    rf"(?:{COMMENT}\n)*schema = ([1-9][0-9]{{0,8}})\n"
    rf'(?:device = "({ID})"|layout = "({PLAIN})")\n'
)
#: One event, keys in the order they are written. The note keeps its opening quote so that an
#: empty note differs from none; ``(?(undo)...)`` asks a target of undo events, and of them
#: only. The last alternative takes everything left once an event does not match, so the
#: matches cover the text and anything unexpected shows in the last one.
EVENT = (
    r"\n\[\[events\]\]\n"
    rf'id = "({ID})"\n'
    rf'catalogue = "({NAME})"\n'
    rf'item = "({NAME})"\n'
    rf'action = "({"|".join(a for a in ACTIONS if a != "undo")}|(?P<undo>undo))"\n'
    rf"at = ({MOMENT})\n"
    rf"(?:on = ({MOMENT})\n)?"
    rf'(?:note = ("{STRING})"\n)?'
    rf'(?(undo)target = "({ID})"\n)'
    r"|([\s\S]+)"
)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compile the head and event patterns once, on first use: a warm run reads no file."""
    return re.compile(HEAD, re.ASCII), re.compile(EVENT, re.ASCII)


class Written(NamedTuple):
    """A progress file read as written: its schema, device or layout, and event columns."""

    schema: int
    device: str | None
    layout: str | None
    columns: Columns


def read_written(text: str) -> Written | None:
    """Return a file's schema, owner and event columns, or None if it is not as written.

    One rule is left to the caller: ``datetime.fromisoformat``, which builds the events from
    the columns, refuses moments that are not real ones (31 April, minute 60) with a
    ValueError.
    """
    head_pattern, event_pattern = _patterns()
    head = head_pattern.match(text)
    if head is None:
        return None
    schema, device, layout = int(head[1]), head[2], head[3]
    rows = event_pattern.findall(text, head.end())
    if not rows:
        return Written(schema, device, layout, ((),) * COLUMN_COUNT)
    if rows[-1][-1] or layout is not None:  # text no event matched; events in the marker
        return None
    ids, catalogues, items, actions, _, ats, ons, notes, targets, _ = zip(*rows, strict=True)
    if len(set(ids)) != len(ids):
        return None  # the slow path names the repeated id
    try:
        # The opening quote tells an empty note from none; escapes are rare.
        texts = [(unescape(n[1:]) if "\\" in n else n[1:]) if n else None for n in notes]
    except NotCanonical:
        return None
    # One string for each name, as events built from a file share theirs: the read cache then
    # stores each name once (marshal writes a repeated object as a reference), and loads,
    # hashes and compares a shared string once, not once an event.
    columns = (
        ids,
        list(map(intern, catalogues)),
        list(map(intern, items)),
        list(map(ACTIONS.__getitem__, actions)),
        ats,
        [on or None for on in ons],
        texts,
        [target or None for target in targets],
    )
    return Written(schema, device, layout, columns)
