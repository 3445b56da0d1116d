"""Define the Typer app: its one error handler, the root options, and the shared options.

Every expected failure is an ``MlopsPathError`` or a Typer usage error; ``StudyGroup.main`` is
the one place that turns them into a line on stderr and an exit code.

There is no ``from __future__ import annotations`` here: Typer reads every command's
annotations at each start, and string annotations cost it an ``eval`` each (building the
command tree took 7.5 ms with them and 2.9 ms without; see docs/performance.md).
"""

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from . import __version__
from .completion import complete_item_ids, complete_kinds, complete_sections
from .errors import MlopsPathError
from .paths import CATALOGUE_ENV

__all__ = ["PROG", "ItemId", "ItemIds", "JsonOpt", "KindOpt", "SectionOpt", "app", "emit"]

PROG = "mlops-path"
PANEL_STUDY, PANEL_RECORD = "Study", "Record progress"
PANEL_CATALOGUE, PANEL_DATA = "Catalogue", "Your data"


class StudyGroup(TyperGroup):
    """A Typer group whose errors are one line on stderr, never a traceback or a panel."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        """Run the command line and exit with its status."""
        try:
            status = super().main(
                args=args,
                prog_name=prog_name or PROG,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except MlopsPathError as error:
            lines = error.lines()
            for line in lines[:-1]:
                _fail_line(line)
            _fail_line(lines[-1], hint=error.hint)
            sys.exit(error.exit_code)
        except typer.TyperException as error:  # Typer's usage and parameter errors
            usage = getattr(error, "ctx", None)
            hint = f"see '{usage.command_path} --help'" if usage is not None else None
            _fail_line(error.format_message().rstrip("."), hint=hint)
            sys.exit(error.exit_code)
        except typer.Abort:
            _fail_line("aborted")
            sys.exit(130)
        sys.exit(status if isinstance(status, int) else 0)


def _fail_line(message: str, *, hint: str | None = None) -> None:
    """Write one error line to stderr, with the hint after a semicolon.

    Messages quote names from files and the command line, so they pass the same escaping as
    every other output: one line, no control characters.
    """
    from .terminal_text import printable

    suffix = f"; {hint}" if hint else ""
    sys.stderr.write(printable(f"{PROG}: error: {message}{suffix}") + "\n")


def emit(result: object, *, as_json: bool = False) -> None:
    """Write a command's result as JSON or text."""
    from .output import render_result

    render_result(result, as_json=as_json)


app = typer.Typer(
    cls=StudyGroup,
    name=PROG,
    help="Track your way through the MLOps guide from the terminal.",
    epilog="Start with: mlops-path next",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    """Print the version and stop, when --version is given."""
    if value:
        sys.stdout.write(f"{PROG} {__version__}\n")
        raise typer.Exit


@app.callback()
def _root(
    ctx: typer.Context,
    catalogue: Annotated[
        Path | None,
        typer.Option(
            "--catalogue",
            "-c",
            envvar=CATALOGUE_ENV,
            help="Study this catalogue file instead of the bundled MLOps guide.",
            show_envvar=True,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Track your way through the MLOps guide from the terminal.

    Progress lives in one TOML file in your user data folder (set MLOPS_PATH_DATA_DIR to move it).
    """
    if ctx.invoked_subcommand is None:
        sys.stdout.write(
            f"{PROG}: a study tracker for the MLOps guide, or any study path.\n\n"
            f"  Start here:    {PROG} next\n"
            f"  Every command: {PROG} --help\n"
        )


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
