"""Draw the record-keeping results as text: changes, undo, log, data files and catalogues."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .catalogue import effort_label
from .screen import Cell, Column
from .wording import ACTION_WORDS, count, day, describe_event, refusal, when

if TYPE_CHECKING:
    from datetime import tzinfo

    from .config import ConfigView
    from .results import (
        CatalogueListResult,
        ChangeResult,
        DoctorReport,
        ExportResult,
        ImportResult,
        LogEntry,
        LogResult,
        RestoreResult,
        SchemaResult,
        StarterResult,
        SyncResult,
        TidyResult,
        UndoListResult,
        UndoResult,
        ValidationResult,
    )
    from .screen import Screen

__all__ = [
    "render_bundled",
    "render_change",
    "render_config",
    "render_doctor",
    "render_export",
    "render_import",
    "render_log",
    "render_restore",
    "render_schema",
    "render_starter",
    "render_sync",
    "render_tidy",
    "render_undo",
    "render_undo_list",
    "render_validation",
]


def render_change(result: ChangeResult, screen: Screen, *, zone: tzinfo) -> None:
    """Confirm what a state change recorded and say why anything was left alone."""
    word = ACTION_WORDS[result.action]
    for view in result.changed:
        screen.line(Cell(f"{word}: ", "green"), Cell(view.item.id, "bold"), f"  {view.item.title}")
    for entry in result.unchanged:
        screen.line(
            Cell("Unchanged: ", "yellow"),
            Cell(entry.view.item.id, "bold"),
            f"  ({refusal(result, entry, zone=zone)})",
        )


def render_undo(result: UndoResult, screen: Screen, *, zone: tzinfo) -> None:
    """Say which change was reverted."""
    if result.reverted is None:
        screen.line("Nothing to undo.")
        return
    event = result.reverted.event
    screen.line(
        Cell("Undid: ", "green"),
        describe_event(result.reverted, zone=zone),
        Cell(f"  (recorded {when(event.at, zone=zone)})", "dim"),
    )


def render_log(result: LogResult, screen: Screen, *, zone: tzinfo) -> None:
    """Show the history, newest first."""
    if result.since:
        empty = f"No activity since {day(result.since, zone=zone)}."
    elif result.until:
        empty = f"No activity before {day(result.until, zone=zone)}."
    else:
        empty = "No activity yet."
    _entries(result.entries, screen, empty=empty, zone=zone)
    hidden = result.total - len(result.entries)
    if hidden > 0:
        screen.line(
            Cell(
                f"The latest {len(result.entries)} of {result.total} entries; "
                "-n N or --all shows more.",
                "dim",
            )
        )


def render_undo_list(result: UndoListResult, screen: Screen, *, zone: tzinfo) -> None:
    """Show what undo would revert, newest first."""
    _entries(result.entries, screen, empty="Nothing to undo.", zone=zone)


def _entries(entries: tuple[LogEntry, ...], screen: Screen, *, empty: str, zone: tzinfo) -> None:
    """Show history entries, one per line; undone ones marked, devices named when several."""
    if not entries:
        screen.line(empty)
        return
    several_devices = len({entry.device for entry in entries}) > 1
    columns = [
        Column(header="when"),
        *([Column(header="device", optional=True)] if several_devices else []),
        Column(header="what", wrap=True),
    ]
    rows: list[list[Cell | str]] = [
        [
            Cell(when(entry.event.at, zone=zone) or "", "dim"),
            *([Cell(entry.device or "-", "cyan")] if several_devices else []),
            Cell(
                describe_event(entry, zone=zone) + (" [undone]" if entry.undone else ""),
                "dim strike" if entry.undone else None,
            ),
        ]
        for entry in entries
    ]
    screen.table(columns, rows)


def render_validation(result: ValidationResult, screen: Screen, *, zone: tzinfo) -> None:
    """Say that a catalogue is valid and what it holds, in one line."""
    catalogue = result.catalogue
    screen.line(
        Cell(f"{result.source}: ok", "green"),
        f" ({catalogue.id} {catalogue.header.version}): "
        f"{count(len(catalogue.sections), 'section')}, {count(len(catalogue.items), 'item')}, "
        f"{effort_label(result.effort)} of study",
    )


def render_bundled(result: CatalogueListResult, screen: Screen, *, zone: tzinfo) -> None:
    """Show the bundled study paths and the name that selects each."""
    columns = [
        Column(header="name"),
        Column(header="items", align="right"),
        Column(header="title", wrap=True),
    ]
    rows: list[list[Cell | str]] = [
        [Cell(entry.name, "cyan"), str(len(entry.catalogue.items)), entry.catalogue.header.title]
        for entry in result.catalogues
    ]
    screen.table(columns, rows)
    screen.line(Cell("Study one with: mlops-path --catalogue NAME next", "dim"))


def render_starter(result: StarterResult, screen: Screen, *, zone: tzinfo) -> None:
    """Say where the starter went and what to do with it."""
    path = result.path
    screen.line(f"Wrote {path} (catalogue id {result.catalogue_id!r}).")
    screen.line(f"Edit it, then: mlops-path catalogue validate {path}")
    screen.line(f"and track it with: mlops-path --catalogue {path} next")


def render_schema(result: SchemaResult, screen: Screen, *, zone: tzinfo) -> None:
    """Print the schema: it is JSON in either form."""
    from .terminal_text import dumps_json

    screen.document(dumps_json(result.schema) + "\n")


def render_export(result: ExportResult, screen: Screen, *, zone: tzinfo) -> None:
    """Print the export, or say which file it went to."""
    if result.written_to is None:
        screen.document(result.text)
    else:
        screen.line(f"Wrote {result.written_to}")


def render_import(result: ImportResult, screen: Screen, *, zone: tzinfo) -> None:
    """Say what an import merged in."""
    added = len(result.added)
    items = sorted({event.item for event in result.added})
    screen.line(
        Cell(f"Imported {count(added, 'new event')}", "green" if added else None),
        f" from {result.source}",
        f" ({result.already_present} already here)." if result.already_present else ".",
    )
    if items:
        screen.line(Cell("Items touched: ", "dim"), ", ".join(items))
    if result.conflicting:
        screen.line(
            Cell(
                f"{count(len(result.conflicting), 'event')} share an id with different content; ",
                "yellow",
            ),
            "kept the ones already here.",
        )


def render_doctor(report: DoctorReport, screen: Screen, *, zone: tzinfo) -> None:
    """Show where every file lives and what, if anything, needs attention."""
    paths = report.paths
    screen.fields(
        [
            ("data folder", str(paths.data_dir)),
            ("progress", str(paths.progress_dir)),
            ("lock", str(paths.lock)),
            ("backups", str(paths.backups)),
            ("catalogue", report.catalogue_source),
        ]
    )
    screen.line()
    screen.line(Cell("catalogue  ", "bold"), _catalogue_state(report))
    screen.line(Cell("progress   ", "bold"), _store_state(report))
    _render_devices(report, screen, zone=zone)
    if report.orphans:
        orphans = ", ".join(f"{item} ({n})" for item, n in sorted(report.orphans.items()))
        screen.line(
            Cell("orphans    ", "bold"),
            Cell(f"kept, but not in the catalogue: {orphans}", "yellow"),
        )
    if report.other_catalogues:
        others = ", ".join(
            f"{name} ({count(n, 'event')})" for name, n in sorted(report.other_catalogues.items())
        )
        screen.line(Cell("also holds ", "bold"), others)
    if report.future_events:
        screen.line(
            Cell("clock      ", "bold"),
            Cell(
                f"{count(report.future_events, 'event')} dated in the future (kept as they are)",
                "yellow",
            ),
        )
    screen.line()
    _render_backups(report, screen, zone=zone)


def _catalogue_state(report: DoctorReport) -> Cell:
    """Return one line on the catalogue's health."""
    if report.catalogue_problems:
        more = len(report.catalogue_problems) - 1
        extra = f" (and {count(more, 'more problem')})" if more else ""
        return Cell(f"BROKEN: {report.catalogue_problems[0]}{extra}", "bold red")
    catalogue = report.catalogue
    return Cell(
        f"valid, {catalogue.id} {catalogue.header.version}: "
        f"{count(len(catalogue.sections), 'section')}, {count(len(catalogue.items), 'item')}",
        "green",
    )


def _store_state(report: DoctorReport) -> Cell:
    """Return one line on the progress files' health."""
    if report.store_problem:
        more = len(report.broken_files) - 1
        extra = f" (and {count(more, 'more broken file')})" if more else ""
        return Cell(f"BROKEN: {report.store_problem}{extra}", "bold red")
    if not report.store_exists:
        return Cell("nothing recorded yet", "dim")
    return Cell(f"ok, {count(report.events or 0, 'event')}", "green")


def _render_devices(report: DoctorReport, screen: Screen, *, zone: tzinfo) -> None:
    """Show each device seen in the data folder, this one marked, and any conflict copies."""
    for device, seen in sorted(report.devices.items()):
        mark = " (this device)" if device == report.this_device else ""
        newest = f", newest {when(seen.newest, zone=zone)}" if seen.newest else ""
        screen.line(
            Cell("device     ", "bold"),
            f"{device}{mark}: {count(seen.files, 'file')}, {count(seen.events, 'event')}{newest}",
        )
    if report.conflict_copies:
        screen.line(
            Cell("copies     ", "bold"),
            Cell(
                f"{count(len(report.conflict_copies), 'conflict copy', 'conflict copies')} "
                "from a sync tool, merged by event id; 'doctor --fix' tidies them into backups/",
                "yellow",
            ),
        )
    if not report.writable:
        screen.line(
            Cell("writable   ", "bold"),
            Cell(
                f"NO: {report.paths.data_dir} cannot be written; every change will fail", "bold red"
            ),
        )


def _render_backups(report: DoctorReport, screen: Screen, *, zone: tzinfo) -> None:
    """Show the kept backups, and how to restore one when the store is broken."""
    if not report.backups:
        screen.line(Cell("No backups yet; one is kept before every write.", "dim"))
        return
    columns = [
        Column(header="backup"),
        Column(header="saved"),
        Column(header="holds", wrap=True),
    ]
    rows: list[list[Cell | str]] = [
        [
            str(backup.path.relative_to(report.paths.backups)),
            Cell(when(backup.modified, zone=zone) or "", "dim"),
            count(len(backup.store.events), "event")
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


def render_restore(result: RestoreResult, screen: Screen, *, zone: tzinfo) -> None:
    """Say which backup was restored, over which file, and where the replaced file was kept."""
    backup = result.backup
    events = len(backup.store.events) if backup.store else 0
    screen.line(
        Cell("Restored ", "green"),
        f"{result.restored_to} from {backup.path} "
        f"({count(events, 'event')}, saved {when(backup.modified, zone=zone)}).",
    )
    if result.previous_kept_at:
        screen.line(Cell("The file it replaced is kept at ", "dim"), str(result.previous_kept_at))


def render_sync(result: SyncResult, screen: Screen, *, zone: tzinfo) -> None:
    """Say what the sync did."""
    committed = "committed this device's changes" if result.committed else "nothing new here"
    pulled = "pulled other devices' changes" if result.pulled else "nothing new to pull"
    screen.line(Cell("Synced: ", "green"), f"{committed}; {pulled}; pushed.")


def render_tidy(result: TidyResult, screen: Screen, *, zone: tzinfo) -> None:
    """Say which conflict copies were folded in and where they were kept."""
    if not result.moved:
        screen.line("No conflict copies to tidy.")
        return
    screen.line(
        Cell("Merged ", "green"),
        f"{count(result.merged_events, 'event')} found only in conflict copies into this "
        "device's file.",
    )
    for source, target in result.moved:
        screen.line(Cell("Kept ", "dim"), f"{source} at {target}")


def render_config(result: ConfigView, screen: Screen, *, zone: tzinfo) -> None:
    """Show settings: a value alone for get, every setting for list, a line for set."""
    if result.action == "path":
        screen.document(f"{result.path}\n")
        return
    if result.action == "get":
        value = result.entries[0][1]
        screen.document(f"{value}\n" if value is not None else "")
        return
    if result.action in ("set", "unset"):
        name, value, _ = result.entries[0]
        if result.action == "set":
            screen.line(
                Cell("Set ", "green"), f"{name} = {value}", Cell(f"  in {result.path}", "dim")
            )
        else:
            shown = f" (back to {value})" if value is not None else ""
            screen.line(
                Cell("Unset ", "green"), f"{name}{shown}", Cell(f"  in {result.path}", "dim")
            )
        return
    screen.fields(
        [
            (name, f"{value if value is not None else '(not set)'}  [{source}]")
            for name, value, source in result.entries
        ]
    )
    screen.line(Cell(f"Settings file: {result.path}", "dim"))
