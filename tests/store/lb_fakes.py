"""A tiny deterministic stand-in for `lagebild.code`, and record builders in the shape of
docs/RECORDS.md. Used by the store and ingest tests (and by the kill-and-restart subprocess via
`--coder lb_fakes:code`) so they run fast and do not depend on the real coder.

The fake codes English sentences of the form "<Country> <verb> <Country> [in <Place>] [on <date>]".
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass

COUNTRIES = {
    "Germany": "DEU",
    "France": "FRA",
    "Russia": "RUS",
    "Ukraine": "UKR",
    "Poland": "POL",
    "China": "CHN",
    "Brazil": "BRA",
    "Kenya": "KEN",
}
VERBS = {  # verb: (code, root, quad, goldstein, plover)
    "meets": ("040", "04", 1, 1.0, "CONSULT"),
    "praises": ("051", "05", 1, 3.4, "SUPPORT"),
    "criticises": ("111", "11", 3, -2.0, "ACCUSE"),
    "threatens": ("138", "13", 3, -7.0, "THREATEN"),
    "attacks": ("190", "19", 4, -10.0, "ASSAULT"),
    "comments on": ("010", "01", 1, 0.0, None),
}
PLACES = {"Berlin": ("DEU", 52.52, 13.405), "Paris": ("FRA", 48.857, 2.352), "Warsaw": ("POL", 52.23, 21.01)}

_COUNTRY = "|".join(COUNTRIES)
_VERB = "|".join(VERBS)
_EVENT = re.compile(
    rf"\b(?P<src>{_COUNTRY})\s+(?P<verb>{_VERB})\s+(?P<tgt>{_COUNTRY})"
    rf"(?:\s+in\s+(?P<place>{'|'.join(PLACES)}))?(?:\s+on\s+(?P<date>\d{{4}}-\d{{2}}-\d{{2}}))?"
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_QUOTE = re.compile(r"\"([^\"]+)\"")


def actor(code: str, name: str, start: int, end: int, role: str | None = None) -> dict:
    return {"code": code, "role": role, "name": name, "actor_id": f"countries:{code}", "span": [start, end]}


def event_record(
    doc_id: str,
    n: int,
    *,
    code: str = "040",
    root: str | None = None,
    quad_class: int = 1,
    goldstein: float = 1.0,
    plover: str | None = "CONSULT",
    source: dict | None = None,
    target: dict | None = None,
    date: dict | None = None,
    status: str = "asserted",
    location: dict | None = None,
    sentence: int = 0,
    span: tuple[int, int] = (0, 10),
    trigger: dict | None = None,
    rule: dict | None = None,
    quote_ids: list[str] | None = None,
    speaker: dict | None = None,
    confidence: float = 0.9,
    lang: str = "en",
) -> dict:
    """An event record as docs/RECORDS.md defines it, with every field present."""
    return {
        "record": "event",
        "doc_id": doc_id,
        "event_id": f"{doc_id}#e{n}",
        "code": code,
        "root": root or code[:2],
        "quad_class": quad_class,
        "goldstein": goldstein,
        "plover": plover,
        "source": source,
        "target": target,
        "date": date or {"value": None, "granularity": None, "basis": "unknown", "time_id": None},
        "status": status,
        "location": location,
        "sentence": sentence,
        "span": list(span),
        "trigger": trigger or {"text": "meets", "span": [span[0], span[0] + 5], "lemma": "meet"},
        "rule": rule or {"id": f"en.{code[:2]}.fake", "file": "lexicons/en/triggers.tsv", "line": 7, "pattern": "meet"},
        "quote_ids": quote_ids or [],
        "speaker": speaker,
        "confidence": confidence,
        "lang": lang,
    }


@dataclass
class FakeDoc:
    records: dict

    def to_records(self) -> dict:
        return self.records


def code_records(text: str, published: str | None = None, lang: str | None = None, doc_id: str = "doc") -> dict:
    """Records for `text`: one event per "<Country> <verb> <Country>" match."""
    events, actors, quotes, places, times = [], [], [], [], []
    sentences = [m for m in _SENTENCE.finditer(text) if m.group().strip()]
    for s_index, s in enumerate(sentences):
        sentence_quotes = []
        for q in _QUOTE.finditer(s.group()):
            quote_id = f"{doc_id}#q{len(quotes) + 1}"
            quotes.append(
                {
                    "record": "quote",
                    "doc_id": doc_id,
                    "quote_id": quote_id,
                    "kind": "direct",
                    "text": q.group(1),
                    "span": [s.start() + q.start(1), s.start() + q.end(1)],
                    "sentence": s_index,
                    "speaker": None,
                    "via": None,
                    "cue": "said",
                }
            )
            sentence_quotes.append(quote_id)
        for m in _EVENT.finditer(s.group()):
            base = s.start()
            src, tgt = m.group("src"), m.group("tgt")
            src_code, tgt_code = COUNTRIES[src], COUNTRIES[tgt]
            for name, code_, grp in ((src, src_code, "src"), (tgt, tgt_code, "tgt")):
                actors.append(
                    {
                        "record": "actor",
                        "doc_id": doc_id,
                        "mention_id": f"{doc_id}#m{len(actors) + 1}",
                        "text": name,
                        "span": [base + m.start(grp), base + m.end(grp)],
                        "sentence": s_index,
                        "code": code_,
                        "role": None,
                        "actor_id": f"countries:{code_}",
                        "kind": "country",
                        "resolved_from": None,
                        "rule": {"file": "lexicons/en/countries.tsv", "line": 3},
                    }
                )
            location = None
            if m.group("place"):
                country, lat, lon = PLACES[m.group("place")]
                span = [base + m.start("place"), base + m.end("place")]
                location = {"name": m.group("place"), "country": country, "lat": lat, "lon": lon, "span": span}
                places.append(
                    {
                        "record": "place",
                        "doc_id": doc_id,
                        "place_id": f"{doc_id}#p{len(places) + 1}",
                        "text": m.group("place"),
                        "span": span,
                        "sentence": s_index,
                        "name": m.group("place"),
                        "country": country,
                        "lat": lat,
                        "lon": lon,
                    }
                )
            if m.group("date"):
                time_id = f"{doc_id}#t{len(times) + 1}"
                times.append(
                    {
                        "record": "time",
                        "doc_id": doc_id,
                        "time_id": time_id,
                        "text": m.group("date"),
                        "span": [base + m.start("date"), base + m.end("date")],
                        "sentence": s_index,
                        "value": m.group("date"),
                        "granularity": "day",
                        "kind": "date",
                        "rule": None,
                    }
                )
                date = {"value": m.group("date"), "granularity": "day", "basis": "text", "time_id": time_id}
            elif published:
                value = published[:10]
                granularity = {4: "year", 7: "month"}.get(len(value), "day")
                date = {"value": value, "granularity": granularity, "basis": "published", "time_id": None}
            else:
                date = {"value": None, "granularity": None, "basis": "unknown", "time_id": None}
            code_, root, quad, goldstein, plover = VERBS[m.group("verb")]
            events.append(
                event_record(
                    doc_id,
                    len(events) + 1,
                    code=code_,
                    root=root,
                    quad_class=quad,
                    goldstein=goldstein,
                    plover=plover,
                    source=actor(src_code, src, base + m.start("src"), base + m.end("src")),
                    target=actor(tgt_code, tgt, base + m.start("tgt"), base + m.end("tgt")),
                    date=date,
                    location=location,
                    sentence=s_index,
                    span=(s.start(), s.end()),
                    trigger={
                        "text": m.group("verb"),
                        "span": [base + m.start("verb"), base + m.end("verb")],
                        "lemma": m.group("verb").split()[0].rstrip("s"),
                    },
                    quote_ids=sentence_quotes,
                    lang=lang or "en",
                )
            )
    article = {
        "record": "article",
        "doc_id": doc_id,
        "lang": lang or "en",
        "published": published,
        "title": None,
        "n_sentences": len(sentences),
        "n_tokens": len(text.split()),
        "notes": [] if events else ["no event found"],
    }
    return {"article": article, "events": events, "quotes": quotes, "actors": actors, "times": times, "places": places}


def code(text: str, published: str | None = None, lang: str | None = None, doc_id: str = "doc") -> FakeDoc:
    """The fake coder. `LB_FAKE_SLEEP` slows it down; `LB_FAKE_LOG` gets one line per call."""
    delay = float(os.environ.get("LB_FAKE_SLEEP", "0") or 0)
    if delay:
        time.sleep(delay)
    log = os.environ.get("LB_FAKE_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(doc_id + "\n")
    return FakeDoc(code_records(text, published, lang, doc_id))
