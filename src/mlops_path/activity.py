"""Measure study activity over time: weekly completions, streaks, pace, projected finish."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

WEEKS_SHOWN = 12
PACE_DAYS = 28


@dataclass(frozen=True, slots=True, kw_only=True)
class Completion:
    """One finished item: when, and how many minutes of study it represents."""

    day: date
    effort: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Week:
    """Completions in the week that starts on ``start`` (a Monday, or a Sunday if so set)."""

    start: date
    items: int
    effort: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity:
    """Weekly history, streaks, recent pace and where that pace leads."""

    weeks: tuple[Week, ...]
    current_streak: int
    longest_streak: int
    items_per_week: float
    effort_per_week: float
    finish_on: date | None
    #: True when the pace is so slow that the finish falls past the last date there is.
    finish_too_far: bool = False


def week_start(day: date, *, first: str = "monday") -> date:
    """Return the first day of the week ``day`` is in; weeks begin on ``first``."""
    shift = (day.weekday() + 1) % 7 if first == "sunday" else day.weekday()
    return day - timedelta(days=shift)


def measure(
    completions: Sequence[Completion],
    *,
    effort_left: int,
    now: datetime,
    first_weekday: str = "monday",
) -> Activity:
    """Return the activity figures as of ``now`` (a local time) for the given completions.

    Completion days are the learner's local days; weeks begin on ``first_weekday``.
    """
    today = now.date()
    this_week = week_start(today, first=first_weekday)
    starts = [this_week - timedelta(weeks=n) for n in range(WEEKS_SHOWN - 1, -1, -1)]
    by_week: dict[date, list[Completion]] = {start: [] for start in starts}
    for completion in completions:
        start = week_start(completion.day, first=first_weekday)
        if start in by_week:
            by_week[start].append(completion)
    weeks = tuple(
        Week(start=start, items=len(done), effort=sum(c.effort for c in done))
        for start, done in by_week.items()
    )
    recent = [c for c in completions if today - timedelta(days=PACE_DAYS) < c.day <= today]
    effort_per_day = sum(c.effort for c in recent) / PACE_DAYS
    finish_on = None
    too_far = False
    if effort_left == 0:
        finish_on = max((c.day for c in completions), default=None)
    elif effort_per_day > 0:
        days_left = effort_left / effort_per_day
        too_far = days_left >= (date.max - today).days
        finish_on = None if too_far else today + timedelta(days=round(days_left))
    current, longest = streaks({c.day for c in completions}, today=today)
    return Activity(
        weeks=weeks,
        current_streak=current,
        longest_streak=longest,
        items_per_week=len(recent) * 7 / PACE_DAYS,
        effort_per_week=effort_per_day * 7,
        finish_on=finish_on,
        finish_too_far=too_far,
    )


def streaks(days: Iterable[date], *, today: date) -> tuple[int, int]:
    """Return the current and the longest run of consecutive days with a completion.

    The current run may end yesterday: a day without study yet is not a broken streak.
    """
    ordered = sorted(set(days))
    longest = run = 0
    previous: date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    day_set = set(ordered)
    cursor = today if today in day_set else today - timedelta(days=1)
    while cursor in day_set:
        current += 1
        cursor -= timedelta(days=1)
    return current, longest
