"""Read the command line's words the way the parser will: the global options, wherever they are.

Standard library only: the Typer group (cli_app.StudyGroup) and fast completion
(fast_completion.py) both use ``hoist``, so that they agree on which catalogue a line names.
``cli.main`` reads COMPLETE_VAR from here, so that a command that is not a completion request
does not load fast completion at all.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

__all__ = ["COMPLETE_VAR", "GLOBAL_OPTIONS", "hoist"]

#: The options that belong before the command (they are also accepted after it).
GLOBAL_OPTIONS = ("-c", "--catalogue")
#: The environment variable that makes a run a completion request, with the shell's words
#: in others (Typer's name for mlops-path; its completion scripts set it).
COMPLETE_VAR = "_MLOPS_PATH_COMPLETE"


def hoist(args: list[str], *, names: Sequence[str], commands: Container[str]) -> list[str]:
    """Return ``args`` with global options found after the command moved before it."""
    index = 0
    while index < len(args) and args[index] not in commands:
        if args[index] == "--":
            return args
        index += 2 if args[index] in names else 1
    if index >= len(args):
        return args
    moved: list[str] = []
    kept: list[str] = []
    rest = args[index + 1 :]
    position = 0
    while position < len(rest):
        word = rest[position]
        if word == "--":
            kept += rest[position:]
            break
        if word in names and position + 1 < len(rest):
            moved += rest[position : position + 2]
            position += 2
            continue
        if word.split("=", 1)[0] in names and "=" in word:
            moved.append(word)
        else:
            kept.append(word)
        position += 1
    return args[:index] + moved + [args[index]] + kept
