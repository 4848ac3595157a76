"""Identity of stored things: content hashes for articles, stable keys for aggregated events."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The form of a text that its id is computed from.

    Unicode NFC, every run of white space (line breaks included) collapsed to one space, ends
    stripped. Two copies of an article that differ only in encoding form or line wrapping get the
    same id; any change of a word gives another id (near-duplicates are found separately).
    """
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def content_hash(text: str) -> str:
    """The article id: hex SHA-256 of the normalised text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def event_key(
    code: str | None,
    source: tuple[str | None, str | None],
    target: tuple[str | None, str | None],
    date_value: str | None,
    place: tuple[str | None, str | None],
) -> str:
    """Id of the aggregated event a mention belongs to.

    Mentions with the same CAMEO code, source (code, role), target (code, role), date value and
    place (name, country) are one event. The id is the first 16 hex digits of a SHA-256 over
    those fields, so it is the same in every database built from the same records.
    """
    parts = (code, *source, *target, date_value, *place)
    raw = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def global_event_id(event_id: str) -> int:
    """A positive 60-bit integer for an event id (GDELT's GLOBALEVENTID is numeric)."""
    return int(event_id[:15], 16)
