"""What every command module shares: the stderr console and the one way lagebild errors are shown."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.markup import escape

from lagebild.errors import LagebildError

F = TypeVar("F", bound=Callable[..., Any])


def stderr() -> Console:
    return Console(stderr=True, soft_wrap=True)


def handle_errors(func: F) -> F:
    """Render lagebild's errors as one paragraph on stderr and exit with status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LagebildError as exc:
            stderr().print(f"[bold red]error:[/] {escape(str(exc))}")
            raise typer.Exit(1) from exc

    return wrapper  # type: ignore[return-value]


def progress_bar(label: str, fields: str, *, quiet: bool, transient: bool = False) -> Progress:
    """The progress bar of long commands on stderr: spinner, label, bar, count, `fields`, elapsed time."""
    return Progress(
        SpinnerColumn(),
        TextColumn(f"[bold]{label}[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(fields),
        TimeElapsedColumn(),
        console=stderr(),
        disable=quiet,
        transient=transient,
    )
