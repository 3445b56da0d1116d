"""Parse the command line, call one domain function, render its result, exit.

Every expected failure is an ``MlopsPathError`` or a click usage error; ``StudyGroup.main`` is
the one place that turns them into a line on stderr and an exit code. Modules beyond Typer are
imported inside the commands, so each command loads only what it uses.

There is no ``from __future__ import annotations`` here: Typer reads every command's
annotations at each start, and string annotations cost it an ``eval`` each (building the
command tree took 7.5 ms with them and 2.9 ms without; see docs/performance.md).
"""

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup
from typer.exceptions import Abort

from . import __version__
from .errors import InvalidValueError, MlopsPathError
from .paths import CATALOGUE_ENV

if TYPE_CHECKING:
    from .cache import ReadCache
    from .catalogue import Catalogue
    from .paths import DataPaths
    from .screen import Screen
    from .store import ProgressStore
    from .tracker import Tracker

PROG = "mlops-path"
STUDY, PROGRESS, CATALOGUE, DATA = "Study", "Record progress", "Catalogue", "Your data"


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
    """Write one error line to stderr, with the hint after a semicolon."""
    suffix = f"; {hint}" if hint else ""
    sys.stderr.write(f"{PROG}: error: {message}{suffix}\n")


@dataclass(frozen=True, slots=True, kw_only=True)
class Services:
    """What the commands work on; tests pass their own as ``obj`` to the runner."""

    paths: "DataPaths"
    catalogue: "Catalogue"
    catalogue_source: str
    store: "ProgressStore"
    cache: "ReadCache | None" = None
    clock: Callable[[], datetime] | None = None

    @property
    def tracker(self) -> "Tracker":
        """Return a tracker over this catalogue and store (and clock, when one is fixed)."""
        from .cache import ReadCache
        from .progress import utc_now
        from .tracker import Tracker

        return Tracker(
            catalogue=self.catalogue,
            store=self.store,
            cache=self.cache or ReadCache(None),
            clock=self.clock or utc_now,
        )


def default_services(catalogue_path: Path | None = None) -> "Services":
    """Build the services: the given catalogue (or the bundled guide), default data folder."""
    from .cache import ReadCache
    from .loading import bundled_source, load_catalogue
    from .paths import resolve_paths
    from .store import ProgressStore

    paths = resolve_paths()
    cache = ReadCache(paths.cache_dir)
    return Services(
        paths=paths,
        catalogue=load_catalogue(catalogue_path, cache=cache),
        catalogue_source=str(catalogue_path) if catalogue_path else bundled_source(),
        store=ProgressStore(
            path=paths.store, lock_path=paths.lock, backup_dir=paths.backups, cache=cache
        ),
        cache=cache,
    )


def _services(ctx: typer.Context) -> "Services":
    """Return the services passed in by the caller, or build the default ones once."""
    root = ctx.find_root()
    if not isinstance(root.obj, Services):
        root.obj = default_services(root.params.get("catalogue"))
    return root.obj


def _tracker(ctx: typer.Context) -> "Tracker":
    """Return the tracker for this run."""
    return _services(ctx).tracker


def _screen() -> "Screen":
    """Return the screen that suits stdout: rich in a colour terminal, else plain."""
    from .screen import open_screen

    return open_screen(sys.stdout)


def _json(data: object) -> None:
    """Print ``data`` as JSON on stdout."""
    from .render import write_json

    write_json(sys.stdout, data)


def parse_minutes(text: str) -> int:
    """Read a duration: ``45m``, ``1h``, ``1h30m``, or a bare number of minutes."""
    match = re.fullmatch(r"\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m?)?\s*", text.lower())
    if not text.strip() or not match or not any(match.groups()):
        raise InvalidValueError(f"--time {text!r} is not a duration; use e.g. 45m, 1h, 1h30m, 90")
    hours, minutes = (int(part) if part else 0 for part in match.groups())
    return hours * 60 + minutes


def parse_moment(text: str, *, option: str) -> datetime:
    """Read a date (YYYY-MM-DD, taken as midnight UTC) or an ISO 8601 date and time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidValueError(
            f"{option} {text!r} is not a date; use YYYY-MM-DD or an ISO 8601 time"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


app = typer.Typer(
    cls=StudyGroup,
    name=PROG,
    help="Track your way through the MLOps guide from the terminal.",
    epilog="Start with: mlops-path next",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    """Print the version and stop, when --version is given."""
    if value:
        sys.stdout.write(f"{PROG} {__version__}\n")
        raise typer.Exit


@app.callback()
def _root(
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


def _completion_catalogue(ctx: typer.Context) -> "Catalogue | None":
    """Return the catalogue for completion, or None: completion must never fail loudly."""
    try:
        return _services(ctx).catalogue
    except MlopsPathError:
        return None


def complete_item_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Offer the item ids that start with what was typed, titles as descriptions."""
    catalogue = _completion_catalogue(ctx)
    if catalogue is None:
        return []
    return [
        (item.id, _shorten(item.title))
        for item in catalogue.items
        if item.id.startswith(incomplete)
    ]


def _shorten(text: str, width: int = 60) -> str:
    """Keep completion descriptions on one line: shells show them beside the value."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def complete_sections(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Offer the section ids that start with what was typed."""
    catalogue = _completion_catalogue(ctx)
    if catalogue is None:
        return []
    return [(sec.id, sec.label) for sec in catalogue.sections if sec.id.startswith(incomplete)]


def complete_kinds(incomplete: str) -> list[str]:
    """Offer the kinds that start with what was typed."""
    from .catalogue import KINDS

    return [kind for kind in KINDS if kind.startswith(incomplete)]


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


# --- study ----------------------------------------------------------------------------------


@app.command(
    "next",
    rich_help_panel=STUDY,
    epilog="Example: mlops-path next -n 3 --section overview --time 1h",
)
def next_(
    ctx: typer.Context,
    *,
    section: SectionOpt = None,
    kind: KindOpt = None,
    number: Annotated[int, typer.Option("-n", "--number", help="How many items to show.")] = 1,
    time: Annotated[
        str | None,
        typer.Option("--time", "-t", help="Only what fits in this time: 45m, 1h, 1h30m, 90."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show what to study now, and why: items in progress, then the next in the path's order."""
    budget = parse_minutes(time) if time is not None else None
    result = _tracker(ctx).suggest_next(section=section, kind=kind, limit=number, budget=budget)
    if as_json:
        _json([suggestion.to_json() for suggestion in result.suggestions])
        return
    from .render import render_next

    render_next(_screen(), result)


@app.command(
    "list",
    rich_help_panel=STUDY,
    epilog="Example: mlops-path list --section advanced --status todo",
)
def list_(
    ctx: typer.Context,
    section: SectionOpt = None,
    kind: KindOpt = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="Only this status: todo, in-progress, done or skipped."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the items, grouped by section, with a status mark each."""
    result = _tracker(ctx).list_items(section=section, kind=kind, status=status)
    if as_json:
        _json([view.to_json() for view in result.items])
        return
    from .render import render_list

    render_list(_screen(), result)


@app.command("show", rich_help_panel=STUDY, epilog="Example: mlops-path show rlhf")
def show(ctx: typer.Context, item_id: ItemId, as_json: JsonOpt = False) -> None:
    """Show everything about one item, with your notes and its history."""
    view, history = _tracker(ctx).show(item_id)
    if as_json:
        from .render import show_json

        _json(show_json(view, history))
        return
    from .render import render_show

    render_show(_screen(), view, history)


@app.command("search", rich_help_panel=STUDY, epilog="Example: mlops-path search feature store")
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str], typer.Argument(metavar="TEXT...", help="Words to find, in any order.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Find items by title, author, summary or your notes; accents and case do not matter."""
    hits = _tracker(ctx).search(" ".join(words))
    if as_json:
        _json([hit.to_json() for hit in hits])
        return
    from .render import render_search

    render_search(_screen(), hits)


@app.command("open", rich_help_panel=STUDY, epilog="Example: mlops-path open rlhf")
def open_(
    ctx: typer.Context,
    item_id: ItemId,
    print_only: Annotated[
        bool, typer.Option("--print", help="Print the address instead of opening it.")
    ] = False,
) -> None:
    """Open an item's address in your browser (set BROWSER to choose which)."""
    _item, url = _tracker(ctx).address(item_id)
    if print_only or not _open_in_browser(url):
        sys.stdout.write(url + "\n")


def _open_in_browser(url: str) -> bool:
    """Open ``url`` with the user's browser; False when there is none to open it with."""
    import webbrowser

    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False


# --- progress -------------------------------------------------------------------------------


@app.command(
    "done",
    rich_help_panel=PROGRESS,
    epilog="Example: mlops-path done rules-of-ml --note 'rule 4 is gold' --on 2026-11-20",
)
def done(
    ctx: typer.Context,
    item_ids: ItemIds,
    note: Annotated[str | None, typer.Option("--note", help="A note to keep with it.")] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="When you finished it (YYYY-MM-DD), if not today.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that you finished one or more items."""
    moment = parse_moment(on, option="--on") if on else None
    _show_change(_tracker(ctx).mark_done(item_ids, note=note, on=moment), as_json=as_json)


@app.command("start", rich_help_panel=PROGRESS, epilog="Example: mlops-path start rlhf")
def start(ctx: typer.Context, item_ids: ItemIds, as_json: JsonOpt = False) -> None:
    """Mark items as in progress; `next` shows them first."""
    _show_change(_tracker(ctx).start(item_ids), as_json=as_json)


@app.command(
    "skip",
    rich_help_panel=PROGRESS,
    epilog="Example: mlops-path skip murphy-mlpp --reason 'read it at university'",
)
def skip(
    ctx: typer.Context,
    item_ids: ItemIds,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for later.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Leave items out of `next`; they are not counted as done."""
    _show_change(_tracker(ctx).skip(item_ids, reason=reason), as_json=as_json)


@app.command("reset", rich_help_panel=PROGRESS, epilog="Example: mlops-path reset rlhf")
def reset(ctx: typer.Context, item_ids: ItemIds, as_json: JsonOpt = False) -> None:
    """Put items back to to-do (the history keeps what happened)."""
    _show_change(_tracker(ctx).reset(item_ids), as_json=as_json)


@app.command(
    "note",
    rich_help_panel=PROGRESS,
    epilog="Example: mlops-path note rlhf 'compare with DPO next'",
)
def note(
    ctx: typer.Context,
    item_id: ItemId,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The note.")],
    as_json: JsonOpt = False,
) -> None:
    """Keep a note with an item; `show` lists them."""
    _show_change(_tracker(ctx).add_note(item_id, text), as_json=as_json)


def _show_change(result: Any, *, as_json: bool) -> None:
    """Print what a state change did, as text or JSON."""
    if as_json:
        _json(result.to_json())
        return
    from .render import render_change

    render_change(_screen(), result)


@app.command("undo", rich_help_panel=PROGRESS, epilog="Example: mlops-path undo --list")
def undo(
    ctx: typer.Context,
    list_only: Annotated[
        bool, typer.Option("--list", help="Only show what undo would revert, newest first.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Revert your latest change; run it again to go further back."""
    tracker = _tracker(ctx)
    from .render import render_log, render_undo

    if list_only:
        entries = tracker.undoable()
        if as_json:
            _json([entry.to_json() for entry in entries])
        else:
            render_log(_screen(), entries, empty="Nothing to undo.")
        return
    result = tracker.undo()
    if as_json:
        _json({"reverted": result.reverted.to_json() if result.reverted else None})
        return
    render_undo(_screen(), result)


@app.command("log", rich_help_panel=PROGRESS, epilog="Example: mlops-path log --since 2026-11-01")
def log(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option("--since", help="Only from this date (YYYY-MM-DD) on.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show your activity, newest first."""
    moment = parse_moment(since, option="--since") if since else None
    entries = _tracker(ctx).log(since=moment)
    if as_json:
        _json([entry.to_json() for entry in entries])
        return
    from .render import render_log

    render_log(_screen(), entries, empty="No activity yet.")


@app.command("stats", rich_help_panel=PROGRESS, epilog="Example: mlops-path stats --json")
def stats(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show how far along you are, overall and per section."""
    result = _tracker(ctx).stats()
    if as_json:
        _json(result.to_json())
        return
    from .render import render_stats

    render_stats(_screen(), result)


# --- catalogue ------------------------------------------------------------------------------


@app.command("sections", rich_help_panel=CATALOGUE, epilog="Example: mlops-path sections")
def sections(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the sections with their item counts."""
    result = _tracker(ctx).stats()
    if as_json:
        _json(result.to_json()["sections"])
        return
    from .render import render_sections

    render_sections(_screen(), result)


catalogue_app = typer.Typer(
    cls=TyperGroup,
    help="Write, check and describe catalogue files (your own study paths).",
    no_args_is_help=True,
)
app.add_typer(catalogue_app, name="catalogue", rich_help_panel=CATALOGUE)


@catalogue_app.command("validate", epilog="Example: mlops-path catalogue validate my-path.toml")
def catalogue_validate(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="The catalogue file to check.")],
) -> None:
    """Check a catalogue file and list every problem at once, as file:line: field: problem."""
    from .validation import validate_file

    try:
        summary = validate_file(path)
    except MlopsPathError as error:
        sys.stdout.write("".join(line + "\n" for line in error.lines()))
        raise typer.Exit(1) from None
    from .render import render_validation

    render_validation(_screen(), summary)


@catalogue_app.command(
    "schema", epilog="Example: mlops-path catalogue schema > catalogue.schema.json"
)
def catalogue_schema() -> None:
    """Print the JSON Schema of the catalogue format, for editors that check TOML."""
    from .validation import catalogue_json_schema

    _json(catalogue_json_schema())


@catalogue_app.command("new", epilog="Example: mlops-path catalogue new my-path.toml")
def catalogue_new(
    path: Annotated[
        Path, typer.Argument(metavar="PATH", help="Where to write it (must not exist).")
    ],
) -> None:
    """Write a small, valid, commented catalogue to start your own study path from."""
    from .validation import write_starter

    write_starter(path)
    sys.stdout.write(
        f"Wrote {path}. Edit it, then: mlops-path catalogue validate {path}\n"
        f"and track it with: mlops-path --catalogue {path} next\n"
    )


# --- data -----------------------------------------------------------------------------------


@app.command(
    "export",
    rich_help_panel=DATA,
    epilog="Example: mlops-path export --format markdown -o progress.md",
)
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="json (everything), csv or markdown.")
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """Export your progress: JSON to move or back up, CSV or a Markdown checklist to read."""
    from .exchange import export_text, write_export

    text = export_text(_tracker(ctx), fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        write_export(output, text)
        sys.stderr.write(f"Wrote {output}\n")


@app.command("import", rich_help_panel=DATA, epilog="Example: mlops-path import laptop-export.json")
def import_(
    ctx: typer.Context,
    source: Annotated[
        Path, typer.Argument(metavar="FILE", help="A JSON export, or another progress.toml.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Merge another machine's progress into yours; importing twice changes nothing."""
    from .exchange import import_file

    result = import_file(_tracker(ctx), source)
    if as_json:
        _json(result.to_json())
        return
    from .render import render_import

    render_import(_screen(), result)


@app.command("doctor", rich_help_panel=DATA, epilog="Example: mlops-path doctor --restore")
def doctor(
    ctx: typer.Context,
    restore: Annotated[
        bool,
        typer.Option(
            "--restore",
            help="Bring back the newest good backup; the current file is kept, not deleted.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Check the catalogue and your progress file, and show where every file lives."""
    from . import doctor as checks

    services = _services(ctx)
    if restore:
        backup = checks.newest_good_backup(services.store)
        result = checks.restore(services.store, backup)
        if as_json:
            _json({"restored": str(backup.path), "previous_kept_at": str(result.previous_kept_at)})
            return
        from .render import render_restore

        render_restore(_screen(), result)
        return
    report = checks.diagnose(
        catalogue=services.catalogue,
        catalogue_source=services.catalogue_source,
        catalogue_path=ctx.find_root().params.get("catalogue"),
        store=services.store,
        paths=services.paths,
    )
    if as_json:
        _json(report.to_json())
    else:
        from .render import render_doctor

        render_doctor(_screen(), report)
    if not report.healthy:
        raise typer.Exit(1)


def main() -> NoReturn:
    """Run the mlops-path command line."""
    typer.main.get_command(app).main(prog_name=PROG)
    raise AssertionError("unreachable: StudyGroup.main always exits")  # pragma: no cover
