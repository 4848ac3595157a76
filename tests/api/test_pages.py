"""The dashboard pages as HTML (TestClient): they render, they escape, their links keep the filters."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


@pytest.mark.parametrize(
    "path",
    ["/", "/?since=2025-06&freq=week", "/events", "/events?actor=USA&quad=4", "/dyad", "/dyad?a=USA&b=IRN",
     "/dyad?a=USA&b=IRN&freq=day&since=2025-06", "/actors", "/actors/USA", "/articles", "/network", "/map",
     "/map?actor=RUS", "/api/docs", "/login"],
)
def test_pages_render(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert "<script>" not in response.text  # scripts only from /static (the CSP forbids inline ones)
    assert not re.search(r"""(src|href)=["']https?://""", response.text.split("<main>")[0])


def test_dyad_chart_points_link_to_events(client) -> None:
    html = client.get("/dyad?a=USA&b=IRN").text
    links = re.findall(r'<a href="(/events/[0-9a-f]+)" class="event-point"', html)
    assert links
    event_page = client.get(links[0]).text
    assert 'class="hl hl-sentence hl-trigger"' in event_page or "hl-trigger" in event_page
    bars = re.findall(r'<a href="([^"]+)" class="bar-link">', html)
    assert bars and all("since=" in b and "until=" in b for b in bars)


def test_event_page_highlights_the_evidence(client) -> None:
    event = client.get("/api/events", params={"code": "163"}).json()["items"][0]
    html = client.get(f"/events/{event['event_id']}").text
    assert re.search(r'<mark class="hl[^"]*hl-trigger"[^>]*>sanctioned</mark>', html)
    assert re.search(r'<mark class="hl[^"]*hl-source"[^>]*>Washington</mark>', html)
    assert "fake.163.sanction" in html and "lb_webfakes.py" in html


def test_bad_filters_render_an_html_error(client) -> None:
    response = client.get("/events?since=whenever")
    assert response.status_code == 400 and "not a date" in response.text and "<html" in response.text
    assert client.get("/events/ffffffffffffff").status_code == 404
    assert client.get("/events?quad=9").status_code == 400


def test_user_strings_are_escaped(client, auth) -> None:
    article = {"text": f"Germany condemned Russia. {XSS} France welcomed Germany.", "title": f"Title {XSS}",
               "outlet": "<b>Wire</b>", "url": "javascript:alert(1)", "published": "2025-01-02"}
    outcome = client.post("/api/articles", json=article, headers=auth).json()
    raw = quote(XSS, safe="")
    pages = [f"/articles/{outcome['article_id']}", "/articles", "/", f"/events?text={raw}", f"/actors/{raw}",
             f"/dyad?a={raw}&b=USA", f"/map?place={raw}", f"/no/such/{raw}", f"/events?since={raw}"]
    pages += [f"/events/{e}" for e in outcome["events"]]
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 400, 404), path
        html = response.text
        assert "<script>window.__xss" not in html, path
        assert "<img src=x" not in html, path
        assert 'href="javascript:' not in html, path
    html = client.get(f"/articles/{outcome['article_id']}").text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "&lt;b&gt;Wire&lt;/b&gt;" in html
