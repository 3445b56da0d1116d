"""The read caches: fast paths that must always agree with the TOML files they come from."""

from __future__ import annotations

import json
import marshal
import tomllib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mlops_path.cache import ReadCache, sealed, unsealed
from mlops_path.catalogue import CatalogueFile
from mlops_path.catalogue_rows import (
    catalogue_from_record,
    catalogue_record,
    construct_catalogue,
)
from mlops_path.events import Event, dump_events, dump_progress, parse_progress
from mlops_path.loading import BUNDLED, BUNDLED_CATALOGUE, load_catalogue, read_bundled

from .helpers import Invoke, derived_states, examples, guide, make_store, play, services_in


def test_trusted_bundled_catalogue_equals_the_validated_one() -> None:
    raw = tomllib.loads(read_bundled(BUNDLED_CATALOGUE).decode())
    validated = CatalogueFile.model_validate(raw).catalogue()
    assert construct_catalogue(raw) == validated
    assert guide() == validated


@pytest.mark.parametrize("name", ["mlops-guide", "mlops-zoomcamp", "made-with-ml"])
def test_a_catalogue_rebuilt_from_its_cached_rows_is_the_validated_one(name: str) -> None:
    raw = tomllib.loads(read_bundled(BUNDLED[name]).decode())
    validated = CatalogueFile.model_validate(raw).catalogue()
    stored = marshal.dumps(catalogue_record(validated))  # as the read cache keeps it
    rebuilt = catalogue_from_record(marshal.loads(stored))  # noqa: S302
    assert rebuilt == validated
    # Field order, links and sections included:
    assert repr((rebuilt.header, rebuilt.sections, rebuilt.items)) == repr(
        (validated.header, validated.sections, validated.items)
    )
    assert rebuilt.structure == validated.structure
    # One item asked for by id is built on its own, and equals the validated one.
    last = validated.items[-1]
    assert catalogue_from_record(marshal.loads(stored)).item(last.id) == last  # noqa: S302
    dump = [model.model_dump(by_alias=True) for model in (rebuilt.header, *rebuilt.sections)]
    assert dump == [m.model_dump(by_alias=True) for m in (validated.header, *validated.sections)]
    assert [i.model_dump() for i in rebuilt.items] == [i.model_dump() for i in validated.items]
    item, other = rebuilt.items[:2]
    assert item.model_copy(update={"title": "Another"}).title == "Another"
    assert other.model_fields_set == set(type(other).model_fields)  # the shared set is intact
    assert item.model_dump(exclude_unset=True)  # pydantic's own calls still work


def test_cached_catalogue_equals_the_validated_one_and_follows_edits(
    tmp_path: Path, invoke: Invoke
) -> None:
    path = tmp_path / "mine.toml"
    invoke("catalogue", "new", str(path))
    cache = ReadCache(tmp_path / "cache")
    first = load_catalogue(path, cache=cache)
    assert list((tmp_path / "cache").iterdir())  # the validated form was kept
    assert load_catalogue(path, cache=cache) == first
    path.write_text(path.read_text().replace('kind = "video"', 'kind = "podcast"'))
    with pytest.raises(Exception, match="unknown kind 'podcast'"):
        load_catalogue(path, cache=cache)


def test_a_hand_edit_of_the_store_is_seen_despite_the_cache(invoke: Invoke, own_file: Path) -> None:
    invoke("done", "rlhf", "ml-test-score")
    assert len(json.loads(invoke("list", "--status", "done", "--json").stdout)) == 2
    text = own_file.read_text()
    cut = text.index("[[events]]", text.index('item = "rlhf"'))  # drop the second event
    own_file.write_text(text[:cut])
    done = json.loads(invoke("list", "--status", "done", "--json").stdout)
    assert [item["id"] for item in done] == ["rlhf"]


def test_a_corrupted_store_fails_even_with_a_warm_cache(invoke: Invoke, own_file: Path) -> None:
    invoke("done", "rlhf")
    invoke("next")
    own_file.write_bytes(own_file.read_bytes() + b"\n[[events]\n")
    for args in (["next"], ["done", "ml-test-score"]):
        result = invoke(*args)
        assert result.exit_code == 1
        assert "is not valid TOML" in result.stderr
    assert own_file.read_bytes().endswith(b"\n[[events]\n")


def test_an_unusable_cache_folder_changes_nothing_but_speed(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("MLOPS_PATH_CACHE_DIR", str(blocker))
    assert invoke("done", "rlhf").exit_code == 0
    assert json.loads(invoke("show", "rlhf", "--json").stdout)["status"] == "done"


def test_an_inline_events_array_is_rewritten_whole(invoke: Invoke, store_file: Path) -> None:
    store_file.parent.mkdir()
    store_file.write_text(
        "schema = 2\nevents = [{id = 'e1', catalogue = 'mlops-guide', item = 'rlhf', "
        "action = 'done', at = 2026-01-01T00:00:00Z}]\n"
    )
    assert invoke("done", "ml-test-score").exit_code == 0
    events = make_store(store_file.parent).load()
    assert [event.item for event in events] == ["rlhf", "ml-test-score"]


def test_a_future_event_makes_the_cache_rebuild_rather_than_guess(
    invoke: Invoke, store_file: Path
) -> None:
    store_file.parent.mkdir()
    ahead = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    store_file.write_text(
        "schema = 2\n[[events]]\nid = 'f1'\ncatalogue = 'mlops-guide'\nitem = 'rlhf'\n"
        f"action = 'start'\nat = {ahead}\n"
    )
    invoke("next")  # warm the cache
    invoke("done", "rlhf")  # recorded now, so before the future start in recording order
    shown = json.loads(invoke("show", "rlhf", "--json").stdout)
    assert shown["status"] == "in-progress"  # what derive_states says: the later start wins


EVENTS = st.lists(
    st.builds(
        Event,
        id=st.uuids().map(lambda u: u.hex),
        catalogue=st.sampled_from(["mlops-guide", "other"]),
        item=st.sampled_from(["rlhf", "ml-test-score", "zzz"]),
        action=st.sampled_from(["done", "start", "skip", "reset", "note"]),
        at=st.datetimes(
            min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)
        ),
        note=st.none() | st.text(max_size=30),
        on=st.none(),
        target=st.none(),
    ),
    max_size=6,
    unique_by=lambda e: e.id,
)


@settings(max_examples=examples(25, soak=200), deadline=None)
@given(before=EVENTS, after=EVENTS)
def test_appending_tables_reads_back_like_a_full_rewrite(
    before: list[Event], after: list[Event]
) -> None:
    ids = {event.id for event in before}
    after = [event for event in after if event.id not in ids]
    path = Path("2026-11.toml")
    written = dump_progress(before, device="d")
    appended = parse_progress(written.rstrip(b"\n") + b"\n\n" + dump_events(after), path=path)
    rewritten = parse_progress(dump_progress([*before, *after], device="d"), path=path)
    assert appended == rewritten
    assert list(appended.events) == [*before, *after]


#: One command of a script: an action on one of three items.
STEPS = st.tuples(
    st.sampled_from(["done", "start", "skip", "reset", "note", "undo"]),
    st.sampled_from(["rlhf", "ml-test-score", "rules-of-ml"]),
)


@settings(max_examples=examples(12, soak=100), deadline=None)
@given(
    script=st.lists(
        STEPS,
        max_size=10,
    )
)
def test_cached_states_always_match_a_fresh_derivation(
    tmp_path_factory: pytest.TempPathFactory, script: list[tuple[str, str]]
) -> None:
    folder = tmp_path_factory.mktemp("cached")
    cache = ReadCache(folder / "cache")
    services = services_in(folder, cache=cache)
    for step in script:
        play(services, [step])
        fresh = derived_states(services.queries.events(), catalogue_id="mlops-guide")
        assert services.queries.states() == fresh


OFFSETS = st.sampled_from([-12 * 60, -5 * 60, -30, 0, 60, 5 * 60 + 30, 14 * 60])
# Around the real present: events recorded now must be ordered against them correctly.
BASE = datetime.now(UTC).replace(second=0, microsecond=0)


@settings(max_examples=examples(20, soak=200), deadline=None)
# An event an hour ahead, written at UTC-5: as text it sorts before now, as a time after it.
@example(written=[("done", "rlhf", 60, -300)], then=[("reset", "rlhf")])
@given(
    written=st.lists(
        st.tuples(
            st.sampled_from(["done", "start", "skip", "reset", "note"]),
            st.sampled_from(["rlhf", "ml-test-score", "rules-of-ml"]),
            st.integers(min_value=-600, max_value=600),  # minutes around BASE
            OFFSETS,
        ),
        max_size=12,
    ),
    then=st.lists(
        STEPS,
        max_size=4,
    ),
)
def test_cached_answers_equal_uncached_ones_whatever_the_offsets(
    tmp_path_factory: pytest.TempPathFactory,
    written: list[tuple[str, str, int, int]],
    then: list[tuple[str, str]],
) -> None:
    """Events written with any UTC offset: the cache never answers differently from the log."""
    folder = tmp_path_factory.mktemp("offsets")
    lines = ["schema = 2"]
    for number, (action, item, minutes, offset) in enumerate(written):
        zone = timezone(timedelta(minutes=offset))
        at = (BASE + timedelta(minutes=minutes)).astimezone(zone)
        lines += [
            "[[events]]",
            f'id = "e{number:03d}"',
            'catalogue = "mlops-guide"',
            f'item = "{item}"',
            f'action = "{action}"',
            f"at = {at.isoformat()}",
        ]
    (folder / "progress.toml").write_text("\n".join(lines) + "\n")
    cached = services_in(folder, cache=ReadCache(folder / "cache"))
    for step in then:
        play(cached, [step])
        fresh = derived_states(cached.queries.events(), catalogue_id="mlops-guide")
        assert cached.queries.states() == fresh
        assert services_in(folder).queries.states() == fresh


@pytest.mark.parametrize(
    "shape",
    [
        {"catalogue": {"id": "x"}},
        [("a", "b")],
        {"_newest": 5, "mlops-guide|": "no"},
        "text",
        7,
        # Events as CACHE_FORMAT 3 kept them: one tuple per event, not columns.
        [("e1", "mlops-guide", "rlhf", "done", "2026-01-02T03:04:05+00:00", None, None, None)],
    ],
)
def test_a_cache_entry_of_another_shape_is_a_miss(
    invoke: Invoke, tmp_path: Path, shape: object
) -> None:
    assert invoke("done", "rlhf").exit_code == 0
    assert invoke("next").exit_code == 0  # every entry written: catalogue, events, states
    folder = tmp_path / "cache"
    for entry in folder.iterdir():
        # The format and digest this version wrote, and a value of some other shape.
        kept = marshal.loads(unsealed(entry.read_bytes()) or b"")  # noqa: S302
        entry.write_bytes(sealed(marshal.dumps({**kept, "value": shape})))
    for args in (["next"], ["done", "ml-test-score"], ["list", "--json"], ["show", "rlhf"]):
        result = invoke(*args)
        assert result.exit_code == 0, result.stderr
    assert json.loads(invoke("show", "rlhf", "--json").stdout)["status"] == "done"


def test_a_damaged_cache_entry_is_a_miss_before_it_is_loaded(
    invoke: Invoke, tmp_path: Path
) -> None:
    """One flipped byte anywhere, even one that still loads: the CRC-32 at the end catches it."""
    assert invoke("done", "rlhf").exit_code == 0
    assert invoke("next").exit_code == 0
    before = {args: invoke(*args).stdout for args in (("next", "-n", "3"), ("show", "rlhf"))}
    folder = tmp_path / "cache"
    for entry in folder.iterdir():
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 0x01
        entry.write_bytes(bytes(data))
        assert unsealed(bytes(data)) is None
    for args, shown in before.items():
        result = invoke(*args)
        assert (result.exit_code, result.stdout) == (0, shown), result.stderr
    # The damaged catalogue entry was read as a miss, so it was written again.
    (catalogue,) = folder.glob("catalogue-*")
    assert unsealed(catalogue.read_bytes()) is not None


def test_sealed_bytes_come_back_and_any_change_is_refused() -> None:
    body = b"\x00entry\xff" * 10
    assert unsealed(sealed(body)) == body
    for index in range(len(sealed(body))):
        changed = bytearray(sealed(body))
        changed[index] ^= 0x80
        assert unsealed(bytes(changed)) is None
    assert unsealed(b"abc") is None
