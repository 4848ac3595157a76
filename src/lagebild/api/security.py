"""Tokens, request size limits and response headers.

The write token is compared in constant time. Writes accept it only in a header
(`Authorization: Bearer ...` or `X-Lagebild-Token`), never from a cookie, so a page on another site
cannot make a browser write. Protected reads also accept the `lagebild_token` cookie that
`/login?token=...` sets, so the dashboard works in a browser.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from lagebild.api.errors import AuthenticationError, error_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_HEADER = "x-lagebild-token"
TOKEN_COOKIE = "lagebild_token"

#: Content-Security-Policy of every response: nothing from other origins, no inline script.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def tokens_match(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a presented token with the expected one."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def presented_token(headers: Any, cookies: Any | None = None) -> str | None:
    """The token a request presents: bearer header, X-Lagebild-Token header, or (reads) the cookie."""
    auth = headers.get("authorization") or ""
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if headers.get(TOKEN_HEADER):
        return headers.get(TOKEN_HEADER).strip()
    if cookies is not None and cookies.get(TOKEN_COOKIE):
        return cookies.get(TOKEN_COOKIE)
    return None


def check_token(given: str | None, expected: str, *, what: str) -> None:
    """Raise AuthenticationError unless `given` is the expected token."""
    if not given:
        raise AuthenticationError(
            f"{what} needs the lagebild token: send 'Authorization: Bearer <token>' "
            "(the token is LAGEBILD_TOKEN, or the one in the endpoint file beside the database)"
        )
    if not tokens_match(given, expected):
        raise AuthenticationError(f"{what}: the token is wrong")


class BodyLimitMiddleware:
    """Refuse request bodies over `max_bytes` with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers") or ():
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > self.max_bytes:
                    await self._refuse(send, declared)
                    return
        seen = 0
        limit = self.max_bytes

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # FastAPI passes HTTPException through body parsing; the app's handler renders it
                    raise HTTPException(413, self._message())
            return message

        await self.app(scope, limited, send)

    def _message(self) -> str:
        return f"the request body is larger than {self.max_bytes} bytes"

    async def _refuse(self, send: Send, declared: int) -> None:
        message = self._message() if declared >= 0 else "the Content-Length header is not a number"
        status = 413 if declared >= 0 else 400
        body = json.dumps(error_body(status, "PayloadTooLargeError" if status == 413 else "BadRequest", message)).encode()
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]})
        await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """Add CSP, nosniff, frame and referrer headers to every HTTP response."""

    HEADERS = (
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers") or []) + list(self.HEADERS)
            await send(message)

        await self.app(scope, receive, with_headers)


__all__ = [
    "BodyLimitMiddleware",
    "CSP",
    "SecurityHeadersMiddleware",
    "TOKEN_COOKIE",
    "TOKEN_HEADER",
    "AuthenticationError",
    "check_token",
    "presented_token",
    "tokens_match",
]
