"""Property tests for choosing the next items: random paths, random progress."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_path.catalogue import Catalogue, CatalogueFile
from mlops_path.progress import ItemState, is_eligible, next_items, stand
from mlops_path.references import reference_problems
from mlops_path.validation import parse_catalogue

from .helpers import examples

KINDS = ["book", "video", "paper"]
SECTIONS = ["s0", "s1", "s2"]


@st.composite
def paths(draw: st.DrawFn) -> Catalogue:
    """Draw a valid catalogue: items in random sections, prerequisites only on earlier items."""
    count = draw(st.integers(min_value=1, max_value=25))
    items = []
    for index in range(count):
        earlier = [f"i{n}" for n in range(index)]
        requires = (
            draw(st.lists(st.sampled_from(earlier), unique=True, max_size=3)) if earlier else []
        )
        items.append(
            {
                "id": f"i{index}",
                "section": draw(st.sampled_from(SECTIONS)),
                "title": f"Item {index}",
                "kind": draw(st.sampled_from(KINDS)),
                "summary": "s",
                "effort": 1,
                "requires": requires,
            }
        )
    # Shuffle the study order: prerequisites may then come later in the path than the item.
    order = draw(st.permutations(range(count)))
    data = {
        "catalogue": {"id": "p", "title": "P", "version": "1"},
        "sections": [{"id": s, "title": s} for s in SECTIONS],
        "items": [items[i] for i in order],
    }
    validated = CatalogueFile.model_validate(data)
    assert not list(reference_problems(validated.model_dump(by_alias=True)))
    return validated.catalogue()


@st.composite
def progress(
    draw: st.DrawFn,
) -> tuple[Catalogue, dict[str, ItemState], str | None, str | None, int]:
    catalogue = draw(paths())
    done = draw(st.sets(st.sampled_from([item.id for item in catalogue.items])))
    states = {item_id: ItemState(status="done", done_at=datetime.now(UTC)) for item_id in done}
    section = draw(st.none() | st.sampled_from(SECTIONS))
    kind = draw(st.none() | st.sampled_from(KINDS))
    limit = draw(st.integers(min_value=1, max_value=30))
    return catalogue, states, section, kind, limit


def open_prerequisites(
    catalogue: Catalogue, item_id: str, states: dict[str, ItemState]
) -> set[str]:
    item = catalogue.item(item_id)
    return {r for r in item.requires if states.get(r, ItemState()).status != "done"}


@settings(max_examples=examples(40, soak=300), deadline=None)  # first builds pydantic's
@given(progress())
def test_next_never_suggests_done_or_blocked_items(
    case: tuple[Catalogue, dict[str, ItemState], str | None, str | None, int],
) -> None:
    catalogue, states, section, kind, limit = case
    chosen = next_items(
        catalogue, stand(catalogue, states), section=section, kind=kind, limit=limit
    )
    assert len(chosen) <= limit
    for item in chosen:
        assert item.id not in states
        assert not open_prerequisites(catalogue, item.id, states)
        assert section is None or item.section == section
        assert kind is None or item.kind == kind


@settings(max_examples=examples(40, soak=300), deadline=None)  # first builds pydantic's
@given(progress())
def test_next_is_the_earliest_eligible_in_path_order(
    case: tuple[Catalogue, dict[str, ItemState], str | None, str | None, int],
) -> None:
    catalogue, states, section, kind, limit = case
    chosen = [
        item.id
        for item in next_items(
            catalogue, stand(catalogue, states), section=section, kind=kind, limit=limit
        )
    ]
    order = [item.id for item in catalogue.items]
    positions = [order.index(item_id) for item_id in chosen]
    assert positions == sorted(positions)
    last = positions[-1] if positions else len(order) - 1
    skipped = [
        item
        for item in catalogue.items[: last + 1]
        if item.id not in chosen
        and (section is None or item.section == section)
        and (kind is None or item.kind == kind)
    ]
    # Everything the filters let through but next passed over was done or blocked ...
    for item in skipped:
        assert item.id in states or open_prerequisites(catalogue, item.id, states)
    # ... and when fewer than `limit` came back, nothing eligible was left anywhere.
    if len(chosen) < limit:
        rest = [
            item
            for item in catalogue.items
            if item.id not in chosen
            and (section is None or item.section == section)
            and (kind is None or item.kind == kind)
        ]
        standing = stand(catalogue, states)
        assert not [item for item in rest if is_eligible(catalogue, item.id, standing)]


def test_prerequisite_in_a_later_section_blocks_an_earlier_item() -> None:
    text = b"""
[catalogue]
id = "p"
title = "P"
version = "1"
[[sections]]
id = "a"
title = "A"
[[sections]]
id = "b"
title = "B"
[[items]]
id = "first"
section = "a"
title = "First"
kind = "book"
summary = "s"
effort = 1
requires = ["second"]
[[items]]
id = "second"
section = "b"
title = "Second"
kind = "book"
summary = "s"
effort = 1
"""
    catalogue = parse_catalogue(text, source="p.toml")
    assert [i.id for i in next_items(catalogue, stand(catalogue, {}), limit=2)] == ["second"]
    done = {"second": ItemState(status="done")}
    assert [i.id for i in next_items(catalogue, stand(catalogue, done), limit=2)] == ["first"]
