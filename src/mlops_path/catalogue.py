"""Load a study-path catalogue from TOML into validated models and look things up in it."""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import AmbiguousNameError, CatalogueError, UnknownNameError

BUNDLED_CATALOGUE = "mlops-guide.toml"

Kind = Literal[
    "book",
    "video",
    "lecture-note",
    "paper",
    "blog-post",
    "tutorial",
    "course",
    "code",
    "thread",
    "article",
]
KINDS: tuple[str, ...] = get_args(Kind)

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    """Reject unknown keys and freeze instances: a typo in a catalogue must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Link(_Strict):
    """An extra address that belongs to an item, such as a talk mentioned in a case study."""

    title: Text
    url: Text
    authors: tuple[str, ...] = ()
    kind: Kind | None = None


class Item(_Strict):
    """One thing to study: a book, a talk, a post."""

    id: Slug
    section: Slug
    title: Text
    kind: Kind
    summary: Text
    effort: Annotated[int, Field(gt=0, description="Estimated minutes of study.")]
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    year: Annotated[int, Field(ge=1000, le=9999)] | None = None
    url: str | None = None
    links: tuple[Link, ...] = ()
    note: str | None = None
    requires: tuple[Slug, ...] = ()
    aliases: tuple[Slug, ...] = Field(
        default=(), description="Former ids of this item; progress under them counts for it."
    )


class Section(_Strict):
    """A named, ordered group of items."""

    id: Slug
    title: Text
    summary: str | None = None
    part: str | None = Field(default=None, description="A heading that groups several sections.")

    @property
    def label(self) -> str:
        """Return the title, prefixed by the part the section belongs to."""
        return f"{self.part} › {self.title}" if self.part else self.title


class CatalogueInfo(_Strict):
    """The catalogue's own header: what it is and where it comes from."""

    id: Slug
    title: Text
    version: Text
    author: str | None = None
    source: str | None = None
    description: str | None = None


class Catalogue(_Strict):
    """A whole study path: header, sections, and items in the order they should be studied."""

    catalogue: CatalogueInfo
    sections: tuple[Section, ...] = Field(min_length=1)
    items: tuple[Item, ...] = Field(min_length=1)

    @property
    def id(self) -> str:
        """Return the catalogue id under which progress is stored."""
        return self.catalogue.id

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def aliases(self) -> dict[str, str]:
        """Return a map from every former item id to the item's current id."""
        return {alias: item.id for item in self.items for alias in item.aliases}

    def known_item_ids(self) -> set[str]:
        """Return every id progress may be recorded under: current ids and aliases."""
        return set(self._items_by_id) | set(self.aliases)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {item.id: index for index, item in enumerate(self.items, start=1)}

    @cached_property
    def _sections_by_id(self) -> dict[str, Section]:
        return {section.id: section for section in self.sections}

    def item(self, item_id: str) -> Item:
        """Return the item with exactly this id."""
        try:
            return self._items_by_id[item_id]
        except KeyError:
            raise self._unknown("item", item_id, self._items_by_id) from None

    def section(self, section_id: str) -> Section:
        """Return the section with exactly this id."""
        try:
            return self._sections_by_id[section_id]
        except KeyError:
            raise self._unknown("section", section_id, self._sections_by_id) from None

    def position(self, item_id: str) -> int:
        """Return the item's 1-based place in the study order."""
        return self._positions[item_id]

    def resolve_item(self, query: str) -> Item:
        """Return the item named by an exact id or by a prefix that only one id starts with."""
        if query in self._items_by_id:
            return self._items_by_id[query]
        if query in self.aliases:
            return self._items_by_id[self.aliases[query]]
        matches = [item_id for item_id in self._items_by_id if item_id.startswith(query)]
        if len(matches) == 1:
            return self._items_by_id[matches[0]]
        if matches:
            raise AmbiguousNameError(what="item id", prefix=query, matches=matches)
        raise self._unknown("item", query, self._items_by_id)

    def items_in(self, section_id: str) -> Iterator[Item]:
        """Yield the items of one section in catalogue order."""
        return (item for item in self.items if item.section == section_id)

    @staticmethod
    def _unknown(what: str, name: str, known: Sequence[str] | dict[str, Any]) -> UnknownNameError:
        suggestions = difflib.get_close_matches(name, list(known), n=2, cutoff=0.6)
        return UnknownNameError(what=what, name=name, suggestions=suggestions)


def effort_label(minutes: int) -> str:
    """Return an effort as a short duration: ``45m``, ``1h30m``, ``300h``."""
    if minutes < 60:
        return f"{minutes}m"
    hours, rest = divmod(minutes, 60)
    if rest == 0 or hours >= 10:
        return f"{round(minutes / 60)}h"
    return f"{hours}h{rest:02d}m"


def check_kind(kind: str) -> str:
    """Return the kind unchanged if the catalogue format knows it."""
    if kind in KINDS:
        return kind
    suggestions = difflib.get_close_matches(kind, KINDS, n=2, cutoff=0.6)
    raise UnknownNameError(what="kind", name=kind, suggestions=suggestions)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load and validate a catalogue file, or the bundled MLOps guide when no path is given."""
    if path is None:
        return parse_catalogue(_read_bundled(), source=f"<bundled {BUNDLED_CATALOGUE}>")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CatalogueError(path=path, problems=[f"cannot read file: {error.strerror}"]) from None
    return parse_catalogue(data, source=str(path))


def parse_catalogue(data: bytes, *, source: str) -> Catalogue:
    """Parse and validate catalogue TOML, reporting every problem as a `field path: problem`."""
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise CatalogueError(path=source, problems=[f"not UTF-8 text: {error.reason}"]) from None
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(path=source, problems=[f"not valid TOML: {error}"]) from None
    try:
        catalogue = Catalogue.model_validate(raw)
    except ValidationError as error:
        raise CatalogueError(path=source, problems=_describe(error, raw)) from None
    problems = list(reference_problems(catalogue))
    if problems:
        raise CatalogueError(path=source, problems=problems)
    return catalogue


def reference_problems(catalogue: Catalogue) -> Iterator[str]:
    """Yield every broken reference: duplicate ids, unknown sections or prerequisites, cycles."""
    yield from _duplicate_ids(catalogue)
    section_ids = {section.id for section in catalogue.sections}
    item_ids = {item.id for item in catalogue.items}
    for index, item in enumerate(catalogue.items):
        if item.section not in section_ids:
            yield f"items[{index}].section: unknown section {item.section!r} (item {item.id!r})"
        for required in item.requires:
            if required not in item_ids:
                yield f"items[{index}].requires: unknown item {required!r} (item {item.id!r})"
            elif required == item.id:
                yield f"items[{index}].requires: item {item.id!r} requires itself"
    cycle = _find_cycle(catalogue)
    if cycle:
        yield f"items.requires: prerequisite cycle {' -> '.join(cycle)}"


def _duplicate_ids(catalogue: Catalogue) -> Iterator[str]:
    """Yield each section id, item id or alias that is used twice."""
    seen_sections: set[str] = set()
    for index, section in enumerate(catalogue.sections):
        if section.id in seen_sections:
            yield f"sections[{index}].id: duplicate section id {section.id!r}"
        seen_sections.add(section.id)
    seen_items: set[str] = set()
    for index, item in enumerate(catalogue.items):
        if item.id in seen_items:
            yield f"items[{index}].id: duplicate item id {item.id!r}"
        seen_items.add(item.id)
    seen_aliases: set[str] = set()
    for index, item in enumerate(catalogue.items):
        for alias in item.aliases:
            if alias in seen_items or alias in seen_aliases:
                yield f"items[{index}].aliases: {alias!r} is already in use (item {item.id!r})"
            seen_aliases.add(alias)


def _find_cycle(catalogue: Catalogue) -> list[str] | None:
    """Return one prerequisite cycle as a closed path of ids, or None when there is none."""
    requires = {item.id: [r for r in item.requires if r != item.id] for item in catalogue.items}
    visiting: list[str] = []
    state: dict[str, str] = {}

    def visit(node: str) -> list[str] | None:
        state[node] = "visiting"
        visiting.append(node)
        for nxt in requires.get(node, ()):
            if state.get(nxt) == "visiting":
                return [*visiting[visiting.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        visiting.pop()
        state[node] = "done"
        return None

    for item_id in requires:
        if item_id not in state:
            found = visit(item_id)
            if found:
                return found
    return None


def _describe(error: ValidationError, raw: dict[str, Any]) -> list[str]:
    """Turn pydantic's errors into `field path: problem` lines that name the item where known."""
    lines = []
    for detail in error.errors(include_url=False):
        location = _field_path(detail["loc"])
        owner = _owner_id(raw, detail["loc"])
        suffix = f" (item {owner!r})" if owner else ""
        lines.append(f"{location or '<top level>'}: {_problem(detail)}{suffix}")
    return lines


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path


def _owner_id(raw: dict[str, Any], loc: tuple[int | str, ...]) -> str | None:
    """Return the id of the item a location points into, when the raw data has one."""
    if len(loc) >= 3 and loc[0] == "items" and isinstance(loc[1], int):
        items = raw.get("items")
        if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
            owner = items[loc[1]].get("id")
            return owner if isinstance(owner, str) else None
    return None


def _problem(detail: Any) -> str:
    if detail["type"] == "extra_forbidden":
        return "unknown field"
    if detail["type"] == "missing":
        return "required field is missing"
    if detail["type"] == "literal_error" and detail["loc"][-1] == "kind":
        return f"unknown kind {detail['input']!r} (expected one of: {', '.join(KINDS)})"
    return str(detail["msg"])


def _read_bundled() -> bytes:
    # Imported here: importlib.resources is only needed for the bundled catalogue.
    from importlib.resources import files

    return files("mlops_path.resources").joinpath(BUNDLED_CATALOGUE).read_bytes()
