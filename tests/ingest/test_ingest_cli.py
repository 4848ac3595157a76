"""The database commands through Typer's test runner: ingest, events, actors, dyads, show, export."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from lagebild.cli.db import register
from lagebild.store import Store
from lagebild.store.export import GDELT_COLUMNS

TEXTS = {
    "a.txt": "Talks in the capital\n\nBerlin, 12. März 2025 (dpa) – Germany meets France in Berlin. Russia attacks Ukraine.",
    "b.txt": "PARIS, March 14, 2025 (AFP) - Russia attacks Ukraine on 2025-03-14. Ukraine criticises Russia.",
}


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "in"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "empty.txt").write_text("")
    return folder


@pytest.fixture(scope="module")
def db(corpus: Path, app: typer.Typer, runner: CliRunner) -> Path:
    """One database, ingested once, for the tests of this module (they only read it or re-ingest the same)."""
    path = corpus.parent / "cli.duckdb"
    result = runner.invoke(
        app, ["ingest", str(corpus), "--db", str(path), "--quiet"], env={"LAGEBILD_CODER": "lb_fakes:code"}
    )
    assert result.exit_code == 0, result.output
    assert "Stored 2 articles" in result.output
    return path


def test_register_adds_the_commands(app: typer.Typer) -> None:
    names = {c.name for c in app.registered_commands}
    assert names == {"ingest", "events", "actors", "dyads", "show", "export"}


def test_ingest_reports_failures_and_is_idempotent(db: Path, app: typer.Typer, runner: CliRunner, corpus: Path) -> None:
    with Store(db, read_only=True) as store:
        counts = store.counts()
        assert store.failures()["reason"].tolist() == ["empty file"]
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(db), "--quiet", "--coder", "lb_fakes:code"])
    assert result.exit_code == 0 and "Stored 0 articles" in result.output and "2 already stored" in result.output
    with Store(db, read_only=True) as store:
        assert store.counts() == counts


def test_ingest_from_stdin_with_date_and_map(tmp_path: Path, app: typer.Typer, runner: CliRunner) -> None:
    path = tmp_path / "stdin.duckdb"
    data = json.dumps({"body": "Kenya praises China.", "when": "2025-02-03", "source": "Wire"}) + "\n"
    result = runner.invoke(
        app,
        [
            "ingest",
            "-",
            "--db",
            str(path),
            "--quiet",
            "--coder",
            "lb_fakes:code",
            "--map",
            "text=body,published=when,outlet=source",
        ],
        input=data,
    )
    assert result.exit_code == 0, result.output
    with Store(path, read_only=True) as store:
        row = store.articles().iloc[0]
        assert (row.input, row.outlet, row.published) == ("-", "Wire", "2025-02-03")


def test_ingest_with_nothing_readable_exits_1(tmp_path: Path, app: typer.Typer, runner: CliRunner) -> None:
    empty = tmp_path / "e.txt"
    empty.write_text("")
    result = runner.invoke(
        app, ["ingest", str(empty), "--db", str(tmp_path / "x.duckdb"), "--quiet", "--coder", "lb_fakes:code"]
    )
    assert result.exit_code == 1


def test_ingest_bad_options_are_one_paragraph_errors(tmp_path: Path, app: typer.Typer, runner: CliRunner) -> None:
    for args, fragment in (
        (["--map", "nonsense"], "ATTRIBUTE=FIELD"),
        (["--coder", "no_such_module:code"], "cannot load the coder"),
        (["--date", "someday"], "--date"),
    ):
        result = runner.invoke(
            app,
            ["ingest", str(tmp_path), "--db", str(tmp_path / "x.duckdb"), "--quiet", "--coder", "lb_fakes:code", *args],
        )
        assert result.exit_code == 1 and fragment in result.output, args


def test_events_formats(db: Path, app: typer.Typer, runner: CliRunner, tmp_path: Path) -> None:
    table = runner.invoke(app, ["events", "--db", str(db)])
    assert table.exit_code == 0 and "RUS" in table.output
    as_json = runner.invoke(app, ["events", "--db", str(db), "--actor", "RUS", "--format", "json"])
    records = json.loads(as_json.output)
    assert {r["code"] for r in records} == {"190", "111"}
    assert all(r["date_start"] is None or len(r["date_start"]) == 10 for r in records)
    dyad = runner.invoke(app, ["events", "--db", str(db), "--dyad", "RUS", "UKR", "--directed", "--format", "csv"])
    assert dyad.exit_code == 0 and len(dyad.output.strip().splitlines()) == 3  # header + two events (two dates)
    out = tmp_path / "e.parquet"
    parquet = runner.invoke(app, ["events", "--db", str(db), "--format", "parquet", "--out", str(out), "--limit", "1"])
    assert parquet.exit_code == 0 and len(pd.read_parquet(out)) == 1
    missing_out = runner.invoke(app, ["events", "--db", str(db), "--format", "parquet"])
    assert missing_out.exit_code == 1 and "--out" in missing_out.output


def test_events_on_a_missing_database(tmp_path: Path, app: typer.Typer, runner: CliRunner) -> None:
    result = runner.invoke(app, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "no database" in result.output


def test_actors_and_dyads(db: Path, app: typer.Typer, runner: CliRunner) -> None:
    actors = runner.invoke(app, ["actors", "--db", str(db), "--format", "json"])
    assert {a["code"] for a in json.loads(actors.output)} == {"DEU", "FRA", "RUS", "UKR"}
    dyads = runner.invoke(app, ["dyads", "--db", str(db), "--format", "json"])
    top = json.loads(dyads.output)[0]
    assert (top["actor_a"], top["actor_b"], top["events"]) == ("RUS", "UKR", 2)


def test_show_prints_the_evidence(db: Path, app: typer.Typer, runner: CliRunner) -> None:
    with Store(db, read_only=True) as store:
        event_id = store.events(code="111")["event_id"].iloc[0]
    result = runner.invoke(app, ["show", event_id[:8], "--db", str(db)])
    assert result.exit_code == 0, result.output
    for fragment in ("Ukraine criticises Russia.", "en.11.fake", "lexicons/en/triggers.tsv:7", "AFP", "UKR", "RUS"):
        assert fragment in result.output
    unknown = runner.invoke(app, ["show", "ffffffff", "--db", str(db)])
    assert unknown.exit_code == 1 and "no event" in unknown.output


def test_export_gdelt_and_plover(db: Path, app: typer.Typer, runner: CliRunner, tmp_path: Path) -> None:
    gdelt = tmp_path / "events.tsv"
    result = runner.invoke(app, ["export", "--format", "gdelt", "--out", str(gdelt), "--db", str(db)])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in gdelt.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 4 and all(len(r) == 61 for r in rows)
    with_header = runner.invoke(app, ["export", "-f", "gdelt", "-o", "-", "--header", "--db", str(db)])
    assert with_header.output.splitlines()[0].split("\t") == list(GDELT_COLUMNS)
    plover = tmp_path / "events.jsonl"
    result = runner.invoke(app, ["export", "-f", "plover", "-o", str(plover), "--db", str(db)])
    assert result.exit_code == 0
    records = [json.loads(line) for line in plover.read_text(encoding="utf-8").splitlines()]
    assert {r["event"][0] for r in records} == {"CONSULT", "ASSAULT", "ACCUSE"}
    parquet = tmp_path / "mentions.parquet"
    result = runner.invoke(app, ["export", "-f", "parquet", "-o", str(parquet), "--table", "mentions", "--db", str(db)])
    assert result.exit_code == 0 and len(pd.read_parquet(parquet)) == 4
    bad = runner.invoke(app, ["export", "-f", "xml", "-o", str(tmp_path / "x"), "--db", str(db)])
    assert bad.exit_code == 1 and "unknown export format" in bad.output
