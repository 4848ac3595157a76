"""docs/STORE.md documents every option, column, migration and export column; a test fails otherwise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.main import get_command

from lagebild.cli.db import register
from lagebild.store import Store
from lagebild.store.export import EXTRA_COLUMNS, GDELT_COLUMNS
from lagebild.store.migrations import MIGRATIONS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "STORE.md").read_text(encoding="utf-8")


def _mentioned(word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w])", DOC) is not None


def _options() -> list[tuple[str, str]]:
    app = typer.Typer()
    register(app)
    group = get_command(app)
    found = []
    for name, command in group.commands.items():
        for param in command.params:
            for opt in [*param.opts, *getattr(param, "secondary_opts", [])]:
                if opt.startswith("--"):
                    found.append((name, opt))
    return found


@pytest.mark.parametrize(("command", "option"), _options())
def test_every_cli_option_is_documented(command: str, option: str) -> None:
    assert _mentioned(option), f"`lagebild {command} {option}` is not in docs/STORE.md"


def test_every_table_and_column_is_documented() -> None:
    with Store(":memory:") as store:
        tables = [r[0] for r in store.cursor("SELECT table_name FROM information_schema.tables").fetchall()]
        for table in tables:
            assert _mentioned(table), table
            for (column,) in store.cursor(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
            ).fetchall():
                assert _mentioned(column), f"{table}.{column}"


def test_migrations_and_export_columns_are_documented() -> None:
    for migration in MIGRATIONS:
        assert _mentioned(migration.name), migration.name
    for column in (*GDELT_COLUMNS[:5], "IsRootEvent", "DATEADDED", "SOURCEURL", *EXTRA_COLUMNS):
        assert _mentioned(column), column


def test_cli_default_database_is_the_stores() -> None:
    from lagebild.cli.db import DEFAULT_PATH as CLI_DEFAULT
    from lagebild.store import DEFAULT_PATH

    assert CLI_DEFAULT == DEFAULT_PATH
