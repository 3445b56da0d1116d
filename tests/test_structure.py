"""The catalogue's structure: next, done and stats work on columns and build only what they show."""

from __future__ import annotations

import marshal
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_path.catalogue import Catalogue, CatalogueFile, Item
from mlops_path.catalogue_rows import CachedItems, catalogue_from_record, catalogue_record
from mlops_path.progress import ItemState, Standing, Status, stand
from mlops_path.references import reference_problems
from mlops_path.services import Services
from mlops_path.structure import Structure

from .helpers import examples, guide, play, services_in


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
    assert catalogue.structure.indexes() == Structure.read_off(guide().items).indexes()
    assert catalogue.structure.ids[0] == guide().items[0].id


@pytest.mark.parametrize(
    "damage",
    [
        {"structure": {}},
        {"indexes": {}},
        {"starts": (0,)},
        {"details_check": 0},
        {"details": b"\x00"},
    ],
)
def test_cached_items_of_another_shape_or_damaged_are_refused(damage: dict[str, object]) -> None:
    """A miss, not a traceback later: the read cache then reads the catalogue file again."""
    record = {**catalogue_record(guide()), **damage}
    with pytest.raises(ValueError, match=r"structure field|not the bytes|not the indexes"):
        catalogue_from_record(record)


@st.composite
def structured_paths(draw: st.DrawFn) -> Catalogue:
    """Draw a valid catalogue that uses every structural field: groups, topics, section order.

    Every wait points to an earlier item or section (the sections' items come in section
    order, a topic's parent comes after it), so no draw makes a cycle. A section may require
    any of those before it, so several sections can wait on one, or one on several.
    """
    count = draw(st.integers(min_value=1, max_value=14))
    cuts = sorted(draw(st.lists(st.integers(0, count), min_size=2, max_size=2)))
    sections: list[dict[str, object]] = [{"id": f"s{n}", "title": f"S{n}"} for n in range(3)]
    for n in (1, 2):
        earlier_sections = [f"s{m}" for m in range(n)]
        needs = draw(st.lists(st.sampled_from(earlier_sections), unique=True, max_size=n))
        if needs:
            sections[n]["requires"] = needs
    items: list[dict[str, object]] = []
    for index in range(count):
        section = f"s{sum(index >= cut for cut in cuts)}"
        item: dict[str, object] = {
            "id": f"i{index}",
            "section": section,
            "title": f"Item {index}",
            "kind": "book",
            "optional": draw(st.booleans()),
            "planned": draw(st.integers(0, 5)) == 0,
        }
        if index:
            earlier = [f"i{n}" for n in range(index)]
            item["requires"] = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=2))
        if index < count - 1 and draw(st.booleans()):
            item["parent"] = f"i{draw(st.integers(index + 1, count - 1))}"
        if draw(st.booleans()):
            item["one_of"] = f"g-{section}-{draw(st.integers(0, 1))}"
        items.append(item)
    members = Counter(item.get("one_of") for item in items)
    for item in items:
        if "one_of" in item and members[item["one_of"]] == 1:
            del item["one_of"]  # a group needs two items
    data = {"catalogue": {"id": "p", "title": "P", "version": "1"}, "sections": sections}
    data["items"] = items
    assert not list(reference_problems(data))
    return CatalogueFile.model_validate(data).catalogue()


def reference_owed_and_waits(
    catalogue: Catalogue, standing: Standing
) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """Work out what is owed and what waits item by item, on the models: the plain rule."""
    states = standing.states

    def done(item_id: str) -> bool:
        return states.get(item_id, ItemState()).status == "done"

    groups: dict[str, list[Item]] = {}
    for item in catalogue.items:
        if item.one_of:
            groups.setdefault(item.one_of, []).append(item)
    firsts = {g[0].id for g in groups.values() if not any(done(m.id) for m in g)}
    owed = frozenset(
        item.id
        for item in catalogue.items
        if not item.optional
        and not item.planned
        and item.id not in standing.covered
        and (item.one_of is None or done(item.id) or item.id in firsts)
    )
    settled = standing.settled_ids
    open_sections = {
        item.section for item in catalogue.items if item.id in owed and item.id not in settled
    }
    waits = {}
    for item in catalogue.items:
        section_needs = catalogue.section(item.section).requires
        if item.id in settled:
            continue
        pending = [req for req in item.requires if req not in settled]
        pending += [f"section {s}" for s in section_needs if s in open_sections]
        if pending:
            waits[item.id] = tuple(pending)
    return owed, waits


@settings(max_examples=examples(150, soak=2000), deadline=None)
@given(catalogue=structured_paths(), data=st.data())
def test_what_is_owed_and_what_waits_follow_the_plain_rule(
    catalogue: Catalogue, data: st.DataObject
) -> None:
    statuses: st.SearchStrategy[Status] = st.sampled_from(
        ["todo", "in-progress", "done", "skipped"]
    )
    states = {
        item.id: ItemState(status=data.draw(statuses))
        for item in catalogue.items
        if data.draw(st.booleans())
    }
    standing = stand(catalogue, states)
    owed, waits = reference_owed_and_waits(catalogue, standing)
    assert standing.owed == owed
    assert standing.waits_on == waits
    assert list(standing.waits_on) == list(waits)  # in catalogue order
