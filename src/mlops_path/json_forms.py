"""Give every result its one JSON form: the shapes README.md documents and tests pin."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, tzinfo
from functools import singledispatch
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .activity import PACE_DAYS, Activity
from .results import (
    CatalogueListResult,
    ChangeResult,
    DoctorReport,
    ExportResult,
    ImportResult,
    ItemView,
    ListResult,
    LogEntry,
    LogResult,
    NextResult,
    OpenResult,
    RestoreResult,
    SchemaResult,
    SearchResult,
    SectionsResult,
    ShowResult,
    StarterResult,
    StatsResult,
    SyncResult,
    Tally,
    TidyResult,
    UndoListResult,
    UndoResult,
    ValidationResult,
)
from .wording import refusal, suggestion_reason

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .catalogue import Catalogue, Link, Section

__all__ = ["iso", "item_json", "to_json"]

Json = Any


def iso(moment: datetime | None) -> str | None:
    """Return a UTC moment as ISO 8601 with a Z, as JSON output shows times, or None."""
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _fields(source: object, *names: str) -> dict[str, Json]:
    """Return the named fields of ``source`` under their own names, each as a JSON value."""
    return {name: _plain(getattr(source, name)) for name in names}


def _plain(value: object) -> Json:
    """Return a value as JSON: moments in UTC with a Z, ISO dates, paths as text, lists."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(part) for part in value]
    return value


@singledispatch
def to_json(result: object, *, zone: tzinfo) -> Json:
    """Return the JSON form of a result; ``zone`` gives the local days its sentences name."""
    raise TypeError(f"no JSON form for {type(result).__name__}")


def item_json(view: ItemView) -> Json:
    """Return an item object: catalogue fields and the learner's state."""
    item = view.item
    return {
        "id": item.id,
        "position": view.position,
        "title": item.title,
        "section": item.section,
        "kind": item.kind,
        "status": view.status,
        "url": item.url,
        "effort": item.effort,
        "authors": list(item.authors),
        "year": item.year,
        "requires": list(item.requires),
        "done_at": iso(view.state.done_at),
        "started_at": iso(view.state.started_at),
        "skip_reason": view.state.skip_reason,
        "label": item.label,
        "parent": item.parent,
        "optional": item.optional,
        "planned": item.planned,
        "one_of": item.one_of,
        "owed": view.owed,
        "links": [_link(link) for link in item.links],
    }


def _link(link: Link) -> Json:
    """Return a link as JSON, by hand: dumping the model would build its serialiser."""
    fields = _fields(link, "title", "url", "authors", "kind")
    return {name: value for name, value in fields.items() if value not in (None, [])}


@to_json.register
def _next(result: NextResult, *, zone: tzinfo) -> Json:
    """Return the suggestions, each with why it was chosen."""
    return [
        {**item_json(suggestion.view), "reason": suggestion_reason(suggestion, zone=zone)}
        for suggestion in result.suggestions
    ]


@to_json.register
def _list(result: ListResult, *, zone: tzinfo) -> Iterator[Json]:
    """Return the listed items in catalogue order, one at a time: there may be thousands."""
    return (item_json(view) for view in result.items)


@to_json.register
def _show(result: ShowResult, *, zone: tzinfo) -> Json:
    """Return one item with every field, the learner's notes and its history."""
    return {
        **item_json(result.view),
        **_fields(result.view.item, "summary", "publisher", "note"),
        **_fields(result.view.state, "notes"),
        "history": [_entry(entry) for entry in result.history],
    }


@to_json.register
def _search(result: SearchResult, *, zone: tzinfo) -> Json:
    """Return the hits with their score and the fields that matched."""
    return [
        {**item_json(hit.view), "score": hit.match.score, "matched": list(hit.match.fields)}
        for hit in result.hits
    ]


@to_json.register
def _change(result: ChangeResult, *, zone: tzinfo) -> Json:
    """Return the items changed and those left alone, with the reason."""
    return {
        "action": result.action,
        "changed": [item_json(view) for view in result.changed],
        "unchanged": [
            {**item_json(entry.view), "reason": refusal(result, entry, zone=zone)}
            for entry in result.unchanged
        ],
    }


def _tally(tally: Tally) -> Json:
    """Return counts and effort as plain numbers."""
    counts = _fields(tally, "done", "total", "in_progress", "skipped", "todo")
    effort = ("effort_done", "effort_left", "effort_skipped", "effort_total", "unknown_effort")
    return {**counts, "percent": round(100 * tally.fraction, 1), **_fields(tally, *effort)}


def _activity(activity: Activity) -> Json:
    """Return weeks, streaks, pace and the projected finish."""
    return {
        "weeks": [_fields(week, "start", "items", "effort") for week in activity.weeks],
        **_fields(activity, "current_streak", "longest_streak"),
        "pace": {
            "days": PACE_DAYS,
            "items_per_week": round(activity.items_per_week, 2),
            "effort_per_week": round(activity.effort_per_week, 1),
        },
        **_fields(activity, "finish_on"),
    }


@to_json.register
def _stats(result: StatsResult, *, zone: tzinfo) -> Json:
    """Return the overall figures, the activity and each section's figures."""
    return {
        "catalogue": result.catalogue,
        **_tally(result.overall),
        "activity": _activity(result.activity),
        "sections": _section_rows(result.sections),
    }


@to_json.register
def _sections(result: SectionsResult, *, zone: tzinfo) -> Json:
    """Return each section with its figures."""
    return _section_rows(result.sections)


def _section_rows(sections: Sequence[tuple[Section, Tally]]) -> Json:
    """Return each section with its figures, in catalogue order."""
    return [
        {**_fields(section, "id", "title", "part"), **_tally(tally)} for section, tally in sections
    ]


def _entry(entry: LogEntry) -> Json:
    """Return one history entry."""
    event = entry.event
    return {
        "event": event.id,
        **_fields(event, "at", "action", "item"),
        "title": entry.title,
        **_fields(event, "on", "note", "target"),
        **_fields(entry, "undone", "device"),
    }


@to_json.register(LogResult)
@to_json.register(UndoListResult)
def _entries(result: LogResult | UndoListResult, *, zone: tzinfo) -> Iterator[Json]:
    """Return history entries, newest first, one at a time: a page of the log, or all of it."""
    return (_entry(entry) for entry in result.entries)


@to_json.register
def _undo(result: UndoResult, *, zone: tzinfo) -> Json:
    """Return the reverted entry, or null."""
    return {"reverted": _entry(result.reverted) if result.reverted else None}


@to_json.register
def _open(result: OpenResult, *, zone: tzinfo) -> Json:
    """Return the addresses, whether a browser took them, and why not."""
    return {"id": result.item.id, **_fields(result, "urls", "opened", "reason")}


@to_json.register
def _export(result: ExportResult, *, zone: tzinfo) -> Json:
    """Return where the export was written."""
    return _fields(result, "written_to")


@to_json.register
def _import(result: ImportResult, *, zone: tzinfo) -> Json:
    """Return the counts and the ids of conflicting events."""
    return {
        **_fields(result, "source"),
        "added": len(result.added),
        **_fields(result, "already_present", "conflicting"),
    }


def _size(catalogue: Catalogue) -> Json:
    """Return how many sections and items a catalogue has."""
    return {"sections": len(catalogue.sections), "items": len(catalogue.items)}


@to_json.register
def _doctor(report: DoctorReport, *, zone: tzinfo) -> Json:
    """Return the health report."""
    paths = report.paths
    catalogue = report.catalogue
    return {
        "healthy": report.healthy,
        "files": {
            **_fields(paths, "data_dir", "store"),
            "progress": str(paths.progress_dir),
            **_fields(paths, "lock", "backups"),
            "catalogue": report.catalogue_source,
        },
        "catalogue": {
            "problems": list(report.catalogue_problems),
            "id": catalogue.id,
            "version": catalogue.header.version,
            **_size(catalogue),
        },
        "store": {
            "exists": report.store_exists,
            "problem": report.store_problem,
            "broken_files": [
                {"path": str(path), "problem": problem} for path, problem in report.broken_files
            ],
            **_fields(report, "events", "writable"),
        },
        "this_device": report.this_device,
        "devices": {
            device: _fields(seen, "files", "events", "newest")
            for device, seen in sorted(report.devices.items())
        },
        **_fields(report, "conflict_copies", "conflicting_ids"),
        "orphaned_ids": report.orphans,
        **_fields(report, "other_catalogues", "future_events"),
        "backups": [
            {
                **_fields(backup, "path", "modified"),
                "events": len(backup.store.events) if backup.store else None,
                "problem": backup.problem,
            }
            for backup in report.backups
        ],
    }


@to_json.register
def _restore(result: RestoreResult, *, zone: tzinfo) -> Json:
    """Return the restored backup, the file it went back to, and where that file was kept."""
    return {
        "restored": str(result.backup.path),
        "to": str(result.restored_to),
        **_fields(result, "previous_kept_at"),
    }


@to_json.register
def _sync(result: SyncResult, *, zone: tzinfo) -> Json:
    """Return what the sync did."""
    return _fields(result, "device", "committed", "pulled", "pushed")


@to_json.register
def _tidy(result: TidyResult, *, zone: tzinfo) -> Json:
    """Return the events merged from conflict copies and where each copy went."""
    return {
        "merged_events": result.merged_events,
        "moved": [{"from": str(source), "to": str(target)} for source, target in result.moved],
    }


@to_json.register
def _validation(result: ValidationResult, *, zone: tzinfo) -> Json:
    """Return what a valid catalogue holds."""
    catalogue = result.catalogue
    return {
        "source": result.source,
        "id": catalogue.id,
        "version": catalogue.header.version,
        **_size(catalogue),
        "effort": result.effort,
    }


@to_json.register
def _bundled(result: CatalogueListResult, *, zone: tzinfo) -> Json:
    """Return each bundled study path: its name, id, title and size."""
    return [
        {
            "name": entry.name,
            "id": entry.catalogue.id,
            "title": entry.catalogue.header.title,
            **_size(entry.catalogue),
        }
        for entry in result.catalogues
    ]


@to_json.register
def _starter(result: StarterResult, *, zone: tzinfo) -> Json:
    """Return where the starter was written."""
    return {"path": str(result.path), "id": result.catalogue_id}


@to_json.register
def _schema(result: SchemaResult, *, zone: tzinfo) -> Json:
    """Return the schema itself."""
    return result.schema
