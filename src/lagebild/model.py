"""The document model: one `Doc` per article, annotations pointing back into the text.

Every annotation carries character offsets (`start`, `end`) into `Doc.text` and a `Provenance`
saying which component produced it and from which lexicon entry, so that an analyst can always
ask "why?" and get the sentence, the spans and the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True, frozen=True)
class Provenance:
    """Where an annotation came from: the component, and the lexicon entry if there was one."""

    component: str
    file: str | None = None
    line: int | None = None
    entry: str | None = None

    def as_dict(self) -> dict:
        return {"component": self.component, "file": self.file, "line": self.line, "id": self.entry}


@dataclass(slots=True)
class Article:
    """An article as it enters the pipeline."""

    doc_id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # "YYYY-MM-DD", "YYYY-MM", "YYYY" or None: the precision is the evidence's
    lang: str | None = None


@dataclass(slots=True, frozen=True)
class TimePoint:
    """A calendar value at a stated granularity: day, week, month, year or decade."""

    year: int
    month: int | None = None
    day: int | None = None
    granularity: str = "day"
    week: int | None = None

    def iso(self) -> str:
        if self.granularity == "day":
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.granularity == "week":
            return f"{self.year:04d}-W{self.week:02d}"
        if self.granularity == "month":
            return f"{self.year:04d}-{self.month:02d}"
        if self.granularity == "decade":
            return f"{self.year // 10 * 10:04d}s"
        return f"{self.year:04d}"


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    lower: str
    lemma: str  # lower-case lemma
    sentence: int
    is_punct: bool = False
    is_upper_initial: bool = False
    particle_of: int | None = None  # a separable particle re-attached to this verb token's lemma
    oov: bool = False  # the lemmatiser did not know the word


@dataclass(slots=True)
class Clause:
    """A stretch of a sentence between clause boundaries (token indices, end exclusive)."""

    index: int
    sentence: int
    token_start: int
    token_end: int
    introducer: str | None = None  # the word that opened it ("dass", "zu"-infinitive, ...)
    zu_infinitive: bool = False


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    end: int
    token_start: int = 0
    token_end: int = 0
    paragraph: int = 0
    is_heading: bool = False
    is_caption: bool = False  # photo caption or credit line: read for dates, never coded
    clauses: list[Clause] = field(default_factory=list)


@dataclass(slots=True)
class Mention:
    """An actor mention: a country, person, organisation, outlet, agent, bloc or pronoun."""

    id: str
    start: int
    end: int
    text: str
    sentence: int
    token_start: int
    token_end: int
    kind: str  # country | person | organisation | outlet | agent | bloc | pronoun
    code: str | None  # primary code (ISO3 / organisation code / WST / INT)
    role: str | None
    actor_id: str | None
    name: str
    provenance: Provenance
    form_kind: str = "name"  # name | adjective | capital | demonym | title | pronoun
    office: str | None = None
    gender: str | None = None
    resolved_from: str | None = None
    antecedent_span: tuple[int, int] | None = None
    coref_kind: str | None = None
    secondary_codes: tuple[str, ...] = ()  # further countries of a pair mention ("beide Länder")

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(slots=True)
class TimeExpr:
    id: str
    start: int
    end: int
    text: str
    sentence: int
    token_start: int
    token_end: int
    kind: str  # date | duration | since | anchor
    value: TimePoint | None
    duration: str | None
    provenance: Provenance
    sets_narrative: bool = False  # a day-level date the following text is understood to happen on


@dataclass(slots=True)
class Quote:
    id: str
    start: int
    end: int
    text: str
    sentence: int
    kind: str  # direct | reported
    speaker: Mention | None = None
    via: Mention | None = None
    cue: str | None = None
    provenance: Provenance | None = None


@dataclass(slots=True)
class Place:
    id: str
    start: int
    end: int
    text: str
    sentence: int
    name: str
    country: str
    lat: float
    lon: float
    provenance: Provenance


@dataclass(slots=True)
class EventDate:
    value: str
    granularity: str
    basis: str  # "text" or "published" (or "unknown" when there is no publication date)
    time_id: str | None = None


@dataclass(slots=True)
class Event:
    id: str
    code: str
    root: str
    quad_class: int
    goldstein: float
    plover: str | None
    source: Mention
    target: Mention | None
    date: EventDate
    status: str
    sentence: int
    clause: int
    trigger_start: int
    trigger_end: int
    trigger_text: str
    trigger_lemma: str
    rule: Provenance
    pattern: str
    confidence: float
    place: Place | None = None
    quote_ids: list[str] = field(default_factory=list)
    speaker: Mention | None = None
    modality: list[str] = field(default_factory=list)
    joint: bool = False  # a joint action of source and target (signing, meeting): either may be named first


@dataclass(slots=True)
class Doc:
    """An article with every annotation the pipeline added."""

    article: Article
    lang: str
    text: str
    published: TimePoint | None = None
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.article.doc_id

    def to_records(self) -> dict:
        from lagebild.records import doc_records

        return doc_records(self)
