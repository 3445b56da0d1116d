"""Check what a catalogue's entries say about each other: ids, references, kinds and cycles.

Works on the raw TOML data, not on the models, so that these problems are found in the same
pass as schema problems: a file with an unknown field and an unknown prerequisite gets both.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .catalogue import KINDS

__all__ = ["Problem", "reference_problems"]

Location = tuple[int | str, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a catalogue, at a place in its data."""

    location: Location
    message: str


def reference_problems(raw: object) -> Iterator[Problem]:
    """Yield every broken reference, duplicate, unknown kind, mixed group and cycle."""
    if not isinstance(raw, dict):
        return
    sections = _entries(raw, "sections")
    items = _entries(raw, "items")
    yield from _duplicates(sections, items)
    # Dicts, not lists: in order for "did you mean", and a lookup per reference stays cheap
    # (lists made checking a 20,000-item catalogue quadratic: 2 s).
    section_ids = dict.fromkeys(s["id"] for _, s in sections if isinstance(s.get("id"), str))
    item_ids = dict.fromkeys(i["id"] for _, i in items if isinstance(i.get("id"), str))
    header = raw.get("catalogue") if isinstance(raw.get("catalogue"), dict) else {}
    declared = header.get("kinds") if isinstance(header, dict) else None
    kinds = [*KINDS, *(k for k in declared or () if isinstance(k, str))]
    for index, section in sections:
        for req in _strings(section.get("requires")):
            where = ("sections", index, "requires")
            yield from _reference(where, "section", req, section_ids, own=section.get("id"))
    for index, item in items:
        if isinstance(item.get("section"), str) and item["section"] not in section_ids:
            yield _unknown(("items", index, "section"), "section", item["section"], section_ids)
        for req in _strings(item.get("requires")):
            where = ("items", index, "requires")
            yield from _reference(where, "item", req, item_ids, own=item.get("id"))
        if isinstance(item.get("parent"), str):
            where = ("items", index, "parent")
            yield from _reference(where, "item", item["parent"], item_ids, own=item.get("id"))
        if isinstance(item.get("kind"), str) and item["kind"] not in kinds:
            yield _unknown_kind(("items", index, "kind"), item["kind"], kinds)
        for number, link in enumerate(_dicts(item.get("links"))):
            if isinstance(link.get("kind"), str) and link["kind"] not in kinds:
                yield _unknown_kind(("items", index, "links", number, "kind"), link["kind"], kinds)
    yield from _groups(items)
    yield from _cycles(sections, items)


def _entries(raw: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    """Return the tables of an array, with their index, skipping entries that are not tables."""
    value = raw.get(key)
    return (
        [(i, e) for i, e in enumerate(value) if isinstance(e, dict)]
        if isinstance(value, list)
        else []
    )


def _strings(value: object) -> list[str]:
    """Return the strings of a list value, or nothing."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _dicts(value: object) -> list[dict[str, Any]]:
    """Return the tables of a list value, or nothing."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _reference(
    where: Location, what: str, name: str, known: Collection[str], *, own: object
) -> Iterator[Problem]:
    """Yield a problem when ``name`` is not one of ``known``, or is the entry itself."""
    if name == own:
        yield Problem(where, f"{what} {name!r} refers to itself")
    elif name not in known:
        yield _unknown(where, what, name, known)


def _unknown(where: Location, what: str, name: str, known: Collection[str]) -> Problem:
    """Return an "unknown name" problem with a "did you mean" when one is close."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return Problem(where, f"unknown {what} {name!r}{hint}")


def _unknown_kind(where: Location, kind: str, kinds: Sequence[str]) -> Problem:
    """Return an unknown-kind problem that lists the kinds and says how to add one."""
    close = difflib.get_close_matches(kind, list(kinds), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return Problem(
        where,
        f"unknown kind {kind!r}; {hint}known kinds: {', '.join(kinds)}; "
        f'a catalogue adds its own with kinds = ["{kind}"] in [catalogue]',
    )


def _duplicates(
    sections: list[tuple[int, dict[str, Any]]], items: list[tuple[int, dict[str, Any]]]
) -> Iterator[Problem]:
    """Yield each section id, item id or alias that is used twice."""
    seen: set[object] = set()
    for index, section in sections:
        if section.get("id") in seen:
            yield Problem(("sections", index, "id"), f"duplicate section id {section['id']!r}")
        seen.add(section.get("id"))
    seen_items: set[object] = set()
    for index, item in items:
        if item.get("id") in seen_items:
            yield Problem(("items", index, "id"), f"duplicate item id {item['id']!r}")
        seen_items.add(item.get("id"))
    seen_aliases: set[str] = set()
    for index, item in items:
        for alias in _strings(item.get("aliases")):
            if alias in seen_items or alias in seen_aliases:
                yield Problem(("items", index, "aliases"), f"{alias!r} is already in use")
            seen_aliases.add(alias)


def _groups(items: list[tuple[int, dict[str, Any]]]) -> Iterator[Problem]:
    """Yield groups of alternatives that are not a choice: alone, or split over sections."""
    members: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for index, item in items:
        if isinstance(item.get("one_of"), str):
            members.setdefault(item["one_of"], []).append((index, item))
    for group, entries in members.items():
        first = ("items", entries[0][0], "one_of")
        if len(entries) == 1:
            yield Problem(first, f"group {group!r} has one item: alternatives need two or more")
        sections = sorted({str(item.get("section")) for _, item in entries})
        if len(sections) > 1:
            yield Problem(
                first,
                f"group {group!r} spans sections {', '.join(sections)}: keep alternatives together",
            )


def _cycles(
    sections: list[tuple[int, dict[str, Any]]], items: list[tuple[int, dict[str, Any]]]
) -> Iterator[Problem]:
    """Yield one problem for a cycle through prerequisites, parents and section requires."""
    waits: dict[str, list[str]] = {}
    index_of: dict[str, Location] = {}
    in_section: dict[str, list[str]] = {}
    for _, item in items:
        if isinstance(item.get("id"), str) and isinstance(item.get("section"), str):
            in_section.setdefault(item["section"], []).append(item["id"])
    for index, section in sections:
        if isinstance(section.get("id"), str):
            node = f"section {section['id']}"
            index_of[node] = ("sections", index, "requires")
            waits[node] = in_section.get(section["id"], [])
    first_section: dict[str, dict[str, Any]] = {}
    for _, section in sections:
        if isinstance(section.get("id"), str):
            first_section.setdefault(section["id"], section)
    for index, item in items:
        if not isinstance(item.get("id"), str):
            continue
        node = item["id"]
        index_of[node] = ("items", index, "requires")
        edges = [r for r in _strings(item.get("requires")) if r != node]
        section_id = item.get("section")
        section = first_section.get(section_id, {}) if isinstance(section_id, str) else {}
        edges += [f"section {r}" for r in _strings(section.get("requires"))]
        # Extended, not set: a sub-topic listed before its topic has already put itself here.
        waits.setdefault(node, []).extend(edges)
        parent = item.get("parent")
        if isinstance(parent, str) and parent != node:
            waits.setdefault(parent, []).append(node)  # a topic waits on its sub-topics
    cycle = _find_cycle(waits)
    if cycle:
        yield Problem(index_of.get(cycle[0], ()), f"prerequisite cycle {' -> '.join(cycle)}")


def _find_cycle(waits: dict[str, list[str]]) -> list[str] | None:
    """Return one cycle as a closed path of nodes, or None; iterative, for chains of any length."""
    finished: set[str] = set()
    for root, first_needs in waits.items():
        if root in finished:
            continue
        trail: list[str] = [root]
        on_trail = {root}
        branches = [iter(first_needs)]
        while branches:
            nxt = next(branches[-1], None)
            if nxt is None:
                left = trail.pop()
                on_trail.discard(left)
                finished.add(left)
                branches.pop()
                continue
            if nxt in on_trail:
                return [*trail[trail.index(nxt) :], nxt]
            if nxt in finished or nxt not in waits:
                continue
            trail.append(nxt)
            on_trail.add(nxt)
            branches.append(iter(waits[nxt]))
    return None
