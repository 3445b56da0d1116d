"""Keep each catalogue's derived item states between runs, keyed by the store's content.

The one owner of how states are cached: their serialisation, the key of a catalogue inside an
entry, and the position of the newest event, compared with the history's own order key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .cache import SHAPE_ERRORS, bulk_reading
from .progress import TODO, ItemState, order_key

if TYPE_CHECKING:
    from .cache import ReadCache
    from .catalogue import Catalogue
    from .events import Event
    from .history import Snapshot

__all__ = ["StatesCache", "StatesSeen"]

#: Read-cache entry holding derived states, keyed by the store file's digest.
ENTRY = "states"
#: Key, inside that entry, of the order key of the store's newest event.
NEWEST = "_newest"
#: Key, inside that entry, of each file's digest: what the states were derived from.
FILES = "_files"
#: Key, inside that entry, of the ids that undo events name.
UNDONE = "_undone"

States = dict[str, ItemState]
OrderKey = tuple[datetime, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class StatesSeen:
    """The states of one catalogue as of one store snapshot, its newest event, its undone ids.

    ``undone`` are the ids undo events name: an event that arrives after the undo that
    reverts it (from a machine whose file was synced later) must not count.
    """

    states: States
    newest: OrderKey | None
    undone: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class StatesCache:
    """Derive a catalogue's states from a snapshot, through the read cache when it can."""

    catalogue: Catalogue
    cache: ReadCache

    def states(self, snapshot: Snapshot) -> States:
        """Return the states for ``snapshot``."""
        return self.seen(snapshot).states

    def seen(self, snapshot: Snapshot) -> StatesSeen:
        """Return the states for ``snapshot`` and its newest event, cached by its digest.

        Any change to the files, by this program, a sync or a hand edit, changes the digest
        and so misses the cache. When the change only added events later than any before
        (a sync from a machine used since), the last states are brought up to date with them;
        otherwise the whole history is read and the states derived again.
        """
        entry = self.cache.get(ENTRY, snapshot.digest)
        cached = self._rebuilt(entry)
        if cached is not None:
            return cached[0]
        caught_up = self._caught_up(snapshot)
        if caught_up is not None:
            return caught_up
        ledger = snapshot.ledger
        with bulk_reading():
            states = ledger.states(catalogue_id=self.catalogue.id, aliases=self.catalogue.aliases)
            newest, undone = ledger.newest, ledger.undone
        if not isinstance(entry, dict):
            entry = {
                NEWEST: _dump_key(newest),
                FILES: snapshot.file_digests(),
                UNDONE: sorted(undone),
            }
        entry[self._key] = _dump(states)
        self.cache.put(ENTRY, snapshot.digest, entry)
        return StatesSeen(states=states, newest=newest, undone=undone)

    def advance(
        self, before: StatesSeen, new_events: Sequence[Event], *, after: Snapshot
    ) -> States | None:
        """Return the states after appending ``new_events``, or None when they must be re-read.

        Applying only the new events is right when each comes after the whole history in
        recording order (``progress.order_key``), none is an undo and none is an event an
        undo already reverts; otherwise (an undo, a skewed clock, an import of older events)
        the caller reads the files again. The result is cached under ``after``'s digest, so
        the next command starts warm.
        """
        from .replay import apply  # only when a sync brought events: not on a warm run

        ordered = sorted(new_events, key=order_key)
        if any(event.action == "undo" or event.id in before.undone for event in ordered):
            return None
        if ordered and before.newest is not None and order_key(ordered[0]) <= before.newest:
            return None
        states = dict(before.states)
        for event in ordered:
            if event.catalogue == self.catalogue.id:
                item_id = self.catalogue.canonical_id(event.item)
                states[item_id] = apply(states.get(item_id, TODO), event)
        newest = order_key(ordered[-1]) if ordered else before.newest
        entry = {
            NEWEST: _dump_key(newest),
            FILES: after.file_digests(),
            UNDONE: sorted(before.undone),
            self._key: _dump(states),
        }
        self.cache.put(ENTRY, after.digest, entry)
        return states

    def _caught_up(self, snapshot: Snapshot) -> StatesSeen | None:
        """Return the last cached states brought up to ``snapshot``, when only events were added."""
        last = self._rebuilt(self.cache.latest(ENTRY))
        if last is None:
            return None
        before, files = last
        added = snapshot.added_since(files) if files is not None else None
        if added is None:
            return None
        states = self.advance(before, added, after=snapshot)
        if states is None:
            return None
        newest = max(map(order_key, added), default=before.newest)
        return StatesSeen(states=states, newest=newest, undone=before.undone)

    def _rebuilt(self, entry: object) -> tuple[StatesSeen, dict[str, str] | None] | None:
        """Return this catalogue's states in a cache entry, and the file digests they are of.

        None when the entry has none, or is not the shape this version writes (a miss).
        """
        if not (isinstance(entry, dict) and self._key in entry):
            return None
        try:
            seen = StatesSeen(
                states=_load(entry[self._key]),
                newest=_load_key(entry[NEWEST]),
                undone=frozenset(map(str, entry[UNDONE])),
            )
            files = entry.get(FILES)
            digests = {str(path): str(sha) for path, sha in files.items()} if files else None
        except SHAPE_ERRORS:
            return None
        return seen, digests

    @property
    def _key(self) -> str:
        """Return the key of this catalogue (and its aliases) inside a cache entry."""
        aliases = ",".join(f"{old}={new}" for old, new in sorted(self.catalogue.aliases.items()))
        return f"{self.catalogue.id}|{aliases}"


def _dump(states: Mapping[str, ItemState]) -> dict[str, tuple[Any, ...]]:
    """Return states as plain values that the read cache can store."""
    return {
        item_id: (
            state.status,
            _dump_moment(state.done_at),
            _dump_moment(state.started_at),
            state.skip_reason,
            state.notes,
        )
        for item_id, state in states.items()
    }


def _load(data: Mapping[str, tuple[Any, ...]]) -> States:
    """Rebuild states from ``_dump`` output."""
    return {
        item_id: ItemState(
            status=status,
            done_at=_load_moment(done_at),
            started_at=_load_moment(started_at),
            skip_reason=skip_reason,
            notes=tuple(notes),
        )
        for item_id, (status, done_at, started_at, skip_reason, notes) in data.items()
    }


def _dump_moment(moment: datetime | None) -> str | None:
    """Return a moment as ISO text, or None."""
    return moment.isoformat() if moment else None


def _load_moment(text: str | None) -> datetime | None:
    """Return the moment ``_dump_moment`` wrote, or None."""
    return datetime.fromisoformat(text) if text else None


def _dump_key(key: OrderKey | None) -> tuple[str, str] | None:
    """Return an order key as plain values."""
    return (key[0].isoformat(), key[1]) if key else None


def _load_key(data: Sequence[str] | None) -> OrderKey | None:
    """Return the order key ``_dump_key`` wrote, as a datetime and an id again."""
    return (datetime.fromisoformat(data[0]), data[1]) if data else None
