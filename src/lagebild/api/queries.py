"""Read queries of the API and the dashboard.

They complement `Store`'s own queries with what HTTP needs (offsets and totals for pagination,
filters on timelines, partners of an actor, map and network aggregates). They run through the
Store's public `cursor()`; the filters are the Store's own (`EventFilter`, `where_clause`), so the
API, the dashboard and the CLI select the same events. Every value is a bound parameter; the SQL
text is fixed in this module.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from lagebild.api.index import GRANULARITY_RANK, EventIndex
from lagebild.api.index import TABLE as INDEX_TABLE
from lagebild.errors import ConfigError
from lagebild.store import EventFilter, Store
from lagebild.store.filters import _actor_match, where_clause  # the CLI's --actor test, reused for partners
from lagebild.store.queries import actors_sql

FREQUENCIES = ("day", "week", "month", "year")
# Events dated more coarsely than the period (a month in a daily timeline) cannot be placed in one.
_FINER = {"day": ["day"], "week": ["day", "week"], "month": ["day", "week", "month"],
          "year": ["day", "week", "month", "year"]}
_QUADS = ", ".join(f"count(*) FILTER (WHERE e.quad_class = {q}) AS quad{q}" for q in (1, 2, 3, 4))
_EVENT_ORDER = "ORDER BY e.date_start DESC NULLS LAST, e.num_mentions DESC, e.event_id"


def plain(value: Any) -> Any:
    """A database value as JSON: ISO dates, None for NaN, floats for decimals."""
    if isinstance(value, datetime):
        return value.isoformat(sep="T")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


_PLAIN_TYPES = {"VARCHAR", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER", "BOOLEAN", "HUGEINT"}


def _iso(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _number(value: Any) -> Any:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def _converter(type_code: Any) -> Any:
    """How to turn a value of this DuckDB column type into JSON (None: as it is)."""
    name = str(type_code)
    if name in _PLAIN_TYPES:
        return None
    if name in ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIME"):
        return _iso
    if name in ("DOUBLE", "FLOAT", "REAL") or name.startswith("DECIMAL"):
        return _number
    return plain


def fetch(store: Store, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Rows of a read query as JSON-ready dicts (values converted per column type, not per value)."""
    cur = store.cursor(sql, params)
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    converters = [(i, c) for i, d in enumerate(cur.description) if (c := _converter(d[1])) is not None]
    if converters:
        rows = [list(row) for row in rows]
        for row in rows:
            for i, convert in converters:
                row[i] = convert(row[i])
    return [dict(zip(names, row)) for row in rows]


def scalar(store: Store, sql: str, params: Sequence[Any] = ()) -> Any:
    row = store.cursor(sql, params).fetchone()
    return row[0] if row else None


def _cached(index: EventIndex | None, sql: str, params: Sequence[Any], compute: Any) -> Any:
    """`compute()`, or its result from the index's cache (emptied by every write)."""
    if index is None:
        return compute()
    return index.cache.get(sql, params, compute)


def cached_fetch(store: Store, index: EventIndex | None, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    return _cached(index, sql, params, lambda: fetch(store, sql, params))


def cached_scalar(store: Store, index: EventIndex | None, sql: str, params: Sequence[Any]) -> Any:
    return _cached(index, sql, params, lambda: scalar(store, sql, params))


@lru_cache(maxsize=1)
def _code_names() -> dict[str, str]:
    try:
        from lagebild.cameo import codebook

        return {c.code: c.name for c in codebook()}
    except Exception:  # noqa: BLE001 - names are decoration; the codes stand on their own
        return {}


def code_name(code: str | None) -> str | None:
    return _code_names().get(code or "")


@dataclass(slots=True, frozen=True)
class EventQuery:
    """The CLI's event filters plus the dashboard's place filter."""

    filter: EventFilter
    place: str | None = None

    @property
    def is_empty(self) -> bool:
        f = self.filter
        return not any((f.actor, f.dyad, f.code, f.root, f.quad, f.since, f.until, f.status, f.text, self.place))


def event_query(
    *, actor: str | None = None, dyad: Sequence[str] | None = None, directed: bool = False,
    code: str | None = None, root: str | None = None, quad: int | None = None, since: str | None = None,
    until: str | None = None, status: str | None = None, text: str | None = None, place: str | None = None,
) -> EventQuery:
    """Filters from request parameters; `dyad` is `["USA", "IRN"]` or `["USA,IRN"]`."""
    pair = None
    if dyad:
        parts = [p.strip() for item in dyad for p in item.split(",") if p.strip()]
        if len(parts) != 2:
            raise ConfigError(f"dyad needs two actors (dyad=USA,IRN), got {len(parts)}")
        pair = (parts[0], parts[1])
    if quad is not None and quad not in (1, 2, 3, 4):
        raise ConfigError(f"quad must be 1, 2, 3 or 4, not {quad}")
    blank = lambda v: (v.strip() or None) if isinstance(v, str) else v  # noqa: E731
    flt = EventFilter(
        actor=blank(actor), dyad=pair, directed=directed, code=blank(code), root=blank(root), quad=quad,
        since=blank(since), until=blank(until), status=blank(status), text=blank(text),
    )
    return EventQuery(flt, blank(place))


def _where(q: EventQuery, *extra: str) -> tuple[str, list[Any]]:
    where, params = where_clause(q.filter)
    parts = [where[len("WHERE "):]] if where else []
    if q.place:
        parts.append("e.location_name = ?")
        params.append(q.place)
    parts.extend(extra)
    return ("WHERE " + " AND ".join(f"({p})" for p in parts)) if parts else "", params


def _source(store: Store, q: EventQuery, index: EventIndex | None, *extra: str,
            placeable_in: str | None = None) -> tuple[str, str, list[Any]]:
    """(table, WHERE, params) for `q`: the server's event index when it can answer, else the events table.
    Both are aliased `e` and have the columns the aggregate queries below use. `placeable_in` keeps
    only events dated at that period (`day`, `week`, `month`, `year`) or finer."""
    if placeable_in is not None and placeable_in not in _FINER:
        raise ConfigError(f"unknown frequency {placeable_in!r}; use day, week, month or year")
    if index is not None and index.can_answer(q.filter):
        if placeable_in is not None:
            extra = (*extra, f"e.gran_rank <= {GRANULARITY_RANK[placeable_in]:d}")
        where, params = index.where(store, q.filter, q.place, *extra)
        return INDEX_TABLE, where, params
    if placeable_in is None:
        where, params = _where(q, *extra)
    else:
        where, params = _where(q, *extra, "list_contains(?, e.date_granularity)")
        params.append(_FINER[placeable_in])
    return "events", where, params


def _with_names(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["code_name"] = code_name(row.get("code"))
    return rows


# -- events -----------------------------------------------------------------------------------------
def events_page(store: Store, q: EventQuery, *, limit: int, offset: int = 0,
                index: EventIndex | None = None) -> dict[str, Any]:
    table, where, params = _source(store, q, index)
    if table == INDEX_TABLE:
        assert index is not None
        ids = index.page_ids(store, where, params, limit, offset)
        rows = {r["event_id"]: r for r in fetch(store, "SELECT e.* FROM events e WHERE list_contains(?, e.event_id)", [ids])}
        items = [rows[i] for i in ids if i in rows]
    else:
        items = fetch(store, f"SELECT e.* FROM events e {where} {_EVENT_ORDER} LIMIT ? OFFSET ?", [*params, limit, offset])
    total = cached_scalar(store, index, f"SELECT count(*) FROM {table} e {where}", params)
    return {"total": int(total or 0), "limit": limit, "offset": offset, "items": _with_names(items)}


def chart_events(store: Store, q: EventQuery, freq: str = "month", *, limit: int = 2000,
                 index: EventIndex | None = None) -> list[dict[str, Any]]:
    """The newest events of a filter that a `freq` timeline can place (dated at `freq` or finer),
    with what a chart point needs."""
    table, where, params = _source(store, q, index, "e.date_start IS NOT NULL", placeable_in=freq)
    return fetch(
        store,
        "SELECT e.event_id, e.code, e.quad_class, e.goldstein, e.date_value, e.date_start, e.date_end, "
        "e.source_code, e.target_code, e.num_mentions, e.status "
        f"FROM {table} e {where} {_EVENT_ORDER} LIMIT ?",
        [*params, limit],
    )


def evidence(store: Store, event_id: str) -> dict[str, Any]:
    """The event and every mention behind it (see `Store.evidence`)."""
    ev = store.evidence(event_id)
    event = plain(dict(ev.event))
    event["code_name"] = code_name(event.get("code"))
    mentions = []
    for m in ev.mentions:
        mention = plain(dict(m.mention))
        mentions.append({
            "mention": mention,
            "article": plain(dict(m.article)),
            "sentence": m.sentence,
            "highlights": [{"start": h.start, "end": h.end, "kind": h.kind} for h in m.highlights],
            "rule": {"id": mention.get("rule_id"), "file": mention.get("rule_file"), "line": mention.get("rule_line"),
                     "pattern": mention.get("rule_pattern")},
            "trigger": {"text": mention.get("trigger_text"), "lemma": mention.get("trigger_lemma"),
                        "span": [mention.get("trigger_start"), mention.get("trigger_end")]},
            "quotes": [plain(dict(x)) for x in m.quotes],
            "time": plain(dict(m.time)) if m.time else None,
        })
    return {"event": event, "mentions": mentions}


# -- time series ------------------------------------------------------------------------------------
def period_counts(store: Store, q: EventQuery, freq: str, *, index: EventIndex | None = None) -> list[dict[str, Any]]:
    """Events per period: counts per quad class, mentions, mean Goldstein (events dated finer than freq)."""
    table, where, params = _source(store, q, index, "e.date_start IS NOT NULL", placeable_in=freq)
    return cached_fetch(
        store, index,
        f"SELECT date_trunc(?, e.date_start)::DATE AS period, count(*) AS events, {_QUADS}, "
        "sum(e.num_mentions)::BIGINT AS mentions, avg(e.goldstein) AS mean_goldstein "
        f"FROM {table} e {where} GROUP BY period ORDER BY period",
        [freq, *params],
    )


# -- dyads, actors, network -------------------------------------------------------------------------
def _pair(directed: bool) -> tuple[str, str]:
    if directed:
        return "e.source_code", "e.target_code"
    return "least(e.source_code, e.target_code)", "greatest(e.source_code, e.target_code)"


def dyads_page(store: Store, q: EventQuery, *, directed: bool, limit: int, offset: int = 0,
               index: EventIndex | None = None) -> dict[str, Any]:
    a, b = _pair(directed)
    table, where, params = _source(store, q, index, "e.source_code IS NOT NULL", "e.target_code IS NOT NULL")
    items = cached_fetch(
        store, index,
        f"SELECT {a} AS actor_a, {b} AS actor_b, count(*) AS events, sum(e.num_mentions)::BIGINT AS mentions, "
        f"avg(e.goldstein) AS mean_goldstein, {_QUADS}, min(e.date_start) AS first_date, max(e.date_end) AS last_date "
        f"FROM {table} e {where} GROUP BY ALL ORDER BY events DESC, mentions DESC, actor_a, actor_b LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    total = cached_scalar(store, index, f"SELECT count(*) FROM (SELECT DISTINCT {a}, {b} FROM {table} e {where})", params)
    return {"total": int(total or 0), "limit": limit, "offset": offset, "directed": directed, "items": items}


def network(store: Store, q: EventQuery, *, limit: int, index: EventIndex | None = None) -> dict[str, Any]:
    """The strongest undirected actor pairs (by number of events) and the actors they join."""
    table, where, params = _source(store, q, index, "e.source_code IS NOT NULL", "e.target_code IS NOT NULL",
                                   "e.source_code <> e.target_code")
    edges = cached_fetch(
        store, index,
        "SELECT least(e.source_code, e.target_code) AS a, greatest(e.source_code, e.target_code) AS b, "
        "count(*) AS events, avg(e.goldstein) AS mean_goldstein, "
        "count(*) FILTER (WHERE e.quad_class IN (1, 2)) AS cooperation, "
        "count(*) FILTER (WHERE e.quad_class IN (3, 4)) AS conflict "
        f"FROM {table} e {where} GROUP BY ALL ORDER BY events DESC, a, b LIMIT ?",
        [*params, limit],
    )
    nodes: dict[str, dict[str, Any]] = {}
    for edge in edges:
        for side in ("a", "b"):
            node = nodes.setdefault(edge[side], {"id": edge[side], "events": 0, "degree": 0})
            node["events"] += edge["events"]
            node["degree"] += 1
    ordered = sorted(nodes.values(), key=lambda n: (-n["events"], n["id"]))
    return {"nodes": ordered, "edges": edges}


def _actor_sides(actor: str) -> tuple[str, list[Any], str, list[Any]]:
    p_src: list[Any] = []
    p_tgt: list[Any] = []
    return _actor_match("source", actor, p_src), p_src, _actor_match("target", actor, p_tgt), p_tgt


def actor_detail(store: Store, actor: str, *, partners: int = 50) -> dict[str, Any]:
    """An actor (code, code+role, lexicon id or id name): names it appears under, and its partners."""
    actor = actor.strip()
    if not actor:
        raise ConfigError("an actor is needed (a code like RUS, a lexicon id, or a name part)")
    s, ps, t, pt = _actor_sides(actor)
    names = fetch(
        store,
        "SELECT code, role, name, actor_id, count(*) AS events FROM ("
        f"SELECT e.source_code AS code, e.source_role AS role, e.source_name AS name, e.source_actor_id AS actor_id "
        f"FROM events e WHERE {s} UNION ALL "
        f"SELECT e.target_code, e.target_role, e.target_name, e.target_actor_id FROM events e WHERE {t}) "
        "GROUP BY ALL ORDER BY events DESC, code, name LIMIT 20",
        [*ps, *pt],
    )
    rows = fetch(
        store,
        f"WITH m AS (SELECT e.*, {s} AS is_src, {t} AS is_tgt FROM events e WHERE ({s}) OR ({t})) "
        "SELECT CASE WHEN e.is_src THEN e.target_code ELSE e.source_code END AS partner, count(*) AS events, "
        f"{_QUADS}, avg(e.goldstein) AS mean_goldstein, sum(e.num_mentions)::BIGINT AS mentions, "
        "count(*) FILTER (WHERE e.is_src) AS as_source, count(*) FILTER (WHERE NOT e.is_src) AS as_target, "
        "max(e.date_end) AS last_date FROM m e GROUP BY partner ORDER BY events DESC, partner NULLS LAST LIMIT ?",
        [*ps, *pt, *ps, *pt, partners],
    )
    total = scalar(store, f"SELECT count(*) FROM events e WHERE ({s}) OR ({t})", [*ps, *pt])
    return {"actor": actor, "events": int(total or 0), "names": names, "partners": rows}


def actors_page(store: Store, *, limit: int, offset: int = 0) -> dict[str, Any]:
    """Actors by number of mentions, with their counts as event source and target (as `Store.actors`)."""
    items = fetch(store, actors_sql(paged=True), [limit, offset])
    total = scalar(store, "SELECT count(*) FROM (SELECT DISTINCT actor_id, code, role, kind FROM actors)")
    return {"total": int(total or 0), "limit": limit, "offset": offset, "items": items}


# -- articles, quotes, places -----------------------------------------------------------------------
def articles_page(store: Store, *, limit: int, offset: int = 0) -> dict[str, Any]:
    items = fetch(
        store,
        "SELECT p.*, (SELECT count(*) FROM mentions m WHERE m.article_id = p.article_id) AS mentions FROM ("
        "SELECT a.* EXCLUDE (text, record) FROM articles a ORDER BY a.ingested_at DESC, a.article_id "
        "LIMIT ? OFFSET ?) p ORDER BY p.ingested_at DESC, p.article_id",
        [limit, offset],
    )
    total = scalar(store, "SELECT count(*) FROM articles")
    return {"total": int(total or 0), "limit": limit, "offset": offset, "items": items}


def article_detail(store: Store, article_id: str) -> dict[str, Any]:
    """The stored article with its text, its event mentions and its coder records."""
    article = plain(store.article(article_id))
    mentions = fetch(
        store,
        "SELECT mention_id, event_id, code, quad_class, goldstein, source_code, source_name, target_code, target_name, "
        "trigger_text, trigger_start, trigger_end, sentence, status, date_value, rule_id "
        "FROM mentions WHERE article_id = ? ORDER BY sentence, trigger_start, mention_id",
        [article["article_id"]],
    )
    records = store.records(article["article_id"])
    return {"article": article, "mentions": _with_names(mentions), "records": records}


def quotes_page(store: Store, *, speaker: str | None, limit: int, offset: int = 0) -> dict[str, Any]:
    """Quotes (direct and reported speech); `speaker` matches a code, a lexicon id or a name part."""
    where, params = "", []
    if speaker and speaker.strip():
        speaker = speaker.strip()
        where = (
            "WHERE upper(?) IN (q.speaker_code, q.speaker_code || coalesce(q.speaker_role, '')) "
            "OR lower(q.speaker_actor_id) = lower(?) OR contains(lower(q.speaker_name), lower(?)) "
            "OR starts_with(lower(split_part(q.speaker_actor_id, ':', 2)), lower(?))"
        )
        params = [speaker, speaker, speaker, speaker]
    items = fetch(
        store,
        "SELECT q.* EXCLUDE (record), a.title, a.outlet, a.published, a.url FROM quotes q "
        f"JOIN articles a ON a.article_id = q.article_id {where} ORDER BY a.published DESC NULLS LAST, "
        "q.article_id, q.start LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    total = scalar(store, f"SELECT count(*) FROM quotes q {where}", params)
    return {"total": int(total or 0), "limit": limit, "offset": offset, "speaker": speaker, "items": items}


def places_page(store: Store, *, limit: int, offset: int = 0) -> dict[str, Any]:
    """Places named in articles with their mentions, articles and events (as `Store.places`)."""
    items = fetch(
        store,
        "SELECT p.name, p.country, any_value(p.lat) AS lat, any_value(p.lon) AS lon, count(*) AS mentions, "
        "count(DISTINCT p.article_id) AS articles, coalesce(any_value(e.n), 0) AS events FROM places p "
        "LEFT JOIN (SELECT location_name, location_country, count(*) AS n FROM events GROUP BY ALL) e "
        "ON e.location_name IS NOT DISTINCT FROM p.name AND e.location_country IS NOT DISTINCT FROM p.country "
        "GROUP BY p.name, p.country ORDER BY mentions DESC, p.name LIMIT ? OFFSET ?",
        [limit, offset],
    )
    total = scalar(store, "SELECT count(*) FROM (SELECT DISTINCT name, country FROM places)")
    return {"total": int(total or 0), "limit": limit, "offset": offset, "items": items}


def event_places(store: Store, q: EventQuery, *, limit: int = 500, index: EventIndex | None = None) -> list[dict[str, Any]]:
    """Where the filtered events happened: one row per place with coordinates."""
    table, where, params = _source(store, q, index, "e.location_lat IS NOT NULL", "e.location_lon IS NOT NULL")
    return cached_fetch(
        store, index,
        "SELECT e.location_name AS name, e.location_country AS country, avg(e.location_lat) AS lat, "
        "avg(e.location_lon) AS lon, count(*) AS events, sum(e.num_mentions)::BIGINT AS mentions, "
        f"avg(e.goldstein) AS mean_goldstein FROM {table} e {where} GROUP BY ALL ORDER BY events DESC, name LIMIT ?",
        [*params, limit],
    )


def counts(store: Store) -> dict[str, int]:
    return store.counts()
