"""Load, validate and compile the lexicons of a language; cache the compiled form on disk.

`load_language("de")` returns a `LanguageData` with everything the pipeline needs. The compiled
object is pickled to the cache folder (`$LAGEBILD_CACHE`, else `~/.cache/lagebild`) under a key made
from the contents of every lexicon file, so a changed lexicon rebuilds it and start-up stays fast.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tomllib
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import ahocorasick

from lagebild.cameo import codebook
from lagebild.errors import LexiconError
from lagebild.lexicons._tsv import Row, check_code, check_date, check_role, read_tsv
from lagebild.lexicons.entries import (
    ActorEntry,
    ModalityRule,
    OfficeTerm,
    Person,
    PlaceEntry,
    SpeechRule,
    TriggerItem,
    TriggerRule,
)

PACKAGE_ROOT = Path(__file__).resolve().parent
ROOT = Path(os.environ["LAGEBILD_LEXICONS"]).resolve() if os.environ.get("LAGEBILD_LEXICONS") else PACKAGE_ROOT
CACHE_VERSION = "5"
OFFICES = frozenset(
    "head_of_state head_of_government foreign_minister defence_minister secretary_general "
    "president_of_commission president_of_council high_representative deputy_head_of_government "
    "finance_minister interior_minister minister military_chief party_leader opposition_leader "
    "spokesperson other".split()
)
TRIGGER_POSITIONS = frozenset(["obj", "gen", "subj", "-"])  # besides the language's prepositions
TRIGGER_FLAGS = frozenset(["sym", "passive", "domestic", "dyadic", "accuser"])
# PLOVER event types of the 2021 CAMEO table (a trigger may name its type: `plover=RETREAT`).
PLOVER_TYPES = frozenset(
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN PROTEST SANCTION "
    "MOBILIZE COERCE ASSAULT".split()
)
EFFECTS = frozenset("negate plan claim hypothetical fail intent volition refuse prepare invert attempt".split())
SCOPES = frozenset(["clause", "sentence", "complement"])
COREF_KINDS = frozenset(
    "person_m person_f person_any possessive_country_m possessive_country_f country pair org".split()
)


def supported_languages() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in ROOT.iterdir() if (p / "language.toml").is_file()))


class LanguageData:
    """Everything the pipeline knows about one language, compiled for matching."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.config: dict = {}
        self.time: dict = {}
        self.forms: dict[str, list[ActorEntry]] = defaultdict(list)  # lower-case form → entries
        self.exact_forms: set[str] = set()  # forms matched case-sensitively
        self.originals: dict[str, set[str]] = defaultdict(set)  # lower-case form → forms as written
        self.discard: set[str] = set()
        self.countries: dict[str, str] = {}  # ISO3 → English name
        self.persons: dict[str, Person] = {}
        self.offices: dict[tuple[str, str], list[OfficeTerm]] = defaultdict(list)
        self.triggers: list[TriggerRule] = []
        self.triggers_by_lemma: dict[str, list[TriggerRule]] = defaultdict(list)
        self.trigger_suffixes: dict[str, list[TriggerRule]] = defaultdict(list)
        self.trigger_literals: dict[str, list[TriggerRule]] = defaultdict(list)
        self.modality: list[ModalityRule] = []
        self.modality_by_lemma: dict[str, list[ModalityRule]] = defaultdict(list)
        self.speech_verbs: dict[str, SpeechRule] = {}
        self.speech_markers: list[SpeechRule] = []
        self.places: dict[str, PlaceEntry] = {}
        self.automaton: ahocorasick.Automaton | None = None
        self.place_automaton: ahocorasick.Automaton | None = None
        self.suffix_lengths: tuple[int, ...] = ()
        self.item_suffixes: frozenset[str] = frozenset()  # compound heads used by any pattern item
        self.suffix_lengths_all: tuple[int, ...] = ()
        self.verb_lemmas: frozenset[str] = frozenset()  # lemmas the lexicons use as verbs

    def fold(self, lemma: str) -> str:
        """Lemma spelling folded the way the language file says (German: ß → ss)."""
        for old, new in self.config.get("morphology", {}).get("lemma_folding", ()):
            lemma = lemma.replace(old, new)
        return lemma

    # -- look-ups used by the pipeline -------------------------------------------------
    def holder(self, country: str, office: str, day: str | None) -> Person | None:
        """The person holding `office` for `country` at `day`, if the lexicon knows them."""
        terms = self.offices.get((country, office), [])
        if day:
            current = [t for t in terms if t.covers(day)]
        else:
            current = [t for t in terms if not t.end]
        if len(current) != 1:
            return None
        return self.persons.get(current[0].person_id)

    def triggers_for(self, lemma: str, lower: str) -> list[TriggerRule]:
        found = list(self.triggers_by_lemma.get(lemma, ()))
        found.extend(self.trigger_literals.get(lower, ()))
        for n in self.suffix_lengths:
            if len(lemma) > n:
                found.extend(self.trigger_suffixes.get(lemma[-n:], ()))
        return found


# -- common files ----------------------------------------------------------------------
def _common_paths() -> list[Path]:
    common = ROOT / "common"
    paths = [common / "countries.tsv", *_organisation_paths(), common / "outlets.tsv"]
    paths.extend(sorted((common / "persons").glob("*.tsv")))
    return paths


def _organisation_paths() -> list[Path]:
    """organisations.tsv, then any further files in common/organisations/ (historical bodies, ...)."""
    common = ROOT / "common"
    return [common / "organisations.tsv", *sorted((common / "organisations").glob("*.tsv"))]


def _label(path: Path) -> str:
    """The path as shown in error messages: relative to the package for bundled lexicons."""
    base = PACKAGE_ROOT.parent.parent
    return str(path.relative_to(base)) if path.is_relative_to(base) else str(path)


def _load_countries(data: LanguageData) -> None:
    path = ROOT / "common" / "countries.tsv"
    for row in read_tsv(path, ["code", "iso2", "kind", "name"], ["code", "iso2", "kind", "name"], _label(path)):
        code = check_code(row, "code")
        if len(code) != 3:
            raise row.fail(f"country code {code!r} must have three letters")
        if row["kind"] not in ("member", "observer", "other"):
            raise row.fail(f"kind {row['kind']!r} must be member, observer or other")
        if code in data.countries:
            raise row.fail(f"country {code} listed twice")
        data.countries[code] = row["name"]


def _add_form(data: LanguageData, form: str, entry: ActorEntry) -> None:
    if len(form) < 2:
        raise LexiconError(entry.file, entry.line, f"form {form!r} is too short to match safely")
    if len(form) < 4 or (form.isupper() and any(c.isalpha() for c in form)):
        data.exact_forms.add(form)
    key = form.lower()
    data.originals[key].add(form)
    if entry not in data.forms[key]:
        data.forms[key].append(entry)


def _load_organisations(data: LanguageData, path: Path, default_kind: str) -> None:
    columns = ["id", "code", "country", "role", "kind", "names"]
    seen: set[str] = set()
    for row in read_tsv(path, columns, ["id", "code", "names"], _label(path)):
        if row["id"] in seen:
            raise row.fail(f"id {row['id']!r} listed twice")
        seen.add(row["id"])
        code = check_code(row, "code")
        country = row["country"] or None
        if country and country not in data.countries:
            raise row.fail(f"unknown country {country!r}")
        role = check_role(row, "role")
        kind = "outlet" if (row["kind"] or default_kind) == "outlet" else "organisation"
        names = row.alternatives("names")
        entry = ActorEntry(kind, code, role, f"{path.stem}:{row['id']}", names[0], "name", row.file, row.line)
        for form in names:
            _add_form(data, form, entry)


def _load_persons(data: LanguageData) -> None:
    columns = ["id", "names", "country", "office", "role", "start", "end", "note"]
    for path in sorted((ROOT / "common" / "persons").glob("*.tsv")):
        for row in read_tsv(path, columns, ["id", "country", "office"], _label(path)):
            pid = row["id"]
            country = row["country"]
            if country not in data.countries and not check_code(row, "country"):
                raise row.fail(f"unknown country or organisation {country!r}")
            if row["office"] not in OFFICES:
                raise row.fail(f"office {row['office']!r} is not one of {sorted(OFFICES)}")
            role = check_role(row, "role") or "GOV"
            start, end = check_date(row, "start"), check_date(row, "end")
            if start and end and end[: len(start)] < start[: len(end)]:
                raise row.fail(f"end {end} lies before start {start}")
            names = row.alternatives("names")
            person = data.persons.get(pid)
            if person is None:
                if not names:
                    raise row.fail(f"first row of person {pid!r} has no names")
                person = data.persons[pid] = Person(pid, names[0])
            term = OfficeTerm(pid, country, row["office"], role, start, end, row.file, row.line)
            person.terms.append(term)
            data.offices[(country, row["office"])].append(term)
            entry = ActorEntry("person", None, None, f"persons:{pid}", person.name, "name", row.file, row.line)
            for form in _with_genitive(data, names):
                existing = [e for e in data.forms.get(form.lower(), ()) if e.actor_id == entry.actor_id]
                if not existing:
                    _add_form(data, form, entry)


def _with_genitive(data: LanguageData, names: list[str]) -> list[str]:
    """Names plus their genitive forms where the language forms them with a suffix ("Putins")."""
    morphology = data.config.get("morphology", {})
    suffix = morphology.get("genitive_suffix")
    if not suffix:
        return names
    blockers = tuple(morphology.get("genitive_blockers", ()))
    out = list(names)
    for name in names:
        if name[-1].isalpha() and not name.endswith(blockers) and not name.isupper() and len(name) >= 4:
            out.append(name + suffix)
    return out


# -- per-language files ----------------------------------------------------------------
def _load_language_countries(data: LanguageData, folder: Path) -> None:
    path = folder / "countries.tsv"
    endings = data.config.get("morphology", {}).get("adjective_endings", [""])
    for row in read_tsv(path, ["code", "names", "adjectives", "capitals", "demonyms"], ["code", "names"], _label(path)):
        code = row["code"]
        if code not in data.countries:
            raise row.fail(f"unknown country {code!r} (not in common/countries.tsv)")
        name = data.countries[code]
        cid = f"countries:{code}"
        for form in _with_genitive(data, row.alternatives("names")):
            _add_form(data, form, ActorEntry("country", code, None, cid, name, "name", row.file, row.line))
        for stem in row.alternatives("adjectives"):
            entry = ActorEntry("country", code, None, cid, name, "adjective", row.file, row.line)
            for ending in endings:
                _add_form(data, stem + ending, entry)
        for form in row.alternatives("capitals"):
            _add_form(data, form, ActorEntry("country", code, "GOV", cid, name, "capital", row.file, row.line))
        for form in row.alternatives("demonyms"):
            _add_form(data, form, ActorEntry("country", code, "CVL", cid, name, "demonym", row.file, row.line))


def _load_agents(data: LanguageData, folder: Path) -> None:
    path = folder / "agents.tsv"
    for row in read_tsv(path, ["forms", "role", "office", "code", "note"], ["forms"], _label(path)):
        role = check_role(row, "role")
        office = row["office"] or None
        if office and office not in OFFICES:
            raise row.fail(f"office {office!r} is not one of {sorted(OFFICES)}")
        code = check_code(row, "code") if row["code"] else None
        if code is None:
            kind, actor_id = "agent", f"agents:{data.code}:{row.line}"
        elif code in data.countries:
            kind, actor_id = "country", f"countries:{code}"  # a title of one country ("Bundeskanzler")
        else:
            kind, actor_id = ("bloc" if code in ("WST", "INT") else "organisation"), f"agents:{data.code}:{row.line}"
        forms = row.alternatives("forms")
        entry = ActorEntry(kind, code, role, actor_id, forms[0], "title", row.file, row.line, office=office)
        for form in forms:
            _add_form(data, form, entry)


def _load_coref(data: LanguageData, folder: Path) -> None:
    path = folder / "coref.tsv"
    for row in read_tsv(path, ["forms", "kind", "note"], ["forms", "kind"], _label(path)):
        if row["kind"] not in COREF_KINDS:
            raise row.fail(f"kind {row['kind']!r} is not one of {sorted(COREF_KINDS)}")
        entry = ActorEntry("pronoun", None, None, None, row.alternatives("forms")[0], "pronoun", row.file, row.line, coref_kind=row["kind"])
        for form in row.alternatives("forms"):
            _add_form(data, form, entry)


def _load_discard(data: LanguageData, folder: Path) -> None:
    path = folder / "discard.tsv"
    for row in read_tsv(path, ["forms", "note"], ["forms"], _label(path)):
        for form in row.alternatives("forms"):
            data.discard.add(form.lower())


def _trigger_item(data: LanguageData, row: Row, text: str) -> TriggerItem:
    lemmas, suffixes, literals = set(), [], set()
    for alt in text.split("|"):
        if not alt:
            raise row.fail(f"empty alternative in pattern item {text!r}")
        if alt.startswith("="):
            literals.add(alt[1:].lower())
        elif alt.startswith("*"):
            if len(alt) < 4:
                raise row.fail(f"compound head {alt!r} is too short (at least 3 letters after '*')")
            suffixes.append(data.fold(alt[1:].lower()))
        else:
            if alt != alt.lower():
                raise row.fail(f"pattern item {alt!r} must be a lower-case lemma")
            lemmas.add(data.fold(alt))
    return TriggerItem(frozenset(lemmas), tuple(suffixes), frozenset(literals))


def _load_triggers(data: LanguageData, folder: Path) -> None:
    path = folder / "triggers.tsv"
    book = codebook()
    columns = ["id", "code", "kind", "pattern", "target", "source", "flags", "example"]
    syntax = data.config.get("syntax", {})
    allowed = TRIGGER_POSITIONS | frozenset(syntax.get("prepositions", ()))
    noun_source = ",".join(syntax.get("noun_source_default", ["gen"]))
    seen: set[str] = set()
    for row in read_tsv(path, columns, ["id", "code", "kind", "pattern", "target"], _label(path)):
        if row["id"] in seen:
            raise row.fail(f"trigger id {row['id']!r} listed twice")
        seen.add(row["id"])
        code = row["code"]
        if code not in book:
            raise row.fail(f"unknown CAMEO code {code!r}")
        if row["kind"] not in ("verb", "noun"):
            raise row.fail(f"kind {row['kind']!r} must be verb or noun")
        items = tuple(_trigger_item(data, row, part) for part in row["pattern"].split())
        targets = tuple(t.strip() for t in row["target"].split(",") if t.strip())
        bad = [t for t in targets if t not in allowed]
        if bad:
            raise row.fail(f"target {bad}: use obj, gen, subj, - or a preposition listed in language.toml")
        default_source = "subj" if row["kind"] == "verb" else noun_source
        sources = tuple(s.strip() for s in (row["source"] or default_source).split(",") if s.strip())
        bad = [s for s in sources if s not in allowed | {"speaker"}]
        if bad:
            raise row.fail(f"source {bad}: use subj, obj, gen, speaker or a preposition listed in language.toml")
        flags = frozenset(f.strip() for f in row["flags"].split(",") if f.strip())
        plover = {f for f in flags if f.startswith("plover=")}
        if flags - TRIGGER_FLAGS - plover:
            raise row.fail(f"flags {sorted(flags - TRIGGER_FLAGS - plover)} not one of {sorted(TRIGGER_FLAGS)} or plover=TYPE")
        for flag in plover:
            if flag.split("=", 1)[1] not in PLOVER_TYPES:
                raise row.fail(f"{flag}: PLOVER type must be one of {sorted(PLOVER_TYPES)}")
        rule = TriggerRule(row["id"], code, row["kind"], items, tuple(t for t in targets if t != "-"), sources, flags,
                           row["pattern"], row.file, row.line, row["example"] or None)
        data.triggers.append(rule)
        anchor = items[0]
        for lemma in anchor.lemmas:
            data.triggers_by_lemma[lemma].append(rule)
        for suffix in anchor.suffixes:
            data.trigger_suffixes[suffix].append(rule)
        for literal in anchor.literals:
            data.trigger_literals[literal].append(rule)
    data.suffix_lengths = tuple(sorted({len(s) for s in data.trigger_suffixes}, reverse=True))
    data.item_suffixes = frozenset(s for rule in data.triggers for item in rule.items for s in item.suffixes)
    data.suffix_lengths_all = tuple(sorted({len(s) for s in data.item_suffixes}, reverse=True))


def _load_modality(data: LanguageData, folder: Path) -> None:
    path = folder / "modality.tsv"
    for row in read_tsv(path, ["forms", "effect", "scope", "note"], ["forms", "effect", "scope"], _label(path)):
        if row["effect"] not in EFFECTS:
            raise row.fail(f"effect {row['effect']!r} is not one of {sorted(EFFECTS)}")
        if row["scope"] not in SCOPES:
            raise row.fail(f"scope {row['scope']!r} is not one of {sorted(SCOPES)}")
        for form in row.alternatives("forms"):
            rule = ModalityRule(tuple(data.fold(w) for w in form.lower().split()), row["effect"], row["scope"], row.file, row.line)
            data.modality.append(rule)
            data.modality_by_lemma[rule.lemmas[0]].append(rule)


def _load_speech(data: LanguageData, folder: Path) -> None:
    path = folder / "speech.tsv"
    book = codebook()
    for row in read_tsv(path, ["forms", "kind", "speaker", "via", "code"], ["forms", "kind", "speaker"], _label(path)):
        if row["kind"] not in ("verb", "marker_before", "marker_after"):
            raise row.fail(f"kind {row['kind']!r} must be verb, marker_before or marker_after")
        if row["speaker"] not in ("subj", "obj"):
            raise row.fail(f"speaker {row['speaker']!r} must be subj or obj")
        if row["code"] and row["code"] not in book:
            raise row.fail(f"unknown CAMEO code {row['code']!r}")
        for form in row.alternatives("forms"):
            rule = SpeechRule(tuple(data.fold(w) for w in form.lower().split()), row["kind"], row["speaker"], row["via"] or None,
                              row["code"] or None, row.file, row.line)
            if rule.kind == "verb" and len(rule.lemmas) == 1:
                data.speech_verbs[rule.lemmas[0]] = rule
            else:
                data.speech_markers.append(rule)


def _load_places(data: LanguageData, folder: Path) -> None:
    path = folder / "places.tsv"
    if not path.exists():
        return
    for row in read_tsv(path, ["forms", "name", "country", "lat", "lon"], ["forms", "name", "country", "lat", "lon"], _label(path)):
        if row["country"] not in data.countries:
            raise row.fail(f"unknown country {row['country']!r}")
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError as exc:
            raise row.fail(f"lat/lon must be numbers ({exc})") from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise row.fail(f"coordinates out of range: {lat}, {lon}")
        entry = PlaceEntry(row["name"], row["country"], lat, lon, row.file, row.line)
        for form in row.alternatives("forms"):
            data.places.setdefault(form, entry)


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise LexiconError(_label(path), None, "file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(_label(path), None, f"invalid TOML: {exc}") from exc


def _build_automata(data: LanguageData) -> None:
    automaton = ahocorasick.Automaton()
    for key in data.forms:
        automaton.add_word(key, key)
    for key in data.discard:
        if key not in data.forms:
            automaton.add_word(key, key)
    automaton.make_automaton()
    data.automaton = automaton
    places = ahocorasick.Automaton()
    for form in data.places:
        places.add_word(form, form)
    if data.places:
        places.make_automaton()
    data.place_automaton = places if data.places else None


def compile_language(code: str) -> LanguageData:
    """Read and validate every lexicon file of `code` (no cache)."""
    folder = ROOT / code
    if not (folder / "language.toml").is_file():
        raise LexiconError(str(folder), None, f"no lexicons for language {code!r} (supported: {', '.join(supported_languages())})")
    data = LanguageData(code)
    data.config = _read_toml(folder / "language.toml")
    data.time = _read_toml(folder / "time.toml")
    _load_countries(data)
    for path in _organisation_paths():
        _load_organisations(data, path, "igo")
    _load_organisations(data, ROOT / "common" / "outlets.tsv", "outlet")
    _load_persons(data)
    _load_language_countries(data, folder)
    _load_agents(data, folder)
    _load_coref(data, folder)
    _load_discard(data, folder)
    _load_triggers(data, folder)
    _load_modality(data, folder)
    _load_speech(data, folder)
    _load_places(data, folder)
    verbs = {lemma for rule in data.triggers if rule.kind == "verb" for lemma in rule.items[0].lemmas}
    verbs.update(data.speech_verbs)
    verbs.update(data.config.get("morphology", {}).get("auxiliaries", ()))
    data.verb_lemmas = frozenset(verbs)
    _build_automata(data)
    return data


def lexicon_paths(code: str) -> list[Path]:
    folder = ROOT / code
    paths = _common_paths() + sorted(p for p in folder.iterdir() if p.suffix in (".tsv", ".toml"))
    paths.append(Path(__file__))
    paths.append(PACKAGE_ROOT.parent / "data" / "cameo.tsv")
    return paths


def _fingerprint(code: str) -> str:
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for path in lexicon_paths(code):
        digest.update(path.name.encode())
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def cache_dir() -> Path:
    configured = os.environ.get("LAGEBILD_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "lagebild"


@lru_cache(maxsize=8)
def load_language(code: str) -> LanguageData:
    """The compiled lexicons of a language, from the disk cache when the files are unchanged."""
    if code not in supported_languages():
        raise LexiconError(str(ROOT / code), None, f"no lexicons for language {code!r} (supported: {', '.join(supported_languages())})")
    key = _fingerprint(code)
    path = cache_dir() / f"lexicon-{code}-{key}.pickle"
    if path.exists() and os.environ.get("LAGEBILD_NO_CACHE") != "1":
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a stale or broken cache is rebuilt below
    data = compile_language(code)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with tmp.open("wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a read-only home still works, only slower at start-up
    return data
