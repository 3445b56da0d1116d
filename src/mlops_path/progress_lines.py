"""Write progress files in one fixed form of TOML, and read that form faster than tomllib.

The form is a small part of TOML: one ``key = value`` per line, basic strings, offset
datetimes, integers, and an [[events]] header before each event, so that appending an event
is appending lines. The reader also takes one-line arrays of strings and booleans, which
catalogue tables hold (``toml_tables`` reads catalogues a table at a time through it).
(tomli_w would write a file of short events as one inline array, which [[events]] tables
cannot extend.) tomllib is pure Python and parses a long history at about
20 us an event, most of a cold start; this form is read here line by line. Anything outside
it, however valid (a hand edit with an inline comment, a literal string, an odd spacing),
makes ``read_canonical`` return None, and the caller parses the file with tomllib instead:
this reader only ever gives the answer tomllib would give, or none.
``tests/test_progress_lines.py`` compares the two on generated and mangled files.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from sys import intern
from typing import Any

__all__ = [
    "NotCanonical",
    "moment_text",
    "read_canonical",
    "unescape",
    "write_events",
    "write_table",
]

#: A basic string's content: characters it may hold as they are, runs of them between escapes
#: (written as an unrolled loop, which the regular expression engine runs several times faster).
PLAIN = r'[^"\\\x00-\x08\x0a-\x1f\x7f]*'
STRING = rf'{PLAIN}(?:\\(?:[btnfr"\\]|u[0-9A-Fa-f]{{4}}|U[0-9A-Fa-f]{{8}}){PLAIN})*'
#: tomllib's own limits on an offset datetime; ``datetime.fromisoformat`` reads what matches.
MOMENT = (
    r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    r"[T ](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,6})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)"
)
#: A comment: TOML allows any character in one but control characters other than tab.
COMMENT = r"#[^\x00-\x08\x0a-\x1f\x7f]*"
#: An array of basic strings, as catalogues list authors and prerequisites: on one line, or
#: one string a line as tomli_w writes it (the only value here that spans lines).
ARRAY = rf'\[(?:"{STRING}"(?:, "{STRING}")*)?\]|\[\n(?:    "{STRING}",\n)+\]'
#: One whole line of the form, its newline included. Groups: header, key, then the value:
#: string, moment, integer, array of strings, boolean.
LINE = (
    r"^(?:(\[\[events\]\])"
    rf"|{COMMENT}"
    rf'|([A-Za-z0-9_-]+) = (?:"({STRING})"|({MOMENT})|(0|[1-9]\d{{0,8}})|({ARRAY})|(true|false))'
    r")?\n"
)
ESCAPE = r'\\(?:([btnfr"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))'
SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
EVENTS_HEADER = "[[events]]"

#: Characters a basic string cannot hold as they are, with the escapes tomllib reads back.
MUST_ESCAPE = re.compile(r'["\\\x00-\x08\x0a-\x1f\x7f]')
SHORT_ESCAPES = {value: "\\" + key for key, value in SIMPLE_ESCAPES.items() if key != "t"}


def write_table(table: dict[str, object]) -> str:
    """Return ``key = value`` lines for a table of strings, integers and aware datetimes."""
    return "".join(f"{key} = {_literal(value)}\n" for key, value in table.items())


def write_events(tables: list[dict[str, object]]) -> str:
    """Return each table under an [[events]] header, a blank line before each."""
    return "".join(f"\n{EVENTS_HEADER}\n{write_table(table)}" for table in tables)


def moment_text(moment: datetime) -> str:
    """Return an aware moment as a progress file holds it: in UTC, a space before the time.

    In UTC because an offset with seconds would be written as +00:00:30, which TOML has not;
    in one form, because in it text sorts as time does.
    """
    return moment.astimezone(UTC).isoformat(sep=" ")


def _literal(value: object) -> str:
    """Return one value as TOML; keys are the fixed names of the progress file."""
    if isinstance(value, str):
        return '"' + MUST_ESCAPE.sub(_escape, value) + '"'
    if isinstance(value, datetime) and value.tzinfo is not None:
        return moment_text(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"a progress file holds no {type(value).__name__} values")


def _escape(char: re.Match[str]) -> str:
    """Return the escape that stands for one character a basic string cannot hold."""
    found = char.group()
    return SHORT_ESCAPES.get(found) or f"\\u{ord(found):04x}"


class NotCanonical(Exception):
    """Raised inside the reader when a line is outside the form this version writes."""


@cache
def _lines() -> re.Pattern[str]:
    """Compile ``LINE`` once, on first use: writing, the usual need, does not read.

    ASCII: a digit class must not match other scripts' digits, which tomllib refuses.
    """
    return re.compile(LINE, re.MULTILINE | re.ASCII)


@cache
def _escape_pattern() -> re.Pattern[str]:
    """Compile the pattern of one escape sequence, once, on first use."""
    return re.compile(ESCAPE)


@cache
def _array_strings() -> re.Pattern[str]:
    """Compile the pattern of one string in an array, once, on first use."""
    return re.compile(rf'"({STRING})"')


def read_canonical(text: str) -> dict[str, Any] | None:
    """Return the TOML document ``text`` as tomllib would, or None if it is not in our form."""
    try:
        return _read(text)
    except NotCanonical:
        return None


def _read(text: str) -> dict[str, Any]:
    """Read every line into the root table and its [[events]] tables.

    One regular expression, run in C, splits the text into lines and their parts; a match
    must start at the start of a line and end with its newline, so a line outside the form
    has no match and the count of matches falls short of the count of lines (those an
    array spans over several lines aside).
    """
    if not text.endswith("\n"):
        text += "\n"
    lines = _lines().findall(text)
    spanned = sum(line[5].count("\n") for line in lines if line[5]) if "[\n" in text else 0
    if len(lines) + spanned != text.count("\n"):
        raise NotCanonical
    root: dict[str, Any] = {}
    events: list[dict[str, Any]] | None = None
    table = root
    for header, key, *value in lines:
        if header:
            if events is None:
                if "events" in root:
                    raise NotCanonical
                events = root["events"] = []
            table = {}
            events.append(table)
        elif key:
            if key in table:
                raise NotCanonical
            # Interned: a catalogue repeats a few keys in every one of thousands of tables.
            table[intern(key)] = _value(*value)
    return root


def _value(string: str, moment: str, integer: str, array: str, boolean: str) -> object:
    """Return the value of a line from the one group of ``LINE`` that matched it."""
    if moment:
        return _moment(moment)
    if integer:
        return int(integer)
    if array:
        return [_string(item) for item in _array_strings().findall(array)]
    if boolean:
        return boolean == "true"
    return _string(string)


def _moment(text: str) -> datetime:
    """Return an offset datetime, as tomllib builds it."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:  # 30 February: tomllib words the error
        raise NotCanonical from None


def _string(content: str) -> str:
    """Return a basic string's value from its content between the quotes."""
    return unescape(content) if "\\" in content else content


def unescape(string: str) -> str:
    """Return a basic string's content with its escapes read (raises NotCanonical on a bad one)."""
    return _escape_pattern().sub(_unescaped, string)


def _unescaped(escape: re.Match[str]) -> str:
    """Return the character one escape sequence stands for."""
    simple, short, long = escape.groups()
    if simple is not None:
        return SIMPLE_ESCAPES[simple]
    code = int(short or long, 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:  # not a Unicode scalar value
        raise NotCanonical
    return chr(code)
