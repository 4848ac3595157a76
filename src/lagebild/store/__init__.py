"""lagebild's event database: articles, event mentions, aggregated events, actors, quotes, places.

    from lagebild.store import Store
    with Store("lagebild.duckdb") as store:
        store.add_article(article, doc.to_records())
        store.events(actor="RUS", since="2024-01")

See docs/STORE.md for the schema, the aggregation rules and the export formats.
"""

from lagebild.store.errors import ExportError, MigrationError, NotFoundError, StoreError, StoreLockedError
from lagebild.store.evidence import Evidence, Highlight, MentionEvidence
from lagebild.store.filters import EventFilter
from lagebild.store.identity import content_hash, normalise_text
from lagebild.store.store import DEFAULT_PATH, AddResult, PendingArticle, Signature, Store

__all__ = [
    "DEFAULT_PATH",
    "AddResult",
    "PendingArticle",
    "EventFilter",
    "Evidence",
    "ExportError",
    "Highlight",
    "MentionEvidence",
    "MigrationError",
    "NotFoundError",
    "Signature",
    "Store",
    "StoreError",
    "StoreLockedError",
    "content_hash",
    "normalise_text",
]
