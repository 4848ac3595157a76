"""From command-line inputs to articles: expand paths, URLs and `-`; pick a reader per input.

A file's format comes from its suffix, else from its first bytes; a URL's from its content type,
else from its first bytes. Formats: `text`, `html`, `json`, `jsonl`, `csv`, `tsv`, `feed`.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from lagebild.errors import ConfigError
from lagebild.ingest.errors import EmptyInputError, IngestError, TooLargeError, UnsupportedInputError
from lagebild.ingest.feeds import read_feed
from lagebild.ingest.fetch import Fetcher
from lagebild.ingest.model import IngestedArticle, ReadFailure
from lagebild.ingest.plaintext import read_text
from lagebild.ingest.tabular import FieldMap, read_csv, read_json, read_jsonl
from lagebild.ingest.webpage import read_html

FORMATS = ("text", "html", "json", "jsonl", "csv", "tsv", "feed")
SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
#: Files a directory walk passes over: lagebild's own databases and hidden files.
SKIPPED_SUFFIXES = (".duckdb", ".wal", ".duckdb.wal", ".parquet")
_STREAMED = ("jsonl", "csv", "tsv")
_DOCUMENTS = ("text", "html")


@dataclass(slots=True, frozen=True)
class Source:
    """One input: a file, a URL, or standard input (`-`)."""

    locator: str
    kind: str  # file | url | stdin
    path: Path | None = None


@dataclass(slots=True)
class ReadOptions:
    """How inputs are read.

    fmt                  force one format for every input (default: by suffix or content)
    field_map            field names of JSON/CSV records
    encoding             of text, JSON and CSV inputs
    max_document_bytes   limit for one article (a text or HTML file, one record, one fetched page)
    max_container_bytes  limit for a JSON array or a feed read as a whole
    follow               fetch each feed entry's page
    reference_year       year for datelines that give day and month only
    """

    fmt: str | None = None
    field_map: FieldMap = field(default_factory=FieldMap)
    encoding: str = "utf-8"
    max_document_bytes: int = 5_000_000
    max_container_bytes: int = 50_000_000
    follow: bool = False
    reference_year: int | None = None

    def __post_init__(self) -> None:
        if self.fmt is not None and self.fmt not in FORMATS:
            raise ConfigError(f"unknown format {self.fmt!r}; use one of {', '.join(FORMATS)}")


def expand(inputs: Sequence[str]) -> tuple[list[Source], list[ReadFailure]]:
    """Sources for the inputs, directories walked recursively in sorted order (hidden entries skipped)."""
    sources: list[Source] = []
    failures: list[ReadFailure] = []
    for item in inputs:
        if item == "-":
            sources.append(Source("-", "stdin"))
        elif item.lower().startswith(("http://", "https://")):
            sources.append(Source(item, "url"))
        else:
            path = Path(item)
            if path.is_dir():
                for root, dirs, files in os.walk(path):
                    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                    for name in sorted(files):
                        if name.startswith(".") or name.endswith(SKIPPED_SUFFIXES):
                            continue
                        full = Path(root) / name
                        sources.append(Source(str(full), "file", full))
            elif path.is_file():
                sources.append(Source(item, "file", path))
            elif path.exists():
                failures.append(ReadFailure(item, "not a regular file or directory", UnsupportedInputError.kind))
            else:
                failures.append(ReadFailure(item, "no such file or directory", "missing"))
    return sources, failures


def sniff(head: bytes) -> str:
    """A format guessed from the first bytes."""
    if b"\x00" in head[:8192]:
        return "binary"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lower = stripped[:4096].lower()
    if stripped.startswith(b"<"):
        if b"<rss" in lower or b"<feed" in lower or b"<rdf:rdf" in lower:
            return "feed"
        if lower.startswith(b"<?xml") and b"<html" not in lower:
            return "feed"
        return "html"
    if stripped.startswith(b"["):
        return "json"
    if stripped.startswith(b"{"):
        first = stripped.split(b"\n", 1)
        try:
            json.loads(first[0])
        except ValueError:
            return "json"
        return "jsonl" if len(first) > 1 and first[1].strip() else "json"
    return "text"


def _format_of_content_type(content_type: str, head: bytes) -> str:
    if "html" in content_type:
        return "html"
    if any(k in content_type for k in ("rss", "atom", "xml")):
        return "html" if b"<html" in head[:4096].lower() else "feed"
    if "json" in content_type:
        return sniff(head) if sniff(head) in ("json", "jsonl") else "json"
    if content_type == "text/csv":
        return "csv"
    if content_type == "text/plain":
        return "text"
    return sniff(head)


class SourceReader:
    """Reads sources into articles (or failures), with one fetcher for every URL."""

    def __init__(
        self,
        options: ReadOptions | None = None,
        *,
        fetcher: Fetcher | None = None,
        stdin: BinaryIO | None = None,
        skip_url: Callable[[str], bool] | None = None,
    ) -> None:
        self.options = options or ReadOptions()
        self._fetcher = fetcher
        self._stdin = stdin
        self._skip_url = skip_url

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(max_bytes=max(self.options.max_document_bytes, 10_000_000))
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    def read(self, source: Source) -> Iterator[IngestedArticle | ReadFailure]:
        """Articles of one source; every problem comes back as a ReadFailure, never raised."""
        try:
            if source.kind == "file":
                yield from self._read_file(source)
            elif source.kind == "url":
                fetched = self.fetcher.get(source.locator)
                fmt = self.options.fmt or _format_of_content_type(fetched.content_type, fetched.content[:8192])
                yield from self._read_bytes(fetched.content, source.locator, fmt, url=fetched.url)
            else:
                stream = self._stdin
                if stream is None:
                    raise UnsupportedInputError("-", "standard input is not available here")
                raw = stream.read(self.options.max_container_bytes + 1)
                if len(raw) > self.options.max_container_bytes:
                    raise TooLargeError("-", f"standard input is over {self.options.max_container_bytes / 1e6:.0f} MB")
                yield from self._read_bytes(raw, "-", self.options.fmt or sniff(raw[:8192]))
        except IngestError as exc:
            yield ReadFailure(source.locator, exc.reason, exc.kind)
        except OSError as exc:
            yield ReadFailure(source.locator, f"cannot read: {exc.strerror or exc}", "os")

    def _read_file(self, source: Source) -> Iterator[IngestedArticle | ReadFailure]:
        path = source.path
        assert path is not None
        size = path.stat().st_size
        if size == 0:
            raise EmptyInputError(source.locator, "empty file")
        with path.open("rb") as fh:
            head = fh.read(8192)
            fmt = self.options.fmt or SUFFIXES.get(path.suffix.lower()) or sniff(head)
            if fmt == "binary":
                raise UnsupportedInputError(
                    source.locator,
                    "binary data (NUL bytes); lagebild reads UTF-8 text, HTML, JSON, JSON lines, CSV and RSS/Atom",
                )
            limit = self.options.max_container_bytes if fmt not in _DOCUMENTS else self.options.max_document_bytes
            if fmt not in _STREAMED and size > limit:
                raise TooLargeError(
                    source.locator,
                    f"the file is {size / 1e6:.1f} MB, over the limit of {limit / 1e6:.1f} MB for one "
                    f"{'document' if fmt in _DOCUMENTS else 'file'} (raise it with --max-mb)",
                )
            fh.seek(0)
            if fmt in _STREAMED:
                yield from self._read_stream(fh, source.locator, fmt)
            else:
                yield from self._read_bytes(fh.read(limit + 1), source.locator, fmt)

    def _read_stream(self, fh: BinaryIO, locator: str, fmt: str) -> Iterator[IngestedArticle | ReadFailure]:
        o = self.options
        if fmt == "jsonl":
            yield from read_jsonl(
                fh,
                locator,
                o.field_map,
                max_bytes=o.max_document_bytes,
                encoding=o.encoding,
                reference_year=o.reference_year,
            )
        else:
            yield from read_csv(
                fh,
                locator,
                o.field_map,
                max_bytes=o.max_document_bytes,
                encoding=o.encoding,
                delimiter="\t" if fmt == "tsv" else ",",
                reference_year=o.reference_year,
            )

    def _read_bytes(
        self, raw: bytes, locator: str, fmt: str, *, url: str | None = None
    ) -> Iterator[IngestedArticle | ReadFailure]:
        o = self.options
        if fmt == "binary":
            raise UnsupportedInputError(locator, "binary data (NUL bytes)")
        if fmt in _DOCUMENTS and len(raw) > o.max_document_bytes:
            raise TooLargeError(locator, f"over the limit of {o.max_document_bytes / 1e6:.1f} MB for one document")
        if fmt == "text":
            article = read_text(raw, locator, encoding=o.encoding, reference_year=o.reference_year)
            article.url = article.url or url
            yield article
        elif fmt == "html":
            yield read_html(raw, locator, url=url, reference_year=o.reference_year)
        elif fmt == "json":
            yield from read_json(
                raw,
                locator,
                o.field_map,
                max_bytes=o.max_document_bytes,
                encoding=o.encoding,
                reference_year=o.reference_year,
            )
        elif fmt in _STREAMED:
            yield from self._read_stream(io.BytesIO(raw), locator, fmt)
        elif fmt == "feed":
            yield from read_feed(
                raw,
                locator,
                follow=self._follow if o.follow else None,
                skip_url=self._skip_url,
                reference_year=o.reference_year,
            )
        else:
            raise UnsupportedInputError(locator, f"unknown format {fmt!r}")

    def _follow(self, link: str) -> IngestedArticle:
        fetched = self.fetcher.get(link)
        return read_html(fetched.content, link, url=fetched.url, reference_year=self.options.reference_year)
