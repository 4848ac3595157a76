"""Language identification with lingua, restricted to a small set so it is fast and small.

The candidates are the supported languages plus the languages most often met in European news
feeds, so that a French or Russian article is named as such instead of being forced into German.
"""

from __future__ import annotations

from functools import lru_cache

_CANDIDATES = ("GERMAN", "ENGLISH", "FRENCH", "SPANISH", "ITALIAN", "DUTCH", "PORTUGUESE", "POLISH", "RUSSIAN", "UKRAINIAN", "TURKISH", "ARABIC")
_SAMPLE = 2000  # characters read; enough for a confident guess, cheap on long texts


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _CANDIDATES]
    return LanguageDetectorBuilder.from_languages(*languages).with_minimum_relative_distance(0.0).build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text gives no evidence."""
    sample = text[:_SAMPLE]
    if sum(c.isalpha() for c in sample) < 20:
        return None
    found = _detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found is not None else None
