"""A small table-driven stand-in for `lagebild.code`, good enough to fill a dashboard from the
sample corpus while the real coder is being built. Used by the API and browser tests when the
real coder cannot code the samples (see `sample_coder()`); never by the product.

It finds actors by a short list of surface patterns (German and English), takes the first
trigger word of a sentence, and makes the nearest actor before it the source and the next other
actor the target. Quotes, weekday dates and a few capitals become quote, time and place records.
Every record has the shape of docs/RECORDS.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

# (pattern, code, kind, actor id): regular expressions over the text, case-sensitive
ACTORS = [
    (r"USA|U\.S\.|United States|Vereinigten Staaten|Washington|Weißen? Haus\w*|White House|US-\w+", "USA", "country", "countries:USA"),
    (r"Trump", "USA", "person", "persons:trump_donald"),
    (r"Rubio", "USA", "person", "persons:rubio_marco"),
    (r"Witkoff", "USA", "person", "persons:witkoff_steve"),
    (r"Iran|Teheran|Tehran|[Ii]ranisch\w*|Iranian|Araghchi|Peseschkian|Pezeshkian|Chamenei|Khamenei", "IRN", "country", "countries:IRN"),
    (r"Russland|Russia|Moskau|Moscow|[Rr]ussisch\w*|Russian|Kreml|Kremlin|Putin|Lawrow|Lavrov|Schoigu", "RUS", "country", "countries:RUS"),
    (r"Ukraine|Kiew|Kyiv|[Uu]krainisch\w*|Ukrainian|Selenskyj|Zelensky", "UKR", "country", "countries:UKR"),
    (r"China|Peking|Beijing|[Cc]hinesisch\w*|Chinese|Xi Jinping", "CHN", "country", "countries:CHN"),
    (r"Israel|[Ii]sraelisch\w*|Israeli|Netanjahu|Netanyahu", "ISR", "country", "countries:ISR"),
    (r"Frankreich|France|[Ff]ranzösisch\w*|French|Macron|Paris", "FRA", "country", "countries:FRA"),
    (r"Deutschland|Germany|Bundesregierung|Merz|Wadephul|Baerbock|Pistorius|Scholz|Berlin", "DEU", "country", "countries:DEU"),
    (r"Nordkorea|North Korea|[Nn]ordkoreanisch\w*|North Korean|Pjöngjang|Pyongyang|Kim Jong Un", "PRK", "country", "countries:PRK"),
    (r"Japan|[Jj]apanisch\w*|Japanese|Tokio|Tokyo", "JPN", "country", "countries:JPN"),
    (r"Estland|Estonia|[Ee]stnisch\w*|Estonian|Tallinn", "EST", "country", "countries:EST"),
    (r"Oman|[Oo]manisch\w*|Omani|Maskat|Muscat", "OMN", "country", "countries:OMN"),
    (r"Katar|Qatar|Doha", "QAT", "country", "countries:QAT"),
    (r"Serbien|Serbia|Belgrad|Belgrade|Vučić|Vucic", "SRB", "country", "countries:SRB"),
    (r"Polen|Poland|[Pp]olnisch\w*|Polish|Warschau|Warsaw", "POL", "country", "countries:POL"),
    (r"Dänemark|Denmark|[Dd]änisch\w*|Danish|Kopenhagen|Copenhagen|Grönland|Greenland", "DNK", "country", "countries:DNK"),
    (r"Indien|India|[Ii]ndisch\w*|Indian", "IND", "country", "countries:IND"),
    (r"Pakistan|[Pp]akistanisch\w*|Pakistani", "PAK", "country", "countries:PAK"),
    (r"Syrien|Syria|[Ss]yrisch\w*|Syrian|Damaskus|Damascus", "SYR", "country", "countries:SYR"),
    (r"Türkei|Turkey|Erdoğan|Ankara", "TUR", "country", "countries:TUR"),
    (r"Moldau|Moldova", "MDA", "country", "countries:MDA"),
    (r"Hamas", "PSE", "organisation", "organisations:hamas"),
    (r"EU|Europäische Union|European Union|Brüssel|Brussels", "EUR", "organisation", "organisations:eu"),
    (r"Nato|NATO", "NAT", "organisation", "organisations:nato"),
]

# (word start, CAMEO code); the first word of a sentence that starts with one of these is the trigger
TRIGGERS = [
    ("verhandel", "046"), ("negotiat", "046"), ("talks", "046"), ("Gesprä", "043"), ("met", "040"), ("traf", "040"),
    ("trifft", "040"), ("empf", "043"), ("besuch", "042"), ("visit", "042"),
    ("sanktion", "163"), ("sanction", "163"), ("verurteil", "111"), ("condemn", "111"), ("kritisier", "111"),
    ("droht", "130"), ("drohte", "130"), ("threat", "130"), ("warn", "130"), ("lehnt", "120"), ("lehnte", "120"),
    ("reject", "120"), ("wies", "120"), ("weist", "166"), ("expel", "166"), ("ausgewiesen", "166"),
    ("angegriffen", "190"), ("greif", "190"), ("griff", "190"), ("strike", "195"), ("struck", "195"),
    ("bombard", "195"), ("fired", "195"), ("feuert", "195"), ("fordert", "100"), ("forderte", "100"),
    ("demand", "100"), ("urge", "100"), ("begrüß", "051"), ("welcom", "051"), ("lob", "051"), ("prais", "051"),
    ("freigelassen", "0841"), ("released", "0841"), ("frei", "0841"), ("vereinbar", "057"), ("unterzeichn", "057"),
    ("signed", "057"), ("agree", "057"), ("zugesagt", "030"), ("sagte", "010"), ("said", "010"),
]

PLACES = {
    "Maskat": ("OMN", 23.59, 58.41), "Muscat": ("OMN", 23.59, 58.41), "MUSCAT": ("OMN", 23.59, 58.41),
    "Rom": ("ITA", 41.9, 12.5), "Rome": ("ITA", 41.9, 12.5), "Paris": ("FRA", 48.86, 2.35),
    "Berlin": ("DEU", 52.52, 13.4), "Moskau": ("RUS", 55.76, 37.62), "Moscow": ("RUS", 55.76, 37.62),
    "Kiew": ("UKR", 50.45, 30.52), "Kyiv": ("UKR", 50.45, 30.52), "Teheran": ("IRN", 35.69, 51.39),
    "Tehran": ("IRN", 35.69, 51.39), "Washington": ("USA", 38.9, -77.04), "Doha": ("QAT", 25.29, 51.53),
    "Belgrad": ("SRB", 44.79, 20.45), "Belgrade": ("SRB", 44.79, 20.45), "Peking": ("CHN", 39.9, 116.4),
    "Beijing": ("CHN", 39.9, 116.4), "Brüssel": ("BEL", 50.85, 4.35), "Brussels": ("BEL", 50.85, 4.35),
    "London": ("GBR", 51.51, -0.13), "Tallinn": ("EST", 59.44, 24.75), "Istanbul": ("TUR", 41.01, 28.98),
    "Riad": ("SAU", 24.71, 46.68), "Damaskus": ("SYR", 33.51, 36.29), "Pjöngjang": ("PRK", 39.04, 125.76),
    "Tokio": ("JPN", 35.68, 139.69), "Warschau": ("POL", 52.23, 21.01), "Antalya": ("TUR", 36.9, 30.7),
    "Kinshasa": ("COD", -4.32, 15.31), "Gaza": ("PSE", 31.5, 34.47), "Den Haag": ("NLD", 52.08, 4.3),
}

WEEKDAYS = {name: i for i, names in enumerate((
    ("Montag", "Monday"), ("Dienstag", "Tuesday"), ("Mittwoch", "Wednesday"), ("Donnerstag", "Thursday"),
    ("Freitag", "Friday"), ("Samstag", "Saturday"), ("Sonntag", "Sunday"))) for name in names}

_SENTENCE = re.compile(r"[^\n.!?]+(?:[.!?]+|$)")
_WORD = re.compile(r"\w[\w-]*")
_QUOTE = re.compile(r"»([^«]{3,400})«|„([^“]{3,400})“|\"([^\"]{3,400})\"|“([^”]{3,400})”")
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
_PLACE = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, PLACES), key=len, reverse=True)) + r")(?!\w)")


@dataclass(slots=True)
class _Actor:
    start: int
    end: int
    text: str
    code: str
    kind: str
    actor_id: str


@lru_cache(maxsize=1)
def _actor_pattern() -> re.Pattern[str]:
    parts = [f"(?P<a{i}>{p})" for i, (p, *_rest) in enumerate(ACTORS)]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


@lru_cache(maxsize=1)
def _codebook() -> dict[str, tuple[str, int, float, str | None]]:
    from lagebild.cameo import codebook

    return {c.code: (c.root, c.quad_class, c.goldstein, c.plover) for c in codebook()}


def _actors(text: str, start: int, end: int) -> list[_Actor]:
    out = []
    for m in _actor_pattern().finditer(text, start, end):
        index = int(m.lastgroup[1:])
        _, code, kind, actor_id = ACTORS[index]
        out.append(_Actor(m.start(), m.end(), m.group(), code, kind, actor_id))
    return out


def _published_day(published: str | None) -> date | None:
    try:
        return date.fromisoformat((published or "")[:10])
    except ValueError:
        return None


class FakeDoc:
    def __init__(self, records: dict) -> None:
        self._records = records

    def to_records(self) -> dict:
        return self._records


def code(text: str, published: str | None = None, lang: str | None = None, doc_id: str = "doc") -> FakeDoc:
    """Records for `text` in the shape of docs/RECORDS.md."""
    lang = lang or ("de" if re.search(r"\b(der|die|und|das)\b", text) else "en")
    day = _published_day(published)
    sentences = [m for m in _SENTENCE.finditer(text) if m.group().strip()]
    events, quotes, actors, times, places = [], [], [], [], []
    for s_index, s in enumerate(sentences):
        found = _actors(text, s.start(), s.end())
        for a in found:
            actors.append({"record": "actor", "doc_id": doc_id, "mention_id": f"{doc_id}#m{len(actors) + 1}",
                           "text": a.text, "span": [a.start, a.end], "sentence": s_index, "code": a.code, "role": None,
                           "actor_id": a.actor_id, "kind": a.kind, "resolved_from": None,
                           "rule": {"file": "tests/api/lb_webfakes.py", "line": 1}})
        quote_ids = []
        for q in _QUOTE.finditer(text, s.start(), s.end()):
            g = next(i for i in range(1, 5) if q.group(i) is not None)
            speaker = next((a for a in found if not q.start() <= a.start < q.end()), None)
            quote_id = f"{doc_id}#q{len(quotes) + 1}"
            quotes.append({"record": "quote", "doc_id": doc_id, "quote_id": quote_id, "kind": "direct",
                           "text": q.group(g), "span": [q.start(g), q.end(g)], "sentence": s_index,
                           "speaker": None if speaker is None else {"code": speaker.code, "role": None, "name": speaker.text,
                                                                    "actor_id": speaker.actor_id, "span": [speaker.start, speaker.end]},
                           "via": None, "cue": "said"})
            quote_ids.append(quote_id)
        time_id, when = None, None
        w = _WEEKDAY.search(text, s.start(), s.end())
        if w and day is not None:
            back = (day.weekday() - WEEKDAYS[w.group()]) % 7
            when = (day - timedelta(days=back)).isoformat()
            time_id = f"{doc_id}#t{len(times) + 1}"
            times.append({"record": "time", "doc_id": doc_id, "time_id": time_id, "text": w.group(), "span": [w.start(), w.end()],
                          "sentence": s_index, "value": when, "granularity": "day", "kind": "date", "rule": None})
        place = _PLACE.search(text, s.start(), s.end())
        location = None
        if place:
            country, lat, lon = PLACES[place.group()]
            location = {"name": place.group().title() if place.group().isupper() else place.group(), "country": country,
                        "lat": lat, "lon": lon, "span": [place.start(), place.end()]}
            places.append({"record": "place", "doc_id": doc_id, "place_id": f"{doc_id}#p{len(places) + 1}",
                           "text": place.group(), "span": [place.start(), place.end()], "sentence": s_index,
                           "name": location["name"], "country": country, "lat": lat, "lon": lon})
        trigger = None
        for word in _WORD.finditer(text, s.start(), s.end()):
            lower = word.group().lower()
            hit = next(((stem, c) for stem, c in TRIGGERS if lower.startswith(stem.lower())), None)
            if hit and not any(a.start <= word.start() < a.end for a in found):
                trigger = (word, *hit)
                break
        if trigger is None or not found:
            continue
        word, stem, cameo = trigger
        before = [a for a in found if a.end <= word.start()]
        source = before[-1] if before else found[0]
        after = [a for a in found if a.code != source.code and a.start >= word.start()]
        others = after or [a for a in reversed(before) if a.code != source.code]
        target = others[0] if others else None
        root, quad, goldstein, plover = _codebook()[cameo]
        side = lambda a: None if a is None else {"code": a.code, "role": None, "name": a.text, "actor_id": a.actor_id,  # noqa: E731
                                                  "span": [a.start, a.end]}
        value = when or (day.isoformat() if day else None)
        events.append({
            "record": "event", "doc_id": doc_id, "event_id": f"{doc_id}#e{len(events) + 1}", "code": cameo, "root": root,
            "quad_class": quad, "goldstein": goldstein, "plover": plover, "source": side(source), "target": side(target),
            "date": {"value": value, "granularity": "day" if value else None,
                     "basis": "text" if when else ("published" if value else "unknown"), "time_id": time_id},
            "status": "asserted", "location": location, "sentence": s_index, "span": [s.start(), s.end()],
            "trigger": {"text": word.group(), "span": [word.start(), word.end()], "lemma": stem.lower()},
            "rule": {"id": f"fake.{cameo}.{stem.lower()}", "file": "tests/api/lb_webfakes.py",
                     "line": 1 + [t[0] for t in TRIGGERS].index(stem), "pattern": stem.lower() + "*"},
            "quote_ids": quote_ids, "speaker": None, "confidence": 0.5, "lang": lang,
        })
    article = {"record": "article", "doc_id": doc_id, "lang": lang, "published": published, "title": None,
               "n_sentences": len(sentences), "n_tokens": len(text.split()), "notes": [] if events else ["no event found"]}
    return FakeDoc({"article": article, "events": events, "quotes": quotes, "actors": actors, "times": times,
                    "places": places})
