"""Unit tests of the German pipeline components on hand-made sentences (written by us)."""

from __future__ import annotations

import pytest

from lagebild.model import Article


def code(coder, text, published="2025-03-14"):
    return coder.code_article(Article(doc_id="t", text=text, published=published, lang="de"))


def sentences(doc):
    return [doc.text[s.start:s.end] for s in doc.sentences]


def test_segmentation_keeps_ordinals_abbreviations_and_quotes(coder):
    doc = code(coder, "Am 19. Juni traf Dr. Müller u.a. den Botschafter. »Wir bleiben. Immer.« Dann reiste er ab.")
    assert sentences(doc) == ["Am 19. Juni traf Dr. Müller u.a. den Botschafter.", "»Wir bleiben. Immer.«", "Dann reiste er ab."]


def test_headline_without_full_stop_is_its_own_sentence(coder):
    doc = code(coder, "Krise am Golf\nDie Regierung in Teheran wies die Vorwürfe zurück.")
    assert sentences(doc)[0] == "Krise am Golf"
    assert doc.sentences[0].is_heading


def test_separable_verb_is_reattached(coder):
    doc = code(coder, "Die USA zogen ihre Truppen aus Syrien ab.")
    lemmas = [t.lemma for t in doc.tokens]
    assert "abziehen" in lemmas


def test_compound_adjective_gives_both_countries(coder):
    doc = code(coder, "Die deutsch-französischen Beziehungen gelten als eng.")
    assert {m.code for m in doc.mentions} >= {"DEU", "FRA"}


def test_us_dollar_is_no_actor(coder):
    doc = code(coder, "Der Preis stieg auf 80 US-Dollar pro Barrel.")
    assert not [m for m in doc.mentions if m.code == "USA"]


def test_title_resolves_to_office_holder_at_publication_date(coder):
    doc = code(coder, "Der russische Präsident kritisierte die Nato.", published="2024-06-20")
    person = [m for m in doc.mentions if m.kind == "person"]
    assert person, doc.mentions
    assert person[0].name.endswith("Putin") and person[0].code == "RUS"


def test_pronoun_takes_the_last_person(coder):
    doc = code(coder, "Der französische Präsident traf in Peking ein. Er lobte die chinesische Regierung.", published="2025-04-10")
    events = doc.to_records()["events"]
    praise = [e for e in events if e["root"] == "05"]
    assert praise and praise[0]["source"]["code"] == "FRA" and praise[0]["target"]["code"] == "CHN"


@pytest.mark.parametrize(
    "text,status",
    [
        ("Polen verhängte keine Sanktionen gegen Belarus.", "negated"),
        ("Polen will Sanktionen gegen Belarus verhängen.", "planned"),
        ("Westliche Staaten behaupten, Russland habe die Ukraine angegriffen.", "claimed"),
        ("Die USA versuchten, Druck auf Kuba auszuüben, jedoch ohne Erfolg.", "failed"),
        ("Der Bundeskanzler plant eine Reise nach Indien.", "planned"),
    ],
)
def test_status(coder, text, status):
    events = code(coder, text).to_records()["events"]
    assert events, text
    assert events[-1]["status"] == status, events


def test_double_negation_gives_intent(coder):
    events = code(coder, "Russland werde nicht ausschließen, militärisch mit Nordkorea zusammenzuarbeiten.").to_records()["events"]
    assert any(e["root"] == "03" and e["status"] == "asserted" and (e["target"] or {}).get("code") == "PRK" for e in events), events


def test_passive_swaps_roles(coder):
    events = code(coder, "Ein ukrainisches Dorf wurde von russischen Truppen angegriffen.").to_records()["events"]
    assert events and events[0]["source"]["code"] == "RUS"


def test_every_event_points_back_to_text_and_rule(coder):
    text = "Frankreich verurteilte den Angriff Russlands auf die Ukraine."
    doc = code(coder, text)
    for e in doc.to_records()["events"]:
        start, end = e["trigger"]["span"]
        assert text[start:end] in e["trigger"]["text"]
        assert e["rule"]["file"].endswith("triggers.tsv") and e["rule"]["line"] > 1
        assert text[e["source"]["span"][0]:e["source"]["span"][1]] == e["source"]["text"]


def test_month_precision_weekday_stays_month(coder):
    doc = code(coder, "Am Mittwoch besuchte Scholz Paris.", published="2024-06")
    times = doc.to_records()["times"]
    assert times and times[0]["value"] == "2024-06" and times[0]["granularity"] == "month"


def test_event_date_from_clause(coder):
    doc = code(coder, "Am Montag besuchte der Bundeskanzler Warschau.", published="2025-03-14")
    events = doc.to_records()["events"]
    assert events and events[0]["date"] == {"value": "2025-03-10", "granularity": "day", "basis": "text", "time_id": events[0]["date"]["time_id"]}


def test_event_without_date_falls_back_to_publication(coder):
    doc = code(coder, "Frankreich kritisierte Russland scharf.", published="2025-03-14")
    events = doc.to_records()["events"]
    assert events and events[0]["date"]["basis"] == "published" and events[0]["date"]["value"] == "2025-03-14"


def test_long_text_is_coded_in_chunks_with_true_offsets(coder):
    from lagebild.coder import CHUNK_CHARS

    paragraph = "Am Montag verurteilte Frankreich den Angriff Russlands auf die Ukraine scharf. " * 40
    text = "\n\n".join(f"{n}. Absatz. {paragraph}" for n in range(int(CHUNK_CHARS * 3 / len(paragraph)) + 2))
    doc = code(coder, text)
    assert any("chunks" in note for note in doc.notes)
    records = doc.to_records()["events"]
    assert len(records) > 100
    assert len({r["event_id"] for r in records}) == len(records)
    for r in records[::25]:
        start, end = r["trigger"]["span"]
        assert text[start:end] == r["trigger"]["text"].split()[0]
        s, e = r["source"]["span"]
        assert text[s:e] == r["source"]["text"]
        assert text[r["span"][0]:r["span"][1]] == r["sentence_text"]
