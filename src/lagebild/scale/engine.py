"""The driver of a distributed ingest: plan, submit partitions to Dask, keep the manifest.

    from lagebild.scale import ingest_dask
    report = ingest_dask(["articles/"], "out/", workers=2)        # a local cluster of 2 processes
    report = ingest_dask(["articles/"], "out/", scheduler="tcp://10.0.0.5:8786")

Restartable: finished partitions are directories of their own; a rerun of the same command plans
the same partitions, skips the finished ones and submits the rest. A worker that dies mid-task
loses nothing: Dask gives the task to another worker, and the partition appears only when a task
has written all of it.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lagebild._clock import Clocked
from lagebild.errors import ConfigError
from lagebild.ingest import ReadFailure, ReadOptions
from lagebild.scale.errors import ClusterError, ManifestError, OutputError, PartitionError
from lagebild.scale.manifest import (
    FORMAT,
    PARTITION_META,
    DirectoryLock,
    OutputDir,
    lagebild_version,
    lexicon_fingerprint,
    now_iso,
    read_json,
    write_json_atomic,
)
from lagebild.scale.plan import Partition, Plan, plan_partitions, settings_of
from lagebild.scale.worker import CodingSettings, PartitionResult, code_partition, partition_meta_matches

#: Seconds between manifest rewrites while partitions finish (the directories are the truth).
MANIFEST_INTERVAL = 5.0


@dataclass(slots=True)
class RunStats(Clocked):
    """Running totals of a distributed ingest (what the progress bar shows)."""

    partitions: int = 0
    done: int = 0  # finished, in this run or before
    reused: int = 0  # finished before this run (or by an earlier attempt)
    failed: int = 0
    articles_read: int = 0
    articles: int = 0  # coded and written (distinct within their partition)
    mentions: int = 0
    failures: int = 0

    @property
    def rate(self) -> float:
        """Articles read per second in this run (finished earlier partitions not counted)."""
        return self.per_second(self.articles_read)


@dataclass(slots=True)
class RunReport:
    out: Path
    stats: RunStats
    failures: list[ReadFailure]  # inputs that could not be listed (missing paths)


def ingest_dask(
    inputs: Sequence[str],
    out: str | Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    client: Any = None,
    partition_size: int = 500,
    options: ReadOptions | None = None,
    coder: str | None = None,
    force_date: str | None = None,
    lang: str | None = None,
    retries: int = 2,
    on_progress: Callable[[RunStats], None] | None = None,
) -> RunReport:
    """Code the inputs on Dask workers into partitioned Parquet in `out`, with a manifest.

    scheduler   address of a running Dask scheduler (`tcp://host:8786`)
    workers     else: start a local cluster of this many single-threaded worker processes
    client      else: a `distributed.Client` the caller owns (tests, notebooks)
    coder       `module:function` importable on every worker (default `lagebild.code`)
    retries     extra attempts Dask makes for a task that raised (a dead worker is handled by
                Dask itself: its tasks go to other workers)

    Raises `PartitionError` after the run when partitions failed (the rest is kept),
    `OutputError` when `out` is in use or holds another run, `ClusterError` when Dask cannot start.
    """
    if sum(x is not None for x in (scheduler, workers, client)) > 1:
        raise ConfigError("give either --scheduler ADDRESS or --workers N, not both")
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}")
    options = options or ReadOptions()
    output = OutputDir(Path(out).resolve())
    plan = plan_partitions(list(inputs), options, partition_size)
    settings = settings_of(options, coder=coder, force_date=force_date, lang=lang, partition_size=partition_size)
    lexicons = lexicon_fingerprint()
    coding = CodingSettings(options, coder, force_date, lang, lagebild_version(), lexicons)
    stats = RunStats(partitions=len(plan.partitions))
    with DirectoryLock(_prepare(output.root)):
        manifest = _open_manifest(output, plan, settings, list(inputs), lexicons)
        todo = []
        for entry, partition in zip(manifest["partitions"], plan.partitions):
            meta = _finished(output, partition)
            if meta is not None:
                _mark_done(entry, meta, None)
                _count(stats, meta)
                stats.done += 1
                stats.reused += 1
            else:
                entry.update(status="pending", error=None)
                todo.append(partition)
        write_json_atomic(output.manifest, manifest)
        if on_progress:
            on_progress(stats)
        failed: dict[str, str] = {}
        if todo:
            with ExitStack() as stack:
                dask_client = client if client is not None else stack.enter_context(_client(scheduler, workers))
                failed = _submit(dask_client, todo, output, coding, manifest, stats, retries, on_progress)
        manifest["complete"] = not failed and stats.done == stats.partitions
        manifest["updated"] = now_iso()
        manifest["totals"] = _totals(manifest)
        write_json_atomic(output.manifest, manifest)
        shutil.rmtree(output.tmp, ignore_errors=True)  # only this run (it holds the lock) writes there
    if failed:
        raise PartitionError(failed, stats.partitions)
    return RunReport(output.root, stats, plan.failures)


def _prepare(root: Path) -> Path:
    if root.exists() and not root.is_dir():
        raise OutputError(f"{root} is a file; --out needs a directory")
    if root.is_dir():
        known = {"manifest.json", "partitions", "tmp", ".lock"}
        foreign = [p.name for p in root.iterdir() if p.name not in known and not p.name.startswith(".manifest.json")]
        if foreign:
            raise OutputError(
                f"{root} holds files that are not a lagebild run ({', '.join(sorted(foreign)[:3])}); "
                "choose a new or empty --out directory"
            )
    root.mkdir(parents=True, exist_ok=True)
    return root


def _open_manifest(
    output: OutputDir, plan: Plan, settings: dict[str, Any], inputs: list[str], lexicons: str
) -> dict[str, Any]:
    fingerprint = plan.fingerprint(settings)
    if output.manifest.exists():
        manifest = output.read_manifest()
        old = (manifest.get("lagebild_version"), manifest.get("lexicon_fingerprint"))
        if old != (lagebild_version(), lexicons):
            raise OutputError(
                f"{output.root} was written by lagebild {old[0]} with lexicons {old[1]}; this is lagebild "
                f"{lagebild_version()} with lexicons {lexicons}. Use a new --out directory "
                "(or delete this one to start over)"
            )
        if manifest.get("plan_fingerprint") != fingerprint:
            raise OutputError(
                f"{output.root} holds a run of other inputs or settings (or an input file changed since); "
                "use a new --out directory, or run the same command on unchanged inputs to finish that run"
            )
        return manifest
    return {
        "format": FORMAT,
        "lagebild_version": lagebild_version(),
        "lexicon_fingerprint": lexicons,
        "created": now_iso(),
        "updated": now_iso(),
        "complete": False,
        "inputs": inputs,
        "settings": settings,
        "plan_fingerprint": fingerprint,
        "failures": [{"input": f.input, "reason": f.reason, "kind": f.kind} for f in plan.failures],
        "partitions": [{**p.to_json(), "status": "pending"} for p in plan.partitions],
        "totals": {},
    }


def _finished(output: OutputDir, partition: Partition) -> dict[str, Any] | None:
    """The metadata of a finished partition directory, or None; a directory of another plan is removed."""
    folder = output.partition(partition.id)
    meta_path = folder / PARTITION_META
    if not meta_path.is_file():
        return None
    try:
        meta = read_json(meta_path)
    except (ManifestError, OSError):  # an unreadable partition is coded again
        meta = None
    if isinstance(meta, dict) and partition_meta_matches(meta, partition):
        return meta
    shutil.rmtree(folder, ignore_errors=True)
    return None


def _mark_done(entry: dict[str, Any], meta: dict[str, Any], result: PartitionResult | None) -> None:
    entry.update(
        status="done",
        error=None,
        articles_read=meta.get("articles_read"),
        rows=meta.get("rows"),
        files=meta.get("files"),
    )
    if result is not None and not result.reused:
        entry.update(seconds=round(result.seconds, 3), worker=result.worker)


def _count(stats: RunStats, meta: dict[str, Any]) -> None:
    """Add a finished partition's rows to the totals (not to `articles_read`: that is this run's work)."""
    rows = meta.get("rows") or {}
    stats.articles += rows.get("articles", 0)
    stats.mentions += rows.get("mentions", 0)
    stats.failures += rows.get("failures", 0)


def _totals(manifest: dict[str, Any]) -> dict[str, int]:
    totals: dict[str, int] = {"partitions": len(manifest["partitions"])}
    totals["done"] = sum(1 for p in manifest["partitions"] if p.get("status") == "done")
    for entry in manifest["partitions"]:
        for table, n in (entry.get("rows") or {}).items():
            totals[table] = totals.get(table, 0) + n
        totals["articles_read"] = totals.get("articles_read", 0) + (entry.get("articles_read") or 0)
    return totals


@contextmanager
def _client(scheduler: str | None, workers: int | None) -> Iterator[Any]:
    """A client of the given scheduler, or of a local cluster of single-threaded worker processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClusterError("the dask engine needs dask and distributed: pip install 'lagebild[dask]'") from exc
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with `dask scheduler` "
                "and workers with `dask worker ADDRESS`, or use --workers N for a local cluster"
            ) from exc
        with client:
            yield client
        return
    n = workers or max(1, os.cpu_count() or 1)
    try:
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,  # the coder is pure Python: processes, not threads, run in parallel
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    except Exception as exc:  # noqa: BLE001 - Dask raises many kinds; one message for all
        raise ClusterError(f"cannot start a local Dask cluster of {n} workers: {exc}") from exc
    with cluster, Client(cluster) as client:
        yield client


def _submit(
    client: Any,
    todo: list[Partition],
    output: OutputDir,
    coding: CodingSettings,
    manifest: dict[str, Any],
    stats: RunStats,
    retries: int,
    on_progress: Callable[[RunStats], None] | None,
) -> dict[str, str]:
    from distributed import as_completed

    entries = {e["id"]: e for e in manifest["partitions"]}
    tag = manifest["plan_fingerprint"][:10]
    futures = client.map(
        code_partition,
        todo,
        out=str(output.root),
        settings=coding,
        key=[f"lagebild-{tag}-{p.id}" for p in todo],
        retries=retries,
    )
    ids = {future.key: partition.id for future, partition in zip(futures, todo)}
    failed: dict[str, str] = {}
    writer = _ManifestWriter(output, manifest)
    for future in as_completed(futures):
        pid = ids[future.key]
        try:
            result: PartitionResult = future.result()
        except Exception as exc:  # noqa: BLE001 - a task's error (or KilledWorker) fails its partition only
            failed[pid] = f"{type(exc).__name__}: {exc}"
            entries[pid].update(status="failed", error=failed[pid])
            stats.failed += 1
        else:
            _mark_done(entries[pid], result.meta, result)
            _count(stats, result.meta)
            if not result.reused:
                stats.articles_read += result.meta.get("articles_read", 0)
            stats.done += 1
            stats.reused += result.reused
        finally:
            future.release()
        writer.maybe_write()
        if on_progress:
            on_progress(stats)
    return failed


class _ManifestWriter:
    """Rewrites the manifest while partitions finish: at most every `MANIFEST_INTERVAL` seconds, and
    never more than 1/20 of the time (a manifest of 100 000 partitions takes a while to write)."""

    def __init__(self, output: OutputDir, manifest: dict[str, Any]) -> None:
        self.output = output
        self.manifest = manifest
        self._next = time.monotonic() + MANIFEST_INTERVAL

    def maybe_write(self) -> None:
        if time.monotonic() < self._next:
            return
        started = time.monotonic()
        self.manifest["updated"] = now_iso()
        write_json_atomic(self.output.manifest, self.manifest)
        took = time.monotonic() - started
        self._next = time.monotonic() + max(MANIFEST_INTERVAL, 20 * took)
