"""simplemma's dictionaries, decoded once and kept in lagebild's cache folder.

simplemma ships its dictionaries lzma-compressed and front-coded; decoding the German one takes
about 3.5 s at every start. We decode it once, store the plain mapping with `marshal` next to the
compiled lexicons (`$LAGEBILD_CACHE`), and load that in well under a second afterwards.
"""

from __future__ import annotations

import marshal
import os
from functools import lru_cache

import simplemma
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries.dictionary_factory import DictionaryFactory, MappingStrToByteString

from lagebild.lexicons.loader import cache_dir


def _decode(lang: str) -> dict[bytes, bytes]:
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import _load_dictionary_from_disk
    except ImportError:  # another simplemma layout: read through its public mapping instead
        from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

        mapping = DefaultDictionaryFactory().get_dictionary(lang)
        return {k.encode(): mapping[k].encode() for k in mapping}
    return _load_dictionary_from_disk(lang)


class CachedDictionaryFactory(DictionaryFactory):
    """A simplemma dictionary factory backed by a marshal file in the cache folder."""

    def __init__(self) -> None:
        self._dictionaries: dict[str, MappingStrToByteString] = {}

    def get_dictionary(self, lang: str) -> MappingStrToByteString:
        found = self._dictionaries.get(lang)
        if found is None:
            found = self._dictionaries[lang] = MappingStrToByteString(self._load(lang))
        return found

    @staticmethod
    def _load(lang: str) -> dict[bytes, bytes]:
        version = getattr(simplemma, "__version__", "0")
        path = cache_dir() / f"simplemma-{version}-{lang}.marshal"
        try:
            return marshal.loads(path.read_bytes())  # one read: marshal.load on a file reads in small pieces
        except (OSError, EOFError, ValueError, TypeError):
            pass
        raw = _decode(lang)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            with tmp.open("wb") as fh:
                marshal.dump(raw, fh)
            tmp.replace(path)
        except OSError:
            pass  # a read-only cache only costs start-up time
        return raw


@lru_cache(maxsize=1)
def shared_factory() -> CachedDictionaryFactory:
    return CachedDictionaryFactory()


@lru_cache(maxsize=1)
def lemmatizer() -> simplemma.Lemmatizer:
    return simplemma.Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=shared_factory()))


@lru_cache(maxsize=1)
def lookup() -> DictionaryLookupStrategy:
    return DictionaryLookupStrategy(shared_factory())
