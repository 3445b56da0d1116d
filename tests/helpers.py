"""Share test helpers: the CLI runner's type, services over a folder, and a learner's script."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from hypothesis import strategies as st
from typer.testing import Result

from mlops_path.cache import ReadCache
from mlops_path.catalogue import Catalogue
from mlops_path.events import Event, event_columns
from mlops_path.ledger import Ledger
from mlops_path.loading import load_catalogue
from mlops_path.progress import ItemState
from mlops_path.services import Services, open_services
from mlops_path.store import ProgressStore

Invoke = Callable[..., Result]


def make_store(
    folder: Path,
    *,
    cache: ReadCache | None = None,
    write: Callable[[Path, bytes], None] | None = None,
    device: str = "test-device",
) -> ProgressStore:
    """Return a progress store in data folder ``folder``, with no read cache unless given one."""
    extra = {"write": write} if write else {}
    return ProgressStore(
        data_dir=folder,
        lock_path=folder / "progress.toml.lock",
        device=lambda: device,
        cache=cache or ReadCache(None),
        **extra,  # type: ignore[arg-type]
    )


def device_files(folder: Path) -> list[Path]:
    """Return the device files of the data folder ``folder``."""
    return sorted((folder / "progress").glob("*/*.toml"))


def services_in(folder: Path, *, cache: ReadCache | None = None) -> Services:
    """Return the default services with their store (and read cache) in ``folder``."""
    cache = cache or ReadCache(None)
    return replace(open_services(), store=make_store(folder, cache=cache), cache=cache)


def play(services: Services, script: list[tuple[str, str]]) -> None:
    """Run a script of (action, item) steps, as a learner would."""
    changes = services.changes
    for action, item in script:
        match action:
            case "done":
                changes.mark_done([item])
            case "start":
                changes.start([item])
            case "skip":
                changes.skip([item])
            case "reset":
                changes.reset([item])
            case "note":
                changes.add_note(item, f"note on {item}")
            case _:
                changes.undo()


def guide() -> Catalogue:
    """Return the bundled MLOps guide, loaded without a read cache."""
    return load_catalogue(None, cache=ReadCache(None))


def append(store: ProgressStore, events: Sequence[Event]) -> str | None:
    """Append ``events`` to ``store`` in one transaction; return the files' new digest."""
    with store.transaction() as tx:
        after = tx.append(events)
    return after.digest if after else None


def derived_states(
    events: Sequence[Event], *, catalogue_id: str, aliases: Mapping[str, str] | None = None
) -> dict[str, ItemState]:
    """Return the states that ``events`` give when read whole, as a history with no cache is."""
    return Ledger([event_columns(events)]).states(catalogue_id=catalogue_id, aliases=aliases)


def examples(normal: int, *, soak: int) -> int:
    """Return how many examples a property test tries: more in a soak run (--soak)."""
    import os

    return soak if os.environ.get("MLOPS_PATH_TEST_SOAK") else normal


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run mlops-path as a process of its own with ``env``; return what it did."""
    return subprocess.run(
        [sys.executable, "-m", "mlops_path", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


#: An edit to a text: where (any integer, taken modulo the length), what, and which character.
Edit = tuple[int, str, str]


def edits(characters: Sequence[str], *, most: int) -> st.SearchStrategy[list[Edit]]:
    """Return a strategy of one to ``most`` edits that insert, delete or replace characters."""
    return st.lists(
        st.tuples(
            st.integers(min_value=0),
            st.sampled_from(["insert", "delete", "replace"]),
            st.sampled_from(list(characters)),
        ),
        min_size=1,
        max_size=most,
    )


def mangled(text: str, changes: list[Edit]) -> str:
    """Return ``text`` with the edits made one after another."""
    for position, edit, char in changes:
        at = position % (len(text) + 1)
        if edit == "insert":
            text = text[:at] + char + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + 1 :]
        else:
            text = text[:at] + char + text[at + 1 :]
    return text
