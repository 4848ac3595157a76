"""The server's event index: a narrow, sorted copy of the `events` table for fast filtered pages,
counts and timelines at millions of events.

Why: the CLI's actor filter tests four string expressions per side and row (code, code+role, the
lexicon id and the start of its name part). Over a million events that costs a few hundred
milliseconds per query, and a page sorted by date has to sort the whole table. The index keeps, in
an in-memory database attached to the server's DuckDB instance (the store's file is not touched):

    lagebild_api.actor_keys   one row per distinct (code, role, actor id) seen as source or target
    lagebild_api.events_idx   per event: integer keys of its source and target, the filter columns,
                              and `pos`, its rank in the page order (date desc, mentions desc, id)

A query first resolves an actor to its integer keys with the Store's own actor test (the same SQL,
run on `actor_keys`), then filters integers. Pages take the first `offset + limit` rows by `pos`.

Writes: after the Writer stores an article, `refresh(event_ids)` replaces those events' rows; the
new rows have no `pos` yet (a "delta") and are merged into every page by the full sort key, which
gives the same order as the events table. The index is rebuilt when the delta grows large.
Queries the index cannot answer (the `text` filter needs the mentions) run on the events table.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from lagebild.store import EventFilter, Store
from lagebild.store.dates import bound
from lagebild.store.filters import _actor_match

SCHEMA = "lagebild_api"
ORDER = "date_start DESC NULLS LAST, num_mentions DESC, event_id"
REBUILD_AFTER = 50_000  # rows in the delta
TABLE = f"{SCHEMA}.events_idx"
#: granularity as a rank, so "dated at the period or finer" is one integer comparison
GRANULARITY_RANK = {"day": 1, "week": 2, "month": 3, "year": 4}
_RANK = ("CASE e.date_granularity " + " ".join(f"WHEN '{g}' THEN {r}" for g, r in GRANULARITY_RANK.items())
         + " ELSE 9 END::TINYINT AS gran_rank")
_COLUMNS = ("event_id", "source_code", "target_code", "code", "root", "quad_class", "goldstein", "num_mentions",
            "date_start", "date_end", "date_granularity", "date_value", "status", "location_name", "location_country",
            "location_lat", "location_lon")


def _key_join(alias: str, side: str) -> str:
    return (f"JOIN {SCHEMA}.actor_keys {alias} ON {alias}.source_code IS NOT DISTINCT FROM e.{side}_code "
            f"AND {alias}.source_role IS NOT DISTINCT FROM e.{side}_role "
            f"AND {alias}.source_actor_id IS NOT DISTINCT FROM e.{side}_actor_id")


def _index_rows(pos: str, tail: str) -> str:
    """SELECT of index rows from `events e`: `pos` as given, the actor keys, the filter columns."""
    return (f"SELECT {pos} AS pos, s.aid AS sa, t.aid AS ta, {_RANK}, " + ", ".join(f"e.{c}" for c in _COLUMNS)
            + f" FROM events e {_key_join('s', 'source')} {_key_join('t', 'target')} {tail}")


_BUILD = (
    f"CREATE OR REPLACE TABLE {SCHEMA}.actor_keys AS "
    "SELECT row_number() OVER (ORDER BY source_code, source_role, source_actor_id)::INTEGER AS aid, * FROM ("
    "SELECT source_code, source_role, source_actor_id FROM events UNION "
    "SELECT target_code, target_role, target_actor_id FROM events)",
    f"CREATE OR REPLACE TABLE {SCHEMA}.events_idx AS "
    + _index_rows("row_number() OVER (ORDER BY e.date_start DESC NULLS LAST, e.num_mentions DESC, e.event_id)::BIGINT",
                  "ORDER BY pos"),
)
_NEW_KEYS = (
    f"INSERT INTO {SCHEMA}.actor_keys SELECT (SELECT coalesce(max(aid), 0) FROM {SCHEMA}.actor_keys) "
    "+ row_number() OVER ()::INTEGER, * FROM ("
    "SELECT source_code, source_role, source_actor_id FROM events WHERE list_contains(?, event_id) UNION "
    "SELECT target_code, target_role, target_actor_id FROM events WHERE list_contains(?, event_id) EXCEPT "
    f"SELECT source_code, source_role, source_actor_id FROM {SCHEMA}.actor_keys)"
)
_REFRESH = f"INSERT INTO {SCHEMA}.events_idx " + _index_rows("NULL::BIGINT", "WHERE list_contains(?, e.event_id)")

class ResultCache:
    """Results of aggregate queries (counts, timelines, top pairs) until the next write.

    Keys are the SQL text and its parameters; every write (`clear()`) empties the cache, so a
    cached result is always the one the database gives now. `size=0` turns it off.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._generation = 0
        self.hits = self.misses = 0

    def get(self, sql: str, params: Sequence[Any], compute: Callable[[], Any]) -> Any:
        if self.size <= 0:
            return compute()
        key = (sql, _hashable(params))
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            generation = self._generation
            self.misses += 1
        value = compute()
        with self._lock:
            if generation == self._generation:  # no write happened while computing
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._generation += 1


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    return value


class EventIndex:
    """See the module docstring. Built and refreshed through the writer's Store; read through any."""

    def __init__(self, writer: Store, cache_entries: int = 0) -> None:
        self._writer = writer
        self._lock = threading.Lock()
        self.cache = ResultCache(cache_entries)
        self._keys: dict[str, list[int]] = {}  # actor → keys; emptied whenever actor_keys changes
        self.ready = False
        self.rows = 0
        self.delta = 0
        self.build_seconds = 0.0

    # -- maintenance (writer side) ----------------------------------------------------------------
    def build(self) -> None:
        with self._lock:
            start = time.perf_counter()
            attached = self._writer.cursor(
                "SELECT count(*) FROM duckdb_databases() WHERE database_name = ?", [SCHEMA]
            ).fetchone()[0]
            if not attached:
                self._writer.cursor(f"ATTACH ':memory:' AS {SCHEMA}")
            for statement in _BUILD:
                self._writer.cursor(statement)
            self.rows = self._writer.cursor(f"SELECT count(*) FROM {SCHEMA}.events_idx").fetchone()[0]
            self.delta = 0
            self.build_seconds = time.perf_counter() - start
            self.ready = True
            self._keys = {}
            self.cache.clear()

    def refresh(self, event_ids: Sequence[str]) -> None:
        """Replace the rows of these events (after a write); rebuild when the delta is large."""
        if not event_ids:
            return
        self.cache.clear()
        if not self.ready:
            return
        ids = list(dict.fromkeys(event_ids))
        with self._lock:
            con = self._writer.cursor("BEGIN TRANSACTION")
            try:
                con.execute(_NEW_KEYS, [ids, ids])
                self._keys = {}
                con.execute(f"DELETE FROM {SCHEMA}.events_idx WHERE list_contains(?, event_id)", [ids])
                con.execute(_REFRESH, [ids])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                self.ready = False  # fall back to the events table until the next build
                raise
            self.delta += len(ids)
        self._keys = {}  # again, as the cache: a reader may have looked keys up before the commit
        self.cache.clear()  # again: a reader may have cached between the first clear and the commit
        if self.delta > REBUILD_AFTER:
            self.build()

    # -- queries (reader side) --------------------------------------------------------------------
    def can_answer(self, flt: EventFilter) -> bool:
        return self.ready and not flt.text

    def actor_keys(self, store: Store, actor: str) -> list[int]:
        """Integer keys of the actors that the CLI's actor test accepts for `actor` (remembered until
        the key table changes)."""
        known = self._keys.get(actor)
        if known is not None:
            return known
        keys = self._keys
        params: list[Any] = []
        test = _actor_match("source", actor, params)
        found = [r[0] for r in store.cursor(f"SELECT e.aid FROM {SCHEMA}.actor_keys e WHERE {test}", params).fetchall()]
        if len(keys) < 10_000:
            keys[actor] = found
        return found

    def where(self, store: Store, flt: EventFilter, place: str | None, *extra: str) -> tuple[str, list[Any]]:
        """A WHERE clause over `events_idx e` equivalent to `where_clause(flt)` on the events table."""
        parts: list[str] = []
        params: list[Any] = []

        def keys(side: str, actor: str) -> str:
            found = self.actor_keys(store, actor)
            if not found:
                return "FALSE"
            params.append(found)
            return f"list_contains(?, e.{side})"

        if flt.actor:
            parts.append(f"({keys('sa', flt.actor)} OR {keys('ta', flt.actor)})")
        if flt.dyad:
            a, b = flt.dyad
            forward = f"({keys('sa', a)} AND {keys('ta', b)})"
            if flt.directed:
                parts.append(forward)
            else:
                parts.append(f"({forward} OR ({keys('sa', b)} AND {keys('ta', a)}))")
        if flt.code:
            parts.append("starts_with(e.code, ?)")
            params.append(flt.code.strip())
        if flt.root:
            parts.append("e.root = ?")
            params.append(flt.root.strip().zfill(2))
        if flt.quad is not None:
            parts.append("e.quad_class = ?")
            params.append(int(flt.quad))
        if flt.since is not None:
            parts.append("e.date_end >= ?")
            params.append(bound(flt.since, end=False))
        if flt.until is not None:
            parts.append("e.date_start <= ?")
            params.append(bound(flt.until, end=True))
        if flt.status:
            statuses = [flt.status] if isinstance(flt.status, str) else list(flt.status)
            parts.append("list_contains(?, e.status)")
            params.append([s.strip() for item in statuses for s in item.split(",") if s.strip()])
        if place:
            parts.append("e.location_name = ?")
            params.append(place)
        parts.extend(extra)
        return ("WHERE " + " AND ".join(f"({p})" for p in parts)) if parts else "", params

    def page_ids(self, store: Store, where: str, params: list[Any], limit: int, offset: int) -> list[str]:
        """Event ids of one page in the order of the events table's pages."""
        head = offset + limit
        also = " AND" if where else " WHERE"
        sql = (
            f"SELECT event_id FROM (SELECT * FROM (SELECT e.* FROM {TABLE} e {where}{also} e.pos IS NOT NULL "
            f"ORDER BY e.pos LIMIT ?) UNION ALL SELECT e.* FROM {TABLE} e {where}{also} e.pos IS NULL) "
            f"ORDER BY {ORDER} LIMIT ? OFFSET ?"
        )
        return [r[0] for r in store.cursor(sql, [*params, head, *params, limit, offset]).fetchall()]
