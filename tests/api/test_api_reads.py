"""Every read endpoint of the JSON API over a small store (FastAPI TestClient, the real app)."""

from __future__ import annotations

import pytest


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and body["error"] and body["message"]
    return body


def test_health_counts_the_tables(client) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["reads_protected"] is False
    assert body["counts"]["articles"] == 4 and body["counts"]["events"] > 0


def test_events_page_has_total_limit_offset(client) -> None:
    everything = client.get("/api/events", params={"limit": 1000}).json()
    total = everything["total"]
    assert total == len(everything["items"]) >= 6
    first = client.get("/api/events", params={"limit": 2}).json()
    second = client.get("/api/events", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] == total
    ids = [e["event_id"] for e in first["items"] + second["items"]]
    assert ids == [e["event_id"] for e in everything["items"][:4]]
    dates = [e["date_start"] for e in everything["items"]]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert all(isinstance(e["code_name"], str) for e in everything["items"])


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"actor": "RUS"}, lambda e: "RUS" in (e["source_code"], e["target_code"])),
        ({"dyad": "USA,IRN"}, lambda e: {e["source_code"], e["target_code"]} == {"USA", "IRN"}),
        ({"dyad": ["IRN", "USA"], "directed": "true"}, lambda e: (e["source_code"], e["target_code"]) == ("IRN", "USA")),
        ({"code": "11"}, lambda e: e["code"].startswith("11")),
        ({"root": "16"}, lambda e: e["root"] == "16"),
        ({"quad": 4}, lambda e: e["quad_class"] == 4),
        ({"since": "2025-06", "until": "2025-06-30"}, lambda e: e["date_value"].startswith("2025-06")),
        ({"status": "asserted,claimed"}, lambda e: e["status"] in ("asserted", "claimed")),
        ({"place": "Moscow"}, lambda e: e["location_name"] == "Moscow"),
    ],
)
def test_event_filters(client, params: dict, check) -> None:
    body = client.get("/api/events", params=params).json()
    assert body["items"], params
    assert all(check(e) for e in body["items"]), params
    assert body["total"] < client.get("/api/events").json()["total"] or params.get("status")


def test_text_filter_searches_sentences(client) -> None:
    items = client.get("/api/events", params={"text": "DRONE"}).json()["items"]
    assert [e["code"] for e in items] == ["163"]


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"since": "last tuesday"}, "not a date"),
        ({"quad": 7}, "quad"),
        ({"limit": 5000}, "limit"),
        ({"offset": -1}, "offset"),
        ({"dyad": "USA"}, "dyad needs two actors"),
    ],
)
def test_bad_parameters_are_json_400(client, params: dict, needle: str) -> None:
    body = error_of(client.get("/api/events", params=params), 400)
    assert needle in body["message"]


def test_event_evidence_has_every_mention(client) -> None:
    event = client.get("/api/events", params={"code": "163"}).json()["items"][0]
    body = client.get(f"/api/events/{event['event_id']}").json()
    assert body["event"]["event_id"] == event["event_id"]
    (m,) = body["mentions"]
    assert "drone" in m["sentence"]
    kinds = {h["kind"] for h in m["highlights"]}
    assert {"trigger", "source", "target"} <= kinds
    trigger = next(h for h in m["highlights"] if h["kind"] == "trigger")
    assert m["sentence"][trigger["start"]:trigger["end"]] == "sanctioned"
    assert m["rule"]["id"] == "fake.163.sanction" and m["rule"]["file"].endswith("lb_webfakes.py") and m["rule"]["line"]
    assert m["trigger"]["text"] == "sanctioned"
    assert m["article"]["title"] == "Sanctions again"


def test_evidence_carries_quotes(client) -> None:
    events = client.get("/api/events", params={"text": "useful"}).json()["items"]
    assert events
    bodies = [client.get(f"/api/events/{e['event_id']}").json() for e in events]
    quotes = [q for b in bodies for m in b["mentions"] for q in m["quotes"]]
    assert any(q["text"] == "The talks were useful," for q in quotes)


def test_event_prefix_and_unknown_event(client) -> None:
    event_id = client.get("/api/events").json()["items"][0]["event_id"]
    assert client.get(f"/api/events/{event_id[:8]}").json()["event"]["event_id"] == event_id
    error_of(client.get("/api/events/ffffffffffff"), 404)
    error_of(client.get("/api/events/ab"), 404)


@pytest.mark.parametrize("freq", ["day", "week", "month", "year"])
def test_dyad_timeline(client, freq: str) -> None:
    body = client.get("/api/dyads/USA/IRN/timeline", params={"freq": freq}).json()
    assert body["freq"] == freq and body["points"]
    total = sum(p["events"] for p in body["points"])
    assert total == client.get("/api/events", params={"dyad": "USA,IRN"}).json()["total"]
    for p in body["points"]:
        assert p["events"] == p["quad1"] + p["quad2"] + p["quad3"] + p["quad4"]
        assert -10 <= p["mean_goldstein"] <= 10


def test_dyad_timeline_respects_dates_and_rejects_bad_freq(client) -> None:
    june = client.get("/api/dyads/USA/IRN/timeline", params={"since": "2025-06", "until": "2025-06"}).json()
    assert [p["period"] for p in june["points"]] == ["2025-06-01"]
    error_of(client.get("/api/dyads/USA/IRN/timeline", params={"freq": "hourly"}), 400)


def test_top_dyads_directed_and_undirected(client) -> None:
    undirected = client.get("/api/dyads", params={"directed": "false"}).json()
    top = undirected["items"][0]
    assert (top["actor_a"], top["actor_b"]) == ("IRN", "USA")
    assert top["actor_a"] <= top["actor_b"]
    directed = client.get("/api/dyads").json()
    assert sum(d["events"] for d in directed["items"]) == sum(d["events"] for d in undirected["items"])
    assert directed["total"] >= undirected["total"]


def test_actors_and_actor_detail(client) -> None:
    body = client.get("/api/actors", params={"limit": 3}).json()
    assert body["total"] >= 5 and len(body["items"]) == 3
    assert body["items"][0]["mentions"] >= body["items"][1]["mentions"]
    usa = client.get("/api/actors/USA").json()
    partners = {p["partner"]: p for p in usa["partners"]}
    assert "IRN" in partners and partners["IRN"]["events"] >= 3
    assert usa["events"] == client.get("/api/events", params={"actor": "USA"}).json()["total"]
    assert any(n["code"] == "USA" for n in usa["names"])


def test_articles_and_article_detail(client) -> None:
    page = client.get("/api/articles").json()
    assert page["total"] == 4 and "text" not in page["items"][0]
    article_id = page["items"][0]["article_id"]
    body = client.get(f"/api/articles/{article_id}").json()
    assert body["article"]["text"] and body["records"]["article"] is not None
    assert all(m["event_id"] for m in body["mentions"])
    error_of(client.get("/api/articles/nope"), 404)


def test_quotes_by_speaker(client) -> None:
    everyone = client.get("/api/quotes").json()
    assert everyone["total"] >= 1
    by_iran = client.get("/api/quotes", params={"speaker": "IRN"}).json()
    assert by_iran["items"] and all(q["speaker_code"] == "IRN" for q in by_iran["items"])
    assert client.get("/api/quotes", params={"speaker": "Nobody"}).json()["total"] == 0


def test_places_event_places_network_quad_mix(client) -> None:
    places = client.get("/api/places").json()
    assert {p["name"] for p in places["items"]} >= {"Muscat", "Moscow"}
    points = client.get("/api/event-places", params={"actor": "RUS"}).json()["items"]
    assert [p["name"] for p in points] == ["Moscow", "Kiew"] or {p["name"] for p in points} == {"Moscow", "Kiew"}
    net = client.get("/api/network").json()
    assert net["edges"] and {n["id"] for n in net["nodes"]} >= {"USA", "IRN"}
    assert all(e["a"] < e["b"] for e in net["edges"])
    mix = client.get("/api/quad-mix", params={"freq": "month"}).json()
    assert sum(p["events"] for p in mix["points"]) == client.get("/api/events").json()["total"]


def test_openapi_lists_every_endpoint(client) -> None:
    spec = client.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/events", "/api/events/{event_id}", "/api/dyads", "/api/dyads/{a}/{b}/timeline", "/api/actors",
            "/api/actors/{actor}", "/api/articles", "/api/articles/{article_id}", "/api/quotes", "/api/places",
            "/api/network", "/api/quad-mix", "/api/event-places", "/api/health"} <= paths
    assert "post" in spec["paths"]["/api/articles"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "/api/dyads/{a}/{b}/timeline" in docs.text
    assert "cdn" not in docs.text.lower() and "<script src=\"http" not in docs.text


def test_unknown_path_and_method_are_json(client) -> None:
    assert "/api/docs" in error_of(client.get("/api/nothing-here"), 404)["message"]
    error_of(client.delete("/api/events"), 405)


def test_security_headers(client) -> None:
    response = client.get("/api/health")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
