"""Offer values for shell completion: item ids with titles, sections, kinds; never fail loudly.

No ``from __future__ import annotations``: Typer reads these callbacks' annotations to learn
which arguments to pass, and it needs ``typer.Context`` itself there, not a string.
"""

from typing import TYPE_CHECKING

import typer

from .context import services_of
from .errors import MlopsPathError

if TYPE_CHECKING:
    from .catalogue import Catalogue

__all__ = ["complete_item_ids", "complete_kinds", "complete_sections"]

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
        if item.id.startswith(incomplete)
    ]


def complete_sections(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Offer the section ids that start with what was typed."""
    catalogue = _catalogue(ctx)
    if catalogue is None:
        return []
    return [
        (sec.id, _shorten(sec.label)) for sec in catalogue.sections if sec.id.startswith(incomplete)
    ]


def complete_kinds(incomplete: str) -> list[str]:
    """Offer the kinds that start with what was typed."""
    from .catalogue import KINDS

    return [kind for kind in KINDS if kind.startswith(incomplete)]


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
