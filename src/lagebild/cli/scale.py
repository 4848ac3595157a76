"""CLI of the Dask scale-out: `lagebild ingest-dask` (code on workers into Parquet) and `lagebild load`.

Thin: each command parses, calls `lagebild.scale`, renders. Progress goes to stderr.
`run_ingest_dask` is the whole of `ingest-dask` as a function, so `lagebild ingest --engine dask`
can delegate to it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from lagebild.cli._common import handle_errors, progress_bar, stderr

DEFAULT_DB = "lagebild.duckdb"


_stderr = stderr
_handle_errors = handle_errors


def _progress(quiet: bool, label: str, fields: str):
    # transient: the summary follows; an error leaves no half-drawn bar behind
    return progress_bar(label, fields, quiet=quiet, transient=True)


def run_ingest_dask(
    inputs: Sequence[str] | None,
    out: Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    partition_size: int = 500,
    options: Any = None,
    coder: str | None = None,
    date: str | None = None,
    lang: str | None = None,
    quiet: bool = False,
    db: Path | str = DEFAULT_DB,
) -> None:
    """Run a distributed ingest and print its summary (raises LagebildError; `_handle_errors` renders it).

    `options` is a `lagebild.ingest.ReadOptions` (the reading options of `lagebild ingest`); `db`
    only names the database in the hint to load the output.
    """
    from lagebild.scale import ingest_dask

    for noisy in ("trafilatura", "htmldate", "courlan", "justext", "distributed", "bokeh"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    progress = _progress(
        quiet,
        "ingest-dask",
        "partitions · {task.fields[articles]} articles · {task.fields[events]} events · "
        "{task.fields[failures]} failures · {task.fields[rate]:.1f}/s",
    )
    with progress:
        task = progress.add_task("ingest-dask", total=None, articles=0, events=0, failures=0, rate=0.0)

        def on_progress(stats: Any) -> None:
            progress.update(
                task,
                total=stats.partitions or None,
                completed=stats.done,
                articles=stats.articles,
                events=stats.mentions,
                failures=stats.failures,
                rate=stats.rate,
            )

        report = ingest_dask(
            list(inputs or []),
            out,
            scheduler=scheduler,
            workers=workers,
            partition_size=partition_size,
            options=options,
            coder=coder,
            force_date=date,
            lang=lang,
            on_progress=on_progress,
        )
    s = report.stats
    Console().print(
        f"Coded {s.articles} article{'s' * (s.articles != 1)} with {s.mentions} event mention"
        f"{'s' * (s.mentions != 1)} into {s.partitions} partition{'s' * (s.partitions != 1)} "
        f"({s.reused} finished before); {s.failures + len(report.failures)} failure"
        f"{'s' * (s.failures + len(report.failures) != 1)}; {s.elapsed:.1f} s. "
        f"Output: {escape(str(report.out))}\nLoad it with: lagebild load {escape(str(report.out))} --db {escape(str(db))}"
    )
    if report.failures:
        table = Table("input", "reason", title="Inputs that could not be listed", title_justify="left")
        for failure in report.failures[:20]:
            table.add_row(escape(failure.input), escape(failure.reason))
        _stderr().print(table)
    if s.articles == 0 and s.failures + len(report.failures) > 0:
        raise typer.Exit(1)  # as `lagebild ingest`: nothing could be read at all


@_handle_errors
def ingest_dask_command(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories (recursive) or URLs.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory (Parquet partitions and manifest.json).")],
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Address of a running Dask scheduler (tcp://host:8786).")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", help="Start a local cluster of N worker processes (default: cores).")
    ] = None,
    partition_size: Annotated[int, typer.Option("--partition-size", help="Articles per partition (one Dask task).")] = 500,
    follow: Annotated[bool, typer.Option("--follow", help="Fetch the page of every feed entry (always fetched: the workers cannot see a database).")] = False,
    date: Annotated[str | None, typer.Option("--date", help="Publication date for every article (YYYY-MM-DD, YYYY-MM, YYYY).")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Year for datelines that give only day and month.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of every article (de, en); default: detected.")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="Read every input as: text, html, json, jsonl, csv, tsv, feed.")] = None,
    field_map: Annotated[list[str] | None, typer.Option("--map", help="Field names of JSON/CSV records: text=body,published=date.")] = None,
    encoding: Annotated[str, typer.Option("--encoding", help="Encoding of text, JSON and CSV inputs.")] = "utf-8",
    max_mb: Annotated[float, typer.Option("--max-mb", help="Size limit of one article (a file, a record, a page) in MB.")] = 5.0,
    coder: Annotated[
        str | None,
        typer.Option("--coder", envvar="LAGEBILD_CODER", help="Another coder as module:function, importable on every worker."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Code articles on Dask workers into partitioned Parquet (restartable); then `lagebild load` them."""
    from lagebild.ingest import FieldMap, ReadOptions

    options = ReadOptions(
        fmt=fmt,
        field_map=FieldMap.parse(field_map),
        encoding=encoding,
        max_document_bytes=int(max_mb * 1_000_000),
        follow=follow,
        reference_year=year,
    )
    run_ingest_dask(
        inputs,
        out,
        scheduler=scheduler,
        workers=workers,
        partition_size=partition_size,
        options=options,
        coder=coder,
        date=date,
        lang=lang,
        quiet=quiet,
    )


@_handle_errors
def load_command(
    out: Annotated[Path, typer.Argument(help="Output directory of `lagebild ingest-dask`.")],
    db: Annotated[
        Path, typer.Option("--db", envvar="LAGEBILD_DB", help="The event database (DuckDB file).", show_default=True)
    ] = Path(DEFAULT_DB),
    near_duplicates: Annotated[
        bool, typer.Option("--near-duplicates/--no-near-duplicates", help="Link near-duplicate articles (MinHash/LSH).")
    ] = True,
    verify: Annotated[
        bool, typer.Option("--verify/--no-verify", help="Check every file against the manifest's SHA-256 first.")
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Merge a distributed run into the database, with the same de-duplication and aggregation as `ingest`."""
    from lagebild.scale import load
    from lagebild.store import Store

    progress = _progress(
        quiet,
        "load",
        "partitions · {task.fields[stored]} stored · {task.fields[skipped]} already stored · {task.fields[rate]:.1f}/s",
    )
    with Store(db) as store:
        with progress:
            task = progress.add_task("load", total=None, stored=0, skipped=0, rate=0.0)

            def on_progress(stats: Any) -> None:
                progress.update(
                    task,
                    total=stats.partitions_total or None,
                    completed=stats.partitions,
                    stored=stats.stored,
                    skipped=stats.skipped,
                    rate=stats.rate,
                )

            report = load(out, store, near_duplicates=near_duplicates, verify=verify, on_progress=on_progress)
        counts = store.counts()
    s = report.stats
    Console().print(
        f"Stored {s.stored} article{'s' * (s.stored != 1)} ({s.duplicates} near-duplicate) with {s.mentions} event "
        f"mention{'s' * (s.mentions != 1)}; {s.skipped} already stored; {s.failures} failure"
        f"{'s' * (s.failures != 1)} recorded; {s.elapsed:.1f} s. Database: {counts['articles']} articles, "
        f"{counts['mentions']} mentions, {counts['events']} events, {counts['failures']} failures."
    )


def register(app: typer.Typer) -> None:
    """Add the scale-out commands to lagebild's Typer app."""
    app.command("ingest-dask")(ingest_dask_command)
    app.command("load")(load_command)
