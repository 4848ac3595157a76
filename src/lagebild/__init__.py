"""lagebild: political event data from German and English news.

    import lagebild
    doc = lagebild.code(text, published="2024-06-20")
    for event in doc.to_records()["events"]:
        print(event["code"], event["source"]["code"], event["target"] and event["target"]["code"])
"""

from __future__ import annotations

from lagebild.coder import Coder, code, code_many
from lagebild.errors import (
    ConfigError,
    EvaluationError,
    InputError,
    LagebildError,
    LexiconError,
    UnsupportedLanguageError,
)
from lagebild.model import Article, Doc, Event

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Coder",
    "ConfigError",
    "Doc",
    "EvaluationError",
    "Event",
    "InputError",
    "LagebildError",
    "LexiconError",
    "Store",
    "UnsupportedLanguageError",
    "code",
    "code_many",
    "__version__",
]


def __getattr__(name: str):
    # the store pulls in DuckDB and pandas; import it only when asked for
    if name == "Store":
        from lagebild.store import Store

        return Store
    raise AttributeError(f"module 'lagebild' has no attribute {name!r}")
