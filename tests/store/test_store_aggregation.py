"""Mentions with the same code, source, target, date and place are one event."""

from __future__ import annotations

import json

import pytest
from lb_fakes import actor, code_records, event_record

from lagebild.store import Store


def _event(
    doc: str,
    n: int = 1,
    *,
    date: str = "2025-03-12",
    status: str = "asserted",
    place: str | None = None,
    source: str = "RUS",
    target: str = "UKR",
    code: str = "190",
    confidence: float = 0.9,
) -> dict:
    location = {"name": place, "country": "UKR", "lat": 50.45, "lon": 30.52, "span": [0, 4]} if place else None
    return event_record(
        doc,
        n,
        code=code,
        quad_class=4,
        goldstein=-10.0,
        plover="ASSAULT",
        source=actor(source, source.title(), 0, 6),
        target=actor(target, target.title(), 15, 22),
        date={"value": date, "granularity": "day", "basis": "text", "time_id": None},
        status=status,
        location=location,
        confidence=confidence,
        span=(0, 30),
    )


def _add(store: Store, text: str, outlet: str | None, *events: dict, url: str | None = None, agency: str | None = None):
    return store.add_article({"text": text, "outlet": outlet, "url": url, "agency": agency}, {"events": list(events)})


def test_two_mentions_from_two_outlets_are_one_event(store: Store) -> None:
    _add(store, "Russia attacked Ukraine overnight, officials said.", "Wire A", _event("a"), url="https://a.example/x")
    _add(store, "Overnight Russia attacked Ukraine, the ministry said.", "Paper B", _event("b", confidence=0.7))
    events = store.events()
    assert len(events) == 1
    e = events.iloc[0]
    assert (e.num_mentions, e.num_sources, e.num_articles) == (2, 2, 2)
    assert e.mean_confidence == pytest.approx(0.8)
    assert e.mean_goldstein == pytest.approx(-10.0)
    assert e.quad_class == 4 and e.root == "19" and e.base_code == "190"
    assert e.source_url == "https://a.example/x" and e.source_outlet == "Wire A"
    assert e.first_seen <= e.last_seen


def test_same_outlet_counts_as_one_source(store: Store) -> None:
    _add(store, "Russia attacked Ukraine, report one.", "Wire A", _event("a"))
    _add(store, "Russia attacked Ukraine, report two.", "Wire A", _event("b"))
    e = store.events().iloc[0]
    assert (e.num_mentions, e.num_sources, e.num_articles) == (2, 1, 2)


def test_unknown_outlet_falls_back_to_agency_then_to_the_article(store: Store) -> None:
    _add(store, "Russia attacked Ukraine, text one.", None, _event("a"), agency="dpa")
    _add(store, "Russia attacked Ukraine, text two.", None, _event("b"), agency="dpa")
    _add(store, "Russia attacked Ukraine, text three.", None, _event("c"))
    e = store.events().iloc[0]
    assert (e.num_mentions, e.num_sources) == (3, 2)


def test_two_mentions_in_one_article_are_two_mentions_of_one_event(store: Store) -> None:
    _add(store, "Russia attacked Ukraine. Russia attacked Ukraine again.", "Wire A", _event("a", 1), _event("a", 2))
    e = store.events().iloc[0]
    assert (e.num_mentions, e.num_sources, e.num_articles) == (2, 1, 1)


@pytest.mark.parametrize(
    "change",
    [{"date": "2025-03-13"}, {"place": "Kyiv"}, {"code": "193"}, {"source": "BLR"}, {"target": "POL"}],
)
def test_any_key_field_that_differs_makes_another_event(store: Store, change: dict) -> None:
    _add(store, "Russia attacked Ukraine, text one.", "A", _event("a"))
    _add(store, "Russia attacked Ukraine, text two.", "B", _event("b", **change))
    assert store.counts()["events"] == 2


def test_status_is_not_part_of_the_key_but_its_mix_is_kept(store: Store) -> None:
    _add(store, "Russia attacked Ukraine.", "A", _event("a", status="asserted"))
    _add(store, "Russia reportedly attacked Ukraine.", "B", _event("b", status="claimed"))
    _add(store, "Russia attacked Ukraine, says X.", "C", _event("c", status="claimed"))
    e = store.events().iloc[0]
    assert e.status == "claimed"
    assert json.loads(e.status_mix) == {"asserted": 1, "claimed": 2}


def test_event_ids_are_stable_across_databases(tmp_path) -> None:
    ids = []
    for name in ("one", "two"):
        with Store(tmp_path / f"{name}.duckdb") as s:
            _add(s, "Russia attacked Ukraine.", "A", _event("a"))
            ids.append(s.events()["event_id"].tolist())
    assert ids[0] == ids[1]


def test_near_duplicate_mentions_join_the_originals_events(store: Store) -> None:
    text = "Germany meets France. Russia attacks Ukraine."
    first = store.add_article(
        {"text": text, "outlet": "Wire A", "published": "2025-03-12"}, code_records(text, "2025-03-12", "en", "a")
    )
    events_before = store.counts()["events"]
    edited = text + " Further reactions are expected."
    second = store.add_article(
        {"text": edited, "outlet": "Paper B", "published": "2025-03-13"},
        code_records(edited, "2025-03-13", "en", "b"),
        duplicate_of=first.article_id,
        similarity=0.85,
    )
    # dated by the (different) publication day, the republished events would otherwise be new events
    assert second.duplicate_of == first.article_id and second.linked_mentions == 2
    assert store.counts()["events"] == events_before
    events = store.events()
    assert events["num_mentions"].tolist() == [2, 2]
    assert events["num_sources"].tolist() == [2, 2]
    assert set(events["date_value"]) == {"2025-03-12"}  # the original's key fields
    article = store.article(second.article_id)
    assert article["duplicate_of"] == first.article_id and article["similarity"] == pytest.approx(0.85)


def test_duplicate_chains_link_to_the_first_article(store: Store) -> None:
    a = _add(store, "Russia attacked Ukraine, version one.", "A", _event("a"))
    b = store.add_article(
        {"text": "Russia attacked Ukraine, version two.", "outlet": "B"},
        {"events": [_event("b")]},
        duplicate_of=a.article_id,
    )
    c = store.add_article(
        {"text": "Russia attacked Ukraine, version three.", "outlet": "C"},
        {"events": [_event("c")]},
        duplicate_of=b.article_id,
    )
    assert c.duplicate_of == a.article_id


def test_a_new_event_in_a_near_duplicate_stays_a_new_event(store: Store) -> None:
    a = _add(store, "Russia attacked Ukraine.", "A", _event("a"))
    store.add_article(
        {"text": "Russia attacked Ukraine. Poland criticised Russia.", "outlet": "B"},
        {"events": [_event("b", 1), _event("b", 2, source="POL", target="RUS", code="111")]},
        duplicate_of=a.article_id,
    )
    assert store.counts()["events"] == 2


def test_rebuild_gives_the_same_events(store: Store) -> None:
    _add(store, "Russia attacked Ukraine, one.", "A", _event("a"))
    _add(store, "Russia attacked Ukraine, two.", "B", _event("b", date="2025-03-13"))
    before = store.events().drop(columns=["first_seen", "last_seen"])
    assert store.rebuild_events() == 2
    after = store.events().drop(columns=["first_seen", "last_seen"])
    assert before.equals(after)
