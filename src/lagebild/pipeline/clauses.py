"""Clauses: stretches of a sentence between boundary punctuation, outside quotes.

A stretch without a verb (an apposition, a list of names) is joined to its neighbour. The component
also re-attaches separable verb particles at the end of a clause to their verb ("hob ... hervor" →
hervorheben), which needs the clause ends.
"""

from __future__ import annotations

from lagebild.lexicons.loader import LanguageData
from lagebild.model import Clause, Doc, Token
from lagebild.pipeline._syntax import ClauseSyntax
from lagebild.pipeline.tokenize import Lemmatizer


class ClauseSplitter:
    name = "clauses"
    needs = ("tokens", "quotes")
    adds = ("clauses",)

    def __init__(self, lang: LanguageData) -> None:
        config = lang.config
        clauses = config.get("clauses", {})
        syntax = config.get("syntax", {})
        morphology = config.get("morphology", {})
        self.boundaries = frozenset(clauses.get("boundary_punct", ()))
        self.subordinators = frozenset(clauses.get("subordinators", ()))
        self.relatives = frozenset(clauses.get("relative_pronouns", ()))
        self.split_before = frozenset(clauses.get("split_before", ()))
        self.coordinators = frozenset(clauses.get("coordinators", ())) & self.split_before
        self.split_before_determiner = frozenset(clauses.get("split_before_determiner", ()))
        self.no_split_after = frozenset(clauses.get("no_split_after", ()))
        # "Kyiv claimed that Iran had supplied ...": the complementizer opens a clause after a speech or claim verb
        self.complementizer = config.get("reported_speech", {}).get("complementizer") if clauses.get("split_complement") else None
        self.speech_lemmas = frozenset(lang.speech_verbs) | frozenset(clauses.get("complement_verbs", ()))
        # "denied it was supplying", "said they would": a subject pronoun right after a speech verb opens its complement
        self.zero_complement = frozenset(clauses.get("zero_complement_subjects", ())) if self.complementizer else frozenset()
        self.function_words = frozenset(syntax.get("determiners", ())) | frozenset(syntax.get("prepositions", ())) | frozenset(
            syntax.get("contractions", {})
        )
        self.particles = frozenset(morphology.get("separable_particles", ()))
        self.zu = morphology.get("zu_infinitive_marker")
        self.lemmatize = Lemmatizer.shared(lang)  # the tokenizer's, with its word cache
        self.syntax = ClauseSyntax(lang)

    def is_verb_like(self, token: Token) -> bool:
        return self.syntax.is_verb(token)

    def __call__(self, doc: Doc) -> Doc:
        tokens = doc.tokens
        quote_spans = [(q.start, q.end) for q in doc.quotes]
        for sentence in doc.sentences:
            stretches: list[list[int]] = [[sentence.token_start, sentence.token_start]]
            q = 0
            for i in range(sentence.token_start, sentence.token_end):
                token = tokens[i]
                while q < len(quote_spans) and quote_spans[q][1] <= token.start:
                    q += 1
                inside_quote = q < len(quote_spans) and quote_spans[q][0] < token.start < quote_spans[q][1] - 1
                if token.is_punct and token.text in self.boundaries and not inside_quote:
                    stretches[-1][1] = i
                    stretches.append([i + 1, i + 1])
                elif (not inside_quote and stretches[-1][1] > stretches[-1][0] and (not tokens[i - 1].is_punct or tokens[i - 1].text in ")]”\"»")
                      and tokens[i - 1].lower not in self.no_split_after
                      and (token.text in self.split_before
                           or (token.text in self.split_before_determiner and i + 1 < sentence.token_end
                               and tokens[i + 1].lower in self.syntax.determiners)
                           or (token.text == self.complementizer and self._after_speech_verb(tokens, i, stretches[-1][0]))
                           or (token.lower in self.zero_complement and self._after_speech_verb(tokens, i, max(stretches[-1][0], i - 2))))):
                    stretches.append([i, i + 1])  # "... resigned on Sunday as the opposition threatened ...": a new clause
                else:
                    stretches[-1][1] = i + 1
            stretches = [s for s in stretches if s[1] > s[0]]
            merged: list[list[int]] = []
            for stretch in stretches:
                words = [tokens[i] for i in range(*stretch) if not tokens[i].is_punct]
                has_verb = any(self.is_verb_like(t) for t in words)
                verb_tail = 0 < len(words) <= 2 and all(self.is_verb_like(t) or t.lower in self.particles for t in words)
                contrast = bool(words) and words[0].lower in self.coordinators and stretch[0] > sentence.token_start
                if contrast and merged:
                    merged.append(list(stretch))  # "..., but not with its leadership": a contrast keeps its own negation
                elif (not has_verb or verb_tail) and merged:  # an apposition, or a final verb after an insertion
                    merged[-1][1] = stretch[1]
                elif merged and not any(self.is_verb_like(tokens[i]) for i in range(*merged[-1])):
                    merged[-1][1] = stretch[1]
                else:
                    merged.append(list(stretch))
            sentence.clauses = []
            for start, end in merged:
                clause = Clause(len(sentence.clauses), sentence.index, start, end)
                first = tokens[start]
                if first.lower in self.subordinators:
                    clause.introducer = first.lower
                elif first.lower in self.zero_complement and start > sentence.token_start and not tokens[start - 1].is_punct:
                    clause.introducer = self.complementizer  # the that-less complement of a speech verb
                elif first.lower in self.relatives and start > sentence.token_start:
                    clause.introducer = "relative"
                clause.zu_infinitive = self._has_zu_infinitive(tokens, start, end)
                self._attach_particle(tokens, start, end)
                sentence.clauses.append(clause)
        return doc

    def _after_speech_verb(self, tokens: list[Token], i: int, start: int) -> bool:
        """A speech or claim verb stands at most four words before `i` ("said on Tuesday that")."""
        return any(tokens[k].lemma in self.speech_lemmas for k in range(max(start, i - 4), i))

    def _has_zu_infinitive(self, tokens: list[Token], start: int, end: int) -> bool:
        if not self.zu:
            return False
        for i in range(start, end):
            token = tokens[i]
            if token.lower == self.zu and i + 1 < end and self.is_verb_like(tokens[i + 1]) and tokens[i + 1].lower == tokens[i + 1].lemma:
                return True
            infix = token.lower.find(self.zu, 1)
            if infix > 0 and not token.is_upper_initial and token.lower[:infix] in self.particles and token.lemma == token.lower[:infix] + token.lower[infix + len(self.zu):]:
                return True
        return False

    def _attach_particle(self, tokens: list[Token], start: int, end: int) -> None:
        last = end - 1
        while last > start and tokens[last].is_punct:
            last -= 1
        particle = tokens[last]
        if particle.is_upper_initial or particle.lower not in self.particles or last == start:
            return
        previous = tokens[last - 1]
        if previous.lower in self.function_words:
            return  # "bis zu", a preposition with its object elided
        for i in range(start, last):
            token = tokens[i]
            if token.is_punct or token.is_upper_initial or token.lower in self.function_words:
                continue
            candidate = particle.lower + self.lemmatize.raw(token.text)
            if self.lemmatize.known(candidate):
                token.lemma = self.lemmatize.fold(candidate)
                particle.particle_of = i
                return
