"""Keep derived data between runs so that large catalogues and histories load fast.

Everything here can be deleted at any time: the TOML files stay the source of truth. Each
entry records the digest of the bytes it was derived from and is used only when the source
still has exactly that digest. Reads and writes never fail a command: an unreadable or
unwritable cache is simply a cache miss.
"""

from __future__ import annotations

import gc
import marshal
import os
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from . import __version__

#: Bump when the shape of any cached value changes, or what it vouches for. 2: "written by
#: this version" means the one-line-per-value form (1 could vouch for a tomli_w file holding
#: an inline events array, which cannot be appended to). 3: catalogues kept as rows.
#: 4: a file's events kept as columns. 5: a catalogue's items split: structure columns, details.
#: 6: every entry ends with its CRC-32. 7: a file's moments as it holds them (a space, not a
#: T, before the time), one form in which text sorts as time does.
CACHE_FORMAT = 7
#: Bytes of the CRC-32 that ends every entry.
CHECK_SIZE = 4
#: What rebuilding a value of another shape raises: such an entry is a miss, like any other.
SHAPE_ERRORS = (KeyError, IndexError, TypeError, ValueError, AttributeError)


T = TypeVar("T")


def digest(data: bytes) -> str:
    """Return the content digest that cache entries are keyed by.

    Two checksums and the length, not a cryptographic hash: it only has to tell a file from
    its own earlier versions, and hashlib alone costs more start-up time than the rest.
    """
    return f"{len(data):x}-{zlib.crc32(data):08x}-{zlib.adler32(data):08x}"


def sealed(body: bytes) -> bytes:
    """Return an entry's bytes followed by their CRC-32, as every entry is written."""
    return body + zlib.crc32(body).to_bytes(CHECK_SIZE, "big")


def unsealed(data: bytes) -> bytes | None:
    """Return the bytes ``sealed`` was given, or None if they are not the ones it sealed.

    A damaged entry is then a miss before it is loaded, not a value that loads and fails
    later: a cached catalogue's items are built long after its entry is read.
    """
    body, check = data[:-CHECK_SIZE], data[-CHECK_SIZE:]
    if len(data) < CHECK_SIZE or zlib.crc32(body).to_bytes(CHECK_SIZE, "big") != check:
        return None
    return body


@contextmanager
def bulk_reading() -> Iterator[None]:
    """Hold off the cycle collector while files or cache entries become many small objects.

    Events, catalogue models, their columns and strings hold no reference cycles, yet each
    few hundred of them set off a collection that walks every object made so far: reading
    200,000 events took three times as long with the collector on. It runs again once the
    reading is over.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Not gc.freeze(): it would also keep, for good, any garbage cycle made before, and
        # a long-lived process (a test worker) reads many histories.
        if was_enabled:
            gc.enable()


class ReadCache:
    """Named entries in one folder, each valid only for the source digest it was made from."""

    def __init__(self, folder: Path | None) -> None:
        """Keep entries in ``folder``; None turns the cache off."""
        self.folder = folder

    def get(self, name: str, source_digest: str) -> Any:
        """Return the value stored under ``name`` for this digest, or None."""
        entry = self._entry(name)
        return entry.get("value") if entry and entry.get("digest") == source_digest else None

    def rebuild(self, name: str, source_digest: str, read: Callable[[Any], T]) -> T | None:
        """Return ``read`` of the value stored for this digest, or None when it has no such value.

        A damaged or foreign entry that still loads is a miss too: ``read`` finds it the wrong
        shape, and the caller works the value out from the source again.
        """
        value = self.get(name, source_digest)
        if value is None:
            return None
        try:
            return read(value)
        except SHAPE_ERRORS:
            return None

    def latest(self, name: str) -> Any:
        """Return the value last stored under ``name``, whatever its source: a starting point.

        Only for values that say themselves what they were made from, so that the caller can
        check what changed since (the states entry lists its files' digests).
        """
        entry = self._entry(name)
        return entry.get("value") if entry else None

    def _entry(self, name: str) -> dict[str, Any] | None:
        """Return the entry stored under ``name`` by this version, or None."""
        if self.folder is None:
            return None
        try:
            body = unsealed((self.folder / name).read_bytes())
        except OSError:
            return None
        if body is None:
            return None
        try:
            # marshal, not pickle: it cannot run code, and it is the fastest to load. The folder
            # is the user's own and only this program writes to it.
            entry = marshal.loads(body)  # noqa: S302
        except (EOFError, ValueError, TypeError):
            return None
        if isinstance(entry, dict) and entry.get("format") == (CACHE_FORMAT, __version__):
            return entry
        return None

    def put(self, name: str, source_digest: str, value: Any) -> None:
        """Store ``value`` under ``name`` for this digest; failures are ignored."""
        if self.folder is None:
            return
        entry = {"format": (CACHE_FORMAT, __version__), "digest": source_digest, "value": value}
        try:
            data = sealed(marshal.dumps(entry))
            self.folder.mkdir(parents=True, exist_ok=True)
            temp = self.folder / f".{name}.{os.getpid()}.tmp"
            temp.write_bytes(data)
            temp.replace(self.folder / name)
        except (OSError, ValueError):
            return
