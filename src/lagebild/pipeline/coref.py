"""Coreference: pronouns and anaphoric phrases take the actor of their antecedent.

Kinds come from the language's `coref.tsv`: "er" → the last person, "sein Land" → that person's
country, "das Land" → the last country named, "beide Länder" → the last two countries. Antecedents
are searched back over a few sentences only; an unresolved pronoun stays without a code and is never
an event actor.
"""

from __future__ import annotations

from lagebild.cameo import PEOPLE_ROLES
from lagebild.lexicons.loader import LanguageData
from lagebild.model import Doc, Mention

_WINDOW = 3  # sentences to look back


class CorefResolver:
    name = "coref"
    needs = ("mentions", "places")
    adds = ("coref",)

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        syntax = lang.config.get("syntax", {})
        # object pronouns never refer to the subject of their own clause ("empfing ihn", "met him")
        self.object_pronouns = frozenset(lang.config.get("coref", {}).get("object_pronouns", ()))
        self.feminine_suffixes = tuple(lang.config.get("coref", {}).get("feminine_title_suffixes", ()))
        self.place_links = frozenset(syntax.get("locative_prepositions", ())) | frozenset(syntax.get("determiners", ()))

    def __call__(self, doc: Doc) -> Doc:
        history: list[Mention] = []
        by_sentence: dict[int, list[Mention]] = {}
        for mention in doc.mentions:
            by_sentence.setdefault(mention.sentence, []).append(mention)
        for mention in doc.mentions:
            if mention.kind == "pronoun":
                antecedent = self._resolve(doc, mention, history)
                if antecedent is not None:
                    self._take(mention, antecedent)
            elif mention.kind == "agent" and mention.code is None:
                if not self._placed(doc, mention):
                    self._locate_agent(mention, by_sentence.get(mention.sentence, []), history)
            if mention.code:
                history.append(mention)
        return doc

    def _placed(self, doc: Doc, mention: Mention) -> bool:
        """An agent with its own place ("a cargo ship near Odesa", "Demonstranten in Tiflis") is of that place's country."""
        for place in doc.places:
            if place.start < mention.end or place.start - mention.end > 24 or not place.country:
                continue
            words = doc.text[mention.end:place.start].lower().split()
            if words and words[0] in self.place_links and all(w in self.place_links for w in words):
                mention.code = place.country
                mention.actor_id = f"countries:{place.country}"
                mention.name = f"{place.name} ({mention.text})"
                return True
            return False
        return False

    def _locate_agent(self, mention: Mention, sentence: list[Mention], history: list[Mention]) -> None:
        """A bare agent ("die Polizei", "protesters") belongs to the country the text is about there:
        a country named in its sentence (before it, else after it), else the last one named shortly before."""
        def is_country(m: Mention) -> bool:
            return m.kind == "country" and m.code is not None and m is not mention

        def named(m: Mention) -> bool:  # a country named as such, not through an adjective of a phrase
            return m.form_kind in ("name", "capital")

        near = [m for m in sentence if is_country(m)]
        recent = [m for m in reversed(history) if is_country(m) and mention.sentence - m.sentence <= 2]
        source = None
        for wanted in (named, lambda m: True):
            before = [m for m in near if wanted(m) and m.start < mention.start]
            after = [m for m in near if wanted(m) and m.start > mention.end]
            source = (before[-1:] or after[:1] or [m for m in recent if wanted(m)][:1] or [None])[0]
            if source is not None:
                break
        if source is None and mention.role in PEOPLE_ROLES:
            # "civilians were massacred by RSF fighters", "Georgiens Regierungschef drohte den Demonstranten":
            # people without a named country are of the country of a group or office holder in their sentence
            source = next((m for m in sentence if m is not mention and m.kind in ("organisation", "agent", "person")
                           and m.code in self.lang.countries and m.actor_id and not m.actor_id.startswith("countries:")), None)
        if source is None:
            return
        mention.code = source.code
        mention.actor_id = f"countries:{source.code}"
        mention.name = f"{source.name} ({mention.text})"
        mention.resolved_from = source.id
        mention.antecedent_span = source.span

    def _take(self, mention: Mention, antecedent: Mention | tuple[Mention, Mention]) -> None:
        kind = mention.coref_kind
        if isinstance(antecedent, tuple):
            first, second = antecedent
            mention.code = first.code
            mention.secondary_codes = (second.code,)
            mention.actor_id = first.actor_id
            mention.name = f"{first.name} / {second.name}"
            mention.resolved_from = first.id
            mention.antecedent_span = first.span
            return
        mention.resolved_from = antecedent.id
        mention.antecedent_span = antecedent.span
        if kind and kind.startswith("possessive_country"):
            mention.code = antecedent.code
            mention.actor_id = f"countries:{antecedent.code}"
            mention.name = self.lang.countries.get(antecedent.code or "", antecedent.code or "")
            mention.role = "GOV"
            return
        mention.code = antecedent.code
        mention.role = antecedent.role
        mention.actor_id = antecedent.actor_id
        mention.name = antecedent.name
        mention.office = antecedent.office

    def _feminine_title(self, m: Mention) -> bool:
        """A person named by a feminine title ("Präsidentin", "Kanzlerin"): the likelier antecedent of "sie"."""
        if not self.feminine_suffixes or m.form_kind != "title" or not (m.kind == "person" or m.office):
            return False
        last = m.text.split()[-1] if m.text else ""
        return last.endswith(self.feminine_suffixes) and last[:1].isupper()

    @staticmethod
    def _clause_span(doc: Doc, mention: Mention) -> tuple[int, int]:
        sentence = doc.sentences[mention.sentence]
        for clause in sentence.clauses:
            if clause.token_start <= mention.token_start < clause.token_end:
                return clause.token_start, clause.token_end
        return sentence.token_start, sentence.token_end

    def _resolve(self, doc: Doc, mention: Mention, history: list[Mention]) -> Mention | tuple[Mention, Mention] | None:
        recent = [m for m in reversed(history) if mention.sentence - m.sentence <= _WINDOW and m.start < mention.start]
        if mention.text.lower() in self.object_pronouns:  # "der Präsident empfing ihn": not the clause's own subject
            clause = self._clause_span(doc, mention)
            recent = [m for m in recent if not (clause[0] <= m.token_start < clause[1])]
        kind = mention.coref_kind
        if kind in ("person_m", "person_f", "possessive_country_m", "possessive_country_f"):
            return next((m for m in recent if m.kind == "person" or (m.office and m.kind != "pronoun")), None)
        if kind == "person_any":  # "sie": a person, else the last actor that acted (a government, an army)
            person = next((m for m in recent if m.kind == "person" or (m.office and m.kind != "pronoun")), None)
            woman = next((m for m in recent if self._feminine_title(m)), None)
            if woman is not None and mention.sentence - woman.sentence <= 1:
                person = woman  # "Die mexikanische Präsidentin sprach mit dem US-Präsidenten. Sie sagte zu, ..."
            if person is not None and mention.sentence - person.sentence <= 1:
                return person
            return next((m for m in recent if m.kind in ("country", "organisation", "agent") and m.form_kind != "adjective"), person)
        if kind == "country":
            return next((m for m in recent if m.kind == "country" and m.form_kind in ("name", "capital")), None)
        if kind == "org":
            return next((m for m in recent if m.kind in ("organisation", "outlet")), None)
        if kind == "pair":
            found: list[Mention] = []
            for m in recent:
                if m.kind in ("country", "person") and m.code and all(f.code != m.code for f in found):
                    found.append(m)
                if len(found) == 2:
                    return (found[1], found[0])
        return None
