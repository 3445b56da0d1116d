"""Put together what every command works on: the one front door between the CLI and the library."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cache import ReadCache
    from .catalogue import Catalogue
    from .changes import Changes
    from .config import Settings
    from .paths import DataPaths
    from .queries import Queries
    from .results import (
        DoctorReport,
        ExportResult,
        ImportResult,
        RestoreResult,
        SyncResult,
        TidyResult,
    )
    from .states_cache import StatesCache
    from .store import ProgressStore

__all__ = ["Services", "open_services", "utc_now"]


def utc_now() -> datetime:
    """Return the current moment in UTC: the clock commands use unless one is passed in."""
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class Services:
    """A catalogue, its store, the read cache, the settings and the clock; tests build their own."""

    paths: DataPaths
    catalogue: Catalogue
    catalogue_path: Path | None
    store: ProgressStore
    cache: ReadCache
    settings: Settings
    #: The learner's zone for days and times shown: TZ, else the settings', else the system's.
    zone: tzinfo
    clock: Callable[[], datetime] = utc_now
    #: Said to the learner before the command's answer (e.g. two catalogues sharing an id).
    warnings: tuple[str, ...] = ()

    @property
    def catalogue_source(self) -> str:
        """Return how the catalogue in use is named in messages."""
        from .loading import bundled_file, bundled_source

        bundled = bundled_file(self.catalogue_path)
        return bundled_source(bundled) if bundled else str(self.catalogue_path)

    @property
    def command(self) -> str:
        """Return the command to paste for this catalogue: a hint that works as shown."""
        import shlex

        if self.catalogue_path is None:
            return "mlops-path"
        return f"mlops-path --catalogue {shlex.quote(str(self.catalogue_path))}"

    @cached_property
    def states_cache(self) -> StatesCache:
        """Return the derived-states cache of this catalogue."""
        from .states_cache import StatesCache

        return StatesCache(catalogue=self.catalogue, cache=self.cache)

    @cached_property
    def queries(self) -> Queries:
        """Return the answers to the reading commands."""
        from .queries import Queries

        return Queries(
            catalogue=self.catalogue,
            store=self.store,
            states_cache=self.states_cache,
            clock=self.clock,
            command=self.command,
            zone=self.zone,
            first_weekday=self.settings.week_start,
        )

    @cached_property
    def changes(self) -> Changes:
        """Return the recorder of the learner's changes."""
        from .changes import Changes

        return Changes(queries=self.queries)

    def export(self, fmt: str | None, *, output: Path | None) -> ExportResult:
        """Export the learner's progress, to ``output`` or as text to print (``-``: stdout).

        Without ``fmt`` the file's extension picks the format (.json, .csv, .md, .markdown);
        anything else, and stdout, get JSON.
        """
        from .choices import FORMAT_BY_SUFFIX
        from .exchange import export_text, write_export
        from .results import ExportResult

        if output is not None and str(output) == "-":
            output = None
        if fmt is None:
            fmt = FORMAT_BY_SUFFIX.get(output.suffix.lower(), "json") if output else "json"
        text = export_text(self.queries, fmt, now=self.clock(), zone=self.zone)
        if output is not None:
            write_export(output, text)
        return ExportResult(text=text, written_to=output)

    def import_file(self, source: Path) -> ImportResult:
        """Merge another machine's export or store file into this store."""
        from .exchange import read_events

        return self.changes.import_events(source, read_events(source))

    def doctor(self) -> DoctorReport:
        """Check every file and report, changing nothing."""
        from .doctor import diagnose

        return diagnose(
            self.store,
            paths=self.paths,
            catalogue=self.catalogue,
            catalogue_source=self.catalogue_source,
            catalogue_path=self.catalogue_path,
        )

    def restore(self, *, force: bool = False) -> RestoreResult:
        """Bring back the newest good backup of a broken progress file."""
        from .doctor import restore

        return restore(self.store, force=force)

    def tidy(self) -> TidyResult:
        """Fold sync tools' conflict copies into this device's file and keep them in backups."""
        from .doctor import tidy_conflict_copies

        return tidy_conflict_copies(self.store)

    def sync(self) -> SyncResult:
        """Commit this device's files to the data folder's git repository, pull, push."""
        from .sync import git_sync

        return git_sync(data_dir=self.paths.data_dir, device=self.store.device())


def open_services(
    *,
    catalogue_path: Path | None = None,
    settings: Settings | None = None,
    environ: Mapping[str, str] | None = None,
) -> Services:
    """Build the services: the given catalogue (or the bundled guide), the default folders.

    ``settings`` are the learner's, read by the caller; without them, the defaults.
    """
    from .cache import ReadCache
    from .config import Settings
    from .device import device_id
    from .loading import load_catalogue
    from .localtime import local_zone
    from .paths import config_file, resolve_paths
    from .store import ProgressStore

    if settings is None:
        settings = Settings(path=config_file(environ=environ))
    paths = resolve_paths(environ=environ)
    cache = ReadCache(paths.cache_dir)
    catalogue = load_catalogue(catalogue_path, cache=cache)
    warnings: tuple[str, ...] = ()
    from .loading import bundled_file

    if bundled_file(catalogue_path) is None and catalogue_path is not None:
        from .identity import check_catalogue_identity

        warning = check_catalogue_identity(
            catalogue, path=catalogue_path, record=paths.known_catalogues
        )
        warnings = (warning,) if warning else ()
    return Services(
        paths=paths,
        catalogue=catalogue,
        catalogue_path=catalogue_path,
        warnings=warnings,
        store=ProgressStore(
            data_dir=paths.data_dir,
            lock_path=paths.lock,
            device=lambda: device_id(device_file=paths.device_file, environ=environ),
            cache=cache,
        ),
        cache=cache,
        settings=settings,
        zone=local_zone(time_zone=settings.time_zone, environ=environ),
    )
