"""Find the bytes a catalogue argument means, and the name its cache entries are kept under.

Standard library only, and nothing of the package that pulls in pydantic: fast completion
(fast_completion.py) reads the same file the same way before any of the CLI is imported, so
that both paths agree on which catalogue an argument names and on when it has changed.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from .cache import digest
from .errors import CatalogueError

__all__ = [
    "BUNDLED",
    "BUNDLED_CATALOGUE",
    "bundled_file",
    "read_bundled",
    "read_catalogue_bytes",
    "read_source",
]

BUNDLED_CATALOGUE = "mlops-guide.toml"
#: The study paths shipped with mlops-path, by the name ``--catalogue`` takes.
BUNDLED = {
    "mlops-guide": BUNDLED_CATALOGUE,
    "mlops-zoomcamp": "mlops-zoomcamp.toml",
    "made-with-ml": "made-with-ml.toml",
}


def bundled_file(path: Path | None) -> str | None:
    """Return the bundled file a catalogue argument names, or None for a file of the learner's.

    No argument is the guide; a name such as ``mlops-zoomcamp`` that is not a file here is a
    bundled study path (a file of that name wins, so nothing of the learner's is shadowed).
    """
    if path is None:
        return BUNDLED_CATALOGUE
    name = str(path)
    if name in BUNDLED and not path.exists():
        return BUNDLED[name]
    return None


def read_source(path: Path | None) -> tuple[bytes, str]:
    """Return a catalogue's bytes and the name its cache entries share, or raise CatalogueError.

    A bundled catalogue is named after its file; a learner's file after its absolute path, so
    that two files with the same content keep entries of their own.
    """
    bundled = bundled_file(path)
    if bundled:
        return read_bundled(bundled), f"bundled-{bundled}"
    file = path or Path()
    return read_catalogue_bytes(file), digest(str(file.resolve()).encode())


def read_catalogue_bytes(path: Path) -> bytes:
    """Return a catalogue file's bytes, or raise a CatalogueError naming it."""
    from .files import CATALOGUE_CAP, read_regular_file, reason

    try:
        return read_regular_file(path, cap=CATALOGUE_CAP)
    except OSError as error:
        raise CatalogueError(
            path=path, problems=[f"{path}: cannot read file: {reason(error)}"]
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
