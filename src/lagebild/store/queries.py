"""The read side of the store: queries that return pandas DataFrames.

A mixin of `Store`; it needs only `_df` (run a query, return a DataFrame). SQL text is fixed here,
values are bound parameters, and the event filters are those of `EventFilter`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from lagebild.store.errors import StoreError
from lagebild.store.filters import EventFilter, where_clause


_ACTOR_ORDER = "mentions DESC, actor_id NULLS LAST, code, role NULLS FIRST, kind"


def actors_sql(paged: bool = False) -> str:
    """Actors by number of mentions, with how often each is source or target of an event. With
    `paged`, the query takes LIMIT and OFFSET parameters for the actors (the API's pages)."""
    page = f" ORDER BY {_ACTOR_ORDER} LIMIT ? OFFSET ?" if paged else ""
    return (
        "WITH m AS (SELECT actor_id, code, role, kind, mode(text) AS name, count(*) AS mentions, "
        f"count(DISTINCT article_id) AS articles FROM actors GROUP BY actor_id, code, role, kind{page}), "
        "s AS (SELECT source_actor_id AS actor_id, source_code AS code, source_role AS role, count(*) AS n "
        "FROM mentions GROUP BY ALL), "
        "t AS (SELECT target_actor_id AS actor_id, target_code AS code, target_role AS role, count(*) AS n "
        "FROM mentions GROUP BY ALL) "
        "SELECT m.*, coalesce(s.n, 0) AS as_source, coalesce(t.n, 0) AS as_target FROM m "
        "LEFT JOIN s ON s.actor_id IS NOT DISTINCT FROM m.actor_id AND s.code IS NOT DISTINCT FROM m.code "
        "AND s.role IS NOT DISTINCT FROM m.role "
        "LEFT JOIN t ON t.actor_id IS NOT DISTINCT FROM m.actor_id AND t.code IS NOT DISTINCT FROM m.code "
        "AND t.role IS NOT DISTINCT FROM m.role "
        "ORDER BY " + ", ".join(f"m.{part}" for part in _ACTOR_ORDER.split(", "))
    )


class QueryMixin:
    """Queries of the event database (mixed into `Store`)."""

    _con: duckdb.DuckDBPyConnection

    def _df(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:  # pragma: no cover - provided by Store
        raise NotImplementedError

    def counts(self) -> dict[str, int]:
        """Number of rows per table (and of articles that are near-duplicates)."""
        row = self._con.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL), "
            "(SELECT count(*) FROM mentions), (SELECT count(*) FROM events), (SELECT count(*) FROM actors), "
            "(SELECT count(*) FROM quotes), (SELECT count(*) FROM places), (SELECT count(*) FROM times), "
            "(SELECT count(*) FROM failures)"
        ).fetchone()
        names = ("articles", "duplicates", "mentions", "events", "actors", "quotes", "places", "times", "failures")
        return dict(zip(names, (int(v) for v in row)))

    def events(
        self,
        *,
        actor: str | None = None,
        dyad: tuple[str, str] | None = None,
        directed: bool = False,
        code: str | None = None,
        root: str | None = None,
        quad: int | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        status: str | Sequence[str] | None = None,
        text: str | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Aggregated events, newest first; the filters are those of `EventFilter`."""
        where, params = where_clause(
            EventFilter(actor, tuple(dyad) if dyad else None, directed, code, root, quad, since, until, status, text)
        )
        sql = f"SELECT e.* FROM events e {where} ORDER BY e.date_start DESC NULLS LAST, e.num_mentions DESC, e.event_id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self._df(sql, params)

    def mentions(self, *, event_id: str | None = None, article_id: str | None = None) -> pd.DataFrame:
        """Event mentions (one row per detected event in an article), without the raw record."""
        parts, params = [], []
        if event_id:
            parts.append("event_id = ?")
            params.append(event_id)
        if article_id:
            parts.append("article_id = ?")
            params.append(article_id)
        where = ("WHERE " + " AND ".join(parts)) if parts else ""
        return self._df(
            f"SELECT * EXCLUDE (record) FROM mentions {where} ORDER BY article_id, sentence, mention_id", params
        )

    def dyad_timeline(self, a: str, b: str, freq: str = "month", *, directed: bool = False) -> pd.DataFrame:
        """Events between two actors per period: counts per quad class, mentions and mean Goldstein.

        `freq` is `day`, `week`, `month` or `year`. Events dated more coarsely than `freq` (a month
        in a daily timeline) cannot be placed in one period and are left out.
        """
        finer = {
            "day": ["day"],
            "week": ["day", "week"],
            "month": ["day", "week", "month"],
            "year": ["day", "week", "month", "year"],
        }
        if freq not in finer:
            raise StoreError(f"unknown frequency {freq!r}; use day, week, month or year")
        where, params = where_clause(EventFilter(dyad=(a, b), directed=directed))
        sql = (
            "SELECT date_trunc(?, e.date_start)::DATE AS period, "
            "count(*) AS events, "
            + ", ".join(f"count(*) FILTER (WHERE e.quad_class = {q}) AS quad{q}" for q in (1, 2, 3, 4))
            + ", sum(e.num_mentions)::BIGINT AS mentions, avg(e.goldstein) AS mean_goldstein "
            f"FROM events e {where} AND list_contains(?, e.date_granularity) "
            "GROUP BY period ORDER BY period"
        )
        return self._df(sql, [freq, *params, finer[freq]])

    def actors(self, *, limit: int | None = None) -> pd.DataFrame:
        """Actors by number of mentions, with how often each is source or target of an event."""
        sql = actors_sql()
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self._df(sql, params)

    def dyads(self, *, limit: int | None = 20, directed: bool = True) -> pd.DataFrame:
        """Source→target pairs of primary codes by number of events, with mean Goldstein.

        With `directed=False`, A→B and B→A are one pair (listed in alphabetical order).
        """
        if directed:
            a, b = "e.source_code", "e.target_code"
        else:
            a, b = "least(e.source_code, e.target_code)", "greatest(e.source_code, e.target_code)"
        sql = (
            f"SELECT {a} AS actor_a, {b} AS actor_b, count(*) AS events, sum(e.num_mentions)::BIGINT AS mentions, "
            "avg(e.goldstein) AS mean_goldstein, "
            + ", ".join(f"count(*) FILTER (WHERE e.quad_class = {q}) AS quad{q}" for q in (1, 2, 3, 4))
            + ", min(e.date_start) AS first_date, max(e.date_end) AS last_date "
            "FROM events e WHERE e.source_code IS NOT NULL AND e.target_code IS NOT NULL "
            "GROUP BY ALL ORDER BY events DESC, mentions DESC, actor_a, actor_b"
        )
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self._df(sql, params)

    def articles(self, *, limit: int | None = None, include_text: bool = False) -> pd.DataFrame:
        """Stored articles, newest ingested first, with their number of event mentions."""
        columns = "a.* EXCLUDE (record)" if include_text else "a.* EXCLUDE (text, record)"
        sql = (
            f"SELECT {columns}, coalesce(n.mentions, 0) AS mentions FROM articles a "
            "LEFT JOIN (SELECT article_id, count(*) AS mentions FROM mentions GROUP BY article_id) n "
            "ON n.article_id = a.article_id ORDER BY a.ingested_at DESC, a.article_id"
        )
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self._df(sql, params)

    def quotes(self, speaker: str | None = None) -> pd.DataFrame:
        """Quotes (direct and reported speech); `speaker` matches a code, a lexicon id or a name part."""
        where, params = "", []
        if speaker:
            where = (
                "WHERE upper(?) IN (q.speaker_code, q.speaker_code || coalesce(q.speaker_role, '')) "
                "OR lower(q.speaker_actor_id) = lower(?) OR contains(lower(q.speaker_name), lower(?))"
            )
            params = [speaker, speaker, speaker]
        return self._df(
            "SELECT q.* EXCLUDE (record), a.title, a.outlet, a.published, a.url FROM quotes q "
            f"JOIN articles a ON a.article_id = q.article_id {where} ORDER BY a.published DESC NULLS LAST, "
            "q.article_id, q.start",
            params,
        )

    def places(self) -> pd.DataFrame:
        """Places named in articles, with their number of mentions, articles and events."""
        return self._df(
            "SELECT p.name, p.country, any_value(p.lat) AS lat, any_value(p.lon) AS lon, count(*) AS mentions, "
            "count(DISTINCT p.article_id) AS articles, coalesce(any_value(e.n), 0) AS events FROM places p "
            "LEFT JOIN (SELECT location_name, location_country, count(*) AS n FROM events GROUP BY ALL) e "
            "ON e.location_name IS NOT DISTINCT FROM p.name AND e.location_country IS NOT DISTINCT FROM p.country "
            "GROUP BY p.name, p.country ORDER BY mentions DESC, p.name"
        )

    def failures(self) -> pd.DataFrame:
        """Inputs that could not be stored, with the reason and how often it was tried."""
        return self._df("SELECT * FROM failures ORDER BY last_seen DESC, input")
