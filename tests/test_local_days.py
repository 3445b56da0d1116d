"""Local days over UTC storage: --on, --since, today, streaks, weeks and every time shown."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from mlops_path.events import Event
from mlops_path.services import open_services

from .helpers import Invoke, append, make_store

#: Fourteen hours east of UTC: its day is ahead of UTC's for most of every UTC day.
FAR_EAST = "Pacific/Kiritimati"


def local_today(zone: str) -> str:
    """Return today's date in ``zone``."""
    return datetime.now(ZoneInfo(zone)).date().isoformat()


def event(number: int, item: str, at: str, *, action: str = "done") -> Event:
    """Return a stored event at a UTC moment."""
    return Event(
        id=f"local{number:03d}",
        catalogue="mlops-guide",
        item=item,
        action=action,  # type: ignore[arg-type]
        at=datetime.fromisoformat(at),
    )


def test_done_on_today_east_of_utc_is_not_the_future(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", FAR_EAST)
    today = local_today(FAR_EAST)
    result = invoke("done", "rlhf", "--on", today)
    assert result.exit_code == 0, result.stderr
    assert f"done on  {today}\n" in invoke("show", "rlhf").stdout


def test_a_plain_done_records_the_local_today(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", FAR_EAST)
    invoke("done", "rlhf")
    shown = invoke("show", "rlhf").stdout
    assert f"done on  {local_today(FAR_EAST)} " in shown
    assert "UTC" not in shown


def test_today_and_yesterday_are_words_for_local_days(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", FAR_EAST)
    assert invoke("done", "rlhf", "--on", "yesterday").exit_code == 0
    assert invoke("done", "rules-of-ml", "--on", "today").exit_code == 0
    views = {v["id"]: v for v in json.loads(invoke("list", "--status", "done", "--json").stdout)}
    assert set(views) == {"rlhf", "rules-of-ml"}


def test_a_date_only_entry_shows_no_fake_time_and_json_stays_utc(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    invoke("done", "rlhf", "--on", "2026-11-20")
    shown = invoke("show", "rlhf").stdout
    assert "done on  2026-11-20\n" in shown
    assert "00:00" not in shown
    assert "(on 2026-11-20)" in shown
    # Local midnight in Tokyo, stored and printed as UTC.
    assert json.loads(invoke("show", "rlhf", "--json").stdout)["done_at"] == (
        "2026-11-19T15:00:00Z"
    )


def test_times_are_local_without_a_label_on_every_row(
    invoke: Invoke, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    append(make_store(data_dir), [event(1, "rlhf", "2026-11-20T16:05:00+00:00")])
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    out = invoke("log").stdout
    assert "2026-11-21 01:05" in out
    assert "UTC" not in out
    entry = json.loads(invoke("log", "--json").stdout)[0]
    assert entry["at"] == "2026-11-20T16:05:00Z"


def test_since_and_until_are_local_days(
    invoke: Invoke, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 16:00 UTC on the 20th is 01:00 on the 21st in Tokyo.
    append(make_store(data_dir), [event(1, "rlhf", "2026-11-20T16:00:00+00:00")])
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert len(json.loads(invoke("log", "--since", "2026-11-21", "--json").stdout)) == 1
    assert json.loads(invoke("log", "--until", "2026-11-21", "--json").stdout) == []
    monkeypatch.setenv("TZ", "UTC")
    assert json.loads(invoke("log", "--since", "2026-11-21", "--json").stdout) == []


def test_streaks_and_weeks_count_local_days(
    invoke: Invoke, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two completions on two UTC days that are one day in Tokyo; one on a UTC Sunday that
    # is a Monday there.
    append(
        make_store(data_dir),
        [
            event(1, "rlhf", "2026-11-17T16:00:00+00:00"),
            event(2, "rules-of-ml", "2026-11-18T14:00:00+00:00"),
            event(3, "ml-test-score", "2026-11-22T23:30:00+00:00"),
        ],
    )

    def activity() -> Any:
        # The zone is read when the services are made: once a run, so once a call here.
        now = datetime(2026, 11, 26, 12, tzinfo=UTC)
        services = replace(open_services(), clock=lambda: now)
        return json.loads(invoke("stats", "--json", obj=services).stdout)["activity"]

    monkeypatch.setenv("TZ", "UTC")
    utc = activity()
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    tokyo = activity()
    assert (utc["longest_streak"], tokyo["longest_streak"]) == (2, 1)
    assert utc["weeks"][-1] == {"start": "2026-11-23", "items": 0, "effort": 0}
    assert tokyo["weeks"][-1]["start"] == "2026-11-23"
    assert tokyo["weeks"][-1]["items"] == 1


def test_dates_are_iso_everywhere_in_stats(invoke: Invoke) -> None:
    services = replace(open_services(), clock=lambda: datetime(2026, 11, 26, 12, tzinfo=UTC))
    invoke("done", "rlhf", "--on", "2026-11-20", obj=services)
    out = invoke("stats", obj=services).stdout
    assert "week of" in out
    assert "2026-11-16" in out
    assert "Nov" not in out
    assert re.search(r"done around \d{4}-\d{2}-\d{2}\n", out)


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Tokyo"])
def test_the_ends_of_time_still_show(
    invoke: Invoke, data_dir: Path, monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    append(
        make_store(data_dir),
        [
            event(1, "rlhf", "0001-01-01T00:00:00+00:00"),
            event(2, "rules-of-ml", "9999-12-31T23:59:00+00:00", action="start"),
        ],
    )
    monkeypatch.setenv("TZ", zone)
    for args in (["log"], ["show", "rlhf"], ["show", "rules-of-ml"], ["stats"]):
        assert invoke(*args).exit_code == 0, args
