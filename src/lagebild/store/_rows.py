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


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if obj is None:
        return default
    if isinstance(obj, Mapping):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _span(obj: Any, key: str = "span") -> tuple[int | None, int | None]:
    span = _get(obj, key)
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
        f"{prefix}_code": _get(actor, "code"),
        f"{prefix}_role": _get(actor, "role"),
        f"{prefix}_name": _get(actor, "name"),
        f"{prefix}_actor_id": _get(actor, "actor_id"),
        f"{prefix}_start": start,
        f"{prefix}_end": end,
        f"{prefix}_antecedent_start": ante_start,
        f"{prefix}_antecedent_end": ante_end,
    }


def mention_row(record: Mapping[str, Any], article_id: str, text: str, index: int) -> dict[str, Any]:
    """One `mentions` row from an event record; `event_id` is the mention's own aggregation key."""
    date = _get(record, "date") or {}
    location = _get(record, "location")
    trigger = _get(record, "trigger") or {}
    rule = _get(record, "rule") or {}
    speaker = _get(record, "speaker")
    sentence_start, sentence_end = _span(record)
    interval = interval_of(_get(date, "value"))
    row: dict[str, Any] = {
        "mention_id": _get(record, "event_id") or f"{article_id}#e{index}",
        "article_id": article_id,
        "linked_via_duplicate": False,
        "ordinal": index,
        "code": _get(record, "code"),
        "root": _get(record, "root"),
        "quad_class": _int(_get(record, "quad_class")),
        "goldstein": _float(_get(record, "goldstein")),
        "plover": _get(record, "plover"),
        **_actor_fields("source", _get(record, "source")),
        **_actor_fields("target", _get(record, "target")),
        "date_value": _get(date, "value"),
        "date_granularity": _get(date, "granularity"),
        "date_basis": _get(date, "basis"),
        "date_time_id": _get(date, "time_id"),
        "date_start": interval.start if interval else None,
        "date_end": interval.end if interval else None,
        "status": _get(record, "status"),
        "location_name": _get(location, "name"),
        "location_country": _get(location, "country"),
        "location_lat": _float(_get(location, "lat")),
        "location_lon": _float(_get(location, "lon")),
        "location_start": _span(location)[0] if location else None,
        "location_end": _span(location)[1] if location else None,
        "sentence": _int(_get(record, "sentence")),
        "sentence_start": sentence_start,
        "sentence_end": sentence_end,
        "sentence_text": text[sentence_start:sentence_end] if sentence_start is not None else None,
        "trigger_text": _get(trigger, "text"),
        "trigger_lemma": _get(trigger, "lemma"),
        "trigger_start": _span(trigger)[0],
        "trigger_end": _span(trigger)[1],
        "rule_id": _get(rule, "id"),
        "rule_file": _get(rule, "file"),
        "rule_line": _int(_get(rule, "line")),
        "rule_pattern": _get(rule, "pattern"),
        "quote_ids": list(_get(record, "quote_ids") or []),
        "speaker_code": _get(speaker, "code"),
        "speaker_name": _get(speaker, "name"),
        "speaker_actor_id": _get(speaker, "actor_id"),
        "confidence": _float(_get(record, "confidence")),
        "lang": _get(record, "lang"),
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
    rule = _get(record, "rule") or {}
    return {
        "article_id": article_id,
        "mention_id": _get(record, "mention_id") or f"{article_id}#m{index}",
        "ordinal": index,
        "text": _get(record, "text"),
        "start": start,
        "end": end,
        "sentence": _int(_get(record, "sentence")),
        "code": _get(record, "code"),
        "role": _get(record, "role"),
        "actor_id": _get(record, "actor_id"),
        "kind": _get(record, "kind"),
        "resolved_from": _get(record, "resolved_from"),
        "rule_file": _get(rule, "file"),
        "rule_line": _int(_get(rule, "line")),
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
    speaker = _get(record, "speaker")
    via = _get(record, "via")
    return {
        "article_id": article_id,
        "quote_id": _get(record, "quote_id") or f"{article_id}#q{index}",
        "ordinal": index,
        "kind": _get(record, "kind"),
        "text": _get(record, "text"),
        "start": start,
        "end": end,
        "sentence": _int(_get(record, "sentence")),
        "speaker_code": _get(speaker, "code"),
        "speaker_role": _get(speaker, "role"),
        "speaker_name": _get(speaker, "name"),
        "speaker_actor_id": _get(speaker, "actor_id"),
        "via_code": _get(via, "code"),
        "via_name": _get(via, "name"),
        "via_actor_id": _get(via, "actor_id"),
        "cue": _get(record, "cue"),
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
        "place_id": _get(record, "place_id") or f"{article_id}#p{index}",
        "ordinal": index,
        "text": _get(record, "text"),
        "start": start,
        "end": end,
        "sentence": _int(_get(record, "sentence")),
        "name": _get(record, "name"),
        "country": _get(record, "country"),
        "lat": _float(_get(record, "lat")),
        "lon": _float(_get(record, "lon")),
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
        "time_id": _get(record, "time_id") or f"{article_id}#t{index}",
        "ordinal": index,
        "text": _get(record, "text"),
        "start": start,
        "end": end,
        "sentence": _int(_get(record, "sentence")),
        "value": _get(record, "value"),
        "granularity": _get(record, "granularity"),
        "kind": _get(record, "kind"),
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
