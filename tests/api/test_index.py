"""The server's event index answers exactly as the events table does, before and after writes."""

from __future__ import annotations

from pathlib import Path

import lb_webfakes
import pytest
from lb_websample import make_client

from lagebild.api import queries
from lagebild.api.index import EventIndex
from lagebild.store import Store

FILTERS = [
    {}, {"actor": "USA"}, {"actor": "countries:IRN"}, {"actor": "usa"}, {"actor": "trump"}, {"actor": "XYZ"},
    {"dyad": ["USA", "IRN"]}, {"dyad": ["IRN", "USA"], "directed": True}, {"dyad": ["RUS", "UKR"]},
    {"code": "1"}, {"code": "163"}, {"root": "5"}, {"quad": 3}, {"since": "2025-06"}, {"until": "2025-06-21"},
    {"since": "2025-06", "until": "2025-06"}, {"status": "asserted"}, {"status": "negated"}, {"place": "Moscow"},
    {"actor": "USA", "quad": 3, "since": "2025"},
]

MORE = [
    ("The United States criticised Russia on Friday. Iran praised Russia in Moscow.", "2025-07-04"),
    ("Ukraine met Germany in Berlin. The United States sanctioned Iran again.", "2025-07-05"),
    ("Trump threatened Iran on Monday.", "2025-06-20"),
]


def same(a, b) -> bool:
    """Equal, with floats compared to 9 places (aggregates may sum in another order)."""
    def norm(x):
        if isinstance(x, float):
            return round(x, 9)
        if isinstance(x, dict):
            return {k: norm(v) for k, v in x.items()}
        if isinstance(x, list):
            return [norm(v) for v in x]
        return x
    return norm(a) == norm(b)


def compare(store: Store, index: EventIndex, filters: list[dict] = FILTERS) -> None:
    for params in filters:
        q = queries.event_query(**params)
        for limit, offset in ((3, 2), (50, 0)):
            fast = queries.events_page(store, q, limit=limit, offset=offset, index=index)
            slow = queries.events_page(store, q, limit=limit, offset=offset)
            assert same(fast, slow), (params, limit, offset)
        for freq in ("day", "year"):
            assert same(queries.period_counts(store, q, freq, index=index), queries.period_counts(store, q, freq)), params
        assert same(queries.chart_events(store, q, "day", index=index), queries.chart_events(store, q, "day")), params
        for directed in (True, False):
            assert same(queries.dyads_page(store, q, directed=directed, limit=20, index=index),
                        queries.dyads_page(store, q, directed=directed, limit=20)), params
        assert same(queries.network(store, q, limit=20, index=index), queries.network(store, q, limit=20)), params
        assert same(queries.event_places(store, q, index=index), queries.event_places(store, q)), params


def test_index_matches_the_events_table(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(db) as store:
        index = EventIndex(store)
        index.build()
        assert index.ready and index.rows == store.counts()["events"]
        compare(store, index)
        for i, (text, published) in enumerate(MORE):  # the write path: refresh makes a delta
            result = store.add_article({"text": text, "published": published, "outlet": f"W{i}"},
                                       lb_webfakes.code(text, published, "en", f"m{i}"))
            index.refresh(result.events)
        assert index.delta > 0
        compare(store, index)
        monkeypatch.setattr("lagebild.api.index.REBUILD_AFTER", 0)
        index.refresh([queries.events_page(store, queries.event_query(), limit=1)["items"][0]["event_id"]])
        assert index.delta == 0  # rebuilt
        compare(store, index, FILTERS[:8])


def test_text_filter_falls_back_to_the_events_table(db: Path) -> None:
    with Store(db) as store:
        index = EventIndex(store)
        index.build()
        q = queries.event_query(text="drone")
        assert not index.can_answer(q.filter)
        assert queries.events_page(store, q, limit=5, index=index)["total"] == 1


def test_readers_see_the_index_and_posts_refresh_it(client, auth) -> None:
    before = client.get("/api/events", params={"actor": "DEU"}).json()["total"]
    response = client.post("/api/articles", headers=auth,
                           json={"text": "Germany condemned Iran. Germany met France in Paris.", "published": "2025-10-01"})
    assert response.status_code == 201
    after = client.get("/api/events", params={"actor": "DEU"}).json()
    assert after["total"] == before + 2
    assert after["items"][0]["date_value"] == "2025-10-01"
    assert client.get("/api/dyads/DEU/FRA/timeline").json()["points"][-1]["period"] == "2025-10-01"


def test_cache_serves_until_the_next_write(client, auth) -> None:
    index = client.app.state.lagebild.index
    first = client.get("/api/dyads/USA/IRN/timeline").json()
    hits = index.cache.hits
    assert client.get("/api/dyads/USA/IRN/timeline").json() == first
    assert index.cache.hits == hits + 1
    client.post("/api/articles", headers=auth, json={"text": "The United States condemned Iran.", "published": "2025-12-02"})
    after = client.get("/api/dyads/USA/IRN/timeline").json()
    assert after != first and after["points"][-1]["period"] == "2025-12-01"


def test_cache_can_be_turned_off(db: Path) -> None:
    
    with make_client(db, cache_entries=0) as c:
        c.get("/api/events", params={"actor": "USA"})
        c.get("/api/events", params={"actor": "USA"})
        assert c.app.state.lagebild.index.cache.hits == 0
