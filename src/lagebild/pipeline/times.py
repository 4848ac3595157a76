"""Time expressions: found with the language's patterns (`time.toml`), resolved against the publication date.

Values carry an explicit granularity. A weekday or "gestern" can only be resolved to a day when the
publication day is known; with a month-precision publication date they stay at the month, so no day
is ever made up. Day-level dates set the "narrative day" that later expressions such as "am Abend"
refer to, and that later sentences without a date of their own are understood to happen on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lagebild.errors import LexiconError
from lagebild.lexicons.loader import LanguageData
from lagebild.model import Doc, Provenance, TimeExpr, TimePoint

_UNIT_RE = re.compile(r"^(\d*)([YMWD])$")


@dataclass(slots=True)
class _Pattern:
    name: str
    regex: re.Pattern
    resolve: str
    line: int
    fixed_rel: int | None = None
    fixed_unit: str | None = None


def parse_published(value: str | None) -> TimePoint | None:
    """'2024-06-20' → day, '2024-06' → month, '2024' → year; None or '' → None."""
    if not value:
        return None
    parts = value.strip()[:10].split("-")
    try:
        if len(parts) == 3:
            day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            return TimePoint(day.year, day.month, day.day, "day")
        if len(parts) == 2:
            return TimePoint(int(parts[0]), int(parts[1]), None, "month")
        return TimePoint(int(parts[0]), None, None, "year")
    except ValueError:
        return None


def _day(point: dt.date) -> TimePoint:
    return TimePoint(point.year, point.month, point.day, "day")


class TimeTagger:
    name = "times"
    needs = ("tokens", "clauses")
    adds = ("times",)

    def __init__(self, lang: LanguageData) -> None:
        config = lang.time
        self.words: dict[str, dict[str, object]] = {
            group: {str(k).lower(): v for k, v in table.items()} for group, table in config.get("words", {}).items()
        }
        self.future_markers = frozenset(config.get("tense", {}).get("future_markers", ()))
        self.patterns: list[_Pattern] = []
        for n, spec in enumerate(config.get("patterns", []), start=1):
            source = spec.get("regex", "")
            for group, table in self.words.items():
                alternation = "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
                source = source.replace("{" + group + "}", f"(?:{alternation})")
            try:
                regex = re.compile(r"(?<!\w)(?:" + source + r")(?!\w)", re.IGNORECASE)
            except re.error as exc:
                raise LexiconError(f"lexicons/{lang.code}/time.toml", None, f"pattern {spec.get('name', n)!r}: {exc}") from exc
            self.patterns.append(_Pattern(spec.get("name", str(n)), regex, spec.get("resolve", ""), n, spec.get("fixed_rel"), spec.get("fixed_unit")))
        self.file = f"lexicons/{lang.code}/time.toml"
        # A sentence is searched only when it has a cue: a digit, a word of the word lists, or a literal
        # word of a pattern that has neither ("im Vorjahr").
        cues = {w for table in self.words.values() for w in table for w in w.split()}
        for spec in config.get("patterns", []):
            source = spec.get("regex", "")
            if "{" not in source and "\\d" not in source:
                cues.update(w.lower() for w in re.findall(r"[^\W\d_]{3,}", re.sub(r"\(\?P<\w+>", " ", source)))
        alternation = "|".join(re.escape(w) for w in sorted(cues, key=len, reverse=True))
        self.cue = re.compile(r"\d|(?<!\w)(?:" + alternation + r")", re.IGNORECASE)

    # -- helpers -------------------------------------------------------------------
    def _word(self, group: str, text: str | None):
        if text is None:
            return None
        return self.words.get(group, {}).get(" ".join(text.lower().split()))

    def _number(self, text: str | None) -> int | None:
        if text is None:
            return None
        if text.isdigit():
            return int(text)
        value = self._word("number", text)
        return int(value) if value is not None else None

    def _is_future(self, doc: Doc, sentence_index: int, start: int) -> bool:
        sentence = doc.sentences[sentence_index]
        for clause in sentence.clauses:
            first, last = doc.tokens[clause.token_start], doc.tokens[clause.token_end - 1]
            if first.start <= start < last.end:
                return any(doc.tokens[i].lower in self.future_markers for i in range(clause.token_start, clause.token_end))
        return False

    # -- resolution ----------------------------------------------------------------
    def _resolve(self, pattern: _Pattern, m: re.Match, doc: Doc, narrative: TimePoint | None, future: bool):
        """(kind, TimePoint | None, duration | None, sets_narrative)"""
        pub = doc.published
        g = m.groupdict()
        kind = pattern.resolve
        if kind == "absolute":
            month = int(g["monthnum"]) if g.get("monthnum") else self._word("month", g.get("month"))
            day = int(g["day"])
            year = g.get("year")
            try:
                if year:
                    return "date", _day(dt.date(int(year) + (2000 if len(year) == 2 else 0), int(month), day)), None, True
                if pub is None:
                    return "date", None, None, False
                return "date", _day(self._nearest_day(pub, int(month), day, future)), None, True
            except (TypeError, ValueError):
                return "date", None, None, False
        if kind == "weekday":
            weekday = self._word("weekday", g.get("weekday"))
            if pub is None or pub.granularity != "day":
                return "date", self._coarse(pub), None, False
            ref = dt.date(pub.year, pub.month, pub.day)
            delta = (ref.weekday() - int(weekday)) % 7
            target = ref - dt.timedelta(days=delta) if not future else ref + dt.timedelta(days=(int(weekday) - ref.weekday()) % 7)
            return "date", _day(target), None, True
        if kind == "relative_day":
            offset = self._word("relday", g.get("relday"))
            if offset is None:
                return "date", None, None, False
            if pub is None or pub.granularity != "day":
                return "date", self._coarse(pub), None, False
            ref = dt.date(pub.year, pub.month, pub.day)
            return "date", _day(ref + dt.timedelta(days=int(offset))), None, True
        if kind == "part_of_day":
            if narrative is not None:
                return "anchor", narrative, None, False
            if pub is not None and pub.granularity == "day":
                return "anchor", pub, None, False
            return "anchor", self._coarse(pub), None, False
        if kind == "relative_unit":
            rel = pattern.fixed_rel if pattern.fixed_rel is not None else self._word("rel", g.get("rel"))
            unit = pattern.fixed_unit or self._word("unit", g.get("unit"))
            if rel is None or unit is None or pub is None:
                return "date", None, None, False
            return "date", self._shift(pub, int(rel), str(unit)), None, False
        if kind == "ago":
            number = self._number(g.get("number"))
            unit = self._word("unit", g.get("unit"))
            if number is None or unit is None or pub is None:
                return "date", None, None, False
            return "date", self._shift(pub, -number, str(unit), exact_weeks=True), None, False
        if kind == "duration":
            number = self._number(g.get("number"))
            unit = self._word("unit", g.get("unit"))
            if number is None or unit is None:
                return "duration", None, None, False
            match = _UNIT_RE.match(str(unit))
            factor = int(match.group(1) or 1) if match else 1
            letter = match.group(2) if match else "Y"
            return "duration", None, f"P{number * factor}{letter}", False
        if kind == "since_year":
            return "since", TimePoint(int(g["year"]), granularity="year"), None, False
        if kind in ("month", "month_part"):
            if g.get("yearonly"):
                return "date", TimePoint(int(g["yearonly"]), granularity="year"), None, False
            month = self._word("month", g.get("month"))
            if month is None:
                return "date", None, None, False
            if g.get("year"):
                year = int(g["year"])
            elif pub is not None:
                year = self._nearest_month_year(pub, int(month), future)
            else:
                return "date", None, None, False
            return "date", TimePoint(year, int(month), granularity="month"), None, False
        if kind == "year":
            return "date", TimePoint(int(g["year"]), granularity="year"), None, False
        return "date", None, None, False

    @staticmethod
    def _nearest_day(pub: TimePoint, month: int, day: int, future: bool) -> dt.date:
        """The occurrence of day/month nearest the publication date; a report looks back more than ahead."""
        ref = dt.date(pub.year, pub.month or 6, pub.day or 15)
        options = []
        for year in (pub.year - 1, pub.year, pub.year + 1):
            try:
                options.append(dt.date(year, month, day))
            except ValueError:
                continue
        if future:
            upcoming = [o for o in options if o >= ref - dt.timedelta(days=7)]
            return min(upcoming or options, key=lambda o: abs((o - ref).days))
        plausible = [o for o in options if (o - ref).days <= 90]
        return min(plausible or options, key=lambda o: abs((o - ref).days))

    @staticmethod
    def _nearest_month_year(pub: TimePoint, month: int, future: bool) -> int:
        if pub.month is None:
            return pub.year
        if future:  # "Im März soll ... unterzeichnet werden": the next March
            return pub.year if month >= pub.month else pub.year + 1
        return pub.year if month <= pub.month else pub.year - 1  # a report looks back

    @staticmethod
    def _coarse(pub: TimePoint | None) -> TimePoint | None:
        if pub is None:
            return None
        return TimePoint(pub.year, pub.month, None, "month" if pub.month else "year")

    @staticmethod
    def _shift(pub: TimePoint, amount: int, unit: str, exact_weeks: bool = False) -> TimePoint | None:
        """Move the publication date by whole units; `exact_weeks`: "vor einer Woche" is a day, "letzte Woche" a week."""
        match = _UNIT_RE.match(unit)
        if not match:
            return None
        factor = int(match.group(1) or 1)
        letter = match.group(2)
        amount *= factor
        if letter == "Y":
            return TimePoint(pub.year + amount, granularity="year" if factor == 1 else "decade")
        if letter == "M":
            if pub.month is None:
                return TimePoint(pub.year + (amount // 12 if amount < 0 else 0), granularity="year")
            index = pub.year * 12 + pub.month - 1 + amount
            return TimePoint(index // 12, index % 12 + 1, granularity="month")
        if pub.granularity != "day":
            return TimePoint(pub.year, pub.month, None, "month" if pub.month else "year")
        ref = dt.date(pub.year, pub.month, pub.day)
        days = amount * (7 if letter == "W" else 1)
        target = ref + dt.timedelta(days=days)
        if letter == "W" and not exact_weeks:
            iso = target.isocalendar()
            return TimePoint(iso[0], target.month, None, "week", week=iso[1])
        return _day(target)

    # -- component -----------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        narrative: TimePoint | None = None
        count = 0
        # one pass of each pattern over the whole text, then the hits are handed out by sentence
        by_sentence: dict[int, list[tuple[int, int, _Pattern, re.Match]]] = {}
        starts = [s.start for s in doc.sentences]
        from bisect import bisect_right

        cued = sorted({bisect_right(starts, m.start()) - 1 for m in self.cue.finditer(text)} - {-1})
        for index in cued:
            sentence = doc.sentences[index]
            for pattern in self.patterns:
                for m in pattern.regex.finditer(text, sentence.start, sentence.end):
                    if m.end() > m.start():
                        by_sentence.setdefault(index, []).append((m.start(), m.end(), pattern, m))
        for sentence in doc.sentences:
            hits = by_sentence.get(sentence.index)
            if not hits:
                continue
            hits.sort(key=lambda h: (-(h[1] - h[0]), h[2].line))
            chosen: list[tuple[int, int, _Pattern, re.Match]] = []
            for hit in hits:
                if all(hit[1] <= c[0] or hit[0] >= c[1] for c in chosen):
                    chosen.append(hit)
            chosen.sort(key=lambda h: h[0])
            for start, end, pattern, m in chosen:
                future = self._is_future(doc, sentence.index, start)
                kind, value, duration, sets = self._resolve(pattern, m, doc, narrative, future)
                if value is None and duration is None:
                    continue
                count += 1
                first = next((i for i in range(sentence.token_start, sentence.token_end) if doc.tokens[i].end > start), sentence.token_start)
                last = next((i for i in range(first, sentence.token_end) if doc.tokens[i].start >= end), sentence.token_end)
                expr = TimeExpr(
                    id=f"{doc.doc_id}#t{count}",
                    start=start,
                    end=end,
                    text=m.group(0),
                    sentence=sentence.index,
                    token_start=first,
                    token_end=last,
                    kind=kind,
                    value=value,
                    duration=duration,
                    provenance=Provenance(self.name, self.file, None, pattern.name),
                    sets_narrative=sets and value is not None and value.granularity == "day",
                )
                doc.times.append(expr)
                if expr.sets_narrative:
                    narrative = value
        return doc
