"""The FastAPI application: JSON API under /api, dashboard pages at /, static files at /static.

    from lagebild.api import ServerSettings, create_app
    app = create_app(ServerSettings(db="lagebild.duckdb"))

The database is opened when the app starts (lifespan) and closed when it stops. Errors of
lagebild's hierarchy carry their HTTP status; every error under /api is a JSON body
`{"status", "error", "message"}`, and a page under / shows the same in HTML.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from lagebild import __version__
from lagebild.api.discovery import remove_endpoint, write_endpoint
from lagebild.api.errors import error_body
from lagebild.api.routes import router, write_router
from lagebild.api.security import BodyLimitMiddleware, SecurityHeadersMiddleware
from lagebild.api.settings import ServerSettings
from lagebild.api.state import ServerState, open_state
from lagebild.errors import LagebildError

log = logging.getLogger("lagebild.api")

_REASONS = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
            413: "PayloadTooLargeError", 422: "ValidationError", 500: "InternalError"}

DESCRIPTION = """Political event data (CAMEO, PLOVER) coded from German and English news, with the
evidence behind every event: the sentence, the trigger and actor spans, the rule, the quotes.

Reads are open on a loopback address and need the token elsewhere (or with LAGEBILD_PROTECT_READS=1).
`POST /api/articles` always needs the token: `Authorization: Bearer <LAGEBILD_TOKEN>`.
Every error is `{"status", "error", "message"}`. Lists are pages: `limit`, `offset`, `total`, `items`."""


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{loc or 'request'}: {err.get('msg')}")
    return "; ".join(parts) or "invalid request"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_response(request: Request, status: int, error: str, message: str, headers: dict[str, str] | None = None) -> Response:
    """JSON under /api, an HTML page elsewhere."""
    if not _is_api(request):
        from lagebild.web.pages import render_error

        return render_error(request, status, error, message)
    return JSONResponse(error_body(status, error, message), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """One handler for lagebild's hierarchy (status from the class), plus HTTP and validation errors."""

    @app.exception_handler(LagebildError)
    async def lagebild_error(request: Request, exc: LagebildError) -> Response:
        status = int(getattr(exc, "status", 500) or 500)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        if status >= 500:
            log.error("%s: %s", type(exc).__name__, exc)
        return error_response(request, status, type(exc).__name__, str(exc), headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"there is no {request.url.path}; see /api/docs for the endpoints"
        return error_response(request, exc.status_code, _REASONS.get(exc.status_code, "HTTPError"), message,
                              dict(exc.headers) if exc.headers else None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        status = 422 if request.method in ("POST", "PUT", "PATCH") else 400
        return error_response(request, status, "ValidationError", _validation_message(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error serving %s", request.url.path)
        return error_response(request, 500, "InternalError", f"the server failed: {type(exc).__name__}")


def create_app(
    settings: ServerSettings | None = None,
    *,
    coder: Callable[..., Any] | None = None,
    state: ServerState | None = None,
) -> FastAPI:
    """The ASGI app over `settings.db`.

    `coder` overrides the coder of POST /api/articles. `state` is an already opened database (as
    `lagebild serve` does, to report a locked file before the server starts); the app closes it
    when it stops.
    """
    settings = state.settings if state is not None else (settings or ServerSettings.from_env())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        nonlocal state
        if state is None:
            state = open_state(settings, coder)
        app.state.lagebild = state
        if settings.endpoint_file:
            write_endpoint(settings.db, settings.host, settings.port, state.token if state.token_generated else None)
        try:
            yield
        finally:
            if settings.endpoint_file:
                remove_endpoint(settings.db)
            state.close()
            state = None

    app = FastAPI(
        title="lagebild",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # the stock docs pages load scripts from a CDN; /api/docs is served from here
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    install_error_handlers(app)
    app.include_router(router)
    app.include_router(write_router)

    from lagebild.web.pages import STATIC_DIR, router as pages_router

    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    return app
