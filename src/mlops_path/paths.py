"""Decide where mlops-path keeps its files; nothing else in the package builds a data path."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "mlops-path"
#: Environment variable that moves the whole data folder (tests, synced folders, portable use).
DATA_DIR_ENV = "MLOPS_PATH_DATA_DIR"
#: Environment variable naming a catalogue file to study instead of the bundled guide.
CATALOGUE_ENV = "MLOPS_PATH_CATALOGUE"
#: Environment variable that moves the read caches (derived data; safe to delete).
CACHE_DIR_ENV = "MLOPS_PATH_CACHE_DIR"
#: Environment variable that moves this machine's own state (its device id, known catalogues).
STATE_DIR_ENV = "MLOPS_PATH_STATE_DIR"
#: Environment variable that moves the folder of the settings file (config.toml).
CONFIG_DIR_ENV = "MLOPS_PATH_CONFIG_DIR"
CONFIG_FILE_NAME = "config.toml"
STORE_FILE_NAME = "progress.toml"
PROGRESS_DIR_NAME = "progress"
#: Environment variable naming this device, instead of the id kept in the state folder.
DEVICE_ENV = "MLOPS_PATH_DEVICE"

__all__ = [
    "APP_NAME",
    "CACHE_DIR_ENV",
    "CATALOGUE_ENV",
    "CONFIG_DIR_ENV",
    "CONFIG_FILE_NAME",
    "DATA_DIR_ENV",
    "DEVICE_ENV",
    "PROGRESS_DIR_NAME",
    "STATE_DIR_ENV",
    "STORE_FILE_NAME",
    "DataPaths",
    "config_file",
    "resolve_paths",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class DataPaths:
    """Hold the locations of the files in one data folder."""

    data_dir: Path
    cache_dir: Path
    state_dir: Path

    @property
    def known_catalogues(self) -> Path:
        """Return this machine's record of the catalogue files used, by id: never synced."""
        return self.state_dir / "catalogues.toml"

    @property
    def store(self) -> Path:
        """Return progress.toml: the marker of the per-device layout, or an older single store."""
        return self.data_dir / STORE_FILE_NAME

    @property
    def progress_dir(self) -> Path:
        """Return the folder holding one folder of progress files per device."""
        return self.data_dir / PROGRESS_DIR_NAME

    @property
    def device_file(self) -> Path:
        """Return where this machine keeps its device id: never in the (synced) data folder."""
        return self.state_dir / "device"

    @property
    def backups(self) -> Path:
        """Return the folder of rotating backups of the store."""
        return self.data_dir / "backups"

    @property
    def lock(self) -> Path:
        """Return the lock file that serialises writers of the store."""
        return self.data_dir / f"{STORE_FILE_NAME}.lock"


def resolve_paths(*, environ: Mapping[str, str] | None = None) -> DataPaths:
    """Return the data, cache and state folders: each override if set, else platformdirs'."""
    env = os.environ if environ is None else environ
    data_dir = _override(env, DATA_DIR_ENV)
    cache_dir = _override(env, CACHE_DIR_ENV)
    state_dir = _override(env, STATE_DIR_ENV)
    if data_dir is None or cache_dir is None or state_dir is None:
        # Imported here: with every override set, platformdirs is not needed at all.
        import platformdirs

        data_dir = data_dir or platformdirs.user_data_path(APP_NAME, appauthor=False)
        cache_dir = cache_dir or platformdirs.user_cache_path(APP_NAME, appauthor=False)
        state_dir = state_dir or platformdirs.user_state_path(APP_NAME, appauthor=False)
    return DataPaths(data_dir=data_dir, cache_dir=cache_dir, state_dir=state_dir)


def _override(env: Mapping[str, str], name: str) -> Path | None:
    """Return the folder an environment variable names, or None when it is unset."""
    value = env.get(name, "").strip()
    return Path(value).expanduser() if value else None


def config_file(*, environ: Mapping[str, str] | None = None) -> Path:
    """Return the settings file: in MLOPS_PATH_CONFIG_DIR if set, else the user config folder."""
    env = os.environ if environ is None else environ
    folder = _override(env, CONFIG_DIR_ENV)
    if folder is None:
        import platformdirs

        folder = platformdirs.user_config_path(APP_NAME, appauthor=False)
    return folder / CONFIG_FILE_NAME
