"""POST /api/articles: the token, the outcomes, the limits; and reads protected by a setting."""

from __future__ import annotations

import pytest
from lb_websample import TOKEN, make_client

ARTICLE = {"text": "Germany condemned Russia on Monday. France welcomed Germany in Paris.", "title": "A test",
           "published": "2025-03-04", "outlet": "Test Wire", "lang": "en", "url": "https://wire.test/a"}


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and body["message"]
    return body


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": f"Basic {TOKEN}"}, {"X-Lagebild-Token": "x"},
     {"Authorization": "Bearer " + TOKEN[:-1]}],
)
def test_post_without_the_right_token_is_refused(client, headers: dict) -> None:
    before = client.get("/api/health").json()["counts"]["articles"]
    body = error_of(client.post("/api/articles", json=ARTICLE, headers=headers), 401)
    assert body["error"] == "AuthenticationError" and "token" in body["message"]
    assert client.get("/api/health").json()["counts"]["articles"] == before


def test_token_cookie_does_not_authorise_writes(client) -> None:
    client.cookies.set("lagebild_token", TOKEN)
    error_of(client.post("/api/articles", json=ARTICLE), 401)


def test_post_stores_codes_and_is_idempotent(client, auth) -> None:
    first = client.post("/api/articles", json=ARTICLE, headers=auth)
    assert first.status_code == 201, first.text
    outcome = first.json()
    assert outcome["status"] == "stored" and outcome["mentions"] == 2 and len(outcome["events"]) == 2
    events = client.get("/api/events", params={"dyad": "DEU,RUS"}).json()["items"]
    assert events and events[0]["source_outlet"] == "Test Wire" and events[0]["date_value"] == "2025-03-03"
    again = client.post("/api/articles", json=ARTICLE, headers={"X-Lagebild-Token": TOKEN})
    assert again.status_code == 200 and again.json()["status"] == "skipped"
    article = client.get(f"/api/articles/{outcome['article_id']}").json()["article"]
    assert article["title"] == "A test" and article["published"] == "2025-03-04"


def test_post_batch(client, auth) -> None:
    batch = {"articles": [ARTICLE, {"text": "Poland praised Ukraine.", "published": "2025-05"}, ARTICLE]}
    body = client.post("/api/articles", json=batch, headers=auth).json()
    assert [r["status"] for r in body["results"]] == ["stored", "stored", "skipped"]
    assert (body["stored"], body["skipped"], body["failed"]) == (2, 1, 0)


def test_a_dateline_gives_the_date_when_none_is_sent(client, auth) -> None:
    text = "Berlin, 11. Februar 2025 (dpa) – Deutschland kritisierte Russland am Dienstag."
    outcome = client.post("/api/articles", json={"text": text}, headers=auth).json()
    article = client.get(f"/api/articles/{outcome['article_id']}").json()["article"]
    assert article["published"] == "2025-02-11" and article["agency"] == "dpa"


@pytest.mark.parametrize(
    ("body", "needle"),
    [({"title": "no text"}, "text"), ({"text": ""}, "text"), ({"text": "x", "colour": "red"}, "colour"),
     ({"text": "Germany met France.", "published": "someday"}, "not a date"), ([1, 2], "")],
)
def test_invalid_bodies_are_refused_with_json(client, auth, body, needle: str) -> None:
    response = client.post("/api/articles", json=body, headers=auth)
    assert response.status_code in (400, 422)
    assert needle in error_of(response, response.status_code)["message"]


def test_broken_json_is_refused(client, auth) -> None:
    response = client.post("/api/articles", content=b"{not json", headers={**auth, "Content-Type": "application/json"})
    error_of(response, 422)


def test_a_failing_coder_gives_422_with_the_reason(db, auth) -> None:
    from fastapi.testclient import TestClient

    from lagebild.api import ServerSettings, create_app

    def broken(text, published=None, lang=None, doc_id=None):
        raise RuntimeError("boom")

    app = create_app(ServerSettings(db=db, token=TOKEN, endpoint_file=False), coder=broken)
    with TestClient(app) as c:
        body = error_of(c.post("/api/articles", json=ARTICLE, headers=auth), 422)
        assert "boom" in body["message"] and body["error"] == "IngestRefusedError"
        failures = c.get("/api/health").json()["counts"]["failures"]
        assert failures == 1


def test_body_over_the_limit_is_413(db, auth) -> None:
    with make_client(db, max_body_bytes=10_000) as c:
        big = {"text": "Germany met France. " * 1000}
        body = error_of(c.post("/api/articles", json=big, headers=auth), 413)
        assert "10000 bytes" in body["message"]

        def chunks():  # no Content-Length: the limit is enforced while reading
            yield b'{"text": "'
            for _ in range(100):
                yield b"x" * 1000
            yield b'"}'

        streamed = c.post("/api/articles", content=chunks(), headers={**auth, "Content-Type": "application/json"})
        error_of(streamed, 413)
        assert c.get("/api/health").json()["counts"]["articles"] == 4


def test_default_body_limit_is_2_mb(client, auth) -> None:
    body = error_of(client.post("/api/articles", content=b"x" * 2_000_001, headers={**auth, "Content-Type": "application/json"}), 413)
    assert "2000000" in body["message"]


def test_protected_reads_need_the_token(db) -> None:
    with make_client(db, protect_reads=True) as c:
        error_of(c.get("/api/events"), 401)
        assert c.get("/api/events", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        page = c.get("/")
        assert page.status_code == 401 and "text/html" in page.headers["content-type"]
        assert c.post("/login", content=b"token=wrong", headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 401
        login = c.post("/login", content=f"token={TOKEN}".encode(), headers={"Content-Type": "application/x-www-form-urlencoded"},
                       follow_redirects=False)
        assert login.status_code == 303
        assert "httponly" in login.headers["set-cookie"].lower()
        assert c.get("/").status_code == 200  # the cookie now authorises reads
        assert c.get("/api/health").status_code == 200


def test_reads_are_protected_by_default_off_loopback(db) -> None:
    from lagebild.api import ServerSettings

    assert ServerSettings(db=db, host="0.0.0.0").reads_protected
    assert not ServerSettings(db=db, host="127.0.0.1").reads_protected
    assert not ServerSettings(db=db, host="::1").reads_protected
    assert ServerSettings(db=db, host="127.0.0.1", protect_reads=True).reads_protected
