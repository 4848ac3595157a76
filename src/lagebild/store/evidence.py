"""Evidence for an aggregated event: every mention's sentence with its spans, quotes, time and rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lagebild.store._rows import local_id

if TYPE_CHECKING:
    from lagebild.store.store import Store


@dataclass(slots=True)
class Highlight:
    """A span inside a sentence (offsets relative to the sentence start)."""

    start: int
    end: int
    kind: str  # trigger | source | target | place


@dataclass(slots=True)
class MentionEvidence:
    mention: dict[str, Any]
    article: dict[str, Any]
    sentence: str
    highlights: list[Highlight]
    quotes: list[dict[str, Any]]
    time: dict[str, Any] | None


@dataclass(slots=True)
class Evidence:
    """Everything behind one aggregated event: the event row and every mention with its sentence."""

    event: dict[str, Any]
    mentions: list[MentionEvidence]


def build_evidence(store: Store, event_id: str) -> Evidence:
    """Evidence for the event with this (full) id."""
    event = store._dicts("SELECT * FROM events WHERE event_id = ?", [event_id])[0]
    mentions = store._dicts(
        "SELECT m.* EXCLUDE (record), a.title, a.outlet, a.agency, a.url, a.published, a.input, a.duplicate_of "
        "FROM mentions m JOIN articles a ON a.article_id = m.article_id WHERE m.event_id = ? "
        "ORDER BY m.linked_via_duplicate, a.ingested_at, m.mention_id",
        [event_id],
    )
    out: list[MentionEvidence] = []
    for m in mentions:
        start, end = m["sentence_start"], m["sentence_end"]
        highlights = []
        for kind, prefix in (("trigger", "trigger"), ("source", "source"), ("target", "target"), ("place", "location")):
            s, e = m.get(f"{prefix}_start"), m.get(f"{prefix}_end")
            if s is not None and e is not None and start is not None and start <= s < e <= end:
                highlights.append(Highlight(s - start, e - start, kind))
        quotes = []
        if m["quote_ids"]:
            quotes = store._dicts(
                "SELECT * EXCLUDE (record) FROM quotes WHERE article_id = ? AND list_contains(?, quote_id) "
                "ORDER BY start",
                [m["article_id"], [local_id(q, 0, "q") for q in m["quote_ids"]]],
            )
        time = None
        if m["date_time_id"]:
            found = store._dicts(
                "SELECT * EXCLUDE (record) FROM times WHERE article_id = ? AND time_id = ?",
                [m["article_id"], local_id(m["date_time_id"], 0, "t")],
            )
            time = found[0] if found else None
        article = {k: m.pop(k) for k in ("title", "outlet", "agency", "url", "published", "input", "duplicate_of")}
        out.append(MentionEvidence(m, article, m.get("sentence_text") or "", highlights, quotes, time))
    return Evidence(event, out)
