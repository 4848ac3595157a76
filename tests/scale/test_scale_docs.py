"""docs/SCALING.md documents every option of `ingest-dask` and `load`; a test fails otherwise."""

from __future__ import annotations

import re

import pytest
import typer
from typer.main import get_command

from lagebild.cli.scale import register

from .scale_helpers import ROOT

DOC = (ROOT / "docs" / "SCALING.md").read_text(encoding="utf-8")


def _options() -> list[tuple[str, str]]:
    app = typer.Typer()
    register(app)
    found = []
    for name, command in get_command(app).commands.items():
        for param in command.params:
            for opt in [*param.opts, *getattr(param, "secondary_opts", [])]:
                if opt.startswith("--"):
                    found.append((name, opt))
    return found


def test_both_commands_are_registered() -> None:
    assert {name for name, _ in _options()} == {"ingest-dask", "load"}


@pytest.mark.parametrize(("command", "option"), _options())
def test_every_option_is_documented(command: str, option: str) -> None:
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", DOC), f"`lagebild {command} {option}` is not in docs/SCALING.md"
