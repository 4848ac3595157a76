"""Build `static/world-110m.json`, the offline world outline of the dashboard's map.

Development tool, not imported at run time. The source is Natural Earth's 1:110m admin-0 countries
(public domain), as shipped inside the geopandas 0.14 wheel (`geopandas/datasets/naturalearth_lowres`;
later geopandas releases dropped it). Nothing is fetched from the internet at run time: the
generated file is part of the package.

    python -m pip download geopandas==0.14.4 --no-deps -d /tmp/geo
    python src/lagebild/web/_build_world.py /tmp/geo/geopandas-0.14.4-py3-none-any.whl

The shapefile is read with the standard library only (the format is simple), every ring is projected
equirectangularly (x = lon + 180, y = 90 - lat, so the map is 360 x 180 user units), simplified with
Douglas-Peucker at 0.15 degrees and written as one SVG path per country.
"""

from __future__ import annotations

import io
import json
import struct
import sys
import zipfile
from pathlib import Path

TOLERANCE = 0.15  # degrees; at 110m most detail is coarser than this anyway
OUT = Path(__file__).resolve().parent / "static" / "world-110m.json"
_MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"


def read_shapes(shp: bytes) -> list[list[list[tuple[float, float]]]]:
    """Polygon records of a .shp file as lists of rings of (lon, lat)."""
    shapes = []
    pos = 100  # the file header
    while pos + 8 <= len(shp):
        _number, length = struct.unpack(">ii", shp[pos:pos + 8])
        body = shp[pos + 8:pos + 8 + 2 * length]
        pos += 8 + 2 * length
        shape_type = struct.unpack("<i", body[:4])[0]
        if shape_type == 0:
            shapes.append([])
            continue
        if shape_type not in (5, 15, 25):
            raise ValueError(f"not a polygon shapefile (shape type {shape_type})")
        n_parts, n_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", body[44:44 + 4 * n_parts]))
        start = 44 + 4 * n_parts
        coords = struct.unpack(f"<{2 * n_points}d", body[start:start + 16 * n_points])
        points = list(zip(coords[0::2], coords[1::2]))
        rings = [points[a:b] for a, b in zip(parts, parts[1:] + [n_points])]
        shapes.append(rings)
    return shapes


def read_dbf(dbf: bytes) -> list[dict[str, str]]:
    """Records of a dBase III file as dicts of stripped strings."""
    n_records, header_len, record_len = struct.unpack("<IHH", dbf[4:12])
    fields = []
    pos = 32
    while dbf[pos] != 0x0D:
        name = dbf[pos:pos + 11].split(b"\0", 1)[0].decode("ascii")
        fields.append((name, dbf[pos + 16]))
        pos += 32
    rows = []
    for i in range(n_records):
        rec = dbf[header_len + i * record_len:header_len + (i + 1) * record_len]
        offset = 1  # deletion flag
        row = {}
        for name, size in fields:
            row[name] = rec[offset:offset + size].decode("utf-8", "replace").strip()
            offset += size
        rows.append(row)
    return rows


def simplify(ring: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative; keeps the first and last point."""
    if len(ring) < 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = ring[a], ring[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = 0.0, -1
        for i in range(a + 1, b):
            px, py = ring[i]
            if norm == 0:
                d = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            else:
                d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            if d > best:
                best, index = d, i
        if best > tolerance and index > 0:
            keep[index] = True
            stack.extend([(a, index), (index, b)])
    return [p for p, k in zip(ring, keep) if k]


def ring_path(ring: list[tuple[float, float]]) -> str:
    pts = [(round(lon + 180, 1), round(90 - lat, 1)) for lon, lat in ring]
    out = []
    for x, y in pts:
        cell = f"{x:g},{y:g}"
        if not out or out[-1] != cell:
            out.append(cell)
    if len(out) < 3:
        return ""
    return "M" + "L".join(out) + "Z"


def build(wheel: Path) -> dict:
    with zipfile.ZipFile(wheel) as zf:
        shp = zf.read(_MEMBER + ".shp")
        dbf = zf.read(_MEMBER + ".dbf")
    shapes = read_shapes(shp)
    rows = read_dbf(dbf)
    countries = []
    for rings, row in zip(shapes, rows):
        paths = [ring_path(simplify(r, TOLERANCE)) for r in rings]
        d = "".join(p for p in paths if p)
        if d:
            countries.append({"iso3": row.get("iso_a3"), "name": row.get("name"), "d": d})
    countries.sort(key=lambda c: c["name"] or "")
    return {
        "source": "Natural Earth 1:110m admin-0 countries (public domain), via geopandas 0.14 naturalearth_lowres",
        "projection": "equirectangular: x = lon + 180, y = 90 - lat (360 x 180 units)",
        "tolerance_degrees": TOLERANCE,
        "countries": countries,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    data = build(Path(argv[1]))
    buf = io.StringIO()
    json.dump(data, buf, ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(buf.getvalue() + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(data['countries'])} countries, {OUT.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
