"""Settings of the HTTP server, validated once at the edge (pydantic).

Every field can come from the command line (`lagebild serve --help`) or the environment:

    db              LAGEBILD_DB            the event database (DuckDB file)
    host            -                      address to listen on (default 127.0.0.1)
    port            -                      port to listen on (default 8000)
    token           LAGEBILD_TOKEN         the write token; unset: a random token per run, kept in
                                           the endpoint file beside the database (mode 0600)
    protect_reads   LAGEBILD_PROTECT_READS reads need the token too; default: only when the host
                                           is not a loopback address
    max_body_bytes  LAGEBILD_MAX_BODY      largest request body accepted (default 2 MB)
    readers         LAGEBILD_READERS       read connections to the database (default 8)
    cache_entries   LAGEBILD_CACHE_ENTRIES aggregate results kept until the next write (default 1024;
                                           0 turns the cache off)
    coder           LAGEBILD_CODER         coder as module:function for POST /api/articles
    endpoint_file   -                      write `<db>.server.json` so `lagebild ingest` finds the server
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from lagebild.errors import ConfigError

_ENV = {
    "db": "LAGEBILD_DB",
    "token": "LAGEBILD_TOKEN",
    "protect_reads": "LAGEBILD_PROTECT_READS",
    "max_body_bytes": "LAGEBILD_MAX_BODY",
    "readers": "LAGEBILD_READERS",
    "cache_entries": "LAGEBILD_CACHE_ENTRIES",
    "coder": "LAGEBILD_CODER",
}


def is_loopback(host: str) -> bool:
    """True for `localhost` and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class ServerSettings(BaseModel):
    """Settings of `lagebild serve` and `lagebild.api.create_app` (see the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    db: Path = Path("lagebild.duckdb")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    token: SecretStr | None = None
    protect_reads: bool | None = None
    max_body_bytes: int = Field(2_000_000, ge=1_000, le=100_000_000)
    readers: int = Field(8, ge=1, le=64)
    cache_entries: int = Field(1024, ge=0, le=1_000_000)
    coder: str | None = None
    endpoint_file: bool = True

    @property
    def reads_protected(self) -> bool:
        if self.protect_reads is not None:
            return self.protect_reads
        return not is_loopback(self.host)

    @classmethod
    def from_env(cls, **given: object) -> ServerSettings:
        """Settings from keyword arguments (None means not given), then the environment, then defaults."""
        values: dict[str, object] = {}
        for name, env in _ENV.items():
            raw = os.environ.get(env)
            if raw not in (None, ""):
                values[name] = raw
        values.update({k: v for k, v in given.items() if v is not None})
        try:
            return cls(**values)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)
            )
            raise ConfigError(f"invalid server settings: {problems}") from exc
