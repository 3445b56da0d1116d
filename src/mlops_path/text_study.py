"""Draw the study views as text: next, list, show, search, sections and stats."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .catalogue import effort_label
from .screen import Cell, Column
from .wording import count, describe_event, some, suggestion_reason, titled, when

if TYPE_CHECKING:
    from datetime import tzinfo

    from .activity import Activity
    from .results import (
        ItemView,
        ListResult,
        NextResult,
        OpenResult,
        SearchResult,
        SectionGroup,
        SectionsResult,
        ShowResult,
        StatsResult,
        Tally,
    )
    from .screen import Screen

__all__ = [
    "render_list",
    "render_next",
    "render_open",
    "render_search",
    "render_sections",
    "render_show",
    "render_stats",
]

BAR_WIDTH = 20
#: The widest bar of the weekly activity chart.
ACTIVITY_BAR = 16
#: Status: (terminal mark, plain mark, style).
STATUS_MARKS = {
    "done": ("✔", "[x]", "green"),
    "in-progress": ("▶", "[>]", "yellow"),
    "skipped": ("–", "[-]", "dim"),
    "todo": ("·", "[ ]", "dim"),
}


def status_mark(view: ItemView, *, fancy: bool) -> Cell:
    """Return the per-item status mark."""
    fancy_mark, plain_mark, style = STATUS_MARKS[view.status]
    return Cell(fancy_mark if fancy else plain_mark, style)


def progress_bar(fraction: float, *, fancy: bool, width: int = BAR_WIDTH) -> Cell:
    """Return a bar of ``width`` characters filled to ``fraction``."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    if fancy:
        return Cell("█" * filled + "░" * (width - filled), "green")
    return Cell("#" * filled + "-" * (width - filled))


#: What the stats table needs beside its bar: the other columns and the gaps between them.
STATS_BESIDE_BAR = 53
#: The narrowest bar worth drawing; below it the stats table goes without bars.
MIN_BAR = 4


def bar_width(terminal: int | None) -> int:
    """Return how wide progress bars are: full width, narrower in a narrow terminal."""
    if terminal is None:
        return BAR_WIDTH
    return max(MIN_BAR, min(BAR_WIDTH, terminal - STATS_BESIDE_BAR))


def render_next(result: NextResult, screen: Screen, *, zone: tzinfo) -> None:
    """Show the items to study next, each as a small card that says why it was chosen."""
    if not result.suggestions:
        if result.budget and result.remaining:
            screen.line(f"Nothing open fits in {effort_label(result.budget)}; try a longer --time.")
        elif result.filtered:
            screen.line("Nothing left to study that matches these filters.")
        else:
            screen.line(Cell("Everything is done. Congratulations!", "bold green"))
        return
    screen.line(Cell(f"{count(result.remaining, 'item')} left.", "dim"))
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
        screen.block(Cell(titled(item), "bold"))
        screen.block(Cell(meta, "dim"))
        if item.url:
            screen.block(Cell(item.url, "blue underline"))
        if item.note:
            screen.block(Cell(f"Note: {item.note}", "yellow"))
        screen.block(Cell(f"Why: {suggestion_reason(suggestion, zone=zone)}.", "dim italic"))
    if result.waiting:
        screen.line()
        waits = [f"{w.item_id} needs {some(w.needs)}" for w in result.waiting]
        shown = "; ".join(waits[:3]) + (f"; and {len(waits) - 3} more" if len(waits) > 3 else "")
        verb = "waits" if len(waits) == 1 else "wait"
        screen.line(Cell(f"{count(len(waits), 'item')} {verb} on prerequisites: {shown}.", "dim"))
    screen.line()
    first = result.suggestions[0].view.item.id
    screen.line(Cell(f"When you finish: {result.command} done {first}", "dim"))


def render_search(result: SearchResult, screen: Screen, *, zone: tzinfo) -> None:
    """Show search results, best first, with where each matched."""
    if not result.hits:
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
        for hit in result.hits
    ]
    screen.table(columns, rows)


def render_list(result: ListResult, screen: Screen, *, zone: tzinfo) -> None:
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
        screen.line(
            Cell(group.section.label, "bold"),
            Cell(f"  ({group.section.id}, {_section_done(group)} done)", "dim"),
        )
        rows: list[list[Cell | str]] = [
            [
                status_mark(view, fancy=screen.fancy),
                Cell(str(view.position), "dim"),
                Cell(view.item.id, "cyan"),
                ", ".join([view.item.kind, *_tags(view)]),
                Cell(effort_label(view.item.effort), "dim"),
                ("  ↳ " if screen.fancy else "  - ") * bool(view.item.parent) + titled(view.item),
            ]
            for view in group.items
        ]
        screen.table(columns, rows)


def _tags(view: ItemView) -> list[str]:
    """Return what sets an item apart: optional, planned, or settled by an alternative."""
    item = view.item
    tags = ["optional"] * item.optional + ["planned"] * item.planned
    if view.covered:
        tags.append("alternative done")
    elif item.one_of:
        tags.append(f"or: {item.one_of}")
    return tags


def _section_done(group: SectionGroup) -> str:
    """Return "done/total" for the whole section, not only the items a filter let through."""
    return f"{group.section_done}/{group.section_total}"


def render_stats(result: StatsResult, screen: Screen, *, zone: tzinfo) -> None:
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
    if overall.unknown_effort:
        apart.append(
            f"{count(overall.unknown_effort, 'item')} of unknown effort (not in the effort figures)"
        )
    if apart:
        screen.line(Cell(", ".join(apart).capitalize() + ".", "dim"))
    screen.line()
    bar = bar_width(screen.width)
    # In a narrow terminal the bar shrinks first, then goes; then "effort done" and the share
    # give way, in that order, and what is left to do stays.
    columns = [
        Column(header="section"),
        Column(header="done", align="right"),
        Column(header="progress", optional=True),
        Column(header="", align="right", optional=True),
        Column(header="effort done", align="right", optional=True),
        Column(header="left", align="right"),
    ]
    label_width = 28 if screen.width is None else max(8, min(28, screen.width - 44))
    # Titles read best; where one does not fit, the section's short id stands in for it.
    named = [
        (Cell(section.title if len(section.title) <= label_width else section.id, "cyan"), tally)
        for section, tally in result.sections
    ]
    rows: list[list[Cell | str]] = [
        [
            name,
            f"{tally.done}/{tally.total}" if tally.total else "—",
            progress_bar(tally.fraction, fancy=screen.fancy, width=bar)
            if tally.total
            else Cell(""),
            _percent(tally) if tally.total else "—",
            effort_label(tally.effort_done),
            effort_label(tally.effort_left),
        ]
        for name, tally in [*named, (Cell("all", "bold"), overall)]
    ]
    if screen.width is not None and screen.width < STATS_BESIDE_BAR + MIN_BAR:
        columns.pop(2)
        for row in rows:
            row.pop(2)
    screen.table(columns, rows)
    _render_activity(result.activity, screen)


def _render_activity(activity: Activity, screen: Screen) -> None:
    """Show the last weeks as bars, the streaks, the pace and the projected finish."""
    screen.line()
    peak = max((week.items for week in activity.weeks), default=0)
    width = ACTIVITY_BAR if screen.width is None else max(4, min(ACTIVITY_BAR, screen.width - 18))
    rows: list[list[Cell | str]] = [
        [
            Cell(week.start.isoformat(), "dim"),
            _bar_of(week.items, peak, fancy=screen.fancy, width=width),
            str(week.items) if week.items else Cell("·", "dim"),
        ]
        for week in activity.weeks
    ]
    screen.table(
        [Column(header="week of"), Column(header="done"), Column(header="", align="right")],
        rows,
    )
    screen.line()
    screen.line(
        Cell("Streak: ", "bold"),
        f"{count(activity.current_streak, 'day')} now, "
        f"longest {count(activity.longest_streak, 'day')}",
    )
    screen.line(
        Cell("Pace:   ", "bold"),
        f"{_figure(activity.items_per_week)} {'item' if activity.items_per_week == 1 else 'items'}"
        " and "
        f"{effort_label(round(activity.effort_per_week))} of study a week (last 4 weeks)",
    )
    if activity.finish_on:
        finish = f"at this pace, done around {activity.finish_on.isoformat()}"
    elif activity.finish_too_far:
        finish = "at this pace, not before the year 10000"
    else:
        finish = "finish one item to see when you will be done"
    screen.line(Cell("Finish: ", "bold"), finish)


def _figure(number: float) -> str:
    """Return a rate as people write it: 2, 0.25, 1.5 (two decimals at most)."""
    return f"{number:.2f}".rstrip("0").rstrip(".")


def _bar_of(value: int, peak: int, *, fancy: bool, width: int = 16) -> Cell:
    """Return a bar whose length is ``value`` relative to ``peak``."""
    filled = round(width * value / peak) if peak else 0
    return Cell(("█" if fancy else "#") * filled, "cyan")


def render_sections(result: SectionsResult, screen: Screen, *, zone: tzinfo) -> None:
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


def render_show(result: ShowResult, screen: Screen, *, zone: tzinfo) -> None:
    """Show every field of one item, the learner's state of it, notes and history."""
    view = result.view
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
        ("started", when(state.started_at, zone=zone) if view.status == "in-progress" else None),
        ("done on", when(state.done_at, zone=zone)),
        ("summary", item.summary),
        ("note", item.note),
    ]
    fields += [("see also", f"{link.title}{_by(link.authors)}: {link.url}") for link in item.links]
    fields += [("your note", note) for note in state.notes]
    fields += [
        (
            "history",
            f"{when(entry.event.at, zone=zone)}  {describe_event(entry, zone=zone)}"
            + (" [undone]" if entry.undone else ""),
        )
        for entry in result.history
    ]
    screen.fields([(name, value) for name, value in fields if value])


def render_open(result: OpenResult, screen: Screen, *, zone: tzinfo) -> None:
    """Print the addresses, one a line, when no browser took them (or printing was asked for).

    Why they were printed goes to stderr, so that stdout stays the addresses alone.
    """
    if result.opened:
        return
    if result.reason:
        import sys

        from .terminal_text import printable

        sys.stderr.write(printable(f"mlops-path: {result.reason}; here is the address:") + "\n")
    screen.document("".join(url + "\n" for url in result.urls))  # whole: meant to be copied


def _by(authors: tuple[str, ...]) -> str:
    """Return " (authors)" for a link, or nothing."""
    return f" ({', '.join(authors)})" if authors else ""


def _percent(tally: Tally) -> str:
    """Return the share done as a whole percentage."""
    return f"{100 * tally.fraction:.0f}%"
