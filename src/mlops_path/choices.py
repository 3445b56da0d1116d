"""Read the names learners type for a fixed set of choices: any case, unique prefixes, hints.

Statuses, kinds, export formats, sections and item ids are all looked up here the same way:
an exact name (case does not matter), else another spelling of it, else a prefix that only
one name starts with; otherwise the error names the close ones ("did you mean").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .errors import AmbiguousNameError, InvalidValueError, UnknownNameError

__all__ = [
    "FORMAT_ALIASES",
    "FORMAT_BY_SUFFIX",
    "FORMAT_NAMES",
    "STATUS_ALIASES",
    "STATUS_NAMES",
    "close_names",
    "pick",
]

#: Up to this many choices are all named when nothing typed comes close to one.
MAX_LISTED = 12
STATUS_NAMES = ("todo", "in-progress", "done", "skipped")
FORMAT_NAMES = ("json", "csv", "markdown")
#: Other spellings people type, by the kind of choice.
STATUS_ALIASES = {"to-do": "todo", "in progress": "in-progress", "started": "in-progress"}
FORMAT_ALIASES = {"md": "markdown"}
#: The export format a file name's extension asks for when --format is not given.
FORMAT_BY_SUFFIX = {".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown"}


def pick(
    typed: str,
    *,
    names: Sequence[str],
    what: str,
    aliases: Mapping[str, str] | None = None,
) -> str:
    """Return the one name ``typed`` stands for, or raise an error that suggests close ones."""
    folded = typed.strip().casefold()
    if not folded:
        raise InvalidValueError(f"the {what} is empty; use one of: {', '.join(names[:8])}")
    lowered = {name.casefold(): name for name in names}
    if folded in lowered:
        return lowered[folded]
    if aliases and folded in aliases:
        return aliases[folded]
    starting = [name for name in names if name.casefold().startswith(folded)]
    if len(starting) == 1:
        return starting[0]
    if starting:
        raise AmbiguousNameError(what=what, prefix=typed, matches=starting)
    error = UnknownNameError(what=what, name=typed, suggestions=close_names(folded, names))
    if error.hint is None and len(names) <= MAX_LISTED:
        error.hint = f"use one of: {', '.join(names)}"
    raise error


def close_names(typed: str, names: Sequence[str]) -> list[str]:
    """Return up to two names close to ``typed``: similar spelling, or one of its words."""
    import difflib

    lowered = {name.casefold(): name for name in names}
    folded = typed.casefold()
    close = difflib.get_close_matches(folded, list(lowered), n=2, cutoff=0.6)
    if not close:
        close = [low for low in lowered if folded in low.split("-")][:2]
    return [lowered[name] for name in close]
