"""Event coding: trigger patterns over lemmas, source and target from shallow clause structure.

For every clause the trigger lexicon is searched (the most specific pattern wins on each word);
the source is the clause's subject for verbs (the `von`/`durch` phrase in the passive) and the
genitive attribute or `von`/`durch` phrase for nominalisations; the target stands where the pattern
says (object, genitive, a preposition). Joint actions (`sym`) take both members of a compound actor
("russisch-nordkoreanisch", "A und B"). Modality gives the status, and an intent modality turns a
material action into CAMEO's "express intent" code. The event's date is the time expression of its
clause or sentence, else the narrative day, else the publication date; the event says which.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace

from lagebild.cameo import ARMED_ROLES, VIOLENT_ROOTS, codebook
from lagebild.lexicons.entries import TriggerRule
from lagebild.lexicons.loader import LanguageData
from lagebild.model import Clause, Doc, Event, EventDate, Mention, Provenance, Sentence, TimeExpr
from lagebild.pipeline._modality import ModalityAnalyzer, status_of
from lagebild.pipeline._syntax import Argument, ClauseSyntax

_DATE_KINDS = ("date", "since", "anchor")

@dataclass(slots=True)
class _Match:
    anchor: int
    rule: TriggerRule
    used: list[int]


@dataclass(slots=True)
class _Roles:
    source: Mention
    target: Mention | None
    explicit_source: bool
    explicit_target: bool
    joint: bool = False  # source and target act together (a compound actor, "A und B unterzeichneten")


class EventCoder:
    name = "events"
    needs = ("clauses", "mentions", "coref", "times", "speakers")
    adds = ("events",)

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        self.book = codebook()
        self.syntax = ClauseSyntax(lang)
        self.modality = ModalityAnalyzer(lang)
        self.locatives = frozenset(lang.config.get("syntax", {}).get("locative_prepositions", ()))
        self._trigger_cache: dict[tuple[str, str], list[TriggerRule]] = {}
        self._suffix_cache: dict[str, frozenset[str]] = {}
        self._indexed: tuple | None = None
        self.complementizer = lang.config.get("reported_speech", {}).get("complementizer")
        window = lang.config.get("syntax", {}).get("literal_item_window")
        self.literal_window: int | None = int(window) if window is not None else None
        self.gerund = lang.config.get("syntax", {}).get("gerund_suffix")
        self.noun_sources = tuple(s for s in lang.config.get("syntax", {}).get("noun_source_default", ("gen",)) if s != "of")
        self.speaker_pronouns = frozenset(lang.config.get("clauses", {}).get("zero_complement_subjects", ()))
        self.conditions = frozenset(lang.config.get("clauses", {}).get("condition_introducers", ()))
        self.relatives = frozenset(lang.config.get("clauses", {}).get("relative_pronouns", ()))
        self.fallback_targets = tuple(lang.config.get("syntax", {}).get("fallback_target_prepositions", ()))

    # -- matching ----------------------------------------------------------------------
    def _triggers(self, lemma: str, lower: str) -> list[TriggerRule]:
        key = (lemma, lower)
        found = self._trigger_cache.get(key)
        if found is None:
            found = self._trigger_cache[key] = self.lang.triggers_for(lemma, lower)
        return found

    def _suffixes_of(self, lemma: str) -> frozenset[str]:
        """The compound heads of the trigger lexicon that `lemma` ends with (cached per lemma)."""
        found = self._suffix_cache.get(lemma)
        if found is None:
            hits = set()
            for n in self.lang.suffix_lengths_all:
                if len(lemma) > n and lemma[-n:] in self.lang.item_suffixes:
                    hits.add(lemma[-n:])
            found = self._suffix_cache[lemma] = frozenset(hits)
        return found

    def match(self, doc: Doc, clause: Clause) -> list[_Match]:
        tokens = doc.tokens
        span = range(clause.token_start, clause.token_end)
        blocked = self._index(doc)[0]  # words inside the name of an organisation, outlet or person ("Red Cross")
        positions: dict[str, list[int]] = {}  # by lemma
        forms: dict[str, list[int]] = {}  # by lower-case word form, for literal items ("=sich")
        suffix_positions: dict[str, list[int]] = {}
        for k in span:
            token = tokens[k]
            if k in blocked:
                continue
            positions.setdefault(token.lemma, []).append(k)
            forms.setdefault(token.lower, []).append(k)
            for suffix in self._suffixes_of(token.lemma):
                suffix_positions.setdefault(suffix, []).append(k)

        window = self.literal_window

        def find(item, used: list[int]) -> int | None:
            best = None
            for index, words in ((positions, item.lemmas), (forms, item.literals)):
                near = window is not None and index is forms and not item.lemmas
                for word in words:
                    for k in index.get(word, ()):
                        if k not in used and not (near and abs(k - used[0]) > window):
                            if best is None or k < best:
                                best = k
                            break
            for suffix in item.suffixes:
                for k in suffix_positions.get(suffix, ()):
                    if k not in used:
                        if best is None or k < best:
                            best = k
                        break
            return best

        candidates: list[tuple[int, int, int, _Match]] = []
        for i in span:
            token = tokens[i]
            if token.is_punct or token.particle_of is not None or i in blocked:
                continue
            for rule in self._triggers(token.lemma, token.lower):
                used = [i]
                for item in rule.items[1:]:
                    j = find(item, used)
                    if j is None:
                        break
                    used.append(j)
                else:
                    # more items first; among equals, more content words ("fly ... food" before "fly =to")
                    content = sum(1 for item in rule.items if item.lemmas or item.suffixes)
                    candidates.append((-len(rule.items), -content, i, rule.line, _Match(i, rule, used)))
        candidates.sort(key=lambda c: c[:4])
        chosen: list[_Match] = []
        consumed: set[int] = set()
        for _, _, _, _, found in candidates:
            if any(u in consumed for u in found.used):
                continue
            chosen.append(found)
            consumed.update(found.used)
        chosen.sort(key=lambda m: m.anchor)
        return chosen

    # -- roles -------------------------------------------------------------------------
    def _index(self, doc: Doc) -> tuple[frozenset[int], dict[int, list[Mention]]]:
        """Per document, computed once: the tokens inside names (no triggers) and the coded mentions by sentence."""
        if self._indexed is not None and self._indexed[0] is doc and self._indexed[1] == len(doc.mentions):
            return self._indexed[2]
        blocked = frozenset(k for m in doc.mentions if m.kind in ("organisation", "outlet", "person") and m.form_kind == "name"
                            for k in range(m.token_start, m.token_end))
        by_sentence: dict[int, list[Mention]] = {}
        for m in doc.mentions:
            if m.code:
                by_sentence.setdefault(m.sentence, []).append(m)
        self._indexed = (doc, len(doc.mentions), (blocked, by_sentence))
        return blocked, by_sentence

    def _mentions_in(self, doc: Doc, clause: Clause) -> list[Mention]:
        return [m for m in self._index(doc)[1].get(clause.sentence, ()) if clause.token_start <= m.token_start < clause.token_end]

    def _by_position(self, args: list[Argument], spec: tuple[str, ...], anchor: int, exclude: Mention | None, source: Mention | None,
                     violent: bool = False) -> tuple[Argument | None, str | None]:
        for position in spec:
            found = self._find(args, position, anchor, exclude, source, violent)
            if found is not None:
                return found, position
        return None, None

    def _differs(self, candidate: Mention, source: Mention | None, violent: bool = False) -> bool:
        if source is None:
            return True
        if candidate is source or candidate.code is None:
            return False
        if candidate.code != source.code:
            return True
        if source.kind == "place" and candidate.kind != "place":
            return True  # unknown attackers placed in a country, acting on people of that country
        if candidate.kind == "place" and (violent or source.role in ARMED_ROLES):
            return True  # rebels taking a town of their own country ("M23 nahm die Stadt Goma ein"), a regime gassing one
        return bool(candidate.role and source.role and candidate.role != source.role)

    def _find(self, args: list[Argument], position: str, anchor: int, exclude: Mention | None, source: Mention | None,
              violent: bool = False) -> Argument | None:
        usable = [a for a in args if a.mention is not exclude and self._differs(a.mention, source, violent)]
        if position == "subj":
            return self.syntax.subject(usable, anchor)
        if position == "obj":
            objects = [a for a in usable if a.bare or (a.prep is None and a.genitive_head is not None)]
            after = [a for a in objects if a.position > anchor]
            if self.syntax.subject_before_verb:
                return after[0] if after else None  # English: the object follows its verb
            return (after or objects or [None])[0]  # the object follows its verb, except in verb-final clauses
        if position == "gen":
            for a in usable:
                if a.mention.form_kind == "adjective" and a.mention.token_end <= anchor <= a.mention.token_end + 1:
                    return a  # "der russische Angriff", "Chinese drills"
                if a.genitive_head is not None and anchor <= a.genitive_head <= anchor + 3:
                    return a
                if a.bare and a.mention.token_end == anchor and a.mention.text.endswith(("s", "'s", "’s")):
                    return a  # a genitive before the noun: "Putins Weiterreise"
            return None
        direct = [a for a in usable if a.prep == position and a.genitive_head is None]
        after = [a for a in direct if a.position > anchor]
        if after or direct:
            return (after or direct)[0]
        return next((a for a in usable if a.prep == position), None)

    def _partner(self, doc: Doc, mention: Mention, mentions: list[Mention]) -> Mention | None:
        """The other member of a compound actor ("A und B", "russisch-nordkoreanisch") or of a pair mention."""
        if mention.secondary_codes:
            return replace(mention, code=mention.secondary_codes[0], secondary_codes=(), name=mention.name.split(" / ")[-1])
        if not any(m is mention for m in mentions):  # an actor from another clause (a controller, an antecedent)
            mentions = [m for m in doc.mentions if m.sentence == mention.sentence and m.code]
        ordered = sorted(mentions, key=lambda m: m.start)
        index = next((n for n, m in enumerate(ordered) if m is mention), None)
        if index is None:
            return None
        for other in (ordered[index + 1] if index + 1 < len(ordered) else None, ordered[index - 1] if index > 0 else None):
            if other is None or other.code is None or (other.code == mention.code and other.actor_id == mention.actor_id):
                continue
            left, right = (mention, other) if mention.start < other.start else (other, mention)
            if self.syntax.coordinated(doc, left, right):
                return other
        return None

    def _pair_in(self, doc: Doc, mentions: list[Mention]) -> tuple[Mention, Mention] | None:
        for m in mentions:
            partner = self._partner(doc, m, mentions)
            if partner is not None:
                return (m, partner)
        return None

    def _place_mentions(self, doc: Doc) -> list[Mention]:
        """Places as stand-ins for their country where a pattern wants a target ("Angriff auf Charkiw")."""
        starts = [t.start for t in doc.tokens]
        taken = [(m.start, m.end) for m in doc.mentions]
        out = []
        for place in doc.places:
            if any(s < place.end and place.start < e for s, e in taken):
                continue  # already an actor (a capital used as a metonym)
            first = bisect_right(starts, place.start) - 1
            last = bisect_left(starts, place.end)
            out.append(Mention(id=place.id, start=place.start, end=place.end, text=place.text, sentence=place.sentence,
                               token_start=max(first, 0), token_end=max(last, first + 1), kind="place", code=place.country,
                               role=None, actor_id=f"countries:{place.country}", name=f"{place.name} ({place.country})",
                               provenance=place.provenance, form_kind="place"))
        return out

    def _located(self, args: list[Argument], exclude: Mention | None) -> Mention | None:
        """The country a clause is placed in ("In Tiflis demonstrierten ...", "im Sudan")."""
        for a in args:
            if a.prep in self.syntax.locatives and a.genitive_head is None and a.mention is not exclude and a.mention.code in self.lang.countries:
                return a.mention
        return None

    def _domestic(self, source: Mention) -> Mention | None:
        """The government of the source's own country: the addressee of protests and strikes."""
        if source.code not in self.lang.countries:
            return None
        return replace(source, kind="country", role="GOV", actor_id=f"countries:{source.code}", name=self.lang.countries[source.code],
                       form_kind="implied", resolved_from=source.id, secondary_codes=())

    def roles(self, doc: Doc, sentence: Sentence, clause_index: int, match: _Match, passive: bool, places: list[Mention]) -> list[_Roles]:
        """Source and target of a matched pattern, in this order: the passive, a reported obligation
        (source `speaker`), the verb's or noun's own arguments, then the fallbacks of `_fallback_source`
        and `_fallback_target`."""
        clause = sentence.clauses[clause_index]
        rule = match.rule
        mentions = self._mentions_in(doc, clause)
        in_clause = [p for p in places if clause.token_start <= p.token_start < clause.token_end]
        every = self.syntax.arguments(doc, clause, mentions + in_clause)
        args = [a for a in every if a.mention.kind != "place"]
        kind = self._kind(doc, clause, match, args)
        if kind == "verb" and (self._is_passive(doc, clause, match, args, passive) or "passive" in rule.flags):
            return self._passive_roles(doc, rule, match, mentions, every, args)
        if "speaker" in rule.source:
            # a reported obligation ("Russia said that Sudan must return ...", "Moskau müsse ..., sagte X"):
            # the one who says it demands it of the clause's subject
            source = self._speaker(doc, sentence, clause_index, match.anchor)
            target_arg, _ = self._by_position(every, rule.target, match.anchor, source, source) if source else (None, None)
            if target_arg is None:
                return []
            return self._finish(doc, rule, source, target_arg.mention, mentions, True, True, every, True)
        if kind == "noun":
            agent = next((a for a in args if a.prep in self.syntax.passive_agent_preps and a.genitive_head is None and a.position > match.anchor), None)
            if agent is not None:  # "die Ausweisung der Diplomaten durch Polen": the agent acts, the genitive suffers
                # a noun's own object is its of-phrase or genitive: "obj" comes last ("the shelling of X by Y killed ...")
                positions = tuple(p for p in rule.target if p != "obj") + ("gen",) + (("obj",) if "obj" in rule.target else ())
                target_arg, _ = self._by_position(every, positions, match.anchor, agent.mention, agent.mention)
                return self._finish(doc, rule, agent.mention, target_arg.mention if target_arg else None, mentions, True,
                                    target_arg is not None, every, True)
        source, explicit = self._own_source(doc, sentence, clause_index, match, kind, args, places)
        if source is None:
            if "sym" in rule.flags:
                return self._joint_roles(doc, sentence, clause_index, mentions)
            source, explicit = self._fallback_source(rule, match, every), False
        if source is None:
            return []
        violent = rule.code[:2] in VIOLENT_ROOTS  # "used chemical weapons against the town of Douma": a place of one's own country
        target_arg, _ = self._by_position(every, rule.target, match.anchor, source, source, violent) if rule.target else (None, None)
        target = target_arg.mention if target_arg else None
        if target is None and rule.target:
            target = self._fallback_target(doc, sentence, clause_index, match, source)
        return self._finish(doc, rule, source, target, mentions, explicit, target is not None, every, explicit)

    def _kind(self, doc: Doc, clause: Clause, match: _Match, args: list[Argument]) -> str:
        """The rule's kind, except that in English a verb pattern's word after a determiner with a by-agent
        after it is used as a noun ("the release of three Japanese nationals by China")."""
        if match.rule.kind != "verb" or not self.syntax.subject_before_verb or match.anchor <= clause.token_start:
            return match.rule.kind
        before = doc.tokens[match.anchor - 1].lower
        nominal = before in self.syntax.determiners or (self.syntax.possessives and before.endswith(self.syntax.possessives))
        agent_preps = self.syntax.passive_agent_preps
        if nominal and any(a.prep in agent_preps and a.genitive_head is None and a.position > match.anchor for a in args):
            return "noun"
        if (nominal and self.gerund and doc.tokens[match.anchor].lower.endswith(self.gerund)
                and match.anchor - 2 >= clause.token_start and doc.tokens[match.anchor - 2].lower in self.syntax.prepositions):
            return "embedded"  # "an inquiry into the killing of civilians": a gerund inside another act's phrase
        return "verb"

    def _is_passive(self, doc: Doc, clause: Clause, match: _Match, args: list[Argument], clause_passive: bool) -> bool:
        agent_preps = self.syntax.passive_agent_preps
        if not self.modality.passive_adjacent:  # German: a passive auxiliary and a participle, or an agent phrase
            has_agent = any(a.prep in agent_preps and a.genitive_head is None for a in args)
            return clause_passive or (has_agent and self.modality.has_passive_auxiliary(doc, clause))
        # English: the passive is the anchor's own verb form; "is prepared to lift the ban", "is committed to
        # opening up" are adjectives, no passive
        following = doc.tokens[match.anchor + 1].lower if match.anchor + 1 < clause.token_end else ""
        adjective = following == self.syntax.infinitive_marker and not any(a.prep in agent_preps for a in args)
        return self.modality.passive_at(doc, clause, match.anchor) and not adjective

    def _passive_roles(self, doc: Doc, rule: TriggerRule, match: _Match, mentions: list[Mention], every: list[Argument],
                       args: list[Argument]) -> list[_Roles]:
        source_arg, _ = self._by_position(args, self.syntax.passive_agent_preps, match.anchor, None, None)
        if source_arg is None:
            return []
        source = source_arg.mention
        target_arg = self.syntax.subject([a for a in every if a.mention is not source], match.anchor)
        if target_arg is None and self.syntax.subject_before_verb:  # "a camp for Congolese refugees was attacked"
            target_arg = next((a for a in every if a.position < match.anchor and a.mention is not source
                               and a.prep not in self.locatives and a.genitive_head is None), None)
        target = target_arg.mention if target_arg and self._differs(target_arg.mention, source) else None
        if target is None:  # "sanctions were imposed on North Korea by Japan": the pattern's prepositions still hold
            prepositional = tuple(p for p in rule.target if p not in ("obj", "subj", "gen"))
            found, _ = self._by_position(every, prepositional, match.anchor, source, source) if prepositional else (None, None)
            target = found.mention if found else None
        return self._finish(doc, rule, source, target, mentions, True, target is not None, every, True)

    def _own_source(self, doc: Doc, sentence: Sentence, clause_index: int, match: _Match, kind: str,
                    args: list[Argument], places: list[Mention]) -> tuple[Mention | None, bool]:
        """The source the clause gives itself, and whether it is explicit."""
        clause = sentence.clauses[clause_index]
        if kind == "embedded":  # its actor is in its own phrase ("the killing of civilians by soldiers") or unknown
            source_arg, _ = self._by_position(args, self.noun_sources, match.anchor, None, None)
            return (source_arg.mention if source_arg else None), source_arg is not None
        if kind == "noun":
            source_arg, _ = self._by_position(args, match.rule.source, match.anchor, None, None)
            if source_arg is not None:
                return source_arg.mention, True
            subject = self.syntax.subject(args)
            return (subject.mention if subject else None), False
        controller = None
        if clause.zu_infinitive and clause_index > 0 and not self.syntax.subject_before_verb:
            # "Niger drohte, den französischen Botschafter auszuweisen": an infinitive clause has no subject
            # of its own; its actor is the subject of the clause it depends on, a bare actor in it is an object
            controller = self._inherited_subject(doc, sentence, clause_index)
        elif clause.introducer == self.complementizer and clause_index > 0 and self._speaker_pronoun(doc, clause, match.anchor):
            # "Syria says it will not accept ...", "the rebels said (that) they will release ...": the subject
            # pronoun of a reported clause is the speaker
            controller = self._inherited_subject(doc, sentence, clause_index)
        if controller is not None:
            return controller, True
        source_arg, _ = self._by_position(args, match.rule.source, match.anchor, None, None)
        if source_arg is not None:
            return source_arg.mention, True
        if self._is_relative(clause):
            antecedent = self._antecedent(doc, clause, places)  # "Sharon, who has vowed ...": the relative pronoun's noun
            return antecedent, antecedent is not None
        return self._inherited_subject(doc, sentence, clause_index), False

    def _joint_roles(self, doc: Doc, sentence: Sentence, clause_index: int, mentions: list[Mention]) -> list[_Roles]:
        """A joint act without a subject: the pair of its clause or of a relative clause after it."""
        pools = [mentions] + [self._mentions_in(doc, c) for c in sentence.clauses[clause_index + 1:clause_index + 2] if c.introducer == "relative"]
        for pool in pools:
            pair = self._pair_in(doc, pool)
            if pair:
                return [_Roles(pair[0], pair[1], False, False, joint=True)]
        return []

    def _fallback_source(self, rule: TriggerRule, match: _Match, every: list[Argument]) -> Mention | None:
        located = self._located(every, None)  # "In Tiflis demonstrierten Zehntausende": the people of that country
        if located is not None or "domestic" not in rule.flags or not rule.target:
            return located
        # "Thousands demonstrated against the government in Tbilisi": protesters of the country they address
        found, _ = self._by_position(every, rule.target, match.anchor, None, None)
        if found is None or found.mention.code not in self.lang.countries:
            return None
        return replace(found.mention, role="CVL", form_kind="implied", resolved_from=found.mention.id,
                       name=f"{self.lang.countries[found.mention.code]} (population)", secondary_codes=())

    def _fallback_target(self, doc: Doc, sentence: Sentence, clause_index: int, match: _Match, source: Mention) -> Mention | None:
        """A target from the clauses around: a condition's actor, a that-clause's actor, the victim who reports."""
        target = self._neighbour_target(doc, sentence, clause_index, source, match.rule)
        if target is None and self.book[match.rule.code].quad_class >= 3:
            # "Israel behauptet, die Hamas habe die Waffenruhe gebrochen": a hostile act reported without its
            # victim is told by the victim
            speaker = self._speaker(doc, sentence, clause_index, match.anchor, reported_only=True)
            if speaker is not None and self._differs(speaker, source) and speaker.code != source.code:
                target = speaker
        return target

    def _finish(self, doc: Doc, rule: TriggerRule, source: Mention, target: Mention | None, mentions: list[Mention],
                explicit_source: bool, explicit_target: bool, every: list[Argument], subject_explicit: bool) -> list[_Roles]:
        joint = False
        if target is None and "sym" in rule.flags:
            target = self._partner(doc, source, mentions)
            explicit_target = joint = target is not None
        if target is None and rule.target:
            located = self._located(every, source)
            if located is not None and self._differs(located, source):
                target = located  # "eine Waffenruhe im Sudan"
        if target is None and rule.target and self.fallback_targets:
            target = next((a.mention for a in every if a.prep in self.fallback_targets and self._differs(a.mention, source)), None)
            explicit_target = target is not None
        if target is None and "domestic" in rule.flags:
            target = self._domestic(source)  # a curfew, a strike: addressed to the source's own country
        elif target is None and rule.target:
            if "dyadic" in rule.flags or any(self._differs(a.mention, source) for a in every):
                return []  # another actor stands in the clause: its role was not found, so nothing is coded
            # else no other actor in the clause: a one-sided act ("Syria will not accept any more refugees")
        out = [_Roles(source, target, explicit_source, explicit_target, joint)]
        if "sym" not in rule.flags:
            partner = self._partner(doc, source, mentions)
            if partner is not None and (target is None or partner.code != target.code):
                out.append(_Roles(partner, target, explicit_source, explicit_target))
            if target is not None and target.kind != "place":
                other = self._partner(doc, target, mentions)
                if other is not None and other.code != source.code:
                    out.append(_Roles(source, other, explicit_source, explicit_target))
        return out

    def _speaker(self, doc: Doc, sentence: Sentence, clause_index: int, anchor: int, reported_only: bool = False) -> Mention | None:
        """Who says the clause: the subject of the clause a that/dass clause depends on, else the speaker
        of the reported speech or quote the anchor stands in."""
        clause = sentence.clauses[clause_index]
        if clause.introducer is not None and clause.introducer == self.complementizer:
            speaker = self._inherited_subject(doc, sentence, clause_index)
            if speaker is not None:
                return speaker
        verb = next((k for k in range(clause.token_start, anchor) if doc.tokens[k].lemma in self.lang.speech_verbs), None)
        if verb is not None and not reported_only:  # "Poland says Russia must pay": the subject of the speech verb before the obligation
            args = self.syntax.arguments(doc, clause, self._mentions_in(doc, clause))
            subject = self.syntax.subject(args, verb)
            if subject is not None:
                return subject.mention
        position = doc.tokens[anchor].start
        return next((q.speaker for q in doc.quotes if q.start <= position < q.end and q.speaker is not None and q.speaker.code), None)

    def _neighbour_target(self, doc: Doc, sentence: Sentence, clause_index: int, source: Mention, rule: TriggerRule) -> Mention | None:
        """A target from the clauses around: the actor of a condition is the addressee of a threat or an
        offer ("threatened to stop the talks if the United States deploys ...", "will boycott ... unless the
        president"); else the first other actor of a that-clause right after the clause."""
        following = [c for c in sentence.clauses[clause_index + 1:] if c.introducer in self.conditions][:1]
        neighbours = following + sentence.clauses[max(clause_index - 1, 0):clause_index]
        for clause in neighbours:  # "... unless the president agrees", "If Russia breaks the ceasefire, the EU could ..."
            if clause.introducer not in self.conditions:
                continue
            subject = self.syntax.subject(self.syntax.arguments(doc, clause, self._mentions_in(doc, clause)))
            if subject is not None and self._differs(subject.mention, source):
                return subject.mention
        following = sentence.clauses[clause_index + 1:clause_index + 2]
        if following and following[0].introducer == self.complementizer and "accuser" not in rule.flags:
            # "zuversichtlich, dass sich die Beziehungen zu Indien verbessern", "demanded that the US stop ...": the act is about the
            # first other actor of its that-clause (not for a denial, flag `accuser`: its addressee is who accused)
            return next((m for m in self._mentions_in(doc, following[0]) if self._differs(m, source)), None)
        return None

    def _speaker_pronoun(self, doc: Doc, clause: Clause, anchor: int) -> bool:
        first = clause.token_start + (doc.tokens[clause.token_start].lower == self.complementizer)
        return first < anchor and doc.tokens[first].lower in self.speaker_pronouns

    def _is_relative(self, clause: Clause) -> bool:
        """A relative clause whose pronoun is its subject ("who vowed", "which is preparing"); not one whose
        pronoun is an object ("whom they took hostage"), nor an infinitive clause opened by an article."""
        if clause.zu_infinitive or clause.introducer in ("whom", "whose") or clause.introducer == self.complementizer:
            return False  # (a that-clause after a speech verb is its complement, not a relative clause)
        return clause.introducer == "relative" or clause.introducer in self.relatives

    def _antecedent(self, doc: Doc, clause: Clause, places: list[Mention]) -> Mention | None:
        """The actor a relative clause hangs on: the mention ending right before it (commas aside)."""
        end = clause.token_start
        while end > 0 and doc.tokens[end - 1].is_punct:
            end -= 1
        for m in doc.mentions:
            if m.token_end == end and m.code:
                return m
        return None

    def _inherited_subject(self, doc: Doc, sentence: Sentence, clause_index: int) -> Mention | None:
        """The subject of an earlier clause of the sentence ("X will nicht ausschließen, ... zusammenzuarbeiten")."""
        for previous in reversed(sentence.clauses[:clause_index]):
            if previous.introducer is not None:
                continue  # a subordinate or relative clause's subject controls nothing outside it
            subject = self.syntax.subject(self.syntax.arguments(doc, previous, self._mentions_in(doc, previous)))
            if subject is not None:
                return subject.mention
        return None

    # -- dates, places, quotes -----------------------------------------------------------
    def _date(self, doc: Doc, sentence: Sentence, clause: Clause, anchor: int, narrative: TimeExpr | None) -> EventDate:
        in_sentence = [t for t in doc.times if t.sentence == sentence.index and t.kind in _DATE_KINDS and t.value is not None]
        in_clause = [t for t in in_sentence if clause.token_start <= t.token_start < clause.token_end]
        pool = in_clause or in_sentence
        if pool:
            best = min(pool, key=lambda t: abs(t.token_start - anchor))
            return EventDate(best.value.iso(), best.value.granularity, "text", best.id)
        if narrative is not None and narrative.value is not None:
            return EventDate(narrative.value.iso(), narrative.value.granularity, "text", narrative.id)
        if doc.published is not None:
            return EventDate(doc.published.iso(), doc.published.granularity, "published", None)
        return EventDate("", "unknown", "unknown", None)

    def _place(self, doc: Doc, sentence: Sentence, clause: Clause):
        """A place the text puts the event at: after a locative preposition, in its clause, else its sentence."""
        tokens = doc.tokens
        candidates = []
        for place in doc.places:
            if place.sentence != sentence.index:
                continue
            index = next((i for i in range(sentence.token_start, sentence.token_end) if tokens[i].start == place.start), None)
            if index is None or index == sentence.token_start:
                continue
            before = tokens[index - 1].lower
            if before not in self.locatives and not (index >= 2 and tokens[index - 2].lower in self.locatives and tokens[index - 1].lower in self.syntax.determiners):
                continue
            candidates.append((not (clause.token_start <= index < clause.token_end), place))
        return min(candidates, key=lambda c: c[0])[1] if candidates else None

    # -- component -----------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        events: list[Event] = []
        seen: set[tuple] = set()
        narrative: TimeExpr | None = None
        times_by_sentence: dict[int, list[TimeExpr]] = {}
        for t in doc.times:
            times_by_sentence.setdefault(t.sentence, []).append(t)
        places = self._place_mentions(doc)
        for sentence in doc.sentences:
            if not sentence.is_caption:
                self._code_sentence(doc, sentence, narrative, events, seen, places)
            for t in times_by_sentence.get(sentence.index, ()):
                if t.sets_narrative:
                    narrative = t
        doc.events = events
        self._indexed = None  # do not keep the document alive
        return doc

    def _code_sentence(self, doc: Doc, sentence: Sentence, narrative: TimeExpr | None, events: list[Event], seen: set[tuple], places: list[Mention]) -> None:
        effects = None
        for clause_index, clause in enumerate(sentence.clauses):
            matches = self.match(doc, clause)
            if not matches:
                continue
            if effects is None:
                effects = self.modality.clause_effects(doc, sentence)
            passive = self.modality.is_passive(doc, clause)
            for found in matches:
                for roles in self.roles(doc, sentence, clause_index, found, passive, places):
                    event = self._event(doc, sentence, clause, found, roles, effects[clause_index], narrative, len(events) + 1)
                    key = (event.code, roles.source.code, roles.target.code if roles.target else None, sentence.index, event.status)
                    if key in seen:
                        continue
                    seen.add(key)
                    events.append(event)

    def _event(self, doc: Doc, sentence: Sentence, clause: Clause, found: _Match, roles: _Roles, effects: set[str], narrative: TimeExpr | None, number: int) -> Event:
        rule = found.rule
        code = rule.code
        if code[:2] not in ("02", "10") and self.modality.directed(doc, clause, found.anchor):
            effects = effects | {"hypothetical"}  # "called on Muslim countries to boycott Israeli goods": asked for, not done
        if "speaker" in rule.source:
            effects = effects - {"hypothetical"}  # the demand is made; only what it demands is hypothetical
        # "will not accept refugees", "is not willing to negotiate", "will nicht verhandeln": a refusal, asserted.
        # A negated promise ("has not offered to send") stays a negated intent.
        refusal = self.book.refusal_of(code) if "negate" in effects and effects & {"plan", "volition"} else None
        posture = self.book.posture_of(code) if "prepare" in effects and not refusal else None
        if "prepare" in effects and self.book[code].root == "15":
            posture = code  # preparing a show of force ("prepared an offensive") is the show of force
        if refusal:
            code, effects = refusal, effects - {"negate", "plan", "intent", "volition"}
        elif posture:  # "the army prepared to resume shelling": a show of force, happening now
            code, effects = posture, effects - {"prepare", "plan"}
        elif effects & {"intent", "volition"}:
            code = self.book.intent_of(code) or code
        entry = self.book[code]
        anchor = doc.tokens[found.anchor]
        confidence = 0.45 + 0.2 * roles.explicit_source + 0.15 * roles.explicit_target + 0.1 * (len(rule.items) > 1)
        if roles.source.resolved_from or (roles.target and roles.target.resolved_from):
            confidence -= 0.1
        if self.gerund and found.anchor > clause.token_start and anchor.lower.endswith(self.gerund) \
                and doc.tokens[found.anchor - 1].lower in self.syntax.prepositions:
            confidence -= 0.1  # "aimed at establishing relations", "accused of violating": a dependent act
        if "hypothetical" in effects:
            confidence -= 0.1  # a demanded, conditional or possible act is less sure to be news than one that happened
        if roles.target is None and rule.target:
            confidence -= 0.1  # the pattern wants an addressee and the clause names none
        if clause.introducer is not None and clause.introducer != self.complementizer:
            confidence -= 0.2  # a subordinate or relative clause mostly gives background (what is said is the news)
        quotes = [q for q in doc.quotes if q.start <= anchor.start < q.end]
        speaker = next((q.speaker for q in quotes if q.speaker is not None), None)
        place = self._place(doc, sentence, clause)
        return Event(
            id=f"{doc.doc_id}#e{number}",
            code=code,
            root=entry.root,
            quad_class=entry.quad_class,
            goldstein=entry.goldstein,
            plover=self.book.plover_for(code, status_of(effects), rule.plover if code == rule.code else None),
            source=roles.source,
            target=roles.target,
            date=self._date(doc, sentence, clause, found.anchor, narrative),
            status=status_of(effects),
            sentence=sentence.index,
            clause=clause.index,
            trigger_start=anchor.start,
            trigger_end=anchor.end,
            trigger_text=" ".join(doc.tokens[i].text for i in sorted(found.used)),
            trigger_lemma=anchor.lemma,
            rule=Provenance(self.name, rule.file, rule.line, rule.id),
            pattern=rule.pattern,
            confidence=round(max(0.05, min(confidence, 0.99)), 2),
            place=place,
            quote_ids=[q.id for q in quotes],
            speaker=speaker,
            modality=sorted(effects),
            joint="sym" in rule.flags,
        )
