"""Offer values for shell completion: item ids with titles, sections, kinds; never fail loudly.

This is the normal path, and the definition of every answer. fast_completion.py answers the
same requests for ids, sections and kinds from the completion index before Typer is loaded,
with the same description rule and prefix rule (completion_index.py); it leaves the rest here.

No ``from __future__ import annotations``: Typer reads these callbacks' annotations to learn
which arguments to pass, and it needs ``typer.Context`` itself there, not a string.
"""

from typing import TYPE_CHECKING, Any

import typer

from .completion_index import DESCRIPTION_WIDTH, describe, offered
from .context import services_of
from .errors import MlopsPathError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

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


def complete_item_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Offer the item ids that start with what was typed, titles as descriptions."""
    return _offer(ctx, incomplete, lambda catalogue: ((i.id, i.title) for i in catalogue.items))


def complete_sections(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Offer the section ids that start with what was typed."""
    return _offer(ctx, incomplete, lambda catalogue: ((s.id, s.label) for s in catalogue.sections))


def _offer(
    ctx: typer.Context,
    incomplete: str,
    named: "Callable[[Catalogue], Iterable[tuple[str, str]]]",
) -> list[tuple[str, str]]:
    """Offer the ids ``named`` finds in the catalogue that start with what was typed, described."""
    catalogue = _catalogue(ctx)
    if catalogue is None:
        return []
    return [(name, describe(text)) for name, text in named(catalogue) if offered(name, incomplete)]


def complete_kinds(ctx: typer.Context, incomplete: str) -> list[str]:
    """Offer the kinds that start with what was typed.

    The kinds are the same for every catalogue, but fast completion reads them from the
    catalogue's index: loading the catalogue writes the index again if it is missing.
    """
    from .catalogue import KINDS

    _catalogue(ctx)
    return [kind for kind in KINDS if offered(kind, incomplete)]


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
        (name, describe(about))
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
            offered.append((name, describe(command.get_short_help_str(limit=DESCRIPTION_WIDTH))))
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
    """Return the catalogue for completion, or None when it cannot be loaded.

    Its completion index is written again if it is missing or damaged: the fast path has
    perhaps sent the request here for want of it, and the next request can then be fast.
    """
    from .catalogue import KINDS
    from .completion_index import refresh_index

    try:
        services = services_of(ctx, quiet=True)
    except MlopsPathError:
        return None
    refresh_index(
        services.cache, path=services.catalogue_path, catalogue=services.catalogue, kinds=KINDS
    )
    return services.catalogue
