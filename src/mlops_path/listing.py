"""Carry whole-section counts beside a filtered list, so its headings tell the truth."""

from __future__ import annotations

from dataclasses import dataclass

from .results import SectionGroup

__all__ = ["CountedGroup"]


@dataclass(frozen=True, kw_only=True)
class CountedGroup(SectionGroup):
    """A section's items that passed the filters, and how many of all its items are done."""

    section_done: int
    section_total: int
