"""`lagebild serve`: the HTTP API and the dashboard over one event database.

Thin: it validates the settings, opens the database (so a locked file is reported before the
server starts), and runs uvicorn. While it runs it is the database's only writer; `lagebild
ingest` finds it through the endpoint file beside the database and hands the articles over.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from lagebild.errors import LagebildError


def serve(
    db: Annotated[Path, typer.Option("--db", envvar="LAGEBILD_DB", help="The event database (DuckDB file).")] = Path("lagebild.duckdb"),
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Not loopback: reads need the token too.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    protect_reads: Annotated[bool | None, typer.Option("--protect-reads/--open-reads", help="Require the token for reads too (default: only off loopback).")] = None,
    coder: Annotated[str | None, typer.Option("--coder", envvar="LAGEBILD_CODER", help="Coder for POST /api/articles as module:function.")] = None,
    readers: Annotated[int | None, typer.Option("--readers", min=1, max=64, help="Read connections to the database (default 8).")] = None,
    max_body: Annotated[int | None, typer.Option("--max-body", help="Largest request body in bytes (default 2000000).")] = None,
) -> None:
    """Serve the JSON API (/api, docs at /api/docs) and the dashboard (/) over the database."""
    import uvicorn

    from lagebild.api.app import create_app
    from lagebild.api.discovery import endpoint_path
    from lagebild.api.settings import ServerSettings
    from lagebild.api.state import open_state

    err = Console(stderr=True)
    try:
        settings = ServerSettings.from_env(db=db, host=host, port=port, protect_reads=protect_reads, coder=coder,
                                           readers=readers, max_body_bytes=max_body)
        state = open_state(settings)
    except LagebildError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1) from exc
    app = create_app(state=state)
    url = f"http://{host if ':' not in host else f'[{host}]'}:{port}"
    where = ("LAGEBILD_TOKEN" if not state.token_generated
             else f"a token made up for this run, in {endpoint_path(settings.db)} (owner-readable)")
    err.print(f"lagebild serves [bold]{escape(str(settings.db))}[/] at [bold]{url}[/] · API docs {url}/api/docs")
    err.print(f"reads: {'need the token' if settings.reads_protected else 'open (loopback)'} · "
              f"writes (POST /api/articles) need {escape(where)} · stop with Ctrl+C")
    # keep-alive longer than uvicorn's 5 s: a client that reuses a connection just as the server
    # closes it sees a read error; dashboards and batch clients pause longer than 5 s between requests
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            timeout_graceful_shutdown=5, timeout_keep_alive=75, server_header=False)
    try:
        uvicorn.Server(config).run()
    finally:
        # the app's lifespan closes the database; if uvicorn never started it, close it here
        try:
            state.close()
        except Exception:  # noqa: BLE001 - already closed by the lifespan
            pass


def register(app: typer.Typer) -> None:
    """Add `serve` to lagebild's Typer app."""
    app.command("serve")(serve)
