"""CLI commands over the event database: ingest, events, actors, dyads, show, export.

Thin: each command parses its options, calls `lagebild.ingest` / `lagebild.store`, and renders.
Progress goes to stderr; results to stdout (or --out).
"""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from lagebild.errors import ConfigError, LagebildError
from lagebild.cli._common import handle_errors, progress_bar, stderr

if TYPE_CHECKING:  # the store pulls in DuckDB and pandas: imported only when a command runs
    import pandas as pd

    from lagebild.store import Evidence, Store

#: The default database; the same as `lagebild.store.DEFAULT_PATH` (not imported, see above).
DEFAULT_PATH = "lagebild.duckdb"


DbOption = Annotated[
    Path, typer.Option("--db", envvar="LAGEBILD_DB", help="The event database (DuckDB file).", show_default=True)
]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, json, csv or parquet.")]
OutOption = Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of the terminal.")]

_TABLE_LIMIT = 50
_HIGHLIGHT = {"trigger": "bold yellow", "source": "bold cyan", "target": "bold magenta", "place": "underline green"}


_stderr = stderr
_handle_errors = handle_errors


def _open(db: Path, *, write: bool = False) -> Store:
    from lagebild.store import Store

    if write:
        return Store(db)
    return Store(db, read_only=True)


def _cell(value: Any) -> str:
    import pandas as pd

    if value is None:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, float):
        return "" if value != value else f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _render(
    df: pd.DataFrame, fmt: str, out: Path | None, columns: list[str], *, title: str, limited: bool = False
) -> None:
    """Write a DataFrame as a Rich table, JSON, CSV or Parquet."""
    if fmt == "table":
        if out is not None:
            raise ConfigError("--out needs --format json, csv or parquet")
        console = Console()
        if df.empty:
            console.print(f"No {title} found.")
            return
        table = Table(title=title, title_justify="left", show_lines=False, header_style="bold")
        shown = [c for c in columns if c in df.columns]
        for column in shown:
            table.add_column(column, overflow="fold")
        for row in df[shown].itertuples(index=False):
            table.add_row(*(escape(_cell(v)) for v in row))
        console.print(table)
        if limited:
            console.print(f"[dim]The first {_TABLE_LIMIT} are shown; use --limit N or another --format for more.[/]")
        return
    if fmt in ("json", "csv"):
        df = _dates_as_text(df)
    if fmt == "json":
        text = df.to_json(orient="records", date_format="iso", force_ascii=False, indent=2)
        _write_text(text + "\n", out)
    elif fmt == "csv":
        _write_text(df.to_csv(index=False), out)
    elif fmt == "parquet":
        if out is None:
            raise ConfigError("--format parquet needs --out FILE")
        df.to_parquet(out, index=False)
    else:
        raise ConfigError(f"unknown format {fmt!r}; use table, json, csv or parquet")


def _dates_as_text(df: pd.DataFrame) -> pd.DataFrame:
    """Calendar dates as `YYYY-MM-DD`, timestamps as ISO 8601 (JSON and CSV output)."""
    import pandas as pd

    out = df.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            values = out[column]
            whole_days = bool((values.dropna() == values.dropna().dt.normalize()).all())
            text = values.dt.strftime("%Y-%m-%d" if whole_days else "%Y-%m-%dT%H:%M:%S")
            out[column] = text.where(values.notna(), None)
    return out


def _write_text(text: str, out: Path | None) -> None:
    if out is None or str(out) == "-":
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")


# -- ingest ------------------------------------------------------------------------------------------
@_handle_errors
def ingest(
    inputs: Annotated[
        list[str] | None, typer.Argument(help="Files, directories (recursive), URLs, or - for stdin.")
    ] = None,
    db: DbOption = Path(DEFAULT_PATH),
    follow: Annotated[bool, typer.Option("--follow", help="Fetch the page of every feed entry.")] = False,
    date: Annotated[
        str | None, typer.Option("--date", help="Publication date for every article (YYYY-MM-DD, YYYY-MM, YYYY).")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="Year for datelines that give only day and month.")] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of every article (de, en); default: detected.")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="Read every input as: text, html, json, jsonl, csv, tsv, feed.")
    ] = None,
    field_map: Annotated[
        list[str] | None, typer.Option("--map", help="Field names of JSON/CSV records: text=body,published=date.")
    ] = None,
    encoding: Annotated[str, typer.Option("--encoding", help="Encoding of text, JSON and CSV inputs.")] = "utf-8",
    max_mb: Annotated[
        float, typer.Option("--max-mb", help="Size limit of one article (a file, a record, a page) in MB.")
    ] = 5.0,
    near_duplicates: Annotated[
        bool, typer.Option("--near-duplicates/--no-near-duplicates", help="Link near-duplicate articles (MinHash/LSH).")
    ] = True,
    refetch: Annotated[
        bool, typer.Option("--refetch", help="With --follow: fetch pages whose URL is already stored.")
    ] = False,
    coder: Annotated[
        str | None,
        typer.Option(
            "--coder", envvar="LAGEBILD_CODER", help="Another coder as module:function (default lagebild.code)."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Processes that code articles in parallel (the store has one writer).")
    ] = 1,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Articles per worker stored in one transaction (a killed run repeats at most one batch).")
    ] = 64,
    engine: Annotated[
        str, typer.Option("--engine", help="local (this process and --workers) or dask (workers of a Dask cluster; needs --out).")
    ] = "local",
    out: Annotated[
        Path | None, typer.Option("--out", help="With --engine dask: the folder for the partitioned Parquet output (then 'lagebild load').")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="With --engine dask: address of a running Dask scheduler (tcp://host:8786).")
    ] = None,
    partition_size: Annotated[
        int, typer.Option("--partition-size", min=1, help="With --engine dask: articles per partition (one Dask task).")
    ] = 500,
) -> None:
    """Read articles, code their events and store everything (idempotent: known articles are skipped)."""
    from lagebild.ingest import FieldMap, Ingestor, ReadOptions, load_coder

    for noisy in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    options = ReadOptions(
        fmt=fmt,
        field_map=FieldMap.parse(field_map),
        encoding=encoding,
        max_document_bytes=int(max_mb * 1_000_000),
        follow=follow,
        reference_year=year,
    )
    if engine not in ("local", "dask"):
        raise typer.BadParameter(f"--engine must be local or dask, not {engine!r}")
    if engine == "dask":
        if out is None:
            raise typer.BadParameter("--engine dask writes partitioned Parquet: give --out DIR, then run 'lagebild load DIR'")
        from lagebild.cli.scale import run_ingest_dask

        try:
            run_ingest_dask(inputs, out, scheduler=scheduler, workers=workers if workers > 1 else None,
                            partition_size=partition_size, options=options, coder=coder, date=date, lang=lang,
                            quiet=quiet, db=db)
        except LagebildError as exc:
            _stderr().print(f"[bold red]error:[/] {escape(str(exc))}")
            raise typer.Exit(1) from exc
        return
    if inputs and _hand_to_server(db, inputs, options, lang=lang, date=date):
        return
    coder_fn = load_coder(coder)
    with _open(db, write=True) as store:
        if not inputs:
            typer.echo(f"{db}: {_counts_line(store.counts())}")
            return
        progress = progress_bar(
            "ingest",
            "inputs · {task.fields[articles]} articles · {task.fields[events]} events · "
            "{task.fields[failures]} failures · {task.fields[rate]:.1f}/s",
            quiet=quiet,
        )
        with progress:
            task = progress.add_task("ingest", total=None, articles=0, events=0, failures=0, rate=0.0)

            def on_progress(stats: Any) -> None:
                progress.update(
                    task,
                    total=stats.sources_total or None,
                    completed=stats.sources,
                    articles=stats.stored,
                    events=stats.mentions,
                    failures=stats.failures,
                    rate=stats.rate,
                )

            ingestor = Ingestor(
                store,
                coder_fn,
                options=options,
                stdin=sys.stdin.buffer if "-" in inputs else None,
                force_date=date,
                lang=lang,
                near_duplicates=near_duplicates,
                refetch=refetch,
                on_progress=on_progress,
                batch_size=batch_size,
                workers=workers,
            )
            report = ingestor.run(inputs)
        stats = report.stats
        console = Console()
        console.print(
            f"Stored {stats.stored} article{'s' * (stats.stored != 1)} ({stats.duplicates} near-duplicate) with "
            f"{stats.mentions} event mention{'s' * (stats.mentions != 1)}; {stats.skipped} already stored; "
            f"{stats.failures} failure{'s' * (stats.failures != 1)}. Database: {_counts_line(store.counts())}."
        )
        if report.failures:
            table = Table("input", "reason", title="Failures (also in the failures table)", title_justify="left")
            for failure in report.failures[:20]:
                table.add_row(escape(failure.input), escape(failure.reason))
            _stderr().print(table)
            if len(report.failures) > 20:
                _stderr().print(f"... and {len(report.failures) - 20} more.")
        if stats.articles == 0 and stats.failures > 0:
            raise typer.Exit(1)


def _hand_to_server(db: Path, inputs: list[str], options: Any, *, lang: str | None, date: str | None) -> bool:
    """When `lagebild serve` holds the database, send the articles to it (it owns the only writer)
    instead of failing on DuckDB's file lock. Returns whether the server took the work."""
    try:
        from lagebild.api.client import post_articles, running_server
    except ImportError:
        return False
    info = running_server(db)
    if info is None:
        return False
    from lagebild.ingest.dates import parse_published
    from lagebild.ingest.ingestor import normalise_lang
    from lagebild.ingest.model import ReadFailure
    from lagebild.ingest.sources import SourceReader, expand

    console = Console()
    _stderr().print(f"{db} is served by lagebild serve at {info.url} (pid {info.pid}): handing the articles to it")
    sources, missing = expand(inputs)
    failures = [f"{m.input}: {m.reason}" for m in missing]
    forced = parse_published(date, basis="forced") if date else None
    reader = SourceReader(options, stdin=sys.stdin.buffer if "-" in inputs else None)
    articles = []
    try:
        for source in sources:
            for item in reader.read(source):
                if isinstance(item, ReadFailure):
                    failures.append(f"{item.input}: {item.reason}")
                    continue
                if lang:
                    item.lang = normalise_lang(lang)
                if forced is not None:
                    item.set_published(forced)
                articles.append(item)
    finally:
        reader.close()
    outcomes = post_articles(info, articles)
    stored = sum(o.get("status") == "stored" for o in outcomes)
    skipped = sum(o.get("status") == "skipped" for o in outcomes)
    failures += [f"{o.get('article_id')}: {o.get('reason')}" for o in outcomes if o.get("status") == "failed"]
    console.print(f"The server stored {stored} article{'s' * (stored != 1)}; {skipped} already stored; {len(failures)} failure{'s' * (len(failures) != 1)}.")
    for line in failures[:20]:
        _stderr().print(escape(line))
    return True


def _counts_line(counts: dict[str, int]) -> str:
    return (
        f"{counts['articles']} articles, {counts['mentions']} mentions, {counts['events']} events, "
        f"{counts['failures']} failures"
    )


# -- queries -----------------------------------------------------------------------------------------
@_handle_errors
def events(
    db: DbOption = Path(DEFAULT_PATH),
    actor: Annotated[
        str | None, typer.Option("--actor", help="Code (RUS, RUSGOV), lexicon id, or id name (putin).")
    ] = None,
    dyad: Annotated[tuple[str, str] | None, typer.Option("--dyad", help="Two actors: events between them.")] = None,
    directed: Annotated[bool, typer.Option("--directed", help="--dyad A B means source A, target B only.")] = False,
    code: Annotated[str | None, typer.Option("--code", help="CAMEO code or its start (04, 042).")] = None,
    root: Annotated[str | None, typer.Option("--root", help="CAMEO root (01-20).")] = None,
    quad: Annotated[int | None, typer.Option("--quad", min=1, max=4, help="Quad class 1-4.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="From this date (YYYY-MM-DD, YYYY-MM, YYYY).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Up to this date.")] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="asserted, claimed, planned, negated, failed, hypothetical (comma-separated)."),
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="A word in the sentence of a mention.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="At most N events.")] = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
) -> None:
    """Aggregated events, newest first."""
    with _open(db) as store:
        effective = limit if limit is not None or fmt != "table" else _TABLE_LIMIT + 1
        df = store.events(
            actor=actor,
            dyad=dyad if dyad and all(dyad) else None,
            directed=directed,
            code=code,
            root=root,
            quad=quad,
            since=since,
            until=until,
            status=status,
            text=text,
            limit=effective,
        )
    limited = limit is None and fmt == "table" and len(df) > _TABLE_LIMIT
    if limited:
        df = df.head(_TABLE_LIMIT)
    if fmt == "table":
        df = df.assign(
            event=df["event_id"].str[:10],
            source=_actor_label(df, "source"),
            target=_actor_label(df, "target"),
            date=df["date_value"],
            place=df["location_name"],
            mentions=df["num_mentions"],
            sources=df["num_sources"],
            goldstein=df["goldstein"],
        )
    _render(
        df,
        fmt,
        out,
        ["event", "date", "code", "source", "target", "status", "place", "mentions", "sources", "goldstein"],
        title="events",
        limited=limited,
    )


def _actor_label(df: pd.DataFrame, side: str) -> pd.Series:
    code = df[f"{side}_code"].fillna("") + df[f"{side}_role"].fillna("")
    name = df[f"{side}_name"].fillna("")
    return code.where(name == "", code + " (" + name + ")")


@_handle_errors
def actors(
    db: DbOption = Path(DEFAULT_PATH),
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="At most N actors.")] = 30,
    fmt: FormatOption = "table",
    out: OutOption = None,
) -> None:
    """Actors by number of mentions, with their counts as event source and target."""
    with _open(db) as store:
        df = store.actors(limit=limit)
    _render(
        df,
        fmt,
        out,
        ["actor_id", "code", "role", "kind", "name", "mentions", "articles", "as_source", "as_target"],
        title="actors",
    )


@_handle_errors
def dyads(
    db: DbOption = Path(DEFAULT_PATH),
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="At most N pairs.")] = 20,
    undirected: Annotated[bool, typer.Option("--undirected", help="Count A→B and B→A as one pair.")] = False,
    fmt: FormatOption = "table",
    out: OutOption = None,
) -> None:
    """The most frequent source→target pairs, with counts per quad class and mean Goldstein."""
    with _open(db) as store:
        df = store.dyads(limit=limit, directed=not undirected)
    _render(
        df,
        fmt,
        out,
        [
            "actor_a",
            "actor_b",
            "events",
            "mentions",
            "mean_goldstein",
            "quad1",
            "quad2",
            "quad3",
            "quad4",
            "first_date",
            "last_date",
        ],
        title="dyads",
    )


@_handle_errors
def show(
    event_id: Annotated[str, typer.Argument(help="An event id (or its first characters) or a mention id.")],
    db: DbOption = Path(DEFAULT_PATH),
) -> None:
    """The evidence for one event: every mention's sentence with trigger and actors marked, quotes, the rule."""
    with _open(db) as store:
        evidence = store.evidence(event_id)
    _print_evidence(evidence, Console())


def _code_name(code: str | None) -> str:
    if not code:
        return ""
    try:
        from lagebild.cameo import codebook

        return codebook()[code].name
    except (ImportError, KeyError, OSError, LagebildError):
        return ""


def _print_evidence(evidence: Evidence, console: Console) -> None:
    e = evidence.event
    source = f"{e['source_code'] or '?'}{e['source_role'] or ''} {e['source_name'] or ''}".strip()
    target = f"{e['target_code'] or '-'}{e['target_role'] or ''} {e['target_name'] or ''}".strip()
    console.print(
        Text.assemble(
            ("event ", "dim"),
            (e["event_id"], "bold"),
            ("  CAMEO ", "dim"),
            (e["code"] or "", "bold"),
            f" {_code_name(e['code'])}",
            ("  PLOVER ", "dim"),
            e["plover"] or "-",
        )
    )
    console.print(Text.assemble(("  ", ""), (source, _HIGHLIGHT["source"]), " → ", (target, _HIGHLIGHT["target"])))
    place = f"  place {e['location_name']} ({e['location_country']})" if e["location_name"] else ""
    console.print(
        f"  date {e['date_value'] or 'unknown'} ({e['date_granularity'] or '-'}, "
        f"from {e['date_basis'] or '-'}){place}\n"
        f"  status {e['status']} {e['status_mix']} · {e['num_mentions']} mentions in {e['num_articles']} articles "
        f"from {e['num_sources']} sources · Goldstein {e['goldstein']} · quad {e['quad_class']} · "
        f"confidence {_cell(e['mean_confidence'])}"
    )
    for n, ev in enumerate(evidence.mentions, 1):
        m, a = ev.mention, ev.article
        console.rule(
            f"mention {n}: {m['mention_id'][:20]}…#{m['mention_id'].rsplit('#', 1)[-1]}", align="left", style="dim"
        )
        origin = " · ".join(
            str(x) for x in (a.get("outlet") or a.get("agency"), a.get("published"), a.get("title")) if x
        )
        console.print(f"  [dim]article[/] {escape(origin)}")
        console.print(f"  [dim]from[/] {escape(str(a.get('url') or a.get('input') or ''))}")
        if m.get("linked_via_duplicate"):
            console.print(f"  [dim]near-duplicate of[/] {a.get('duplicate_of')} [dim](counted as a further mention)[/]")
        sentence = Text(ev.sentence)
        for h in ev.highlights:
            sentence.stylize(_HIGHLIGHT.get(h.kind, "bold"), h.start, h.end)
        console.print(Text("  ") + sentence)
        console.print(
            f"  [dim]rule[/] {escape(str(m.get('rule_id')))} ({escape(str(m.get('rule_file')))}:{m.get('rule_line')}) "
            f"[dim]pattern[/] {escape(str(m.get('rule_pattern')))} [dim]trigger[/] {escape(str(m.get('trigger_text')))}"
        )
        when = f"{m.get('date_value') or 'unknown'} from {m.get('date_basis')}"
        if ev.time:
            when += f" ({escape(str(ev.time.get('text')))!r})"
        console.print(
            f"  [dim]status[/] {m.get('status')} [dim]confidence[/] {_cell(m.get('confidence'))} [dim]date[/] {when}"
        )
        for q in ev.quotes:
            speaker = q.get("speaker_name") or q.get("speaker_code") or "unknown speaker"
            console.print(
                f"  [dim]quote ({q.get('kind')}) by[/] {escape(str(speaker))}: “{escape(str(q.get('text')))}”"
            )


# -- export ------------------------------------------------------------------------------------------
@_handle_errors
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="gdelt, plover, parquet or csv.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file (- for stdout with gdelt, plover, csv).")],
    db: DbOption = Path(DEFAULT_PATH),
    header: Annotated[
        bool, typer.Option("--header", help="gdelt: write a header row (GDELT files have none).")
    ] = False,
    extra: Annotated[bool, typer.Option("--extra", help="gdelt: append lagebild's columns after GDELT's 61.")] = False,
    table: Annotated[str, typer.Option("--table", help="parquet/csv: events, mentions or articles.")] = "events",
    no_text: Annotated[bool, typer.Option("--no-text", help="plover: leave out the sentence text.")] = False,
    since: Annotated[str | None, typer.Option("--since", help="Only events from this date.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only events up to this date.")] = None,
) -> None:
    """Export the aggregated events (GDELT 2.0 event table, PLOVER JSON lines, Parquet, CSV)."""
    from lagebild.store.export import FORMATS, write_gdelt, write_plover, write_table
    from lagebild.store.filters import EventFilter

    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    flt = EventFilter(since=since, until=until)
    to_stdout = str(out) == "-"
    with _open(db) as store:
        if fmt in ("parquet", "csv") and not (fmt == "csv" and to_stdout):
            n = write_table(store, out, fmt, table=table, flt=flt if table == "events" else None)
            _stderr().print(f"Wrote {n} {table} to {out}.")
            return
        if fmt == "csv":
            df = (
                store.events(since=since, until=until)
                if table == "events"
                else (store.mentions() if table == "mentions" else store.articles())
            )
            sys.stdout.write(df.to_csv(index=False))
            return
        handle = (
            io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n", write_through=True)
            if to_stdout
            else out.open("w", encoding="utf-8", newline="\n")
        )
        try:
            if fmt == "gdelt":
                n = write_gdelt(store, handle, header=header, extra=extra, flt=flt)
                message = f"Wrote {n} events in GDELT 2.0 event format"
            else:
                result = write_plover(store, handle, include_text=not no_text, flt=flt)
                message = (
                    f"Wrote {result.written} PLOVER records ({result.skipped_no_plover} events of CAMEO 01/02 "
                    "have no PLOVER type and were left out)"
                )
        finally:
            handle.flush()
            if to_stdout:
                handle.detach()
            else:
                handle.close()
        _stderr().print(f"{message}{'' if to_stdout else f' to {out}'}.")


def register(app: typer.Typer) -> None:
    """Add the database commands to lagebild's Typer app."""
    app.command("ingest")(ingest)
    app.command("events")(events)
    app.command("actors")(actors)
    app.command("dyads")(dyads)
    app.command("show")(show)
    app.command("export")(export)


def main() -> None:
    """Run the database commands on their own (`python -c "from lagebild.cli.db import main; main()"`)."""
    app = typer.Typer(add_completion=False, no_args_is_help=True, help="lagebild's event database.")
    register(app)
    app()


if __name__ == "__main__":
    main()
