"""Define the Typer app: its one error handler, its root options, and how commands join it.

Every expected failure is an ``MlopsPathError`` or a Typer usage error; ``StudyGroup.main`` is
the one place that turns them into a line on stderr and an exit code.

There is no ``from __future__ import annotations`` here, nor in any cli_*.py module: Typer
reads every command's annotations at each start, and string annotations cost it an ``eval``
each (building the command tree took 7.5 ms with them and 2.9 ms without; see
docs/performance.md).
"""

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from . import __version__
from .completion import complete_shells, use_shell_completion
from .errors import EXIT_USAGE, MlopsPathError
from .help_format import TidyGroup
from .paths import CATALOGUE_ENV

__all__ = [
    "PANEL_CATALOGUE",
    "PANEL_DATA",
    "PANEL_READ",
    "PANEL_RECORD",
    "PANEL_SETTINGS",
    "PANEL_STUDY",
    "PROG",
    "app",
    "command",
    "emit",
    "help_example",
]

PROG = "mlops-path"
PANEL_STUDY, PANEL_READ, PANEL_RECORD = "Study", "See your progress", "Record progress"
PANEL_CATALOGUE, PANEL_DATA, PANEL_SETTINGS = "Catalogue", "Your data", "Help and settings"
#: The order commands are listed in by --help: what a learner needs first comes first.
COMMAND_ORDER = (
    "next",
    "list",
    "show",
    "search",
    "open",
    "stats",
    "log",
    "done",
    "start",
    "skip",
    "reset",
    "note",
    "undo",
    "sections",
    "catalogue",
    "export",
    "import",
    "doctor",
    "config",
    "help",
)
#: An example for each group of commands, shown at the foot of its help.
GROUP_EXAMPLES = {"catalogue": "catalogue new rust.toml", "config": "config set colour never"}
#: The shells whose completion can be installed.
SHELLS = ("bash", "zsh", "fish")
_COMPLETION_OPTIONS = ("--install-completion", "--show-completion")


class StudyGroup(TidyGroup):
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
        words = list(sys.argv[1:] if args is None else args)
        try:
            status = super().main(
                args=_name_the_shell(words),
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
            from .usage_words import describe_usage_error

            message, hint = describe_usage_error(error)
            _fail_line(message, hint=hint)
            sys.exit(getattr(error, "exit_code", EXIT_USAGE))
        except typer.Abort:
            _fail_line("aborted")
            sys.exit(130)
        sys.exit(status if isinstance(status, int) else 0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Build the command tree; a group defined without an example gets one here."""
        super().__init__(*args, **kwargs)
        for name, words in GROUP_EXAMPLES.items():
            group = self.commands.get(name)
            if group is not None and not group.epilog:
                group.epilog = help_example(words)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Accept the global options after the command too: move them in front of it."""
        from .command_line import GLOBAL_OPTIONS, hoist

        return super().parse_args(ctx, hoist(args, names=GLOBAL_OPTIONS, commands=self.commands))

    def list_commands(self, ctx: Any) -> list[str]:
        """List the commands in the order a learner needs them."""
        known = [name for name in COMMAND_ORDER if name in self.commands]
        return known + [name for name in self.commands if name not in known]

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: str | None = None
    ) -> None:
        """Answer the shell's completion request, with values the shell reads back intact."""
        use_shell_completion()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)


def _name_the_shell(args: list[str]) -> list[str]:
    """Give --install-completion and --show-completion the shell in use when none is named."""
    named = []
    for index, word in enumerate(args):
        named.append(word)
        following = args[index + 1] if index + 1 < len(args) else None
        if word in _COMPLETION_OPTIONS and following not in SHELLS:
            shell = os.path.basename(os.environ.get("SHELL", ""))
            named.append(shell if shell in SHELLS else "unknown")
    return named


def _fail_line(message: str, *, hint: str | None = None) -> None:
    """Write one error line to stderr, with the hint after a semicolon.

    Messages quote names from files and the command line, so they pass the same escaping as
    every other output: one line, no control characters.
    """
    from .terminal_text import printable

    suffix = f"; {hint}" if hint else ""
    sys.stderr.write(printable(f"{PROG}: error: {message}{suffix}") + "\n")


def emit(
    ctx: typer.Context, result: object, *, as_json: bool = False, lenient: bool = False
) -> None:
    """Write a command's result as JSON or text, as the run's settings say.

    ``lenient``: a settings file that cannot be read gives the defaults (for `config`).
    """
    from .context import settings_of, zone_of
    from .display import show

    colour = settings_of(ctx, lenient=lenient).colour
    show(result, as_json=as_json, colour=colour, zone=zone_of(ctx, lenient=lenient))


def help_example(words: str) -> str:
    """Return the example line at the foot of a help page: a command line to copy."""
    return f"Example: {PROG} {words}"


app = typer.Typer(
    cls=StudyGroup,
    name=PROG,
    help="Track your way through the MLOps guide from the terminal.",
    epilog=help_example("next -n 3 --section overview"),
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

Command = TypeVar("Command", bound=Callable[..., Any])


def command(
    name: str,
    *,
    example: str,
    panel: str | None = None,
    group: typer.Typer = app,
    help: str | None = None,
) -> Callable[[Command], Command]:
    """Register a command on ``group`` (the app's top level unless named) in its help panel.

    ``example`` is the command line, after the program's name, that its help ends with;
    ``help`` is said when the function's docstring cannot say it (one function, two commands).
    """
    return group.command(name, help=help, rich_help_panel=panel, epilog=help_example(example))


def _version(value: bool) -> None:
    """Print the version and stop, when --version is given."""
    if value:
        sys.stdout.write(f"{PROG} {__version__}\n")
        raise typer.Exit


def _install_completion(ctx: typer.Context, value: str | None) -> None:
    """Install completion for the named shell, and stop."""
    if value is None or ctx.resilient_parsing:
        return
    from typer._completion_shared import install

    shell, path = install(shell=_shell(value), prog_name=PROG)
    sys.stdout.write(
        f"Installed {shell} completion in {path}; it works in shells started from now on.\n"
    )
    raise typer.Exit


def _show_completion(ctx: typer.Context, value: str | None) -> None:
    """Print the completion script for the named shell, and stop."""
    if value is None or ctx.resilient_parsing:
        return
    from typer._completion_shared import get_completion_script

    from .command_line import COMPLETE_VAR

    script = get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=_shell(value))
    sys.stdout.write(script + "\n")
    raise typer.Exit


def _shell_option(flag: str, *, help: str, callback: Callable[..., None]) -> Any:
    """Return a root option that takes a shell's name, does its work at once, and stops."""
    return typer.Option(
        flag,
        metavar="[SHELL]",
        help=help,
        callback=callback,
        autocompletion=complete_shells,
        is_eager=True,
        expose_value=False,
    )


def _shell(value: str) -> str:
    """Return a shell name completion can be made for, or say which ones there are."""
    from .errors import InvalidValueError

    if value not in SHELLS:
        raise InvalidValueError(
            f"cannot tell which shell this is; name it: --install-completion {'|'.join(SHELLS)}"
        )
    return value


@app.callback(
    context_settings={"help_option_names": ["-h", "--help"]},
)
def _root(
    ctx: typer.Context,
    catalogue: Annotated[
        Path | None,
        typer.Option(
            "--catalogue",
            "-c",
            envvar=CATALOGUE_ENV,
            metavar="FILE",
            help="Study this catalogue file instead of the bundled MLOps guide "
            "(or: mlops-path config set catalogue FILE). Before or after the command.",
            show_envvar=True,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
    install_completion: Annotated[
        str | None,
        _shell_option(
            "--install-completion",
            help="Install completion for bash, zsh or fish (the shell in use if not named).",
            callback=_install_completion,
        ),
    ] = None,
    show_completion: Annotated[
        str | None,
        _shell_option(
            "--show-completion",
            help="Print the completion script for bash, zsh or fish, to install by hand.",
            callback=_show_completion,
        ),
    ] = None,
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


@command("help", panel=PANEL_SETTINGS, example="help done")
def help_(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="COMMAND...",
            help="The command to explain, e.g. done or catalogue new.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Show the help of mlops-path, or of one command."""
    from .errors import UnknownNameError

    context = ctx.find_root()
    command: Any = context.command
    for word in words or []:
        found = command.get_command(context, word) if hasattr(command, "get_command") else None
        if found is None:
            import difflib

            known = command.list_commands(context) if hasattr(command, "list_commands") else []
            close = difflib.get_close_matches(word, known, n=2, cutoff=0.6)
            raise UnknownNameError(what="command", name=word, suggestions=close)
        context = typer.Context(found, info_name=word, parent=context)
        command = found
    typer.echo(command.get_help(context))  # exactly as --help does
