"""Read the values learners type on the command line: durations and moments."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from .errors import InvalidValueError

__all__ = ["parse_minutes", "parse_moment"]


def parse_minutes(text: str) -> int:
    """Read a duration: ``45m``, ``1h``, ``1h30m``, or a bare number of minutes."""
    match = re.fullmatch(r"\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m?)?\s*", text.lower())
    if not text.strip() or not match or not any(match.groups()):
        raise InvalidValueError(f"--time {text!r} is not a duration; use e.g. 45m, 1h, 1h30m, 90")
    hours, minutes = (int(part) if part else 0 for part in match.groups())
    return hours * 60 + minutes


def parse_moment(text: str, *, option: str) -> datetime:
    """Read a date (YYYY-MM-DD, taken as midnight UTC) or an ISO 8601 date and time, as UTC."""
    try:
        moment = datetime.fromisoformat(text)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise InvalidValueError(
            f"{option} {text!r} is not a date; use YYYY-MM-DD or an ISO 8601 time"
        ) from None
