"""Declare once the options and arguments that several commands take.

No ``from __future__ import annotations``, as in every cli_*.py module (cli_app.py says why).
"""

from typing import Annotated, Any

import typer

from .completion import complete_item_ids, complete_kinds, complete_sections, complete_statuses
from .inputs import whole_number

__all__ = [
    "ItemId",
    "ItemIds",
    "JsonOpt",
    "KindOpt",
    "SectionOpt",
    "StatusOpt",
    "count_option",
    "date_option",
    "text_option",
]

SectionOpt = Annotated[
    str | None,
    typer.Option(
        "--section",
        "-s",
        help="Only this section (see `sections`).",
        autocompletion=complete_sections,
    ),
]
KindOpt = Annotated[
    str | None,
    typer.Option("--kind", "-k", help="Only this kind, e.g. video.", autocompletion=complete_kinds),
]
StatusOpt = Annotated[
    str | None,
    typer.Option(
        "--status",
        metavar="STATUS",
        help="Only this status: todo, in-progress, done or skipped.",
        autocompletion=complete_statuses,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (see README) instead of text.")]
ItemIds = Annotated[
    list[str],
    typer.Argument(
        metavar="ID...",
        help="Item ids, or unique prefixes of them.",
        autocompletion=complete_item_ids,
    ),
]
ItemId = Annotated[
    str,
    typer.Argument(
        metavar="ID", help="An item id or unique prefix.", autocompletion=complete_item_ids
    ),
]


def text_option(flag: str, *, help: str) -> Any:
    """Return an option that takes a line of the learner's own words, shown as TEXT."""
    return typer.Option(flag, metavar="TEXT", help=help)


def date_option(flag: str, *, help: str) -> Any:
    """Return an option that takes a local day or an ISO 8601 time, shown as DATE."""
    return typer.Option(flag, metavar="DATE", help=help)


def count_option(*, help: str) -> Any:
    """Return -n/--number: how many entries to show, a whole number."""
    return typer.Option("-n", "--number", metavar="N", parser=whole_number, help=help)
