"""The catalogue's structure: next, done and stats work on columns and build only what they show."""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from mlops_path.catalogue import Catalogue, Item
from mlops_path.catalogue_rows import CachedItems, catalogue_from_record, catalogue_record
from mlops_path.services import Services
from mlops_path.structure import Structure

from .helpers import guide, play, services_in


class Counted:
    """An item source that notes which items were asked for, and whether all of them were."""

    def __init__(self, source: CachedItems) -> None:
        self.source = source
        self.asked: set[int] = set()
        self.every = False

    def __getitem__(self, index: int) -> Item:
        self.asked.add(index)
        return self.source[index]

    def __iter__(self) -> Iterator[Item]:
        self.every = True
        return iter(self.source)


def cached_guide() -> tuple[Catalogue, Counted]:
    """Return the guide as the read cache rebuilds it, with its items counted."""
    validated = guide()
    record = marshal.loads(marshal.dumps(catalogue_record(validated)))  # noqa: S302
    items = CachedItems.of_record(record)
    counted = Counted(items)
    catalogue = Catalogue(
        header=validated.header,
        sections=validated.sections,
        items=counted,
        structure=items.structure(),
    )
    assert catalogue == validated  # compares every item, so count from here on
    counted.every, counted.asked = False, set()
    return catalogue, counted


@pytest.fixture
def services(tmp_path: Path) -> tuple[Services, Counted]:
    """Return services over the counted guide, with some progress recorded."""
    base = services_in(tmp_path)
    play(base, [("done", "free-ml-courses"), ("start", "rlhf"), ("skip", "ml-test-score")])
    catalogue, counted = cached_guide()
    return replace(base, catalogue=catalogue), counted


def test_next_builds_only_the_items_it_suggests(services: tuple[Services, Counted]) -> None:
    served, counted = services
    result = served.queries.suggest_next(limit=3)
    assert result.waiting  # the guide has prerequisites: some items wait, by id alone
    assert len(result.suggestions) == 3
    assert not counted.every
    shown = {served.catalogue.position(s.view.item.id) - 1 for s in result.suggestions}
    assert counted.asked == shown


def test_done_builds_only_the_item_it_records(services: tuple[Services, Counted]) -> None:
    served, counted = services
    result = served.changes.mark_done(["rules-of-ml"])
    assert [view.item.id for view in result.changed] == ["rules-of-ml"]
    assert not counted.every
    assert counted.asked == {served.catalogue.position("rules-of-ml") - 1}


def test_stats_builds_no_item(services: tuple[Services, Counted]) -> None:
    served, counted = services
    stats = served.queries.stats()
    assert stats.overall.done >= 1
    assert not counted.every
    assert counted.asked == set()


def test_the_answers_from_columns_equal_those_from_models(
    services: tuple[Services, Counted],
) -> None:
    served, _ = services
    built = replace(served, catalogue=guide())
    assert served.queries.suggest_next(limit=5) == built.queries.suggest_next(limit=5)
    assert served.queries.stats() == built.queries.stats()


def test_the_cached_columns_are_the_structure_read_off_the_models() -> None:
    catalogue, _ = cached_guide()
    assert catalogue.structure == Structure.read_off(guide().items)
    assert catalogue.structure.ids[0] == guide().items[0].id


@pytest.mark.parametrize(
    "damage",
    [
        {"structure": ()},
        {"starts": (0,)},
        {"details_check": 0},
        {"details": b"\x00"},
    ],
)
def test_cached_items_of_another_shape_or_damaged_are_refused(damage: dict[str, object]) -> None:
    """A miss, not a traceback later: the read cache then reads the catalogue file again."""
    record = {**catalogue_record(guide()), **damage}
    with pytest.raises(ValueError, match=r"structure field|not the bytes"):
        catalogue_from_record(record)
