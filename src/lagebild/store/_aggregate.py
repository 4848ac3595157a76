"""Aggregation of event mentions into events, done in Python over the mentions of the touched
events (a handful of rows per article), which is far cheaper per article than one large
ordered-aggregate SQL statement.

Rules (docs/STORE.md): the key fields come from the representative mention (the first stored one
that was not linked in from a near-duplicate); names, actor ids, date basis and status are the
most common values; counts, means, first and last are over all mentions.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from lagebild.store.identity import global_event_id

REPRESENTATIVE = (
    "code",
    "root",
    "quad_class",
    "goldstein",
    "plover",
    "source_code",
    "source_role",
    "target_code",
    "target_role",
    "date_value",
    "date_granularity",
    "date_start",
    "date_end",
    "location_name",
    "location_country",
    "location_lat",
    "location_lon",
    "lang",
)
MOST_COMMON = ("source_name", "source_actor_id", "target_name", "target_actor_id", "date_basis", "status")

#: Columns selected for each mention (mentions joined with their article).
FETCH_SQL = (
    "SELECT m.event_id, m.mention_id, m.linked_via_duplicate, "
    + ", ".join(f"m.{c}" for c in REPRESENTATIVE + MOST_COMMON)
    + ", m.confidence, m.sentence, a.article_id, a.ingested_at, a.published, a.url, a.outlet, a.agency "
    "FROM mentions m JOIN articles a ON a.article_id = m.article_id WHERE m.event_id IN ({placeholders})"
)

#: Columns of the `events` table in the order `aggregate` returns them.
EVENT_COLUMNS = (
    "event_id",
    "global_id",
    "base_code",
    *REPRESENTATIVE,
    *MOST_COMMON,
    "status_mix",
    "num_mentions",
    "num_sources",
    "num_articles",
    "first_seen",
    "last_seen",
    "first_published",
    "last_published",
    "mean_confidence",
    "mean_goldstein",
    "min_sentence",
    "source_url",
    "source_outlet",
)


def _most_common(values: Iterable[Any]) -> Any:
    """The most frequent non-null value; ties go to the value seen first."""
    counts: Counter = Counter()
    first: dict[Any, int] = {}
    for i, v in enumerate(values):
        if v is None:
            continue
        counts[v] += 1
        first.setdefault(v, i)
    if not counts:
        return None
    return max(counts, key=lambda v: (counts[v], -first[v]))


def _mean(values: Iterable[Any]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _first(rows: Sequence[dict[str, Any]], value) -> Any:
    for row in rows:
        v = value(row)
        if v is not None:
            return v
    return None


def aggregate(event_id: str, mentions: Sequence[dict[str, Any]]) -> tuple:
    """One `events` row (in `EVENT_COLUMNS` order) from the mentions of one event."""
    ordered = sorted(mentions, key=lambda r: (bool(r["linked_via_duplicate"]), r["ingested_at"], r["mention_id"]))
    by_time = sorted(mentions, key=lambda r: (r["ingested_at"], r["mention_id"]))
    rep = ordered[0]
    statuses = Counter(r["status"] for r in mentions if r["status"] is not None)
    published = [r["published"] for r in mentions if r["published"]]
    sentences = [r["sentence"] for r in mentions if r["sentence"] is not None]
    row = {
        "event_id": event_id,
        "global_id": global_event_id(event_id),
        "base_code": rep["code"][:3] if rep["code"] else None,
        **{c: rep[c] for c in REPRESENTATIVE},
        **{c: _most_common(r[c] for r in ordered) for c in MOST_COMMON},
        "status_mix": json.dumps(dict(sorted(statuses.items())), separators=(",", ":")),
        "num_mentions": len(mentions),
        "num_sources": len({r["outlet"] or r["agency"] or f"article:{r['article_id']}" for r in mentions}),
        "num_articles": len({r["article_id"] for r in mentions}),
        "first_seen": by_time[0]["ingested_at"],
        "last_seen": by_time[-1]["ingested_at"],
        "first_published": min(published) if published else None,
        "last_published": max(published) if published else None,
        "mean_confidence": _mean(r["confidence"] for r in mentions),
        "mean_goldstein": _mean(r["goldstein"] for r in mentions),
        "min_sentence": min(sentences) if sentences else None,
        "source_url": _first(by_time, lambda r: r["url"]),
        "source_outlet": _first(by_time, lambda r: r["outlet"] or r["agency"]),
    }
    return tuple(row[c] for c in EVENT_COLUMNS)
