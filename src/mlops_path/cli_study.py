"""The commands that answer what to study and record progress: the Study and Record panels.

No ``from __future__ import annotations``, as in every cli_*.py module (cli_app.py says why).
"""

from typing import Annotated

import typer

# Imported for its effect: it registers the `config` commands on the app.
from . import cli_config  # noqa: F401
from .cli_app import PANEL_READ, PANEL_RECORD, PANEL_STUDY, command, emit
from .cli_options import (
    ItemId,
    ItemIds,
    JsonOpt,
    KindOpt,
    SectionOpt,
    StatusOpt,
    count_option,
    date_option,
    text_option,
)
from .context import services_of

__all__: list[str] = []

#: How many entries `log` shows unless given -n or --all.
LOG_PAGE = 20


# --- study ----------------------------------------------------------------------------------


@command("next", panel=PANEL_STUDY, example="next -n 3 --section overview --time 1h")
def next_(
    ctx: typer.Context,
    *,
    section: SectionOpt = None,
    kind: KindOpt = None,
    number: Annotated[int, count_option(help="How many items to show.")] = 1,
    time: Annotated[
        str | None,
        typer.Option(
            "--time",
            "-t",
            metavar="DURATION",
            help="Only what fits in this time: 45m, 1h, 1h30m, 90.",
        ),
    ] = None,
    optional: Annotated[
        bool, typer.Option("--optional", help="Suggest optional items too.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Show what to study now, and why: items in progress, then the next in the path's order."""
    from .inputs import parse_minutes

    budget = parse_minutes(time) if time is not None else None
    result = services_of(ctx).queries.suggest_next(
        section=section, kind=kind, limit=number, budget=budget, include_optional=optional
    )
    emit(ctx, result, as_json=as_json)


@command("list", panel=PANEL_STUDY, example="list --section advanced --status todo")
def list_(
    ctx: typer.Context,
    section: SectionOpt = None,
    kind: KindOpt = None,
    status: StatusOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List the items, grouped by section, with a status mark each."""
    result = services_of(ctx).queries.list_items(section=section, kind=kind, status=status)
    emit(ctx, result, as_json=as_json)


@command("show", panel=PANEL_STUDY, example="show rlhf")
def show(ctx: typer.Context, item_id: ItemId, as_json: JsonOpt = False) -> None:
    """Show everything about one item, with your notes and its history."""
    emit(ctx, services_of(ctx).queries.show(item_id), as_json=as_json)


@command("search", panel=PANEL_STUDY, example="search feature platforms")
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str], typer.Argument(metavar="TEXT...", help="Words to find, in any order.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Find items whose words are all in their title, authors, summary, links or your notes."""
    emit(ctx, services_of(ctx).queries.search(" ".join(words)), as_json=as_json)


@command("open", panel=PANEL_STUDY, example="open rlhf --all")
def open_(
    ctx: typer.Context,
    item_id: ItemId,
    print_only: Annotated[
        bool, typer.Option("--print", help="Print the addresses instead of opening them.")
    ] = False,
    every: Annotated[
        bool, typer.Option("--all", help="Every address of the item: its links too.")
    ] = False,
) -> None:
    """Open an item's address in your browser (set BROWSER to choose which), or print it."""
    from .browser import open_addresses

    item, urls = services_of(ctx).queries.addresses(item_id, every=every)
    emit(ctx, open_addresses(item, urls, print_only=print_only))


# --- progress -------------------------------------------------------------------------------


@command(
    "done", panel=PANEL_RECORD, example="done rules-of-ml --note 'rule 4 is gold' --on 2026-11-20"
)
def done(
    ctx: typer.Context,
    item_ids: ItemIds,
    note: Annotated[str | None, text_option("--note", help="A note to keep with it.")] = None,
    on: Annotated[
        str | None,
        date_option(
            "--on", help="The local day you finished it (YYYY-MM-DD or yesterday), if not today."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that you finished one or more items."""
    from .inputs import parse_moment

    services = services_of(ctx)
    moment = (
        parse_moment(on, option="--on", now=services.clock(), zone=services.zone) if on else None
    )
    emit(ctx, services.changes.mark_done(item_ids, note=note, on=moment), as_json=as_json)


#: The commands that record a change on the items named and take nothing else: their help.
PLAIN_CHANGES = {
    "start": "Mark items as in progress; `next` shows them first.",
    "reset": "Put items back to to-do (the history keeps what happened).",
}


def plain_change(ctx: typer.Context, item_ids: ItemIds, as_json: JsonOpt = False) -> None:
    """Record the change the command is named after (start or reset) on each item named."""
    changes = services_of(ctx).changes
    change = changes.start if ctx.command.name == "start" else changes.reset
    emit(ctx, change(item_ids), as_json=as_json)


for _name, _help in PLAIN_CHANGES.items():
    command(_name, panel=PANEL_RECORD, example=f"{_name} rlhf", help=_help)(plain_change)


@command("skip", panel=PANEL_RECORD, example="skip murphy-mlpp --reason 'read it at university'")
def skip(
    ctx: typer.Context,
    item_ids: ItemIds,
    reason: Annotated[str | None, text_option("--reason", help="Why, for later.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Leave items out of `next`; they are not counted as done."""
    emit(ctx, services_of(ctx).changes.skip(item_ids, reason=reason), as_json=as_json)


@command("note", panel=PANEL_RECORD, example="note rlhf 'compare with DPO next'")
def note(
    ctx: typer.Context,
    item_id: ItemId,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The note.")],
    as_json: JsonOpt = False,
) -> None:
    """Keep a note with an item; `show` lists them."""
    emit(ctx, services_of(ctx).changes.add_note(item_id, text), as_json=as_json)


@command("undo", panel=PANEL_RECORD, example="undo --list")
def undo(
    ctx: typer.Context,
    list_only: Annotated[
        bool, typer.Option("--list", help="Only show what undo would revert, newest first.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Revert your latest change; run it again to go further back."""
    services = services_of(ctx)
    result = services.queries.undoable() if list_only else services.changes.undo()
    emit(ctx, result, as_json=as_json)


@command("log", panel=PANEL_READ, example="log --since 2026-11-01 --until 2026-11-08 --all")
def log(
    ctx: typer.Context,
    *,
    since: Annotated[
        str | None, date_option("--since", help="Only from this local day (YYYY-MM-DD) on.")
    ] = None,
    until: Annotated[
        str | None, date_option("--until", help="Only before this local day (YYYY-MM-DD).")
    ] = None,
    number: Annotated[int, count_option(help="How many of the latest entries to show.")] = LOG_PAGE,
    show_all: Annotated[bool, typer.Option("--all", help="Show every entry in range.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Show your activity, newest first: the latest 20 entries unless told otherwise."""
    from .inputs import parse_moment

    services = services_of(ctx)
    now, zone = services.clock(), services.zone
    result = services.queries.log(
        since=parse_moment(since, option="--since", now=now, zone=zone) if since else None,
        until=parse_moment(until, option="--until", now=now, zone=zone) if until else None,
        limit=None if show_all else number,
    )
    emit(ctx, result, as_json=as_json)


@command("stats", panel=PANEL_READ, example="stats --json")
def stats(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show how far along you are, overall and per section."""
    emit(ctx, services_of(ctx).queries.stats(), as_json=as_json)
