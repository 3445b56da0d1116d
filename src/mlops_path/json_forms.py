"""Give every result its one JSON form: the shapes README.md documents and tests pin."""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import singledispatch
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
    from .catalogue import Link

__all__ = ["iso", "item_json", "to_json"]

Json = Any


def iso(moment: datetime | None) -> str | None:
    """Return a UTC moment as ISO 8601 with a Z, as JSON output shows times, or None."""
    return moment.isoformat().replace("+00:00", "Z") if moment else None


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
    fields = {
        "title": link.title,
        "url": link.url,
        "authors": list(link.authors),
        "kind": link.kind,
    }
    return {name: value for name, value in fields.items() if value not in (None, [])}


@to_json.register
def _next(result: NextResult, *, zone: tzinfo) -> Json:
    """Return the suggestions, each with why it was chosen."""
    return [
        {**item_json(suggestion.view), "reason": suggestion_reason(suggestion, zone=zone)}
        for suggestion in result.suggestions
    ]


@to_json.register
def _list(result: ListResult, *, zone: tzinfo) -> Json:
    """Return the listed items in catalogue order."""
    return [item_json(view) for view in result.items]


@to_json.register
def _show(result: ShowResult, *, zone: tzinfo) -> Json:
    """Return one item with every field, the learner's notes and its history."""
    item = result.view.item
    return {
        **item_json(result.view),
        "summary": item.summary,
        "publisher": item.publisher,
        "note": item.note,
        "notes": list(result.view.state.notes),
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
    return {
        "done": tally.done,
        "total": tally.total,
        "in_progress": tally.in_progress,
        "skipped": tally.skipped,
        "todo": tally.todo,
        "percent": round(100 * tally.fraction, 1),
        "effort_done": tally.effort_done,
        "effort_left": tally.effort_left,
        "effort_skipped": tally.effort_skipped,
        "effort_total": tally.effort_total,
        "unknown_effort": tally.unknown_effort,
    }


def _activity(activity: Activity) -> Json:
    """Return weeks, streaks, pace and the projected finish."""
    return {
        "weeks": [
            {"start": week.start.isoformat(), "items": week.items, "effort": week.effort}
            for week in activity.weeks
        ],
        "current_streak": activity.current_streak,
        "longest_streak": activity.longest_streak,
        "pace": {
            "days": PACE_DAYS,
            "items_per_week": round(activity.items_per_week, 2),
            "effort_per_week": round(activity.effort_per_week, 1),
        },
        "finish_on": activity.finish_on.isoformat() if activity.finish_on else None,
    }


@to_json.register
def _stats(result: StatsResult, *, zone: tzinfo) -> Json:
    """Return the overall figures, the activity and each section's figures."""
    return {
        "catalogue": result.catalogue,
        **_tally(result.overall),
        "activity": _activity(result.activity),
        "sections": _sections(SectionsResult(sections=result.sections), zone=zone),
    }


@to_json.register
def _sections(result: SectionsResult, *, zone: tzinfo) -> Json:
    """Return each section with its figures."""
    return [
        {"id": section.id, "title": section.title, "part": section.part, **_tally(tally)}
        for section, tally in result.sections
    ]


def _entry(entry: LogEntry) -> Json:
    """Return one history entry."""
    event = entry.event
    return {
        "event": event.id,
        "at": iso(event.at),
        "action": event.action,
        "item": event.item,
        "title": entry.title,
        "on": iso(event.on),
        "note": event.note,
        "target": event.target,
        "undone": entry.undone,
        "device": entry.device,
    }


@to_json.register
def _log(result: LogResult, *, zone: tzinfo) -> Json:
    """Return the history entries, newest first."""
    return [_entry(entry) for entry in result.entries]


@to_json.register
def _undo_list(result: UndoListResult, *, zone: tzinfo) -> Json:
    """Return what undo would revert, newest first."""
    return [_entry(entry) for entry in result.entries]


@to_json.register
def _undo(result: UndoResult, *, zone: tzinfo) -> Json:
    """Return the reverted entry, or null."""
    return {"reverted": _entry(result.reverted) if result.reverted else None}


@to_json.register
def _open(result: OpenResult, *, zone: tzinfo) -> Json:
    """Return the addresses, whether a browser took them, and why not."""
    return {
        "id": result.item.id,
        "urls": list(result.urls),
        "opened": result.opened,
        "reason": result.reason,
    }


@to_json.register
def _export(result: ExportResult, *, zone: tzinfo) -> Json:
    """Return where the export was written."""
    return {"written_to": str(result.written_to) if result.written_to else None}


@to_json.register
def _import(result: ImportResult, *, zone: tzinfo) -> Json:
    """Return the counts and the ids of conflicting events."""
    return {
        "source": str(result.source),
        "added": len(result.added),
        "already_present": result.already_present,
        "conflicting": list(result.conflicting),
    }


@to_json.register
def _doctor(report: DoctorReport, *, zone: tzinfo) -> Json:
    """Return the health report."""
    paths = report.paths
    return {
        "healthy": report.healthy,
        "files": {
            "data_dir": str(paths.data_dir),
            "store": str(paths.store),
            "progress": str(paths.progress_dir),
            "lock": str(paths.lock),
            "backups": str(paths.backups),
            "catalogue": report.catalogue_source,
        },
        "catalogue": {
            "problems": list(report.catalogue_problems),
            "id": report.catalogue.id,
            "version": report.catalogue.header.version,
            "sections": len(report.catalogue.sections),
            "items": len(report.catalogue.items),
        },
        "store": {
            "exists": report.store_exists,
            "problem": report.store_problem,
            "broken_files": [
                {"path": str(path), "problem": problem} for path, problem in report.broken_files
            ],
            "events": report.events,
            "writable": report.writable,
        },
        "this_device": report.this_device,
        "devices": {
            device: {"files": d.files, "events": d.events, "newest": iso(d.newest)}
            for device, d in sorted(report.devices.items())
        },
        "conflict_copies": [str(path) for path in report.conflict_copies],
        "conflicting_ids": list(report.conflicting_ids),
        "orphaned_ids": report.orphans,
        "other_catalogues": report.other_catalogues,
        "future_events": report.future_events,
        "backups": [
            {
                "path": str(backup.path),
                "modified": iso(backup.modified),
                "events": len(backup.store.events) if backup.store else None,
                "problem": backup.problem,
            }
            for backup in report.backups
        ],
    }


@to_json.register
def _restore(result: RestoreResult, *, zone: tzinfo) -> Json:
    """Return the restored backup, the file it went back to, and where that file was kept."""
    kept = result.previous_kept_at
    return {
        "restored": str(result.backup.path),
        "to": str(result.restored_to),
        "previous_kept_at": str(kept) if kept else None,
    }


@to_json.register
def _sync(result: SyncResult, *, zone: tzinfo) -> Json:
    """Return what the sync did."""
    return {
        "device": result.device,
        "committed": result.committed,
        "pulled": result.pulled,
        "pushed": result.pushed,
    }


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
        "sections": len(catalogue.sections),
        "items": len(catalogue.items),
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
            "sections": len(entry.catalogue.sections),
            "items": len(entry.catalogue.items),
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
