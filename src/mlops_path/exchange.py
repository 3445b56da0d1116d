"""Write the learner's progress as JSON, CSV or Markdown, and read exports back in."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Literal, get_args

from pydantic import ValidationError

from .catalogue import effort_label
from .errors import MlopsPathError
from .events import Event, parse_progress, validate_events
from .json_forms import iso, item_json
from .progress import chronological
from .queries import Queries
from .results import ItemView
from .terminal_text import dumps_json, printable

__all__ = [
    "EXPORT_FORMATS",
    "ImportFileError",
    "event_json",
    "export_text",
    "read_events",
    "write_export",
]

ExportFormat = Literal["json", "csv", "markdown"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)
#: Identifies an mlops-path export; bump ``EXPORT_VERSION`` when its shape changes.
EXPORT_KIND = "mlops-path-export"
EXPORT_VERSION = 1


class ImportFileError(MlopsPathError):
    """Report a file that is neither an mlops-path export nor a progress store."""


def export_text(queries: Queries, fmt: str, *, now: datetime, zone: tzinfo) -> str:
    """Return the learner's progress in one of the export formats (any case; md: markdown).

    JSON and CSV keep UTC times; the Markdown checklist, written for reading, gives the
    learner's local days.
    """
    from dataclasses import replace

    from .choices import FORMAT_ALIASES, pick
    from .localtime import local

    fmt = pick(fmt, names=EXPORT_FORMATS, what="format", aliases=FORMAT_ALIASES)
    views = queries.list_items().items
    if fmt == "json":
        return _export_json(queries, views, now)
    if fmt == "csv":
        return _export_csv(views)
    local_views = [
        replace(view, state=replace(view.state, done_at=local(view.state.done_at, zone=zone)))
        if view.state.done_at
        else view
        for view in views
    ]
    return _export_markdown(queries, local_views, local(now, zone=zone))


def write_export(path: Path, text: str) -> None:
    """Write an export file atomically, so a failed export never leaves half a file.

    A new file gets the umask's permissions; a file replaced keeps its mode.
    """
    from .files import atomic_write

    try:
        atomic_write(path, text.encode("utf-8"), private=False)
    except OSError as error:
        raise MlopsPathError(f"cannot write {path}: {error.strerror or error}") from None


def read_events(path: Path) -> list[Event]:
    """Return the events in a JSON export or a TOML store file."""
    from .files import IMPORT_CAP, read_regular_file, reason

    try:
        data = read_regular_file(path, cap=IMPORT_CAP)
    except OSError as error:
        raise ImportFileError(f"cannot read {path}: {reason(error)}") from None
    data = data.removeprefix(codecs.BOM_UTF8)  # as Notepad saves: not part of the text
    if data.lstrip()[:1] == b"{":
        return _events_from_export(data, path)
    try:
        store = parse_progress(data, path=path)
    except MlopsPathError as error:
        raise ImportFileError(
            f"{path} is neither an mlops-path JSON export nor a progress store: {error.message}"
        ) from None
    return list(store.events)


def _events_from_export(data: bytes, path: Path) -> list[Event]:
    """Return the events of a JSON export, checking its format and version."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFileError(f"{path} is not valid JSON: {error}") from None
    except RecursionError:
        raise ImportFileError(f"{path} is not valid JSON: values nest too deeply") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_KIND:
        raise ImportFileError(f"{path} is not an mlops-path export (no format {EXPORT_KIND!r})")
    version = document.get("version")
    if not isinstance(version, int) or version > EXPORT_VERSION:
        raise ImportFileError(
            f"{path} is export version {version!r}; this mlops-path reads up to {EXPORT_VERSION}"
        )
    try:
        events = validate_events(document.get("events"))
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ImportFileError(f"{path}: events.{where}: {first['msg']}") from None
    ids = [event.id for event in events]
    if len(ids) != len(set(ids)):
        raise ImportFileError(f"{path}: the export repeats event ids")
    return events


def _export_json(queries: Queries, views: Sequence[ItemView], moment: datetime) -> str:
    """Return the whole event log and the derived state as JSON."""
    header = queries.catalogue.header
    document = {
        "format": EXPORT_KIND,
        "version": EXPORT_VERSION,
        "exported_at": iso(moment),
        "catalogue": {"id": header.id, "title": header.title, "version": header.version},
        "items": [{**item_json(view), "notes": list(view.state.notes)} for view in views],
        "events": [event_json(event) for event in chronological(queries.events())],
    }
    return dumps_json(document) + "\n"


CSV_COLUMNS = ["position", "id", "section", "kind", "title", "status", "done_at", "effort", "url"]


#: What a spreadsheet takes as the start of a formula (OWASP's list, tab and CR included).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _export_csv(views: Sequence[ItemView]) -> str:
    """Return one CSV row per item, every text cell safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, "links", "notes"])
    for view in views:
        row = item_json(view)
        links = " | ".join(f"{link.title}: {link.url}" for link in view.item.links)
        cells = [row[column] for column in CSV_COLUMNS] + [links, " | ".join(view.state.notes)]
        writer.writerow([_csv_cell(cell) for cell in cells])
    return buffer.getvalue()


def _csv_cell(value: object) -> str:
    """Return a cell's text on one line, with a leading quote where it would start a formula."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value)
    text = printable(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _export_markdown(queries: Queries, views: Sequence[ItemView], moment: datetime) -> str:
    """Return the path as a Markdown checklist, sections as headings; data is never markup."""
    header = queries.catalogue.header
    done = sum(1 for view in views if view.status == "done")
    lines = [f"# {_md(header.title)}", ""]
    if header.source:
        lines += [f"Source: {_md_link(header.source, header.source)}", ""]
    lines += [f"Progress on {moment.date().isoformat()}: {done}/{len(views)} done.", ""]
    for section in queries.catalogue.sections:
        lines += [f"## {_md(section.label)}", ""]
        for view in (v for v in views if v.item.section == section.id):
            lines.append(_checklist_line(view))
        lines.append("")
    return "\n".join(lines)


def _checklist_line(view: ItemView) -> str:
    """Return one item as a checklist line, with its link and date."""
    item = view.item
    linked = _md_link(item.title, item.url)
    box = "x" if view.status == "done" else " "
    extra = [effort_label(item.effort)]
    if view.status == "done" and view.state.done_at:
        extra.append(f"done {view.state.done_at.date().isoformat()}")
    elif view.status == "in-progress":
        extra.append("in progress")
    elif view.status == "skipped":
        linked = f"~~{linked}~~"
        reason = view.state.skip_reason
        extra.append(f"skipped: {_md(reason)}" if reason else "skipped")
    line = f"- [{box}] {linked} ({', '.join(extra)})"
    for link in item.links:
        line += f"\n  - see also: {_md_link(link.title, link.url)}"
    return line


#: Characters with a meaning inside a Markdown line, escaped with a backslash in data. Data
#: never starts a line (it follows "- [ ] " or "## "), so block markers need no escape.
_MARKDOWN_SPECIAL = frozenset("\\`*_[]()!|~")
#: HTML is written as entities, so no tag in a title or note ever runs.
_HTML_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;"}


def _md(text: str) -> str:
    """Return data as Markdown text: one line, no markup, no HTML, no control characters."""
    return "".join(
        _HTML_ENTITIES.get(ch) or (f"\\{ch}" if ch in _MARKDOWN_SPECIAL else ch)
        for ch in printable(text)
    )


def _md_link(text: str, url: str | None) -> str:
    """Return a link to ``url`` when it is a web address, else the text alone."""
    from .addresses import unsafe_url_reason

    if not url or unsafe_url_reason(url):
        return _md(text)
    target = "".join(f"%{ord(ch):02X}" if ch in "()<>" else ch for ch in url)
    return f"[{_md(text)}](<{target}>)"


def event_json(event: Event) -> dict[str, object]:
    """Return an event as an export holds it: every field that has a value, times in UTC."""
    fields = {
        "id": event.id,
        "catalogue": event.catalogue,
        "item": event.item,
        "action": event.action,
        "at": iso(event.at),
        "on": iso(event.on),
        "note": event.note,
        "target": event.target,
    }
    return {name: value for name, value in fields.items() if value is not None}
