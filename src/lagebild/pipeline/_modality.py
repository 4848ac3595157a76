"""Modality of clauses: negation, plans, claims, hypotheticals, failure and intent, from `modality.tsv`.

Each clause gets a set of effects. A rule's scope says where it applies: its own clause, the whole
sentence, or the clauses it introduces (a claim verb: "X behauptet, Y habe ..."). An `invert` verb
("ausschließen", "rule out") turns into intent when negated and into negation otherwise, for the
clauses it introduces.
"""

from __future__ import annotations

from lagebild.lexicons.entries import ModalityRule
from lagebild.lexicons.loader import LanguageData
from lagebild.model import Clause, Doc, Sentence

# Effects of a clause that its dependent infinitive clause shares ("soll versucht haben, ... zu ...").
_INHERITED = frozenset(["plan", "intent", "volition", "attempt", "claim", "hypothetical"])
STATUS_ORDER = ("failed", "negated", "claimed", "hypothetical", "planned")
_EFFECT_STATUS = {"fail": "failed", "negate": "negated", "claim": "claimed", "hypothetical": "hypothetical", "plan": "planned",
                  "prepare": "planned"}


def status_of(effects: set[str]) -> str:
    found = {_EFFECT_STATUS[e] for e in effects if e in _EFFECT_STATUS}
    return next((s for s in STATUS_ORDER if s in found), "asserted")


class ModalityAnalyzer:
    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        morphology = lang.config.get("morphology", {})
        self.passive_aux = morphology.get("passive_auxiliary")
        self.participle_suffixes = tuple(morphology.get("participle_suffixes", ()))
        self.future_forms = frozenset(morphology.get("future_auxiliary_forms", ()))
        self.verb_endings = tuple(morphology.get("verb_lemma_endings", ("en", "ern", "eln")))
        self.passive_adjacent = bool(morphology.get("passive_adjacent", False))
        # English: the words of a multiword form ("prepare to", "want to") stand in order, at most this many
        # words apart; German leaves it unset (its forms are split by the verb bracket: "soll ... haben").
        window = lang.config.get("modality", {}).get("multiword_window")
        self.window: int | None = int(window) if window is not None else None
        # a condition ("falls die USA angreifen") is not part of what a claim or threat before it says
        self.conditions = frozenset(lang.config.get("clauses", {}).get("condition_introducers", ()))
        # German infinitive clauses stand apart ("plant, ... zu verlegen") and continue their verb's plan or claim
        self.infinitive_inherits = bool(lang.config.get("modality", {}).get("infinitive_inherits", False))
        # English verbs whose object is asked to do the infinitive after it ("urged X to ...")
        self.directives = frozenset(lang.config.get("modality", {}).get("directive_verbs", ()))
        self.infinitive = morphology.get("zu_infinitive_marker")
        self.agent_preps = frozenset(lang.config.get("syntax", {}).get("passive_agent_prepositions", ()))

    def has_passive_auxiliary(self, doc: Doc, clause: Clause) -> bool:
        return bool(self.passive_aux) and any(t.lemma == self.passive_aux for t in doc.tokens[clause.token_start:clause.token_end])

    def is_passive(self, doc: Doc, clause: Clause) -> bool:
        """A form of the passive auxiliary with a participle-like verb form in the same clause."""
        tokens = doc.tokens[clause.token_start:clause.token_end]
        if not self.passive_aux or not any(t.lemma == self.passive_aux for t in tokens):
            return False
        if self.passive_adjacent:  # English: "was attacked", "were quickly expelled"
            for n, t in enumerate(tokens):
                if t.lemma != self.passive_aux:
                    continue
                for follower in tokens[n + 1:n + 3]:
                    if follower.lower != follower.lemma and follower.lower.endswith(self.participle_suffixes):
                        return True
                    if not follower.lower.endswith("ly"):
                        break
            return False
        return any(
            not t.is_upper_initial and not t.is_punct and t.lemma != self.passive_aux
            and t.lower != t.lemma and t.lower.endswith(self.participle_suffixes)
            and (not self.verb_endings or t.lemma.endswith(self.verb_endings))
            for t in tokens
        )

    def passive_at(self, doc: Doc, clause: Clause, anchor: int) -> bool:
        """English: the anchor itself is a participle right after a form of the passive auxiliary
        ("was attacked", "have been killed", "were quickly expelled"); a progressive ("is providing")
        or an adjective ("was pessimistic") is not passive."""
        token = doc.tokens[anchor]
        if token.lower.endswith("ing"):
            return False
        participle = token.lower != token.lemma and token.lower.endswith(self.participle_suffixes)
        followed_by_agent = anchor + 1 < clause.token_end and doc.tokens[anchor + 1].lower in self.agent_preps
        if not (participle or followed_by_agent):
            return False
        i = anchor - 1
        while i >= clause.token_start:
            before = doc.tokens[i]
            if before.lemma == self.passive_aux:
                return True
            if not (before.lower.endswith("ly") or before.lower in ("not", "never", "also", "already", "reportedly", "allegedly")):
                return False
            i -= 1
        return False

    def directed(self, doc: Doc, clause: Clause, anchor: int) -> bool:
        """English: the anchor is the infinitive an appeal asks for ("called on Muslim countries to boycott",
        "urged Serbia to resume talks"): a directive verb, then the infinitive marker, then the anchor."""
        if not self.directives or not self.infinitive:
            return False
        marker = None
        for k in range(anchor - 1, clause.token_start - 1, -1):
            token = doc.tokens[k]
            if marker is None and token.lower == self.infinitive:
                marker = k
            elif marker is not None and token.lemma in self.directives:
                return True
        return False

    def _in_order(self, rule: ModalityRule, tokens) -> bool:
        """Whether the words of a multiword form stand in their order, each at most `window` words after the last."""
        def fits(word: str, token) -> bool:
            return token.lower == word[1:] if word.startswith("=") else word in (token.lemma, token.lower)

        starts = [n for n, t in enumerate(tokens) if fits(rule.lemmas[0], t)]
        for start in starts:
            at = start
            for word in rule.lemmas[1:]:
                at = next((n for n in range(at + 1, min(at + 2 + self.window, len(tokens))) if fits(word, tokens[n])), None)
                if at is None:
                    break
            else:
                return True
        return False

    def _rules_in(self, lemmas: set[str], lowers: set[str], tokens=None) -> list[ModalityRule]:
        found: dict[str, ModalityRule] = {}
        for word in lemmas | lowers | {"=" + w for w in lowers}:
            for rule in self.lang.modality_by_lemma.get(word, ()):
                if self.window is not None and len(rule.lemmas) > 1 and tokens is not None:
                    if not self._in_order(rule, tokens):
                        continue
                elif not all((w[1:] in lowers) if w.startswith("=") else (w in lemmas or w in lowers) for w in rule.lemmas):
                    continue
                best = found.get(rule.lemmas[0])
                if best is None or len(rule.lemmas) > len(best.lemmas):
                    found[rule.lemmas[0]] = rule
        # a longer rule hides the shorter rules of its own words ("sollen haben" hides "sollen" and "haben")
        longest = [r for r in found.values() if len(r.lemmas) > 1]
        return [r for r in found.values() if len(r.lemmas) > 1 or not any(r.lemmas[0] in l.lemmas for l in longest)]

    def clause_effects(self, doc: Doc, sentence: Sentence) -> list[set[str]]:
        effects: list[set[str]] = []
        sentence_wide: set[str] = set()
        carried: set[str] = set()
        previous_own: set[str] = set()
        for clause in sentence.clauses:
            tokens = doc.tokens[clause.token_start:clause.token_end]
            lemmas = {t.lemma for t in tokens}
            lowers = {t.lower for t in tokens}
            own: set[str] = set()
            introduced: set[str] = set()
            for rule in self._rules_in(lemmas, lowers, tokens):
                if rule.scope == "sentence":
                    sentence_wide.add(rule.effect)
                elif rule.scope == "complement":
                    introduced.add(rule.effect)
                else:
                    own.add(rule.effect)
            if lowers & self.future_forms and not self.is_passive(doc, clause):
                own.add("plan")
            if "invert" in introduced:
                introduced.discard("invert")
                if "negate" in own:
                    own.discard("negate")
                    introduced.add("intent")
                else:
                    introduced.add("negate")
            if "refuse" in introduced:  # "weigerte sich, ... freizulassen": the complement is refused
                introduced.discard("refuse")
                introduced |= {"volition", "negate"}
            if "volition" in introduced and "negate" in own:
                introduced.add("negate")  # "ist nicht bereit, zu verhandeln": the will is denied, a refusal
            if clause.zu_infinitive and effects and self.infinitive_inherits:
                # "plant, weitere Soldaten zu verlegen": an infinitive clause continues the verb it depends on
                own |= previous_own & _INHERITED
            previous_own = own
            effects.append(own | (carried if clause.introducer not in self.conditions else set()))
            if introduced:
                carried = carried | introduced
        return [e | sentence_wide for e in effects]
