"""The one place where the scale-out reaches into the store's internals: rows and schemas.

A worker writes each partition as the store's own tables (same columns, same flattening of the
coder's records), so a query written for the DuckDB file runs on the Parquet files too. The rows
are built by the store's row builders (`lagebild.store._rows`) with the same ids `Store.add_article`
gives them, and the Arrow schemas are read from a migrated in-memory store, so a new migration
changes the Parquet schema with it.

If the store grows a public `rows_of(article, records)` (the per-article loop of `Store._write_batch`),
this module shrinks to an import.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import pyarrow as pa

from lagebild.store import _rows

#: Parquet tables of a partition: the store's tables that `add_article` writes, and failures.
TABLES = ("articles", "article_signatures", "mentions", "actors", "quotes", "places", "times", "failures")

#: (records key, table, row builder, id prefix, id field) as in `Store._write_batch`.
_CHILDREN = (
    ("actors", "actors", _rows.actor_row, "m", "mention_id"),
    ("quotes", "quotes", _rows.quote_row, "q", "quote_id"),
    ("places", "places", _rows.place_row, "p", "place_id"),
    ("times", "times", _rows.time_row, "t", "time_id"),
)
_RECORD_KEYS = (("events", "mentions"), ("quotes", "quotes"), ("actors", "actors"), ("times", "times"), ("places", "places"))


def article_row(article: Any, records: Mapping[str, Any], article_id: str) -> dict[str, Any]:
    """The `articles` row `Store.add_article` would write (no ingest time, no duplicate link yet)."""
    return _rows.article_row(article, records, article_id)


def child_rows(records: Mapping[str, Any], article_id: str, text: str) -> dict[str, list[dict[str, Any]]]:
    """Rows of `mentions`, `actors`, `quotes`, `places` and `times` with the store's ids."""
    out: dict[str, list[dict[str, Any]]] = {}
    mentions = []
    for i, rec in enumerate(records.get("events") or [], 1):
        row = _rows.mention_row(rec, article_id, text, i)
        row["mention_id"] = f"{article_id}#{_rows.local_id(_rows.field_of(rec, 'event_id'), i, 'e')}"
        mentions.append(row)
    out["mentions"] = mentions
    for key, table, builder, prefix, id_field in _CHILDREN:
        rows = []
        for i, rec in enumerate(records.get(key) or [], 1):
            row = builder(rec, article_id, i)
            row[id_field] = _rows.local_id(_rows.field_of(rec, id_field), i, prefix)
            rows.append(row)
        out[table] = rows
    return out


def records_from_rows(article_record: str | None, children: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The coder's records back from the `record` columns, in the coder's order (as `Store.records`)."""
    out: dict[str, Any] = {"article": json.loads(article_record) if article_record else {}}
    for key, table in _RECORD_KEYS:
        rows = sorted(children.get(table) or [], key=lambda r: r["ordinal"])
        out[key] = [json.loads(r["record"]) for r in rows]
    return out


@lru_cache(maxsize=1)
def schemas() -> dict[str, pa.Schema]:
    """Arrow schemas of the partition tables: the store's tables as migrated now, plus
    `partition_id` on every table and `seq` (reading order within the partition) on articles."""
    from lagebild.store import Store

    out: dict[str, pa.Schema] = {}
    with Store(":memory:") as store:
        for table in TABLES:
            relation = store.relation(f"SELECT * FROM {table} LIMIT 0")  # table names are constants above
            arrow = relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.arrow()
            schema = arrow.schema if hasattr(arrow, "schema") else arrow.read_all().schema
            schema = schema.append(pa.field("partition_id", pa.string()))
            if table == "articles":
                schema = schema.append(pa.field("seq", pa.int32()))
            out[table] = schema
    return out
