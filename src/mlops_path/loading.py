"""Read catalogue files: the bundled guide as trusted data, other files through a cache.

Also the catalogue commands' file work: validating a file, writing a starter, the schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import ReadCache, digest
from .catalogue import KINDS, SLUG_MAX, Catalogue, CatalogueFile
from .catalogue_rows import catalogue_from_record, catalogue_record, construct_catalogue
from .catalogue_source import (
    BUNDLED,
    BUNDLED_CATALOGUE,
    bundled_file,
    read_bundled,
    read_catalogue_bytes,
    read_source,
)
from .completion_index import write_index
from .errors import CatalogueError, InvalidValueError

if TYPE_CHECKING:
    from .results import CatalogueListResult, SchemaResult, StarterResult, ValidationResult

__all__ = [
    "BUNDLED",
    "BUNDLED_CATALOGUE",
    "bundled_catalogues",
    "bundled_file",
    "bundled_source",
    "catalogue_problems",
    "catalogue_schema",
    "load_catalogue",
    "read_bundled",
    "read_catalogue_bytes",
    "validate_file",
    "write_starter",
]

STARTER_CATALOGUE = "starter.toml"


def load_catalogue(path: Path | None, *, cache: ReadCache) -> Catalogue:
    """Load a catalogue file, or a bundled one (the MLOps guide when no path is given).

    Bundled catalogues are trusted: the test suite validates them, so they are built without
    validating again. Another file is validated once per content; the validated data is then
    kept in ``cache`` and reused while the file's bytes stay the same.

    A miss also writes the completion index for these bytes beside it (completion_index.py),
    so that after any command fast completion answers from an index that matches the file.
    """
    bundled = bundled_file(path)
    data, name = read_source(path)
    source_digest = digest(data)
    entry = f"catalogue-{name}"
    cached = cache.rebuild(entry, source_digest, catalogue_from_record)
    if cached is not None:
        return cached
    if bundled:
        from .toml_tables import loads

        catalogue = construct_catalogue(loads(data.decode("utf-8")))
    else:
        from .validation import parse_catalogue  # validating is the slow path: only on a miss

        catalogue = parse_catalogue(data, source=str(path))
    write_index(cache, name=name, source_digest=source_digest, catalogue=catalogue, kinds=KINDS)
    # The validated form, not the raw TOML: lax validation may have converted values.
    record = catalogue_record(catalogue)
    # From here on, the catalogue a hit would give: the validated models go before the
    # record is written, since a large catalogue read cold is then at its peak of memory.
    catalogue = catalogue_from_record(record)
    cache.put(entry, source_digest, record)
    return catalogue


def bundled_source(name: str = BUNDLED_CATALOGUE) -> str:
    """Return how a bundled catalogue is named in messages."""
    return f"<bundled {name}>"


def bundled_catalogues() -> CatalogueListResult:
    """Return every bundled study path with what it holds."""
    from .results import BundledCatalogue, CatalogueListResult
    from .validation import parse_catalogue

    found = []
    for name, file in BUNDLED.items():
        catalogue = parse_catalogue(read_bundled(file), source=bundled_source(file))
        found.append(BundledCatalogue(name=name, catalogue=catalogue))
    return CatalogueListResult(catalogues=tuple(found))


def validate_file(path: Path) -> ValidationResult:
    """Validate a catalogue file; raise a CatalogueError listing every problem found."""
    from .results import ValidationResult
    from .validation import parse_catalogue

    catalogue = parse_catalogue(read_catalogue_bytes(path), source=str(path))
    return ValidationResult(source=str(path), catalogue=catalogue)


def catalogue_problems(path: Path | None) -> tuple[str, ...]:
    """Validate a catalogue file (or a bundled one) and return its problems."""
    from .validation import parse_catalogue

    bundled = bundled_file(path)
    try:
        if bundled:
            parse_catalogue(read_bundled(bundled), source=bundled_source(bundled))
        elif path is not None:
            parse_catalogue(read_catalogue_bytes(path), source=str(path))
    except CatalogueError as error:
        return error.lines()
    return ()


def catalogue_schema() -> SchemaResult:
    """Return the JSON Schema of the catalogue format, for editors that validate TOML."""
    from .results import SchemaResult

    schema: dict[str, Any] = CatalogueFile.model_json_schema()
    return SchemaResult(
        schema={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "mlops-path catalogue",
            "description": "A study path for mlops-path: a header, sections, and items in order.",
            **{key: value for key, value in schema.items() if key not in ("title", "description")},
        }
    )


def write_starter(path: Path, *, catalogue_id: str | None = None) -> StarterResult:
    """Write the commented starter catalogue to ``path``, never over an existing file.

    Its id comes from the file name unless given, so two starters never share progress.
    """
    import re

    from .catalogue import SLUG_PATTERN
    from .identity import starter_id
    from .results import StarterResult

    new_id = catalogue_id or starter_id(path)
    if not re.fullmatch(SLUG_PATTERN, new_id) or len(new_id) > SLUG_MAX:
        raise InvalidValueError(
            f"--id {new_id!r} is not an id: use lower-case letters, digits and dashes, "
            f"starting with a letter or digit, at most {SLUG_MAX} characters"
        )
    data = read_bundled(STARTER_CATALOGUE).replace(
        b'id = "my-study-path"', f'id = "{new_id}"'.encode(), 1
    )
    try:
        with path.open("xb") as handle:
            handle.write(data)
    except FileExistsError:
        raise CatalogueError(
            path=path, problems=[f"{path}: already exists; choose another name"]
        ) from None
    except OSError as error:
        raise CatalogueError(
            path=path, problems=[f"{path}: cannot write: {error.strerror or error}"]
        ) from None
    return StarterResult(path=path, catalogue_id=new_id)
