"""Tokenisation and lemmatisation.

Tokens are found with one regular expression per sentence (words with inner hyphens, apostrophes and
dots stay together: "russisch-nordkoreanischen", "z.B", "19.06.2024"). Lemmas come from simplemma;
compounds it does not know are lemmatised at their longest known head ("Sanktionsbeschlüsse" →
"sanktionsbeschluss"), so trigger patterns can name compound heads.
"""

from __future__ import annotations

import re

from lagebild.lexicons.loader import LanguageData
from lagebild.pipeline._lemma_data import lemmatizer, lookup
from lagebild.model import Doc, Token

_TOKEN = re.compile(r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?(?!\d)|[^\W_]+(?:[-‐‑'’.][^\W_]+)*-?|[^\w\s]", re.UNICODE)


_SHARED: dict[int, tuple[LanguageData, "Lemmatizer"]] = {}


class Lemmatizer:
    """simplemma with a per-instance cache and a compound-head fallback."""

    def __init__(self, lang: LanguageData) -> None:
        self.code = lang.code
        morphology = lang.config.get("morphology", {})
        self.min_head = int(morphology.get("compound_min_head", 4))
        self.split_compounds = bool(morphology.get("compound_links"))
        self.fold = lang.fold
        self._lemmatizer = lemmatizer()
        self._lookup = lookup()
        self._cache: dict[str, str] = {}
        self._raw: dict[str, str] = {}
        self._analysed: dict[str, tuple[str, bool]] = {}
        self._oov: set[str] = set()

    @classmethod
    def shared(cls, lang: LanguageData) -> "Lemmatizer":
        """One lemmatiser (and word cache) per loaded language, for all components that lemmatise."""
        entry = _SHARED.get(id(lang))
        if entry is None or entry[0] is not lang:
            entry = _SHARED[id(lang)] = (lang, cls(lang))
        return entry[1]

    def __call__(self, word: str) -> str:
        """The folded, lower-case lemma."""
        found = self._cache.get(word)
        if found is None:
            found = self._cache[word] = self.fold(self.raw(word))
        return found

    def analyse(self, word: str) -> tuple[str, bool]:
        """(folded lemma, whether the lemmatiser did not know the word), cached per word form."""
        found = self._analysed.get(word)
        if found is None:
            found = self._analysed[word] = (self(word), self.is_oov(word))
        return found

    def raw(self, word: str) -> str:
        """The lower-case lemma before spelling folding (for look-ups in the lemmatiser's dictionary)."""
        found = self._raw.get(word)
        if found is None:
            found = self._raw[word] = self._lemma(word)
        return found

    def known(self, word: str) -> bool:
        return self._lookup.get_lemma(word, self.code) is not None

    def warm_up(self) -> None:
        """Load the dictionary now (start-up) rather than on the first word."""
        self._lookup.get_lemma("a", self.code)

    def is_oov(self, word: str) -> bool:
        """Whether the lemmatiser had no entry for the word (checked only for words it left unchanged)."""
        self.raw(word)
        return word in self._oov

    def _lemma(self, word: str) -> str:
        if not word[0].isalpha():
            return word.lower()
        if "-" in word.strip("-") :
            head_start = word.rstrip("-").rfind("-") + 1
            return (word[:head_start] + self.raw(word[head_start:])).lower()
        lemma = self._lemmatizer.lemmatize(word, self.code)
        if lemma == word and not self.known(word):
            self._oov.add(word)
            if self.split_compounds and len(word) >= self.min_head + 3:
                lemma = self._compound(word) or word
        return lemma.lower()

    def _compound(self, word: str) -> str | None:
        for cut in range(3, len(word) - self.min_head + 1):
            head = word[cut:]
            candidate = head[0].upper() + head[1:] if word[0].isupper() else head
            if self.known(candidate):
                return word[:cut].lower() + self._lemmatizer.lemmatize(candidate, self.code).lower()
        return None


class Tokenizer:
    name = "tokenize"
    needs = ("sentences",)
    adds = ("tokens",)

    def __init__(self, lang: LanguageData) -> None:
        self.lemmatize = Lemmatizer.shared(lang)
        self.lemmatize.warm_up()

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        tokens: list[Token] = []
        lemmatize = self.lemmatize
        analyse = lemmatize.analyse
        for sentence in doc.sentences:
            sentence.token_start = len(tokens)
            for match in _TOKEN.finditer(text, sentence.start, sentence.end):
                word = match.group(0)
                first = word[0]
                if first.isalnum():
                    lemma, oov = analyse(word)
                    tokens.append(Token(match.start(), match.end(), word, word.lower(), lemma, sentence.index, False, first.isupper(), None, oov))
                else:
                    tokens.append(Token(match.start(), match.end(), word, word, word, sentence.index, True, False))
            sentence.token_end = len(tokens)
        doc.tokens = tokens
        return doc
