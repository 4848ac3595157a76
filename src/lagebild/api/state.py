"""What a running server holds: read connections, the one writer, the token.

DuckDB lets one process write a database file. The server is that process: every `Store` it opens
on the file shares one database instance, so a commit of the writer is visible to the readers at
once. A `Store` is not thread-safe, so each request borrows one from the pool for its duration.
"""

from __future__ import annotations

import queue
import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from lagebild.api.errors import ApiError, IngestRefusedError
from lagebild.api.index import EventIndex
from lagebild.api.models import ArticleIn, IngestOutcome
from lagebild.api.settings import ServerSettings
from lagebild.store import Store, StoreError

_BORROW_TIMEOUT = 30.0


class StorePool:
    """`size` Stores on one database file, lent out one request at a time."""

    def __init__(self, path: str, size: int) -> None:
        self._stores: list[Store] = []
        self._free: queue.LifoQueue[Store] = queue.LifoQueue()
        try:
            for _ in range(size):
                store = Store(path)
                self._stores.append(store)
                self._free.put(store)
        except BaseException:
            self.close()
            raise

    @contextmanager
    def store(self) -> Iterator[Store]:
        try:
            store = self._free.get(timeout=_BORROW_TIMEOUT)
        except queue.Empty as exc:
            raise StoreError("the server is busy: no database connection became free within 30 s") from exc
        try:
            yield store
        finally:
            self._free.put(store)

    def close(self) -> None:
        for store in self._stores:
            try:
                store.close()
            except Exception:  # noqa: BLE001 - closing at shutdown; nothing useful to do
                pass
        self._stores.clear()


class Writer:
    """The single write path of the server: one Store, one Ingestor, one lock."""

    def __init__(self, store: Store, coder: Callable[..., Any] | None, index: EventIndex | None = None) -> None:
        from lagebild.ingest import Ingestor

        self.store = store
        self.index = index
        self._ingestor = Ingestor(store, coder)
        self._lock = threading.Lock()

    def ingest(self, items: Sequence[ArticleIn]) -> list[IngestOutcome]:
        """Code and store articles in order; each outcome says stored, skipped or failed (and why)."""
        with self._lock:
            outcomes = [self._ingest_one(item) for item in items]
            if self.index is not None:
                self.index.refresh([e for o in outcomes if o.status == "stored" for e in o.events])
            return outcomes

    def _ingest_one(self, item: ArticleIn) -> IngestOutcome:
        article = item.to_ingested()
        failures = self._ingestor.failures
        failed_before = len(failures)
        result = self._ingestor.add(article)
        try:
            if result is not None and result.inserted:
                return IngestOutcome(
                    article_id=result.article_id, status="stored", duplicate_of=result.duplicate_of,
                    mentions=result.mentions, events=result.events,
                )
            if len(failures) > failed_before:
                return IngestOutcome(article_id=article.article_id, status="failed", reason=failures[-1].reason)
            return IngestOutcome(article_id=article.article_id, status="skipped", reason="already stored")
        finally:
            failures.clear()  # the outcome carries the reason; the store keeps the failure row


@dataclass(slots=True)
class ServerState:
    """Attached to `app.state.lagebild` while the app runs."""

    settings: ServerSettings
    token: str
    token_generated: bool
    readers: StorePool
    writer: Writer
    index: EventIndex

    @contextmanager
    def reader(self) -> Iterator[Store]:
        with self.readers.store() as store:
            yield store

    def close(self) -> None:
        self.readers.close()
        self.writer.store.close()


def open_state(settings: ServerSettings, coder: Callable[..., Any] | None = None) -> ServerState:
    """Open the database (writer first: it applies migrations), then the read pool."""
    if coder is None and settings.coder:
        from lagebild.ingest import load_coder

        coder = load_coder(settings.coder)
    writer_store = Store(settings.db)
    try:
        index = EventIndex(writer_store, settings.cache_entries)
        index.build()
        readers = StorePool(str(settings.db), settings.readers)
    except BaseException:
        writer_store.close()
        raise
    token = settings.token.get_secret_value() if settings.token else secrets.token_urlsafe(32)
    return ServerState(settings, token, settings.token is None, readers, Writer(writer_store, coder, index), index)


def refuse_single(outcome: IngestOutcome) -> None:
    """A single POSTed article that failed is an error response (422), not a 200 with a status."""
    if outcome.status == "failed":
        raise IngestRefusedError(f"article {outcome.article_id[:12]} was not stored: {outcome.reason}")


__all__ = ["ApiError", "ServerState", "StorePool", "Writer", "open_state", "refuse_single"]
