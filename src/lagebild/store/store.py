"""The event database: one DuckDB file, one writer path, named migrations.

Every write goes through `Store.add_article` (an article with all its records, in one transaction)
or `Store.record_failure`. Queries return pandas DataFrames. SQL text is fixed in this package;
every value is a bound parameter.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from lagebild.store import _aggregate, _rows
from lagebild.store.errors import MigrationError, NotFoundError, StoreError, StoreLockedError
from lagebild.store.evidence import Evidence, build_evidence
from lagebild.store.identity import content_hash
from lagebild.store.migrations import migrate, pending
from lagebild.store.queries import QueryMixin

DEFAULT_PATH = "lagebild.duckdb"

_ARTICLE_COLUMNS = _rows.ARTICLE_COLUMNS


@dataclass(slots=True, frozen=True)
class Signature:
    """A MinHash signature as stored: its parameters and the values as little-endian uint32 bytes.

    Signatures are comparable only when num_perm, seed and scheme (datasketch's permutation
    scheme, which changed in datasketch 2.0) agree.
    """

    num_perm: int
    seed: int
    scheme: str
    values: bytes


@dataclass(slots=True)
class AddResult:
    """What `Store.add_article` did."""

    article_id: str
    inserted: bool
    duplicate_of: str | None = None
    mentions: int = 0
    linked_mentions: int = 0
    events: list[str] = field(default_factory=list)


_CHUNK = 200  # rows (or ids) per statement: one multi-row INSERT is much faster than executemany


@dataclass(slots=True)
class PendingArticle:
    """An article with its records, waiting to be written by `Store.add_articles`."""

    article: Any
    records: Any
    duplicate_of: str | None = None
    similarity: float | None = None
    signature: Signature | None = None
    article_id: str | None = None
    text: str | None = None


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT rows with bound values. Table and column names are constants of this package.

    Many rows go in as one Arrow table scanned by DuckDB (a multi-row VALUES statement with thousands
    of parameters costs far more to prepare than to run); a few rows, or rows Arrow cannot type, as
    multi-row VALUES statements.
    """
    if not rows:
        return
    if len(rows) >= 20:
        try:
            data = pa.table({name: [row[i] for row in rows] for i, name in enumerate(columns)})
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            data = None
        if data is not None:
            con.register("_lagebild_rows", data)
            try:
                con.execute(f"INSERT INTO {table} ({_rows.quoted(columns)}) SELECT {_rows.quoted(columns)} FROM _lagebild_rows")
            finally:
                con.unregister("_lagebild_rows")
            return
    one = "(" + ", ".join("?" * len(columns)) + ")"
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        con.execute(
            f"INSERT INTO {table} ({_rows.quoted(columns)}) VALUES {', '.join([one] * len(chunk))}",
            [value for row in chunk for value in row],
        )


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Store(QueryMixin):
    """lagebild's event database (DuckDB).

    `Store(path)` opens or creates the file and applies pending migrations; `Store(":memory:")`
    gives a throw-away database. `read_only=True` allows several readers at once but no migration.
    A Store is not thread-safe: use one per thread or process.
    """

    def __init__(self, path: str | Path = DEFAULT_PATH, *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"there is no database at {self.path}; create one with `lagebild ingest`")
        try:
            self._con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(self.path) from exc
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc
        if read_only:
            todo = pending(self._con)
            if todo:
                self._con.close()
                raise MigrationError(
                    f"the database {self.path} needs migrations ({', '.join(m.name for m in todo)}); "
                    "open it once for writing (e.g. `lagebild ingest` with no inputs) to upgrade it"
                )
        else:
            migrate(self._con)

    # -- life cycle -----------------------------------------------------------------------------
    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self.read_only:
            raise StoreError(f"the database {self.path} was opened read-only")
        self._con.begin()
        try:
            yield self._con
        except BaseException:
            self._con.rollback()
            raise
        else:
            self._con.commit()

    def _df(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        return self._con.execute(sql, list(params)).df()

    def _dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self._con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def cursor(self, sql: str, params: Sequence[Any] = ()) -> duckdb.DuckDBPyConnection:
        """Run a read query of this package (exports stream from it)."""
        return self._con.execute(sql, list(params))

    def relation(self, sql: str, params: Sequence[Any] = ()) -> duckdb.DuckDBPyRelation:
        """A lazy relation over a read query of this package (Arrow exports stream from it)."""
        return self._con.sql(sql, params=list(params))

    def migrations(self) -> list[tuple[str, datetime]]:
        return self._con.execute("SELECT name, applied_at FROM migrations ORDER BY applied_at, name").fetchall()

    # -- the write path ---------------------------------------------------------------------------
    def add_article(
        self,
        article: Any,
        records: Mapping[str, Any] | Any | None = None,
        *,
        duplicate_of: str | None = None,
        similarity: float | None = None,
        signature: Signature | None = None,
    ) -> AddResult:
        """Store an article with all its records in one transaction; the single write path.

        `article` is anything with the attributes (or keys) `text`, `title`, `url`, `outlet`,
        `published`, `lang` and optionally `article_id`, `input`, `source_id`, `agency`,
        `published_precision`, `published_basis`, `notes` (an ingest `IngestedArticle`, a
        `lagebild.Article` or a dict). `records` is `Doc.to_records()` (or the Doc itself).
        An article whose id is already stored is left alone (`inserted=False`).

        `duplicate_of` names an earlier article this one nearly repeats; its event mentions then
        count towards the original's aggregated events when code, source and target agree.
        `signature` (a MinHash `Signature`) is kept for the near-duplicate checks of later runs.
        """
        if records is not None and hasattr(records, "to_records"):
            records = records.to_records()
        records = records or {}
        text = _rows.field_of(article, "text")
        if not isinstance(text, str) or not text.strip():
            raise StoreError("an article without text cannot be stored")
        article_id = _rows.field_of(article, "article_id") or content_hash(text)
        try:
            return self._add_article(article, records, article_id, text, duplicate_of, similarity, signature)
        except duckdb.Error as exc:
            raise StoreError(f"cannot store article {article_id}: {exc}") from exc

    def _add_article(
        self,
        article: Any,
        records: Mapping[str, Any],
        article_id: str,
        text: str,
        duplicate_of: str | None,
        similarity: float | None,
        signature: Signature | None,
    ) -> AddResult:
        pending = PendingArticle(article, records, duplicate_of, similarity, signature, article_id, text)
        with self._transaction() as con:
            return self._write_batch(con, [pending])[0]

    def add_articles(self, items: Sequence[PendingArticle]) -> list[AddResult]:
        """Store many articles in one transaction: the same rows as `add_article` for each, written
        with one statement per table and one re-aggregation, which is what makes bulk ingest fast.

        If the batch fails as a whole (a broken article), it is rolled back and every article is
        stored on its own, so one bad article never takes the others with it.
        """
        prepared: list[PendingArticle] = []
        for item in items:
            records = item.records.to_records() if hasattr(item.records, "to_records") else (item.records or {})
            text = _rows.field_of(item.article, "text")
            if not isinstance(text, str) or not text.strip():
                raise StoreError("an article without text cannot be stored")
            article_id = item.article_id or _rows.field_of(item.article, "article_id") or content_hash(text)
            prepared.append(PendingArticle(item.article, records, item.duplicate_of, item.similarity, item.signature, article_id, text))
        if not prepared:
            return []
        try:
            with self._transaction() as con:
                return self._write_batch(con, prepared)
        except duckdb.Error:
            return [self.add_article(p.article, p.records, duplicate_of=p.duplicate_of, similarity=p.similarity, signature=p.signature) for p in prepared]

    def _write_batch(self, con: duckdb.DuckDBPyConnection, items: list[PendingArticle]) -> list[AddResult]:
        ids = [p.article_id for p in items]
        stored = {r[0] for r in con.execute("SELECT article_id FROM articles WHERE list_contains(?, article_id)", [ids]).fetchall()}
        tables: dict[str, list[dict]] = defaultdict(list)
        batch_mentions: dict[str, list[dict]] = {}
        batch_links: dict[str, str | None] = {}
        results: list[AddResult] = []
        for p in items:
            if p.article_id in stored:
                results.append(AddResult(p.article_id, inserted=False))
                continue
            stored.add(p.article_id)
            root = None
            if p.duplicate_of:
                root = self._batch_root(p.duplicate_of, batch_links)
                if root == p.article_id:
                    root = None
            batch_links[p.article_id] = root
            tables["articles"].append(_rows.article_row(p.article, p.records, p.article_id, p.text, ingested_at=_utcnow(),
                                                        duplicate_of=root, similarity=p.similarity))
            if p.signature is not None:
                tables["article_signatures"].append({"article_id": p.article_id, "num_perm": p.signature.num_perm, "seed": p.signature.seed,
                                                     "scheme": p.signature.scheme, "signature": p.signature.values})
            mentions = []
            for i, rec in enumerate(p.records.get("events") or [], 1):
                row = _rows.mention_row(rec, p.article_id, p.text, i)
                row["mention_id"] = f"{p.article_id}#{_rows.local_id(_rows.field_of(rec, 'event_id'), i, 'e')}"
                mentions.append(row)
            linked = self._link_to_original(root, mentions, batch_mentions.get(root)) if root else 0
            batch_mentions[p.article_id] = mentions
            tables["mentions"].extend(mentions)
            for table, key, builder, prefix, id_field in (
                ("actors", "actors", _rows.actor_row, "m", "mention_id"),
                ("quotes", "quotes", _rows.quote_row, "q", "quote_id"),
                ("places", "places", _rows.place_row, "p", "place_id"),
                ("times", "times", _rows.time_row, "t", "time_id"),
            ):
                for i, rec in enumerate(p.records.get(key) or [], 1):
                    row = builder(rec, p.article_id, i)
                    row[id_field] = _rows.local_id(_rows.field_of(rec, id_field), i, prefix)
                    tables[table].append(row)
            results.append(AddResult(p.article_id, True, root, len(mentions), linked, sorted({m["event_id"] for m in mentions})))
        columns = {
            "articles": _ARTICLE_COLUMNS,
            "article_signatures": ("article_id", "num_perm", "seed", "scheme", "signature"),
            "mentions": _rows.MENTION_COLUMNS,
            "actors": _rows.ACTOR_COLUMNS,
            "quotes": _rows.QUOTE_COLUMNS,
            "places": _rows.PLACE_COLUMNS,
            "times": _rows.TIME_COLUMNS,
        }
        for table, cols in columns.items():
            if tables.get(table):
                self._insert(con, table, cols, tables[table])
        self._reaggregate(con, sorted({e for r in results for e in r.events}))
        return results

    def _batch_root(self, article_id: str, batch_links: dict[str, str | None]) -> str:
        """Follow duplicate links through articles of this batch first, then the stored ones."""
        seen = set()
        current = article_id
        while current in batch_links and current not in seen:
            seen.add(current)
            if batch_links[current] is None:
                return current
            current = batch_links[current]
        return self._root_of(current)

    def record_failure(self, input: str, reason: str, kind: str | None = None) -> None:
        """Note that an input could not be stored, and why. The same failure again counts an attempt."""
        now = _utcnow()
        try:
            self._upsert_failure(str(input), str(reason), kind, now)
        except duckdb.Error as exc:
            raise StoreError(f"cannot record the failure of {input}: {exc}") from exc

    def _upsert_failure(self, input: str, reason: str, kind: str | None, now: datetime) -> None:
        with self._transaction() as con:
            con.execute(
                "INSERT INTO failures (input, reason, kind, first_seen, last_seen, attempts) "
                "VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (input, reason) DO UPDATE SET "
                "last_seen = excluded.last_seen, attempts = failures.attempts + 1, kind = excluded.kind",
                [input, reason, kind, now, now],
            )

    @staticmethod
    def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[dict]) -> None:
        _insert_rows(con, table, columns, [_rows.as_tuple(r, columns) for r in rows])

    def _root_of(self, article_id: str) -> str:
        """Follow `duplicate_of` links to the first article of a chain."""
        seen = {article_id}
        current = article_id
        while True:
            row = self._con.execute("SELECT duplicate_of FROM articles WHERE article_id = ?", [current]).fetchone()
            if row is None:
                raise NotFoundError(f"article {current} is not in the store")
            if row[0] is None or row[0] in seen:
                return current
            seen.add(row[0])
            current = row[0]

    def _link_to_original(self, root: str, mentions: list[dict[str, Any]], pending: list[dict[str, Any]] | None = None) -> int:
        if pending is not None:  # the original is in the same batch, not yet written
            originals = [(m["event_id"], m["code"], m["source_code"], m["source_role"], m["target_code"], m["target_role"])
                         for m in sorted(pending, key=lambda m: (m["sentence"], m["mention_id"]))]
        else:
            originals = self._con.execute(
                "SELECT event_id, code, source_code, source_role, target_code, target_role FROM mentions "
                "WHERE article_id = ? ORDER BY sentence, mention_id",
                [root],
            ).fetchall()
        own = {row[0] for row in originals}
        by_dyad: dict[tuple, str] = {}
        for event_id, *sig in originals:
            by_dyad.setdefault(tuple(sig), event_id)
        linked = 0
        for row in mentions:
            if row["event_id"] in own:
                continue
            event_id = by_dyad.get(_rows.dyad_signature(row))
            if event_id is not None:
                row["event_id"] = event_id
                row["linked_via_duplicate"] = True
                linked += 1
        return linked

    @staticmethod
    def _reaggregate(con: duckdb.DuckDBPyConnection, event_ids: list[str]) -> None:
        """Recompute the `events` rows of these ids from their mentions (inside the caller's transaction)."""
        for start in range(0, len(event_ids), _CHUNK):
            chunk = event_ids[start : start + _CHUNK]
            placeholders = ", ".join("?" * len(chunk))
            cur = con.execute(_aggregate.FETCH_SQL.format(placeholders=placeholders), chunk)
            names = [d[0] for d in cur.description]
            grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for values in cur.fetchall():
                row = dict(zip(names, values))
                grouped[row["event_id"]].append(row)
            con.execute(f"DELETE FROM events WHERE event_id IN ({placeholders})", chunk)
            rows = [_aggregate.aggregate(event_id, mentions) for event_id, mentions in grouped.items()]
            _insert_rows(con, "events", _aggregate.EVENT_COLUMNS, rows)

    def rebuild_events(self) -> int:
        """Recompute the whole `events` table from the mentions; returns the number of events."""
        with self._transaction() as con:
            ids = [r[0] for r in con.execute("SELECT DISTINCT event_id FROM mentions").fetchall()]
            con.execute("DELETE FROM events")
            self._reaggregate(con, ids)
        return len(ids)

    # -- look-ups used by ingest ----------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return self._con.execute("SELECT 1 FROM articles WHERE article_id = ?", [article_id]).fetchone() is not None

    def has_url(self, url: str) -> bool:
        return self._con.execute("SELECT 1 FROM articles WHERE url = ? LIMIT 1", [url]).fetchone() is not None

    def signatures(self, num_perm: int, seed: int, scheme: str, batch: int = 10_000) -> Iterator[tuple[str, bytes]]:
        """(article id, values) of the stored MinHash signatures made with these parameters."""
        cur = self._con.execute(
            "SELECT article_id, signature FROM article_signatures WHERE num_perm = ? AND seed = ? AND scheme = ? "
            "ORDER BY article_id",
            [num_perm, seed, scheme],
        )
        while rows := cur.fetchmany(batch):
            yield from rows

    def signature_of(self, article_ids: Sequence[str]) -> dict[str, bytes]:
        rows = self._con.execute(
            "SELECT article_id, signature FROM article_signatures WHERE list_contains(?, article_id)",
            [list(article_ids)],
        ).fetchall()
        return dict(rows)

    def article(self, article_id: str) -> dict[str, Any]:
        rows = self._dicts("SELECT * EXCLUDE (record) FROM articles WHERE article_id = ?", [article_id])
        if not rows:
            raise NotFoundError(f"article {article_id} is not in the store")
        return rows[0]

    def records(self, article_id: str) -> dict[str, Any]:
        """The coder's records of an article as they were stored (the inverse of `add_article`)."""
        row = self._con.execute("SELECT record FROM articles WHERE article_id = ?", [article_id]).fetchone()
        if row is None:
            raise NotFoundError(f"article {article_id} is not in the store")
        out: dict[str, Any] = {"article": json.loads(row[0]) if row[0] else {}}
        for key, table in (
            ("events", "mentions"),
            ("quotes", "quotes"),
            ("actors", "actors"),
            ("times", "times"),
            ("places", "places"),
        ):
            rows = self._con.execute(
                f"SELECT record FROM {table} WHERE article_id = ? ORDER BY ordinal", [article_id]
            ).fetchall()
            out[key] = [json.loads(r[0]) for r in rows]
        return out

    def resolve_event_id(self, prefix: str) -> str:
        """The full id of the event whose id starts with `prefix` (at least 4 characters)."""
        prefix = prefix.strip()
        if len(prefix) < 4:
            raise NotFoundError(f"event id {prefix!r} is too short; give at least 4 characters")
        rows = self._con.execute(
            "SELECT event_id FROM events WHERE starts_with(event_id, ?) ORDER BY event_id LIMIT 3", [prefix]
        ).fetchall()
        if not rows:
            mention = self._con.execute("SELECT event_id FROM mentions WHERE mention_id = ?", [prefix]).fetchone()
            if mention:
                return mention[0]
            raise NotFoundError(f"no event with id {prefix!r}; list events with `lagebild events`")
        if len(rows) > 1 and rows[0][0] != prefix:
            raise NotFoundError(
                f"event id {prefix!r} is ambiguous ({', '.join(r[0] for r in rows)}, ...); give more characters"
            )
        return rows[0][0]

    def evidence(self, event_id: str) -> Evidence:
        """The event and, for each mention, its sentence with the trigger and actors highlighted,
        its quotes, its governing time expression and the rule that fired."""
        return build_evidence(self, self.resolve_event_id(event_id))
