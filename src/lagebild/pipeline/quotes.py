"""Quotes and reported speech, with their speakers and the outlet that carried them.

Direct quotes are the spans the segmenter found between quote marks. Reported speech is a stretch of
clauses in the subjunctive of reported speech (German Konjunktiv I: "sei", "habe", "kämpfe") or a
"dass"-clause after a speech verb. The speaker is the subject of the speech verb ("sagte Putin"), the
object where the verb says so ("zitierte TASS Putin": Putin speaks, TASS carries), the actor after a
marker ("laut X", "X zufolge"), the subject of the clause the quote stands in ("Kim lobte die
»Freundschaftsmission«"), else the speaker of the paragraph's previous quote.
"""

from __future__ import annotations

from lagebild.lexicons.loader import LanguageData
from lagebild.model import Clause, Doc, Mention, Provenance, Quote, Sentence
from lagebild.pipeline._syntax import ClauseSyntax


class QuoteAttributor:
    name = "quotes"
    needs = ("clauses", "mentions", "coref")
    adds = ("speakers", "reported_speech")

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        self.syntax = ClauseSyntax(lang)
        morphology = lang.config.get("morphology", {})
        self.konjunktiv_forms = frozenset(morphology.get("konjunktiv_forms", ()))
        self.konjunktiv_rule = morphology.get("konjunktiv_rule")
        self.complementizer = lang.config.get("reported_speech", {}).get("complementizer")
        self.markers_by_word: dict[str, list] = {}
        for marker in lang.speech_markers:
            self.markers_by_word.setdefault(marker.lemmas[0], []).append(marker)

    # -- helpers ---------------------------------------------------------------------
    def _clause_mentions(self, doc: Doc, clause: Clause, quotes: list[Quote]) -> list[Mention]:
        first, last = clause.token_start, clause.token_end
        out = []
        for m in doc.mentions:
            if m.token_start >= first and m.token_end <= last and m.code:
                if not any(q.kind == "direct" and q.start <= m.start < q.end for q in quotes):
                    out.append(m)
        return out

    def _is_reported_verb(self, doc: Doc, index: int) -> bool:
        token = doc.tokens[index]
        if token.is_punct or token.is_upper_initial:
            return False
        if token.lower in self.konjunktiv_forms:
            return True
        if self.konjunktiv_rule == "lemma_minus_n":
            lemma = token.lemma
            return lemma.endswith("en") and len(lemma) > 4 and token.lower == lemma[:-1] and token.lower not in self.syntax.determiners
        return False

    def _speech_cue(self, doc: Doc, clauses: list[Clause], skip: list[tuple[int, int]]):
        """(rule, token index, clause) of the first speech verb or marker in `clauses`, outside `skip`."""
        for clause in clauses:
            for i in range(clause.token_start, clause.token_end):
                token = doc.tokens[i]
                if token.is_punct or (skip and any(s <= token.start < e for s, e in skip)):
                    continue
                rule = self.lang.speech_verbs.get(token.lemma)
                if rule is not None:
                    return rule, i, clause
                for marker in self.markers_by_word.get(token.lower, ()):
                    words = marker.lemmas
                    window = [t.lower for t in doc.tokens[i:i + len(words)]]
                    if window == list(words):
                        return marker, i, clause
        return None

    def _speaker_from_cue(self, doc: Doc, cue, quotes: list[Quote]) -> tuple[Mention | None, Mention | None]:
        rule, index, clause = cue
        mentions = self._clause_mentions(doc, clause, quotes)
        args = self.syntax.arguments(doc, clause, mentions)
        if rule.kind == "marker_before":
            after = [a.mention for a in args if a.position >= index]
            return (after[0] if after else None), None
        if rule.kind == "marker_after":
            before = [a.mention for a in args if a.position < index]
            return (before[-1] if before else None), None
        bare = [a.mention for a in args if a.bare]
        if rule.speaker == "obj":
            subject = bare[0] if bare else None
            obj = bare[1] if len(bare) > 1 else None
            return obj, (subject if rule.via == "subj" else None)
        persons = [m for m in bare if m.kind == "person" or m.office]
        return (persons[0] if persons else (bare[0] if bare else None)), None

    # -- component -------------------------------------------------------------------
    def _clause_of(self, doc: Doc, sentence: Sentence, offset: int) -> Clause | None:
        return next(
            (c for c in sentence.clauses if doc.tokens[c.token_start].start <= offset < doc.tokens[c.token_end - 1].end),
            None,
        )

    def __call__(self, doc: Doc) -> Doc:
        direct = [q for q in doc.quotes if q.kind == "direct"]
        reported: list[Quote] = []
        last: tuple[Mention | None, Mention | None, int] = (None, None, -1)
        for sentence in doc.sentences:
            if sentence.is_caption:
                continue
            in_sentence = [q for q in direct if sentence.start <= q.start < sentence.end]
            skip = [(q.start, q.end) for q in in_sentence]
            sentence_cue = self._speech_cue(doc, sentence.clauses, skip)
            sentence_speaker, sentence_via = self._speaker_from_cue(doc, sentence_cue, direct) if sentence_cue else (None, None)
            # reported speech: clauses in the subjunctive, or opened by the complementizer after a speech verb
            spans: list[tuple[int, int]] = []
            for clause in sentence.clauses:
                if sentence_cue and sentence_cue[2] is clause:
                    continue
                outside = [i for i in range(clause.token_start, clause.token_end) if not any(s <= doc.tokens[i].start < e for s, e in skip)]
                # "Russia must withdraw, the chancellor said": an attribution closing the sentence reports what precedes it
                attributed = bool(sentence_cue) and sentence_cue[2] is sentence.clauses[-1] and clause.index < sentence_cue[2].index
                if attributed or any(self._is_reported_verb(doc, i) for i in outside) or (clause.introducer == self.complementizer and sentence_cue):
                    start, end = doc.tokens[clause.token_start].start, doc.tokens[clause.token_end - 1].end
                    if spans and doc.text[spans[-1][1]:start].strip(" ,»«„“\"") == "":
                        spans[-1] = (spans[-1][0], end)
                    else:
                        spans.append((start, end))
            inherited = (last[0], last[1]) if last[0] is not None and sentence.paragraph - last[2] <= 1 else (None, None)
            speakers: list[Mention] = []
            for quote in in_sentence:
                speaker, via, cue = None, None, None
                clause = self._clause_of(doc, sentence, quote.start)
                if clause is not None:
                    cue = self._speech_cue(doc, [clause], skip)
                    if cue:
                        speaker, via = self._speaker_from_cue(doc, cue, direct)
                    if speaker is None:
                        subject = self.syntax.subject(self.syntax.arguments(doc, clause, self._clause_mentions(doc, clause, direct)))
                        speaker = subject.mention if subject else None
                if speaker is None and sentence_speaker is not None:
                    speaker, via, cue = sentence_speaker, sentence_via, sentence_cue
                if speaker is None:
                    speaker, via = inherited
                quote.speaker, quote.via = speaker, via
                quote.cue = doc.tokens[cue[1]].text if cue else None
                if speaker is not None:
                    speakers.append(speaker)
            reported_speaker, reported_via = (sentence_speaker, sentence_via) if sentence_speaker else inherited
            cue_text = doc.tokens[sentence_cue[1]].text if sentence_cue else None
            for start, end in spans:
                reported.append(Quote("", start, end, doc.text[start:end], sentence.index, "reported", reported_speaker, reported_via, cue_text, Provenance(self.name)))
            final = sentence_speaker or (speakers[-1] if speakers else None) or (reported_speaker if spans else None)
            if final is not None:
                last = (final, sentence_via if final is sentence_speaker else (reported_via if final is reported_speaker else None), sentence.paragraph)
        doc.quotes = sorted(direct + reported, key=lambda q: (q.start, q.kind))
        for n, quote in enumerate(doc.quotes, start=1):
            quote.id = f"{doc.doc_id}#q{n}"
        return doc
