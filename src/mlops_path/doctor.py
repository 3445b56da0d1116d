"""Check the catalogue and the store, report what is wrong, and restore backups."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .catalogue import Catalogue
from .errors import CatalogueError, MlopsPathError, StoreError
from .events import StoreFile
from .paths import DataPaths
from .progress import iso
from .store import Backup, ProgressStore

#: Clocks on synced machines disagree a little; only events further ahead are reported.
CLOCK_SKEW = timedelta(minutes=5)


class NoBackupError(MlopsPathError):
    """Report that there is no good backup to restore."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DoctorReport:
    """Where every file lives and what is wrong with any of them."""

    paths: DataPaths
    catalogue_source: str
    catalogue: Catalogue
    catalogue_problems: tuple[str, ...]
    store: StoreFile | None
    store_problem: str | None
    orphans: dict[str, int]
    other_catalogues: dict[str, int]
    future_events: int
    backups: tuple[Backup, ...]

    @property
    def healthy(self) -> bool:
        """Tell whether the catalogue is valid and the store can be used as it is."""
        return self.store_problem is None and not self.catalogue_problems

    def to_json(self) -> dict[str, Any]:
        """Return the report as JSON."""
        return {
            "healthy": self.healthy,
            "files": {
                "data_dir": str(self.paths.data_dir),
                "store": str(self.paths.store),
                "lock": str(self.paths.lock),
                "backups": str(self.paths.backups),
                "catalogue": self.catalogue_source,
            },
            "catalogue": {
                "problems": list(self.catalogue_problems),
                "id": self.catalogue.id,
                "version": self.catalogue.catalogue.version,
                "sections": len(self.catalogue.sections),
                "items": len(self.catalogue.items),
            },
            "store": {
                "exists": self.paths.store.exists(),
                "problem": self.store_problem,
                "schema": self.store.schema_version if self.store else None,
                "events": len(self.store.events) if self.store else None,
            },
            "orphaned_ids": self.orphans,
            "other_catalogues": self.other_catalogues,
            "future_events": self.future_events,
            "backups": [_backup_json(backup) for backup in self.backups],
        }


def diagnose(
    *,
    catalogue: Catalogue,
    catalogue_source: str,
    catalogue_path: Path | None,
    store: ProgressStore,
    paths: DataPaths,
) -> DoctorReport:
    """Look at every file and report, without changing anything.

    The catalogue is validated in full here, even the bundled one that other commands trust.
    """
    try:
        loaded: StoreFile | None = store.load()
        problem = None
    except StoreError as error:
        loaded, problem = None, error.message
    events = loaded.events if loaded else ()
    known = catalogue.known_item_ids()
    ours = [event for event in events if event.catalogue == catalogue.id]
    orphans = Counter(event.item for event in ours if event.item not in known)
    others = Counter(event.catalogue for event in events if event.catalogue != catalogue.id)
    horizon = datetime.now(UTC) + CLOCK_SKEW
    future = sum(1 for event in events if event.at > horizon or (event.on and event.on > horizon))
    return DoctorReport(
        paths=paths,
        catalogue_source=catalogue_source,
        catalogue=catalogue,
        catalogue_problems=catalogue_problems(catalogue_path),
        store=loaded,
        store_problem=problem,
        orphans=dict(orphans),
        other_catalogues=dict(others),
        future_events=future,
        backups=tuple(store.backups()),
    )


def catalogue_problems(path: Path | None) -> tuple[str, ...]:
    """Validate a catalogue file (the bundled one when None) and return its problems."""
    from .loading import BUNDLED_CATALOGUE, bundled_source, read_bundled, read_catalogue_bytes
    from .validation import parse_catalogue

    try:
        if path is None:
            parse_catalogue(read_bundled(BUNDLED_CATALOGUE), source=bundled_source())
        else:
            parse_catalogue(read_catalogue_bytes(path), source=str(path))
    except CatalogueError as error:
        return error.lines()
    return ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RestoreResult:
    """Which backup was restored, and where the file it replaced was kept."""

    backup: Backup
    previous_kept_at: Path | None


def newest_good_backup(store: ProgressStore) -> Backup:
    """Return the newest backup that parses and holds at least one event."""
    for backup in store.backups():
        if backup.store is not None and backup.store.events:
            return backup
    raise NoBackupError(f"no backup with any history in {store.backup_dir}")


def restore(store: ProgressStore, backup: Backup) -> RestoreResult:
    """Make ``backup`` the store again; the current file is kept beside it, never deleted."""
    if backup.store is None:
        raise NoBackupError(f"backup {backup.path} cannot be read: {backup.problem}")
    kept = store.replace_with(backup.store)
    return RestoreResult(backup=backup, previous_kept_at=kept)


def _backup_json(backup: Backup) -> dict[str, Any]:
    """Return one backup as JSON."""
    return {
        "path": str(backup.path),
        "modified": iso(backup.modified),
        "events": len(backup.store.events) if backup.store else None,
        "problem": backup.problem,
    }
