"""Queries of the Python API: events filters, timelines, actors, dyads, quotes, places, evidence."""

from __future__ import annotations

import pytest
from lb_fakes import actor, code_records, event_record

from lagebild.errors import ConfigError
from lagebild.store import Store, StoreError

ARTICLES = [
    (
        "Wire A",
        "2025-03-12",
        "Germany meets France in Berlin on 2025-03-10. Russia attacks Ukraine. "
        'Officials said "we are ready" as Poland criticises Russia.',
    ),
    ("Paper B", "2025-04-02", "Russia attacks Ukraine on 2025-04-01. Ukraine criticises Russia. China praises Brazil."),
    ("Paper C", "2025-05-20", "Russia threatens Poland. Kenya meets China in Paris on 2025-05-19."),
]


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """One database for the read-only query tests of this module."""
    with Store(tmp_path_factory.mktemp("queries") / "q.duckdb") as store:
        for i, (outlet, published, text) in enumerate(ARTICLES):
            store.add_article(
                {"text": text, "outlet": outlet, "published": published, "title": f"Story {i}"},
                code_records(text, published, "en", f"d{i}"),
            )
        yield store


def test_actor_filter_matches_codes_and_lexicon_ids(filled: Store) -> None:
    rus = filled.events(actor="RUS")
    assert len(rus) == 5
    assert set(rus["source_code"]) | set(rus["target_code"]) >= {"RUS"}
    assert len(filled.events(actor="countries:RUS")) == 5
    assert len(filled.events(actor="rus")) == 5  # the name part of the lexicon id
    assert filled.events(actor="XYZ").empty


def test_dyad_is_undirected_unless_asked(filled: Store) -> None:
    both = filled.events(dyad=("RUS", "UKR"))
    assert sorted(both["code"]) == ["111", "190", "190"]
    directed = filled.events(dyad=("RUS", "UKR"), directed=True)
    assert sorted(directed["code"]) == ["190", "190"]


@pytest.mark.parametrize(
    ("kwargs", "codes"),
    [
        ({"code": "04"}, ["040", "040"]),
        ({"code": "111"}, ["111", "111"]),
        ({"root": "19"}, ["190", "190"]),
        ({"root": "5"}, ["051"]),
        ({"quad": 3}, ["111", "111", "138"]),
        ({"since": "2025-05"}, ["040", "138"]),
        ({"until": "2025-03-11"}, ["040"]),
        ({"since": "2025-04-01", "until": "2025-04-30"}, ["051", "111", "190"]),
        ({"text": "THREATENS"}, ["138"]),
        ({"status": "asserted,negated"}, ["040", "040", "051", "111", "111", "138", "190", "190"]),
        ({"status": "negated"}, []),
    ],
)
def test_event_filters(filled: Store, kwargs: dict, codes: list[str]) -> None:
    assert sorted(filled.events(**kwargs)["code"]) == codes


def test_limit_and_order_newest_first(filled: Store) -> None:
    df = filled.events(limit=2)
    assert len(df) == 2
    assert df["date_value"].tolist() == ["2025-05-20", "2025-05-19"]


def test_bad_date_bound_is_a_config_error(filled: Store) -> None:
    with pytest.raises(ConfigError, match="not a date"):
        filled.events(since="last tuesday")


def test_dyad_timeline_counts_per_quad_class(filled: Store) -> None:
    df = filled.dyad_timeline("RUS", "UKR", freq="month")
    assert [p.date().isoformat() for p in df["period"]] == ["2025-03-01", "2025-04-01"]
    assert df["events"].tolist() == [1, 2]
    assert df["quad4"].tolist() == [1, 1] and df["quad3"].tolist() == [0, 1]
    assert df["mean_goldstein"].tolist() == pytest.approx([-10.0, -6.0])
    with pytest.raises(StoreError, match="unknown frequency"):
        filled.dyad_timeline("RUS", "UKR", freq="fortnight")


def test_timeline_leaves_out_dates_coarser_than_the_period(store: Store) -> None:
    record = event_record(
        "m",
        1,
        source=actor("RUS", "Russia", 0, 6),
        target=actor("UKR", "Ukraine", 10, 17),
        date={"value": "2025-03", "granularity": "month", "basis": "text", "time_id": None},
    )
    store.add_article({"text": "Russia and Ukraine met in March."}, {"events": [record]})
    assert store.dyad_timeline("RUS", "UKR", freq="day").empty
    assert store.dyad_timeline("RUS", "UKR", freq="month")["events"].tolist() == [1]


def test_actors_and_dyads(filled: Store) -> None:
    actors = filled.actors()
    rus = actors[actors["actor_id"] == "countries:RUS"].iloc[0]
    assert (rus["mentions"], rus["as_source"], rus["as_target"]) == (5, 3, 2)
    dyads = filled.dyads()
    top = dyads.iloc[0]
    assert (top["actor_a"], top["actor_b"], top["events"], top["quad4"]) == ("RUS", "UKR", 2, 2)
    assert top["mean_goldstein"] == pytest.approx(-10.0)
    undirected = filled.dyads(directed=False)
    pair = undirected[(undirected["actor_a"] == "RUS") & (undirected["actor_b"] == "UKR")].iloc[0]
    assert pair["events"] == 3


def test_articles_quotes_places(filled: Store) -> None:
    articles = filled.articles()
    assert len(articles) == 3 and "text" not in articles.columns
    assert sorted(articles["mentions"]) == [2, 3, 3]
    assert "text" in filled.articles(include_text=True).columns
    quotes = filled.quotes()
    assert quotes["text"].tolist() == ["we are ready"] and quotes["outlet"].tolist() == ["Wire A"]
    places = filled.places()
    assert set(places["name"]) == {"Berlin", "Paris"}
    assert places.set_index("name").loc["Berlin", "events"] == 1


def test_counts(filled: Store) -> None:
    assert filled.counts() == {
        "articles": 3,
        "duplicates": 0,
        "mentions": 8,
        "events": 8,
        "actors": 16,
        "quotes": 1,
        "places": 2,
        "times": 3,
        "failures": 0,
    }


def test_evidence_highlights_trigger_and_actors_in_the_sentence(filled: Store) -> None:
    event_id = filled.events(code="138")["event_id"].iloc[0]
    evidence = filled.evidence(event_id[:6])
    assert evidence.event["event_id"] == event_id
    (mention,) = evidence.mentions
    spans = {h.kind: mention.sentence[h.start : h.end] for h in mention.highlights}
    assert spans == {"trigger": "threatens", "source": "Russia", "target": "Poland"}
    assert mention.mention["rule_id"] == "en.13.fake" and mention.mention["rule_line"] == 7
    assert mention.article["outlet"] == "Paper C"


def test_evidence_brings_quotes_and_time_expression(filled: Store) -> None:
    event_id = filled.events(code="111", since="2025-03-01", until="2025-03-31")["event_id"].iloc[0]
    (mention,) = filled.evidence(event_id).mentions
    assert [q["text"] for q in mention.quotes] == ["we are ready"]
    berlin = filled.events(code="040", until="2025-03-31")["event_id"].iloc[0]
    (mention,) = filled.evidence(berlin).mentions
    assert mention.time["text"] == "2025-03-10"
    assert {h.kind for h in mention.highlights} == {"trigger", "source", "target", "place"}
