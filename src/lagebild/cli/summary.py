"""`lagebild summary`: what a database holds — counts, top dyads, a Goldstein timeline for one dyad."""

from __future__ import annotations

import math
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from lagebild.errors import LagebildError

console = Console()

_BAR = 16  # characters for the largest absolute Goldstein value


def _bar(value: float, scale: float) -> str:
    """A bar left of the axis for conflict (red), right of it for cooperation (green)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    n = int(round(abs(value) / scale * _BAR)) if scale else 0
    if value >= 0:
        return " " * _BAR + "│[green]" + "█" * n + "[/]"
    return " " * (_BAR - n) + "[red]" + "█" * n + "[/]│"


def summary(db: Path = typer.Option(Path("lagebild.duckdb"), "--db", help="The database file."),
            dyad: list[str] = typer.Option(None, "--dyad", help="Two actor codes for the timeline (default: the top dyad)."),
            freq: str = typer.Option("month", "--freq", help="day, week or month.")) -> None:
    """Show what the database holds: articles, events, top dyads, and one dyad's Goldstein timeline."""
    from lagebild.store import Store

    if not db.exists():
        console.print(f"[bold red]error:[/] {db}: no database here yet; run 'lagebild ingest PATH --db {db}' first")
        raise typer.Exit(1)
    try:
        with Store(db, read_only=True) as store:
            counts = store.counts()
            dyads = store.dyads(limit=8, directed=False)
            pair = list(dyad) if dyad else None
            if not pair and len(dyads):
                first = dyads.iloc[0]
                pair = [first["actor_a"], first["actor_b"]]
            timeline = store.dyad_timeline(pair[0], pair[1], freq=freq) if pair else None
    except LagebildError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    table = Table(title=f"lagebild database {db}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in counts.items():
        table.add_row(key.replace("_", " "), f"{value:,}")
    console.print(table)
    if len(dyads):
        top = Table(title="top dyads (both directions)", caption="Q1 verbal cooperation · Q2 material cooperation · Q3 verbal conflict · Q4 material conflict")
        for name in ("dyad", "events", "mentions", "Goldstein", "Q1", "Q2", "Q3", "Q4"):
            top.add_column(name, justify="left" if name == "dyad" else "right")
        for row in dyads.to_dict("records"):
            top.add_row(f"{row['actor_a']} – {row['actor_b']}", str(row["events"]), str(row["mentions"]), f"{row['mean_goldstein']:+.2f}",
                        *(str(row[f"quad{n}"]) for n in range(1, 5)))
        console.print(top)
    if timeline is not None and len(timeline):
        chart = Table(title=f"Goldstein timeline {pair[0]} – {pair[1]} per {freq} (green cooperation, red conflict)")
        chart.add_column("period")
        chart.add_column("events", justify="right")
        chart.add_column("mean Goldstein", justify="right")
        chart.add_column("")
        goldstein = [v for v in timeline["mean_goldstein"] if v == v]
        scale = max((abs(v) for v in goldstein), default=1.0) or 1.0
        for row in timeline.to_dict("records"):
            period = str(row.get("period", ""))[:10]
            chart.add_row(period, str(row["events"]), f"{row['mean_goldstein']:+.2f}", _bar(row["mean_goldstein"], scale))
        console.print(chart)
    console.print(
        "\nOpen the dashboard:  [bold].venv/bin/lagebild serve --db "
        f"{db}[/]  then visit http://127.0.0.1:8000/\n"
        "Query from the shell: lagebild events --dyad A B | lagebild dyads | lagebild show EVENT_ID"
    )


def register(app: typer.Typer) -> None:
    app.command("summary")(summary)
