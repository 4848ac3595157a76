"""Errors of the HTTP layer, and how every error becomes a JSON body.

    LagebildError
     └── ApiError                    a request cannot be served (status in `status`)
          ├── AuthenticationError    401: no token, or the wrong one
          ├── PayloadTooLargeError   413: the request body is over the limit
          ├── IngestRefusedError     422: an article was read but could not be coded or stored
          └── ServerUnavailableError 503: (client side) the server named in the endpoint file does not answer

Every error reaches the client as `{"status": 404, "error": "NotFoundError", "message": "..."}`.
"""

from __future__ import annotations

from lagebild.errors import LagebildError


class ApiError(LagebildError):
    """A request cannot be served; `status` is the HTTP status."""

    status = 400


class AuthenticationError(ApiError):
    """The request carries no token, or a wrong one."""

    status = 401


class PayloadTooLargeError(ApiError):
    """The request body is larger than the server accepts."""

    status = 413


class IngestRefusedError(ApiError):
    """An article was received but could not be coded or stored; the message says why."""

    status = 422


class ServerUnavailableError(ApiError):
    """The lagebild server that holds the database does not answer."""

    status = 503


def error_body(status: int, error: str, message: str) -> dict[str, object]:
    """The JSON body of every error response."""
    return {"status": status, "error": error, "message": message}
