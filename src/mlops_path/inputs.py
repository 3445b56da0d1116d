"""Read the values learners type on the command line: durations and moments."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo

from .errors import InvalidValueError

__all__ = ["parse_minutes", "parse_moment", "whole_number"]


def whole_number(text: str | int) -> int:
    """Read a count such as ``-n 3``; say so in plain words when it is not one."""
    if isinstance(text, int):  # the default, given as it is
        return text
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidValueError(f"-n {text!r} is not a whole number; use e.g. -n 3") from None


def parse_minutes(text: str) -> int:
    """Read a duration: ``45m``, ``1h``, ``1h30m``, or a bare number of minutes."""
    match = re.fullmatch(r"\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m?)?\s*", text.lower())
    if not text.strip() or not match or not any(match.groups()):
        raise InvalidValueError(f"--time {text!r} is not a duration; use e.g. 45m, 1h, 1h30m, 90")
    hours, minutes = (int(part) if part else 0 for part in match.groups())
    return hours * 60 + minutes


def parse_moment(text: str, *, option: str, now: datetime, zone: tzinfo) -> datetime:
    """Read a date or an ISO 8601 time in the learner's zone; return the moment in UTC.

    A date alone (``2026-11-20``, ``today``, ``yesterday``) is the start of that local day; a
    time without an offset is local time; a time with one is taken as it says.
    """
    from .localtime import day_start, local_day

    word = text.strip().lower()
    if word in ("today", "yesterday"):
        today = local_day(now, zone=zone)
        return day_start(today - timedelta(days=1 if word == "yesterday" else 0), zone=zone)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
            return day_start(date.fromisoformat(word), zone=zone)
        moment = datetime.fromisoformat(text.strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise InvalidValueError(
            f"{option} {text!r} is not a date; use YYYY-MM-DD, today, yesterday "
            "or an ISO 8601 time such as 2026-11-20T18:30"
        ) from None
