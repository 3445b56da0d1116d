"""Run the mlops-path command line: the entry point, with every command registered."""

from typing import NoReturn

import typer

from . import cli_files, cli_study
from .cli_app import PROG, app

__all__ = ["app", "main"]

#: The modules whose commands are registered on ``app`` when they are imported.
COMMAND_MODULES = (cli_study, cli_files)


def main() -> NoReturn:
    """Run the mlops-path command line."""
    typer.main.get_command(app).main(prog_name=PROG)
    raise AssertionError("unreachable: StudyGroup.main always exits")  # pragma: no cover
