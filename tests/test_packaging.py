"""Check what the package says about itself against pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

import mlops_path


def test_version_matches_the_package_metadata() -> None:
    pyproject = Path(__file__).parent.parent / "pyproject.toml"
    assert tomllib.loads(pyproject.read_text())["project"]["version"] == mlops_path.__version__
