"""Scoring against PLOVER gold-standard records (`plover_gsr_*.json`).

Each record is an English sentence with its PLOVER event type and the country codes of its source
and target actors. We code the sentence, map our CAMEO codes to PLOVER types (the 2021 table in
`data/cameo.tsv`, renamed to the current PLOVER names by `data/plover_current.tsv`) and report:
- type accuracy: the record's type equals the type of our most confident event (no event: wrong);
- (type, source, target) precision, recall and F1 over triples: a gold record with two sources
  gives two gold triples; a record without a target has target None. Each record annotates one
  event, so the headline figures compare our main event (the most confident one) with it; the
  figures over all our events are reported beside them ("all events"), where every further event we
  find in the sentence counts against precision although the record does not annotate it.
PLOVER's conventions are applied to our events before comparing: actors without a country are
coded by their sector (IGO for international organisations, IMG for armed groups) and a joint action has a compound source and no target. The type is
the event's own `plover` field, which the coder derives by the manual's rules (a future
cooperative act is AGREE, a future RETREAT is CONCEDE, a future act of force a threat).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from lagebild.cameo import ARMED_ROLES, codebook
from lagebild.errors import EvaluationError

Triple = tuple[str, str | None, str | None]


@lru_cache(maxsize=1)
def _renames() -> list[tuple[str, str, str]]:
    path = resources.files("lagebild") / "data" / "plover_current.tsv"
    with path.open(encoding="utf-8") as fh:
        rows = csv.DictReader((l for l in fh if l.strip() and not l.startswith("#")), delimiter="\t")
        return sorted(((r["cameo_prefix"], r["plover_2021"], r["plover_current"]) for r in rows), key=lambda r: -len(r[0]))


def current_name(kind: str | None, cameo_code: str) -> str | None:
    """The current PLOVER name of a 2021 type: REQUEST is DEMAND, ACCUSE splits into INVESTIGATE (09)
    and DISAPPROVE (11), CAMEO's fighting (19) is FIGHT; a type the event got otherwise is kept."""
    for prefix, old, new in _renames():
        if kind == old and cameo_code.startswith(prefix):
            return new
    return kind


def plover_type(cameo_code: str) -> str | None:
    """The current PLOVER type of a CAMEO code (None for statements, which PLOVER does not code)."""
    for prefix, _old, new in _renames():  # the code's own type is named by the code (192 'occupy' is FIGHT)
        if cameo_code.startswith(prefix):
            return new
    book = codebook()
    return book[cameo_code].plover if cameo_code in book else None


def is_plover_gold(data) -> bool:
    return isinstance(data, list) and bool(data) and isinstance(data[0], dict) and "event" in data[0] and "text" in data[0]


def load_plover(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvaluationError(f"{path}: cannot read PLOVER records ({exc})") from exc
    if not is_plover_gold(data):
        raise EvaluationError(f"{path}: not a list of PLOVER records with 'event' and 'text'")
    return data


def _codes(actors) -> list[str | None]:
    if not actors:
        return [None]
    if isinstance(actors, dict):
        actors = [actors]
    codes = [a.get("code") for a in actors if isinstance(a, dict) and a.get("code")]
    return codes or [None]


def gold_triples(record: dict) -> set[Triple]:
    return {(record["event"], s, t) for s in _codes(record.get("source")) for t in _codes(record.get("target"))}


@dataclass(slots=True)
class PloverScore:
    records: int = 0
    type_right: int = 0
    gold_triples: int = 0
    system_triples: int = 0
    matched_triples: int = 0
    all_system_triples: int = 0
    all_matched_triples: int = 0
    misses: list[dict] = field(default_factory=list)
    type_confusion: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def type_accuracy(self) -> float:
        return self.type_right / self.records if self.records else 0.0

    @property
    def precision(self) -> float:
        return self.matched_triples / self.system_triples if self.system_triples else 0.0

    @property
    def recall(self) -> float:
        return self.matched_triples / self.gold_triples if self.gold_triples else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def all_precision(self) -> float:
        return self.all_matched_triples / self.all_system_triples if self.all_system_triples else 0.0

    @property
    def all_recall(self) -> float:
        return self.all_matched_triples / self.gold_triples if self.gold_triples else 0.0

    @property
    def all_f1(self) -> float:
        p, r = self.all_precision, self.all_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "records": self.records,
            "type_accuracy": round(self.type_accuracy, 4),
            "triple_precision": round(self.precision, 4),
            "triple_recall": round(self.recall, 4),
            "triple_f1": round(self.f1, 4),
            "all_events": {"precision": round(self.all_precision, 4), "recall": round(self.all_recall, 4), "f1": round(self.all_f1, 4)},
            "type_confusion": {f"{g}->{s}": n for (g, s), n in sorted(self.type_confusion.items())},
            "misses": self.misses,
        }



@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    from lagebild.lexicons.loader import load_language

    return frozenset(load_language("en").countries)


def _actor_code(actor: dict | None) -> str | None:
    """PLOVER codes an actor without a country by its sector: international organisations (governmental
    or not: the UN, the Red Cross, Amnesty) as IGO, armed groups without a home country (al-Qaeda) as IMG."""
    if not actor:
        return None
    code = actor.get("code")
    if actor.get("role") == "IGO":
        return "IGO"
    if code and code not in _country_codes():
        return "IMG" if actor.get("role") in ARMED_ROLES else "IGO"
    return code


def event_type(event: dict) -> str | None:
    """The event's PLOVER type as the coder derived it (with the manual's rules for future acts), in
    current names; for records without one, derived here from the code and status."""
    code = event["code"]
    book = codebook()
    kind = event["plover"] if "plover" in event else book.plover_for(code, event.get("status") or "asserted")
    if code in book and kind == book[code].plover:
        return plover_type(code)  # the code's own type: renamed by code prefix (192 'occupy' is FIGHT)
    return current_name(kind, code)


def system_triples(event: dict) -> set[Triple]:
    kind = event_type(event)
    source, target = _actor_code(event["source"]), _actor_code(event.get("target"))
    if event.get("joint") and target is not None:
        return {(kind, source, None), (kind, target, None)}  # PLOVER: a joint action has a compound source
    return {(kind, source, target)}


def score_plover(records: list[dict], events_of) -> PloverScore:
    """`events_of(record)` returns our event records for the record's text."""
    score = PloverScore()
    for record in records:
        events = [e for e in events_of(record) if event_type(e)]
        gold = gold_triples(record)
        every = set().union(*(system_triples(e) for e in events)) if events else set()
        best = max(events, key=lambda e: e["confidence"], default=None)
        system = system_triples(best) if best else set()
        score.records += 1
        score.gold_triples += len(gold)
        score.system_triples += len(system)
        score.matched_triples += len(gold & system)
        score.all_system_triples += len(every)
        score.all_matched_triples += len(gold & every)
        predicted = event_type(best) if best else "-"
        if predicted == record["event"]:
            score.type_right += 1
        else:
            key = (record["event"], predicted or "-")
            score.type_confusion[key] = score.type_confusion.get(key, 0) + 1
        if not gold & system:
            score.misses.append({"id": record.get("id"), "gold": sorted(map(str, gold)), "system": sorted(map(str, system)), "text": record["text"][:160]})
    return score
