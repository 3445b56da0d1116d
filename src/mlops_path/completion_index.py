"""Keep what shell completion offers for a catalogue in a small index: ids, sections and kinds.

The index is an entry of the read cache (cache.py), named after the catalogue like its cached
data (``completion-`` and the catalogue's cache name) and valid only for the digest of the
catalogue bytes it was made from, so a hand-edited file invalidates it. The normal path writes
it: ``loading.load_catalogue`` whenever it loads a catalogue afresh, which makes it current
after any command, and the Typer completion callbacks when they find it missing or stale.
fast_completion.py reads it before Typer, rich or pydantic is imported.

Its descriptions are final: ``describe`` (the one rule, which the Typer callbacks use too) has
made them safe for a terminal and short, so the fast path only filters and formats. What it
reads back is untrusted: anything of the wrong shape is a miss, never an error.

Standard library only, plus cache.py and catalogue_source.py; terminal_text is imported only
when an index is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cache import ReadCache, digest

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from .catalogue import Catalogue

__all__ = [
    "DESCRIPTION_WIDTH",
    "CompletionIndex",
    "describe",
    "offered",
    "read_index",
    "refresh_index",
    "write_index",
]

#: Shells show a description beside each value: keep it to one line.
DESCRIPTION_WIDTH = 60
#: Bump when what the index holds, or the rule that makes its descriptions, changes.
INDEX_FORMAT = 1

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CompletionIndex:
    """The values completion offers for one catalogue, with their descriptions ("" for none)."""

    ids: Pairs
    sections: Pairs
    kinds: Pairs


def describe(text: str) -> str:
    """Make a description safe for a terminal and short enough for one line."""
    from .terminal_text import printable

    text = printable(text)
    if len(text) <= DESCRIPTION_WIDTH:
        return text
    return text[: DESCRIPTION_WIDTH - 1].rstrip() + "…"


def offered(value: str, typed: str) -> bool:
    """Tell whether a value is offered for what was typed: it starts with it, typed in any case."""
    return value.startswith(typed.lower())


def write_index(
    cache: ReadCache,
    *,
    name: str,
    source_digest: str,
    catalogue: Catalogue,
    kinds: Iterable[str],
) -> None:
    """Store the completion index of ``catalogue``, made from bytes with ``source_digest``."""
    value = {
        "format": INDEX_FORMAT,
        "ids": tuple((item.id, describe(item.title)) for item in catalogue.items),
        "sections": tuple((sec.id, describe(sec.label)) for sec in catalogue.sections),
        "kinds": tuple((kind, "") for kind in kinds),
    }
    cache.put(_entry(name), source_digest, value)


def read_index(cache: ReadCache, *, name: str, source_digest: str) -> CompletionIndex | None:
    """Return the index stored for these catalogue bytes, or None if missing, stale or damaged."""
    value = cache.get(_entry(name), source_digest)
    if not isinstance(value, dict) or value.get("format") != INDEX_FORMAT:
        return None
    ids, sections, kinds = (_pairs(value.get(key)) for key in ("ids", "sections", "kinds"))
    if ids is None or sections is None or kinds is None:
        return None
    return CompletionIndex(ids=ids, sections=sections, kinds=kinds)


def refresh_index(
    cache: ReadCache, *, path: Path | None, catalogue: Catalogue, kinds: Iterable[str]
) -> None:
    """Write the index of a loaded catalogue again unless a good one is there already.

    For the Typer completion path: the fast path sent it there, perhaps for want of an index
    (deleted, damaged), and the catalogue's cached data alone would never bring one back.
    """
    from .catalogue_source import read_source
    from .errors import MlopsPathError

    try:
        data, name = read_source(path)
    except MlopsPathError:
        return
    source_digest = digest(data)
    if read_index(cache, name=name, source_digest=source_digest) is None:
        write_index(cache, name=name, source_digest=source_digest, catalogue=catalogue, kinds=kinds)


def _entry(name: str) -> str:
    """Return the cache entry of the index of the catalogue cached under ``name``."""
    return f"completion-{name}"


def _pairs(value: object) -> Pairs | None:
    """Return ``value`` if it is a tuple of (value, description) string pairs, else None.

    Values are written to the shell as they are, so one holding a control character (which
    ``describe`` never lets into a description either) makes the whole index a miss.
    """
    if not isinstance(value, tuple):
        return None
    for pair in value:
        if not (
            isinstance(pair, tuple)
            and len(pair) == 2
            and isinstance(pair[0], str)
            and isinstance(pair[1], str)
            and pair[0].isprintable()
        ):
            return None
    return value
