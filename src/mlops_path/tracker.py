"""Answer each command's question from a catalogue and a store; returns data, never prints."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .cache import ReadCache
from .catalogue import Catalogue, Item, Section, check_kind, effort_label
from .errors import InvalidValueError
from .progress import (
    STATUSES,
    TODO,
    ItemState,
    Status,
    apply,
    blockers,
    derive_states,
    iso,
    latest_key,
    latest_undoable,
    next_items,
    states_from_data,
    states_to_data,
    status_of,
    undone_ids,
    utc_now,
)
from .store import Appended, ProgressStore, Snapshot

if TYPE_CHECKING:
    from .activity import Activity
    from .events import Action, Event
    from .history import LogEntry, UndoResult
    from .search import SearchHit


@dataclass(frozen=True, kw_only=True)
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
            "done_at": iso(self.state.done_at),
            "started_at": iso(self.state.started_at),
            "skip_reason": self.state.skip_reason,
        }


@dataclass(frozen=True, kw_only=True)
class Suggestion:
    """An item to study now, and why it was chosen."""

    view: ItemView
    reason: str

    def to_json(self) -> dict[str, Any]:
        """Return the item object with the reason added."""
        return {**self.view.to_json(), "reason": self.reason}


@dataclass(frozen=True, kw_only=True)
class Waiting:
    """An open item passed over because prerequisites are still open."""

    view: ItemView
    needs: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class NextResult:
    """The items to study now, what they had to wait for, and how many are left in all."""

    suggestions: tuple[Suggestion, ...]
    waiting: tuple[Waiting, ...]
    remaining: int
    filtered: bool
    budget: int | None

    @property
    def items(self) -> tuple[ItemView, ...]:
        """Return the suggested items."""
        return tuple(suggestion.view for suggestion in self.suggestions)


@dataclass(frozen=True, kw_only=True)
class SectionGroup:
    """One section and the items of it that passed the filters."""

    section: Section
    items: tuple[ItemView, ...]


@dataclass(frozen=True, kw_only=True)
class ListResult:
    """The catalogue, filtered, grouped by section in catalogue order."""

    groups: tuple[SectionGroup, ...]

    @property
    def items(self) -> tuple[ItemView, ...]:
        """Return every listed item in catalogue order."""
        return tuple(view for group in self.groups for view in group.items)


@dataclass(frozen=True, kw_only=True)
class Unchanged:
    """An item a command left as it was, and why."""

    view: ItemView
    reason: str


@dataclass(frozen=True, kw_only=True)
class ChangeResult:
    """What a state-changing command recorded, and what it left alone."""

    action: Action
    changed: tuple[ItemView, ...]
    unchanged: tuple[Unchanged, ...]

    def to_json(self) -> dict[str, Any]:
        """Return the items changed and those left alone, with the reason."""
        return {
            "action": self.action,
            "changed": [view.to_json() for view in self.changed],
            "unchanged": [
                {**entry.view.to_json(), "reason": entry.reason} for entry in self.unchanged
            ],
        }


@dataclass(frozen=True, kw_only=True)
class Tally:
    """Counts and effort for a group of items."""

    done: int
    total: int
    in_progress: int
    skipped: int
    effort_done: int
    effort_total: int
    effort_skipped: int

    @property
    def effort_left(self) -> int:
        """Return the minutes of study still ahead, not counting skipped items."""
        return self.effort_total - self.effort_done - self.effort_skipped

    @property
    def fraction(self) -> float:
        """Return the share of items done, from 0 to 1."""
        return self.done / self.total if self.total else 1.0

    def to_json(self) -> dict[str, Any]:
        """Return counts and effort as plain numbers."""
        return {
            "done": self.done,
            "total": self.total,
            "in_progress": self.in_progress,
            "skipped": self.skipped,
            "todo": self.total - self.done - self.in_progress - self.skipped,
            "percent": round(100 * self.fraction, 1),
            "effort_done": self.effort_done,
            "effort_left": self.effort_left,
            "effort_skipped": self.effort_skipped,
            "effort_total": self.effort_total,
        }


@dataclass(frozen=True, kw_only=True)
class StatsResult:
    """How far along the learner is, overall and per section."""

    catalogue: str
    title: str
    overall: Tally
    sections: tuple[tuple[Section, Tally], ...]
    activity: Activity

    def to_json(self) -> dict[str, Any]:
        """Return the stats object documented in the README."""
        return {
            "catalogue": self.catalogue,
            **self.overall.to_json(),
            "activity": self.activity.to_json(),
            "sections": [
                {"id": section.id, "title": section.title, "part": section.part, **tally.to_json()}
                for section, tally in self.sections
            ],
        }


Decision = Callable[[Item, ItemState], str | None]
#: Read-cache entry holding derived states, keyed by the store file's digest.
STATES_CACHE = "states"
#: Key, inside that entry, of the (time, id) of the store's last event.
LATEST = "_latest"


@dataclass(frozen=True, kw_only=True)
class Tracker:
    """Answer questions about one catalogue using one progress store."""

    catalogue: Catalogue
    store: ProgressStore
    clock: Callable[[], datetime] = utc_now
    cache: ReadCache = field(default_factory=lambda: ReadCache(None))

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
            Waiting(view=self._view(item, states), needs=tuple(blockers(item, states)))
            for item in matching
            if self.catalogue.position(item.id) < last
            and status_of(item.id, states) == "todo"
            and blockers(item, states)
        )
        return NextResult(
            suggestions=tuple(
                Suggestion(view=self._view(item, states), reason=self._reason(item, states, budget))
                for item in chosen
            ),
            waiting=waiting,
            remaining=len(matching),
            filtered=section_id is not None or kind is not None,
            budget=budget,
        )

    def _reason(self, item: Item, states: dict[str, ItemState], budget: int | None) -> str:
        """Say why ``next`` chose an item."""
        state = states.get(item.id, TODO)
        if state.status == "in-progress":
            return f"you started it on {_day(state.started_at)}"
        place = (
            f"next in the path (#{self.catalogue.position(item.id)} of {len(self.catalogue.items)})"
        )
        fits = f", fits in {effort_label(budget)}" if budget else ""
        done_first = [req for req in item.requires if status_of(req, states) in ("done", "skipped")]
        after = f"; {', '.join(done_first)}, which it needs, is settled" if done_first else ""
        return f"{place}{fits}{after}"

    def list_items(
        self, *, section: str | None = None, kind: str | None = None, status: str | None = None
    ) -> ListResult:
        """Return the catalogue's items that pass the filters, grouped by section."""
        section_id = self.catalogue.section(section).id if section else None
        kind = check_kind(kind) if kind else None
        if status is not None and status not in STATUSES:
            raise InvalidValueError(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
        states = self.states()
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

    def show(self, query: str) -> tuple[ItemView, list[LogEntry]]:
        """Return everything known about one item and its history, oldest first."""
        item = self.catalogue.resolve_item(query)
        history = [
            entry
            for entry in reversed(self.log())
            if self.catalogue.aliases.get(entry.event.item, entry.event.item) == item.id
        ]
        return self._view(item, self.states()), history

    def mark_done(
        self, queries: Sequence[str], *, note: str | None = None, on: datetime | None = None
    ) -> ChangeResult:
        """Record completions; items done before keep their first date and are reported."""
        if on is not None and on > self.clock():
            raise InvalidValueError(f"--on {on.date().isoformat()} is in the future")

        def refuse(_item: Item, state: ItemState) -> str | None:
            if state.status == "done":
                return f"already done on {_day(state.done_at)}; keeping that date"
            return None

        return self._change("done", queries, refuse, note=note, on=on)

    def start(self, queries: Sequence[str]) -> ChangeResult:
        """Mark items as being studied now; ``next`` then shows them first."""

        def refuse(item: Item, state: ItemState) -> str | None:
            if state.status == "done":
                return f"already done on {_day(state.done_at)}; 'reset {item.id}' to study it again"
            if state.status == "in-progress":
                return f"already in progress since {_day(state.started_at)}"
            return None

        return self._change("start", queries, refuse)

    def skip(self, queries: Sequence[str], *, reason: str | None = None) -> ChangeResult:
        """Leave items out of ``next`` without counting them as done."""

        def refuse(item: Item, state: ItemState) -> str | None:
            if state.status == "done":
                return f"already done on {_day(state.done_at)}; 'reset {item.id}' first"
            if state.status == "skipped":
                return "already skipped"
            return None

        return self._change("skip", queries, refuse, note=reason)

    def reset(self, queries: Sequence[str]) -> ChangeResult:
        """Put items back to to-do; their history stays in the log."""

        def refuse(_item: Item, state: ItemState) -> str | None:
            return "already to do" if state.status == "todo" else None

        return self._change("reset", queries, refuse)

    def add_note(self, query: str, text: str) -> ChangeResult:
        """Keep a note with an item."""
        if not text.strip():
            raise InvalidValueError("the note is empty")
        return self._change("note", [query], lambda _item, _state: None, note=text)

    def undo(self) -> UndoResult:
        """Revert the latest change that is not undone yet, by recording an undo event."""
        from .events import new_event
        from .history import UndoResult

        reverted: list[Event] = []

        def decide(current: Snapshot) -> list[Event]:
            undoable = latest_undoable(current.file.events, catalogue_id=self.catalogue.id)
            if not undoable:
                return []
            target = undoable[0]
            reverted.append(target)
            return [
                new_event(
                    catalogue=target.catalogue, item=target.item, action="undo", target=target.id
                )
            ]

        self.store.append(decide)
        if not reverted:
            return UndoResult(reverted=None)
        return UndoResult(reverted=self._entry(reverted[0], undone=True))

    def undoable(self, *, limit: int = 10) -> list[LogEntry]:
        """Return the changes ``undo`` would revert, newest first."""
        events = latest_undoable(self.store.load().events, catalogue_id=self.catalogue.id)
        return [self._entry(event, undone=False) for event in events[:limit]]

    def log(self, *, since: datetime | None = None) -> list[LogEntry]:
        """Return this catalogue's history, newest first, optionally from a moment on."""
        events = self.store.load().events
        undone = undone_ids(events)
        ordered = sorted(events, key=lambda e: (e.at, e.id), reverse=True)
        return [
            self._entry(event, undone=event.id in undone)
            for event in ordered
            if event.catalogue == self.catalogue.id and (since is None or event.at >= since)
        ]

    def stats(self) -> StatsResult:
        """Return items and effort done and left, overall and per section."""
        states = self.states()
        per_section = tuple(
            (sec, _tally(list(self.catalogue.items_in(sec.id)), states))
            for sec in self.catalogue.sections
        )
        from .activity import Completion, measure

        overall = _tally(list(self.catalogue.items), states)
        completions = [
            Completion(day=state.done_at.date(), effort=self.catalogue.item(item_id).effort)
            for item_id, state in states.items()
            if state.status == "done" and state.done_at and item_id in self.catalogue.item_ids
        ]
        return StatsResult(
            catalogue=self.catalogue.id,
            title=self.catalogue.catalogue.title,
            overall=overall,
            sections=per_section,
            activity=measure(completions, effort_left=overall.effort_left, now=self.clock()),
        )

    def search(self, text: str, *, limit: int = 20) -> list[SearchHit]:
        """Return the items that match every word of ``text``, best first."""
        from .search import SearchHit, score, searchable_fields

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
                ),
            )
            if found:
                hits.append(SearchHit(view=self._view(item, states), match=found))
        hits.sort(key=lambda hit: (-hit.match.score, hit.view.position))
        return hits[:limit]

    def address(self, query: str) -> tuple[Item, str]:
        """Return an item and its address, or say that the item has none."""
        item = self.catalogue.resolve_item(query)
        if not item.url:
            raise InvalidValueError(f"item {item.id!r} has no address in the catalogue")
        return item, item.url

    def states(self) -> dict[str, ItemState]:
        """Return the learner's state of every item that has events."""
        return self._states_of(self.store.snapshot())

    def _states_of(self, snapshot: Snapshot) -> dict[str, ItemState]:
        """Return the states for the file in ``snapshot``, from the read cache when it has them."""
        return self._states_and_latest(snapshot)[0]

    def _states_and_latest(
        self, snapshot: Snapshot
    ) -> tuple[dict[str, ItemState], tuple[str, str] | None]:
        """Return the states for ``snapshot`` and the (time, id) of its last event.

        The cache entry is keyed by the file's digest, so any change to the file, by this
        program or by hand, makes it miss; then the history is parsed and the entry rebuilt.
        """
        entry = self.cache.get(STATES_CACHE, snapshot.digest)
        key = self._cache_key
        if isinstance(entry, dict) and key in entry:
            return states_from_data(entry[key]), entry[LATEST]
        events = snapshot.file.events
        states = derive_states(
            events, catalogue_id=self.catalogue.id, aliases=self.catalogue.aliases
        )
        if not isinstance(entry, dict):
            entry = {LATEST: latest_key(events)}
        entry[key] = states_to_data(states)
        self.cache.put(STATES_CACHE, snapshot.digest, entry)
        return states, entry[LATEST]

    def _advance(
        self,
        appended: Appended,
        states: dict[str, ItemState],
        latest: tuple[str, str] | None,
    ) -> dict[str, ItemState]:
        """Return the states after a write, applying only the new events to those before it.

        That is right only when every new event comes after the whole history, the order
        ``derive_states`` follows; otherwise (an undo, a skewed clock) the file is read again.
        The result is cached under the new file's digest, so the next command starts warm.
        """
        new = sorted(appended.events, key=lambda e: (e.at, e.id))
        if (
            appended.after_digest is None
            or any(e.action == "undo" for e in new)
            or (latest is not None and (new[0].at.isoformat(), new[0].id) <= tuple(latest))
        ):
            return self.states()
        after = dict(states)
        for event in new:
            if event.catalogue == self.catalogue.id:
                item_id = self.catalogue.aliases.get(event.item, event.item)
                after[item_id] = apply(after.get(item_id, TODO), event)
        self.cache.put(
            STATES_CACHE,
            appended.after_digest,
            {
                LATEST: (new[-1].at.isoformat(), new[-1].id),
                self._cache_key: states_to_data(after),
            },
        )
        return after

    @property
    def _cache_key(self) -> str:
        """Return the key of this catalogue (and its aliases) in the states cache."""
        aliases = ",".join(f"{old}={new}" for old, new in sorted(self.catalogue.aliases.items()))
        return f"{self.catalogue.id}|{aliases}"

    def _change(
        self,
        action: Action,
        queries: Sequence[str],
        refuse: Decision,
        *,
        note: str | None = None,
        on: datetime | None = None,
    ) -> ChangeResult:
        """Record ``action`` on each item ``refuse`` has no objection to, under the lock."""
        from .events import new_event

        items = _unique(self.catalogue.resolve_item(query) for query in queries)
        reasons: dict[str, str] = {}

        seen: list[tuple[dict[str, ItemState], tuple[str, str] | None]] = []

        def decide(current: Snapshot) -> list[Event]:
            states, latest = self._states_and_latest(current)
            seen[:] = [(states, latest)]
            reasons.clear()
            fresh = []
            for item in items:
                reason = refuse(item, states.get(item.id, TODO))
                if reason:
                    reasons[item.id] = reason
                else:
                    fresh.append(
                        new_event(
                            catalogue=self.catalogue.id,
                            item=item.id,
                            action=action,
                            note=note,
                            on=on,
                        )
                    )
            return fresh

        appended = self.store.append(decide)
        # The states decide saw are current unless something was written; then carry them on.
        states, latest = seen[0]
        if appended.events:
            states = self._advance(appended, states, latest)
        return ChangeResult(
            action=action,
            changed=tuple(self._view(i, states) for i in items if i.id not in reasons),
            unchanged=tuple(
                Unchanged(view=self._view(i, states), reason=reasons[i.id])
                for i in items
                if i.id in reasons
            ),
        )

    def _entry(self, event: Event, *, undone: bool) -> LogEntry:
        """Return an event as a log entry, titled when the catalogue knows the item."""
        from .history import LogEntry

        item_id = self.catalogue.aliases.get(event.item, event.item)
        known = item_id in self.catalogue.known_item_ids()
        title = self.catalogue.item(item_id).title if known else None
        return LogEntry(event=event, title=title, undone=undone)

    def _view(self, item: Item, states: dict[str, ItemState]) -> ItemView:
        """Return one item with its section, place and state."""
        return ItemView(
            item=item,
            section=self.catalogue.section(item.section),
            position=self.catalogue.position(item.id),
            state=states.get(item.id, TODO),
        )


def _tally(items: Sequence[Item], states: dict[str, ItemState]) -> Tally:
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


def _unique(items: Iterable[Item]) -> list[Item]:
    """Return the items without repeats, in first-seen order."""
    seen: dict[str, Item] = {}
    for item in items:
        seen.setdefault(item.id, item)
    return list(seen.values())


def _day(moment: datetime | None) -> str:
    """Return the UTC date of a moment, for messages."""
    return moment.date().isoformat() if moment else "an unknown day"
