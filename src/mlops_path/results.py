"""Results of commands, plain data for the output layer; `command` is how to call the catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, dataclass_transform

if TYPE_CHECKING:
    from .activity import Activity
    from .backups import Backup
    from .catalogue import Catalogue, Item, Section
    from .events import Action, Event
    from .paths import DataPaths
    from .progress import ItemState, Status
    from .search import Match

__all__ = [
    "BundledCatalogue",
    "CatalogueListResult",
    "ChangeResult",
    "DeviceSummary",
    "DoctorReport",
    "ExportResult",
    "ImportResult",
    "ItemView",
    "ListResult",
    "LogEntry",
    "LogResult",
    "NextResult",
    "OpenResult",
    "RestoreResult",
    "SchemaResult",
    "SearchHit",
    "SearchResult",
    "SectionGroup",
    "SectionsResult",
    "ShowResult",
    "StarterResult",
    "StatsResult",
    "Suggestion",
    "SyncResult",
    "Tally",
    "Unchanged",
    "UndoListResult",
    "UndoResult",
    "ValidationResult",
    "Waiting",
    "record",
]

Record = TypeVar("Record")


@dataclass_transform(frozen_default=True, kw_only_default=True)
def record(cls: type[Record]) -> type[Record]:
    """Make ``cls`` a frozen dataclass with keyword-only fields, when it is first instantiated.

    Making a dataclass costs a millisecond (it compiles its methods); a run builds two or three
    of the 31 result types. No slots: they make each class twice, and results are few.
    """

    def first_init(self: Any, *args: Any, **kwargs: Any) -> None:
        """Complete the class as a dataclass, in place, then initialise this instance."""
        del cls.__init__  # dataclass() writes only the methods a class does not define
        dataclass(frozen=True, kw_only=True)(cls).__init__(self, *args, **kwargs)

    cls.__init__ = first_init  # type: ignore[method-assign]
    return cls


@record
class ItemView:
    """An item together with the section it sits in and the learner's state of it."""

    item: Item
    section: Section
    position: int
    state: ItemState
    #: Counted in totals: not optional, not planned, not settled by a done alternative.
    owed: bool = True
    #: Settled because another item of its one_of group is done.
    covered: bool = False

    @property
    def status(self) -> Status:
        """Return the item's status."""
        return self.state.status


@record
class Suggestion:
    """An item to study now, with what explains the choice."""

    view: ItemView
    path_length: int
    budget: int | None
    settled_prerequisites: tuple[str, ...]


@record
class Waiting:
    """An open item passed over because prerequisites are still open: its id, what it needs."""

    item_id: str
    needs: tuple[str, ...]


@record
class NextResult:
    """The items to study now, what they had to wait for, and how many are left in all."""

    suggestions: tuple[Suggestion, ...]
    waiting: tuple[Waiting, ...]
    remaining: int
    filtered: bool
    budget: int | None
    command: str = "mlops-path"


@record
class SectionGroup:
    """One section, the items of it that passed the filters, and its owed items done and all."""

    section: Section
    items: tuple[ItemView, ...]
    section_done: int = 0
    section_total: int = 0


@record
class ListResult:
    """The catalogue, filtered, grouped by section in catalogue order."""

    groups: tuple[SectionGroup, ...]

    @property
    def items(self) -> tuple[ItemView, ...]:
        """Return every listed item in catalogue order."""
        return tuple(view for group in self.groups for view in group.items)


@record
class Unchanged:
    """An item a command left as it was; ``noted`` when its note was kept all the same."""

    view: ItemView
    noted: bool = False


@record
class ChangeResult:
    """What a state-changing command recorded, and what it left alone."""

    action: Action
    changed: tuple[ItemView, ...]
    unchanged: tuple[Unchanged, ...]
    on: datetime | None = None
    command: str = "mlops-path"


@record
class Tally:
    """Counts and effort for a group of items."""

    done: int
    total: int
    in_progress: int
    skipped: int
    effort_done: int
    effort_total: int
    effort_skipped: int
    #: Items still owed whose effort the catalogue does not say; not in any effort figure.
    unknown_effort: int = 0

    @property
    def effort_left(self) -> int:
        """Return the minutes of study still ahead, not counting skipped items."""
        return self.effort_total - self.effort_done - self.effort_skipped

    @property
    def todo(self) -> int:
        """Return how many items are neither done, started nor skipped."""
        return self.total - self.done - self.in_progress - self.skipped

    @property
    def fraction(self) -> float:
        """Return the share of items done, from 0 to 1."""
        return self.done / self.total if self.total else 1.0


@record
class StatsResult:
    """How far along the learner is, overall and per section."""

    catalogue: str
    title: str
    overall: Tally
    sections: tuple[tuple[Section, Tally], ...]
    activity: Activity


@record
class SectionsResult:
    """Each section with its counts."""

    sections: tuple[tuple[Section, Tally], ...]


@record
class LogEntry:
    """One event of the history, with the item's title where the catalogue knows it."""

    event: Event
    title: str | None
    undone: bool
    device: str | None = None


@record
class ShowResult:
    """Everything known about one item, and its history, oldest first."""

    view: ItemView
    history: tuple[LogEntry, ...]


@record
class SearchHit:
    """An item that matched a search, and how well."""

    view: ItemView
    match: Match


@record
class SearchResult:
    """The items that matched, best first."""

    hits: tuple[SearchHit, ...]


@record
class LogResult:
    """A page of the learner's history, newest first, and how many entries are in range."""

    entries: tuple[LogEntry, ...]
    total: int
    since: datetime | None
    until: datetime | None


@record
class UndoListResult:
    """The changes ``undo`` would revert, newest first."""

    entries: tuple[LogEntry, ...]


@record
class UndoResult:
    """The change an undo reverted, or None when there was nothing left to undo."""

    reverted: LogEntry | None


@record
class OpenResult:
    """An item's addresses, whether a browser took them, and why not when none did."""

    item: Item
    urls: tuple[str, ...]
    opened: bool
    reason: str | None = None


@record
class ExportResult:
    """An export: its text, or the file it was written to."""

    text: str
    written_to: Path | None


@record
class ImportResult:
    """What an import merged in."""

    source: Path
    added: tuple[Event, ...]
    already_present: int
    conflicting: tuple[str, ...]


@record
class DeviceSummary:
    """One device seen in the data folder: its files, its events and its newest event."""

    files: int
    events: int
    newest: datetime | None


@record
class DoctorReport:
    """Where every file lives and what is wrong with any of them."""

    paths: DataPaths
    catalogue_source: str
    catalogue: Catalogue
    catalogue_problems: tuple[str, ...]
    store_exists: bool
    events: int | None
    store_problem: str | None
    broken_files: tuple[tuple[Path, str], ...]
    devices: dict[str, DeviceSummary]
    this_device: str
    conflict_copies: tuple[Path, ...]
    conflicting_ids: tuple[str, ...]
    orphans: dict[str, int]
    other_catalogues: dict[str, int]
    future_events: int
    writable: bool
    backups: tuple[Backup, ...]

    @property
    def healthy(self) -> bool:
        """Tell whether the catalogue is valid and every file can be used and written."""
        return self.store_problem is None and not self.catalogue_problems and self.writable


@record
class RestoreResult:
    """Which backup was restored, over which file, and where the replaced file was kept."""

    backup: Backup
    restored_to: Path
    previous_kept_at: Path | None


@record
class SyncResult:
    """What a git sync did: committed this device's changes, pulled others', pushed."""

    device: str
    committed: bool
    pulled: bool
    pushed: bool


@record
class TidyResult:
    """What ``doctor --fix`` did with sync tools' conflict copies."""

    merged_events: int
    moved: tuple[tuple[Path, Path], ...]


@record
class ValidationResult:
    """A valid catalogue file and what it holds."""

    source: str
    catalogue: Catalogue

    @property
    def effort(self) -> int:
        """Return the known minutes of study in the catalogue, optional items included."""
        return sum(item.effort or 0 for item in self.catalogue.items)


@record
class BundledCatalogue:
    """A study path shipped with mlops-path, and the name that selects it."""

    name: str
    catalogue: Catalogue


@record
class CatalogueListResult:
    """The study paths shipped with mlops-path."""

    catalogues: tuple[BundledCatalogue, ...]


@record
class StarterResult:
    """Where a starter catalogue was written, and the id it was given."""

    path: Path
    catalogue_id: str


@record
class SchemaResult:
    """The JSON Schema of the catalogue format."""

    schema: dict[str, Any]
