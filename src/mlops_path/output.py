"""Show a command's result: the one place that picks JSON or text, and the text form for it.

Each result type has one JSON form (json_forms.py) and one text form (text_study.py and
text_records.py); tests/test_result_contract.py checks that every result type has both.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Protocol, TextIO

if TYPE_CHECKING:
    from datetime import tzinfo

    from .screen import Screen

__all__ = ["TextForm", "render_result", "text_forms"]


class TextForm(Protocol):
    """Draw one result type as text; ``zone`` gives the local days and times it shows."""

    def __call__(self, result: Any, screen: Screen, /, *, zone: tzinfo) -> None:
        """Draw ``result`` on ``screen``."""


def render_result(
    result: object, *, as_json: bool, zone: tzinfo, stream: TextIO | None = None
) -> None:
    """Write ``result`` to ``stream`` (stdout by default) as JSON or as text for a reader."""
    out = stream or sys.stdout
    if as_json:
        from .json_forms import to_json
        from .terminal_text import write_json

        write_json(out, to_json(result, zone=zone))
        return
    from .screen import open_screen

    form = text_forms().get(type(result))
    if form is None:
        raise TypeError(f"no text form for {type(result).__name__}")
    form(result, open_screen(out), zone=zone)


def text_forms() -> dict[type, TextForm]:
    """Return the text form of each result type."""
    from . import results, text_records, text_study

    return {
        results.NextResult: text_study.render_next,
        results.ListResult: text_study.render_list,
        results.ShowResult: text_study.render_show,
        results.SearchResult: text_study.render_search,
        results.SectionsResult: text_study.render_sections,
        results.StatsResult: text_study.render_stats,
        results.OpenResult: text_study.render_open,
        results.ChangeResult: text_records.render_change,
        results.UndoResult: text_records.render_undo,
        results.UndoListResult: text_records.render_undo_list,
        results.LogResult: text_records.render_log,
        results.ExportResult: text_records.render_export,
        results.ImportResult: text_records.render_import,
        results.DoctorReport: text_records.render_doctor,
        results.RestoreResult: text_records.render_restore,
        results.ValidationResult: text_records.render_validation,
        results.StarterResult: text_records.render_starter,
        results.SchemaResult: text_records.render_schema,
        results.CatalogueListResult: text_records.render_bundled,
        results.SyncResult: text_records.render_sync,
        results.TidyResult: text_records.render_tidy,
    }
