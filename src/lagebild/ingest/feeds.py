"""RSS and Atom feeds. The raw bytes are checked with defusedxml first: a feed that declares a DTD
or entities is refused before any parser could expand them (external entities, entity bombs).
Only then does feedparser read it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree as SafeET
import feedparser
import lxml.etree
import lxml.html

from lagebild.ingest.dates import find_dateline, parse_published
from lagebild.ingest.errors import IngestError, MalformedInputError, UnsafeXMLError, UnsupportedInputError
from lagebild.ingest.model import IngestedArticle, ReadFailure

_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")
_BLOCK = re.compile(r"(?i)<(?:br\s*/?|/p|/div|/li|/h[1-6]|/blockquote|/tr)>")


def check_xml(raw: bytes, source: str) -> bytes:
    """Raise unless `raw` is well-formed XML without DTD or entity declarations.

    Returns the bytes to parse: the same bytes, or re-encoded as UTF-8 when the declared encoding
    is one the XML parser does not know (windows-1252 feeds are common).
    """
    try:
        SafeET.fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        return raw
    except defusedxml.DTDForbidden as exc:
        raise UnsafeXMLError(
            source,
            "the XML declares a DTD (<!DOCTYPE ...>); lagebild refuses DTDs in feeds because they can define "
            "external entities or entity-expansion bombs",
        ) from exc
    except defusedxml.EntitiesForbidden as exc:
        raise UnsafeXMLError(source, f"the XML declares entities ({exc.name!r}); refused (entity expansion)") from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise UnsafeXMLError(source, "the XML refers to an external resource; refused") from exc
    except ParseError as exc:
        declared = _DECLARED_ENCODING.match(raw)
        if declared and "encoding" in str(exc).lower():
            name = declared.group(1).decode("ascii")
            try:
                text = raw.decode(name)
            except (LookupError, UnicodeDecodeError):
                raise MalformedInputError(source, f"not readable in its declared encoding {name!r}") from exc
            recoded = re.sub(r"^(\s*<\?xml[^>]*encoding=)[\"'][^\"']+[\"']", r'\1"utf-8"', text, count=1).encode(
                "utf-8"
            )
            return check_xml(recoded, source)
        raise MalformedInputError(source, f"not well-formed XML ({exc})") from exc


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed summary), paragraphs on their own lines."""
    if "<" not in html:
        return html.strip()
    marked = _BLOCK.sub(lambda m: m.group(0) + "\n", html)
    try:
        root = lxml.html.fragment_fromstring(marked, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return ""
    lines = [" ".join(line.split()) for line in root.text_content().split("\n")]
    return "\n".join(line for line in lines if line)


def read_feed(
    raw: bytes,
    source: str,
    *,
    follow: Callable[[str], IngestedArticle] | None = None,
    skip_url: Callable[[str], bool] | None = None,
    reference_year: int | None = None,
) -> Iterator[IngestedArticle | ReadFailure]:
    """Articles of a feed: one per entry, the summary (or content) as text.

    With `follow`, each entry's link is fetched and read as a page (`follow(url)`); the feed's
    entry date and title are used where the page has none. `skip_url(url)` says an entry's page is
    already stored, so it is not fetched again.
    """
    safe = check_xml(raw, source)
    parsed = feedparser.parse(safe)
    if not parsed.get("version"):
        if parsed.get("bozo"):
            raise MalformedInputError(source, f"not a readable feed ({parsed.get('bozo_exception')})")
        raise UnsupportedInputError(source, "XML, but not an RSS or Atom feed")
    outlet = (parsed.feed.get("title") or "").strip() or None
    for index, entry in enumerate(parsed.entries):
        link = entry.get("link")
        where = f"{source}#{entry.get('id') or link or index + 1}"
        published = parse_published(entry.get("published_parsed") or entry.get("updated_parsed"))
        try:
            if follow is not None and link:
                if skip_url is not None and skip_url(link):
                    continue
                article = follow(link)
                article.input = where
                article.title = article.title or (entry.get("title") or "").strip() or None
                article.outlet = article.outlet or outlet
                if published is not None:
                    article.set_published(published)
                yield article
                continue
            content = entry.get("content") or []
            body = content[0].get("value", "") if content else entry.get("summary", "")
            text = fragment_text(body or "")
            if not text:
                yield ReadFailure(
                    where, "the entry has no summary or content; pass --follow to fetch its page", "empty"
                )
                continue
            article = IngestedArticle(
                input=where,
                text=text,
                title=(entry.get("title") or "").strip() or None,
                url=link,
                outlet=outlet,
                lang=(entry.get("language") or parsed.feed.get("language") or None),
                source_id=entry.get("id"),
            )
            dateline = find_dateline(text, reference_year=reference_year)
            if dateline is not None:
                article.agency = dateline.agency
                if published is None:
                    published = dateline.published
            article.set_published(published)
            yield article
        except IngestError as exc:
            yield ReadFailure(where, exc.reason, exc.kind)
