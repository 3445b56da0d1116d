"""Answer the reading commands from one catalogue and one store; returns results, never prints."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from .catalogue import Catalogue, Item, Section, check_kind
from .errors import InvalidValueError
from .progress import (
    STATUSES,
    TODO,
    ItemState,
    Standing,
    chronological,
    latest_undoable,
    next_items,
    stand,
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
from .structure import Structure

if TYPE_CHECKING:
    from .events import Event
    from .history import History
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
    #: The learner's zone: the days that streaks and weeks count.
    zone: tzinfo
    #: The day weeks begin on: "monday" or "sunday" (the week-start setting).
    first_weekday: str
    #: The command to paste for this catalogue, in hints: "mlops-path --catalogue x.toml".
    command: str = "mlops-path"

    def states(self) -> States:
        """Return the learner's state of every item that has events."""
        return self.states_cache.states(self.store.snapshot())

    def standing(self, states: States | None = None) -> Standing:
        """Return where every item stands: parents, alternatives and section order applied."""
        return stand(self.catalogue, self.states() if states is None else states)

    def events(self) -> tuple[Event, ...]:
        """Return every recorded event, every catalogue's and every device's, once each."""
        return self.store.load()

    def history(self) -> History:
        """Return every event with the device that recorded it."""
        return self.store.snapshot().history

    def suggest_next(
        self,
        *,
        section: str | None = None,
        kind: str | None = None,
        limit: int = 1,
        budget: int | None = None,
        include_optional: bool = False,
    ) -> NextResult:
        """Return the items in progress, then the first open items whose prerequisites are done.

        With ``budget`` (minutes), only items that fit in it, taken in order, are suggested;
        optional items only with ``include_optional``. ``waiting`` lists every owed item that
        waits on prerequisites, so a long wait is counted, not hidden.
        """
        if limit < 1:
            raise InvalidValueError(f"-n must be at least 1, not {limit}")
        if budget is not None and budget < 1:
            raise InvalidValueError(f"--time must be at least 1 minute, not {budget}")
        section_id = self.catalogue.section(section).id if section else None
        kind = check_kind(kind, known=self.catalogue.kinds) if kind else None
        standing = self.standing()
        chosen = next_items(
            self.catalogue,
            standing,
            section=section_id,
            kind=kind,
            limit=limit,
            budget=budget,
            include_optional=include_optional,
        )
        structure = self.catalogue.structure
        # Sets of ids, not item models: of 20,000 items, only those shown become models.
        matching = standing.owed - standing.settled_ids
        if section_id is not None or kind is not None:
            kept = structure.filtered(section=section_id, kind=kind)
            matching &= {structure.ids[index] for index in kept}
        # waits_on is in catalogue order: of 20,000 items, a tenth may wait on something.
        waiting = tuple(
            Waiting(item_id=item_id, needs=needs)
            for item_id, needs in standing.waits_on.items()
            if item_id in matching and standing.status(item_id) == "todo"
        )
        return NextResult(
            suggestions=tuple(
                Suggestion(
                    view=self.view(item, standing),
                    path_length=len(self.catalogue),
                    budget=budget,
                    settled_prerequisites=tuple(
                        req for req in item.requires if standing.settled(req)
                    ),
                )
                for item in chosen
            ),
            waiting=waiting,
            remaining=len(matching),
            filtered=section_id is not None or kind is not None,
            budget=budget,
            command=self.command,
        )

    def list_items(
        self, *, section: str | None = None, kind: str | None = None, status: str | None = None
    ) -> ListResult:
        """Return the catalogue's items that pass the filters, grouped by section.

        Each group also counts its whole section, so a filtered list still says "4/10 done".
        """
        from .choices import STATUS_ALIASES, pick

        section_id = self.catalogue.section(section).id if section else None
        kind = check_kind(kind, known=self.catalogue.kinds) if kind else None
        if status is not None:
            status = pick(status, names=STATUSES, what="status", aliases=STATUS_ALIASES)
        standing = self.standing()
        groups: list[SectionGroup] = []
        for sec in self.catalogue.sections:
            if section_id is not None and sec.id != section_id:
                continue
            views = tuple(
                view
                for view in (self.view(item, standing) for item in self.catalogue.items_in(sec.id))
                if (kind is None or view.item.kind == kind)
                and (status is None or view.status == status)
            )
            owed = [i for i in self.catalogue.items_in(sec.id) if i.id in standing.owed]
            groups.append(
                SectionGroup(
                    section=sec,
                    items=views,
                    section_done=sum(1 for i in owed if standing.status(i.id) == "done"),
                    section_total=len(owed),
                )
            )
        return ListResult(groups=tuple(groups))

    def show(self, query: str) -> ShowResult:
        """Return everything known about one item and its history, oldest first."""
        item = self.catalogue.resolve_item(query)
        snapshot = self.store.snapshot()  # read once for both the history and the state
        entries, _ = self._entries(
            lambda event: self.catalogue.canonical_id(event.item) == item.id,
            newest_first=False,
            history=snapshot.history,
        )
        standing = self.standing(self.states_cache.states(snapshot))
        return ShowResult(view=self.view(item, standing), history=entries)

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
        entries, total = self._entries(
            lambda event: (
                (since is None or event.at >= since) and (until is None or event.at < until)
            ),
            newest_first=True,
            limit=limit,
        )
        return LogResult(
            entries=entries,
            total=total,
            since=since,
            until=until,
        )

    def undoable(self, *, limit: int = 10) -> UndoListResult:
        """Return the changes ``undo`` would revert on this device, latest recorded first."""
        history = self.history()
        mine = history.recorded_by(self.store.device())
        events = latest_undoable(mine, catalogue_id=self.catalogue.id)
        return UndoListResult(
            entries=tuple(
                self.entry(event, undone=set(), history=history) for event in events[:limit]
            )
        )

    def stats(self) -> StatsResult:
        """Return items and effort done and left, overall and per section, over what is owed."""
        from .activity import Completion, measure
        from .localtime import local, local_day

        standing = self.standing()
        structure = self.catalogue.structure
        overall = _tally(range(len(self.catalogue)), structure=structure, standing=standing)
        completions = [
            Completion(
                day=local_day(state.done_at, zone=self.zone),
                effort=structure.efforts[structure.positions[item_id]] or 0,
            )
            for item_id, state in standing.states.items()
            if state.status == "done" and state.done_at and item_id in self.catalogue.item_ids
        ]
        activity = measure(
            completions,
            effort_left=overall.effort_left,
            now=local(self.clock(), zone=self.zone),
            first_weekday=self.first_weekday,
        )
        return StatsResult(
            catalogue=self.catalogue.id,
            title=self.catalogue.header.title,
            overall=overall,
            sections=self._section_tallies(standing),
            activity=activity,
        )

    def sections(self) -> SectionsResult:
        """Return each section with its counts."""
        return SectionsResult(sections=self._section_tallies(self.standing()))

    def search(self, text: str, *, limit: int = 20) -> SearchResult:
        """Return the items that match every word of ``text``, best first."""
        from .search import score, searchable_fields

        if not text.strip():
            raise InvalidValueError("the search text is empty")
        standing = self.standing()
        states = standing.states
        hits = []
        for item in self.catalogue.items:
            section = self.catalogue.section(item.section)
            section_links = [link.title for link in section.links]
            found = score(
                text,
                searchable_fields(
                    item_id=item.id,
                    title=item.title,
                    authors=item.authors,
                    summary=item.summary or "",
                    section=" ".join(
                        filter(None, [section.label, section.summary, *section_links])
                    ),
                    notes=states.get(item.id, TODO).notes,
                    publisher=item.publisher,
                    note=item.note,
                    links=[" ".join([link.title, *link.authors]) for link in item.links],
                    kind=item.kind,
                ),
            )
            if found:
                hits.append(SearchHit(view=self.view(item, standing), match=found))
        hits.sort(key=lambda hit: (-hit.match.score, hit.view.position))
        return SearchResult(hits=tuple(hits[:limit]))

    def addresses(self, query: str, *, every: bool = False) -> tuple[Item, tuple[str, ...]]:
        """Return an item and its address (``every``: its links' too), or say why there is none."""
        item = self.catalogue.resolve_item(query)
        if item.planned:
            raise InvalidValueError(f"item {item.id!r} is planned: it is not out yet")
        urls = ((item.url,) if item.url else ()) + (
            tuple(link.url for link in item.links) if every else ()
        )
        if not urls:
            raise InvalidValueError(f"item {item.id!r} has no address in the catalogue")
        return item, urls

    def view(self, item: Item, standing: Standing) -> ItemView:
        """Return one item with its section, place and standing."""
        return ItemView(
            item=item,
            section=self.catalogue.section(item.section),
            position=self.catalogue.position(item.id),
            state=standing.states.get(item.id, TODO),
            owed=item.id in standing.owed,
            covered=item.id in standing.covered,
        )

    def _entries(
        self,
        keep: Callable[[Event], bool],
        *,
        newest_first: bool,
        limit: int | None = None,
        history: History | None = None,
    ) -> tuple[tuple[LogEntry, ...], int]:
        """Return this catalogue's events that ``keep`` accepts as entries, and how many match."""
        history = history or self.history()
        undone = undone_ids(history.events)
        matching = chronological(
            event
            for event in history.events
            if event.catalogue == self.catalogue.id and keep(event)
        )
        ordered = (matching[::-1] if newest_first else matching)[:limit]
        entries = tuple(self.entry(event, undone=undone, history=history) for event in ordered)
        return entries, len(matching)

    def entry(self, event: Event, *, undone: set[str], history: History) -> LogEntry:
        """Return an event as a log entry, titled when the catalogue knows the item."""
        item_id = self.catalogue.canonical_id(event.item)
        known = item_id in self.catalogue.item_ids
        title = self.catalogue.item(item_id).title if known else None
        return LogEntry(
            event=event,
            title=title,
            undone=event.id in undone,
            device=history.devices.get(event.id),
        )

    def _section_tallies(self, standing: Standing) -> tuple[tuple[Section, Tally], ...]:
        """Return each section with the tally of its items."""
        structure = self.catalogue.structure
        return tuple(
            (
                section,
                _tally(
                    structure.by_section.get(section.id, ()), structure=structure, standing=standing
                ),
            )
            for section in self.catalogue.sections
        )


def _tally(indexes: Iterable[int], *, structure: Structure, standing: Standing) -> Tally:
    """Count the owed items at ``indexes`` and their effort by status; unknown efforts apart."""
    ids, efforts = structure.ids, structure.efforts
    owed = [index for index in indexes if ids[index] in standing.owed]
    by_status: dict[str, list[int]] = {status: [] for status in STATUSES}
    for index in owed:
        by_status[standing.status(ids[index])].append(index)

    def effort(group: Iterable[int]) -> int:
        """Return the known minutes of a group of items."""
        return sum(efforts[index] or 0 for index in group)

    return Tally(
        done=len(by_status["done"]),
        total=len(owed),
        in_progress=len(by_status["in-progress"]),
        skipped=len(by_status["skipped"]),
        effort_done=effort(by_status["done"]),
        effort_total=effort(owed),
        effort_skipped=effort(by_status["skipped"]),
        unknown_effort=sum(
            1 for index in owed if efforts[index] is None and standing.status(ids[index]) != "done"
        ),
    )
