"""Turn stored UTC moments into the learner's local days and times, and typed dates back.

The store keeps every moment in UTC. Days ("today", ``--on``, ``--since``, streaks, weeks) and
the times shown are the learner's: the zone named by ``TZ``, else the ``time-zone`` setting,
else the system's own, worked out once per run by ``local_zone`` and passed to the rest. A
date typed alone means the start of that local day.
"""

from __future__ import annotations

import calendar
import os
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache

__all__ = [
    "day_start",
    "is_date_only",
    "local",
    "local_day",
    "local_zone",
]


class _SystemZone(tzinfo):
    """The operating system's local time, daylight saving included, as the C library has it."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        """Return the offset from UTC in force at local wall time ``dt``."""
        if dt is None:
            return timedelta(seconds=time.localtime().tm_gmtoff)
        stamp = time.mktime((*dt.timetuple()[:8], -1))
        return timedelta(seconds=time.localtime(stamp).tm_gmtoff)

    def dst(self, dt: datetime | None) -> timedelta | None:
        """Say nothing about daylight saving apart from the offset."""
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        """Return the zone's abbreviation, such as CET."""
        return time.strftime("%Z", time.localtime())

    def fromutc(self, dt: datetime) -> datetime:
        """Return the local wall time of a UTC moment."""
        stamp = calendar.timegm(dt.replace(tzinfo=None).timetuple())
        offset = time.localtime(stamp).tm_gmtoff
        return (dt + timedelta(seconds=offset)).replace(tzinfo=self)


@lru_cache(maxsize=8)
def _zone_of_tz(value: str) -> tzinfo:
    """Return the zone the TZ variable names; a POSIX rule such as JST-9 goes to the C library."""
    from .config import zone_named

    if not value.strip():
        return UTC  # POSIX: an empty TZ is UTC
    zone = zone_named(value)
    if zone is not None:
        return zone
    time.tzset()
    return _SystemZone()


def local_zone(*, time_zone: str | None, environ: Mapping[str, str] | None = None) -> tzinfo:
    """Return the learner's zone: TZ, else the ``time_zone`` setting, else the system's."""
    tz = (os.environ if environ is None else environ).get("TZ")
    if tz is not None:
        return _zone_of_tz(tz)
    if time_zone:
        from .config import zone_named

        return zone_named(time_zone) or UTC  # checked when the settings were read
    return _SystemZone()


def local(moment: datetime, *, zone: tzinfo) -> datetime:
    """Return a stored moment in the learner's zone (in UTC at the very ends of time)."""
    try:
        return moment.astimezone(zone)
    except (OverflowError, ValueError, OSError):  # year 1 west of UTC, year 9999 east of it
        return moment.astimezone(UTC)


def local_day(moment: datetime, *, zone: tzinfo) -> date:
    """Return the learner's calendar day of a moment."""
    return local(moment, zone=zone).date()


def day_start(day: date, *, zone: tzinfo) -> datetime:
    """Return the first moment of a local day, in UTC (the day's local midnight)."""
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def is_date_only(moment: datetime, *, zone: tzinfo) -> bool:
    """Tell whether a moment is a local midnight, as a date typed alone is recorded."""
    seen = local(moment, zone=zone)
    return (seen.hour, seen.minute, seen.second, seen.microsecond) == (0, 0, 0, 0)
