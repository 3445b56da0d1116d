"""Check catalogue data: every problem at once, each with its file and line (the slow path)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from . import toml_tables
from .catalogue import KINDS, Catalogue, CatalogueFile
from .errors import CatalogueError
from .references import Location, Problem, reference_problems

__all__ = ["TomlLines", "parse_catalogue"]


def parse_catalogue(data: bytes, *, source: str) -> Catalogue:
    """Parse and validate catalogue TOML, reporting every problem as `file:line: field: problem`."""
    return _validate(_parse_raw(data, source=source), text=data.decode("utf-8-sig"), source=source)


def _parse_raw(data: bytes, *, source: str) -> dict[str, Any]:
    """Return the TOML data of a catalogue file, or raise a CatalogueError with the line."""
    try:
        # utf-8-sig: a byte-order mark first, as Notepad saves, is not part of the text.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problem = f"{source}: not UTF-8 text: {error.reason}"
        raise CatalogueError(path=source, problems=[problem]) from None
    try:
        return toml_tables.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(path=source, problems=[_toml_problem(source, error)]) from None
    except RecursionError:
        problem = f"{source}: not valid TOML: values nest too deeply to read"
        raise CatalogueError(path=source, problems=[problem]) from None


def _validate(raw: dict[str, Any], *, text: str, source: str) -> Catalogue:
    """Validate catalogue data, reporting every problem at once with its line in ``text``.

    Schema problems (a wrong type, an unknown field) and reference problems (an unknown
    section, a cycle) are both looked for, so one run lists everything to fix.
    """
    try:
        catalogue: Catalogue | None = CatalogueFile.model_validate(raw).catalogue()
        problems: list[Problem] = []
    except ValidationError as error:
        catalogue, problems = None, list(_describe(error, raw))
    problems += (
        Problem(p.location, p.message + _owned_by(raw, p.location)) for p in reference_problems(raw)
    )
    if problems or catalogue is None:
        lines = TomlLines(text)
        in_order = sorted(problems, key=lambda p: lines.line_of(p.location) or 0)
        raise CatalogueError(path=source, problems=[lines.format(source, p) for p in in_order])
    return catalogue


def _describe(error: ValidationError, raw: dict[str, Any]) -> Iterator[Problem]:
    """Turn pydantic's errors into problems that name the item where known.

    A "too short" complaint about a list whose elements already failed is left out: it only
    repeats that the elements were wrong.
    """
    details = error.errors(include_url=False)
    deeper = {tuple(d["loc"][:n]) for d in details for n in range(len(d["loc"]))}
    for detail in details:
        location: Location = tuple(detail["loc"])
        if detail["type"] == "too_short" and location in deeper:
            continue
        owner = _owner_id(raw, location)
        suffix = f" (item {owner!r})" if owner else ""
        yield Problem(location, _problem(detail) + suffix)


def _owned_by(raw: dict[str, Any], loc: Location) -> str:
    """Return " (item 'id')" for a problem inside an item, to say which one it is."""
    owner = _owner_id(raw, loc)
    return f" (item {owner!r})" if owner and loc[2:3] != ("id",) else ""


def _owner_id(raw: dict[str, Any], loc: Location) -> str | None:
    """Return the id of the item a location points into, when the raw data has one."""
    if len(loc) >= 3 and loc[0] == "items" and isinstance(loc[1], int):
        items = raw.get("items")
        if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
            owner = items[loc[1]].get("id")
            return owner if isinstance(owner, str) else None
    return None


def _problem(detail: Any) -> str:
    """Return pydantic's complaint in the words the messages use."""
    if detail["type"] == "extra_forbidden":
        return "unknown field"
    if detail["type"] == "missing":
        return "required field is missing"
    if detail["type"] == "literal_error" and detail["loc"][-1] == "kind":
        return f"unknown kind {detail['input']!r} (expected one of: {', '.join(KINDS)})"
    if detail["type"] == "string_pattern_mismatch":
        return (
            f"{detail['input']!r} is not an id: use lower-case letters, digits and dashes, "
            "starting with a letter or digit"
        )
    if detail["type"] == "string_too_long":
        return f"is longer than {detail['ctx']['max_length']} characters"
    return str(detail["msg"]).removeprefix("Value error, ")


_TOML_POSITION = re.compile(r"^(?P<reason>.*) \(at line (?P<line>\d+), column \d+\)$")


def _toml_problem(source: str, error: tomllib.TOMLDecodeError) -> str:
    """Return a TOML syntax error as a `file:line: problem` line."""
    match = _TOML_POSITION.match(str(error))
    if match:
        return f"{source}:{match['line']}: not valid TOML: {match['reason']}"
    return f"{source}: not valid TOML: {error}"


_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"'-]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


class TomlLines:
    """Find the line of a field in catalogue TOML written in the usual table layout.

    tomllib keeps no positions, so this reads table headers and keys line by line; a field
    it cannot place (inline tables, dotted keys) is reported without a line.
    """

    def __init__(self, text: str) -> None:
        """Index the table headers and keys of ``text``."""
        self._tables: list[tuple[str, int, dict[str, int]]] = []  # (name, header line, keys)
        current: dict[str, int] = {}
        self._tables.append(("", 0, current))
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                current = {}
                self._tables.append((header[2], number, current))
                continue
            key = _KEY.match(line)
            if key:
                current.setdefault(key[1], number)

    def line_of(self, location: Location) -> int | None:
        """Return the line that holds ``location``, or the line of its table, or None."""
        table, rest = self._table_for(location)
        if table is None:
            return None
        _name, header_line, keys = table
        if rest and isinstance(rest[0], str) and rest[0] in keys:
            return keys[rest[0]]
        return header_line or None

    def format(self, source: str, problem: Problem) -> str:
        """Return ``file:line: field path: message``, leaving out the line where unknown."""
        line = self.line_of(problem.location)
        where = f"{source}:{line}" if line else source
        return f"{where}: {_field_path(problem.location) or '<top level>'}: {problem.message}"

    def _nested(
        self, owner: tuple[str, int, dict[str, int]], name: str
    ) -> list[tuple[str, int, dict[str, int]]]:
        """Return the sub-tables called ``name`` of one table, in order."""
        return _nested_tables(self._tables, owner, name)

    def _table_for(
        self, location: Location
    ) -> tuple[tuple[str, int, dict[str, int]] | None, Location]:
        """Return the table a location falls in, and the rest of the location."""
        if len(location) >= 2 and isinstance(location[1], int):
            name, index = str(location[0]), location[1]
            matches = [t for t in self._tables if t[0] == name]
            table = matches[index] if index < len(matches) else None
            rest = location[2:]
            if table is not None and len(rest) >= 2 and isinstance(rest[1], int):
                # A link written as its own [[items.links]] table: point at that table.
                nested = self._nested(table, f"{name}.{rest[0]}")
                if rest[1] < len(nested):
                    return nested[rest[1]], rest[2:]
            return table, rest
        if location and location[0] == "catalogue":
            matches = [t for t in self._tables if t[0] == "catalogue"]
            return (matches[0] if matches else None), location[1:]
        return self._tables[0], location


def _nested_tables(
    tables: list[tuple[str, int, dict[str, int]]],
    owner: tuple[str, int, dict[str, int]],
    name: str,
) -> list[tuple[str, int, dict[str, int]]]:
    """Return the tables named ``name`` that follow ``owner``, before the next table like it."""
    start = tables.index(owner) + 1
    found = []
    for table in tables[start:]:
        if table[0] == owner[0]:
            break
        if table[0] == name:
            found.append(table)
    return found


def _field_path(loc: Location) -> str:
    """Return a location as a field path such as ``items[3].kind``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path
