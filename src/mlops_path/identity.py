"""Keep catalogues apart: remember which file first used each catalogue id, and its title.

Progress is stored under a catalogue's declared id, so two different study paths that declare
the same id would silently share it. This machine's record (in the state folder, never in the
synced data folder) notes each id's title and file; a different file with the same id and
another title draws a warning. Editing your own file, under the same path, just updates it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Only for the type: config.py reads the record (known_catalogue_files) on the way to
    # fast completion, which must not load pydantic.
    from .catalogue import Catalogue

__all__ = ["check_catalogue_identity", "known_catalogue_files", "starter_id"]


def check_catalogue_identity(catalogue: Catalogue, *, path: Path, record: Path) -> str | None:
    """Record which file uses ``catalogue``'s id; return a warning if another path holds it."""
    import tomli_w

    from .files import atomic_write

    known = _read(record)
    here = str(path.resolve())
    title = catalogue.header.title
    held = known.get(catalogue.id)
    if isinstance(held, dict) and held.get("path") != here and held.get("title") != title:
        return (
            f"catalogue id {catalogue.id!r} is already used by {held.get('title')!r} "
            f"({held.get('path')}); {title!r} ({path}) shares its progress. To keep them apart, "
            f"give this file its own id in [catalogue], e.g. id = {starter_id(path)!r}"
        )
    if held != {"title": title, "path": here}:
        known[catalogue.id] = {"title": title, "path": here}
        try:
            record.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(record, tomli_w.dumps(known).encode("utf-8"))
        except OSError:
            pass  # the record only serves this warning; it must never stop a command
    return None


def starter_id(path: Path) -> str:
    """Return a catalogue id made from a file name: ``Rust Basics.toml`` gives ``rust-basics``."""
    words = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in path.stem.lower())
    slug = "-".join(words.split())[:64].strip("-")
    return slug or "my-study-path"


def known_catalogue_files(record: Path) -> dict[str, str]:
    """Return the catalogue files this machine has used, by catalogue id."""
    return {
        key: str(value["path"])
        for key, value in _read(record).items()
        if isinstance(value, dict) and isinstance(value.get("path"), str)
    }


def _read(record: Path) -> dict[str, object]:
    """Return the record, or an empty one when it is missing or unreadable."""
    from .files import SMALL_FILE_CAP, read_regular_file

    try:
        return tomllib.loads(read_regular_file(record, cap=SMALL_FILE_CAP).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return {}
