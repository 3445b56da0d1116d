"""Turn command results into text on a screen, or into JSON; the only place output is shaped."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from .catalogue import effort_label
from .screen import Cell, Column

if TYPE_CHECKING:
    from .activity import Activity
    from .doctor import DoctorReport, RestoreResult
    from .exchange import ImportResult
    from .history import LogEntry, UndoResult
    from .screen import Screen
    from .search import SearchHit
    from .tracker import ChangeResult, ItemView, ListResult, NextResult, StatsResult, Tally
    from .validation import CatalogueSummary

BAR_WIDTH = 20


def write_json(stream: TextIO, data: Any) -> None:
    """Write ``data`` as indented UTF-8 JSON followed by a newline."""
    import json

    stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def status_mark(view: ItemView, *, fancy: bool) -> Cell:
    """Return the per-item status mark."""
    fancy_mark, plain_mark, style = STATUS_MARKS[view.status]
    return Cell(fancy_mark if fancy else plain_mark, style)


#: Status: (terminal mark, plain mark, style).
STATUS_MARKS = {
    "done": ("✔", "[x]", "green"),
    "in-progress": ("▶", "[>]", "yellow"),
    "skipped": ("–", "[-]", "dim"),
    "todo": ("·", "[ ]", "dim"),
}


def progress_bar(fraction: float, *, fancy: bool, width: int = BAR_WIDTH) -> Cell:
    """Return a bar of ``width`` characters filled to ``fraction``."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    if fancy:
        return Cell("█" * filled + "░" * (width - filled), "green")
    return Cell("#" * filled + "-" * (width - filled))


def bar_width(terminal: int | None) -> int:
    """Return how wide progress bars are: full width, narrower in a narrow terminal."""
    if terminal is None or terminal >= 80:
        return BAR_WIDTH
    return max(4, min(BAR_WIDTH, terminal - 34))


def render_next(screen: Screen, result: NextResult) -> None:
    """Show the items to study next, each as a small card that says why it was chosen."""
    if not result.suggestions:
        if result.budget and result.remaining:
            screen.line(f"Nothing open fits in {effort_label(result.budget)}; try a longer --time.")
        elif result.filtered:
            screen.line("Nothing left to study that matches these filters.")
        else:
            screen.line(Cell("Everything is done. Congratulations!", "bold green"))
        return
    if result.remaining > len(result.suggestions):
        screen.line(Cell(f"{result.remaining} items left.", "dim"))
    for suggestion in result.suggestions:
        view = suggestion.view
        item = view.item
        meta = " · ".join(
            [view.section.label, item.kind, effort_label(item.effort)]
            + ([", ".join(item.authors)] if item.authors else [])
        )
        started = "  (in progress)" if view.status == "in-progress" else ""
        screen.line()
        screen.line(
            Cell(f"{view.position:>2}. ", "dim"),
            Cell(item.id, "bold cyan"),
            Cell(started, "yellow"),
        )
        screen.block(Cell(item.title, "bold"))
        screen.block(Cell(meta, "dim"))
        if item.url:
            screen.block(Cell(item.url, "blue underline"))
        if item.note:
            screen.block(Cell(f"Note: {item.note}", "yellow"))
        screen.block(Cell(f"Why: {suggestion.reason}.", "dim italic"))
    if result.waiting:
        screen.line()
        waits = "; ".join(f"{w.view.item.id} needs {', '.join(w.needs)}" for w in result.waiting)
        screen.line(Cell(f"Passed over, waiting on prerequisites: {waits}.", "dim"))
    screen.line()
    first = result.suggestions[0].view.item.id
    screen.line(Cell(f"When you finish: mlops-path done {first}", "dim"))


def render_search(screen: Screen, hits: list[SearchHit]) -> None:
    """Show search results, best first, with where each matched."""
    if not hits:
        screen.line("No items match.")
        return
    columns = [
        Column(header=""),
        Column(header="id"),
        Column(header="matched", optional=True),
        Column(header="title", wrap=True),
    ]
    rows: list[list[Cell | str]] = [
        [
            status_mark(hit.view, fancy=screen.fancy),
            Cell(hit.view.item.id, "cyan"),
            Cell(", ".join(hit.match.fields), "dim"),
            hit.view.item.title,
        ]
        for hit in hits
    ]
    screen.table(columns, rows)


def render_list(screen: Screen, result: ListResult) -> None:
    """Show items grouped by section, with a status mark each."""
    shown = [group for group in result.groups if group.items]
    if not shown:
        screen.line("No items match these filters.")
        return
    columns = [
        Column(header=""),
        Column(header="#", align="right", optional=True),
        Column(header="id"),
        Column(header="kind", optional=True),
        Column(header="effort", align="right", optional=True),
        Column(header="title", wrap=True),
    ]
    for index, group in enumerate(shown):
        if index:
            screen.line()
        done = sum(1 for view in group.items if view.status == "done")
        screen.line(
            Cell(group.section.label, "bold"),
            Cell(f"  ({group.section.id}, {done}/{len(group.items)} done)", "dim"),
        )
        rows: list[list[Cell | str]] = [
            [
                status_mark(view, fancy=screen.fancy),
                Cell(str(view.position), "dim"),
                Cell(view.item.id, "cyan"),
                view.item.kind,
                Cell(effort_label(view.item.effort), "dim"),
                view.item.title,
            ]
            for view in group.items
        ]
        screen.table(columns, rows)


#: How each action reads in a confirmation line.
ACTION_WORDS = {
    "done": "Done",
    "start": "Started",
    "skip": "Skipped",
    "reset": "Reset",
    "note": "Noted",
    "undo": "Undid a change to",
}


def render_change(screen: Screen, result: ChangeResult) -> None:
    """Confirm what a state change recorded and say why anything was left alone."""
    word = ACTION_WORDS[result.action]
    for view in result.changed:
        screen.line(Cell(f"{word}: ", "green"), Cell(view.item.id, "bold"), f"  {view.item.title}")
    for entry in result.unchanged:
        screen.line(
            Cell("Unchanged: ", "yellow"), Cell(entry.view.item.id, "bold"), f"  ({entry.reason})"
        )


def describe_event(entry: LogEntry) -> str:
    """Return one line that says what an event did."""
    event = entry.event
    what = f"{ACTION_WORDS[event.action].lower()} {event.item}"
    if event.on:
        what += f" (on {event.on.date().isoformat()})"
    if event.note:
        what += f": {event.note}"
    return what


def render_undo(screen: Screen, result: UndoResult) -> None:
    """Say which change was reverted."""
    if result.reverted is None:
        screen.line("Nothing to undo.")
        return
    event = result.reverted.event
    screen.line(
        Cell("Undid: ", "green"),
        describe_event(result.reverted),
        Cell(f"  (recorded {_when(event.at)})", "dim"),
    )


def render_log(screen: Screen, entries: list[LogEntry], *, empty: str) -> None:
    """Show history entries, one per line, newest first; undone ones are marked."""
    if not entries:
        screen.line(empty)
        return
    columns = [
        Column(header="when (UTC)"),
        Column(header="what", wrap=True),
    ]
    rows: list[list[Cell | str]] = [
        [
            Cell(_when(entry.event.at) or "", "dim"),
            Cell(
                describe_event(entry) + (" [undone]" if entry.undone else ""),
                "dim strike" if entry.undone else None,
            ),
        ]
        for entry in entries
    ]
    screen.table(columns, rows)


def render_stats(screen: Screen, result: StatsResult) -> None:
    """Show overall and per-section progress with bars, items and effort."""
    overall = result.overall
    screen.line(
        Cell(f"{result.title}: ", "bold"),
        f"{overall.done}/{overall.total} items done ({_percent(overall)}), ",
        f"{effort_label(overall.effort_done)} studied, {effort_label(overall.effort_left)} to go",
    )
    apart = []
    if overall.in_progress:
        apart.append(f"{overall.in_progress} in progress")
    if overall.skipped:
        apart.append(
            f"{overall.skipped} skipped ({effort_label(overall.effort_skipped)}, not counted)"
        )
    if apart:
        screen.line(Cell(", ".join(apart).capitalize() + ".", "dim"))
    screen.line()
    bar = bar_width(screen.width)
    columns = [
        Column(header="section"),
        Column(header="done", align="right"),
        Column(header="progress", optional=True),
        Column(header="", align="right"),
        Column(header="effort done", align="right", optional=True),
        Column(header="left", align="right", optional=True),
    ]
    rows: list[list[Cell | str]] = [
        [
            Cell(section.id, "cyan"),
            f"{tally.done}/{tally.total}",
            progress_bar(tally.fraction, fancy=screen.fancy, width=bar),
            _percent(tally),
            effort_label(tally.effort_done),
            effort_label(tally.effort_left),
        ]
        for section, tally in result.sections
    ]
    rows.append(
        [
            Cell("all", "bold"),
            f"{overall.done}/{overall.total}",
            progress_bar(overall.fraction, fancy=screen.fancy, width=bar),
            _percent(overall),
            effort_label(overall.effort_done),
            effort_label(overall.effort_left),
        ]
    )
    screen.table(columns, rows)
    render_activity(screen, result.activity)


def render_activity(screen: Screen, activity: Activity) -> None:
    """Show the last weeks as bars, the streaks, the pace and the projected finish."""
    screen.line()
    peak = max((week.items for week in activity.weeks), default=0)
    rows: list[list[Cell | str]] = [
        [
            Cell(f"week of {week.start.strftime('%b %d')}", "dim"),
            _bar_of(week.items, peak, fancy=screen.fancy),
            str(week.items) if week.items else Cell("·", "dim"),
        ]
        for week in activity.weeks
    ]
    screen.table(
        [Column(header="activity"), Column(header="items done"), Column(header="", align="right")],
        rows,
    )
    screen.line()
    screen.line(
        Cell("Streak: ", "bold"),
        f"{_count(activity.current_streak, 'day')} now, "
        f"longest {_count(activity.longest_streak, 'day')}",
    )
    screen.line(
        Cell("Pace:   ", "bold"),
        f"{activity.items_per_week:.1f} items and "
        f"{effort_label(round(activity.effort_per_week))} of study a week (last 4 weeks)",
    )
    if activity.finish_on:
        finish = f"at this pace, done around {activity.finish_on.strftime('%d %b %Y')}"
    else:
        finish = "finish one item to see when you will be done"
    screen.line(Cell("Finish: ", "bold"), finish)


def _bar_of(value: int, peak: int, *, fancy: bool, width: int = 16) -> Cell:
    """Return a bar whose length is ``value`` relative to ``peak``."""
    filled = round(width * value / peak) if peak else 0
    return Cell(("█" if fancy else "#") * filled, "cyan")


def render_validation(screen: Screen, summary: CatalogueSummary) -> None:
    """Say that a catalogue is valid and what it holds, in one line."""
    catalogue = summary.catalogue
    screen.line(
        Cell(f"{summary.source}: ok", "green"),
        f" ({catalogue.id} {catalogue.catalogue.version}): "
        f"{_count(len(catalogue.sections), 'section')}, {_count(len(catalogue.items), 'item')}, "
        f"{effort_label(summary.effort)} of study",
    )


def render_sections(screen: Screen, result: StatsResult) -> None:
    """Show each section with its part, title and counts."""
    columns = [
        Column(header="id"),
        Column(header="items", align="right"),
        Column(header="done", align="right"),
        Column(header="effort", align="right"),
        Column(header="title", wrap=True),
    ]
    rows: list[list[Cell | str]] = [
        [
            Cell(section.id, "cyan"),
            str(tally.total),
            str(tally.done),
            effort_label(tally.effort_total),
            section.label,
        ]
        for section, tally in result.sections
    ]
    screen.table(columns, rows)


def render_show(screen: Screen, view: ItemView, history: list[LogEntry]) -> None:
    """Show every field of one item, the learner's state of it, notes and history."""
    item = view.item
    screen.line(Cell(item.title, "bold"))
    state = view.state
    status: str = view.status
    if view.status == "skipped" and state.skip_reason:
        status += f" ({state.skip_reason})"
    fields: list[tuple[str, str | None]] = [
        ("id", item.id),
        ("position", f"{view.position}"),
        ("section", f"{view.section.label} ({view.section.id})"),
        ("kind", item.kind),
        ("authors", ", ".join(item.authors) or None),
        ("publisher", item.publisher),
        ("year", str(item.year) if item.year else None),
        ("effort", effort_label(item.effort)),
        ("address", item.url),
        ("requires", ", ".join(item.requires) or None),
        ("status", status),
        ("started", _when(state.started_at) if view.status == "in-progress" else None),
        ("done on", _when(state.done_at)),
        ("summary", item.summary),
        ("note", item.note),
    ]
    fields += [("see also", f"{link.title}{_by(link.authors)}: {link.url}") for link in item.links]
    fields += [("your note", note) for note in state.notes]
    fields += [
        (
            "history",
            f"{_when(entry.event.at)}  {describe_event(entry)}"
            + (" [undone]" if entry.undone else ""),
        )
        for entry in history
    ]
    screen.fields([(name, value) for name, value in fields if value])


def _when(moment: datetime | None) -> str | None:
    """Return a moment as minutes in UTC, or None."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else None


def _by(authors: tuple[str, ...]) -> str:
    """Return " (authors)" for a link, or nothing."""
    return f" ({', '.join(authors)})" if authors else ""


def show_json(view: ItemView, history: list[LogEntry]) -> dict[str, Any]:
    """Return one item with every catalogue field, the learner's state, notes and history."""
    item = view.item
    return {
        **view.to_json(),
        "summary": item.summary,
        "publisher": item.publisher,
        "note": item.note,
        "links": [link.model_dump(exclude_none=True) for link in item.links],
        "notes": list(view.state.notes),
        "history": [entry.to_json() for entry in history],
    }


def _count(number: int, noun: str) -> str:
    """Return a count with its noun, plural when it is not one."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _percent(tally: Tally) -> str:
    """Return the share done as a whole percentage."""
    return f"{100 * tally.fraction:.0f}%"


def render_import(screen: Screen, result: ImportResult) -> None:
    """Say what an import merged in."""
    added = len(result.added)
    items = sorted({event.item for event in result.added})
    screen.line(
        Cell(f"Imported {added} new event{'s' if added != 1 else ''}", "green" if added else None),
        f" from {result.source}",
        f" ({result.already_present} already here)." if result.already_present else ".",
    )
    if items:
        screen.line(Cell("Items touched: ", "dim"), ", ".join(items))
    if result.conflicting:
        screen.line(
            Cell(
                f"{len(result.conflicting)} events share an id with different content; ", "yellow"
            ),
            "kept the ones already here.",
        )


def render_doctor(screen: Screen, report: DoctorReport) -> None:
    """Show where every file lives and what, if anything, needs attention."""
    paths = report.paths
    store = report.store
    if report.store_problem:
        store_state = Cell(f"BROKEN: {report.store_problem}", "bold red")
    elif store is None or not paths.store.exists():
        store_state = Cell("not created yet (nothing recorded)", "dim")
    else:
        store_state = Cell(
            f"ok, schema {store.schema_version}, {len(store.events)} events", "green"
        )
    catalogue = report.catalogue
    screen.fields(
        [
            ("data folder", str(paths.data_dir)),
            ("store", str(paths.store)),
            ("lock", str(paths.lock)),
            ("backups", str(paths.backups)),
            ("catalogue", report.catalogue_source),
        ]
    )
    screen.line()
    if report.catalogue_problems:
        more = len(report.catalogue_problems) - 1
        extra = f" (and {_count(more, 'more problem')})" if more else ""
        catalogue_state = Cell(f"BROKEN: {report.catalogue_problems[0]}{extra}", "bold red")
    else:
        catalogue_state = Cell(
            f"valid, {catalogue.id} {catalogue.catalogue.version}: "
            f"{len(catalogue.sections)} sections, {len(catalogue.items)} items",
            "green",
        )
    screen.line(Cell("catalogue  ", "bold"), catalogue_state)
    screen.line(Cell("store      ", "bold"), store_state)
    if report.orphans:
        orphans = ", ".join(f"{item} ({count})" for item, count in sorted(report.orphans.items()))
        screen.line(
            Cell("orphans    ", "bold"),
            Cell(f"kept, but not in the catalogue: {orphans}", "yellow"),
        )
    if report.other_catalogues:
        others = ", ".join(
            f"{name} ({n} events)" for name, n in sorted(report.other_catalogues.items())
        )
        screen.line(Cell("also holds ", "bold"), others)
    if report.future_events:
        screen.line(
            Cell("clock      ", "bold"),
            Cell(
                f"{report.future_events} events are dated in the future (kept as they are)",
                "yellow",
            ),
        )
    screen.line()
    if not report.backups:
        screen.line(Cell("No backups yet; one is kept before every write.", "dim"))
        return
    columns = [
        Column(header="backup"),
        Column(header="saved (UTC)"),
        Column(header="holds", wrap=True),
    ]
    rows: list[list[Cell | str]] = [
        [
            backup.path.name,
            Cell(_when(backup.modified) or "", "dim"),
            _count(len(backup.store.events), "event")
            if backup.store
            else Cell(f"unreadable: {backup.problem}", "red"),
        ]
        for backup in report.backups
    ]
    screen.table(columns, rows)
    if report.store_problem:
        screen.line()
        screen.line(
            Cell("To bring back the newest good backup: mlops-path doctor --restore", "bold")
        )


def render_restore(screen: Screen, result: RestoreResult) -> None:
    """Say which backup was restored and where the replaced file was kept."""
    backup = result.backup
    events = len(backup.store.events) if backup.store else 0
    screen.line(
        Cell("Restored ", "green"),
        f"{backup.path} ({_count(events, 'event')}, saved {_when(backup.modified)}).",
    )
    if result.previous_kept_at:
        screen.line(Cell("The file it replaced is kept at ", "dim"), str(result.previous_kept_at))
