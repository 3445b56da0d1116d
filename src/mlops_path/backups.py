"""Keep earlier versions of progress files, list them, and put one back.

Backups mirror the progress folder: ``backups/<device>/2026.toml.1`` is the newest earlier
version of ``progress/<device>/2026.toml``, ``.2`` the one before, up to ten; an older
single store keeps its ``backups/progress.toml.N``. Nothing here ever deletes a backup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import StoreError
from .files import reason

if TYPE_CHECKING:
    from .events import StoreFile

__all__ = ["BACKUP_GENERATIONS", "Backup", "backup_of", "keep_copy", "list_backups", "rotate_in"]

#: How many earlier versions of each file are kept.
BACKUP_GENERATIONS = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class Backup:
    """One kept copy of a progress file, parsed if it can be."""

    path: Path
    modified: datetime
    store: StoreFile | None
    problem: str | None


def backup_of(*, data_dir: Path, backup_dir: Path, original: Path) -> Path:
    """Return the name of the newest backup of ``original`` (its generation 1)."""
    relative = original.relative_to(data_dir)
    if relative.parts and relative.parts[0] == "progress":
        relative = Path(*relative.parts[1:])
    return backup_dir / relative.parent / f"{relative.name}.1"


def rotate_in(data: bytes, newest: Path) -> None:
    """Keep ``data`` as generation 1 at ``newest``, moving older generations down by one."""
    from .files import atomic_write

    base = newest.with_suffix("")  # "2026.toml.1" -> "2026.toml"
    newest.parent.mkdir(parents=True, exist_ok=True)
    for generation in range(BACKUP_GENERATIONS - 1, 0, -1):
        older = base.with_name(f"{base.name}.{generation}")
        if older.exists():
            older.replace(base.with_name(f"{base.name}.{generation + 1}"))
    atomic_write(newest, data)


def keep_copy(data: bytes, target: Path) -> bool:
    """Keep ``data`` at ``target`` unless a copy is already there; return whether it wrote."""
    from .files import atomic_write

    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        return False
    atomic_write(target, data)
    return True


def list_backups(backup_dir: Path) -> list[Backup]:
    """Return every kept copy under ``backup_dir``, newest generation first, each parsed."""
    from .events import parse_progress
    from .files import read_regular_file

    try:
        paths = sorted(
            (p for p in backup_dir.rglob("*") if not p.is_dir() and not p.name.startswith(".")),
            key=_generation,
        )
    except OSError:
        return []
    found = []
    for path in paths:
        try:
            # lstat: a dangling link is listed (as unreadable), not a crash.
            modified = datetime.fromtimestamp(path.lstat().st_mtime, UTC)
            store = parse_progress(read_regular_file(path, cap=None), path=path)
            problem = None
        except FileNotFoundError:
            if not path.is_symlink():
                continue  # renamed or removed since the folder was listed
            store, problem = None, "a link to a file that does not exist"
        except StoreError as error:
            store, problem = None, error.message
        except OSError as error:
            store, problem = None, reason(error)
        found.append(Backup(path=path, modified=modified, store=store, problem=problem))
    return found


def _generation(path: Path) -> tuple[int, str, str]:
    """Sort key for backups: numbered generations first, newest first, then by name."""
    suffix = path.name.rsplit(".", 1)[-1]
    number = int(suffix) if suffix.isdigit() else 10**6
    return (number, str(path.parent), path.name)


def put_back(backup: Path, target: Path, *, backup_dir: Path) -> Path | None:
    """Copy ``backup`` over ``target``, first keeping ``target`` beside the backups.

    Returns where the replaced file was kept, or None when there was none. Never deletes.
    """
    from .files import atomic_write

    aside = None
    try:
        current = target.read_bytes() if target.exists() else None
        if current is not None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            aside = backup.with_name(f"{target.name}.replaced-{stamp}")
            keep_copy(current, aside)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, backup.read_bytes())
    except OSError as error:
        raise StoreError(
            path=target,
            problem=f"cannot restore: {reason(error)}",
            hint="nothing was changed; the file and its backups are as they were",
        ) from None
    return aside
