"""Answer each command's question from a catalogue and a store; returns data, never prints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .catalogue import Catalogue, Item, Section, check_kind
from .errors import InvalidValueError
from .progress import STATUSES, TODO, ItemState, Status, derive_states, next_items
from .store import Event, ProgressStore, StoreFile, new_event


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemView:
    """An item together with the section it sits in and the learner's state of it."""

    item: Item
    section: Section
    position: int
    state: ItemState

    @property
    def status(self) -> Status:
        """Return the item's status."""
        return self.state.status

    def to_json(self) -> dict[str, Any]:
        """Return the stable JSON shape documented in the README."""
        item = self.item
        return {
            "id": item.id,
            "position": self.position,
            "title": item.title,
            "section": item.section,
            "kind": item.kind,
            "status": self.status,
            "url": item.url,
            "effort": item.effort,
            "authors": list(item.authors),
            "year": item.year,
            "requires": list(item.requires),
            "done_at": _iso(self.state.done_at),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class NextResult:
    """The items to study now, and how many are left in all."""

    items: tuple[ItemView, ...]
    remaining: int
    filtered: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionGroup:
    """One section and the items of it that passed the filters."""

    section: Section
    items: tuple[ItemView, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ListResult:
    """The catalogue, filtered, grouped by section in catalogue order."""

    groups: tuple[SectionGroup, ...]

    @property
    def items(self) -> tuple[ItemView, ...]:
        """Return every listed item in catalogue order."""
        return tuple(view for group in self.groups for view in group.items)


@dataclass(frozen=True, slots=True, kw_only=True)
class DoneResult:
    """What ``done`` recorded now, and what had been done before."""

    recorded: tuple[ItemView, ...]
    already_done: tuple[ItemView, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Tally:
    """Counts and effort for a group of items."""

    done: int
    total: int
    effort_done: int
    effort_total: int

    @property
    def effort_left(self) -> int:
        """Return the minutes of study still ahead."""
        return self.effort_total - self.effort_done

    @property
    def fraction(self) -> float:
        """Return the share of items done, from 0 to 1."""
        return self.done / self.total if self.total else 1.0

    def to_json(self) -> dict[str, Any]:
        """Return counts and effort as plain numbers."""
        return {
            "done": self.done,
            "total": self.total,
            "percent": round(100 * self.fraction, 1),
            "effort_done": self.effort_done,
            "effort_left": self.effort_left,
            "effort_total": self.effort_total,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class StatsResult:
    """How far along the learner is, overall and per section."""

    catalogue: str
    title: str
    overall: Tally
    sections: tuple[tuple[Section, Tally], ...]

    def to_json(self) -> dict[str, Any]:
        """Return the stats object documented in the README."""
        return {
            "catalogue": self.catalogue,
            **self.overall.to_json(),
            "sections": [
                {"id": section.id, "title": section.title, "part": section.part, **tally.to_json()}
                for section, tally in self.sections
            ],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Tracker:
    """Answer questions about one catalogue using one progress store."""

    catalogue: Catalogue
    store: ProgressStore

    def suggest_next(
        self, *, section: str | None = None, kind: str | None = None, limit: int = 1
    ) -> NextResult:
        """Return the first ``limit`` open items whose prerequisites are done."""
        if limit < 1:
            raise InvalidValueError(f"-n must be at least 1, not {limit}")
        section_id = self.catalogue.section(section).id if section else None
        kind = check_kind(kind) if kind else None
        states = self._states()
        chosen = next_items(self.catalogue, states, section=section_id, kind=kind, limit=limit)
        remaining = sum(
            1
            for item in self.catalogue.items
            if states.get(item.id, TODO).status != "done"
            and (section_id is None or item.section == section_id)
            and (kind is None or item.kind == kind)
        )
        return NextResult(
            items=tuple(self._view(item, states) for item in chosen),
            remaining=remaining,
            filtered=section_id is not None or kind is not None,
        )

    def list_items(
        self, *, section: str | None = None, kind: str | None = None, status: str | None = None
    ) -> ListResult:
        """Return the catalogue's items that pass the filters, grouped by section."""
        section_id = self.catalogue.section(section).id if section else None
        kind = check_kind(kind) if kind else None
        if status is not None and status not in STATUSES:
            raise InvalidValueError(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
        states = self._states()
        groups = []
        for sec in self.catalogue.sections:
            if section_id is not None and sec.id != section_id:
                continue
            views = tuple(
                view
                for view in (self._view(item, states) for item in self.catalogue.items_in(sec.id))
                if (kind is None or view.item.kind == kind)
                and (status is None or view.status == status)
            )
            groups.append(SectionGroup(section=sec, items=views))
        return ListResult(groups=tuple(groups))

    def show(self, query: str) -> ItemView:
        """Return everything known about one item, named by id or unique prefix."""
        item = self.catalogue.resolve_item(query)
        return self._view(item, self._states())

    def mark_done(
        self, queries: Sequence[str], *, note: str | None = None, at: datetime | None = None
    ) -> DoneResult:
        """Record completions; items done before keep their first date and are reported."""
        items = _unique(self.catalogue.resolve_item(query) for query in queries)

        def decide(current: StoreFile) -> list[Event]:
            states = derive_states(current.events, catalogue_id=self.catalogue.id)
            return [
                new_event(catalogue=self.catalogue.id, item=i.id, action="done", at=at, note=note)
                for i in items
                if states.get(i.id, TODO).status != "done"
            ]

        recorded_ids = {event.item for event in self.store.append(decide)}
        states = self._states()
        return DoneResult(
            recorded=tuple(self._view(i, states) for i in items if i.id in recorded_ids),
            already_done=tuple(self._view(i, states) for i in items if i.id not in recorded_ids),
        )

    def stats(self) -> StatsResult:
        """Return items and effort done and left, overall and per section."""
        states = self._states()
        per_section = tuple(
            (sec, _tally(list(self.catalogue.items_in(sec.id)), states))
            for sec in self.catalogue.sections
        )
        return StatsResult(
            catalogue=self.catalogue.id,
            title=self.catalogue.catalogue.title,
            overall=_tally(list(self.catalogue.items), states),
            sections=per_section,
        )

    def _states(self) -> dict[str, ItemState]:
        return derive_states(self.store.load().events, catalogue_id=self.catalogue.id)

    def _view(self, item: Item, states: dict[str, ItemState]) -> ItemView:
        return ItemView(
            item=item,
            section=self.catalogue.section(item.section),
            position=self.catalogue.position(item.id),
            state=states.get(item.id, TODO),
        )


def _tally(items: Sequence[Item], states: dict[str, ItemState]) -> Tally:
    done = [item for item in items if states.get(item.id, TODO).status == "done"]
    return Tally(
        done=len(done),
        total=len(items),
        effort_done=sum(item.effort for item in done),
        effort_total=sum(item.effort for item in items),
    )


def _unique(items: Any) -> list[Item]:
    seen: dict[str, Item] = {}
    for item in items:
        seen.setdefault(item.id, item)
    return list(seen.values())


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None
