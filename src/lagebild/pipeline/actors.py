"""Actor recognition: lexicon forms found with one Aho-Corasick pass, then joined into actors.

Forms come from the lexicons (countries, persons, organisations, outlets, agents, blocs, pronouns).
After matching, neighbouring mentions are joined the way German and English name actors:
adjective or genitive + agent ("der russische Präsident", "Russlands Außenminister"), agent +
genitive ("die Regierung Frankreichs"), and agent + name ("Außenminister Sergej Lawrow"). A title
with an office is resolved to the person holding it at the publication date.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from lagebild.cameo import FORCE_ROLES
from lagebild.lexicons.entries import ActorEntry
from lagebild.lexicons.loader import LanguageData
from lagebild.model import Doc, Mention, Provenance, Token

_PRIORITY = {"person": 0, "outlet": 1, "organisation": 2, "country": 3, "bloc": 4, "agent": 5, "pronoun": 6}


def lower_preserving_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)



def _lower_particle(form: str, written: str) -> bool:
    """An Arabic article written in lower case before a capitalised name: "al-Qaeda", "el-Sisi"."""
    head = form.replace("-", " ").split(" ", 1)[0]
    return len(head) <= 3 and len(form) > len(head) + 1 and written[1:] == form[1:]


class ActorRecognizer:
    name = "actors"
    needs = ("tokens",)
    adds = ("mentions",)

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        syntax = lang.config.get("syntax", {})
        self.determiners = frozenset(syntax.get("determiners", ()))
        self.prepositions = frozenset(syntax.get("prepositions", ())) | frozenset(syntax.get("contractions", {}))
        # "leaders of India", "negotiators from Armenia", "Soldaten aus Russland", "police in Kenya"
        self.agent_links = frozenset(syntax.get("agent_country_links", ("in",)))
        # "negotiators from Armenia", "Flüchtlinge aus Syrien" -- but not for forces: "withdrew troops from Syria"
        self.origin_links = frozenset(syntax.get("agent_origin_links", ()))

    # -- matching --------------------------------------------------------------------
    def _case_ok(self, key: str, written: str) -> bool:
        originals = self.lang.originals.get(key, ())
        if written in originals:
            return True
        for form in originals:
            if form in self.lang.exact_forms:
                continue
            if form[0].isupper() and not written[0].isupper() and not _lower_particle(form, written):
                continue
            return True
        return False

    def find_forms(self, text: str) -> list[tuple[int, int, str | None]]:
        """Non-overlapping (start, end, key) matches; key None marks a discarded stretch."""
        lang = self.lang
        lowered = lower_preserving_length(text)
        hits: list[tuple[int, int, str | None]] = []
        n = len(text)
        for end_index, key in lang.automaton.iter(lowered):
            start = end_index - len(key) + 1
            end = end_index + 1
            if start > 0 and text[start - 1].isalnum():
                continue
            if end < n and text[end].isalnum():
                continue
            if key in lang.discard:
                hits.append((start, end, None))
                continue
            if not self._case_ok(key, text[start:end]):
                continue
            hits.append((start, end, key))
        hits.sort(key=lambda h: (-(h[1] - h[0]), h[2] is not None, h[0]))
        taken: list[tuple[int, int]] = []
        chosen: list[tuple[int, int, str | None]] = []
        for start, end, key in hits:
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            chosen.append((start, end, key))
        chosen.sort()
        return [c for c in chosen if c[2] is not None]

    # -- mentions --------------------------------------------------------------------
    def _mention(self, doc: Doc, n: int, start: int, end: int, entry: ActorEntry, token_starts: list[int]) -> Mention:
        first = bisect_right(token_starts, start) - 1
        last = bisect_left(token_starts, end)
        sentence = doc.tokens[first].sentence if doc.tokens else 0
        mention = Mention(
            id=f"m{n}",
            start=start,
            end=end,
            text=doc.text[start:end],
            sentence=sentence,
            token_start=max(first, 0),
            token_end=max(last, first + 1),
            kind=entry.kind,
            code=entry.code,
            role=entry.role,
            actor_id=entry.actor_id,
            name=entry.name,
            provenance=Provenance(self.name, entry.file, entry.line, entry.actor_id),
            form_kind=entry.form_kind,
            office=entry.office,
            coref_kind=entry.coref_kind,
        )
        if entry.kind == "person":
            self._resolve_person(doc, mention)
        elif entry.form_kind == "title" and entry.code and entry.office and doc.published is not None:
            person = self.lang.holder(entry.code, entry.office, doc.published.iso())
            if person is not None:  # "der Bundeskanzler" → the chancellor at the publication date
                mention.kind, mention.actor_id, mention.name = "person", f"persons:{person.id}", person.name
        return mention

    def _in_office(self, entry: ActorEntry, day: str | None) -> bool:
        """For persons sharing a name form: whether this one held an office at `day`."""
        if entry.kind != "person" or day is None:
            return True
        person = self.lang.persons.get((entry.actor_id or "").split(":", 1)[-1])
        return bool(person and any(t.covers(day) for t in person.terms))

    def _resolve_person(self, doc: Doc, mention: Mention) -> None:
        person = self.lang.persons.get((mention.actor_id or "").split(":", 1)[-1])
        if person is None:
            return
        day = doc.published.iso() if doc.published else None
        term = person.term_at(day)
        if term:
            mention.code = term.country
            mention.role = term.role
            mention.office = term.office

    def __call__(self, doc: Doc) -> Doc:
        token_starts = [t.start for t in doc.tokens]
        mentions: list[Mention] = []
        day = doc.published.iso() if doc.published else None
        for start, end, key in self.find_forms(doc.text):
            entries = sorted(self.lang.forms[key], key=lambda e: (_PRIORITY.get(e.kind, 9), not self._in_office(e, day)))
            mentions.append(self._mention(doc, len(mentions) + 1, start, end, entries[0], token_starts))
        doc.mentions = self._join(doc, mentions)
        for n, mention in enumerate(doc.mentions, start=1):
            mention.id = f"{doc.doc_id}#m{n}"
        return doc

    # -- joining ---------------------------------------------------------------------
    def _between(self, doc: Doc, left: Mention, right: Mention) -> list[Token]:
        return doc.tokens[left.token_end:right.token_start]

    def _only_modifiers(self, tokens: list[Token], limit: int) -> bool:
        """Up to `limit` lower-case words that may stand inside a noun phrase (adjectives, not verbs)."""
        if len(tokens) > limit:
            return False
        return all(
            not t.is_punct and not t.is_upper_initial and t.lower not in self.prepositions and t.lower not in self.determiners
            for t in tokens
        )

    def _absorb(self, keep: Mention, other: Mention, doc: Doc) -> None:
        keep.start = min(keep.start, other.start)
        keep.end = max(keep.end, other.end)
        keep.token_start = min(keep.token_start, other.token_start)
        keep.token_end = max(keep.token_end, other.token_end)
        keep.text = doc.text[keep.start:keep.end]

    def _country_agent(self, doc: Doc, country: Mention, agent: Mention) -> Mention:
        """A country (adjective or genitive) and an agent noun: one actor with the agent's role."""
        joined = agent
        joined.code = country.code
        joined.kind = "country"
        joined.actor_id = country.actor_id
        joined.name = f"{country.name} ({agent.text})"
        joined.secondary_codes = country.secondary_codes
        if agent.office and doc.published is not None:
            person = self.lang.holder(country.code, agent.office, doc.published.iso())
            if person is not None:
                joined.kind = "person"
                joined.actor_id = f"persons:{person.id}"
                joined.name = person.name
        self._absorb(joined, country, doc)
        return joined

    def _join(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        out: list[Mention] = []
        for mention in mentions:
            previous = out[-1] if out else None
            if previous is None or previous.sentence != mention.sentence:
                out.append(mention)
                continue
            between = self._between(doc, previous, mention)
            is_title = mention.form_kind == "title" and mention.kind in ("agent", "country", "person")
            if is_title and previous.kind == "country" and previous.form_kind in ("adjective", "name") and self._only_modifiers(between, 2):
                if previous.form_kind == "adjective" or not between:
                    out[-1] = self._country_agent(doc, previous, mention)
                    continue
            if previous.kind == "agent" and previous.code is None and mention.kind == "country" and mention.form_kind in ("name", "capital"):
                words = [t.lower for t in between if t.lower not in self.determiners]
                opening = all(t.lower in self.determiners for t in doc.tokens[doc.sentences[previous.sentence].token_start:previous.token_start])
                links = self.agent_links | self.origin_links if opening and previous.role not in FORCE_ROLES else self.agent_links
                if len(between) <= 2 and (not words or (len(words) == 1 and words[0] in links)):
                    out[-1] = self._country_agent(doc, mention, previous)
                    continue
            if previous.kind == "country" and previous.form_kind == "adjective" and mention.kind in ("outlet", "organisation") and self._only_modifiers(between, 1):
                self._absorb(mention, previous, doc)  # "die russische Nachrichtenagentur TASS": one actor
                out[-1] = mention
                continue
            if (previous.kind == "agent" and previous.code is None and mention.kind == "organisation"
                    and len(between) == 1 and between[0].lower in self.determiners):
                # "die Rebellen der M23", "Kämpfer der Hamas": the agent acts for the organisation named after it
                previous.code, previous.role, previous.actor_id = mention.code, mention.role, mention.actor_id
                previous.name = f"{mention.name} ({previous.text})"
                out.append(mention)
                continue
            if previous.kind == "organisation" and mention.kind == "agent" and mention.code is None and self._only_modifiers(between, 2):
                # "Red Cross officials", "al-Qaeda terror network", "Hezbollah's leader": the agent acts for the organisation;
                # both mentions stay (the name's words are no triggers, the agent noun may be one: "killed its leader")
                mention.code, mention.role, mention.actor_id = previous.code, previous.role, previous.actor_id
                mention.name = f"{previous.name} ({mention.text})"
                out.append(mention)
                continue
            if previous.kind in ("agent", "country", "person") and previous.form_kind == "title" and mention.kind in ("person", "outlet", "organisation") and not between:
                role = previous.role
                self._absorb(mention, previous, doc)
                if mention.kind != "person" and role:
                    mention.role = role
                out[-1] = mention
                continue
            out.append(mention)
        return out
