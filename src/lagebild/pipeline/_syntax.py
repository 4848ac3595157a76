"""Shallow clause analysis without a parser: what governs each actor mention.

For every mention in a clause we find the preposition that governs it (walking back over
determiners and adjectives), or the noun it is a genitive attribute of ("Sanktionen der Vereinten
Nationen", "Beziehungen Russlands"), and whether it stands bare (subject or object). German and
English differ only in the word lists of `language.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lagebild.lexicons.loader import LanguageData
from lagebild.model import Clause, Doc, Mention, Token

_VERB_ENDINGS = ("en", "ern", "eln")
_QUOTE_CHARS = frozenset("»«„“”\"'‚‘’›‹")


@dataclass(slots=True)
class Argument:
    mention: Mention
    prep: str | None  # the preposition governing the mention (or its head noun, for a genitive)
    genitive_head: int | None  # token index of the noun the mention is a genitive attribute of
    position: int  # token index of the mention's first token

    @property
    def bare(self) -> bool:
        return self.prep is None and self.genitive_head is None


class ClauseSyntax:
    """Word lists for the shallow analysis; one instance per language."""

    def __init__(self, lang: LanguageData) -> None:
        syntax = lang.config.get("syntax", {})
        self.contractions: dict[str, str] = dict(syntax.get("contractions", {}))
        self.prepositions = frozenset(syntax.get("prepositions", ())) | frozenset(self.contractions)
        self.determiners = frozenset(syntax.get("determiners", ()))
        self.genitive_determiners = frozenset(syntax.get("genitive_determiners", ()))
        self.joiners = tuple(syntax.get("coordination", {}).get("joiners", ()))
        self.auxiliaries = frozenset(lang.config.get("morphology", {}).get("auxiliaries", ()))
        morphology = lang.config.get("morphology", {})
        self.verb_lemma_endings = tuple(morphology.get("verb_lemma_endings", _VERB_ENDINGS))
        self.verb_suffixes = tuple(morphology.get("verb_suffixes", ()))
        self.verb_lemmas = lang.verb_lemmas
        self.genitive_suffix = morphology.get("genitive_suffix")
        self.passive_agent_preps = tuple(syntax.get("passive_agent_prepositions", ()))
        self.locatives = frozenset(syntax.get("locative_prepositions", ()))
        self.subject_before_verb = bool(syntax.get("subject_before_verb", False))
        self.possessives = tuple(syntax.get("possessive_suffixes", ()))
        self.infinitive_marker = morphology.get("zu_infinitive_marker")
        self.appositive_heads = frozenset(syntax.get("appositive_heads", ()))
        self.transparent_heads = frozenset(syntax.get("transparent_heads", ()))
        partitive = syntax.get("partitive", {})
        self.partitive_preps = frozenset(partitive.get("prepositions", ()))
        self.collectives = frozenset(partitive.get("heads", ()))

    def is_verb(self, token: Token) -> bool:
        """A verb form, as far as word lists tell: a verb-like lemma ending (German), a lemma the
        lexicons use as a verb, or an inflected form with a verb suffix (English "-ed", "-ing")."""
        if token.is_punct or token.is_upper_initial or token.lower in self.prepositions or token.lower in self.determiners:
            return False
        lemma = token.lemma
        if lemma in self.verb_lemmas or lemma in self.auxiliaries:
            return True
        if self.verb_lemma_endings and lemma.endswith(self.verb_lemma_endings):
            return True
        return bool(self.verb_suffixes) and token.lower != lemma and token.lower.endswith(self.verb_suffixes)

    def subject(self, arguments: list[Argument], verb: int | None = None) -> Argument | None:
        """The clause's subject: its first bare actor mention (German V2: before or after the verb).
        Where the language puts the subject before its verb (English), only mentions before `verb` count."""
        return next((a for a in arguments if a.bare and a.mention.code and (verb is None or not self.subject_before_verb or a.position < verb)), None)

    def canonical(self, word: str) -> str:
        return self.contractions.get(word, word)

    def arguments(self, doc: Doc, clause: Clause, mentions: list[Mention]) -> list[Argument]:
        tokens = doc.tokens
        inside = set()
        for m in mentions:
            inside.update(range(m.token_start, m.token_end))
        for t in doc.times:  # "im Juli Moskau": a time expression is no noun the mention could depend on
            if t.sentence == clause.sentence:
                inside.update(range(t.token_start, t.token_end))
        sentence_start = doc.sentences[clause.sentence].token_start
        out: list[Argument] = []
        for mention in mentions:
            prep, head = self._govern(tokens, mention, clause, inside, sentence_start)
            out.append(Argument(mention, prep, head, mention.token_start))
        return out

    def _govern(self, tokens: list[Token], mention: Mention, clause: Clause, inside: set[int], sentence_start: int) -> tuple[str | None, int | None]:
        """Walk back from the mention through its noun phrase to the preposition governing it.

        Only noun-phrase material is crossed: articles, joiners, inflected adjectives (form differs
        from lemma, and not a verb), quote marks and other mentions. A capitalised noun directly before
        the mention (or before its genitive article) makes the mention that noun's genitive attribute;
        the walk then goes on through the head noun's phrase.
        """
        first_word = mention.text.split(maxsplit=1)[0].lower() if mention.text else ""
        genitive_marked = first_word in self.genitive_determiners
        head: int | None = None
        i = mention.token_start - 1
        while i >= clause.token_start:
            token = tokens[i]
            lower = token.lower
            if i in inside:  # other mentions and time expressions ("am Dienstag") are stepped over whole
                i -= 1
                continue
            if lower in self.partitive_preps and i > clause.token_start and tokens[i - 1].lower in self.collectives:
                i -= 2  # "a group of Moroccan diplomats", "thousands of Serbians": the phrase stands for its members
                continue
            if lower in self.prepositions and not (i == clause.token_start and clause.introducer == lower):
                return self.canonical(lower), head  # ("während" opening the clause is a conjunction)
            if token.is_punct:
                if token.text in _QUOTE_CHARS or token.text == "-":
                    i -= 1
                    continue
                break
            if lower in self.joiners:
                i -= 1
                continue
            if self.possessives and lower.endswith(self.possessives) and i == mention.token_start - 1:
                i -= 1  # "bin Laden's al-Qaeda": a possessive name before the mention is its determiner
                continue
            if lower in self.determiners:
                if lower in self.genitive_determiners and head is None and i == mention.token_start - 1:
                    genitive_marked = True
                i -= 1
                continue
            if lower in self.appositive_heads and i == mention.token_start - 1:
                i -= 1  # "die Stadt Cherson", "der Region Kursk": the name stands for the phrase
                continue
            if token.is_upper_initial and i != sentence_start:
                articleless = i == mention.token_start - 1 and (
                    mention.form_kind == "adjective"
                    or mention.text[:1].islower()  # led by an adjective: "Ausweisung russischer Diplomaten"
                    or (self.genitive_suffix and mention.text.endswith(self.genitive_suffix))
                )
                if head is None and (genitive_marked or articleless):
                    if lower in self.transparent_heads:
                        i -= 1  # "im Süden des Libanon": a region of the country stands for the country
                        continue
                    head = i  # the mention is this noun's genitive attribute ("Beziehungen Russlands")
                    i -= 1
                    continue
                break
            if self.is_verb(token) or (token.lemma == lower and not token.oov):
                break  # a verb, a known adverb or a particle ends the noun phrase
            i -= 1
        return None, head

    def coordinated(self, doc: Doc, left: Mention, right: Mention) -> bool:
        """Two mentions joined into one compound actor ("A und B", "A-B" adjectives, "sowohl A als auch B")."""
        if left.sentence != right.sentence:
            return False
        between = doc.tokens[left.token_end:right.token_start]
        words = " ".join(t.lower for t in between if t.lower not in self.determiners)
        if not between:
            return doc.text[left.end:right.start] in ("-", "‐", "‑")
        return words in self.joiners or words in ("", "-")
