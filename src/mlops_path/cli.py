"""Run the mlops-path command line: the entry point, with every command registered.

Nothing here imports Typer at module level: a shell completion request for ids, sections or
kinds is answered by fast_completion.py from the completion index, before Typer, rich or
pydantic is loaded, and only everything else goes on to the Typer app. ``app`` is still here
(``from mlops_path.cli import app``), built on first use.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING, NoReturn

from .command_line import COMPLETE_VAR

if TYPE_CHECKING:
    import typer

__all__ = ["load_app", "main"]  # and ``app``, through __getattr__


def main() -> NoReturn:
    """Run the mlops-path command line."""
    if os.environ.get(COMPLETE_VAR):
        _answer_completion_fast()
    # One command, then exit. The cycle collector's young generation ran every 700
    # allocations and walked every object made since: a long history's events again and
    # again, 5-8% of a cold read. Collected far less often here.
    gc.set_threshold(50_000, 20, 20)
    import typer

    from .cli_app import PROG

    app = load_app()
    # What the imports made lives until exit: frozen, no collection walks it. Unfrozen, the
    # young generation's collections walked it while the command ran: 30-50 ms of a `next`
    # on 20,000 items (gc.callbacks, one run each at 2,000 and 20,000 items).
    gc.freeze()
    typer.main.get_command(app).main(prog_name=PROG)
    raise AssertionError("unreachable: StudyGroup.main always exits")  # pragma: no cover


def load_app() -> typer.Typer:
    """Return the Typer app with every command registered on it."""
    # Importing the command modules registers their commands on ``app``.
    from . import cli_files, cli_study  # noqa: F401
    from .cli_app import app

    return app


def __getattr__(name: str) -> typer.Typer:
    """Return ``app`` on first use: importing it costs what fast completion must not pay."""
    if name == "app":
        return load_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _answer_completion_fast() -> None:
    """Answer a completion request from the index and exit; return if Typer must answer it."""
    from .fast_completion import answer

    try:
        reply = answer(environ=os.environ, encoding=sys.stdout.encoding)
    except Exception:
        # Only an optimisation: a surprise here must cost time, never a traceback in the
        # learner's shell. The tests check that the expected requests are answered here.
        reply = None
    if reply is None:
        return
    sys.stdout.write(reply.text)
    sys.stdout.flush()
    sys.exit(reply.status)
