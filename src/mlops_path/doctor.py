"""Check the catalogue and the progress files, report what is wrong, and restore backups."""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .backups import Backup
from .catalogue import Catalogue
from .errors import InvalidValueError, MlopsPathError, StoreError
from .history import ProgressFile, Snapshot
from .paths import DataPaths
from .results import DeviceSummary, DoctorReport, RestoreResult, TidyResult
from .store import ProgressStore

if TYPE_CHECKING:
    from .events import Event

__all__ = ["CLOCK_SKEW", "NoBackupError", "diagnose", "restore", "tidy_conflict_copies"]

#: Clocks on synced machines disagree a little; only events further ahead are reported.
CLOCK_SKEW = timedelta(minutes=5)


class NoBackupError(MlopsPathError):
    """Report that there is no good backup to restore."""


def diagnose(
    store: ProgressStore,
    *,
    paths: DataPaths,
    catalogue: Catalogue,
    catalogue_source: str,
    catalogue_path: Path | None,
) -> DoctorReport:
    """Look at every file and report, without changing anything.

    The catalogue is validated in full here, even the bundled one that other commands trust.
    Every progress file is checked on its own, so one broken file is named, not just noticed.
    """
    from .loading import catalogue_problems

    snapshot = store.snapshot()
    broken = tuple(
        (f.path, problem) for f in _files(snapshot) if (problem := _problem(snapshot, f))
    )
    readable = [f for f in _files(snapshot) if f.path not in dict(broken)]
    history = None if broken else snapshot.history
    events = history.events if history else ()
    known = catalogue.known_item_ids
    ours = [event for event in events if event.catalogue == catalogue.id]
    horizon = datetime.now(UTC) + CLOCK_SKEW
    return DoctorReport(
        paths=paths,
        catalogue_source=catalogue_source,
        catalogue=catalogue,
        catalogue_problems=catalogue_problems(catalogue_path),
        store_exists=not snapshot.is_empty,
        events=len(events) if history else None,
        store_problem=f"{broken[0][0]}: {broken[0][1]}" if broken else None,
        broken_files=broken,
        devices=_devices(snapshot, readable),
        this_device=store.device(),
        conflict_copies=tuple(f.path for f in snapshot.files if f.conflict),
        conflicting_ids=history.conflicting if history else (),
        orphans=dict(Counter(event.item for event in ours if event.item not in known)),
        other_catalogues=dict(
            Counter(event.catalogue for event in events if event.catalogue != catalogue.id)
        ),
        future_events=sum(
            1 for event in events if event.at > horizon or (event.on and event.on > horizon)
        ),
        writable=_writable(paths.data_dir),
        backups=tuple(store.backups()),
    )


def restore(store: ProgressStore, *, force: bool = False) -> RestoreResult:
    """Put back the newest good backup of a broken progress file, under the store's lock.

    The file and its backup are chosen once the lock is held, so a write that lands meanwhile
    is not rolled back unseen. When every file reads fine, nothing is replaced unless
    ``force``: then this device's latest file goes back one version. The replaced file is kept.
    """
    from .backups import put_back

    with store.locked():
        snapshot = store.snapshot()
        broken = [f for f in _files(snapshot) if _problem(snapshot, f)]
        if broken:
            target = broken[0].path
        elif force:
            target = _latest_own_file(store, snapshot)
        else:
            raise InvalidValueError(
                f"the progress files in {store.data_dir} are healthy; restoring would roll "
                "them back",
                hint="add --force to restore the newest backup anyway (the file is kept)",
            )
        backup = _newest_good_backup(store, target)
        kept = put_back(backup.path, target, backup_dir=store.backup_dir)
    return RestoreResult(backup=backup, restored_to=target, previous_kept_at=kept)


def _files(snapshot: Snapshot) -> list[ProgressFile]:
    """Return the marker (or older store) and every device file."""
    return [*([snapshot.marker] if snapshot.marker else []), *snapshot.files]


def _problem(snapshot: Snapshot, file: ProgressFile) -> str | None:
    """Return what is wrong with one file, or None when it parses."""
    try:
        snapshot.events_of(file)
    except StoreError as error:
        return error.message.split(": ", 1)[-1]
    return None


def _devices(snapshot: Snapshot, readable: list[ProgressFile]) -> dict[str, DeviceSummary]:
    """Return each device seen, with its files, its events and its newest event's time."""
    summary: dict[str, DeviceSummary] = {}
    for file in readable:
        if file.device is None:
            continue
        events = snapshot.events_of(file)
        seen = summary.get(file.device, DeviceSummary(files=0, events=0, newest=None))
        newest = max((e.at for e in events), default=None)
        if seen.newest is not None and (newest is None or seen.newest > newest):
            newest = seen.newest
        summary[file.device] = DeviceSummary(
            files=seen.files + 1, events=seen.events + len(events), newest=newest
        )
    return summary


def _writable(folder: Path) -> bool:
    """Tell whether new files can be made in the data folder (or where it will be made)."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK | os.X_OK)


def _latest_own_file(store: ProgressStore, snapshot: Snapshot) -> Path:
    """Return this device's most recent yearly file (even one that vanished), or the old store."""
    device = store.device()
    own = {f.path for f in snapshot.files if f.device == device and not f.conflict}
    kept = store.backup_dir / device
    if kept.is_dir():
        own |= {
            store.progress_dir / device / backup.name.rsplit(".", 1)[0]
            for backup in kept.glob("*.toml.[0-9]*")
        }
    if own:
        return max(own)
    if snapshot.marker is not None:
        return snapshot.marker.path
    raise NoBackupError(f"nothing has been recorded in {store.data_dir} yet")


def _newest_good_backup(store: ProgressStore, target: Path) -> Backup:
    """Return the newest backup of ``target`` that parses and holds at least one event."""
    from .backups import backup_of

    newest = backup_of(data_dir=store.data_dir, backup_dir=store.backup_dir, original=target)
    stem = newest.name.removesuffix(".1")
    for backup in store.backups():
        same_file = backup.path.parent == newest.parent and backup.path.name.startswith(stem)
        if same_file and backup.store is not None and backup.store.events:
            return backup
    raise NoBackupError(
        f"no backup with any history for {target} in {store.backup_dir}",
        hint=None
        if target.parent.name in (store.device(), store.data_dir.name)
        else f"it is written by device {target.parent.name!r}: sync it again from there",
    )


def tidy_conflict_copies(store: ProgressStore) -> TidyResult:
    """Fold sync tools' conflict copies into this device's file and move them to backups/.

    Events found only in a copy are appended to this device's file first, so moving the
    copies away loses nothing; a copy that cannot be read is moved too, and kept.
    """
    with store.transaction() as tx:
        snapshot = tx.snapshot
        copies = [f for f in snapshot.files if f.conflict]
        if not copies:
            return TidyResult(merged_events=0, moved=())
        known = {
            event.id
            for file in _files(snapshot)
            if not file.conflict and not _problem(snapshot, file)
            for event in snapshot.events_of(file)
        }
        only_in_copies: dict[str, Event] = {}
        for copy in copies:
            if not _problem(snapshot, copy):
                for event in snapshot.events_of(copy):
                    if event.id not in known:
                        only_in_copies.setdefault(event.id, event)
        tx.append(list(only_in_copies.values()))
        moved = tuple(
            (
                copy.path,
                _move_aside(copy.path, store.backup_dir / "conflicts" / copy.path.parent.name),
            )
            for copy in copies
        )
    return TidyResult(merged_events=len(only_in_copies), moved=moved)


def _move_aside(path: Path, folder: Path) -> Path:
    """Move a file into ``folder`` under a name not taken yet; return where it went."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / path.name
        number = 1
        while target.exists():
            number += 1
            target = folder / f"{path.name}.{number}"
        path.replace(target)
    except OSError as error:
        raise StoreError(
            path=path, problem=f"cannot move it to {folder}: {error.strerror}"
        ) from None
    return target
