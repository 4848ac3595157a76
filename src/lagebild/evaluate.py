"""Scoring against gold annotations, exactly as `../shared/eval/GUIDE.md` defines it.

Per article the system's events and the gold events are reduced to keys (root, source, target,
year). A system key matches a gold event when its root is among the gold roots, its source and
target are among the gold lists (either way round when the gold is symmetric) and its year equals
the gold year; each gold event is matched at most once (a maximum matching, core and stretch events
first). A key that matches only an optional gold event, or only the other direction of a symmetric
gold event already matched, is neutral. So is a key whose only gold events were all taken by other
keys: it does not "match nothing". Every other unmatched key is a false alarm.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lagebild.errors import EvaluationError

Key = tuple[str, str | None, str | None, int | None]
TIER_ORDER = {"core": 0, "stretch": 1, "optional": 2}


@dataclass(slots=True)
class GoldEvent:
    id: str
    roots: tuple[str, ...]
    sources: tuple[str, ...]
    targets: tuple[str, ...]  # empty: the event has no target
    year: int | None
    date: str | None
    tier: str
    symmetric: bool
    code: str | None = None
    trigger: str | None = None

    def matches(self, key: Key) -> bool:
        root, source, target, year = key
        if root not in self.roots or year != self.year:
            return False
        if self._sides(source, target):
            return True
        return self.symmetric and self._sides(target, source)

    def _sides(self, source: str | None, target: str | None) -> bool:
        if source not in self.sources:
            return False
        if not self.targets:
            return target is None
        return target in self.targets


@dataclass(slots=True)
class SystemEvent:
    key: Key
    date: str | None
    granularity: str | None
    event_id: str | None = None
    trigger: str | None = None
    sentence: str | None = None


@dataclass(slots=True)
class ArticleScore:
    doc: str
    matched: int = 0
    false_alarms: list[SystemEvent] = field(default_factory=list)
    neutral: int = 0
    core: int = 0
    core_found: int = 0
    stretch: int = 0
    stretch_found: int = 0
    dates_checked: int = 0
    dates_right: int = 0
    misses: list[GoldEvent] = field(default_factory=list)
    date_errors: list[tuple[GoldEvent, list[str]]] = field(default_factory=list)
    confusion: Counter = field(default_factory=Counter)


def _as_tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def load_gold(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise EvaluationError(f"{path}: gold file not found") from exc
    except json.JSONDecodeError as exc:
        raise EvaluationError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise EvaluationError(f"{path}: a gold file is a JSON object with an 'events' list (see GUIDE.md)")
    return data


def gold_events(data: dict, path: Path) -> list[GoldEvent]:
    out = []
    for n, raw in enumerate(data["events"]):
        try:
            out.append(
                GoldEvent(
                    id=str(raw.get("id", n)),
                    roots=_as_tuple(raw["root"]),
                    sources=_as_tuple(raw["source"]),
                    targets=_as_tuple(raw.get("target")),
                    year=int(raw["year"]) if raw.get("year") is not None else None,
                    date=raw.get("date"),
                    tier=raw.get("tier", "core"),
                    symmetric=bool(raw.get("symmetric", False)),
                    code=raw.get("code"),
                    trigger=raw.get("trigger"),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise EvaluationError(f"{path}: event {n} is malformed ({exc!r})") from exc
        if out[-1].tier not in TIER_ORDER:
            raise EvaluationError(f"{path}: event {out[-1].id} has tier {out[-1].tier!r} (core, stretch or optional)")
    return out


def system_events(records: list[dict]) -> list[SystemEvent]:
    out = []
    for r in records:
        date = (r.get("date") or {}).get("value")
        year = int(date[:4]) if date and date[:4].isdigit() else None
        target = r.get("target")
        key = (r["root"], (r.get("source") or {}).get("code"), target.get("code") if target else None, year)
        out.append(SystemEvent(key, date, (r.get("date") or {}).get("granularity"), r.get("event_id"),
                               (r.get("trigger") or {}).get("text"), r.get("sentence_text")))
    return out


def _max_matching(keys: list[Key], golds: list[GoldEvent]) -> dict[int, int]:
    """Kuhn's augmenting paths: key index → gold index, as many as possible."""
    match_of_gold: dict[int, int] = {}

    def augment(k: int, seen: set[int]) -> bool:
        for g, gold in enumerate(golds):
            if g in seen or not gold.matches(keys[k]):
                continue
            seen.add(g)
            if g not in match_of_gold or augment(match_of_gold[g], seen):
                match_of_gold[g] = k
                return True
        return False

    for k in range(len(keys)):
        augment(k, set())
    return {k: g for g, k in match_of_gold.items()}


def _date_agrees(gold_date: str, system_date: str | None) -> bool:
    if not system_date:
        return False
    return len(system_date) >= len(gold_date) and system_date[: len(gold_date)] == gold_date


def score_article(doc: str, golds: list[GoldEvent], events: list[SystemEvent]) -> ArticleScore:
    score = ArticleScore(doc)
    by_key: dict[Key, list[SystemEvent]] = {}
    for e in events:
        by_key.setdefault(e.key, []).append(e)
    keys = sorted(by_key, key=lambda k: tuple("" if v is None else str(v) for v in k))
    scored = [g for g in golds if g.tier != "optional"]
    assignment = _max_matching(keys, scored)
    matched_golds = {g for g in assignment.values()}
    for k, key in enumerate(keys):
        if k in assignment:
            score.matched += 1
            gold = scored[assignment[k]]
            if gold.date:
                score.dates_checked += 1
                dates = [e.date for e in by_key[key]]
                if any(_date_agrees(gold.date, d) for d in dates):
                    score.dates_right += 1
                else:
                    score.date_errors.append((gold, [d or "-" for d in dates]))
            continue
        if any(g.matches(key) for g in golds):
            score.neutral += 1
            continue
        score.false_alarms.extend(by_key[key])
        for g in scored:  # a near miss with the wrong root feeds the confusion table
            if g.year == key[3] and g._sides(key[1], key[2]) and key[0] not in g.roots:
                score.confusion[(g.roots[0], key[0])] += 1
    for g, gold in enumerate(scored):
        found = g in matched_golds
        if gold.tier == "core":
            score.core += 1
            score.core_found += found
        else:
            score.stretch += 1
            score.stretch_found += found
        if found:
            key = keys[next(k for k, gg in assignment.items() if gg == g)]
            score.confusion[(gold.roots[0], key[0])] += 1
        else:
            score.misses.append(gold)
    return score


@dataclass(slots=True)
class Summary:
    articles: list[ArticleScore]

    def _sum(self, name: str) -> int:
        return sum(getattr(a, name) for a in self.articles)

    @property
    def precision(self) -> float:
        matched = self._sum("matched")
        wrong = sum(len({e.key for e in a.false_alarms}) for a in self.articles)
        return matched / (matched + wrong) if matched + wrong else 0.0

    @property
    def core_recall(self) -> float:
        return self._sum("core_found") / self._sum("core") if self._sum("core") else 0.0

    @property
    def stretch_recall(self) -> float:
        return self._sum("stretch_found") / self._sum("stretch") if self._sum("stretch") else 0.0

    @property
    def date_accuracy(self) -> float:
        return self._sum("dates_right") / self._sum("dates_checked") if self._sum("dates_checked") else 0.0

    def confusion(self) -> Counter:
        total: Counter = Counter()
        for a in self.articles:
            total.update(a.confusion)
        return total

    def as_dict(self) -> dict:
        return {
            "precision": round(self.precision, 4),
            "core_recall": round(self.core_recall, 4),
            "stretch_recall": round(self.stretch_recall, 4),
            "date_accuracy": round(self.date_accuracy, 4),
            "matched": self._sum("matched"),
            "false_alarms": sum(len({e.key for e in a.false_alarms}) for a in self.articles),
            "neutral": self._sum("neutral"),
            "core": self._sum("core"),
            "stretch": self._sum("stretch"),
            "root_confusion": {f"{g}->{s}": n for (g, s), n in sorted(self.confusion().items())},
            "articles": [
                {
                    "doc": a.doc,
                    "misses": [{"id": g.id, "tier": g.tier, "roots": list(g.roots), "trigger": g.trigger} for g in a.misses],
                    "false_alarms": sorted({f"{e.key[0]} {e.key[1]}>{e.key[2]} {e.key[3]}: {e.trigger}" for e in a.false_alarms}),
                    "date_errors": [{"id": g.id, "gold": g.date, "system": d} for g, d in a.date_errors],
                }
                for a in self.articles
            ],
        }
