"""`lagebild` commands. Each one parses, calls a library function and renders; no logic lives here."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from lagebild import __version__
from lagebild.errors import LagebildError

app = typer.Typer(
    name="lagebild",
    help="Political event data (CAMEO, PLOVER) from German and English news, explained down to the sentence and the rule.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def version_callback(value: bool) -> None:
    if value:
        out.print(f"lagebild {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True, help="Show the version and exit.")) -> None:
    """lagebild: who did what to whom, when, where, according to whom."""


@app.command("code")
def code_command(
    files: list[str] = typer.Argument(..., help="Text files to code ('-' reads standard input)."),
    date: Optional[str] = typer.Option(None, "--date", help="Publication date: YYYY-MM-DD, or YYYY-MM when only the month is known."),
    lang: str = typer.Option("auto", "--lang", help="de, en, or auto (detect per file)."),
    fmt: str = typer.Option("table", "--format", help="table (readable) or jsonl (every record, one per line)."),
) -> None:
    """Code articles and show their events with the evidence, or print full records as JSONL."""
    from lagebild.cli._inputs import read_text_input
    from lagebild.cli._render import events_table
    from lagebild.coder import default_coder
    from lagebild.model import Article
    from lagebild.pipeline.times import parse_published

    if fmt not in ("table", "jsonl"):
        fail(f"--format must be table or jsonl, not {fmt!r}")
    if lang not in ("auto", "de", "en"):
        fail(f"--lang must be de, en or auto, not {lang!r}")
    if date and parse_published(date) is None:
        fail(f"--date {date!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
    coder = default_coder()
    failures = 0
    for name in files:
        try:
            text = read_text_input(name)
            published = date or _dateline_date(text)
            if published and not date:
                err.print(f"[yellow]note:[/] {name}: publication date {published} taken from the dateline (pass --date to override)")
            doc = coder.code_article(Article(doc_id=name, text=text, published=published, lang=None if lang == "auto" else lang))
        except LagebildError as exc:
            failures += 1
            err.print(f"[bold red]error:[/] {exc}")
            continue
        for note in doc.notes:
            err.print(f"[yellow]note:[/] {name}: {note}")
        if fmt == "jsonl":
            records = doc.to_records()
            lines = [records["article"], *records["events"], *records["quotes"], *records["actors"], *records["times"], *records["places"]]
            sys.stdout.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines))
        else:
            out.print(events_table(doc))
    if failures:
        raise typer.Exit(1)


def _dateline_date(text: str) -> str | None:
    """The day a dateline gives ("Berlin, 12. März 2025 (dpa) –"), at day precision only."""
    from lagebild.ingest.dates import find_dateline

    found = find_dateline(text)
    if found is None or found.published is None:
        return None
    return found.published.value[:10] if found.published.precision in ("day", "datetime") else found.published.value


@app.command("eval")
def eval_command(
    gold: list[Path] = typer.Argument(..., help="Gold files (GUIDE.md format, or PLOVER GSR JSON)."),
    text: Optional[Path] = typer.Option(None, "--text", help="The article text, when the gold file's 'doc' is elsewhere."),
    date: Optional[str] = typer.Option(None, "--date", help="Override the gold file's publication date."),
    fmt: str = typer.Option("table", "--format", help="table or json."),
) -> None:
    """Code each gold file's article and score it: precision, core and stretch recall, date accuracy."""
    from lagebild.cli._eval import run_eval

    try:
        run_eval(gold, text, date, fmt, out)
    except LagebildError as exc:
        fail(str(exc))


def _register_optional() -> None:
    """Commands that live in their own modules (store, server, scale-out)."""
    import importlib

    for module in ("lagebild.cli.db", "lagebild.cli.summary", "lagebild.cli.serve", "lagebild.cli.scale"):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        mod.register(app)


_register_optional()


if __name__ == "__main__":
    app()
