"""The dashboard in a real browser: every page loads without script errors or outside requests,
a point of the dyad chart leads to highlighted evidence, the network lays itself out, and
article text with markup in it stays text."""

from __future__ import annotations

import re

import httpx
import pytest
from lb_websample import TOKEN


def visit(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    page.wait_for_load_state("load")


def assert_clean(page) -> None:
    assert page.errors == [], page.errors
    assert page.outside == [], f"requests outside the server: {page.outside}"


def top_dyad(server_url: str) -> tuple[str, str]:
    rows = httpx.get(f"{server_url}/api/dyads", params={"directed": "false", "limit": 1}).json()["items"]
    assert rows, "no dyads in the sample store"
    return rows[0]["actor_a"], rows[0]["actor_b"]


def test_dyad_point_leads_to_highlighted_evidence(page, server_url, screenshots) -> None:
    a, b = ("IRN", "USA")
    if not httpx.get(f"{server_url}/api/events", params={"dyad": f"{a},{b}", "limit": 1}).json()["total"]:
        a, b = top_dyad(server_url)
    visit(page, f"/dyad?a={a}&b={b}&freq=month")
    points = page.locator("svg.timeline a.event-point")
    assert points.count() > 0
    assert page.locator("svg.timeline rect.bar").count() > 0
    page.screenshot(path=str(screenshots / "dyad.png"), full_page=True)
    event_id = points.first.get_attribute("data-event")
    points.first.locator("circle").click()
    page.wait_for_url(re.compile(r"/events/[0-9a-f]+"))
    assert event_id in page.url
    trigger = page.locator(".mention .article-text mark.hl-trigger").first
    assert trigger.is_visible()
    assert trigger.inner_text().strip()
    assert page.locator("blockquote.sentence mark.hl-trigger").count() >= 1
    assert page.locator(".mention dl.facts code").first.inner_text().strip()  # the rule id
    page.screenshot(path=str(screenshots / "event.png"), full_page=True)
    assert_clean(page)


@pytest.mark.parametrize(
    ("path", "shot", "selector"),
    [
        ("/", "overview.png", "#recent-events tbody tr"),
        ("/actors/USA", "actor.png", "#partners-table"),
        ("/map", "map.png", "svg#world-map .countries path"),
        ("/events?quad=4", None, "#events-table"),
        ("/articles", None, "#articles-table tbody tr"),
        ("/actors", None, "#actors-table tbody tr"),
        ("/dyad", None, "#dyads-table"),
        ("/api/docs", None, "section.endpoint"),
    ],
)
def test_page_loads(page, screenshots, path: str, shot: str | None, selector: str) -> None:
    visit(page, path)
    assert page.locator(selector).count() > 0
    if shot:
        page.screenshot(path=str(screenshots / shot), full_page=True)
    assert_clean(page)


def test_map_draws_outline_and_places(page) -> None:
    visit(page, "/map")
    assert page.locator("svg#world-map .countries path").count() > 100
    assert page.locator("svg#world-map a.event-place, svg#world-map a.named-place").count() > 0
    assert_clean(page)


def test_network_lays_itself_out(page, screenshots) -> None:
    visit(page, "/network")
    page.wait_for_selector("svg#network[data-layout=force]", timeout=10_000)
    nodes = page.locator("svg#network a.node")
    assert nodes.count() >= 2
    page.screenshot(path=str(screenshots / "network.png"), full_page=True)
    nodes.first.locator("circle").click()
    page.wait_for_url(re.compile(r"/actors/"))
    assert_clean(page)


XSS_TITLE = 'Fake headline <script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
XSS_TEXT = (
    "BERLIN — The United States condemned Iran on Monday. <script>window.__xss=1</script> "
    "Officials said the <img src=x onerror=\"window.__xss=2\"> tag was harmless.\n\n"
    "Iran rejected the United States on Tuesday. <b onmouseover=\"window.__xss=3\">bold</b>"
)


def test_markup_in_articles_is_shown_as_text(page, server_url) -> None:
    response = httpx.post(
        f"{server_url}/api/articles", headers={"Authorization": f"Bearer {TOKEN}"},
        json={"text": XSS_TEXT, "title": XSS_TITLE, "url": "javascript:window.__xss=4", "published": "2025-09-30",
              "outlet": "<i>Outlet</i>", "lang": "en"},
    )
    assert response.status_code == 201, response.text
    outcome = response.json()
    paths = [f"/articles/{outcome['article_id']}", "/articles", "/"]
    paths += [f"/events/{event_id}" for event_id in outcome["events"][:2]]
    for path in paths:
        visit(page, path)
        assert page.evaluate("() => window.__xss") is None, path
        assert page.locator("img[src=x]").count() == 0, path
        assert page.locator("a[href^='javascript:']").count() == 0, path
    visit(page, f"/articles/{outcome['article_id']}")
    body = page.locator("#article-text").inner_text()
    assert "<script>window.__xss=1</script>" in body
    assert '<img src=x onerror="window.__xss=2">' in body
    assert "<script>window.__xss=1</script>" in page.locator("h1").inner_text()
    page.locator("#article-text").hover()
    assert page.evaluate("() => window.__xss") is None
    assert_clean(page)
