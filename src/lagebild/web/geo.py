"""The map: an offline world outline (Natural Earth 1:110m, shipped as static/world-110m.json,
built by `_build_world.py`) in an equirectangular projection, and event places as circles.

Map units are degrees: x = lon + 180, y = 90 - lat, so the SVG viewBox is 0 0 360 180.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

WORLD_FILE = Path(__file__).resolve().parent / "static" / "world-110m.json"


@dataclass(slots=True, frozen=True)
class Country:
    iso3: str | None
    name: str | None
    d: str


@dataclass(slots=True, frozen=True)
class Marker:
    x: float
    y: float
    r: float
    css: str
    href: str
    label: str


@lru_cache(maxsize=1)
def world() -> tuple[Country, ...]:
    """The country outlines (read once; an empty outline if the file is missing)."""
    try:
        data = json.loads(WORLD_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    return tuple(Country(c.get("iso3"), c.get("name"), c["d"]) for c in data.get("countries", []) if c.get("d"))


def graticule(step: int = 30) -> list[str]:
    """SVG path data of meridians and parallels every `step` degrees."""
    lines = [f"M{lon + 180},0V180" for lon in range(-180, 181, step)]
    lines += [f"M0,{90 - lat}H360" for lat in range(-90 + step, 90, step)]
    return lines


def project(lat: float, lon: float) -> tuple[float, float]:
    return round(lon + 180, 2), round(90 - lat, 2)


def markers(
    rows: Sequence[dict[str, Any]], *, href: Callable[[dict[str, Any]], str], count_key: str = "events",
    css: str = "event",
) -> list[Marker]:
    """Circles with area proportional to the count, largest first (so small ones stay clickable on top)."""
    out = []
    peak = max((int(r.get(count_key) or 0) for r in rows), default=1) or 1
    for r in rows:
        lat, lon = r.get("lat"), r.get("lon")
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        n = int(r.get(count_key) or 0)
        x, y = project(float(lat), float(lon))
        radius = 0.9 + 4.5 * math.sqrt(n / peak)
        mean = r.get("mean_goldstein")
        tone = "" if mean is None else (" coop" if mean > 0 else " conflict" if mean < 0 else "")
        label = f"{r.get('name') or '?'} ({r.get('country') or '-'}): {n} {count_key}"
        if mean is not None:
            label += f", mean Goldstein {mean:+.1f}"
        out.append(Marker(x, y, round(radius, 2), css + tone, href(r), label))
    out.sort(key=lambda m: -m.r)
    return out
