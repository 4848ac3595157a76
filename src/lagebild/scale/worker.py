"""What a Dask worker does with one partition: read, code, write Parquet atomically.

Each article goes through `Ingestor.add`, the single-process path itself (language and date
rules, skipping a text already seen, coder errors recorded as failures), with a `PartitionSink`
in place of the store: it keeps the article and its records instead of writing to DuckDB. The
sink's contents become the store's tables as Parquet (see `_store_rows`), written into
`DIR/tmp/` and renamed to `DIR/partitions/<id>` when complete. A task that runs twice (a retry
after a worker died, a rerun of the command) finds the finished directory and returns its
metadata, so nothing is lost or written twice. The files hold no timestamps: the same inputs,
lagebild version and lexicons give byte-identical files.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from lagebild.ingest import Ingestor, IngestedArticle, ReadFailure, ReadOptions, Source, SourceReader, load_coder
from lagebild.ingest.dedup import NearDuplicateIndex, to_signature
from lagebild.ingest.tabular import read_jsonl
from lagebild.scale import _store_rows
from lagebild.scale._jsonl import LineRange, open_range
from lagebild.scale.errors import ScaleError
from lagebild.scale.manifest import (
    PARTITION_META,
    OutputDir,
    fsync_dir,
    lagebild_version,
    worker_lexicon_fingerprint,
    read_json,
    sha256_of,
    write_json_atomic,
)
from lagebild.scale.plan import InputSlice, Partition
from lagebild.store import AddResult, Signature, StoreError, content_hash


@dataclass(slots=True, frozen=True)
class CodingSettings:
    """How a worker reads and codes (the options of `lagebild ingest` that change the result).

    version, lexicons  what the driver runs; a worker with other ones refuses the partition
    """

    options: ReadOptions
    coder: str | None = None
    force_date: str | None = None
    lang: str | None = None
    version: str | None = None
    lexicons: str | None = None


@dataclass(slots=True)
class PartitionResult:
    """What a task returns to the driver (small: the data stays in the files)."""

    id: str
    meta: dict[str, Any]
    seconds: float
    worker: str
    reused: bool = False  # the partition was already finished (an earlier attempt or run)


@dataclass(slots=True)
class _Stored:
    article_id: str
    article: Any
    records: dict[str, Any]


class PartitionSink:
    """Takes `Ingestor`'s writes for one partition in memory, in order, instead of a DuckDB store.

    It answers the store calls `Ingestor.add` makes (`has_article`, `has_url`, `add_article`,
    `record_failure`); articles repeated within the partition are skipped as the store skips them.
    """

    def __init__(self) -> None:
        self.stored: list[_Stored] = []
        self._ids: set[str] = set()
        self.failures: dict[tuple[str, str], list[Any]] = {}

    def has_article(self, article_id: str) -> bool:
        return article_id in self._ids

    def has_url(self, url: str) -> bool:
        return False  # the database is not visible here; `lagebild load` skips stored articles

    def add_article(self, article: Any, records: Any = None, **_link: Any) -> AddResult:
        if records is not None and hasattr(records, "to_records"):
            records = records.to_records()
        records = dict(records or {})
        text = getattr(article, "text", None)
        if not isinstance(text, str) or not text.strip():
            raise StoreError("an article without text cannot be stored")
        article_id = getattr(article, "article_id", None) or content_hash(text)
        if article_id in self._ids:
            return AddResult(article_id, inserted=False)
        self._ids.add(article_id)
        self.stored.append(_Stored(article_id, article, records))
        return AddResult(article_id, True, None, len(records.get("events") or []))

    def record_failure(self, input: str, reason: str, kind: str | None = None) -> None:
        entry = self.failures.setdefault((str(input), str(reason)), [kind, 0])
        entry[0] = kind
        entry[1] += 1


def read_slice(piece: InputSlice, reader: SourceReader) -> Iterator[IngestedArticle | ReadFailure]:
    """The articles (and read failures) of one input slice, named as the single-process reader names them."""
    if piece.byte_range is None:
        path = Path(piece.path) if piece.path else None
        yield from reader.read(Source(piece.locator, piece.kind, path))
        return
    assert piece.path is not None
    start, end = piece.byte_range
    line_range = LineRange(start, end, piece.first_line, piece.weight)
    o = reader.options
    prefix = f"{piece.locator}:"
    try:
        with open(piece.path, "rb") as fh:
            stream = open_range(fh, line_range)
            items = read_jsonl(
                stream,
                piece.locator,
                o.field_map,
                max_bytes=o.max_document_bytes,
                encoding=o.encoding,
                reference_year=o.reference_year,
            )
            for item in items:
                yield _renumber(item, prefix, piece.first_line)
    except OSError as exc:
        yield ReadFailure(piece.locator, f"cannot read: {exc.strerror or exc}", "os")


def _renumber(item: IngestedArticle | ReadFailure, prefix: str, offset: int) -> IngestedArticle | ReadFailure:
    """`file.jsonl:3` of a range that starts after line 1000 is `file.jsonl:1003` of the file."""
    if not offset or not item.input.startswith(prefix) or not item.input[len(prefix) :].isdigit():
        return item
    where = f"{prefix}{int(item.input[len(prefix):]) + offset}"
    if isinstance(item, ReadFailure):
        return dataclasses.replace(item, input=where)
    item.input = where
    return item


def code_partition(partition: Partition, out: str, settings: CodingSettings) -> PartitionResult:
    """Read, code and write one partition; returns at once if it is already finished.

    Runs on a Dask worker (or in-process); raises only for problems of the partition as a whole
    (the output directory cannot be written, the worker's lexicons differ from the driver's).
    """
    started = time.monotonic()
    output = OutputDir(Path(out))
    worker = _worker_name()
    final = output.partition(partition.id)
    if (final / PARTITION_META).is_file():
        return PartitionResult(partition.id, read_json(final / PARTITION_META), 0.0, worker, reused=True)
    _check_worker(settings)
    sink, articles_read = _code(partition, settings)
    output.tmp.mkdir(parents=True, exist_ok=True)
    output.partitions.mkdir(parents=True, exist_ok=True)
    tmp = output.tmp / f"{partition.id}-{uuid.uuid4().hex[:12]}"
    tmp.mkdir()
    try:
        meta = _write(tmp, partition, sink, articles_read)
        try:
            os.rename(tmp, final)
        except OSError:
            if (final / PARTITION_META).is_file():  # another attempt finished first: keep its files
                return PartitionResult(partition.id, read_json(final / PARTITION_META), time.monotonic() - started, worker, True)
            raise
        fsync_dir(output.partitions)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return PartitionResult(partition.id, meta, time.monotonic() - started, worker)


def _worker_name() -> str:
    distributed = sys.modules.get("distributed")  # not imported: not on a Dask worker
    if distributed is not None:
        try:
            return distributed.get_worker().address
        except ValueError:
            pass
    return f"pid {os.getpid()}"


def _check_worker(settings: CodingSettings) -> None:
    if settings.version and settings.version != lagebild_version():
        raise ScaleError(
            f"this worker runs lagebild {lagebild_version()}, the driver {settings.version}; "
            "install the same version on every worker"
        )
    if settings.lexicons and settings.lexicons != worker_lexicon_fingerprint():
        raise ScaleError(
            f"this worker's lexicons (fingerprint {worker_lexicon_fingerprint()}) differ from the driver's "
            f"({settings.lexicons}); install the same lagebild and lexicons on every worker"
        )


def _code(partition: Partition, settings: CodingSettings) -> tuple[PartitionSink, int]:
    sink = PartitionSink()
    ingestor = Ingestor(
        sink,  # type: ignore[arg-type] - the sink answers the store calls Ingestor.add makes
        load_coder(settings.coder),
        options=settings.options,
        force_date=settings.force_date,
        lang=settings.lang,
        near_duplicates=False,  # near-duplicates are linked at load time, across all partitions
    )
    reader = SourceReader(settings.options)
    read = 0
    try:
        for piece in partition.slices:
            for item in read_slice(piece, reader):
                if isinstance(item, ReadFailure):
                    sink.record_failure(item.input, item.reason, item.kind)
                else:
                    read += 1
                    ingestor.add(item)
    finally:
        reader.close()
    return sink, read


def _write(folder: Path, partition: Partition, sink: PartitionSink, articles_read: int) -> dict[str, Any]:
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in _store_rows.TABLES}
    index = NearDuplicateIndex()
    for seq, item in enumerate(sink.stored):
        text = item.article.text
        row = _store_rows.article_row(item.article, item.records, item.article_id)
        row["seq"] = seq
        rows["articles"].append(row)
        signature: Signature = to_signature(index.signature(text))
        rows["article_signatures"].append(
            {
                "article_id": item.article_id,
                "num_perm": signature.num_perm,
                "seed": signature.seed,
                "scheme": signature.scheme,
                "signature": signature.values,
            }
        )
        for table, children in _store_rows.child_rows(item.records, item.article_id, text).items():
            rows[table].extend(children)
    for (input_, reason), (kind, attempts) in sink.failures.items():
        rows["failures"].append(
            {"input": input_, "reason": reason, "kind": kind, "first_seen": None, "last_seen": None, "attempts": attempts}
        )
    schemas = _store_rows.schemas()
    files: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    for table in _store_rows.TABLES:
        for row in rows[table]:
            row["partition_id"] = partition.id
        arrow = pa.Table.from_pylist(rows[table], schema=schemas[table])
        path = folder / f"{table}.parquet"
        pq.write_table(arrow, path, compression="zstd")
        _fsync(path)
        counts[table] = arrow.num_rows
        files[path.name] = {"sha256": sha256_of(path), "bytes": path.stat().st_size}
    meta = {
        "id": partition.id,
        "inputs": [s.to_json() for s in partition.slices],
        "articles_read": articles_read,
        "rows": counts,
        "files": files,
        "lagebild_version": lagebild_version(),
        "lexicon_fingerprint": worker_lexicon_fingerprint(),
    }
    write_json_atomic(folder / PARTITION_META, meta)
    fsync_dir(folder)
    return meta


def _fsync(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def partition_meta_matches(meta: Mapping[str, Any], partition: Partition) -> bool:
    """Whether a finished partition directory holds this planned partition."""
    return meta.get("id") == partition.id and meta.get("inputs") == [s.to_json() for s in partition.slices]
