"""What readers produce: an article as found in the input, before it is coded and stored."""

from __future__ import annotations

from dataclasses import dataclass, field

from lagebild.store.identity import content_hash


@dataclass(slots=True, frozen=True)
class Published:
    """A publication date at the precision its evidence gives, and where it came from.

    value      ISO 8601: `2025-03-12T09:30:00+01:00`, `2025-03-12`, `2025-03` or `2025`
    precision  `datetime`, `day`, `month` or `year`
    basis      `metadata` (HTML meta, feed, JSON/CSV field), `dateline` (the text's dateline) or
               `forced` (the --date option)
    """

    value: str
    precision: str
    basis: str

    @property
    def for_coder(self) -> str:
        """The value the coder takes (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`)."""
        return self.value[:10] if self.precision == "datetime" else self.value


@dataclass(slots=True)
class IngestedArticle:
    """One article read from an input. `input` says where: a path, `path:line`, a URL, `feed#entry`."""

    input: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    agency: str | None = None
    published: str | None = None
    published_precision: str | None = None
    published_basis: str | None = None
    lang: str | None = None
    source_id: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def article_id(self) -> str:
        """Content hash of the normalised text (see `lagebild.store.identity`)."""
        return content_hash(self.text)

    def set_published(self, published: Published | None) -> None:
        if published is None:
            self.published = self.published_precision = self.published_basis = None
        else:
            self.published = published.value
            self.published_precision = published.precision
            self.published_basis = published.basis

    @property
    def published_for_coder(self) -> str | None:
        if not self.published:
            return None
        return self.published[:10] if self.published_precision == "datetime" else self.published

    def to_article(self):
        """The pipeline's `lagebild.model.Article` for this text (doc_id = the content hash)."""
        from lagebild.model import Article

        return Article(
            doc_id=self.article_id,
            text=self.text,
            title=self.title,
            url=self.url,
            outlet=self.outlet,
            published=self.published_for_coder,
            lang=self.lang,
        )


@dataclass(slots=True, frozen=True)
class ReadFailure:
    """An input (or one record of it) that could not be read, and why."""

    input: str
    reason: str
    kind: str = "input"
