"""Fetching pages and feeds over HTTP: timeouts, a size cap, an honest user agent.

httpx errors are translated into `FetchError` here, at the boundary. Tests pass an
`httpx.MockTransport` instead of touching the network.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from importlib import metadata

import httpx

from lagebild.ingest.errors import FetchError, TooLargeError

PROJECT_URL = "https://github.com/lagebild/lagebild"


def user_agent() -> str:
    """`lagebild/<version> (+https://github.com/lagebild/lagebild)`."""
    try:
        version = metadata.version("lagebild")
    except metadata.PackageNotFoundError:
        try:
            import lagebild

            version = getattr(lagebild, "__version__", "0")
        except ImportError:
            version = "0"
    return f"lagebild/{version} (+{PROJECT_URL})"


@dataclass(slots=True, frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    content: bytes


class Fetcher:
    """GET with a connect/read timeout, an overall deadline and a cap on the body size."""

    def __init__(
        self,
        *,
        timeout: float = 15.0,
        deadline: float = 60.0,
        max_bytes: int = 10_000_000,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self.deadline = deadline
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True,
            max_redirects=5,
            headers={
                "User-Agent": user_agent(),
                "Accept": "text/html, application/xhtml+xml, application/rss+xml, "
                "application/atom+xml, application/xml;q=0.9, text/plain;q=0.8, */*;q=0.5",
            },
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str) -> Fetched:
        if not url.lower().startswith(("http://", "https://")):
            raise FetchError(url, "only http and https URLs are fetched")
        started = time.monotonic()
        try:
            with self._client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}".strip())
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise TooLargeError(
                        url,
                        f"the response is {int(declared) / 1e6:.1f} MB, over the limit of "
                        f"{self.max_bytes / 1e6:.1f} MB",
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise TooLargeError(url, f"the response is over the limit of {self.max_bytes / 1e6:.1f} MB")
                    if time.monotonic() - started > self.deadline:
                        raise FetchError(url, f"the download took longer than {self.deadline:.0f} s")
                    chunks.append(chunk)
                content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                return Fetched(str(response.url), content_type, b"".join(chunks))
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out ({type(exc).__name__})") from exc
        except httpx.TooManyRedirects as exc:
            raise FetchError(url, "too many redirects") from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc}") from exc
