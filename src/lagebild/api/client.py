"""Talk to a running `lagebild serve` from another process (what `lagebild ingest` needs).

    from lagebild.api.client import post_articles, running_server
    info = running_server("lagebild.duckdb")      # None: no server; open the file directly
    if info is not None:
        outcomes = post_articles(info, articles)  # IngestedArticle objects or dicts

The token comes from `token=`, else LAGEBILD_TOKEN, else the endpoint file (a server that made up
its own token writes it there, readable by the owner only).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import httpx

from lagebild.api.discovery import ServerInfo, pid_alive, read_endpoint
from lagebild.api.errors import ApiError, AuthenticationError, ServerUnavailableError
from lagebild.errors import LagebildError

__all__ = ["ServerInfo", "post_articles", "running_server"]

_FIELDS = ("text", "title", "url", "published", "outlet", "lang", "agency", "input")
BATCH = 20


def running_server(db_path: str | os.PathLike[str], *, timeout: float = 2.0) -> ServerInfo | None:
    """The server that holds `db_path`, if one is running and answers; else None.

    A stale endpoint file (dead pid, or a server that does not answer for this database) gives None.
    """
    info = read_endpoint(db_path)
    if info is None or not pid_alive(info.pid):
        return None
    try:
        response = httpx.get(f"{info.url}/api/health", timeout=timeout, headers=_auth(info, None), trust_env=False)
    except httpx.HTTPError:
        return None
    if response.status_code != 200:
        return None
    try:
        served = response.json().get("db")
    except ValueError:
        return None
    if served and Path(served).resolve() != Path(info.db).resolve():
        return None
    return info


def _token(info: ServerInfo, token: str | None) -> str | None:
    return token or os.environ.get(info.token_env or "LAGEBILD_TOKEN") or info.token


def _auth(info: ServerInfo, token: str | None) -> dict[str, str]:
    value = _token(info, token)
    return {"Authorization": f"Bearer {value}"} if value else {}


def _payload(article: Any) -> dict[str, Any]:
    get = article.get if isinstance(article, Mapping) else (lambda k: getattr(article, k, None))
    published = get("published")
    if published is not None and not isinstance(published, str):
        published = str(published)
    out = {k: get(k) for k in _FIELDS if k != "published"}
    out["published"] = published
    return {k: v for k, v in out.items() if v is not None}


def post_articles(
    server_info: ServerInfo,
    articles: Iterable[Any],
    *,
    token: str | None = None,
    batch: int = BATCH,
    timeout: float = 300.0,
    on_result: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """POST articles to the server in batches; returns one outcome per article, in order.

    Each outcome is `{"article_id", "status": "stored"|"skipped"|"failed", "reason", "duplicate_of",
    "mentions", "events"}`. `on_result` is called after each outcome (for a progress bar).
    Raises `AuthenticationError` for a missing or wrong token, `ServerUnavailableError` when the
    server cannot be reached, `ApiError` for another refusal.
    """
    headers = _auth(server_info, token)
    results: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    with httpx.Client(base_url=server_info.url, timeout=timeout, headers=headers, trust_env=False) as client:

        def flush() -> None:
            if not pending:
                return
            try:
                response = client.post("/api/articles", json={"articles": pending})
            except httpx.HTTPError as exc:
                raise ServerUnavailableError(
                    f"the lagebild server at {server_info.url} (pid {server_info.pid}) did not answer: {exc}"
                ) from exc
            outcomes = _outcomes(response, server_info)
            for outcome in outcomes:
                results.append(outcome)
                if on_result is not None:
                    on_result(outcome)
            pending.clear()

        for article in articles:
            pending.append(_payload(article))
            if len(pending) >= batch:
                flush()
        flush()
    return results


def _outcomes(response: httpx.Response, info: ServerInfo) -> list[dict[str, Any]]:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code == 200 and isinstance(body, dict) and "results" in body:
        return list(body["results"])
    message = body.get("message") if isinstance(body, dict) else None
    message = message or response.text[:300]
    if response.status_code in (401, 403):
        raise AuthenticationError(
            f"the lagebild server at {info.url} refused the token ({message}); set LAGEBILD_TOKEN to the server's token"
        )
    error: type[LagebildError] = ApiError
    exc = error(f"the lagebild server at {info.url} answered {response.status_code}: {message}")
    exc.status = response.status_code
    raise exc
