"""Read the whole history: every device's progress files, merged by event id.

Each file is parsed and validated once per content: its events are then kept in the read
cache by the file's digest, so after a sync or a hand edit only the files that changed are
read again. Files a sync tool made as conflict copies are read too, and merged by event id.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate, chain
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import ReadCache, bulk_reading, digest

if TYPE_CHECKING:
    from .event_lines import Columns
    from .events import Event, StoreFile
    from .ledger import Ledger

__all__ = ["History", "ProgressFile", "Snapshot", "events_entry"]

#: Read-cache entry name prefix for one file's events, keyed by that file's digest.
EVENTS_ENTRY = "events-"
#: The same for the ids of one file's events alone.
IDS_ENTRY = "ids-"
#: An event's id, read in C: the merge reads every id of a history read cold.
_ID = attrgetter("id")


def events_entry(path: Path) -> str:
    """Return the read-cache entry of one file's events."""
    return EVENTS_ENTRY + digest(str(path).encode())


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgressFile:
    """One file of the history as read: where it is, whose it is, its bytes and their digest."""

    path: Path
    device: str | None  # None: the single progress.toml of older versions
    data: bytes
    digest: str
    conflict: bool = False


@dataclass(frozen=True, kw_only=True)
class History:
    """Every event, each once, and what the merge noticed on the way."""

    events: tuple[Event, ...]
    #: Each event's index in ``events`` where the files of each device start: the merge
    #: reads a device's files one after another and keeps each event where it was first found.
    #: (A map from each event to its device cost 10 MB at 200,000 events, for undo alone.)
    device_runs: tuple[tuple[int, str | None], ...] = ()
    #: Event ids found twice with different content; the first file's version is kept.
    conflicting: tuple[str, ...] = ()

    @cached_property
    def devices(self) -> dict[str, str | None]:
        """Return the device each event was first found under, by event id."""
        return {event.id: owner for owner, events in self._runs() for event in events}

    def recorded_by(self, device: str) -> list[Event]:
        """Return the events this device recorded, in the order it recorded them.

        None marks an older single progress.toml: its events count as this device's own.
        """
        return [
            event for owner, events in self._runs() if owner in (device, None) for event in events
        ]

    def _runs(self) -> Iterator[tuple[str | None, tuple[Event, ...]]]:
        """Yield each file's device with the events first found in that file."""
        if not self.device_runs:  # nothing recorded yet
            return
        ends = [start for start, _ in self.device_runs[1:]] + [len(self.events)]
        for (start, owner), end in zip(self.device_runs, ends, strict=True):
            yield owner, self.events[start:end]


class Snapshot:
    """The history's files as read once: their bytes and digests, the events parsed on demand."""

    def __init__(
        self,
        *,
        marker: ProgressFile | None,
        files: Sequence[ProgressFile],
        cache: ReadCache,
    ) -> None:
        """Hold the marker (progress.toml) and the device files, in reading order."""
        self.marker = marker
        self.files = tuple(files)
        self._cache = cache
        self._columns: dict[Path, Columns] = {}

    @cached_property
    def digest(self) -> str:
        """Return one digest of every file's name and content, which read caches are keyed by."""
        parts = [(str(f.path), f.digest) for f in self._all_files()]
        return digest(repr(parts).encode())

    @property
    def is_empty(self) -> bool:
        """Tell whether nothing has been recorded in this data folder yet."""
        return self.marker is None and not self.files

    def parsed(self, file: ProgressFile) -> StoreFile:
        """Return one file parsed and validated (raises StoreError naming it when broken)."""
        from .events import parse_progress

        return parse_progress(file.data, path=file.path)

    def events_of(self, file: ProgressFile) -> tuple[Event, ...]:
        """Return one file's events (raises StoreError naming the file if it is broken)."""
        from .events import events_from_columns

        return events_from_columns(self.columns_of(file))

    def columns_of(self, file: ProgressFile) -> Columns:
        """Return one file's events as columns: from the read cache, or read, checked and cached."""
        from .events import read_columns

        if file.path in self._columns:  # ``show`` reads the events, then the ledger
            return self._columns[file.path]
        columns = self._cached_columns(file.path, file.digest)
        if columns is None:
            columns = read_columns(file.data, path=file.path)
            self._cache.put(events_entry(file.path), file.digest, columns)
        self._columns[file.path] = columns
        return columns

    def file_digests(self) -> dict[str, str]:
        """Return each file's digest by path, as the states cache records what it was made from."""
        return {str(file.path): file.digest for file in self._all_files()}

    def added_since(self, previous: Mapping[str, str]) -> list[Event] | None:
        """Return the events added to the files since they had the ``previous`` digests.

        None unless adding is all that happened: a file went away, a conflict copy changed, a
        file's earlier events changed or are no longer cached, or an added event's id is
        already in another file (two machines imported one export). Then only a full read of
        the history gives the right answer.
        """
        from .event_lines import COLUMN_COUNT
        from .events import events_from_columns

        files = {str(file.path): file for file in self._all_files()}
        if previous.keys() - files.keys():
            return None
        changed = [file for path, file in files.items() if previous.get(path) != file.digest]
        if any(file.conflict for file in changed):
            return None
        added: list[Event] = []
        known: set[str] = set()
        for file in changed:
            before = previous.get(str(file.path))
            old = self._cached_columns(file.path, before) if before else ((),) * COLUMN_COUNT
            if old is None:
                return None
            # Compared as columns, so that only the added events become event objects.
            now, count = self.columns_of(file), len(old[0])
            if any(list(new[:count]) != list(was) for new, was in zip(now, old, strict=True)):
                return None
            added += events_from_columns(tuple(column[count:] for column in now))
            known.update(old[0])
        for file in files.values():
            if file not in changed:
                known |= self._ids_of(file)
        ids = [event.id for event in added]
        if len(set(ids)) != len(ids) or not known.isdisjoint(ids):
            return None
        return added

    def _cached_columns(self, path: Path, file_digest: str) -> Columns | None:
        """Return the columns cached for ``path`` when its bytes had this digest, or None."""
        return self._cache.rebuild(events_entry(path), file_digest, _columns)

    def _ids_of(self, file: ProgressFile) -> frozenset[str]:
        """Return the ids of one file's events, cached apart: far cheaper than the events."""
        name = IDS_ENTRY + digest(str(file.path).encode())
        cached = self._cache.rebuild(name, file.digest, frozenset)
        if cached is not None:
            return cached
        ids = [event.id for event in self.events_of(file)]
        self._cache.put(name, file.digest, ids)
        return frozenset(ids)

    @cached_property
    def ledger(self) -> Ledger:
        """Return every event once as columns, in reading order (raises StoreError if broken)."""
        from .ledger import Ledger

        def taken(file: ProgressFile) -> Columns:
            """Return one file's columns, no longer kept here once the ledger holds them."""
            columns = self.columns_of(file)
            self._columns.pop(file.path, None)
            return columns

        with bulk_reading():
            return Ledger(map(taken, self._all_files()))

    @cached_property
    def history(self) -> History:
        """Return every event once, merged by id (raises StoreError if a file is broken)."""
        with bulk_reading():
            return merge((file.device, self.events_of(file)) for file in self._all_files())

    def _all_files(self) -> list[ProgressFile]:
        """Return the marker (or older store) first, then the device files."""
        return [*([self.marker] if self.marker else []), *self.files]


def _columns(value: Any) -> Columns:
    """Return a cached value as a file's columns; raise ValueError if it is not their shape."""
    from .event_lines import COLUMN_COUNT

    columns = tuple(value)
    if len(columns) != COLUMN_COUNT or len({len(column) for column in columns}) != 1:
        raise ValueError("not a file's event columns")
    return columns


def merge(sources: Iterable[tuple[str | None, Sequence[Event]]]) -> History:
    """Merge events from several files by id: the first copy wins, different copies are noted."""
    from .ledger import first_copies  # the rule both readers of a history merge by

    files = list(sources)
    events = list(chain.from_iterable(events for _, events in files))
    # Where each file's events start: one more value than files (the end), left unzipped.
    starts = list(accumulate((len(events) for _, events in files), initial=0))
    devices = [device for device, _ in files]
    firsts = first_copies(list(map(_ID, events)))
    if firsts is None:  # the usual case: each file's events, in reading order
        return History(events=tuple(events), device_runs=tuple(zip(starts, devices, strict=False)))
    kept = [events[position] for position in firsts]
    first = {event.id: event for event in kept}
    again = set(range(len(events))).difference(firsts)
    return History(
        events=tuple(kept),
        # Each file's kept events start after those kept from the files before it.
        device_runs=tuple(
            (bisect_left(firsts, start), device)
            for start, device in zip(starts, devices, strict=False)
        ),
        conflicting=tuple(
            event.id
            for position, event in enumerate(events)
            if position in again and event != first[event.id]
        ),
    )
