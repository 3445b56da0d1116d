"""Read a TOML document table by table: plain tables without tomllib, the rest with it.

tomllib is pure Python: a catalogue of 2,000 items took it 0.4 s, most of a cold start.
Such a file is mostly [[items]] tables of ``key = "value"`` lines, which
``progress_lines.read_canonical`` reads several times faster. So the document is cut before
every line that starts with ``[`` (a table header), and each table is read on its own: by
the line reader when it can, by tomllib when it cannot. Anything unsure (a dotted or quoted
header, a table defined twice, a piece tomllib refuses) and the whole text goes to tomllib,
which then gives its own answer or its own error. ``tests/test_toml_tables.py`` compares the
two on generated and mangled documents.

Cutting there is safe: a value that spans lines (a multi-line string or array) and holds a
line starting with ``[`` is cut short, and the piece before the cut is then not valid TOML.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from .progress_lines import read_canonical

__all__ = ["loads"]

#: Where a table header may start: a line whose first non-blank character is ``[``.
BEFORE_HEADER = re.compile(r"^(?=[ \t]*\[)", re.MULTILINE)
#: The headers read here: a bare name, in single or double brackets, and an optional comment.
HEADER = re.compile(
    r"[ \t]*(?:\[\[([A-Za-z0-9_-]+)\]\]|\[([A-Za-z0-9_-]+)\])"
    r"[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?"
)


class _Unsure(Exception):
    """Raised when the document is outside what is read here table by table."""


def loads(text: str) -> dict[str, Any]:
    """Return what ``tomllib.loads(text)`` returns, and raise what it raises."""
    try:
        return _by_table(text)
    except (_Unsure, tomllib.TOMLDecodeError, RecursionError):
        return tomllib.loads(text)


def _by_table(text: str) -> dict[str, Any]:
    """Read each table on its own and put them together as TOML does."""
    starts = [match.start() for match in BEFORE_HEADER.finditer(text)]
    document = _table(text[: starts[0]] if starts else text)
    arrays: set[str] = set()  # names of arrays that [[headers]] made
    # One table's text at a time: a list of them all would be a second copy of the file.
    for start, end in zip(starts, [*starts[1:], len(text)], strict=False):
        header, _, body = text[start:end].partition("\n")
        match = HEADER.fullmatch(header)
        if match is None:
            raise _Unsure
        array, name = match.groups()
        if array is not None:
            if array not in arrays:
                if array in document:
                    raise _Unsure
                document[array] = []
                arrays.add(array)
            document[array].append(_table(body))
        else:
            if name in document:
                raise _Unsure
            document[name] = _table(body)
    return document


def _table(body: str) -> dict[str, Any]:
    """Return the keys and values of one table's lines (no header among them)."""
    plain = read_canonical(body)
    return plain if plain is not None else tomllib.loads(body)
