"""Queries straight on a run's Parquet output, without loading it into a database.

    from lagebild.scale import parquet_events
    parquet_events("out/", actor="RUS", since="2025-01", quad=4)     # pandas DataFrame

The partition files are the store's tables (same columns) plus `partition_id`, so any query
written for the DuckDB file runs on `read_parquet('out/partitions/*/mentions.parquet')` as well
(docs/SCALING.md). `parquet_events` aggregates mentions into events with the store's event key and
filters (`lagebild.store.EventFilter`). Two things only `lagebild load` does: an article that
appears in several partitions is counted once here too (its first occurrence), but near-duplicate
articles are not linked, so a republished agency story counts as its own event mentions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from lagebild.scale.errors import ManifestError
from lagebild.scale.manifest import OutputDir
from lagebild.store.filters import EventFilter, where_clause

# `mentions` keeps the name the store's text filter refers to; each article counts once, from the
# first partition (and position) where it occurs.
_EVENTS_SQL = """
WITH arts AS (
    SELECT * FROM read_parquet(?, union_by_name = true)
    QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY partition_id, seq) = 1
),
mentions AS (
    SELECT m.*, a.seq AS article_seq, a.published AS article_published, a.outlet AS article_outlet,
           a.agency AS article_agency, a.url AS article_url,
           row_number() OVER (ORDER BY m.partition_id, a.seq, m.ordinal) AS pos
    FROM read_parquet(?, union_by_name = true) m
    JOIN arts a ON a.article_id = m.article_id AND a.partition_id = m.partition_id
),
e AS (
    SELECT
        m.event_id,
        arg_min(m.code, m.pos) AS code,
        left(arg_min(m.code, m.pos), 3) AS base_code,
        arg_min(m.root, m.pos) AS root,
        arg_min(m.quad_class, m.pos) AS quad_class,
        arg_min(m.goldstein, m.pos) AS goldstein,
        arg_min(m.plover, m.pos) AS plover,
        arg_min(m.source_code, m.pos) AS source_code,
        arg_min(m.source_role, m.pos) AS source_role,
        mode(m.source_name) AS source_name,
        mode(m.source_actor_id) AS source_actor_id,
        arg_min(m.target_code, m.pos) AS target_code,
        arg_min(m.target_role, m.pos) AS target_role,
        mode(m.target_name) AS target_name,
        mode(m.target_actor_id) AS target_actor_id,
        arg_min(m.date_value, m.pos) AS date_value,
        arg_min(m.date_granularity, m.pos) AS date_granularity,
        mode(m.date_basis) AS date_basis,
        arg_min(m.date_start, m.pos) AS date_start,
        arg_min(m.date_end, m.pos) AS date_end,
        arg_min(m.location_name, m.pos) AS location_name,
        arg_min(m.location_country, m.pos) AS location_country,
        arg_min(m.location_lat, m.pos) AS location_lat,
        arg_min(m.location_lon, m.pos) AS location_lon,
        mode(m.status) AS status,
        count(*) AS num_mentions,
        count(DISTINCT coalesce(m.article_outlet, m.article_agency, 'article:' || m.article_id)) AS num_sources,
        count(DISTINCT m.article_id) AS num_articles,
        min(m.article_published) AS first_published,
        max(m.article_published) AS last_published,
        avg(m.confidence) AS mean_confidence,
        avg(m.goldstein) AS mean_goldstein,
        min(m.sentence) AS min_sentence,
        arg_min(m.article_url, m.pos) FILTER (WHERE m.article_url IS NOT NULL) AS source_url,
        arg_min(coalesce(m.article_outlet, m.article_agency), m.pos)
            FILTER (WHERE coalesce(m.article_outlet, m.article_agency) IS NOT NULL) AS source_outlet,
        arg_min(m.lang, m.pos) AS lang
    FROM mentions m
    GROUP BY m.event_id
)
SELECT e.* FROM e {where}
ORDER BY e.date_start DESC NULLS LAST, e.num_mentions DESC, e.event_id
"""


def parquet_files(out: str | Path, table: str) -> list[str]:
    """The Parquet files of one table (`articles`, `mentions`, ...) of the finished partitions in `out`."""
    files = OutputDir(Path(out)).files(table)
    if not files:
        raise ManifestError(f"{out} holds no finished partitions (expected {out}/partitions/*/{table}.parquet)")
    return [str(f) for f in files]


def parquet_events(
    out: str | Path,
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
    """Events aggregated from the Parquet mentions of a run (finished partitions), newest first.

    The filters are those of `Store.events`. Columns are those of the store's `events` table that
    do not depend on when an article was stored (no `first_seen`/`last_seen`, no `global_id`).
    """
    where, params = where_clause(
        EventFilter(actor, tuple(dyad) if dyad else None, directed, code, root, quad, since, until, status, text)
    )
    sql = _EVENTS_SQL.format(where=where)
    values: list = [parquet_files(out, "articles"), parquet_files(out, "mentions"), *params]
    if limit is not None:
        sql += " LIMIT ?"
        values.append(int(limit))
    with duckdb.connect() as con:
        return con.execute(sql, values).df()
