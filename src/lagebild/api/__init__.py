"""lagebild's HTTP API and dashboard (FastAPI).

    from lagebild.api import ServerSettings, create_app
    app = create_app(ServerSettings(db="lagebild.duckdb"))   # run with uvicorn, or `lagebild serve`

`lagebild.api.client` lets another process (the `ingest` command) hand articles to a running
server; it does not import FastAPI, so importing it stays cheap.
"""

from __future__ import annotations

from typing import Any

from lagebild.api.errors import (
    ApiError,
    AuthenticationError,
    IngestRefusedError,
    PayloadTooLargeError,
    ServerUnavailableError,
)

__all__ = [
    "ApiError",
    "AuthenticationError",
    "IngestRefusedError",
    "PayloadTooLargeError",
    "ServerSettings",
    "ServerUnavailableError",
    "create_app",
]


def __getattr__(name: str) -> Any:
    # FastAPI, pydantic and the store load only when the app is wanted
    if name == "create_app":
        from lagebild.api.app import create_app

        return create_app
    if name == "ServerSettings":
        from lagebild.api.settings import ServerSettings

        return ServerSettings
    raise AttributeError(f"module 'lagebild.api' has no attribute {name!r}")
