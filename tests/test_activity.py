"""Weekly activity, streaks, pace and the projected finish, with a fixed clock."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from mlops_path.activity import Completion, measure, streaks
from mlops_path.services import open_services

from .helpers import Invoke

NOW = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)  # a Thursday


def test_streaks_count_consecutive_days() -> None:
    days = [date(2026, 11, d) for d in (1, 2, 3, 10, 24, 25, 26)]
    assert streaks(days, today=date(2026, 11, 26)) == (3, 3)
    # A day without study yet does not break the current run...
    assert streaks(days, today=date(2026, 11, 27)) == (3, 3)
    # ... but two do.
    assert streaks(days, today=date(2026, 11, 28)) == (0, 3)
    assert streaks([], today=date(2026, 11, 28)) == (0, 0)


def test_weeks_pace_and_finish() -> None:
    completions = [
        Completion(day=date(2026, 11, 26), effort=60),
        Completion(day=date(2026, 11, 23), effort=120),  # Monday of this week
        Completion(day=date(2026, 11, 22), effort=100),  # Sunday of last week
        Completion(day=date(2026, 10, 1), effort=500),  # before the 4-week pace window
    ]
    activity = measure(completions, effort_left=2800, now=NOW)
    assert len(activity.weeks) == 12
    assert activity.weeks[-1].start == date(2026, 11, 23)
    assert (activity.weeks[-1].items, activity.weeks[-1].effort) == (2, 180)
    assert (activity.weeks[-2].items, activity.weeks[-2].effort) == (1, 100)
    assert activity.weeks[0].start == date(2026, 9, 7)
    assert activity.items_per_week == 3 * 7 / 28
    assert activity.effort_per_week == 280 * 7 / 28
    assert activity.finish_on == date(2027, 9, 2)  # 2800 minutes at 10 a day: 280 days on


def test_no_pace_no_finish_date() -> None:
    activity = measure([], effort_left=100, now=NOW)
    assert activity.finish_on is None
    assert (activity.current_streak, activity.longest_streak) == (0, 0)


def test_stats_shows_activity_as_a_user_sees_it(invoke: Invoke, data_dir: Path) -> None:
    services = replace(open_services(), clock=lambda: NOW)
    for item, day in [
        ("rlhf", "2026-11-24"),
        ("ml-test-score", "2026-11-25"),
        ("rules-of-ml", "2026-11-26"),
    ]:
        assert invoke("done", item, "--on", day, obj=services).exit_code == 0
    stats = json.loads(invoke("stats", "--json", obj=services).stdout)["activity"]
    assert (stats["current_streak"], stats["longest_streak"]) == (3, 3)
    assert stats["weeks"][-1] == {"start": "2026-11-23", "items": 3, "effort": 45 + 60 + 90}
    assert stats["pace"] == {"days": 28, "items_per_week": 0.75, "effort_per_week": 48.8}
    text = invoke("stats", obj=services).stdout
    assert "Streak: 3 days now, longest 3 days" in text
    assert "Pace:   0.75 items and 49m of study a week (last 4 weeks)" in text
    finish = date.fromisoformat(stats["finish_on"])
    assert f"Finish: at this pace, done around {finish.isoformat()}" in text
    assert "2026-11-23  ################  3" in text
