"""Publication dates: from metadata strings, and from the dateline at the top of an agency text.

A dateline is the line an agency story opens with: place, optional date, optional agency, then a
dash ("Berlin, 12. März 2025 (dpa) –", "MOSCOW, March 12 (Reuters) -", "WASHINGTON (AP) —").
Month names come from `datelines.toml`, so a language is added without touching this module.
"""

from __future__ import annotations

import re
import time
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from importlib import resources

from lagebild.ingest.model import Published

_LETTER_BEFORE = r"(?<![^\W\d_])"
_LETTER_AFTER = r"(?![^\W\d_])"


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    """Every month name and abbreviation of every language in datelines.toml, lower case."""
    data = tomllib.loads((resources.files("lagebild.ingest") / "datelines.toml").read_text(encoding="utf-8"))
    names: dict[str, int] = {}
    for table in data.get("month", {}).values():
        for name, number in table.items():
            names[name.lower()] = int(number)
    return names


@dataclass(slots=True, frozen=True)
class _Patterns:
    iso: re.Pattern[str]
    numeric: re.Pattern[str]
    day_month: re.Pattern[str]
    month_day: re.Pattern[str]
    month_year: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    months = "|".join(re.escape(n) for n in sorted(month_names(), key=len, reverse=True))
    month = rf"{_LETTER_BEFORE}(?P<month>{months}){_LETTER_AFTER}\.?"
    return _Patterns(
        iso=re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
        numeric=re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<mon>\d{1,2})\.(?P<year>\d{4}|\d{2})?(?!\d)"),
        day_month=re.compile(rf"(?<!\d)(?P<day>\d{{1,2}})\.?\s*{month}(?:\s*,?\s*(?P<year>\d{{4}}))?(?!\d)", re.I),
        month_day=re.compile(
            rf"{month}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\.?(?:\s*,?\s*(?P<year>\d{{4}}))?(?!\d)", re.I
        ),
        month_year=re.compile(rf"{month}\s+(?P<year>\d{{4}})(?!\d)", re.I),
    )


@dataclass(slots=True, frozen=True)
class TextDate:
    """A date found in a short string. `published` is None when the year is missing; `note` says why."""

    published: Published | None
    note: str | None = None


def parse_text_date(text: str, *, basis: str, reference_year: int | None = None) -> TextDate | None:
    """A calendar date in free text ("12. März 2025", "March 12", "12.03.2025", "2025-03-12").

    Returns None when no date is found. A date without a year uses `reference_year` if given and
    otherwise comes back without a value and with a note.
    """
    p = _patterns()
    months = month_names()
    for kind in ("iso", "numeric", "day_month", "month_day", "month_year"):
        m = getattr(p, kind).search(text)
        if not m:
            continue
        groups = m.groupdict()
        month = months[groups["month"].lower().rstrip(".")] if groups.get("month") else int(groups["mon"])
        day = int(groups["day"]) if groups.get("day") else None
        year_text = groups.get("year")
        year = int(year_text) if year_text else None
        if year is not None and year < 100:
            year += 2000
        if year is None:
            if reference_year is None:
                return TextDate(None, f"the date {m.group().strip()!r} has no year; pass --year YYYY to use it")
            year = reference_year
        try:
            value = date(year, month, day).isoformat() if day else f"{date(year, month, 1).isoformat()[:7]}"
        except ValueError:
            return TextDate(None, f"the date {m.group().strip()!r} does not exist")
        return TextDate(Published(value, "day" if day else "month", basis))
    return None


def parse_published(value: object, *, basis: str = "metadata") -> Published | None:
    """A publication date from metadata: ISO strings, RFC 2822 (feeds), `struct_time`, `date`,
    `datetime`, or a written date with a year. None if the value is empty or not understood."""
    if value is None or value == "":
        return None
    if isinstance(value, time.struct_time):
        value = datetime(*value[:6], tzinfo=UTC)
    if isinstance(value, datetime):
        return Published(value.isoformat(timespec="seconds"), "datetime", basis)
    if isinstance(value, date):
        return Published(value.isoformat(), "day", basis)
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return Published(text, "year", basis)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        if 1 <= int(m[2]) <= 12:
            return Published(text, "month", basis)
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return Published(date.fromisoformat(text).isoformat(), "day", basis)
        except ValueError:
            return None
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", text):
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            return Published(parsed.isoformat(timespec="seconds"), "datetime", basis)
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return Published(parsed.isoformat(timespec="seconds"), "datetime", basis)
    found = parse_text_date(text, basis=basis)
    return found.published if found else None


_DASH = r"[-–—:]"
_PLACE = r"(?P<place>[^\W\d_][\w.'’/ -]{0,40}?)"
_DATELINE_DATED = re.compile(
    rf"^[ \t]*{_PLACE}[ \t]*,[ \t]*(?P<date>[^()\n–—]{{3,40}}?)[ \t]*"
    rf"(?:\((?P<agency>[^()\n]{{1,30}})\))?[ \t]*{_DASH}(?=\s|$)",
    re.M,
)
_DATELINE_AGENCY = re.compile(rf"^[ \t]*{_PLACE}[ \t]*\((?P<agency>[^()\n]{{1,30}})\)[ \t]*{_DASH}(?=\s|$)", re.M)


@dataclass(slots=True, frozen=True)
class Dateline:
    """A dateline at the top of a text: its place, the date it gives (if any) and the agency."""

    place: str
    agency: str | None
    published: Published | None
    note: str | None
    start: int
    end: int


def find_dateline(text: str, *, reference_year: int | None = None, window: int = 400) -> Dateline | None:
    """The dateline in the first lines of `text`, or None.

    Only the first two non-empty lines (within `window` characters) are looked at: a dateline opens
    the story. A place followed by a date needs the date to parse; a place followed by an agency in
    parentheses is enough on its own.
    """
    head = text[:window]
    lines_seen = 0
    offset = 0
    for line in head.split("\n"):
        if line.strip():
            lines_seen += 1
            for pattern in (_DATELINE_DATED, _DATELINE_AGENCY):
                m = pattern.match(line)
                if not m or len(m.group("place").split()) > 4:
                    continue
                groups = m.groupdict()
                agency = (groups.get("agency") or "").strip() or None
                published, note = None, None
                if groups.get("date"):
                    found = parse_text_date(groups["date"], basis="dateline", reference_year=reference_year)
                    if found is None:
                        continue
                    published, note = found.published, found.note
                return Dateline(m.group("place").strip(), agency, published, note, offset + m.start(), offset + m.end())
            if lines_seen >= 2:
                return None
        offset += len(line) + 1
    return None
