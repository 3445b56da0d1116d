"""Derive where a learner stands from the event log: pure functions, no I/O, no clock."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Literal, get_args

from .catalogue import Catalogue, Item
from .structure import Structure

if TYPE_CHECKING:
    from .events import Event

__all__ = [
    "SETTLED",
    "STATUSES",
    "TODO",
    "ItemState",
    "Standing",
    "Status",
    "chronological",
    "counts",
    "is_eligible",
    "latest_undoable",
    "next_items",
    "order_key",
    "stand",
    "status_of",
    "undone_ids",
    "undone_targets",
]

Status = Literal["todo", "in-progress", "done", "skipped"]
STATUSES: tuple[str, ...] = get_args(Status)
#: Statuses that let the items which require this one go ahead.
SETTLED = frozenset({"done", "skipped"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemState:
    """What the learner has done with one item."""

    status: Status = "todo"
    done_at: datetime | None = None
    started_at: datetime | None = None
    skip_reason: str | None = None
    notes: tuple[str, ...] = ()


TODO = ItemState()


#: The one order of the history: recording time, ties broken by event id. Every reader and
#: every cache derives states in this order, so the same set of events gives the same states
#: wherever and however it is read. (``attrgetter`` runs in C.) ``ledger.Ledger.order`` sorts
#: a history read as columns in the same order, by the moments' text.
order_key: Callable[[Event], tuple[datetime, str]] = attrgetter("at", "id")


def chronological(events: Iterable[Event]) -> list[Event]:
    """Return events in the order they were recorded, oldest first."""
    return sorted(events, key=order_key)


def undone_ids(events: Iterable[Event]) -> set[str]:
    """Return the ids of events that an undo has reverted."""
    return undone_targets((event.action, event.target) for event in events)


def undone_targets(moves: Iterable[tuple[str, str | None]]) -> set[str]:
    """Return the events that undos revert, from each event's action and target."""
    return {target for action, target in moves if action == "undo" and target}


def counts(
    catalogue: str, action: str, event_id: str, *, catalogue_id: str, undone: Set[str]
) -> bool:
    """Tell whether an event moves an item of this catalogue: its own, not an undo, not undone."""
    return catalogue == catalogue_id and action != "undo" and event_id not in undone


def latest_undoable(events: Sequence[Event], *, catalogue_id: str) -> list[Event]:
    """Return this catalogue's changes that can still be undone, latest recorded first.

    ``events`` come in recording order (the order of the file): undo follows what the learner
    did last, whatever time an imported or back-dated event carries.
    """
    undone = undone_ids(events)
    return [
        event
        for event in reversed(events)
        if counts(event.catalogue, event.action, event.id, catalogue_id=catalogue_id, undone=undone)
    ]


def status_of(item_id: str, states: Mapping[str, ItemState]) -> Status:
    """Return an item's status; items without events are to do."""
    return states.get(item_id, TODO).status


@dataclass(frozen=True, slots=True, kw_only=True)
class Standing:
    """Where every item stands once the catalogue's structure is taken into account.

    ``states`` are the learner's states with parents completed by their children; ``covered``
    items are settled because another item of their ``one_of`` group is done; ``owed`` items
    count in totals (not optional, not planned, not covered, and one per open group);
    ``waits_on`` names, for each open item, the items and sections it still waits on;
    ``settled_ids`` are the items that no longer hold anything up: done, skipped or covered.
    """

    states: Mapping[str, ItemState]
    covered: frozenset[str]
    owed: frozenset[str]
    waits_on: Mapping[str, tuple[str, ...]]
    settled_ids: frozenset[str]

    def status(self, item_id: str) -> Status:
        """Return an item's status, parents completed by their children included."""
        return self.states.get(item_id, TODO).status

    def settled(self, item_id: str) -> bool:
        """Tell whether an item no longer holds anything up: done, skipped or covered."""
        return item_id in self.settled_ids


def stand(catalogue: Catalogue, states: Mapping[str, ItemState]) -> Standing:
    """Return where every item stands: parents, alternatives and section order applied."""
    structure = catalogue.structure
    ids = structure.ids
    effective = dict(states)
    covered: set[str] = set()
    groups = [[ids[index] for index in members] for members in structure.groups.values()]
    required = {
        parent: [ids[index] for index in children if structure.is_counted(index)]
        for parent, children in structure.children.items()
    }
    # Parents and alternatives settle each other (a parent may be one alternative, its
    # children may be alternatives): repeat until nothing changes, at most once per item.
    for _ in range(len(ids) + 1):
        changed = False
        for group in groups:
            if any(status_of(member, effective) == "done" for member in group):
                fresh = {m for m in group if status_of(m, effective) != "done"} - covered
                covered |= fresh
                changed = changed or bool(fresh)
        for parent, children in required.items():
            still_open = status_of(parent, effective) in ("todo", "in-progress")
            if (
                children
                and still_open
                and all(status_of(c, effective) in SETTLED or c in covered for c in children)
            ):
                finished = [effective.get(child, TODO).done_at for child in children]
                done_at = max((moment for moment in finished if moment), default=None)
                effective[parent] = replace(
                    effective.get(parent, TODO), status="done", done_at=done_at
                )
                changed = True
        if not changed:
            break
    owed = _owed(structure, effective, covered, groups=groups)
    # Worked out once: next and stats ask it of every item of catalogues of thousands.
    settled = frozenset(item for item, state in effective.items() if state.status in SETTLED)
    standing = Standing(
        states=effective,
        covered=frozenset(covered),
        owed=owed,
        waits_on={},
        settled_ids=settled | covered,
    )
    return replace(standing, waits_on=_waits(catalogue, standing))


def _owed(
    structure: Structure,
    states: Mapping[str, ItemState],
    covered: set[str],
    *,
    groups: Iterable[Sequence[str]],
) -> frozenset[str]:
    """Return the items counted in totals: one per open group of alternatives.

    An item of a group is owed when it is done or, while none of its group is, when it is
    the group's first; other items are owed when they count at all. Covered items are not.
    """
    grouped = [member for group in groups for member in group]
    first_of_open_group = {
        group[0] for group in groups if not any(status_of(m, states) == "done" for m in group)
    }
    owed_of_groups = {
        item_id
        for item_id in grouped
        if structure.is_counted(structure.positions[item_id])
        and (status_of(item_id, states) == "done" or item_id in first_of_open_group)
    }
    return (structure.plainly_owed | owed_of_groups) - covered


def _waits(catalogue: Catalogue, standing: Standing) -> dict[str, tuple[str, ...]]:
    """Return, for each open item, the prerequisite items and sections still unsettled."""
    structure = catalogue.structure
    ids, owed, settled = structure.ids, standing.owed, standing.settled_ids
    section_requires = {
        section.id: section.requires for section in catalogue.sections if section.requires
    }
    # Most items require nothing: only those that do, or whose section does, are looked at.
    candidates = set(structure.requiring)
    for section in section_requires:
        candidates.update(structure.by_section.get(section, ()))
    required_sections = {required for needs in section_requires.values() for required in needs}
    open_sections = {
        section
        for section in required_sections
        if any(
            ids[index] in owed and ids[index] not in settled
            for index in structure.by_section.get(section, ())
        )
    }
    # What a section's items wait on is the same for each of them: worked out once.
    section_waits = {
        section: tuple(f"section {req}" for req in needs if req in open_sections)
        for section, needs in section_requires.items()
    }
    requires, sections = structure.requires, structure.sections
    waits = {}
    for index in sorted(candidates):
        item_id = ids[index]
        if item_id in settled:
            continue
        wanted = requires[index]
        pending = tuple(req for req in wanted if req not in settled) if wanted else ()
        pending += section_waits.get(sections[index], ())
        if pending:
            waits[item_id] = pending
    return waits


def is_eligible(
    catalogue: Catalogue, item_id: str, standing: Standing, *, include_optional: bool = False
) -> bool:
    """Tell whether ``next`` may suggest an item now.

    It must be open (to do or in progress), published (not planned), not covered by a done
    alternative, optional only when asked for, not a topic still waiting on its own required
    sub-topics, and every prerequisite (item or section) settled; a skipped prerequisite
    counts as settled: the learner chose to go on without it.
    """
    structure = catalogue.structure
    index = structure.positions[item_id]
    if standing.status(item_id) not in ("todo", "in-progress") or structure.planned[index]:
        return False
    if item_id in standing.covered or (structure.optional[index] and not include_optional):
        return False
    return item_id not in standing.waits_on and not _open_topic(structure, index, standing=standing)


def next_items(
    catalogue: Catalogue,
    standing: Standing,
    *,
    section: str | None = None,
    kind: str | None = None,
    limit: int = 1,
    budget: int | None = None,
    include_optional: bool = False,
) -> list[Item]:
    """Return up to ``limit`` items to study: those in progress first, then the earliest eligible.

    Both groups keep catalogue order and pass the section and kind filters. An item the
    learner started is shown even if a prerequisite is still open: they chose to begin it.
    With a ``budget`` in minutes, items are taken in that order while their efforts still fit
    (an item of unknown effort never fits a budget).
    """
    structure = catalogue.structure
    ids = structure.ids
    matching = structure.filtered(section=section, kind=kind)
    # The few items in progress, looked up by id: there may be thousands of items to pass.
    in_progress = {
        structure.positions[item_id]
        for item_id, state in standing.states.items()
        if state.status == "in-progress" and item_id in structure.positions
    }
    started = [i for i in sorted(in_progress) if i in matching and not structure.planned[i]]
    # Lazily: the first few eligible items are all that is asked for, of maybe thousands.
    waiting = (
        index
        for index in matching
        if standing.status(ids[index]) == "todo"
        and is_eligible(catalogue, ids[index], standing, include_optional=include_optional)
    )
    chosen: list[Item] = []
    left = budget
    for index in chain(started, waiting):
        if len(chosen) >= limit:
            break
        if left is not None:
            effort = structure.efforts[index]
            if effort is None or effort > left:
                continue
            left -= effort
        chosen.append(catalogue.item_at(index))
    return chosen


def _open_topic(structure: Structure, index: int, *, standing: Standing) -> bool:
    """Tell whether an item is a topic whose required sub-topics are still to be studied."""
    children = structure.children.get(structure.ids[index], ())
    return any(
        structure.is_counted(child) and not standing.settled(structure.ids[child])
        for child in children
    )
