"""Build catalogue models from data already validated, fast: the cache's rows, bundled files.

Validating a 20,000-item catalogue takes seconds and even ``model_construct`` costs 20 us a
model, so a validated catalogue is cached as one tuple of values per model, and rebuilt
here by setting the attributes that ``model_construct`` sets. Nothing unvalidated reaches
this module; tests compare what it builds with what validation builds.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from itertools import pairwise
from operator import add, itemgetter
from sys import intern
from typing import Any, TypeVar

from pydantic import BaseModel

from .cache import bulk_reading
from .catalogue import Catalogue, CatalogueInfo, Item, Link, Section, minutes
from .structure import STRUCTURE_COLUMNS, Structure

__all__ = ["CachedItems", "catalogue_from_record", "catalogue_record", "construct_catalogue"]


def construct_catalogue(raw: dict[str, Any]) -> Catalogue:
    """Build a catalogue from data already known to be valid, without validating it again.

    Only for bundled catalogues (validated by the test suite) and for data from the
    validated-catalogue cache; tests check that the result equals a validated one.
    """

    def links(owner: dict[str, Any]) -> tuple[Link, ...]:
        """Return an item's or a section's links as models."""
        return tuple(
            _trusted(Link, {**link, "authors": tuple(link.get("authors", ()))})
            for link in owner.get("links", ())
        )

    def effort(item: dict[str, Any]) -> object:
        """Return an item's effort in minutes (bundled files may write durations)."""
        value = item.get("effort")
        return None if value is None else minutes(value)

    items = tuple(
        _trusted(
            Item,
            {
                **item,
                "effort": effort(item),
                "authors": tuple(item.get("authors", ())),
                "links": links(item) if "links" in item else (),
                "requires": tuple(item.get("requires", ())),
                "aliases": tuple(item.get("aliases", ())),
            },
        )
        for item in raw["items"]
    )
    sections = tuple(
        _trusted(
            Section,
            {**section, "requires": tuple(section.get("requires", ())), "links": links(section)},
        )
        for section in raw["sections"]
    )
    header = {**raw["catalogue"], "kinds": tuple(raw["catalogue"].get("kinds", ()))}
    return Catalogue(header=CatalogueInfo.model_construct(**header), sections=sections, items=items)


def catalogue_record(catalogue: Catalogue) -> dict[str, Any]:
    """Return a validated catalogue as plain values for the read cache.

    The header and each section are one tuple of field values, in declaration order. The
    items are split in two (see ``CachedItems``): the structure's fields as one column each,
    and the other fields as one marshal blob per item, all joined, with where each starts.
    """
    items, structure = catalogue.items, catalogue.structure
    # Appended to one buffer, not joined from a list: this runs when a cold read of a large
    # catalogue is already at its peak of memory.
    blob, starts = bytearray(), [0]
    for item in items:
        blob += marshal.dumps(_details(item))
        starts.append(len(blob))
    return {
        "header": _row(catalogue.header),
        "sections": [_row(section) for section in catalogue.sections],
        "structure": {
            name: _shared(getattr(structure, name)) for name in STRUCTURE_COLUMNS.values()
        },
        "indexes": structure.indexes(),
        "fields": _field_names(Item),  # a build whose Item has other fields makes this a miss
        "details": blob,  # marshal writes it as bytes, and loads it so
        "details_check": zlib.crc32(blob),
        "starts": tuple(starts),
    }


def catalogue_from_record(record: dict[str, Any]) -> Catalogue:
    """Rebuild a catalogue from ``catalogue_record`` output, which was validated when made."""
    items = CachedItems.of_record(record)
    with bulk_reading():
        (header,) = _from_rows(CatalogueInfo, [record["header"]])
        sections = _from_rows(Section, record["sections"])
    return Catalogue(header=header, sections=sections, items=items, structure=items.structure())


class CachedItems:
    """A catalogue's items as the read cache keeps them: each model built when first asked for.

    A run that trusts the cache used to rebuild every item model, 0.1 s at 20,000 items,
    while ``next`` shows a handful. The structure's columns load as they are; the other
    fields (titles, summaries, addresses: most of the bytes) stay one blob until an item is
    asked for, and then only its own slice is read.
    """

    def __init__(
        self,
        *,
        structure: Mapping[str, Sequence[Any]],
        indexes: Mapping[str, Any],
        fields: Sequence[str],
        details: bytes,
        details_check: int,
        starts: Sequence[int],
    ) -> None:
        """Hold the cached values; ValueError if they are not what ``catalogue_record`` made."""
        if tuple(fields) != _field_names(Item):
            raise ValueError("the items were cached with other fields")
        count = len(starts) - 1
        if structure.keys() != set(STRUCTURE_COLUMNS.values()) or any(
            len(column) != count for column in structure.values()
        ):
            raise ValueError("not one column per structure field, each one value per item")
        if zlib.crc32(details) != details_check or starts[-1] != len(details):
            raise ValueError("the items' details are not the bytes that were cached")
        self._structure = Structure.restored(structure, indexes)
        self._columns = [structure[name] for name in STRUCTURE_COLUMNS.values()]
        self._details = details
        self._starts = starts
        self._built: dict[int, Item] = {}

    @classmethod
    def of_record(cls, record: dict[str, Any]) -> CachedItems:
        """Return the items that ``catalogue_record`` kept (ValueError if damaged)."""
        return cls(
            structure=record["structure"],
            indexes=record["indexes"],
            fields=record["fields"],
            details=record["details"],
            details_check=record["details_check"],
            starts=record["starts"],
        )

    def structure(self) -> Structure:
        """Return the columns that make up the catalogue's structure, with no model built."""
        return self._structure

    def __getitem__(self, index: int) -> Item:
        """Return the item at ``index``, built the first time it is asked for."""
        if not 0 <= index < len(self._starts) - 1:
            raise IndexError(f"no item at {index}")
        built = self._built.get(index)
        if built is None:
            start, end = self._starts[index], self._starts[index + 1]
            details = marshal.loads(self._details[start:end])  # noqa: S302
            shape = tuple(column[index] for column in self._columns)
            (built,) = _from_rows(Item, [_IN_FIELD_ORDER(details + shape)])
            self._built[index] = built
        return built

    def __iter__(self) -> Iterator[Item]:
        """Yield every item, built in one pass: ``map`` and ``zip`` over the blob and columns."""
        slices = [self._details[start:end] for start, end in pairwise(self._starts)]
        details = map(marshal.loads, slices)
        rows = map(_IN_FIELD_ORDER, map(add, details, zip(*self._columns, strict=True)))
        with bulk_reading():
            models = _from_rows(Item, rows)
        return iter(models)


#: The item fields kept in the details blob: all but the structure's.
DETAILS = tuple(name for name in Item.model_fields if name not in STRUCTURE_COLUMNS)
#: An item's details followed by its structure's values, put in declaration order.
_IN_FIELD_ORDER = itemgetter(
    *((*DETAILS, *STRUCTURE_COLUMNS).index(name) for name in Item.model_fields)
)


def _shared(column: Sequence[Any]) -> tuple[Any, ...]:
    """Return a column with its strings interned: marshal then writes a section or a kind once.

    Twenty thousand copies of a few section names otherwise load as 20,000 strings.
    """
    return tuple(intern(value) if isinstance(value, str) else value for value in column)


def _details(item: Item) -> tuple[Any, ...]:
    """Return an item's detail fields as plain values, its links as rows."""
    values = item.__dict__
    return tuple(
        tuple(map(_row, values[name])) if name == "links" else values[name] for name in DETAILS
    )


def _row(model: BaseModel) -> tuple[Any, ...]:
    """Return a model's field values in declaration order, its links as rows too."""
    values = model.__dict__
    return tuple(
        tuple(_row(link) for link in values[name]) if name == "links" else values[name]
        for name in type(model).model_fields
    )


_Model = TypeVar("_Model", bound=BaseModel)


def _from_rows(model: type[_Model], rows: Iterable[tuple[Any, ...]]) -> list[_Model]:
    """Return a model holding the values of each of ``_row``'s outputs, links included.

    One loop for all the rows of a model: a catalogue may hold 20,000 items, and a call per
    item through helpers cost twice as much.
    """
    names = _field_names(model)
    links = names.index("links") if "links" in names else None
    # One set of names per model class, shared: a set of 19 names takes about a kilobyte,
    # 20 MB for a 20,000-item catalogue. Sharing is safe: the models are frozen, so pydantic
    # never adds to it in place, and model_copy copies it before adding the updated names.
    fields_set = _all_fields(model)
    models = []
    for row in rows:
        state = dict(zip(names, row, strict=True))
        if links is not None and row[links]:
            state["links"] = tuple(_from_rows(Link, row[links]))
        models.append(_assemble(model, state, fields_set=fields_set))
    return models


def _trusted(model: type[_Model], values: dict[str, Any]) -> _Model:
    """Return a model holding valid ``values``, with defaults for the fields they leave out."""
    state = {name: values.get(name, default) for name, default in _defaults(model)}
    return _assemble(model, state, fields_set=state.keys() & values.keys())


def _assemble(model: type[_Model], state: dict[str, Any], *, fields_set: set[str]) -> _Model:
    """Return a model whose fields are ``state``: what ``model_construct`` does, ten times faster.

    model_construct costs about 20 us a model, 0.4 s for a 20,000-item catalogue on every run.
    This sets the four attributes model_construct sets, and nothing else; only validated data
    gets here, and tests compare the result with validation's.
    """
    instance = model.__new__(model)
    object.__setattr__(instance, "__dict__", state)
    object.__setattr__(instance, "__pydantic_fields_set__", fields_set)
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


@cache
def _field_names(model: type[BaseModel]) -> tuple[str, ...]:
    """Return a model's field names in declaration order."""
    return tuple(model.model_fields)


@cache
def _all_fields(model: type[BaseModel]) -> set[str]:
    """Return the one set of a model's field names that rebuilt models share."""
    return set(model.model_fields)


@cache
def _defaults(model: type[BaseModel]) -> tuple[tuple[str, Any], ...]:
    """Return each field's name and default, in declaration order (required: a placeholder)."""
    return tuple(
        (name, None if field.is_required() else field.get_default(call_default_factory=True))
        for name, field in model.model_fields.items()
    )
