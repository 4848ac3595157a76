"""Acceptance on the worked example (../shared/seed): scores, quotes, and honest dates."""

from __future__ import annotations

import pytest

from lagebild.evaluate import Summary, gold_events, load_gold, score_article, system_events
from lagebild.model import Article


@pytest.fixture(scope="module")
def seed(shared, coder):
    gold_path = shared / "seed" / "gold.de.json"
    gold = load_gold(gold_path)
    text = (shared / "seed" / gold["doc"]).read_text(encoding="utf-8")
    doc = coder.code_article(Article(doc_id="seed", text=text, published=gold["published"], lang="de"))
    return gold_path, gold, text, doc


def test_seed_scores(seed):
    gold_path, gold, _, doc = seed
    summary = Summary([score_article("seed", gold_events(gold, gold_path), system_events(doc.to_records()["events"]))])
    report = summary.as_dict()
    assert summary.precision >= 0.85, report
    assert summary.core_recall >= 0.85, report
    assert summary.date_accuracy >= 0.9, report


def test_seed_direct_quotes_have_their_speakers(seed):
    _, gold, _, doc = seed
    quotes = [q for q in doc.to_records()["quotes"] if q["kind"] == "direct"]
    for expected in gold["quotes"]:
        found = [q for q in quotes if q["text"] == expected["text"]]
        assert found, f"quote not found: {expected['text']!r}"
        speaker = found[0]["speaker"] or {}
        assert speaker.get("code") == expected["speaker_code"], (expected, found[0])
        assert expected["speaker"].split()[-1] in (speaker.get("name") or ""), (expected, found[0])
        if expected.get("via"):
            assert (found[0]["via"] or {}).get("name", "").upper().startswith(expected["via"].upper()), found[0]


def test_month_precision_invents_no_day(shared, coder):
    _, _, text, _ = (None, None, (shared / "seed" / "article.de.txt").read_text(encoding="utf-8"), None)
    doc = coder.code_article(Article(doc_id="seed", text=text, published="2024-06", lang="de"))
    assert doc.events, "the seed should still give events"
    days = [e for e in doc.to_records()["events"] if e["date"]["granularity"] == "day"]
    assert not days, [(e["code"], e["date"]) for e in days]
