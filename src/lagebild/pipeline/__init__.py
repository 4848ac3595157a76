"""The coding pipeline: named components run in order over one `Doc` per article."""

from __future__ import annotations

from lagebild.lexicons.loader import LanguageData
from lagebild.pipeline.actors import ActorRecognizer
from lagebild.pipeline.base import Component, Pipeline
from lagebild.pipeline.clauses import ClauseSplitter
from lagebild.pipeline.coref import CorefResolver
from lagebild.pipeline.events import EventCoder
from lagebild.pipeline.places import PlaceTagger
from lagebild.pipeline.quotes import QuoteAttributor
from lagebild.pipeline.segment import Segmenter
from lagebild.pipeline.times import TimeTagger
from lagebild.pipeline.tokenize import Tokenizer

#: the default components, in the order an article passes them
DEFAULT_COMPONENTS = (
    ("segment", Segmenter),
    ("tokenize", Tokenizer),
    ("clauses", ClauseSplitter),
    ("actors", ActorRecognizer),
    ("places", PlaceTagger),
    ("coref", CorefResolver),
    ("times", TimeTagger),
    ("quotes", QuoteAttributor),
    ("events", EventCoder),
)


def build_pipeline(lang: LanguageData, components: tuple[str, ...] | None = None) -> Pipeline:
    """The pipeline for a language; `components` names a prefix or subset of the defaults, in order."""
    names = components or tuple(name for name, _ in DEFAULT_COMPONENTS)
    factories = dict(DEFAULT_COMPONENTS)
    unknown = [n for n in names if n not in factories]
    if unknown:
        from lagebild.errors import ConfigError

        raise ConfigError(f"unknown pipeline components {unknown}; known: {list(factories)}")
    return Pipeline(lang, [factories[name](lang) for name in names])


__all__ = ["Component", "Pipeline", "build_pipeline", "DEFAULT_COMPONENTS"]
