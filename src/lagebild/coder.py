"""The public coding functions: `code(text, ...)` and `code_many(articles)`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from lagebild.errors import InputError, UnsupportedLanguageError
from lagebild.langid import detect_language
from lagebild.lexicons.loader import load_language, supported_languages
from lagebild.model import Article, Doc
from lagebild.pipeline import build_pipeline
from lagebild.pipeline.base import Pipeline
from lagebild.pipeline.times import parse_published


CHUNK_CHARS = 50_000  # long texts are coded in paragraph-aligned chunks so memory stays flat


def chunk_bounds(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Paragraph-aligned (start, end) pieces of at most about `size` characters."""
    bounds: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n\n", start + size // 2, end)
            if cut == -1:
                cut = text.rfind(". ", start + size // 2, end)
                cut = cut + 1 if cut != -1 else text.rfind(" ", start + size // 2, end)
            end = cut if cut > start else end
        bounds.append((start, end))
        start = end
    return bounds


class Coder:
    """Holds one pipeline per language, built on first use; reuse it across many articles."""

    def __init__(self, components: tuple[str, ...] | None = None) -> None:
        self.components = components
        self._pipelines: dict[str, Pipeline] = {}

    def pipeline(self, lang: str) -> Pipeline:
        if lang not in self._pipelines:
            self._pipelines[lang] = build_pipeline(load_language(lang), self.components)
        return self._pipelines[lang]

    def language_of(self, article: Article) -> str:
        supported = supported_languages()
        if article.lang:
            if article.lang not in supported:
                raise UnsupportedLanguageError(article.doc_id, article.lang, supported)
            return article.lang
        detected = detect_language(article.text)
        if detected is None:  # too little text to tell: German, the language lagebild is built around
            return "de" if "de" in supported else supported[0]
        if detected not in supported:
            raise UnsupportedLanguageError(article.doc_id, detected, supported)
        return detected

    def code_article(self, article: Article) -> Doc:
        if not isinstance(article.text, str):
            raise InputError(article.doc_id, "text must be a string")
        if article.published and parse_published(article.published) is None:
            raise InputError(article.doc_id, f"publication date {article.published!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
        if not article.text.strip():
            doc = Doc(article=article, lang=article.lang or "und", text=article.text, published=parse_published(article.published))
            doc.notes.append("empty text: nothing to code")
            return doc
        lang = self.language_of(article)
        published = parse_published(article.published)
        if len(article.text) <= CHUNK_CHARS * 1.5:
            return self.pipeline(lang)(Doc(article=article, lang=lang, text=article.text, published=published))
        return self._code_long(article, lang, published)

    def _code_long(self, article: Article, lang: str, published) -> Doc:
        """Code a long text chunk by chunk; annotations are shifted into the whole text, tokens dropped."""
        merged = Doc(article=article, lang=lang, text=article.text, published=published)
        n_tokens = 0
        for start, end in chunk_bounds(article.text):
            part = self.pipeline(lang)(Doc(article=article, lang=lang, text=article.text[start:end], published=published))
            shift_doc(part, start, len(merged.sentences))
            n_tokens += len(part.tokens)
            merged.sentences.extend(part.sentences)
            merged.mentions.extend(part.mentions)
            merged.times.extend(part.times)
            merged.quotes.extend(part.quotes)
            merged.places.extend(part.places)
            merged.events.extend(part.events)
        for prefix, items in (("m", merged.mentions), ("t", merged.times), ("q", merged.quotes), ("p", merged.places), ("e", merged.events)):
            for n, item in enumerate(items, start=1):
                item.id = f"{article.doc_id}#{prefix}{n}"
        merged.notes.append(f"long text ({len(article.text):,} characters, {n_tokens:,} tokens) coded in {len(chunk_bounds(article.text))} chunks")
        return merged

    def code_many(self, articles: Iterable[Article]) -> Iterator[Doc]:
        """Code articles in order, reusing the pipelines (the batch counterpart of `code`)."""
        for article in articles:
            yield self.code_article(article)


def shift_doc(doc: Doc, offset: int, sentence_offset: int) -> None:
    """Move every annotation of a chunk's Doc by `offset` characters and `sentence_offset` sentences."""
    seen: set[int] = set()

    def move(item) -> None:
        if item is None or id(item) in seen:
            return
        seen.add(id(item))
        item.start += offset
        item.end += offset
        item.sentence += sentence_offset
        if getattr(item, "antecedent_span", None):
            item.antecedent_span = (item.antecedent_span[0] + offset, item.antecedent_span[1] + offset)

    for sentence in doc.sentences:
        sentence.start += offset
        sentence.end += offset
        sentence.index += sentence_offset
    for group in (doc.mentions, doc.times, doc.quotes, doc.places):
        for item in group:
            move(item)
    for quote in doc.quotes:
        move(quote.speaker)
        move(quote.via)
    for event in doc.events:
        move(event.source)
        move(event.target)
        move(event.place)
        move(event.speaker)
        event.trigger_start += offset
        event.trigger_end += offset
        event.sentence += sentence_offset
    doc.tokens = []


@lru_cache(maxsize=1)
def default_coder() -> Coder:
    """The process-wide coder behind `code` and `code_many`."""
    return Coder()


def code(text: str, *, published: str | None = None, lang: str | None = None, doc_id: str = "doc", title: str | None = None) -> Doc:
    """Code one article's text; `published` is 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'."""
    return default_coder().code_article(Article(doc_id=doc_id, text=text, title=title, published=published, lang=lang))


def code_many(articles: Iterable[Article]) -> Iterator[Doc]:
    return default_coder().code_many(articles)
