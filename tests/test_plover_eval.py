"""PLOVER gold records: the scorer's conventions on hand-made records, and floors on the dev half."""

from __future__ import annotations

import json

from lagebild.evaluate_plover import event_type, gold_triples, plover_type, score_plover, system_triples

FLOOR_TYPE_ACCURACY = 0.8
FLOOR_MAIN_F1 = 0.67


def event(code, source, target=None, *, role=None, status="asserted", joint=False, confidence=0.8):
    return {"code": code, "source": {"code": source, "role": role}, "target": {"code": target, "role": None} if target else None,
            "status": status, "joint": joint, "confidence": confidence}


def test_type_names_follow_current_plover():
    assert plover_type("1041") == "DEMAND" and plover_type("0231") == "DEMAND"
    assert plover_type("111") == "DISAPPROVE" and plover_type("091") == "INVESTIGATE"
    assert plover_type("193") == "FIGHT" and plover_type("180") == "ASSAULT"
    assert plover_type("057") == "SUPPORT" and plover_type("010") is None


def test_conventions():
    from lagebild.cameo import codebook

    book = codebook()
    assert book.plover_for("0841", "planned") == "AGREE" and book.plover_for("190", "planned") == "THREATEN"
    assert book.plover_for("0831", override="RETREAT") == "RETREAT"  # a resignation, by the rule's plover flag
    assert book.refusal_of("075") == "122" and book.refusal_of("036") == "125" and book.refusal_of("190") is None
    assert book.posture_of("194") == "150" and book.posture_of("042") is None  # preparing force is a show of force
    assert event_type(event("072", "DEU", "UKR", status="planned")) == "AGREE"  # intent to give military aid
    assert system_triples(event("057", "USA", "JOR", joint=True)) == {("SUPPORT", "USA", None), ("SUPPORT", "JOR", None)}
    assert system_triples(event("0234", "UN", "SDN", role="IGO")) == {("DEMAND", "IGO", "SDN")}
    assert system_triples(event("100", "ICRC", "USA", role="NGO")) == {("DEMAND", "IGO", "USA")}  # no country: its sector
    assert system_triples(event("138", "ALQ", "USA", role="INS")) == {("THREATEN", "IMG", "USA")}
    assert system_triples(event("138", "PSE", "ISR", role="INS")) == {("THREATEN", "PSE", "ISR")}  # Hamas: its country
    record = {"event": "AGREE", "source": [{"code": "HUN"}, {"code": "ROU"}], "target": ""}
    assert gold_triples(record) == {("AGREE", "HUN", None), ("AGREE", "ROU", None)}


def test_scores_main_event_and_all_events():
    records = [
        {"id": "a", "event": "DISAPPROVE", "source": [{"code": "FRA"}], "target": [{"code": "RUS"}], "text": "x"},
        {"id": "b", "event": "ASSAULT", "source": [{"code": "ISR"}], "target": [{"code": "LBN"}], "text": "y"},
    ]
    coded = {"x": [event("111", "FRA", "RUS", confidence=0.9), event("010", "FRA")], "y": [event("190", "ISR", "LBN")]}
    score = score_plover(records, lambda r: coded[r["text"]])
    assert score.type_accuracy == 0.5  # 190 is FIGHT, not ASSAULT
    assert (score.matched_triples, score.system_triples, score.gold_triples) == (1, 2, 2)


def test_dev_half_floors(shared, coder):
    from lagebild.model import Article

    records = json.loads((shared / "eval" / "plover" / "plover_gsr_dev.json").read_text(encoding="utf-8"))

    def events_of(record):
        doc = coder.code_article(Article(doc_id=record["id"], text=record["text"], published=record.get("date"), lang="en"))
        return doc.to_records()["events"]

    score = score_plover(records, events_of)
    assert score.type_accuracy >= FLOOR_TYPE_ACCURACY, score.as_dict()
    assert score.f1 >= FLOOR_MAIN_F1, score.as_dict()
