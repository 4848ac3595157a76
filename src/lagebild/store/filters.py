"""WHERE clauses for event queries, built from fixed SQL fragments with bound parameters.

Column names in the fragments come from this module only; user values are always parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from lagebild.store.dates import bound

_SIDES = ("source", "target")


@dataclass(slots=True)
class EventFilter:
    """The filters shared by `Store.events`, the CLI `events` command and the exports.

    actor      a code (`RUS`), code with role (`RUSGOV`), lexicon id (`persons:putin_vladimir`) or the
               start of the id's name part (`putin`); matches source or target
    dyad       two such actors; both directions unless `directed`
    code       a CAMEO code or its start (`04` matches 040-046 and their sub-codes)
    root       a CAMEO root (`04`)
    quad       quad class 1-4
    since, until  `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; an event matches when its date interval overlaps
    status     one status or several (`asserted`, `claimed`, ...)
    text       a word or phrase in the sentence of any mention (case-insensitive)
    """

    actor: str | None = None
    dyad: tuple[str, str] | None = None
    directed: bool = False
    code: str | None = None
    root: str | None = None
    quad: int | None = None
    since: str | date | None = None
    until: str | date | None = None
    status: str | Sequence[str] | None = None
    text: str | None = None


def _actor_match(side: str, actor: str, params: list[Any]) -> str:
    assert side in _SIDES
    actor = actor.strip()
    if ":" in actor:
        params.append(actor)
        return f"lower(e.{side}_actor_id) = lower(?)"
    params.extend([actor, actor])
    return (
        f"(upper(?) IN (e.{side}_code, e.{side}_code || coalesce(e.{side}_role, '')) "
        f"OR starts_with(lower(split_part(e.{side}_actor_id, ':', 2)), lower(?)))"
    )


def where_clause(f: EventFilter) -> tuple[str, list[Any]]:
    """SQL (starting with `WHERE`, or empty) and its parameters, for the `events` table aliased `e`."""
    parts: list[str] = []
    params: list[Any] = []
    if f.actor:
        parts.append(f"({_actor_match('source', f.actor, params)} OR {_actor_match('target', f.actor, params)})")
    if f.dyad:
        a, b = f.dyad
        forward = f"({_actor_match('source', a, params)} AND {_actor_match('target', b, params)})"
        if f.directed:
            parts.append(forward)
        else:
            backward = f"({_actor_match('source', b, params)} AND {_actor_match('target', a, params)})"
            parts.append(f"({forward} OR {backward})")
    if f.code:
        parts.append("starts_with(e.code, ?)")
        params.append(f.code.strip())
    if f.root:
        parts.append("e.root = ?")
        params.append(f.root.strip().zfill(2))
    if f.quad is not None:
        parts.append("e.quad_class = ?")
        params.append(int(f.quad))
    if f.since is not None:
        parts.append("e.date_end >= ?")
        params.append(bound(f.since, end=False))
    if f.until is not None:
        parts.append("e.date_start <= ?")
        params.append(bound(f.until, end=True))
    if f.status:
        statuses = [f.status] if isinstance(f.status, str) else list(f.status)
        statuses = [s.strip() for item in statuses for s in item.split(",") if s.strip()]
        parts.append("list_contains(?, e.status)")
        params.append(statuses)
    if f.text:
        parts.append(
            "EXISTS (SELECT 1 FROM mentions mm WHERE mm.event_id = e.event_id "
            "AND contains(lower(mm.sentence_text), lower(?)))"
        )
        params.append(f.text)
    if not parts:
        return "", params
    return "WHERE " + " AND ".join(parts), params
