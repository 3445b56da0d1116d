"""Parse the command line, call one tracker method, render its result, exit.

Every expected failure is an ``MlopsPathError`` or a click usage error; ``StudyGroup.main`` is
the one place that turns them into a line on stderr and an exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup
from typer.exceptions import Abort

from . import __version__
from .errors import MlopsPathError

if TYPE_CHECKING:
    from .tracker import Tracker

PROG = "mlops-path"


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
            for line in error.lines():
                _fail_line(line, hint=error.hint if line == error.lines()[-1] else None)
            sys.exit(error.exit_code)
        except NoArgsIsHelpError as error:
            error.show()
            sys.exit(error.exit_code)
        except UsageError as error:
            command = error.ctx.command_path if error.ctx else PROG
            _fail_line(error.format_message().rstrip("."), hint=f"see '{command} --help'")
            sys.exit(error.exit_code)
        except ClickException as error:
            _fail_line(error.format_message())
            sys.exit(error.exit_code)
        except Abort:
            _fail_line("aborted")
            sys.exit(130)
        sys.exit(status if isinstance(status, int) else 0)


def _fail_line(message: str, *, hint: str | None = None) -> None:
    suffix = f"; {hint}" if hint else ""
    sys.stderr.write(f"{PROG}: error: {message}{suffix}\n")


app = typer.Typer(
    cls=StudyGroup,
    name=PROG,
    help="Track your way through the MLOps guide from the terminal.",
    epilog="Start with: mlops-path next",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"{PROG} {__version__}\n")
        raise typer.Exit


@app.callback()
def _root(
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


def _tracker(ctx: typer.Context) -> Tracker:
    """Return the tracker the caller passed in, or the default: bundled guide, default store."""
    from .tracker import Tracker

    if isinstance(ctx.obj, Tracker):
        return ctx.obj
    from .catalogue import load_catalogue
    from .paths import resolve_paths
    from .store import ProgressStore

    paths = resolve_paths()
    tracker = Tracker(
        catalogue=load_catalogue(), store=ProgressStore(path=paths.store, lock_path=paths.lock)
    )
    ctx.obj = tracker
    return tracker


def _screen() -> Any:
    from .screen import open_screen

    return open_screen(sys.stdout)


SectionOpt = Annotated[
    str | None, typer.Option("--section", "-s", help="Only this section (see `sections`).")
]
KindOpt = Annotated[str | None, typer.Option("--kind", "-k", help="Only this kind, e.g. video.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (see README) instead of text.")]


@app.command("next", epilog="Example: mlops-path next -n 3 --section overview")
def next_(
    ctx: typer.Context,
    section: SectionOpt = None,
    kind: KindOpt = None,
    number: Annotated[int, typer.Option("-n", "--number", help="How many items to show.")] = 1,
    as_json: JsonOpt = False,
) -> None:
    """Show what to study now: the first open items, in the guide's order."""
    result = _tracker(ctx).suggest_next(section=section, kind=kind, limit=number)
    if as_json:
        from .render import write_json

        write_json(sys.stdout, [view.to_json() for view in result.items])
        return
    from .render import render_next

    render_next(_screen(), result)


@app.command("list", epilog="Example: mlops-path list --section advanced --status todo")
def list_(
    ctx: typer.Context,
    section: SectionOpt = None,
    kind: KindOpt = None,
    status: Annotated[
        str | None, typer.Option("--status", help="Only items with this status: todo or done.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the items, grouped by section, with a status mark each."""
    result = _tracker(ctx).list_items(section=section, kind=kind, status=status)
    if as_json:
        from .render import write_json

        write_json(sys.stdout, [view.to_json() for view in result.items])
        return
    from .render import render_list

    render_list(_screen(), result)


@app.command("done", epilog="Example: mlops-path done rules-of-ml --note 'rule 4 is gold'")
def done(
    ctx: typer.Context,
    item_ids: Annotated[
        list[str], typer.Argument(metavar="ID...", help="Item ids, or unique prefixes of them.")
    ],
    note: Annotated[str | None, typer.Option("--note", help="A note to keep with it.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that you finished one or more items."""
    result = _tracker(ctx).mark_done(item_ids, note=note)
    if as_json:
        from .render import write_json

        write_json(
            sys.stdout,
            {
                "recorded": [view.to_json() for view in result.recorded],
                "already_done": [view.to_json() for view in result.already_done],
            },
        )
        return
    from .render import render_done

    render_done(_screen(), result)


@app.command("stats", epilog="Example: mlops-path stats --json | jq .percent")
def stats(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show how far along you are, overall and per section."""
    result = _tracker(ctx).stats()
    if as_json:
        from .render import write_json

        write_json(sys.stdout, result.to_json())
        return
    from .render import render_stats

    render_stats(_screen(), result)


@app.command("show", epilog="Example: mlops-path show rlhf")
def show(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID", help="An item id or unique prefix.")],
    as_json: JsonOpt = False,
) -> None:
    """Show everything about one item."""
    view = _tracker(ctx).show(item_id)
    if as_json:
        from .render import show_json, write_json

        write_json(sys.stdout, show_json(view))
        return
    from .render import render_show

    render_show(_screen(), view)


@app.command("sections", epilog="Example: mlops-path sections")
def sections(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the sections with their item counts."""
    result = _tracker(ctx).stats()
    if as_json:
        from .render import write_json

        write_json(sys.stdout, result.to_json()["sections"])
        return
    from .render import render_sections

    render_sections(_screen(), result)


def main() -> NoReturn:
    """Run the mlops-path command line."""
    typer.main.get_command(app).main(prog_name=PROG)
    raise AssertionError("unreachable: StudyGroup.main always exits")  # pragma: no cover
