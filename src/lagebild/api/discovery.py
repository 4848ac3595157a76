"""The endpoint file: how `lagebild ingest` finds the server that holds a database.

DuckDB allows one writing process per file. While `lagebild serve` runs it writes
`<db>.server.json` beside the database (mode 0600):

    {"pid": 4242, "host": "127.0.0.1", "port": 8000, "url": "http://127.0.0.1:8000",
     "db": "/abs/path/lagebild.duckdb", "token": "<random per run, or null>",
     "token_env": "LAGEBILD_TOKEN", "started": "2025-06-01T10:00:00+00:00", "version": "0.1.0"}

`token` is present only when the server made up its own token (LAGEBILD_TOKEN unset); the file is
readable by its owner only, who can write the database file anyway. The file is removed when the
server stops; a file left by a crashed server is recognised by its dead pid.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path

from lagebild import __version__

SUFFIX = ".server.json"


@dataclass(slots=True, frozen=True)
class ServerInfo:
    """A running server as its endpoint file describes it."""

    pid: int
    host: str
    port: int
    url: str
    db: str
    token: str | None
    token_env: str
    started: str
    version: str


def endpoint_path(db_path: str | os.PathLike[str]) -> Path:
    """`lagebild.duckdb` → `lagebild.duckdb.server.json` (beside the database)."""
    db = Path(db_path)
    return db.with_name(db.name + SUFFIX)


def url_host(host: str) -> str:
    """The host part of a URL to reach a server listening on `host`."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    if ":" in host and not host.startswith("["):
        return f"[{host}]"
    return host


def write_endpoint(db_path: str | os.PathLike[str], host: str, port: int, token: str | None) -> ServerInfo:
    """Write the endpoint file atomically, readable by the owner only."""
    path = endpoint_path(db_path)
    info = ServerInfo(
        pid=os.getpid(), host=host, port=port, url=f"http://{url_host(host)}:{port}",
        db=str(Path(db_path).resolve()), token=token, token_env="LAGEBILD_TOKEN",
        started=datetime.now(timezone.utc).isoformat(timespec="seconds"), version=__version__,
    )
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(info), fh, indent=1)
        fh.write("\n")
    os.replace(tmp, path)
    return info


def read_endpoint(db_path: str | os.PathLike[str]) -> ServerInfo | None:
    """The endpoint file's content, or None when there is none or it is unreadable."""
    path = endpoint_path(db_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ServerInfo(**{f.name: data.get(f.name) for f in fields(ServerInfo)})
    except (OSError, ValueError, TypeError):
        return None


def remove_endpoint(db_path: str | os.PathLike[str], pid: int | None = None) -> None:
    """Remove the endpoint file if it belongs to `pid` (default: this process)."""
    info = read_endpoint(db_path)
    if info is not None and info.pid == (pid if pid is not None else os.getpid()):
        try:
            endpoint_path(db_path).unlink()
        except FileNotFoundError:
            pass


def pid_alive(pid: int) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return False
    return True
