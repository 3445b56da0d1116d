"""Index a catalogue's structure: the fields that ``next``, ``done`` and ``stats`` work on.

A catalogue of 20,000 items took 0.1 s a run to rebuild as item models from the read cache,
though ``next`` shows a handful. These columns answer what those commands ask of every item
(its section, kind, effort, prerequisites, group, parent) with no model built at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter
from typing import Any

__all__ = ["STRUCTURE_COLUMNS", "Structure"]

#: The item fields a Structure holds, each under the name of its column.
STRUCTURE_COLUMNS = {
    "id": "ids",
    "section": "sections",
    "kind": "kinds",
    "effort": "efforts",
    "requires": "requires",
    "aliases": "aliases",
    "optional": "optional",
    "one_of": "one_of",
    "planned": "planned",
    "parent": "parents",
}


@dataclass(frozen=True, kw_only=True)
class Structure:
    """How a catalogue's items hang together: one column per field, each in study order."""

    ids: Sequence[str]
    sections: Sequence[str]
    kinds: Sequence[str]
    efforts: Sequence[int | None]
    requires: Sequence[tuple[str, ...]]
    aliases: Sequence[tuple[str, ...]]
    optional: Sequence[bool]
    one_of: Sequence[str | None]
    planned: Sequence[bool]
    parents: Sequence[str | None]

    @classmethod
    def read_off(cls, items: Iterable[Any]) -> Structure:
        """Return the structure of item models, each column read with ``attrgetter``."""
        items = tuple(items)
        return cls(
            **{
                column: tuple(map(attrgetter(field), items))
                for field, column in STRUCTURE_COLUMNS.items()
            }
        )

    @classmethod
    def restored(
        cls, columns: Mapping[str, Sequence[Any]], indexes: Mapping[str, Any]
    ) -> Structure:
        """Return a structure with its ``indexes()`` as kept in the read cache, not worked out.

        Each index is a cached property over the columns: kept, they spare every run of a
        20,000-item catalogue the passes over all items that make them.
        """
        structure = cls(**columns)
        if indexes.keys() != set(INDEXES):
            raise ValueError("not the indexes a structure keeps")
        structure.__dict__.update(indexes)  # where each cached property keeps its value
        return structure

    def indexes(self) -> dict[str, Any]:
        """Return every index worked out from the columns, to keep beside them."""
        return {name: getattr(self, name) for name in INDEXES}

    @cached_property
    def positions(self) -> dict[str, int]:
        """Return each item's index in the columns, by id."""
        return dict(zip(self.ids, range(len(self.ids)), strict=True))

    @cached_property
    def children(self) -> dict[str, tuple[int, ...]]:
        """Return each parent's sub-topics, as indexes in catalogue order."""
        return _gathered(self.parents)

    @cached_property
    def groups(self) -> dict[str, tuple[int, ...]]:
        """Return each one_of group's alternatives, as indexes in catalogue order."""
        return _gathered(self.one_of)

    @cached_property
    def by_section(self) -> dict[str, tuple[int, ...]]:
        """Return each section's items, as indexes in catalogue order."""
        return _gathered(self.sections)

    @cached_property
    def by_alias(self) -> dict[str, str]:
        """Return a map from every former item id to the item's current id."""
        return {
            alias: item_id
            for item_id, aliases in zip(self.ids, self.aliases, strict=True)
            for alias in aliases
        }

    @cached_property
    def plainly_owed(self) -> frozenset[str]:
        """Return the items owed whatever the learner does: counted, and in no one_of group.

        The part of the rule of what is owed (``progress._owed``) that no state changes.
        """
        return frozenset(
            self.ids[index]
            for index in range(len(self.ids))
            if self.is_counted(index) and self.one_of[index] is None
        )

    @cached_property
    def requiring(self) -> tuple[int, ...]:
        """Return the indexes of the items that require other items, in order."""
        return tuple(index for index, requires in enumerate(self.requires) if requires)

    def filtered(self, *, section: str | None, kind: str | None) -> Sequence[int]:
        """Return the indexes of the items of ``section`` and ``kind`` (None: any), in order."""
        if section is None and kind is None:
            return range(len(self.ids))
        return [
            index
            for index, (item_section, item_kind) in enumerate(
                zip(self.sections, self.kinds, strict=True)
            )
            if (section is None or item_section == section) and (kind is None or item_kind == kind)
        ]

    def is_counted(self, index: int) -> bool:
        """Tell whether the item at ``index`` counts in totals at all: not optional nor planned."""
        return not (self.optional[index] or self.planned[index])


#: The cached properties of a Structure that the read cache keeps beside its columns.
#: (Not ``positions``: worked out in C, it costs less than loading it.)
INDEXES = (
    "children",
    "groups",
    "by_section",
    "by_alias",
    "plainly_owed",
    "requiring",
)


def _gathered(keys: Sequence[str | None]) -> dict[str, tuple[int, ...]]:
    """Return the indexes of ``keys`` gathered under each key, in order; no key, no place."""
    found: dict[str, list[int]] = {}
    # Keyed items picked out first, in a comprehension: most items have no parent or group.
    for index, key in [(index, key) for index, key in enumerate(keys) if key]:
        found.setdefault(key, []).append(index)
    return {key: tuple(indexes) for key, indexes in found.items()}
