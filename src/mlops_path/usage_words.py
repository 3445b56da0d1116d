"""Say the command-line parser's complaints in mlops-path's own words, one line each."""

from __future__ import annotations

import re
from typing import Any

from .command_line import GLOBAL_OPTIONS

__all__ = ["GLOBAL_OPTIONS", "describe_usage_error"]


def describe_usage_error(error: Any) -> tuple[str, str | None]:  # noqa: PLR0911
    """Return the message and the hint for one of the parser's usage errors."""
    from typer._click import exceptions as click_errors

    ctx = getattr(error, "ctx", None)
    where = ctx.command_path if ctx is not None else None
    see = f"see '{where} --help'" if where else None
    if isinstance(error, click_errors.NoSuchOption):
        return _no_such_option(error, see=see)
    if isinstance(error, click_errors.MissingParameter):
        param = error.param
        name = param.get_error_hint().strip("'") if param is not None else "a value"
        command = ctx.info_name if ctx is not None else "this command"
        return f"{command!r} needs {name}", see
    if isinstance(error, click_errors.BadParameter):
        return _bad_value(error), see
    message = error.format_message().rstrip(".")
    if match := re.fullmatch(r"No such command '(.*)'(?:\. Did you mean (.*)\?)?", message):
        name, suggestions = match.groups()
        text = f"unknown command {name!r}"
        if suggestions:
            return text, f"did you mean {suggestions.replace(', ', ' or ')}?"
        return text, see
    if match := re.fullmatch(r"Option '(.*)' requires an argument", message):
        return f"{match.group(1)} needs a value", see
    if match := re.fullmatch(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", message):
        return f"unexpected argument {match.group(1)!r}", see
    return message, see


def _no_such_option(error: Any, *, see: str | None) -> tuple[str, str | None]:
    """Word an unknown option, with close names, or where a global option goes."""
    name = error.option_name
    text = f"unknown option {name!r}"
    if name.split("=", 1)[0] in GLOBAL_OPTIONS:
        return text, f"{name} goes before the command: mlops-path {name} FILE COMMAND"
    if error.possibilities:
        import difflib

        best = difflib.get_close_matches(name, list(error.possibilities), n=1, cutoff=0)
        return text, f"did you mean {best[0]!r}?"
    return text, see


def _bad_value(error: Any) -> str:
    """Word a value the parser could not take; a message of ours is kept as it is."""
    param = error.param
    names = " / ".join(param.opts) if param is not None else "the value"
    message = str(error.message).rstrip(".")
    if "valid integer" in message:
        return f"{names} takes a whole number"
    if param is not None and message.startswith(tuple(param.opts)):
        return message  # raised by one of our own parsers, already in our words
    return f"{names}: {message}"
