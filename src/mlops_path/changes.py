"""Record the learner's changes as events, each decided and written in one store transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .catalogue import Item
from .errors import InvalidValueError
from .progress import TODO, latest_undoable
from .replay import NOTE_ACTIONS
from .results import ChangeResult, ImportResult, Unchanged, UndoResult

if TYPE_CHECKING:
    from .events import Action, Event
    from .queries import Queries

__all__ = ["REFUSED", "Changes"]

#: For each action, the statuses in which it changes nothing and the item is left alone.
REFUSED: dict[str, frozenset[str]] = {
    "done": frozenset({"done"}),
    "start": frozenset({"done", "in-progress"}),
    "skip": frozenset({"done", "skipped"}),
    "reset": frozenset({"todo"}),
    "note": frozenset(),
}


@dataclass(frozen=True, kw_only=True)
class Changes:
    """Record changes to the catalogue and store that ``queries`` reads, with its clock."""

    queries: Queries

    def mark_done(
        self, queries: Sequence[str], *, note: str | None = None, on: datetime | None = None
    ) -> ChangeResult:
        """Record completions; items done before keep their first date and are reported."""
        if on is not None and on > self.queries.clock():
            raise InvalidValueError(f"--on {on.date().isoformat()} is in the future")
        return self._change("done", queries, note=note, on=on)

    def start(self, queries: Sequence[str]) -> ChangeResult:
        """Mark items as being studied now; ``next`` then shows them first."""
        return self._change("start", queries)

    def skip(self, queries: Sequence[str], *, reason: str | None = None) -> ChangeResult:
        """Leave items out of ``next`` without counting them as done."""
        return self._change("skip", queries, note=reason)

    def reset(self, queries: Sequence[str]) -> ChangeResult:
        """Put items back to to-do; their history stays in the log."""
        return self._change("reset", queries)

    def add_note(self, query: str, text: str) -> ChangeResult:
        """Keep a note with an item."""
        if not text.strip():
            raise InvalidValueError("the note is empty")
        return self._change("note", [query], note=text)

    def undo(self) -> UndoResult:
        """Revert the latest change that is not undone yet, by recording an undo event."""
        from .events import new_event

        if not self.queries.store.exists():  # nothing to undo: create no folder and no lock file
            return UndoResult(reverted=None)
        device = self.queries.store.device()
        with self.queries.store.transaction() as tx:
            history = tx.snapshot.history
            undoable = latest_undoable(
                history.recorded_by(device), catalogue_id=self.queries.catalogue.id
            )
            if not undoable:
                return UndoResult(reverted=None)
            target = undoable[0]
            tx.append(
                [
                    new_event(
                        catalogue=target.catalogue,
                        item=target.item,
                        action="undo",
                        target=target.id,
                    )
                ]
            )
        return UndoResult(reverted=self.queries.entry(target, undone={target.id}, history=history))

    def import_events(self, source: Path, incoming: Sequence[Event]) -> ImportResult:
        """Merge ``incoming`` into the store by event id; events already here are kept."""
        with self.queries.store.transaction() as tx:
            ours = {event.id: event for event in tx.snapshot.history.events}
            fresh: list[Event] = []
            already = 0
            conflicting: list[str] = []
            for event in incoming:
                mine = ours.setdefault(event.id, event)
                if mine is event:
                    fresh.append(event)
                elif mine == event:
                    already += 1
                else:
                    conflicting.append(event.id)
            tx.append(fresh)
        return ImportResult(
            source=source,
            added=tuple(fresh),
            already_present=already,
            conflicting=tuple(conflicting),
        )

    def _change(
        self,
        action: Action,
        queries: Sequence[str],
        *,
        note: str | None = None,
        on: datetime | None = None,
    ) -> ChangeResult:
        """Record ``action`` on each named item whose status it would change, under the lock."""
        from .events import check_storable, new_event

        if note is not None:
            check_storable(note)

        items = _unique(self.queries.catalogue.resolve_item(query) for query in queries)
        if "todo" in REFUSED[action] and not self.queries.store.exists():
            # Every item is to do and this action changes none of them: write nothing at all.
            return ChangeResult(
                action=action,
                changed=(),
                unchanged=tuple(
                    Unchanged(view=self.queries.view(i, self.queries.standing({}))) for i in items
                ),
                on=on,
                command=self.queries.command,
            )
        with self.queries.store.transaction() as tx:
            before = self.queries.states_cache.seen(tx.snapshot)
            refused = {
                item.id
                for item in items
                if before.states.get(item.id, TODO).status in REFUSED[action]
            }
            events = [
                new_event(
                    catalogue=self.queries.catalogue.id,
                    item=item.id,
                    action=action,
                    note=note,
                    on=on,
                )
                for item in items
                if item.id not in refused
            ]
            # A note typed with a change that is refused is still kept, as a note of its own.
            noted = refused if note and action in NOTE_ACTIONS else set()
            events += [
                new_event(
                    catalogue=self.queries.catalogue.id, item=item.id, action="note", note=note
                )
                for item in items
                if item.id in noted
            ]
            after = tx.append(events)
        states = before.states
        if after is not None:
            advanced = self.queries.states_cache.advance(before, events, after=after)
            states = advanced if advanced is not None else self.queries.states()
        standing = self.queries.standing(states)
        return ChangeResult(
            action=action,
            changed=tuple(self.queries.view(i, standing) for i in items if i.id not in refused),
            unchanged=tuple(
                Unchanged(view=self.queries.view(i, standing), noted=i.id in noted)
                for i in items
                if i.id in refused
            ),
            on=on,
            command=self.queries.command,
        )


def _unique(items: Iterable[Item]) -> list[Item]:
    """Return the items without repeats, in first-seen order."""
    seen: dict[str, Item] = {}
    for item in items:
        seen.setdefault(item.id, item)
    return list(seen.values())
