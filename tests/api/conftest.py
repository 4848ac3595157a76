"""Fixtures of the API tests: a small store coded by the fake coder, and a TestClient over it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import lb_webfakes  # noqa: E402
from lb_websample import TOKEN, make_client  # noqa: E402

# Invented articles in the shape the fake coder reads (a country, a trigger word, a country).
ARTICLES = [
    {"title": "Talks in Muscat", "outlet": "Wire A", "published": "2025-04-12", "lang": "en",
     "url": "https://wire-a.test/2025/04/12/talks",
     "text": "MUSCAT — The United States negotiated with Iran in Muscat on Saturday. "
             "\"The talks were useful,\" Araghchi said after the meeting.\n\nOman welcomed Iran and the United States."},
    {"title": "Sanctions again", "outlet": "Paper B", "published": "2025-06-20", "lang": "en",
     "url": "https://paper-b.test/2025/06/20/sanctions",
     "text": "Washington sanctioned Iran over its drone programme. Tehran condemned the United States on Friday."},
    {"title": "Strikes", "outlet": "Paper C", "published": "2025-06-22", "lang": "en", "url": None,
     "text": "The United States struck Iranian nuclear sites. Russia condemned the United States in Moscow."},
    {"title": "Kiew und Moskau", "outlet": "Blatt D", "published": "2025-08-14", "lang": "de",
     "url": "https://blatt-d.test/2025/08/14/tausch",
     "text": "Russland und die Ukraine vereinbarten am Donnerstag einen Austausch. Kiew begrüßte Moskau nach dem Tausch."},
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    from lagebild.store import Store

    path = tmp_path / "api.duckdb"
    with Store(path) as store:
        for i, article in enumerate(ARTICLES):
            doc = lb_webfakes.code(article["text"], article["published"], article["lang"], f"a{i}")
            store.add_article(article, doc)
    return path


@pytest.fixture
def client(db: Path):
    with make_client(db) as c:
        yield c


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}
