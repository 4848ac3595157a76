"""Flatten the coder's records (docs/RECORDS.md) into table rows.

Every row keeps the full record as JSON in its `record` column, so fields added to the record
contract later survive a round trip even before the schema grows a column for them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lagebild.store.dates import interval_of
from lagebild.store.identity import event_key


def field_of(obj: Any, key: str, default: Any = None) -> Any:
    """A field of a record given as a mapping or an object (None for a missing record)."""
    if obj is None:
        return default
    if isinstance(obj, Mapping):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _precision_of(published: str | None) -> str | None:
    if not published:
        return None
    return {4: "year", 7: "month", 10: "day"}.get(len(published), "datetime")


def article_row(article: Any, records: Mapping[str, Any], article_id: str, text: str | None = None, *,
                ingested_at: Any = None, duplicate_of: str | None = None, similarity: float | None = None) -> dict[str, Any]:
    """The `articles` row of an article and its coder records, in the table's column order.

    The article's and the coder's title, language and notes are merged; merging is idempotent, so
    passing a row back in as the article stores the same values again (the Dask path relies on it).
    """
    record = records.get("article") or {}
    text = field_of(article, "text") if text is None else text
    published = field_of(article, "published")
    interval = interval_of(published)
    notes = list(field_of(article, "notes") or []) + list(field_of(record, "notes") or [])
    return {
        "article_id": article_id,
        "input": field_of(article, "input") or field_of(article, "doc_id"),
        "source_id": field_of(article, "source_id"),
        "url": field_of(article, "url"),
        "outlet": field_of(article, "outlet"),
        "agency": field_of(article, "agency"),
        "title": field_of(article, "title") or field_of(record, "title"),
        "published": published,
        "published_precision": field_of(article, "published_precision") or _precision_of(published),
        "published_basis": field_of(article, "published_basis") or ("metadata" if published else None),
        "published_date": interval.start if interval else None,
        "lang": field_of(article, "lang") or field_of(record, "lang"),
        "text": text,
        "n_chars": len(text),
        "n_sentences": field_of(record, "n_sentences"),
        "n_tokens": field_of(record, "n_tokens"),
        "notes": list(dict.fromkeys(str(n) for n in notes)),
        "ingested_at": ingested_at,
        "duplicate_of": duplicate_of,
        "similarity": similarity if duplicate_of else None,
        "record": to_json(record) if record else None,
    }


def _span(obj: Any, key: str = "span") -> tuple[int | None, int | None]:
    span = field_of(obj, key)
    if span is None:
        return None, None
    try:
        start, end = span
        return int(start), int(end)
    except (TypeError, ValueError):
        return None, None


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def to_json(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)


MENTION_COLUMNS = (
    "mention_id",
    "article_id",
    "event_id",
    "own_event_id",
    "linked_via_duplicate",
    "ordinal",
    "code",
    "root",
    "quad_class",
    "goldstein",
    "plover",
    "source_code",
    "source_role",
    "source_name",
    "source_actor_id",
    "source_start",
    "source_end",
    "source_antecedent_start",
    "source_antecedent_end",
    "target_code",
    "target_role",
    "target_name",
    "target_actor_id",
    "target_start",
    "target_end",
    "target_antecedent_start",
    "target_antecedent_end",
    "date_value",
    "date_granularity",
    "date_basis",
    "date_time_id",
    "date_start",
    "date_end",
    "status",
    "location_name",
    "location_country",
    "location_lat",
    "location_lon",
    "location_start",
    "location_end",
    "sentence",
    "sentence_start",
    "sentence_end",
    "sentence_text",
    "trigger_text",
    "trigger_lemma",
    "trigger_start",
    "trigger_end",
    "rule_id",
    "rule_file",
    "rule_line",
    "rule_pattern",
    "quote_ids",
    "speaker_code",
    "speaker_name",
    "speaker_actor_id",
    "confidence",
    "lang",
    "record",
)


def _actor_fields(prefix: str, actor: Any) -> dict[str, Any]:
    start, end = _span(actor)
    ante_start, ante_end = _span(actor, "antecedent_span")
    return {
        f"{prefix}_code": field_of(actor, "code"),
        f"{prefix}_role": field_of(actor, "role"),
        f"{prefix}_name": field_of(actor, "name"),
        f"{prefix}_actor_id": field_of(actor, "actor_id"),
        f"{prefix}_start": start,
        f"{prefix}_end": end,
        f"{prefix}_antecedent_start": ante_start,
        f"{prefix}_antecedent_end": ante_end,
    }


def mention_row(record: Mapping[str, Any], article_id: str, text: str, index: int) -> dict[str, Any]:
    """One `mentions` row from an event record; `event_id` is the mention's own aggregation key."""
    date = field_of(record, "date") or {}
    location = field_of(record, "location")
    trigger = field_of(record, "trigger") or {}
    rule = field_of(record, "rule") or {}
    speaker = field_of(record, "speaker")
    sentence_start, sentence_end = _span(record)
    interval = interval_of(field_of(date, "value"))
    row: dict[str, Any] = {
        "mention_id": field_of(record, "event_id") or f"{article_id}#e{index}",
        "article_id": article_id,
        "linked_via_duplicate": False,
        "ordinal": index,
        "code": field_of(record, "code"),
        "root": field_of(record, "root"),
        "quad_class": _int(field_of(record, "quad_class")),
        "goldstein": _float(field_of(record, "goldstein")),
        "plover": field_of(record, "plover"),
        **_actor_fields("source", field_of(record, "source")),
        **_actor_fields("target", field_of(record, "target")),
        "date_value": field_of(date, "value"),
        "date_granularity": field_of(date, "granularity"),
        "date_basis": field_of(date, "basis"),
        "date_time_id": field_of(date, "time_id"),
        "date_start": interval.start if interval else None,
        "date_end": interval.end if interval else None,
        "status": field_of(record, "status"),
        "location_name": field_of(location, "name"),
        "location_country": field_of(location, "country"),
        "location_lat": _float(field_of(location, "lat")),
        "location_lon": _float(field_of(location, "lon")),
        "location_start": _span(location)[0] if location else None,
        "location_end": _span(location)[1] if location else None,
        "sentence": _int(field_of(record, "sentence")),
        "sentence_start": sentence_start,
        "sentence_end": sentence_end,
        "sentence_text": text[sentence_start:sentence_end] if sentence_start is not None else None,
        "trigger_text": field_of(trigger, "text"),
        "trigger_lemma": field_of(trigger, "lemma"),
        "trigger_start": _span(trigger)[0],
        "trigger_end": _span(trigger)[1],
        "rule_id": field_of(rule, "id"),
        "rule_file": field_of(rule, "file"),
        "rule_line": _int(field_of(rule, "line")),
        "rule_pattern": field_of(rule, "pattern"),
        "quote_ids": list(field_of(record, "quote_ids") or []),
        "speaker_code": field_of(speaker, "code"),
        "speaker_name": field_of(speaker, "name"),
        "speaker_actor_id": field_of(speaker, "actor_id"),
        "confidence": _float(field_of(record, "confidence")),
        "lang": field_of(record, "lang"),
        "record": to_json(record),
    }
    key = own_key(row)
    row["event_id"] = key
    row["own_event_id"] = key
    return row


def own_key(row: Mapping[str, Any]) -> str:
    return event_key(
        row["code"],
        (row["source_code"], row["source_role"]),
        (row["target_code"], row["target_role"]),
        row["date_value"],
        (row["location_name"], row["location_country"]),
    )


def dyad_signature(row: Mapping[str, Any]) -> tuple:
    """What must agree for a near-duplicate's mention to count as a mention of the original's event."""
    return (row["code"], row["source_code"], row["source_role"], row["target_code"], row["target_role"])


ACTOR_COLUMNS = (
    "article_id",
    "mention_id",
    "ordinal",
    "text",
    "start",
    "end",
    "sentence",
    "code",
    "role",
    "actor_id",
    "kind",
    "resolved_from",
    "rule_file",
    "rule_line",
    "record",
)


def actor_row(record: Mapping[str, Any], article_id: str, index: int) -> dict[str, Any]:
    start, end = _span(record)
    rule = field_of(record, "rule") or {}
    return {
        "article_id": article_id,
        "mention_id": field_of(record, "mention_id") or f"{article_id}#m{index}",
        "ordinal": index,
        "text": field_of(record, "text"),
        "start": start,
        "end": end,
        "sentence": _int(field_of(record, "sentence")),
        "code": field_of(record, "code"),
        "role": field_of(record, "role"),
        "actor_id": field_of(record, "actor_id"),
        "kind": field_of(record, "kind"),
        "resolved_from": field_of(record, "resolved_from"),
        "rule_file": field_of(rule, "file"),
        "rule_line": _int(field_of(rule, "line")),
        "record": to_json(record),
    }


QUOTE_COLUMNS = (
    "article_id",
    "quote_id",
    "ordinal",
    "kind",
    "text",
    "start",
    "end",
    "sentence",
    "speaker_code",
    "speaker_role",
    "speaker_name",
    "speaker_actor_id",
    "via_code",
    "via_name",
    "via_actor_id",
    "cue",
    "record",
)


def quote_row(record: Mapping[str, Any], article_id: str, index: int) -> dict[str, Any]:
    start, end = _span(record)
    speaker = field_of(record, "speaker")
    via = field_of(record, "via")
    return {
        "article_id": article_id,
        "quote_id": field_of(record, "quote_id") or f"{article_id}#q{index}",
        "ordinal": index,
        "kind": field_of(record, "kind"),
        "text": field_of(record, "text"),
        "start": start,
        "end": end,
        "sentence": _int(field_of(record, "sentence")),
        "speaker_code": field_of(speaker, "code"),
        "speaker_role": field_of(speaker, "role"),
        "speaker_name": field_of(speaker, "name"),
        "speaker_actor_id": field_of(speaker, "actor_id"),
        "via_code": field_of(via, "code"),
        "via_name": field_of(via, "name"),
        "via_actor_id": field_of(via, "actor_id"),
        "cue": field_of(record, "cue"),
        "record": to_json(record),
    }


PLACE_COLUMNS = (
    "article_id",
    "place_id",
    "ordinal",
    "text",
    "start",
    "end",
    "sentence",
    "name",
    "country",
    "lat",
    "lon",
    "record",
)


def place_row(record: Mapping[str, Any], article_id: str, index: int) -> dict[str, Any]:
    start, end = _span(record)
    return {
        "article_id": article_id,
        "place_id": field_of(record, "place_id") or f"{article_id}#p{index}",
        "ordinal": index,
        "text": field_of(record, "text"),
        "start": start,
        "end": end,
        "sentence": _int(field_of(record, "sentence")),
        "name": field_of(record, "name"),
        "country": field_of(record, "country"),
        "lat": _float(field_of(record, "lat")),
        "lon": _float(field_of(record, "lon")),
        "record": to_json(record),
    }


TIME_COLUMNS = (
    "article_id",
    "time_id",
    "ordinal",
    "text",
    "start",
    "end",
    "sentence",
    "value",
    "granularity",
    "kind",
    "record",
)


def time_row(record: Mapping[str, Any], article_id: str, index: int) -> dict[str, Any]:
    start, end = _span(record)
    return {
        "article_id": article_id,
        "time_id": field_of(record, "time_id") or f"{article_id}#t{index}",
        "ordinal": index,
        "text": field_of(record, "text"),
        "start": start,
        "end": end,
        "sentence": _int(field_of(record, "sentence")),
        "value": field_of(record, "value"),
        "granularity": field_of(record, "granularity"),
        "kind": field_of(record, "kind"),
        "record": to_json(record),
    }


def local_id(record_id: str | None, index: int, prefix: str) -> str:
    """The part of a record id after the document id (`a.txt#e3` → `e3`); `<prefix><index>` if none."""
    if record_id and "#" in record_id:
        return record_id.rsplit("#", 1)[1]
    return f"{prefix}{index}"


def as_tuple(row: Mapping[str, Any], columns: tuple[str, ...]) -> tuple:
    return tuple(row[c] for c in columns)


def quoted(columns: tuple[str, ...]) -> str:
    """Column list for SQL; names come from the constants above, never from input."""
    return ", ".join(f'"{c}"' for c in columns)


# The columns of the `articles` table, in order (those of `article_row`).
ARTICLE_COLUMNS = tuple(article_row({"text": ""}, {}, "").keys())
