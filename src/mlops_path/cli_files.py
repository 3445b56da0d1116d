"""The commands about files: catalogues, export, import and doctor.

No ``from __future__ import annotations``, as in every cli_*.py module (cli_app.py says why).
"""

import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from .cli_app import PANEL_CATALOGUE, PANEL_DATA, app, command, emit
from .cli_options import JsonOpt
from .completion import complete_formats
from .context import services_of
from .errors import MlopsPathError

__all__: list[str] = []


# --- catalogue ------------------------------------------------------------------------------


@command("sections", panel=PANEL_CATALOGUE, example="sections")
def sections(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the sections with their item counts."""
    emit(ctx, services_of(ctx).queries.sections(), as_json=as_json)


catalogue_app = typer.Typer(
    cls=TyperGroup,
    help="Write, check and describe catalogue files (your own study paths).",
    no_args_is_help=True,
)
app.add_typer(catalogue_app, name="catalogue", rich_help_panel=PANEL_CATALOGUE)


@command("validate", group=catalogue_app, example="catalogue validate my-path.toml")
def catalogue_validate(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="PATH", help="The catalogue file to check.")],
) -> None:
    """Check a catalogue file and list every problem at once, as file:line: field: problem."""
    from .loading import validate_file

    try:
        result = validate_file(path)
    except MlopsPathError as error:
        # The problems are this command's answer, so they go to stdout, one a line.
        from .terminal_text import printable

        sys.stdout.write("".join(printable(line) + "\n" for line in error.lines()))
        raise typer.Exit(1) from None
    emit(ctx, result)


@command("list", group=catalogue_app, example="catalogue list")
def catalogue_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the study paths shipped with mlops-path; pass a name to --catalogue to study one."""
    from .loading import bundled_catalogues

    emit(ctx, bundled_catalogues(), as_json=as_json)


@command("schema", group=catalogue_app, example="catalogue schema > catalogue.schema.json")
def catalogue_schema(ctx: typer.Context) -> None:
    """Print the JSON Schema of the catalogue format, for editors that check TOML."""
    from .loading import catalogue_schema

    emit(ctx, catalogue_schema(), as_json=True)


@command("new", group=catalogue_app, example="catalogue new rust-basics.toml")
def catalogue_new(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(metavar="PATH", help="Where to write it (must not exist).")
    ],
    catalogue_id: Annotated[
        str | None,
        typer.Option("--id", help="Its catalogue id; by default made from the file name."),
    ] = None,
) -> None:
    """Write a small, valid, commented catalogue to start your own study path from."""
    from .loading import write_starter

    emit(ctx, write_starter(path, catalogue_id=catalogue_id))


# --- data -----------------------------------------------------------------------------------


@command("export", panel=PANEL_DATA, example="export -o progress.md")
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="json (everything), csv or markdown (md); by default the file's extension "
            "says, else json.",
            autocompletion=complete_formats,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to this file, not stdout ('-': stdout)."
        ),
    ] = None,
) -> None:
    """Export your progress: JSON to move or back up, CSV or a Markdown checklist to read."""
    emit(ctx, services_of(ctx).export(fmt, output=output))


@command("import", panel=PANEL_DATA, example="import laptop-export.json")
def import_(
    ctx: typer.Context,
    source: Annotated[
        Path, typer.Argument(metavar="FILE", help="A JSON export, or another progress.toml.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Merge another machine's progress into yours; importing twice changes nothing."""
    emit(ctx, services_of(ctx).import_file(source), as_json=as_json)


@command("doctor", panel=PANEL_DATA, example="doctor --restore")
def doctor(
    ctx: typer.Context,
    restore: Annotated[
        bool,
        typer.Option(
            "--restore",
            help="Bring back the newest good backup of a broken progress file; "
            "the replaced file is kept, not deleted.",
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --restore: restore even a healthy file.")
    ] = False,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix", help="Merge sync tools' conflict copies, then keep them in backups/."
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Check the catalogue and your progress files, and show where every file lives."""
    services = services_of(ctx)
    if restore:
        emit(ctx, services.restore(force=force), as_json=as_json)
        return
    if fix:
        emit(ctx, services.tidy(), as_json=as_json)
        return
    report = services.doctor()
    emit(ctx, report, as_json=as_json)
    if not report.healthy:
        raise typer.Exit(1)


@command("sync", panel=PANEL_DATA, example="sync")
def sync(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Commit this device's progress to the data folder's git repository, pull, push."""
    emit(ctx, services_of(ctx).sync(), as_json=as_json)
