"""Make help read like a well-made CLI: no type placeholders, plain argument names, -h.

Typer shows every parameter's Python type (``--json <bool>``, ``ID... <list[str]>``) and
wraps required arguments in braces in the usage line (``{ID...}...``). The command classes
here show a flag bare, an option with the name of its value (``--on DATE``), and an argument
as its name (``ID...``); they are given to every command with ``cls=``.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

__all__ = ["HELP_OPTIONS", "StudyCommand", "TidyGroup", "tidy_command", "tidy_params"]

#: Both spellings of help, on every command.
HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}


class _PlainOption(TyperOption):
    """An option whose help shows its value's name, and nothing at all for a flag."""

    def display_type_rich(self, ctx: typer.Context) -> str | None:  # type: ignore[override]
        """Return the value's name (``DATE``), or None for a flag."""
        if self.is_flag or self.count:
            return None
        return self.metavar or (self.name or "value").upper()


class _PlainArgument(TyperArgument):
    """An argument shown by its name, ``ID...``, in the usage line and the help alike."""

    def display_type_rich(self, ctx: typer.Context) -> str | None:  # type: ignore[override]
        """Show no type: the name says it."""
        return None

    def _usage_display_name(self) -> str:
        """Return ``ID...`` for a required argument and ``[ID...]`` for an optional one."""
        name = self.display_name_raw
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return name if self.required else f"[{name}]"


def tidy_params(params: list[Any]) -> None:
    """Give each parameter the plain help form (in place)."""
    for param in params:
        if type(param) is TyperOption:
            param.__class__ = _PlainOption
        elif type(param) is TyperArgument:
            param.__class__ = _PlainArgument


def tidy_command(command: Any) -> None:
    """Give a command, and every command under it, the plain help form (in place)."""
    if type(command) is TyperCommand:
        command.__class__ = StudyCommand
    elif type(command) is TyperGroup:
        command.__class__ = TidyGroup
    tidy_params(command.params)
    for sub in getattr(command, "commands", {}).values():
        tidy_command(sub)


class StudyCommand(TyperCommand):
    """A command with the plain help form and -h."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Build the command, then tidy its parameters."""
        kwargs["context_settings"] = {**HELP_OPTIONS, **(kwargs.get("context_settings") or {})}
        super().__init__(*args, **kwargs)
        tidy_params(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        """Return -h/--help, shown as a flag."""
        option = super().get_help_option(ctx)
        if option is not None:
            tidy_params([option])
        return option


class TidyGroup(TyperGroup):
    """A group of commands with the plain help form, -h, and help when run bare."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Build the group, then tidy its parameters."""
        kwargs["context_settings"] = {**HELP_OPTIONS, **(kwargs.get("context_settings") or {})}
        super().__init__(*args, **kwargs)
        tidy_command(self)

    def get_help_option(self, ctx: Any) -> Any:
        """Return -h/--help, shown as a flag."""
        option = super().get_help_option(ctx)
        if option is not None:
            tidy_params([option])
        return option

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Show the help on stdout and stop, successfully, when the group is run bare."""
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            typer.echo(ctx.get_help(), nl=False)
            ctx.exit(0)
        return super().parse_args(ctx, args)
