"""Faults: many writers at once, hostile store files, and what survives them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_path.errors import StoreError
from mlops_path.events import parse_progress
from mlops_path.paths import DATA_DIR_ENV

from .helpers import Invoke, device_files, examples, guide, make_store

#: Hostile files tried per property: 300 in a soak run (--soak), 40 otherwise.
EXAMPLES = examples(40, soak=300)


@pytest.mark.slow
def test_concurrent_mixed_writers_lose_no_event(data_dir: Path, soak: bool) -> None:
    """Start many writers at once (50 with --soak, 8 in a normal run); every event lands."""
    writers = 50 if soak else 8
    items = [item.id for item in guide().items][:writers]
    commands = [
        ["done", item] if n % 3 == 0 else ["start", item] if n % 3 == 1 else ["note", item, f"n{n}"]
        for n, item in enumerate(items)
    ]
    env = {**os.environ, DATA_DIR_ENV: str(data_dir)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "mlops_path", *command],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    failures = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in processes]
    assert failures == [(0, "")] * writers
    store = make_store(data_dir)
    recorded = sorted((e.action, e.item) for e in store.load())
    assert recorded == sorted((command[0], command[1]) for command in commands)


def hostile_path(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "progress.toml"
    path.write_bytes(content)
    return path


TOML_VALUES = st.recursive(
    st.none().map(lambda _: "")
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.datetimes(timezones=st.just(UTC)),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(min_size=1, max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
EVENT_KEYS = st.sampled_from(["id", "catalogue", "item", "action", "at", "on", "note", "target"])
EVENTISH = st.dictionaries(EVENT_KEYS | st.text(min_size=1, max_size=6), TOML_VALUES, max_size=9)
DOCUMENTS = st.fixed_dictionaries(
    {},
    optional={
        "schema": st.integers(min_value=-3, max_value=5) | TOML_VALUES,
        "events": st.lists(EVENTISH, max_size=4) | TOML_VALUES,
        "extra": TOML_VALUES,
    },
)


def outcome(path: Path) -> str:
    """Return 'ok' or the store's message; any exception but StoreError fails the test."""
    try:
        parse_progress(path.read_bytes(), path=path)
    except StoreError as error:
        return error.message
    return "ok"


def assert_read_or_named(path: Path) -> None:
    result = outcome(path)
    assert result == "ok" or (result.startswith(f"progress file {path}: ") and "\n" not in result)


@settings(max_examples=EXAMPLES, deadline=None)
@given(document=DOCUMENTS)
def test_generated_toml_is_read_or_rejected_cleanly(
    tmp_path_factory: pytest.TempPathFactory, document: dict[str, Any]
) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    assert_read_or_named(hostile_path(folder, tomli_w.dumps(document).encode()))


@settings(max_examples=EXAMPLES, deadline=None)
@given(junk=st.binary(max_size=512))
def test_binary_junk_is_rejected_cleanly(
    tmp_path_factory: pytest.TempPathFactory, junk: bytes
) -> None:
    folder = tmp_path_factory.mktemp("junk")
    assert_read_or_named(hostile_path(folder, junk))


EVENT = (
    '[[events]]\nid = "{id}"\ncatalogue = "mlops-guide"\nitem = "rlhf"\naction = "done"\n'
    "at = {at}\n"
)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("schema = 2\nevents = 3\n", "events: Input should be a valid tuple"),
        ('schema = "two"\n', "schema: Input should be a valid integer"),
        ("schema = 2\nfavourite = 1\n", "favourite: Extra inputs are not permitted"),
        (
            "schema = 2\n"
            + EVENT.format(id="a1", at="2026-01-01T00:00:00Z")
            + EVENT.format(id="a1", at="2026-01-02T00:00:00Z"),
            "events[1] repeats the event id 'a1'",
        ),
        (
            "schema = 2\n" + EVENT.format(id="a1", at="2026-01-01T00:00:00"),
            "events.0.at: Input should have timezone info",
        ),
        (
            "schema = 2\n"
            + EVENT.format(id="a1", at="2026-01-01T00:00:00Z").replace("done", "won"),
            "events.0.action: Input should be 'done', 'start', 'skip', 'reset', 'note' or 'undo'",
        ),
    ],
)
def test_wrong_types_unknown_keys_and_duplicates_are_named(
    invoke: Invoke, store_file: Path, content: str, problem: str
) -> None:
    store_file.parent.mkdir()
    store_file.write_text(content)
    for args in (["next"], ["done", "ml-test-score"]):
        result = invoke(*args)
        assert result.exit_code == 1
        assert f"progress file {store_file}: " in result.stderr
        assert problem in result.stderr
        assert result.stderr.count("\n") == 1
    assert store_file.read_text() == content


def test_a_ten_megabyte_junk_file_is_rejected_quickly_and_kept(
    invoke: Invoke, store_file: Path
) -> None:
    store_file.parent.mkdir()
    junk = (b"schema = 2\n" + b"# padding\n" * 1_000_000)[: 10 * 2**20] + b"\n[[events]\n"
    store_file.write_bytes(junk)
    result = invoke("done", "rlhf")
    assert result.exit_code == 1
    assert "is not valid TOML" in result.stderr
    assert store_file.read_bytes() == junk


def test_future_timestamps_are_kept_and_reported(
    invoke: Invoke, store_file: Path, data_dir: Path
) -> None:
    store_file.parent.mkdir()
    ahead = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    store_file.write_text("schema = 2\n" + EVENT.format(id="f1", at=ahead))
    assert invoke("show", "rlhf", "--json").exit_code == 0
    assert '"future_events": 1' in invoke("doctor", "--json").stdout
    assert "1 event dated in the future" in invoke("doctor").stdout
    invoke("done", "ml-test-score")
    assert 'id = "f1"' in "".join(p.read_text() for p in device_files(data_dir))
