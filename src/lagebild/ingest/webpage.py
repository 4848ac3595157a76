"""HTML pages: main text, title, date and outlet via trafilatura."""

from __future__ import annotations

import trafilatura

from lagebild.ingest.dates import find_dateline, parse_published
from lagebild.ingest.errors import EmptyInputError
from lagebild.ingest.model import IngestedArticle

# Dates only from the page's markup (meta tags, time elements, URL), not guessed from any date in
# the text: a wrong publication date silently shifts every event dated relative to it.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def read_html(
    raw: bytes | str, source: str, *, url: str | None = None, reference_year: int | None = None
) -> IngestedArticle:
    """An article from an HTML page. The outlet is the page's `og:site_name` (or what trafilatura
    finds in its place); the publication date comes from the markup, else from a dateline."""
    doc = trafilatura.bare_extraction(
        raw,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params=_DATE_PARAMS,
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise EmptyInputError(
            source,
            "no main text found in the HTML (trafilatura extracted nothing); if the page needs JavaScript "
            "or sits behind a login, save the rendered page or its text instead",
        )
    title = (doc.title or "").strip() or None
    if title:
        first, _, rest = text.partition("\n")
        if first.strip() == title and rest.strip():
            text = rest.strip()  # trafilatura keeps the <h1> headline as the first line
    article = IngestedArticle(
        input=source,
        text=text,
        title=title,
        url=doc.url or url,
        outlet=(doc.sitename or "").strip() or None,
        lang=(doc.language or None),
    )
    published = parse_published(doc.date) if doc.date else None
    dateline = find_dateline(text, reference_year=reference_year)
    if dateline is not None:
        article.agency = dateline.agency
        if published is None:
            published = dateline.published
            if dateline.note:
                article.notes.append(dateline.note)
    article.set_published(published)
    return article
