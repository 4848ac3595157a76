"""Compiled lexicon entries: plain frozen dataclasses the pipeline components read."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True, frozen=True)
class ActorEntry:
    """One surface form's meaning: which actor, of what kind, from which file and line."""

    kind: str  # country | person | organisation | outlet | agent | bloc | coref
    code: str | None
    role: str | None
    actor_id: str | None
    name: str
    form_kind: str  # name | adjective | capital | demonym | title | pronoun
    file: str
    line: int
    office: str | None = None
    coref_kind: str | None = None


@dataclass(slots=True, frozen=True)
class OfficeTerm:
    person_id: str
    country: str
    office: str
    role: str
    start: str | None
    end: str | None
    file: str
    line: int

    def covers(self, day: str) -> bool:
        """Whether the term covers `day` (ISO, any precision: compared on the shared prefix)."""
        if self.start and day[: len(self.start)] < self.start[: len(day)]:
            return False
        if self.end and day[: len(self.end)] > self.end[: len(day)]:
            return False
        return True


@dataclass(slots=True)
class Person:
    id: str
    name: str
    terms: list[OfficeTerm] = field(default_factory=list)

    def term_at(self, day: str | None) -> OfficeTerm | None:
        """The office held at `day`; else the last one before it; else the first one."""
        if not self.terms:
            return None
        if day is None:
            return max(self.terms, key=lambda t: t.end or "9999")
        current = [t for t in self.terms if t.covers(day)]
        if current:
            rank = {"head_of_state": 0, "head_of_government": 1, "secretary_general": 2}
            return min(current, key=lambda t: rank.get(t.office, 5))
        before = [t for t in self.terms if t.start and t.start[:4] <= day[:4]]
        if before:
            return max(before, key=lambda t: t.end or t.start or "")
        return min(self.terms, key=lambda t: t.start or "")


@dataclass(slots=True, frozen=True)
class TriggerItem:
    lemmas: frozenset[str]
    suffixes: tuple[str, ...]
    literals: frozenset[str]

    def matches(self, lemma: str, lower: str) -> bool:
        if lemma in self.lemmas or lower in self.literals:
            return True
        return any(lemma.endswith(s) and len(lemma) > len(s) for s in self.suffixes)


@dataclass(slots=True, frozen=True)
class TriggerRule:
    id: str
    code: str
    kind: str  # verb | noun
    items: tuple[TriggerItem, ...]
    target: tuple[str, ...]
    source: tuple[str, ...]
    flags: frozenset[str]
    pattern: str
    file: str
    line: int
    example: str | None = None

    @property
    def plover(self) -> str | None:
        """The PLOVER type the rule names itself (flag `plover=TYPE`), where its CAMEO code says less."""
        return next((f.split("=", 1)[1] for f in self.flags if f.startswith("plover=")), None)


@dataclass(slots=True, frozen=True)
class ModalityRule:
    lemmas: tuple[str, ...]
    effect: str
    scope: str
    file: str
    line: int


@dataclass(slots=True, frozen=True)
class SpeechRule:
    lemmas: tuple[str, ...]
    kind: str  # verb | marker_before | marker_after
    speaker: str
    via: str | None
    code: str | None
    file: str
    line: int


@dataclass(slots=True, frozen=True)
class PlaceEntry:
    name: str
    country: str
    lat: float
    lon: float
    file: str
    line: int
