"""Decide where mlops-path keeps its files; nothing else in the package builds a data path."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "mlops-path"
#: Environment variable that moves the whole data folder (tests, synced folders, portable use).
DATA_DIR_ENV = "MLOPS_PATH_DATA_DIR"
#: Environment variable that moves the read caches (derived data; safe to delete).
CACHE_DIR_ENV = "MLOPS_PATH_CACHE_DIR"
STORE_FILE_NAME = "progress.toml"


@dataclass(frozen=True, slots=True, kw_only=True)
class DataPaths:
    """Hold the locations of the files in one data folder."""

    data_dir: Path
    cache_dir: Path | None = None

    @property
    def store(self) -> Path:
        """Return the progress store, the one file that holds the learner's history."""
        return self.data_dir / STORE_FILE_NAME

    @property
    def backups(self) -> Path:
        """Return the folder of rotating backups of the store."""
        return self.data_dir / "backups"

    @property
    def lock(self) -> Path:
        """Return the lock file that serialises writers of the store."""
        return self.data_dir / f"{STORE_FILE_NAME}.lock"


def default_data_dir(*, environ: Mapping[str, str] | None = None) -> Path:
    """Return the data folder: the override variable if set, else the platform's user data dir."""
    env = os.environ if environ is None else environ
    override = env.get(DATA_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    # Imported here: platformdirs is only needed when no override is set.
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_cache_dir(*, environ: Mapping[str, str] | None = None) -> Path:
    """Return the cache folder: the override variable if set, else the platform's user cache dir."""
    env = os.environ if environ is None else environ
    override = env.get(CACHE_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def resolve_paths(*, environ: Mapping[str, str] | None = None) -> DataPaths:
    """Return the data and cache folders chosen by the environment."""
    return DataPaths(
        data_dir=default_data_dir(environ=environ), cache_dir=default_cache_dir(environ=environ)
    )
