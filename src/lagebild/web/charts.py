"""Geometry of the dashboard's SVG charts, computed here and drawn by the templates.

A timeline has two panels on one time axis: events as points by Goldstein score (cooperation
above zero, conflict below) with the mean per period as a line, and the number of events per
period as bars, cooperation (quad classes 1, 2) up and conflict (3, 4) down. Every point and bar
is a link: a point to its event, a bar or mean point to the events of its period.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

WIDTH = 960
LEFT, RIGHT = 56, 18


@dataclass(slots=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    quad: int
    href: str
    label: str


@dataclass(slots=True)
class Point:
    cx: float
    cy: float
    r: float
    css: str
    href: str
    label: str
    event_id: str | None = None


@dataclass(slots=True)
class Tick:
    pos: float
    label: str


@dataclass(slots=True)
class Panel:
    top: float
    height: float
    zero: float
    y_ticks: list[Tick] = field(default_factory=list)
    title: str = ""


@dataclass(slots=True)
class Chart:
    width: int
    height: int
    left: float
    right: float
    x_ticks: list[Tick]
    points_panel: Panel | None
    bars_panel: Panel
    bars: list[Bar]
    points: list[Point]
    mean_points: list[Point]
    mean_path: str
    empty: bool = False


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def period_end(start: date, freq: str) -> date:
    if freq == "week":
        return start + timedelta(days=6)
    if freq == "month":
        return date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    if freq == "year":
        return date(start.year, 12, 31)
    return start


def period_label(start: date, freq: str) -> str:
    if freq == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if freq == "month":
        return start.strftime("%Y-%m")
    if freq == "year":
        return str(start.year)
    return start.isoformat()


class _TimeAxis:
    def __init__(self, first: date, last: date, width: float) -> None:
        self.first = first
        self.days = max((last - first).days + 1, 1)
        self.width = width

    def x(self, d: date) -> float:
        return LEFT + (d - self.first).days / self.days * self.width

    def span(self, a: date, b: date) -> tuple[float, float]:
        x0 = self.x(a)
        x1 = LEFT + ((b - self.first).days + 1) / self.days * self.width
        return x0, x1


def _x_ticks(periods: list[date], freq: str, axis: _TimeAxis, most: int = 12) -> list[Tick]:
    if not periods:
        return []
    step = max(1, -(-len(periods) // most))
    ticks = []
    for p in periods[::step]:
        x0, x1 = axis.span(p, period_end(p, freq))
        ticks.append(Tick(round((x0 + x1) / 2, 1), period_label(p, freq)))
    return ticks


def _jitter(key: str, spread: float) -> float:
    h = int(hashlib.blake2s(key.encode(), digest_size=2).hexdigest(), 16) / 65535
    return (h - 0.5) * 2 * spread


def _count_ticks(panel: Panel, peak: int) -> list[Tick]:
    half = panel.height / 2
    ticks = [Tick(panel.zero, "0")]
    if peak:
        ticks.append(Tick(round(panel.zero - half, 1), str(peak)))
        ticks.append(Tick(round(panel.zero + half, 1), str(peak)))
    return ticks


def timeline(
    rows: Sequence[dict[str, Any]],
    freq: str,
    *,
    period_href: Callable[[date, date], str],
    events: Sequence[dict[str, Any]] = (),
    event_href: Callable[[str], str] | None = None,
    with_points: bool = True,
) -> Chart:
    """A timeline chart of period rows (`period`, `quad1`..`quad4`, `mean_goldstein`, `events`)
    and, with `with_points`, the events as clickable points."""
    periods = [(d, r) for r in rows if (d := _as_date(r.get("period"))) is not None]
    top = 22.0
    points_panel = Panel(top=top, height=200, zero=top + 100, title="Goldstein score per event") if with_points else None
    bars_top = (points_panel.top + points_panel.height + 44) if points_panel else top
    bars_panel = Panel(top=bars_top, height=160, zero=bars_top + 80, title="Events per period")
    height = int(bars_panel.top + bars_panel.height + 34)
    if not periods:
        return Chart(WIDTH, height, LEFT, WIDTH - RIGHT, [], points_panel, bars_panel, [], [], [], "", empty=True)
    first = periods[0][0]
    last = period_end(periods[-1][0], freq)
    # the axis spans the periods; a point outside them (coarser than a period) is not drawn
    dated = [(e, start, _as_date(e.get("date_end"))) for e in events
             if (start := _as_date(e.get("date_start"))) is not None and first <= start <= last]
    axis = _TimeAxis(first, last, WIDTH - LEFT - RIGHT)

    bars: list[Bar] = []
    mean_points: list[Point] = []
    peak = max(max(int(r.get("quad1") or 0) + int(r.get("quad2") or 0), int(r.get("quad3") or 0) + int(r.get("quad4") or 0))
               for _, r in periods) or 1
    half = bars_panel.height / 2
    for start, r in periods:
        end = period_end(start, freq)
        x0, x1 = axis.span(start, end)
        w = max(x1 - x0 - 1.5, 1.5)
        href = period_href(start, end)
        label = period_label(start, freq)
        up = bars_panel.zero
        for q in (1, 2):
            n = int(r.get(f"quad{q}") or 0)
            if n:
                h = n / peak * half
                up -= h
                bars.append(Bar(round(x0, 1), round(up, 1), round(w, 1), round(h, 1), q, href, f"{label}: {n} × quad class {q}"))
        down = bars_panel.zero
        for q in (3, 4):
            n = int(r.get(f"quad{q}") or 0)
            if n:
                h = n / peak * half
                bars.append(Bar(round(x0, 1), round(down, 1), round(w, 1), round(h, 1), q, href, f"{label}: {n} × quad class {q}"))
                down += h
        mean = r.get("mean_goldstein")
        if points_panel is not None and mean is not None:
            cy = points_panel.zero - float(mean) / 10 * (points_panel.height / 2)
            mean_points.append(Point(round((x0 + x1) / 2, 1), round(cy, 1), 4.0, "mean", href,
                                     f"{label}: mean Goldstein {float(mean):+.1f} over {r.get('events')} events"))
    bars_panel.y_ticks = _count_ticks(bars_panel, peak)

    points: list[Point] = []
    if points_panel is not None:
        points_panel.y_ticks = [Tick(round(points_panel.zero - g / 10 * points_panel.height / 2, 1), f"{g:+d}" if g else "0")
                                for g in (10, 5, 0, -5, -10)]
        for e, start, end in dated:
            if start is None or e.get("goldstein") is None:
                continue
            x0, x1 = axis.span(start, end or start)
            spread = min((x1 - x0) * 0.4, 6.0)
            cx = (x0 + x1) / 2 + _jitter(str(e.get("event_id")), spread)
            cy = points_panel.zero - float(e["goldstein"]) / 10 * (points_panel.height / 2)
            quad = int(e.get("quad_class") or 0)
            label = (f"{e.get('date_value')}: {e.get('source_code') or '?'} → {e.get('target_code') or '-'} "
                     f"CAMEO {e.get('code')} (Goldstein {float(e['goldstein']):+.1f})")
            href = event_href(str(e["event_id"])) if event_href else ""
            points.append(Point(round(cx, 1), round(cy, 1), 4.5, f"q{quad}", href, label, str(e.get("event_id"))))
    mean_path = "".join(f"{'M' if i == 0 else 'L'}{p.cx},{p.cy}" for i, p in enumerate(mean_points))
    return Chart(WIDTH, height, LEFT, WIDTH - RIGHT, _x_ticks([d for d, _ in periods], freq, axis), points_panel,
                 bars_panel, bars, points, mean_points, mean_path)
