"""Replay the event log into item states: the one rule of what each action does to an item.

Pure functions, no I/O, no clock. The rule is read off columns of the events that count
(``Moves``): a whole history read as columns (``ledger``) and one event applied to a state
(``apply``, as a sync catches up) take it alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import compress
from typing import TYPE_CHECKING, Any

from .event_rules import ACTIONS
from .progress import TODO, ItemState, Status

if TYPE_CHECKING:
    from .events import Event

__all__ = ["NOTE_ACTIONS", "Moves", "apply", "replay"]

#: Actions whose text is a note kept with the item (a skip's text is its reason instead).
NOTE_ACTIONS = frozenset({"done", "note"})
#: Actions that set an item's status whatever it was, and the status each sets. A completion
#: sets it unless the item is done already; a note never does.
AFTER: dict[str, Status] = {"start": "in-progress", "skip": "skipped", "reset": "todo"}

# What each action is, as dicts: a pass over every move looks each action up in C, a third
# of the time ``str.__eq__`` takes.
SETS_STATUS = {action: action in AFTER for action in ACTIONS}
RESTARTS = {action: action in ("start", "reset") for action in ACTIONS}
COMPLETES = {action: action == "done" for action in ACTIONS}
KEEPS_NOTE = {action: action in NOTE_ACTIONS for action in ACTIONS}


def apply(state: ItemState, event: Event) -> ItemState:
    """Return the state after one event."""
    moves = Moves(
        items=(event.item,),
        actions=(event.action,),
        ats=(event.at,),
        ons=(event.on,),
        notes=(event.note,),
    )
    return replay(moves, start={event.item: state})[event.item]


def _as_is(moment: datetime) -> datetime:
    """Return a moment that is a datetime already."""
    return moment


@dataclass(frozen=True, slots=True, kw_only=True)
class Moves:
    """The events that count for one catalogue, in recording order, one column per field.

    ``items`` are current ids, aliases applied. The moments are datetimes, or text that
    ``moment`` makes datetimes of: a history read as columns converts only the moments that
    the states keep.
    """

    items: Sequence[str]
    actions: Sequence[str]
    ats: Sequence[Any]
    ons: Sequence[Any]
    notes: Sequence[str | None]
    moment: Callable[[Any], datetime] = _as_is


def replay(moves: Moves, *, start: Mapping[str, ItemState] | None = None) -> dict[str, ItemState]:
    """Return the state each item with moves reaches, from its ``start`` state or to do.

    The one rule of what each action does:

    - a start, a skip and a reset set the status: in progress, skipped (the skip's text its
      reason), to do; a completion sets it to done, dated ``on`` or else ``at``, unless the
      item is done already, so the first completion after the last of those three wins;
    - a start sets ``started_at`` and a reset clears it; nothing else changes it;
    - the texts of completions and notes are kept, in order.

    So a state is read off an item's last start, skip or reset, its first completion after
    that, whichever of a start or a reset came last, and its notes: dicts built from the
    columns mostly in C, not an object moved event by event (a history read cold has
    hundreds of thousands of events).
    """
    start = start or {}
    items, actions, ats, ons, notes = moves.items, moves.actions, moves.ats, moves.ons, moves.notes

    every = range(len(items))

    def where(passes: Mapping[str, bool], among: list[int] | None = None) -> list[int]:
        """Return the ranks (among ``among``, or of every move) whose action passes."""
        if among is None:
            return list(compress(every, map(passes.__getitem__, actions)))
        return list(compress(among, map(passes.__getitem__, map(actions.__getitem__, among))))

    def last(ranks: list[int]) -> dict[str, int]:
        """Return, by item, the last of ``ranks`` that moves it."""
        return dict(zip(map(items.__getitem__, ranks), ranks, strict=True))

    changes = where(SETS_STATUS)
    changed = last(changes)
    restarted = last(where(RESTARTS, among=changes))
    # An item that starts done takes no completion until something changes its status.
    since = {item: len(items) for item, state in start.items() if state.status == "done"}
    since.update(changed)
    # Read backwards, so the earliest completion after the last change is the one kept.
    completed = {items[r]: r for r in reversed(where(COMPLETES)) if r > since.get(items[r], -1)}
    kept_notes = {item: list(state.notes) for item, state in start.items()}
    noting = where(KEEPS_NOTE)
    for r in compress(noting, map(notes.__getitem__, noting)):  # those with a text
        kept_notes.setdefault(items[r], []).append(notes[r])  # type: ignore[arg-type]

    states: dict[str, ItemState] = {}
    for item in dict.fromkeys(items):  # in the order of each item's first move
        before = start.get(item, TODO)
        change, completion, restart = changed.get(item), completed.get(item), restarted.get(item)
        status, done_at, skip_reason = before.status, before.done_at, before.skip_reason
        if completion is not None:
            status, done_at = "done", moves.moment(ons[completion] or ats[completion])
            skip_reason = None
        elif change is not None:
            status, done_at = AFTER[actions[change]], None
            skip_reason = notes[change] if status == "skipped" else None
        started_at = before.started_at
        if restart is not None:
            started_at = moves.moment(ats[restart]) if actions[restart] == "start" else None
        states[item] = ItemState(
            status=status,
            done_at=done_at,
            started_at=started_at,
            skip_reason=skip_reason,
            notes=tuple(kept_notes.get(item, ())),
        )
    return states
