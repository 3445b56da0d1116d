"""Turn command results into text on a screen, or into JSON; the only place output is shaped."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TextIO

from .catalogue import Section
from .screen import Cell, Column, Screen
from .tracker import DoneResult, ItemView, ListResult, NextResult, StatsResult, Tally

BAR_WIDTH = 20


def write_json(stream: TextIO, data: Any) -> None:
    """Write ``data`` as indented UTF-8 JSON followed by a newline."""
    stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def format_minutes(minutes: int) -> str:
    """Return a short duration: ``45m``, ``1h30m``, ``300h``."""
    if minutes < 60:
        return f"{minutes}m"
    hours, rest = divmod(minutes, 60)
    if rest == 0 or hours >= 10:
        return f"{round(minutes / 60)}h"
    return f"{hours}h{rest:02d}m"


def section_label(section: Section) -> str:
    """Return the section's title, prefixed by the part it belongs to."""
    return f"{section.part} › {section.title}" if section.part else section.title


def status_mark(view: ItemView, *, fancy: bool) -> Cell:
    """Return the per-item status mark."""
    if view.status == "done":
        return Cell("✔" if fancy else "[x]", "green")
    return Cell("·" if fancy else "[ ]", "dim")


def progress_bar(fraction: float, *, fancy: bool, width: int = BAR_WIDTH) -> Cell:
    """Return a bar of ``width`` characters filled to ``fraction``."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    if fancy:
        return Cell("█" * filled + "░" * (width - filled), "green")
    return Cell("#" * filled + "-" * (width - filled))


def render_next(screen: Screen, result: NextResult) -> None:
    """Show the items to study next, each as a small card."""
    if not result.items:
        if result.filtered:
            screen.line("Nothing left to study that matches these filters.")
        else:
            screen.line(Cell("Everything is done. Congratulations!", "bold green"))
        return
    if result.remaining > len(result.items):
        screen.line(Cell(f"{result.remaining} items left.", "dim"))
    for view in result.items:
        item = view.item
        meta = " · ".join(
            [section_label(view.section), item.kind, format_minutes(item.effort)]
            + ([", ".join(item.authors)] if item.authors else [])
        )
        screen.line()
        screen.line(
            Cell(f"{view.position:>2}. ", "dim"), Cell(item.id, "bold cyan"), "  ", item.title
        )
        screen.line("    ", Cell(meta, "dim"))
        if item.url:
            screen.line("    ", Cell(item.url, "blue underline"))
        if item.note:
            screen.line("    ", Cell(f"Note: {item.note}", "yellow"))
    screen.line()
    first = result.items[0].item.id
    screen.line(Cell(f"When you finish: mlops-path done {first}", "dim"))


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
            Cell(section_label(group.section), "bold"),
            Cell(f"  ({group.section.id}, {done}/{len(group.items)} done)", "dim"),
        )
        rows: list[list[Cell | str]] = [
            [
                status_mark(view, fancy=screen.fancy),
                Cell(str(view.position), "dim"),
                Cell(view.item.id, "cyan"),
                view.item.kind,
                Cell(format_minutes(view.item.effort), "dim"),
                view.item.title,
            ]
            for view in group.items
        ]
        screen.table(columns, rows)


def render_done(screen: Screen, result: DoneResult) -> None:
    """Confirm what was recorded and what had been done already."""
    for view in result.recorded:
        screen.line(Cell("Done: ", "green"), Cell(view.item.id, "bold"), f"  {view.item.title}")
    for view in result.already_done:
        when = view.state.done_at.date().isoformat() if view.state.done_at else "earlier"
        screen.line(
            Cell("Already done: ", "yellow"),
            Cell(view.item.id, "bold"),
            f"  (on {when}; keeping that date)",
        )


def render_stats(screen: Screen, result: StatsResult) -> None:
    """Show overall and per-section progress with bars, items and effort."""
    overall = result.overall
    screen.line(
        Cell(f"{result.title}: ", "bold"),
        f"{overall.done}/{overall.total} items done ({_percent(overall)}), ",
        f"{format_minutes(overall.effort_done)} studied, "
        f"{format_minutes(overall.effort_left)} to go",
    )
    screen.line()
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
            progress_bar(tally.fraction, fancy=screen.fancy),
            _percent(tally),
            format_minutes(tally.effort_done),
            format_minutes(tally.effort_left),
        ]
        for section, tally in result.sections
    ]
    rows.append(
        [
            Cell("all", "bold"),
            f"{overall.done}/{overall.total}",
            progress_bar(overall.fraction, fancy=screen.fancy),
            _percent(overall),
            format_minutes(overall.effort_done),
            format_minutes(overall.effort_left),
        ]
    )
    screen.table(columns, rows)


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
            format_minutes(tally.effort_total),
            section_label(section),
        ]
        for section, tally in result.sections
    ]
    screen.table(columns, rows)


def render_show(screen: Screen, view: ItemView) -> None:
    """Show every field of one item and the learner's state of it."""
    item = view.item
    screen.line(Cell(item.title, "bold"))
    fields: list[tuple[str, str | None]] = [
        ("id", item.id),
        ("position", f"{view.position}"),
        ("section", f"{section_label(view.section)} ({view.section.id})"),
        ("kind", item.kind),
        ("authors", ", ".join(item.authors) or None),
        ("publisher", item.publisher),
        ("year", str(item.year) if item.year else None),
        ("effort", format_minutes(item.effort)),
        ("address", item.url),
        ("requires", ", ".join(item.requires) or None),
        ("status", view.status),
        ("done on", _when(view.state.done_at)),
        ("summary", item.summary),
        ("note", item.note),
    ]
    fields += [("see also", f"{link.title}{_by(link.authors)}: {link.url}") for link in item.links]
    fields += [("your note", note) for note in view.state.notes]
    screen.fields([(name, value) for name, value in fields if value])


def _when(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else None


def _by(authors: tuple[str, ...]) -> str:
    return f" ({', '.join(authors)})" if authors else ""


def show_json(view: ItemView) -> dict[str, Any]:
    """Return one item with every catalogue field and the learner's state."""
    item = view.item
    return {
        **view.to_json(),
        "summary": item.summary,
        "publisher": item.publisher,
        "note": item.note,
        "links": [link.model_dump(exclude_none=True) for link in item.links],
        "notes": list(view.state.notes),
    }


def _percent(tally: Tally) -> str:
    return f"{100 * tally.fraction:.0f}%"
