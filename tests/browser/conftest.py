"""Browser tests: the real server (uvicorn in a thread) over the sample corpus, driven by
Debian's chromium through Playwright. Skipped with a reason when /usr/bin/chromium is absent."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

API_TESTS = Path(__file__).resolve().parents[1] / "api"
if str(API_TESTS) not in sys.path:
    sys.path.insert(0, str(API_TESTS))

from lb_websample import TOKEN, fill_from_samples, live_server, sample_coder  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium); "
                    "the browser tests are skipped")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server_url(chromium, tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("browser") / "samples.duckdb"
    counts = fill_from_samples(db)
    assert counts["events"] > 0, f"the sample corpus gave no events with the {sample_coder()[0]} coder"
    with live_server(db, token=TOKEN) as url:
        yield url


@pytest.fixture
def page(chromium, server_url):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, base_url=server_url)
    page = context.new_page()
    page.errors = []  # uncaught script errors and console errors (CSP violations show up here)
    page.on("pageerror", lambda exc: page.errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: page.errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("dialog", lambda dialog: (page.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    # nothing may be fetched from anywhere but the server under test
    page.outside = []

    def guard(route):
        if route.request.url.startswith(server_url):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where the tests save their screenshots: docs/screenshots only when LAGEBILD_SCREENSHOTS=1
    (to refresh the README's pictures on purpose), else a temporary folder, so that a test run
    leaves the working tree clean."""
    if os.environ.get("LAGEBILD_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")
