"""The record contract (docs/RECORDS.md): plain dicts made from a `Doc`, in one place."""

from __future__ import annotations

from lagebild.model import Doc, Event, Mention, Place, Quote, TimeExpr


def _actor(m: Mention | None) -> dict | None:
    if m is None:
        return None
    out = {"code": m.code, "role": m.role, "name": m.name, "actor_id": m.actor_id, "span": [m.start, m.end], "text": m.text}
    if m.antecedent_span:
        out["antecedent_span"] = list(m.antecedent_span)
    return out


def _place(p: Place | None) -> dict | None:
    if p is None:
        return None
    return {"name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon, "span": [p.start, p.end], "text": p.text}


def event_record(doc: Doc, e: Event) -> dict:
    sentence = doc.sentences[e.sentence]
    return {
        "record": "event",
        "doc_id": doc.doc_id,
        "event_id": e.id,
        "code": e.code,
        "root": e.root,
        "quad_class": e.quad_class,
        "goldstein": e.goldstein,
        "plover": e.plover,
        "source": _actor(e.source),
        "target": _actor(e.target),
        "date": {"value": e.date.value or None, "granularity": e.date.granularity, "basis": e.date.basis, "time_id": e.date.time_id},
        "status": e.status,
        "location": _place(e.place),
        "sentence": e.sentence,
        "span": [sentence.start, sentence.end],
        "sentence_text": doc.text[sentence.start:sentence.end],
        "trigger": {"text": e.trigger_text, "span": [e.trigger_start, e.trigger_end], "lemma": e.trigger_lemma},
        "rule": {"id": e.rule.entry, "file": e.rule.file, "line": e.rule.line, "pattern": e.pattern},
        "modality": e.modality,
        "quote_ids": e.quote_ids,
        "speaker": {"code": e.speaker.code, "name": e.speaker.name, "actor_id": e.speaker.actor_id} if e.speaker else None,
        "confidence": e.confidence,
        "joint": e.joint,
        "lang": doc.lang,
    }


def quote_record(doc: Doc, q: Quote) -> dict:
    return {
        "record": "quote",
        "doc_id": doc.doc_id,
        "quote_id": q.id,
        "kind": q.kind,
        "text": q.text,
        "span": [q.start, q.end],
        "sentence": q.sentence,
        "speaker": _actor(q.speaker),
        "via": {"code": q.via.code, "name": q.via.name, "actor_id": q.via.actor_id} if q.via else None,
        "cue": q.cue,
    }


def actor_record(doc: Doc, m: Mention) -> dict:
    return {
        "record": "actor",
        "doc_id": doc.doc_id,
        "mention_id": m.id,
        "text": m.text,
        "span": [m.start, m.end],
        "sentence": m.sentence,
        "code": m.code,
        "role": m.role,
        "actor_id": m.actor_id,
        "name": m.name,
        "kind": m.kind,
        "resolved_from": m.resolved_from,
        "rule": {"file": m.provenance.file, "line": m.provenance.line},
    }


def time_record(doc: Doc, t: TimeExpr) -> dict:
    return {
        "record": "time",
        "doc_id": doc.doc_id,
        "time_id": t.id,
        "text": t.text,
        "span": [t.start, t.end],
        "sentence": t.sentence,
        "value": t.value.iso() if t.value else t.duration,
        "granularity": t.value.granularity if t.value else "duration",
        "kind": t.kind,
        "rule": t.provenance.entry,
    }


def place_record(doc: Doc, p: Place) -> dict:
    return {"record": "place", "doc_id": doc.doc_id, "place_id": p.id, "text": p.text, "span": [p.start, p.end], "sentence": p.sentence,
            "name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon}


def article_record(doc: Doc) -> dict:
    a = doc.article
    return {
        "record": "article",
        "doc_id": doc.doc_id,
        "lang": doc.lang,
        "published": a.published,
        "title": a.title,
        "url": a.url,
        "outlet": a.outlet,
        "n_sentences": len(doc.sentences),
        "n_tokens": len(doc.tokens),
        "n_events": len(doc.events),
        "notes": list(doc.notes),
    }


def doc_records(doc: Doc) -> dict:
    return {
        "article": article_record(doc),
        "events": [event_record(doc, e) for e in doc.events],
        "quotes": [quote_record(doc, q) for q in doc.quotes],
        "actors": [actor_record(doc, m) for m in doc.mentions if m.code or m.kind != "pronoun"],
        "times": [time_record(doc, t) for t in doc.times],
        "places": [place_record(doc, p) for p in doc.places],
    }
