"""Load a catalogue quickly: the bundled guide as trusted data, other files through a cache."""

from __future__ import annotations

import importlib
import tomllib
from pathlib import Path

from .cache import ReadCache, digest
from .catalogue import Catalogue, construct_catalogue
from .errors import CatalogueError

BUNDLED_CATALOGUE = "mlops-guide.toml"


def load_catalogue(path: Path | None = None, *, cache: ReadCache | None = None) -> Catalogue:
    """Load a catalogue file, or the bundled MLOps guide when no path is given.

    The bundled guide is trusted: the test suite validates it, so it is built without
    validating again. Another file is validated once per content; the validated data is then
    kept in ``cache`` and reused while the file's bytes stay the same.
    """
    cache = cache or ReadCache(None)
    data = read_bundled(BUNDLED_CATALOGUE) if path is None else read_catalogue_bytes(path)
    source_digest = digest(data)
    name = "bundled" if path is None else digest(str(path.resolve()).encode())
    entry = f"catalogue-{name}"
    cached = cache.get(entry, source_digest)
    if cached is not None:
        return construct_catalogue(cached)
    if path is None:
        catalogue = construct_catalogue(tomllib.loads(data.decode("utf-8")))
    else:
        from .validation import parse_catalogue  # validating is the slow path: only on a miss

        catalogue = parse_catalogue(data, source=str(path))
    # The validated form, not the raw TOML: lax validation may have converted values.
    cache.put(entry, source_digest, catalogue.model_dump())
    return catalogue


def bundled_source() -> str:
    """Return how the bundled catalogue is named in messages."""
    return f"<bundled {BUNDLED_CATALOGUE}>"


def read_catalogue_bytes(path: Path) -> bytes:
    """Return a catalogue file's bytes, or raise a CatalogueError naming it."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise CatalogueError(
            path=path, problems=[f"{path}: cannot read file: {error.strerror or error}"]
        ) from None


def read_bundled(name: str) -> bytes:
    """Return the bytes of a file shipped in the ``mlops_path.resources`` package.

    Read beside the package's own ``__init__``, which works for wheels and editable installs
    alike and costs less start-up time than importlib.resources; mlops-path is not zip-safe.
    """
    # By name: the package lives in the top-level resources/ folder, outside src/ (see
    # pyproject.toml), where the type checker does not look.
    resources = importlib.import_module("mlops_path.resources")
    return Path(str(resources.__file__)).with_name(name).read_bytes()
