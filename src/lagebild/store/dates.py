"""Calendar intervals of date values at their granularity (`2024-06-19`, `2024-06`, `2024-W25`,
`2024`, `2020s`), used to filter events by `--since`/`--until` and to bucket timelines."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from lagebild.errors import ConfigError

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_DECADE = re.compile(r"^(\d{3})0s$")


@dataclass(slots=True, frozen=True)
class DateInterval:
    """First and last day covered by a date value."""

    start: date
    end: date
    granularity: str


def interval_of(value: str | None) -> DateInterval | None:
    """The days a date value covers, or None for a missing or unreadable value."""
    if not value:
        return None
    try:
        if m := _DAY.match(value):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return DateInterval(d, d, "day")
        if m := _WEEK.match(value):
            start = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return DateInterval(start, start + timedelta(days=6), "week")
        if m := _MONTH.match(value):
            year, month = int(m[1]), int(m[2])
            last = calendar.monthrange(year, month)[1]
            return DateInterval(date(year, month, 1), date(year, month, last), "month")
        if m := _YEAR.match(value):
            year = int(m[1])
            return DateInterval(date(year, 1, 1), date(year, 12, 31), "year")
        if m := _DECADE.match(value):
            first = int(m[1]) * 10
            return DateInterval(date(first, 1, 1), date(first + 9, 12, 31), "decade")
    except ValueError:
        return None
    return None


def bound(value: str | date | None, *, end: bool) -> date | None:
    """A `--since` (first day) or `--until` (last day) bound from `YYYY-MM-DD`, `YYYY-MM` or `YYYY`."""
    if value is None or isinstance(value, date):
        return value
    interval = interval_of(value.strip())
    if interval is None:
        raise ConfigError(f"not a date: {value!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    return interval.end if end else interval.start
