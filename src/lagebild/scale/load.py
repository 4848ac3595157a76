"""`lagebild load`: merge a distributed run's Parquet output into a DuckDB store.

The coded records are replayed through the store's write path in the order the single-process
ingest stores them (partitions in id order, articles in reading order within each), the way
`Ingestor.run` does it: skip what is stored, look for a near-duplicate with the same
`NearDuplicateIndex` (loaded with the store's earlier signatures, fed with the MinHash signatures
the workers computed), and write batches with `Store.add_articles`, which stores each article as
`Store.add_article` does. De-duplication, near-duplicate linking and aggregation are therefore the
store's own, not a second copy: the database equals the one `lagebild ingest` builds from the same
inputs (up to the times of storing).

Loading is idempotent: articles already stored are skipped by their content hash, so a load that
was interrupted can simply be run again, and two runs can be loaded into one database in turn.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from lagebild._clock import Clocked
from lagebild.errors import LagebildError
from lagebild.ingest.dedup import THRESHOLD, NearDuplicateIndex, from_bytes, scheme, to_signature
from lagebild.scale import _store_rows
from lagebild.scale.errors import ManifestError
from lagebild.scale.manifest import PARTITION_META, OutputDir, read_json, sha256_of
from lagebild.store import PendingArticle, Store

_ARTICLE_FIELDS = (
    "article_id",
    "input",
    "source_id",
    "url",
    "outlet",
    "agency",
    "title",
    "published",
    "published_precision",
    "published_basis",
    "lang",
    "text",
    "notes",
)
_CHILD_TABLES = ("mentions", "actors", "quotes", "places", "times")


@dataclass(slots=True)
class LoadStats(Clocked):
    partitions_total: int = 0
    partitions: int = 0
    articles: int = 0  # article rows read from the Parquet files
    stored: int = 0
    skipped: int = 0  # already in the database (or earlier in this load)
    duplicates: int = 0  # stored and linked to an earlier near-duplicate
    mentions: int = 0
    failures: int = 0

    @property
    def rate(self) -> float:
        return self.per_second(self.articles)


@dataclass(slots=True)
class LoadReport:
    stats: LoadStats
    manifest: dict[str, Any]


def load(
    out: str | Path,
    store: Store,
    *,
    near_duplicates: bool = True,
    threshold: float = THRESHOLD,
    verify: bool = True,
    batch_size: int = 64,
    on_progress: Callable[[LoadStats], None] | None = None,
) -> LoadReport:
    """Replay the partitions of a finished run in `out` into `store` (see the module docstring).

    verify      check every Parquet file against the SHA-256 in the manifest before loading anything
    batch_size  articles per transaction (as `Ingestor`: a load killed mid-way loses at most one
                batch, which the next load stores; stored articles are skipped)
    Raises `ManifestError` when the run is incomplete or a file is missing or altered.
    """
    output = OutputDir(Path(out))
    manifest = output.read_manifest()
    entries = manifest.get("partitions") or []
    _check_complete(output, manifest, entries, verify)
    stats = LoadStats(partitions_total=len(entries))
    replay = _Replay(store, NearDuplicateIndex(threshold) if near_duplicates else None, stats, batch_size)
    for failure in manifest.get("failures") or []:
        replay.failure(failure["input"], failure["reason"], failure.get("kind"))
    for entry in entries:
        replay.partition(output.partition(entry["id"]))
        stats.partitions += 1
        if on_progress:
            on_progress(stats)
    replay.flush()
    return LoadReport(stats, manifest)


def _check_complete(output: OutputDir, manifest: dict[str, Any], entries: list[dict[str, Any]], verify: bool) -> None:
    pending = [e["id"] for e in entries if e.get("status") != "done"]
    if pending or not manifest.get("complete"):
        raise ManifestError(
            f"the run in {output.root} is not finished ({len(entries) - len(pending)} of {len(entries)} partitions "
            f"done; missing {', '.join(pending[:3]) or 'none'}{', ...' if len(pending) > 3 else ''}); "
            "run the same `lagebild ingest-dask` command again to finish it, then load"
        )
    for entry in entries:
        folder = output.partition(entry["id"])
        if not (folder / PARTITION_META).is_file():
            raise ManifestError(f"partition {entry['id']} is missing from {output.partitions}; run the ingest again")
        files = entry.get("files") or read_json(folder / PARTITION_META).get("files") or {}
        for table in _store_rows.TABLES:
            name = f"{table}.parquet"
            path = folder / name
            if name not in files or not path.is_file():
                raise ManifestError(f"{path} is missing; run the ingest again to rewrite partition {entry['id']}")
            if verify and sha256_of(path) != files[name]["sha256"]:
                raise ManifestError(
                    f"{path} does not match the SHA-256 in the manifest (changed or damaged since it was written); "
                    f"delete {folder} and run the ingest again to rewrite it"
                )


class _Replay:
    """The store side of `Ingestor.run`, without reading and coding: skip what is stored, find the
    near-duplicate among stored and earlier articles, write in batches through `Store.add_articles`
    (which stores each article as `Store.add_article` would)."""

    def __init__(self, store: Store, index: NearDuplicateIndex | None, stats: LoadStats, batch_size: int) -> None:
        self.store = store
        self.index = index
        self.stats = stats
        self.batch_size = max(1, batch_size)
        self._pending: list[PendingArticle] = []
        self._pending_ids: set[str] = set()
        if index is not None:
            index.load(store)

    def failure(self, input: str, reason: str, kind: str | None, attempts: int = 1) -> None:
        for _ in range(max(1, attempts)):
            self.store.record_failure(input, reason, kind)
        self.stats.failures += 1

    def partition(self, folder: Path) -> None:
        tables = {t: pq.read_table(folder / f"{t}.parquet").to_pylist() for t in _store_rows.TABLES}
        for row in tables["failures"]:
            self.failure(row["input"], row["reason"], row["kind"], row["attempts"] or 1)
        children: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for table in _CHILD_TABLES:
            for row in tables[table]:
                children[row["article_id"]][table].append(row)
        signatures = {row["article_id"]: row for row in tables["article_signatures"]}
        for row in sorted(tables["articles"], key=lambda r: r["seq"]):
            self.article(row, children.get(row["article_id"], {}), signatures.get(row["article_id"]))

    def article(self, row: dict[str, Any], children: dict[str, list[dict[str, Any]]], signature_row: dict[str, Any] | None) -> None:
        self.stats.articles += 1
        article_id = row["article_id"]
        if article_id in self._pending_ids or self.store.has_article(article_id):
            self.stats.skipped += 1
            return
        minhash = duplicate = None
        if self.index is not None:
            minhash = self._minhash(row["text"], signature_row)
            duplicate = self.index.find(minhash, self.store)
        if duplicate is not None and duplicate.article_id in self._pending_ids:
            self.flush()  # the original is written before its near-duplicate is linked to it
            if not self.store.has_article(duplicate.article_id):  # its batch could not be stored
                duplicate = None
        self._pending.append(
            PendingArticle(
                {name: row[name] for name in _ARTICLE_FIELDS},
                _store_rows.records_from_rows(row["record"], children),
                duplicate.article_id if duplicate else None,
                duplicate.similarity if duplicate else None,
                to_signature(minhash) if minhash is not None else None,
                article_id,
            )
        )
        self._pending_ids.add(article_id)
        if minhash is not None and self.index is not None:
            self.index.add(article_id, minhash)
        if len(self._pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        batch, self._pending, self._pending_ids = self._pending, [], set()
        try:
            results = self.store.add_articles(batch)
        except LagebildError as exc:
            for item in batch:
                self.failure(item.article["input"], f"cannot store the article: {exc}", "store")
                if self.index is not None:
                    self.index.discard(item.article_id)  # nothing later may link to it
            return
        for result in results:
            if result.inserted:
                self.stats.stored += 1
                self.stats.mentions += result.mentions
                self.stats.duplicates += bool(result.duplicate_of)
            else:
                self.stats.skipped += 1

    def _minhash(self, text: str, signature_row: dict[str, Any] | None):
        """The worker's signature when it was made with the running parameters, else a new one."""
        index = self.index
        assert index is not None
        if (
            signature_row is not None
            and signature_row["num_perm"] == index.num_perm
            and signature_row["seed"] == index.seed
            and signature_row["scheme"] == scheme()
        ):
            return from_bytes(bytes(signature_row["signature"]), index.num_perm, index.seed)
        return index.signature(text)

