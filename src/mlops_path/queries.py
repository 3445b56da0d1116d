"""Answer the reading commands from one catalogue and one store; returns results, never prints."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from .catalogue import Catalogue, Item, Section, check_kind
from .errors import InvalidValueError
from .progress import (
    SETTLED,
    STATUSES,
    TODO,
    ItemState,
    blockers,
    chronological,
    latest_undoable,
    next_items,
    status_of,
    undone_ids,
)
from .results import (
    ItemView,
    ListResult,
    LogEntry,
    LogResult,
    NextResult,
    SearchHit,
    SearchResult,
    SectionGroup,
    SectionsResult,
    ShowResult,
    StatsResult,
    Suggestion,
    Tally,
    UndoListResult,
    Waiting,
)

if TYPE_CHECKING:
    from .events import Event
    from .states_cache import StatesCache
    from .store import ProgressStore

__all__ = ["Queries"]

States = dict[str, ItemState]


@dataclass(frozen=True, kw_only=True)
class Queries:
    """Answer questions about one catalogue using one progress store."""

    catalogue: Catalogue
    store: ProgressStore
    states_cache: StatesCache
    clock: Callable[[], datetime]

    def states(self) -> States:
        """Return the learner's state of every item that has events."""
        return self.states_cache.states(self.store.snapshot())

    def events(self) -> tuple[Event, ...]:
        """Return the whole stored history, every catalogue's, in file order."""
        return self.store.load().events

    def suggest_next(
        self,
        *,
        section: str | None = None,
        kind: str | None = None,
        limit: int = 1,
        budget: int | None = None,
    ) -> NextResult:
        """Return the items in progress, then the first open items whose prerequisites are done.

        With ``budget`` (minutes), only items that fit in it, taken in order, are suggested.
        """
        if limit < 1:
            raise InvalidValueError(f"-n must be at least 1, not {limit}")
        if budget is not None and budget < 1:
            raise InvalidValueError(f"--time must be at least 1 minute, not {budget}")
        section_id = self.catalogue.section(section).id if section else None
        kind = check_kind(kind) if kind else None
        states = self.states()
        chosen = next_items(
            self.catalogue, states, section=section_id, kind=kind, limit=limit, budget=budget
        )
        matching = [
            item
            for item in self.catalogue.items
            if status_of(item.id, states) in ("todo", "in-progress")
            and (section_id is None or item.section == section_id)
            and (kind is None or item.kind == kind)
        ]
        last = max((self.catalogue.position(item.id) for item in chosen), default=0)
        waiting = tuple(
            Waiting(view=self.view(item, states), needs=tuple(blockers(item, states)))
            for item in matching
            if self.catalogue.position(item.id) < last
            and status_of(item.id, states) == "todo"
            and blockers(item, states)
        )
        return NextResult(
            suggestions=tuple(
                Suggestion(
                    view=self.view(item, states),
                    path_length=len(self.catalogue.items),
                    budget=budget,
                    settled_prerequisites=tuple(
                        req for req in item.requires if status_of(req, states) in SETTLED
                    ),
                )
                for item in chosen
            ),
            waiting=waiting,
            remaining=len(matching),
            filtered=section_id is not None or kind is not None,
            budget=budget,
        )

    def list_items(
        self, *, section: str | None = None, kind: str | None = None, status: str | None = None
    ) -> ListResult:
        """Return the catalogue's items that pass the filters, grouped by section.

        Each group also counts its whole section, so a filtered list still says "4/10 done".
        """
        from .choices import STATUS_ALIASES, pick
        from .listing import CountedGroup

        section_id = self.catalogue.section(section).id if section else None
        kind = check_kind(kind) if kind else None
        if status is not None:
            status = pick(status, names=STATUSES, what="status", aliases=STATUS_ALIASES)
        states = self.states()
        groups: list[SectionGroup] = []
        for sec in self.catalogue.sections:
            if section_id is not None and sec.id != section_id:
                continue
            views = tuple(
                view
                for view in (self.view(item, states) for item in self.catalogue.items_in(sec.id))
                if (kind is None or view.item.kind == kind)
                and (status is None or view.status == status)
            )
            everything = self.catalogue.items_in(sec.id)
            statuses = [status_of(item.id, states) for item in everything]
            groups.append(
                CountedGroup(
                    section=sec,
                    items=views,
                    section_done=statuses.count("done"),
                    section_total=len(statuses),
                )
            )
        return ListResult(groups=tuple(groups))

    def show(self, query: str) -> ShowResult:
        """Return everything known about one item and its history, oldest first."""
        item = self.catalogue.resolve_item(query)
        events = self.events()
        undone = undone_ids(events)
        mine = [
            event
            for event in events
            if event.catalogue == self.catalogue.id
            and self.catalogue.canonical_id(event.item) == item.id
        ]
        history = tuple(
            self.entry(event, undone=event.id in undone) for event in chronological(mine)
        )
        return ShowResult(view=self.view(item, self.states()), history=history)

    def log(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> LogResult:
        """Return this catalogue's history in a time range, newest first, up to ``limit``."""
        if limit is not None and limit < 1:
            raise InvalidValueError(f"-n must be at least 1, not {limit}")
        events = self.events()
        undone = undone_ids(events)
        matching = [
            event
            for event in events
            if event.catalogue == self.catalogue.id
            and (since is None or event.at >= since)
            and (until is None or event.at < until)
        ]
        newest = list(reversed(chronological(matching)))[:limit]
        return LogResult(
            entries=tuple(self.entry(event, undone=event.id in undone) for event in newest),
            total=len(matching),
            since=since,
            until=until,
        )

    def undoable(self, *, limit: int = 10) -> UndoListResult:
        """Return the changes ``undo`` would revert, newest first."""
        events = latest_undoable(self.events(), catalogue_id=self.catalogue.id)
        return UndoListResult(
            entries=tuple(self.entry(event, undone=False) for event in events[:limit])
        )

    def stats(self) -> StatsResult:
        """Return items and effort done and left, overall and per section."""
        from .activity import Completion, measure
        from .config import load_settings
        from .localtime import local, local_day

        states = self.states()
        overall = _tally(self.catalogue.items, states)
        completions = [
            Completion(day=local_day(state.done_at), effort=self.catalogue.item(item_id).effort)
            for item_id, state in states.items()
            if state.status == "done" and state.done_at and item_id in self.catalogue.item_ids
        ]
        activity = measure(
            completions,
            effort_left=overall.effort_left,
            now=local(self.clock()),
            first_weekday=load_settings().week_start,
        )
        return StatsResult(
            catalogue=self.catalogue.id,
            title=self.catalogue.header.title,
            overall=overall,
            sections=self._section_tallies(states),
            activity=activity,
        )

    def sections(self) -> SectionsResult:
        """Return each section with its counts."""
        return SectionsResult(sections=self._section_tallies(self.states()))

    def search(self, text: str, *, limit: int = 20) -> SearchResult:
        """Return the items that match every word of ``text``, best first."""
        from .search import score, searchable_fields

        if not text.strip():
            raise InvalidValueError("the search text is empty")
        states = self.states()
        hits = []
        for item in self.catalogue.items:
            found = score(
                text,
                searchable_fields(
                    item_id=item.id,
                    title=item.title,
                    authors=item.authors,
                    summary=item.summary,
                    section=self.catalogue.section(item.section).label,
                    notes=states.get(item.id, TODO).notes,
                    publisher=item.publisher,
                    note=item.note,
                    links=[" ".join([link.title, *link.authors]) for link in item.links],
                    kind=item.kind,
                ),
            )
            if found:
                hits.append(SearchHit(view=self.view(item, states), match=found))
        hits.sort(key=lambda hit: (-hit.match.score, hit.view.position))
        return SearchResult(hits=tuple(hits[:limit]))

    def address(self, query: str) -> tuple[Item, str]:
        """Return an item and its address, or say that the item has none."""
        item = self.catalogue.resolve_item(query)
        if not item.url:
            raise InvalidValueError(f"item {item.id!r} has no address in the catalogue")
        return item, item.url

    def view(self, item: Item, states: States) -> ItemView:
        """Return one item with its section, place and state."""
        return ItemView(
            item=item,
            section=self.catalogue.section(item.section),
            position=self.catalogue.position(item.id),
            state=states.get(item.id, TODO),
        )

    def entry(self, event: Event, *, undone: bool) -> LogEntry:
        """Return an event as a log entry, titled when the catalogue knows the item."""
        item_id = self.catalogue.canonical_id(event.item)
        known = item_id in self.catalogue.item_ids
        title = self.catalogue.item(item_id).title if known else None
        return LogEntry(event=event, title=title, undone=undone)

    def _section_tallies(self, states: States) -> tuple[tuple[Section, Tally], ...]:
        """Return each section with the tally of its items."""
        return tuple(
            (sec, _tally(tuple(self.catalogue.items_in(sec.id)), states))
            for sec in self.catalogue.sections
        )


def _tally(items: Sequence[Item], states: States) -> Tally:
    """Count items and effort by status."""
    by_status: dict[str, list[Item]] = {status: [] for status in STATUSES}
    for item in items:
        by_status[status_of(item.id, states)].append(item)
    return Tally(
        done=len(by_status["done"]),
        total=len(items),
        in_progress=len(by_status["in-progress"]),
        skipped=len(by_status["skipped"]),
        effort_done=sum(item.effort for item in by_status["done"]),
        effort_total=sum(item.effort for item in items),
        effort_skipped=sum(item.effort for item in by_status["skipped"]),
    )
