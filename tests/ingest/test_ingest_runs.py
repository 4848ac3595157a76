"""Whole ingest runs with a fake coder: idempotence, near-duplicates, bad inputs, dates."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from lagebild.errors import ConfigError
from lagebild.ingest import Ingestor, ReadOptions
from lagebild.ingest.ingestor import NO_DATE_NOTE, load_coder
from lagebild.store import Store

WORDS = [
    "committee",
    "harbour",
    "budget",
    "proposal",
    "delegation",
    "morning",
    "council",
    "vote",
    "review",
    "draft",
    "session",
    "minister",
    "agency",
    "treaty",
    "border",
    "supply",
    "winter",
    "grain",
    "port",
    "rail",
    "convoy",
    "summit",
    "talks",
    "evening",
    "statement",
    "report",
    "region",
    "village",
    "market",
    "bridge",
    "river",
    "valley",
    "office",
    "election",
    "ballot",
    "court",
    "ruling",
    "appeal",
    "hearing",
    "witness",
    "province",
    "capital",
]


def filler(seed: int, n: int = 60) -> str:
    """Sentences of made-up words, different for each seed."""
    rng = random.Random(seed)
    sentences = []
    for _ in range(max(1, n // 10)):
        words = rng.choices(WORDS, k=10)
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    _write(folder, "a.txt", f"Talks in the capital\n\nBerlin, 12. März 2025 (dpa) – Germany meets France. {filler(1)}")
    _write(folder, "nested/b.txt", f"MOSCOW, March 12 (Reuters) - Russia attacks Ukraine. {filler(2)}")
    _write(
        folder,
        "c.jsonl",
        "\n".join(
            json.dumps(
                {
                    "text": f"Kenya praises China. {filler(10 + i)}",
                    "outlet": f"O{i}",
                    "published": "2025-02-0" + str(i + 1),
                }
            )
            for i in range(3)
        ),
    )
    return folder


def test_ingest_and_again_adds_nothing(store: Store, fake_coder, corpus: Path) -> None:
    first = Ingestor(store, fake_coder).run([str(corpus)])
    assert (first.stats.stored, first.stats.failures, first.stats.mentions) == (5, 0, 5)
    counts = store.counts()
    second = Ingestor(store, fake_coder).run([str(corpus)])
    assert (second.stats.stored, second.stats.skipped) == (0, 5)
    assert store.counts() == counts


def test_known_articles_are_skipped_before_coding(store: Store, fake_coder, corpus: Path) -> None:
    Ingestor(store, fake_coder).run([str(corpus)])
    calls = []

    def counting_coder(text, **kwargs):
        calls.append(kwargs["doc_id"])
        return fake_coder(text, **kwargs)

    Ingestor(store, counting_coder).run([str(corpus)])
    assert calls == []


def test_dates_and_notes(store: Store, fake_coder, corpus: Path) -> None:
    Ingestor(store, fake_coder).run([str(corpus)])
    articles = store.articles().set_index("input")
    a = articles.loc[str(corpus / "a.txt")]
    assert (a.title, a.published, a.published_basis, a.agency) == (
        "Talks in the capital",
        "2025-03-12",
        "dateline",
        "dpa",
    )
    b = articles.loc[str(corpus / "nested" / "b.txt")]
    assert b.published is None or b.published != b.published  # NULL, never the ingest day
    assert any("--year" in n for n in b.notes)
    c = articles.loc[str(corpus / "c.jsonl") + ":1"]
    assert (c.published, c.published_basis, c.outlet) == ("2025-02-01", "metadata", "O0")
    # the event of the undated text has no date rather than today's
    undated = store.events(actor="RUS").iloc[0]
    assert undated.date_value is None and undated.date_basis == "unknown"


def test_undated_article_gets_a_note(store: Store, fake_coder, tmp_path: Path) -> None:
    path = _write(tmp_path, "x.txt", f"Poland meets Kenya. {filler(3)}")
    Ingestor(store, fake_coder).run([str(path)])
    (notes,) = store.articles()["notes"]
    assert NO_DATE_NOTE in list(notes)


def test_forced_date_and_language(store: Store, tmp_path: Path) -> None:
    seen = {}

    def coder(text, *, published, lang, doc_id):
        seen.update(published=published, lang=lang)
        from lb_fakes import code

        return code(text, published=published, lang=lang, doc_id=doc_id)

    path = _write(tmp_path, "x.txt", "Berlin, 12. März 2025 (dpa) – Poland meets Kenya.")
    Ingestor(store, coder, force_date="2024-06", lang="de-DE").run([str(path)])
    assert seen == {"published": "2024-06", "lang": "de"}
    row = store.articles().iloc[0]
    assert (row.published, row.published_precision, row.published_basis, row.lang) == (
        "2024-06",
        "month",
        "forced",
        "de",
    )
    with pytest.raises(ConfigError, match="--date"):
        Ingestor(store, coder, force_date="yesterday")


def test_reference_year_for_yearless_datelines(store: Store, fake_coder, corpus: Path) -> None:
    Ingestor(store, fake_coder, options=ReadOptions(reference_year=2025)).run([str(corpus / "nested")])
    assert store.articles()["published"].tolist() == ["2025-03-12"]


def test_near_duplicate_is_linked_and_its_events_are_further_mentions(store: Store, fake_coder, tmp_path: Path) -> None:
    story = f"Germany meets France. {filler(7, 200)} Russia attacks Ukraine. {filler(8, 100)}"
    original = _write(
        tmp_path, "in/original.jsonl", json.dumps({"text": story, "outlet": "Wire A", "published": "2025-03-12"})
    )
    Ingestor(store, fake_coder).run([str(original)])
    events_before = store.counts()["events"]
    edited = story.replace("Russia attacks Ukraine.", "Russia attacks Ukraine, officials said.").replace(
        "committee", "panel", 1
    )
    republished = _write(
        tmp_path, "in/republished.jsonl", json.dumps({"text": edited, "outlet": "Paper B", "published": "2025-03-13"})
    )
    report = Ingestor(store, fake_coder).run([str(republished)])
    assert (report.stats.stored, report.stats.duplicates) == (1, 1)
    articles = store.articles().set_index("outlet")
    assert articles.loc["Paper B", "duplicate_of"] == articles.loc["Wire A", "article_id"]
    assert articles.loc["Paper B", "similarity"] >= 0.8
    assert store.counts()["events"] == events_before
    events = store.events()
    assert events["num_mentions"].tolist() == [2, 2]
    assert events["num_sources"].tolist() == [2, 2]


def test_unrelated_articles_are_not_duplicates(store: Store, fake_coder, tmp_path: Path) -> None:
    for i in range(5):
        _write(tmp_path, f"in/{i}.txt", f"Poland meets Kenya. {filler(100 + i, 120)}")
    report = Ingestor(store, fake_coder).run([str(tmp_path / "in")])
    assert (report.stats.stored, report.stats.duplicates) == (5, 0)


def test_near_duplicates_are_found_across_runs(tmp_path: Path, fake_coder) -> None:
    story = f"Germany meets France. {filler(9, 200)}"
    _write(tmp_path, "one/a.txt", story)
    _write(tmp_path, "two/b.txt", story + " A correction was appended later.")
    db = tmp_path / "runs.duckdb"
    with Store(db) as s:
        Ingestor(s, fake_coder).run([str(tmp_path / "one")])
    with Store(db) as s:  # a new process would see the same: the signatures are in the database
        report = Ingestor(s, fake_coder).run([str(tmp_path / "two")])
        assert report.stats.duplicates == 1


BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<rss version="2.0"><channel><title>&f;</title><item><title>&f;</title><description>&f;</description></item></channel></rss>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY leak SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>Leak</title><item><title>x</title><description>&leak;</description></item></channel></rss>
"""
GOOD_PAGE = f"""<html><head><title>Border talks</title><meta property="og:site_name" content="Example Courier">
</head><body><article><h1>Border talks</h1><p>Poland meets Kenya. {filler(20, 80)}</p><p>{filler(21, 80)}</p>
</article></body></html>"""


def test_bad_inputs_land_in_failures_and_the_run_goes_on(store: Store, fake_coder, tmp_path: Path) -> None:
    earlier = _write(tmp_path, "earlier.txt", f"China meets Brazil. {filler(30)}")
    Ingestor(store, fake_coder).run([str(earlier)])
    before = store.counts()

    folder = tmp_path / "mixed"
    _write(folder, "good.txt", f"Germany meets France. {filler(31)}")
    _write(folder, "good.html", GOOD_PAGE)
    _write(folder, "empty.txt", b"")
    _write(folder, "binary.bin", bytes(range(256)) * 8)
    _write(folder, "latin1.txt", "Stra\u00dfe und Gr\u00fc\u00dfe".encode("latin-1"))
    _write(folder, "huge.txt", b"x" * (20 * 1024 * 1024))
    _write(folder, "broken.html", "<html><body><div class=")
    _write(folder, "xxe.rss", XXE)
    _write(folder, "bomb.rss", BOMB)
    _write(
        folder,
        "mixed.jsonl",
        "\n".join(
            [
                json.dumps({"text": f"Kenya praises China. {filler(32)}"}),
                '{"text": "unterminated',
                json.dumps({"text": f"Poland criticises Russia. {filler(33)}"}),
            ]
        ),
    )

    report = Ingestor(store, fake_coder).run([str(folder)])

    stored_inputs = set(store.articles()["input"])
    assert {
        str(folder / "good.txt"),
        str(folder / "good.html"),
        f"{folder / 'mixed.jsonl'}:1",
        f"{folder / 'mixed.jsonl'}:3",
        str(earlier),
    } <= stored_inputs
    failures = store.failures().set_index("input")
    expected = {
        "empty.txt": "empty file",
        "binary.bin": "binary",
        "latin1.txt": "not valid utf-8",
        "huge.txt": "over the limit",
        "broken.html": "no main text",
        "xxe.rss": "DTD",
        "bomb.rss": "DTD",
        "mixed.jsonl:2": "not valid JSON",
    }
    for name, fragment in expected.items():
        assert fragment in failures.loc[str(folder / name), "reason"], name
    assert len(failures) == len(expected) == report.stats.failures
    after = store.counts()
    assert after["articles"] == before["articles"] + 4
    assert store.articles()["input"].tolist().count(str(earlier)) == 1


def test_a_failing_coder_is_a_failure_not_a_crash(store: Store, fake_coder, tmp_path: Path) -> None:
    _write(tmp_path, "in/a.txt", "Poland meets Kenya.")
    _write(tmp_path, "in/b.txt", "Kenya meets Poland.")

    def flaky(text, **kwargs):
        if text.startswith("Poland"):
            raise RuntimeError("boom")
        return fake_coder(text, **kwargs)

    report = Ingestor(store, flaky).run([str(tmp_path / "in")])
    assert (report.stats.stored, report.stats.failures) == (1, 1)
    assert "RuntimeError: boom" in report.failures[0].reason
    # the failed article is not stored, so a later run tries it again
    report = Ingestor(store, fake_coder).run([str(tmp_path / "in")])
    assert (report.stats.stored, report.stats.skipped) == (1, 1)


def test_missing_input_is_a_failure(store: Store, fake_coder, tmp_path: Path) -> None:
    report = Ingestor(store, fake_coder).run([str(tmp_path / "nowhere.txt")])
    assert report.failures[0].reason == "no such file or directory"


def test_progress_is_reported(store: Store, fake_coder, corpus: Path) -> None:
    seen = []
    Ingestor(store, fake_coder, on_progress=lambda s: seen.append((s.sources, s.stored))).run([str(corpus)])
    assert seen[-1] == (3, 5)
    assert [s for s, _ in seen] == sorted(s for s, _ in seen)


def test_load_coder() -> None:
    import lb_fakes

    assert load_coder("lb_fakes:code") is lb_fakes.code
    for spec in ("lb_fakes", "no_such_module:code", "lb_fakes:missing", "lb_fakes:COUNTRIES"):
        with pytest.raises(ConfigError):
            load_coder(spec)
