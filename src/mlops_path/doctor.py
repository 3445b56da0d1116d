"""Check the catalogue and the store, report what is wrong, and restore backups."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .catalogue import Catalogue
from .errors import InvalidValueError, MlopsPathError, StoreError
from .events import StoreFile
from .paths import DataPaths
from .results import DoctorReport, RestoreResult
from .store import Backup, ProgressStore, Snapshot

__all__ = ["CLOCK_SKEW", "NoBackupError", "diagnose", "restore"]

#: Clocks on synced machines disagree a little; only events further ahead are reported.
CLOCK_SKEW = timedelta(minutes=5)


class NoBackupError(MlopsPathError):
    """Report that there is no good backup to restore."""


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
    from .loading import catalogue_problems

    snapshot = store.snapshot()
    try:
        loaded: StoreFile | None = snapshot.history
        problem = None
    except StoreError as error:
        loaded, problem = None, error.message
    events = loaded.events if loaded else ()
    known = catalogue.known_item_ids
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
        store_exists=snapshot.data is not None,
        store=loaded,
        store_problem=problem,
        orphans=dict(orphans),
        other_catalogues=dict(others),
        future_events=future,
        backups=tuple(store.backups()),
    )


def restore(store: ProgressStore, *, force: bool = False) -> RestoreResult:
    """Put the newest backup that holds history back in place, under the store's lock.

    The backup is chosen once the lock is held, so a write that lands meanwhile is not rolled
    back unseen. A store that reads fine and holds history is replaced only with ``force``;
    whatever is replaced is kept in the backups folder.
    """
    with store.transaction() as tx:
        if not force and _holds_readable_history(tx.snapshot):
            raise InvalidValueError(
                f"the progress file {store.path} is healthy; restoring would roll it back",
                hint="add --force to restore the newest backup anyway (the file is kept)",
            )
        backup, history = _newest_good_backup(store)
        kept = tx.replace(history)
    return RestoreResult(backup=backup, previous_kept_at=kept)


def _holds_readable_history(snapshot: Snapshot) -> bool:
    """Tell whether a store file parses and holds at least one event."""
    if snapshot.data is None:
        return False
    try:
        return bool(snapshot.history.events)
    except StoreError:
        return False


def _newest_good_backup(store: ProgressStore) -> tuple[Backup, StoreFile]:
    """Return the newest backup that parses and holds at least one event, and its history."""
    for backup in store.backups():
        if backup.store is not None and backup.store.events:
            return backup, backup.store
    raise NoBackupError(f"no backup with any history in {store.backup_dir}")
