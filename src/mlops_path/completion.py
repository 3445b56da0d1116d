"""Offer values for shell completion: item ids with titles, sections, kinds; never fail loudly.

No ``from __future__ import annotations``: Typer reads these callbacks' annotations to learn
which arguments to pass, and it needs ``typer.Context`` itself there, not a string.
"""

from typing import TYPE_CHECKING, Any

import typer

from .context import services_of
from .errors import MlopsPathError

if TYPE_CHECKING:
    from .catalogue import Catalogue

__all__ = [
    "complete_commands",
    "complete_formats",
    "complete_item_ids",
    "complete_kinds",
    "complete_sections",
    "complete_setting_names",
    "complete_shells",
    "complete_statuses",
    "use_shell_completion",
]

#: Shells show a description beside each value: keep it to one line.
DESCRIPTION_WIDTH = 60


def complete_item_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Offer the item ids that start with what was typed, titles as descriptions."""
    catalogue = _catalogue(ctx)
    if catalogue is None:
        return []
    return [
        (item.id, _shorten(item.title))
        for item in catalogue.items
        if item.id.startswith(incomplete.lower())
    ]


def complete_sections(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Offer the section ids that start with what was typed."""
    catalogue = _catalogue(ctx)
    if catalogue is None:
        return []
    return [
        (sec.id, _shorten(sec.label))
        for sec in catalogue.sections
        if sec.id.startswith(incomplete.lower())
    ]


def complete_kinds(incomplete: str) -> list[str]:
    """Offer the kinds that start with what was typed."""
    from .catalogue import KINDS

    return [kind for kind in KINDS if kind.startswith(incomplete.lower())]


def complete_statuses(incomplete: str) -> list[str]:
    """Offer the statuses that start with what was typed."""
    from .choices import STATUS_NAMES

    return [status for status in STATUS_NAMES if status.startswith(incomplete.lower())]


def complete_formats(incomplete: str) -> list[str]:
    """Offer the export formats that start with what was typed."""
    from .choices import FORMAT_NAMES

    return [fmt for fmt in FORMAT_NAMES if fmt.startswith(incomplete.lower())]


def complete_shells(incomplete: str) -> list[str]:
    """Offer the shells completion can be installed for."""
    return [shell for shell in ("bash", "zsh", "fish") if shell.startswith(incomplete)]


def complete_setting_names(incomplete: str) -> list[tuple[str, str]]:
    """Offer the settings of `config`, with what each one does."""
    from .config import SETTINGS

    return [
        (name, _shorten(about))
        for name, about in SETTINGS.items()
        if name.startswith(incomplete.lower())
    ]


def complete_commands(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Offer the command names, for `help`."""
    root = ctx.find_root()
    group = root.command
    names = group.list_commands(root) if hasattr(group, "list_commands") else []
    offered = []
    for name in names:
        command = group.get_command(root, name) if hasattr(group, "get_command") else None
        if name.startswith(incomplete) and command is not None and not command.hidden:
            offered.append((name, _shorten(command.get_short_help_str(limit=DESCRIPTION_WIDTH))))
    return offered


def use_shell_completion() -> None:
    """Register the shells' completion formats, zsh's with quotes that survive the shell.

    Typer writes a zsh answer inside single quotes and doubles any quote in it, which zsh
    reads as two adjacent strings: "machine's" came out as "machines".
    """
    from typer._click.shell_completion import add_completion_class
    from typer._completion_classes import ZshComplete, completion_init
    from typer._completion_shared import Shells

    class QuotedZshComplete(ZshComplete):
        """Zsh completion whose values and descriptions keep their apostrophes."""

        def format_completion(self, item: Any) -> str:
            """Return one completion line with each quote closed, escaped and reopened."""
            return super().format_completion(item).replace("''", "'\\''")

    completion_init()
    add_completion_class(QuotedZshComplete, Shells.zsh.value)


def _catalogue(ctx: typer.Context) -> "Catalogue | None":
    """Return the catalogue for completion, or None when it cannot be loaded."""
    try:
        return services_of(ctx, quiet=True).catalogue
    except MlopsPathError:
        return None


def _shorten(text: str) -> str:
    """Make a description safe for a terminal and short enough for one line."""
    from .terminal_text import printable

    text = printable(text)
    if len(text) <= DESCRIPTION_WIDTH:
        return text
    return text[: DESCRIPTION_WIDTH - 1].rstrip() + "…"
