"""Readers: plain text, HTML, JSON/JSON lines/CSV, feeds, and HTTP through an in-process fake."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest

from lagebild.errors import ConfigError
from lagebild.ingest import (
    EmptyInputError,
    EncodingError,
    Fetcher,
    FetchError,
    FieldMap,
    IngestedArticle,
    MalformedInputError,
    ReadFailure,
    ReadOptions,
    Source,
    SourceReader,
    TooLargeError,
    UnsafeXMLError,
    UnsupportedInputError,
    user_agent,
)
from lagebild.ingest.feeds import fragment_text, read_feed
from lagebild.ingest.plaintext import read_text
from lagebild.ingest.sources import sniff
from lagebild.ingest.tabular import read_csv, read_json, read_jsonl
from lagebild.ingest.webpage import read_html

FILLER = (
    "The committee met in the afternoon and reviewed the draft line by line. Several members asked for more time, "
    "while others wanted a vote before the summer break. A spokesperson described the mood as constructive. "
)
PAGE = f"""<!doctype html><html lang="en"><head><title>Harbour talks resume | Example Courier</title>
<meta property="og:site_name" content="Example Courier">
<meta property="og:title" content="Harbour talks resume">
<meta property="article:published_time" content="2025-03-12T09:30:00+01:00">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Harbour talks resume</h1><p>Germany meets France in Berlin. {FILLER}</p><p>{FILLER}</p></article>
<footer>Imprint and privacy</footer></body></html>"""
BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<rss version="2.0"><channel><title>&d;</title></channel></rss>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<rss version="2.0"><channel><title>&secret;</title><item><title>x</title><description>&secret;</description></item></channel></rss>"""
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Wire</title><link>https://wire.example</link><language>en-GB</language>
<item><title>First</title><link>https://wire.example/1</link><guid>w-1</guid><pubDate>Wed, 12 Mar 2025 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Poland threatens Russia.&lt;/p&gt;&lt;p&gt;More to follow.&lt;/p&gt;</description></item>
<item><title>Second</title><link>https://wire.example/2</link><guid>w-2</guid>
<description>Kenya praises China.</description></item>
<item><title>Empty</title><link>https://wire.example/3</link><guid>w-3</guid></item>
</channel></rss>"""


def test_text_with_headline_and_german_dateline() -> None:
    raw = "Koalition berät über Haushalt\n\nBerlin, 12. März 2025 (dpa) – Die Koalition berät heute.\n".encode()
    a = read_text(raw, "a.txt")
    assert a.title == "Koalition berät über Haushalt"
    assert a.text.startswith("Berlin, 12. März 2025 (dpa)")
    assert (a.published, a.published_precision, a.published_basis, a.agency) == ("2025-03-12", "day", "dateline", "dpa")


@pytest.mark.parametrize(
    "first_line",
    [
        "Die Regierung hat am Montag beschlossen, die Hilfen zu verlängern.",
        "klein geschrieben ohne Punkt",
        "Berlin, 12. März 2025 (dpa) – Die Koalition berät heute.",
    ],
)
def test_text_first_line_that_is_not_a_headline(first_line: str) -> None:
    a = read_text(f"{first_line}\nZweiter Satz folgt hier.".encode(), "a.txt")
    assert a.title is None and a.text.startswith(first_line)


def test_text_english_dateline_without_year_is_noted() -> None:
    a = read_text(b"MOSCOW, March 12 (Reuters) - Talks resumed on Tuesday.", "b.txt")
    assert a.published is None and a.agency == "Reuters"
    assert any("--year" in n for n in a.notes)
    b = read_text(b"MOSCOW, March 12 (Reuters) - Talks resumed on Tuesday.", "b.txt", reference_year=2025)
    assert b.published == "2025-03-12"


@pytest.mark.parametrize(
    ("raw", "error", "fragment"),
    [
        (b"", EmptyInputError, "empty"),
        (b"   \n\t\n", EmptyInputError, "white space"),
        (b"abc\x00\x01\x02", UnsupportedInputError, "binary"),
        ("Caf\u00e9 cr\u00e8me".encode("latin-1"), EncodingError, "not valid utf-8"),
    ],
)
def test_text_refusals(raw: bytes, error: type, fragment: str) -> None:
    with pytest.raises(error, match=fragment):
        read_text(raw, "bad.txt")


def test_text_other_encoding_on_request() -> None:
    a = read_text("Caf\u00e9 cr\u00e8me und mehr.".encode("latin-1"), "x.txt", encoding="latin-1")
    assert a.text.startswith("Café")


def test_html_main_text_title_date_outlet() -> None:
    a = read_html(PAGE.encode(), "page.html", url="https://courier.example/harbour")
    assert a.title == "Harbour talks resume"
    assert a.outlet == "Example Courier"
    assert a.published is not None and a.published.startswith("2025-03-12")
    assert a.published_basis == "metadata"
    assert a.text.startswith("Germany meets France in Berlin.")
    assert "Imprint" not in a.text and "Home" not in a.text
    assert a.url == "https://courier.example/harbour"


@pytest.mark.parametrize(
    "html", ["<html><body><div class=", "<<<>>> </p></div>", "<html><head></head><body></body></html>"]
)
def test_broken_or_empty_html(html: str) -> None:
    with pytest.raises(EmptyInputError, match="no main text"):
        read_html(html.encode(), "broken.html")


def _articles(items) -> list[IngestedArticle]:
    return [i for i in items if isinstance(i, IngestedArticle)]


def _failures(items) -> list[ReadFailure]:
    return [i for i in items if isinstance(i, ReadFailure)]


def test_jsonl_with_one_broken_line() -> None:
    raw = (
        b'{"text": "China meets Brazil.", "outlet": "X", "published": "2025-01-06", "id": "n1"}\n'
        b"{broken\n\n"
        b'["not", "an", "object"]\n'
        b'{"text": "Kenya praises China.", "url": "https://k.example/1", "lang": "en"}\n'
    )
    items = list(read_jsonl(io.BytesIO(raw), "f.jsonl", FieldMap(), max_bytes=10_000))
    good = _articles(items)
    assert [a.text for a in good] == ["China meets Brazil.", "Kenya praises China."]
    assert good[0].source_id == "n1" and good[0].published == "2025-01-06" and good[0].input == "f.jsonl:1"
    bad = _failures(items)
    assert [f.input for f in bad] == ["f.jsonl:2", "f.jsonl:4"]
    assert "not valid JSON" in bad[0].reason and "JSON object" in bad[1].reason


def test_jsonl_line_over_the_limit_is_skipped_without_reading_it_whole() -> None:
    raw = b'{"text": "' + b"x" * 50_000 + b'"}\n{"text": "Kenya praises China."}\n'
    items = list(read_jsonl(io.BytesIO(raw), "big.jsonl", FieldMap(), max_bytes=1000))
    assert [f.kind for f in _failures(items)] == ["too_large"]
    assert [a.text for a in _articles(items)] == ["Kenya praises China."]


def test_field_map() -> None:
    fm = FieldMap.parse(["text=body,published=meta.date", "outlet=source"])
    raw = b'{"body": "Poland meets Kenya.", "meta": {"date": "12.03.2025"}, "source": "Courier"}'
    (a,) = list(read_json(raw, "m.json", fm, max_bytes=10_000))
    assert (a.text, a.published, a.outlet) == ("Poland meets Kenya.", "2025-03-12", "Courier")
    with pytest.raises(ConfigError, match="unknown attribute"):
        FieldMap.parse("body=text")
    with pytest.raises(ConfigError, match="ATTRIBUTE=FIELD"):
        FieldMap.parse("text")


def test_missing_text_field_says_which_fields_exist() -> None:
    (f,) = list(read_json(b'[{"body": "x", "date": "2025"}]', "m.json", FieldMap(), max_bytes=100))
    assert isinstance(f, ReadFailure) and "body, date" in f.reason and "--map text=" in f.reason


def test_json_that_is_broken() -> None:
    with pytest.raises(MalformedInputError, match="not valid JSON"):
        list(read_json(b'[{"text": "a"', "b.json", FieldMap(), max_bytes=100))


def test_csv_and_tsv_with_mapping() -> None:
    raw = b"headline,body,date\nOne,Germany meets France.,2025-02-01\nTwo,,2025-02-02\n"
    items = list(
        read_csv(io.BytesIO(raw), "n.csv", FieldMap.parse("text=body,title=headline,published=date"), max_bytes=1000)
    )
    (a,) = _articles(items)
    assert (a.title, a.text, a.published, a.input) == ("One", "Germany meets France.", "2025-02-01", "n.csv:2")
    assert [f.input for f in _failures(items)] == ["n.csv:3"]
    tsv = b"text\tpublished\nKenya meets China.\t2025\n"
    (b,) = list(read_csv(io.BytesIO(tsv), "n.tsv", FieldMap(), max_bytes=1000, delimiter="\t"))
    assert (b.text, b.published_precision) == ("Kenya meets China.", "year")


def test_feed_entries() -> None:
    items = list(read_feed(FEED.encode(), "wire.rss"))
    first, second = _articles(items)
    assert first.text == "Poland threatens Russia.\nMore to follow."
    assert (first.title, first.url, first.outlet, first.lang) == (
        "First",
        "https://wire.example/1",
        "Example Wire",
        "en-GB",
    )
    assert (first.published, first.published_basis) == ("2025-03-12T10:00:00+00:00", "metadata")
    assert first.input == "wire.rss#w-1"
    assert second.published is None
    (empty,) = _failures(items)
    assert empty.input == "wire.rss#w-3" and "--follow" in empty.reason


@pytest.mark.parametrize(("xml", "fragment"), [(XXE, "DTD"), (BOMB, "DTD")])
def test_feeds_with_dtds_are_refused_before_parsing(xml: str, fragment: str) -> None:
    with pytest.raises(UnsafeXMLError, match=fragment):
        list(read_feed(xml.encode(), "evil.rss"))


def test_feed_in_windows_1252_is_read() -> None:
    xml = FEED.replace('encoding="utf-8"', 'encoding="windows-1252"').replace("Example Wire", "Caf\u00e9 Wire")
    items = _articles(read_feed(xml.encode("cp1252"), "cp.rss"))
    assert items[0].outlet == "Café Wire"


@pytest.mark.parametrize(
    ("xml", "error"),
    [
        ("<rss><channel><title>x</title>", MalformedInputError),
        ("<?xml version='1.0'?><note>hi</note>", UnsupportedInputError),
    ],
)
def test_feed_that_is_broken_or_not_a_feed(xml: str, error: type) -> None:
    with pytest.raises(error):
        list(read_feed(xml.encode(), "x.rss"))


def test_fragment_text() -> None:
    assert fragment_text("<p>One <b>two</b></p><p>Three<br>four</p>") == "One two\nThree\nfour"
    assert fragment_text("plain") == "plain"


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"<?xml version='1.0'?><rss>", "feed"),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'>", "feed"),
        (b"<!doctype html><html>", "html"),
        (b'{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        (b'{\n "text": "a"\n}', "json"),
        (b"[{}]", "json"),
        (b"Just words.", "text"),
        (b"\x00\x01", "binary"),
    ],
)
def test_sniff(head: bytes, fmt: str) -> None:
    assert sniff(head) == fmt


# -- HTTP through an in-process fake server ------------------------------------------------------
class FakeWeb:
    """Routes for httpx.MockTransport; remembers the requests it saw."""

    def __init__(self, routes: dict[str, httpx.Response]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if str(request.url) == "https://slow.example/":
            raise httpx.ReadTimeout("timed out", request=request)
        return self.routes.get(str(request.url), httpx.Response(404))


def _reader(web: FakeWeb, **options) -> SourceReader:
    fetcher = Fetcher(transport=httpx.MockTransport(web), max_bytes=options.pop("max_bytes", 1_000_000))
    return SourceReader(ReadOptions(**options), fetcher=fetcher)


def test_feed_url_with_follow_fetches_pages_with_an_honest_user_agent() -> None:
    web = FakeWeb(
        {
            "https://wire.example/feed": httpx.Response(
                200, text=FEED, headers={"content-type": "application/rss+xml"}
            ),
            "https://wire.example/1": httpx.Response(
                200, text=PAGE, headers={"content-type": "text/html; charset=utf-8"}
            ),
            "https://wire.example/2": httpx.Response(
                200, text="<html><body></body></html>", headers={"content-type": "text/html"}
            ),
        }
    )
    items = list(_reader(web, follow=True).read(Source("https://wire.example/feed", "url")))
    (page,) = _articles(items)
    assert page.title == "Harbour talks resume" and page.outlet == "Example Courier"
    assert page.published == "2025-03-12T10:00:00+00:00"  # the feed's entry date wins over the page's
    assert page.input == "https://wire.example/feed#w-1"
    assert {f.input for f in _failures(items)} == {"https://wire.example/feed#w-2", "https://wire.example/feed#w-3"}
    agents = {r.headers["user-agent"] for r in web.requests}
    assert agents == {user_agent()}
    assert agents.pop().startswith("lagebild/") and "(+https://github.com/lagebild/lagebild)" in user_agent()


def test_follow_skips_urls_already_stored() -> None:
    web = FakeWeb(
        {"https://wire.example/feed": httpx.Response(200, text=FEED, headers={"content-type": "application/rss+xml"})}
    )
    reader = _reader(web, follow=True)
    reader._skip_url = lambda url: True
    assert list(reader.read(Source("https://wire.example/feed", "url"))) == []
    assert [str(r.url) for r in web.requests] == ["https://wire.example/feed"]


@pytest.mark.parametrize(
    ("url", "response", "kind", "fragment"),
    [
        ("https://gone.example/", httpx.Response(404), "fetch", "HTTP 404"),
        ("https://slow.example/", None, "fetch", "timed out"),
        (
            "https://big.example/",
            httpx.Response(200, content=b"x" * 5000, headers={"content-type": "text/plain"}),
            "too_large",
            "over the limit",
        ),
        ("ftp://files.example/a.txt", None, "fetch", "only http"),
    ],
)
def test_fetch_failures(url: str, response, kind: str, fragment: str) -> None:
    web = FakeWeb({url: response} if response is not None else {})
    (failure,) = list(_reader(web, max_bytes=1000).read(Source(url, "url")))
    assert isinstance(failure, ReadFailure) and failure.kind == kind and fragment in failure.reason


def test_fetch_error_is_translated() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with Fetcher(transport=httpx.MockTransport(refuse)) as fetcher, pytest.raises(FetchError, match="ConnectError"):
        fetcher.get("https://down.example/")


def test_file_over_the_document_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 400_000)  # 2 MB
    reader = SourceReader(ReadOptions(max_document_bytes=1_000_000))
    (failure,) = list(reader.read(Source(str(big), "file", big)))
    assert failure.kind == TooLargeError.kind and "2.0 MB" in failure.reason
