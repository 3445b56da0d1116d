"""Model a study path: its header, sections and items, and look things up in it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import Annotated, Literal, Protocol, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from .errors import AmbiguousNameError, UnknownNameError
from .structure import Structure

BuiltInKind = Literal[
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
#: The kinds every catalogue knows; a catalogue adds its own in ``[catalogue] kinds``.
KINDS: tuple[str, ...] = get_args(BuiltInKind)

#: The rule for every id, in words in messages: lower-case letters, digits and dashes.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
SLUG_MAX = 64
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=SLUG_MAX)]
Text = Annotated[str, Field(min_length=1)]
#: A kind's name: one of KINDS or one the catalogue declares (checked with the references).
Kind = Slug
#: The source's own numbering of an item, such as "1.2.1" or "6B.3".
Label = Annotated[str, Field(min_length=1, max_length=20)]


def minutes(value: object) -> object:
    """Read an effort: whole minutes (``90``) or a duration (``"45m"``, ``"2h"``, ``"1h30m"``).

    Anything else is passed on unchanged, for the validator to refuse with a clear message.
    """
    import re

    if isinstance(value, str):
        match = re.fullmatch(r"\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*", value.lower())
        if value.strip() and match and any(match.groups()):
            hours, mins = (int(part) if part else 0 for part in match.groups())
            return hours * 60 + mins
        raise ValueError(
            f"effort {value!r} is not a duration: use minutes (90) or e.g. 45m, 2h, 1h30m"
        )
    return value


#: Minutes of study, written as a number of minutes or a duration with units.
Effort = Annotated[
    int,
    BeforeValidator(minutes),
    Field(gt=0, json_schema_extra={"description": "Minutes (90) or a duration: 45m, 2h, 1h30m."}),
]


def _web_address(url: str) -> str:
    """Return ``url`` if it is a plain web address; say why not otherwise."""
    from .addresses import unsafe_url_reason

    problem = unsafe_url_reason(url)
    if problem:
        raise ValueError(f"{url!r} is not a web address: {problem}")
    return url


#: An http or https address: nothing else reaches a browser, a link or an export.
WebAddress = Annotated[
    str,
    Field(
        min_length=1, json_schema_extra={"format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"}
    ),
    AfterValidator(_web_address),
]


class _Strict(BaseModel):
    """Reject unknown keys and freeze instances: a typo in a catalogue must not pass silently."""

    # defer_build: a model's validator is built on first validation, not at import, so a run
    # that trusts its catalogue (see construct_catalogue) never pays for building it.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Link(_Strict):
    """An extra address that belongs to an item, such as a talk mentioned in a case study."""

    title: Text = Field(description="What the link points to.")
    url: WebAddress = Field(description="The address (http or https).")
    authors: tuple[str, ...] = Field(default=(), description="Who made it.")
    kind: Kind | None = Field(default=None, description="What sort of work it is.")


class Item(_Strict):
    """One thing to study: a book, a talk, a post."""

    id: Slug = Field(
        description="Permanent id: lower-case letters, digits and dashes; never renamed or reused."
    )
    section: Slug = Field(description="The id of the section the item belongs to.")
    title: Text = Field(description="The work's own title.")
    label: Label | None = Field(
        default=None, description='The source\'s own numbering, shown before the title: "1.2.1".'
    )
    kind: Kind = Field(description="What sort of work it is: a built-in kind or a declared one.")
    summary: str | None = Field(default=None, description="One line on what the item teaches.")
    effort: Effort | None = Field(
        default=None,
        description="Estimated study time: minutes (90) or 45m, 2h, 1h30m; leave out if unknown.",
    )
    authors: tuple[str, ...] = Field(default=(), description="Who wrote or made it.")
    publisher: str | None = Field(
        default=None, description="Where it appeared: a blog, a conference, a publisher."
    )
    year: Annotated[int, Field(ge=1000, le=9999)] | None = Field(
        default=None, description="The year it appeared."
    )
    url: WebAddress | None = Field(
        default=None, description="Where to read or watch it (http or https)."
    )
    links: tuple[Link, ...] = Field(
        default=(), description="Further addresses that go with the item."
    )
    note: str | None = Field(
        default=None, description="Advice shown with the item, such as an order to follow."
    )
    requires: tuple[Slug, ...] = Field(
        default=(), description="Ids of items to finish (or skip) before this one is suggested."
    )
    aliases: tuple[Slug, ...] = Field(
        default=(),
        description="Former ids of this item; progress recorded under them counts for it.",
    )
    optional: bool = Field(
        default=False,
        description="Shown and can be done, but not owed: left out of totals and of next.",
    )
    one_of: Slug | None = Field(
        default=None,
        description="A group of alternatives: once one item of it is done, the others are settled.",
    )
    planned: bool = Field(
        default=False, description="Announced but not out yet: listed, never suggested or owed."
    )
    parent: Slug | None = Field(
        default=None,
        description="The item this is a sub-topic of; the parent is done once its children are.",
    )


class Section(_Strict):
    """A named, ordered group of items."""

    id: Slug = Field(description="Permanent id of the section.")
    title: Text = Field(description="The section's heading.")
    summary: str | None = Field(default=None, description="One line on what the section covers.")
    part: str | None = Field(
        default=None, description='A heading that groups several sections, such as "MLOps".'
    )
    requires: tuple[Slug, ...] = Field(
        default=(),
        description="Ids of sections whose items must all be settled before this one's start.",
    )
    links: tuple[Link, ...] = Field(
        default=(), description="Resources for the whole section, such as its slides."
    )

    @property
    def label(self) -> str:
        """Return the title, prefixed by the part the section belongs to."""
        return f"{self.part} › {self.title}" if self.part else self.title


class CatalogueInfo(_Strict):
    """The catalogue's own header: what it is and where it comes from."""

    id: Slug = Field(
        description="Progress is stored under this id: keep it once learners have started."
    )
    title: Text = Field(description="The study path's name.")
    version: Text = Field(description="The catalogue's own version, for your records.")
    author: str | None = Field(default=None, description="Who put the path together.")
    source: WebAddress | None = Field(
        default=None, description="Where the path comes from (http or https)."
    )
    description: str | None = Field(default=None, description="One line on what the path teaches.")
    kinds: tuple[Slug, ...] = Field(
        default=(), description="Kinds this catalogue adds to the built-in ones, e.g. homework."
    )


class CatalogueFile(_Strict):
    """What a catalogue file holds, as validated: header, sections and items in study order."""

    header: CatalogueInfo = Field(alias="catalogue", description="The header.")
    sections: tuple[Section, ...] = Field(
        min_length=1, description="The sections, in the order they are shown."
    )
    items: tuple[Item, ...] = Field(
        min_length=1, description="The items, in the order they should be studied."
    )

    def catalogue(self) -> Catalogue:
        """Return the study path this file describes."""
        return Catalogue(header=self.header, sections=self.sections, items=self.items)


class ItemSource(Protocol):
    """A catalogue's items in study order: a tuple of models, or one that builds them on demand."""

    def __getitem__(self, index: int) -> Item:
        """Return the item at ``index``."""
        ...

    def __iter__(self) -> Iterator[Item]:
        """Yield every item in order."""
        ...


class Catalogue:
    """A whole study path: header, sections, and items in the order they should be studied.

    ``items`` may be a sequence that builds each model when it is first asked for (the read
    cache's, see catalogue_rows.py): lookups by id go through ``structure`` and build only
    the items asked for.
    """

    def __init__(
        self,
        *,
        header: CatalogueInfo,
        sections: Sequence[Section],
        items: ItemSource,
        structure: Structure | None = None,
    ) -> None:
        """Hold a validated study path; ``structure`` is worked out from ``items`` if not given."""
        self.header = header
        self.sections = tuple(sections)
        self._items = items
        if structure is not None:
            self.structure = structure  # else read off the models when first asked for

    def __eq__(self, other: object) -> bool:
        """Tell whether two catalogues hold the same header, sections and items."""
        if not isinstance(other, Catalogue):
            return NotImplemented
        return (self.header, self.sections, self.items) == (
            other.header,
            other.sections,
            other.items,
        )

    __hash__ = None  # type: ignore[assignment]  # equal by content, and not frozen by design

    def __repr__(self) -> str:
        """Return the catalogue's id and size."""
        return f"<Catalogue {self.id!r}: {len(self.sections)} sections, {len(self)} items>"

    @cached_property
    def structure(self) -> Structure:
        """Return the columns of the items' structure, read off the models.

        Read off on first use, not when built: validating a catalogue is when memory peaks.
        """
        return Structure.read_off(self._items)

    def __len__(self) -> int:
        """Return how many items the catalogue holds."""
        return len(self.structure.ids)

    @cached_property
    def items(self) -> tuple[Item, ...]:
        """Return every item as a model, in study order."""
        return tuple(self._items)

    def item_at(self, index: int) -> Item:
        """Return the item at ``index`` in study order (an index into ``structure``)."""
        return self._items[index]

    @property
    def id(self) -> str:
        """Return the catalogue id under which progress is stored."""
        return self.header.id

    @cached_property
    def kinds(self) -> tuple[str, ...]:
        """Return every kind this catalogue knows: the built-in ones and its own."""
        return (*KINDS, *(kind for kind in self.header.kinds if kind not in KINDS))

    @cached_property
    def item_ids(self) -> frozenset[str]:
        """Return the current id of every item."""
        return frozenset(self.structure.ids)

    @property
    def aliases(self) -> dict[str, str]:
        """Return a map from every former item id to the item's current id."""
        return self.structure.by_alias

    @cached_property
    def known_item_ids(self) -> frozenset[str]:
        """Return every id progress may be recorded under: current ids and aliases."""
        return self.item_ids | frozenset(self.aliases)

    def canonical_id(self, item_id: str) -> str:
        """Return the current id of an item recorded under ``item_id``, which may be an alias."""
        return self.aliases.get(item_id, item_id)

    @cached_property
    def _sections_by_id(self) -> dict[str, Section]:
        """Return the sections by id."""
        return {section.id: section for section in self.sections}

    def item(self, item_id: str) -> Item:
        """Return the item with exactly this id."""
        index = self.structure.positions.get(item_id)
        if index is None:
            raise self._unknown("item", item_id, self.structure.ids)
        return self._items[index]

    def section(self, section_id: str) -> Section:
        """Return the section named by its id in any case, or by a prefix of only one id."""
        found = self._sections_by_id.get(section_id)
        if found is not None:
            return found
        from .choices import pick

        chosen = pick(section_id, names=list(self._sections_by_id), what="section")
        return self._sections_by_id[chosen]

    def position(self, item_id: str) -> int:
        """Return the item's 1-based place in the study order."""
        return self.structure.positions[item_id] + 1

    def resolve_item(self, query: str) -> Item:
        """Return the item named by its id or a former id in any case, or by a unique prefix."""
        positions = self.structure.positions
        folded = query.strip().casefold()
        for candidate in (query, folded):
            if candidate in positions:
                return self._items[positions[candidate]]
            if candidate in self.aliases:
                return self._items[positions[self.aliases[candidate]]]
        if not folded:
            from .errors import InvalidValueError

            raise InvalidValueError("the item id is empty; name an item, e.g. 'rules-of-ml'")
        matches = [item_id for item_id in self.structure.ids if item_id.startswith(folded)]
        if len(matches) == 1:
            return self._items[positions[matches[0]]]
        if matches:
            raise AmbiguousNameError(what="item id", prefix=query, matches=matches)
        raise self._unknown("item", query, self.structure.ids)

    def items_in(self, section_id: str) -> tuple[Item, ...]:
        """Return the items of one section in catalogue order."""
        # Every model, built in one pass: a listing asks for every section's items in turn.
        items = self.items
        return tuple(items[index] for index in self.structure.by_section.get(section_id, ()))

    @staticmethod
    def _unknown(what: str, name: str, known: Sequence[str]) -> UnknownNameError:
        """Return the error for an unknown name, with close names as suggestions."""
        from .choices import close_names  # only errors need it

        return UnknownNameError(what=what, name=name, suggestions=close_names(name, list(known)))


def effort_label(minutes: int | None) -> str:
    """Return an effort as a short duration: ``45m``, ``1h30m``, ``300h``; ``?`` when unknown."""
    if minutes is None:
        return "?"
    if minutes < 60:
        return f"{minutes}m"
    hours, rest = divmod(minutes, 60)
    if rest == 0 or hours >= 10:
        return f"{round(minutes / 60)}h"
    return f"{hours}h{rest:02d}m"


def check_kind(kind: str, *, known: Sequence[str] = KINDS) -> str:
    """Return the kind of ``known`` that ``kind`` names: any case, or a unique prefix."""
    if kind in known:
        return kind
    from .choices import pick

    return pick(kind, names=tuple(known), what="kind")
