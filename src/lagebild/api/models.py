"""Request and response bodies of the JSON API (pydantic: this is the HTTP edge)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from lagebild.errors import ConfigError

MAX_TEXT_CHARS = 1_000_000
MAX_BATCH = 100


class ArticleIn(BaseModel):
    """An article to code and store. Only `text` is required."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description="The article text (plain text).")
    title: str | None = Field(None, max_length=2_000)
    url: str | None = Field(None, max_length=4_000)
    published: str | None = Field(
        None, max_length=64, description="Publication date: YYYY-MM-DD, YYYY-MM, YYYY, ISO 8601 or RFC 2822."
    )
    outlet: str | None = Field(None, max_length=500)
    lang: str | None = Field(None, max_length=16, description="de or en; default: detected.")
    agency: str | None = Field(None, max_length=200)
    input: str | None = Field(None, max_length=4_000, description="Where the article came from (a path, a URL).")

    def to_ingested(self) -> Any:
        """The ingest layer's `IngestedArticle`; the publication date parsed, else read from a dateline."""
        from lagebild.ingest import IngestedArticle, find_dateline, parse_published

        if not self.text.strip():
            raise ConfigError("the article text is empty")
        article = IngestedArticle(
            input=self.input or self.url or f"api:{(self.title or self.text)[:60]}",
            text=self.text, title=self.title, url=self.url, outlet=self.outlet, agency=self.agency, lang=self.lang,
        )
        if self.published:
            published = parse_published(self.published, basis="metadata")
            if published is None:
                raise ConfigError(f"published: not a date: {self.published!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
            article.set_published(published)
        else:
            dateline = find_dateline(self.text)
            if dateline is not None:
                article.set_published(dateline.published)
                article.agency = article.agency or dateline.agency
        return article


class ArticleBatch(BaseModel):
    """Several articles in one request (at most 100), ingested in order."""

    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_BATCH)


class IngestOutcome(BaseModel):
    """What happened to one POSTed article."""

    article_id: str = Field(description="Content hash of the normalised text.")
    status: Literal["stored", "skipped", "failed"]
    reason: str | None = Field(None, description="Why it was skipped or failed.")
    duplicate_of: str | None = Field(None, description="The earlier article it nearly repeats.")
    mentions: int = 0
    events: list[str] = Field(default_factory=list, description="Ids of the aggregated events it touched.")


class BatchOutcome(BaseModel):
    results: list[IngestOutcome]
    stored: int
    skipped: int
    failed: int


class ErrorBody(BaseModel):
    """The body of every error response."""

    status: int
    error: str = Field(description="The error class, e.g. NotFoundError.")
    message: str = Field(description="What went wrong and what to do.")


class Page(BaseModel):
    """A page of rows: `items` from `offset`, `total` rows match."""

    model_config = ConfigDict(extra="allow")

    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


class Evidence(BaseModel):
    """An event and every mention behind it: sentence, highlights (offsets within the sentence),
    rule, quotes, the governing time expression and the article."""

    event: dict[str, Any]
    mentions: list[dict[str, Any]]


class Timeline(BaseModel):
    """Events of a dyad per period: counts per quad class, mentions and mean Goldstein."""

    a: str
    b: str
    freq: Literal["day", "week", "month", "year"]
    directed: bool
    points: list[dict[str, Any]]


class ActorDetail(BaseModel):
    actor: str
    events: int
    names: list[dict[str, Any]]
    partners: list[dict[str, Any]]


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    db: str
    counts: dict[str, int]
    reads_protected: bool
