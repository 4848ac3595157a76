"""Records go into the store and come back unchanged; migrations are named and recorded."""

from __future__ import annotations

import duckdb
import pytest
from lb_fakes import actor, code_records, event_record

from lagebild.store import NotFoundError, Store, StoreError, StoreLockedError, content_hash
from lagebild.store.migrations import MIGRATIONS

TEXT = (
    "Germany meets France in Berlin on 2025-03-10. Russia attacks Ukraine. "
    'Poland said "we stand ready" and Poland criticises Russia.'
)


def _article(text: str = TEXT, **extra):
    return {
        "text": text,
        "title": "Talks",
        "outlet": "Wire A",
        "published": "2025-03-12",
        "url": "https://a.example/1",
        **extra,
    }


def test_records_round_trip(store: Store) -> None:
    records = code_records(TEXT, "2025-03-12", "en", "doc")
    result = store.add_article(_article(), records)
    assert result.inserted and result.mentions == 3
    back = store.records(result.article_id)
    assert back["events"] == records["events"]
    assert back["quotes"] == records["quotes"]
    assert back["actors"] == records["actors"]
    assert back["times"] == records["times"]
    assert back["places"] == records["places"]
    assert back["article"] == records["article"]


def test_every_event_field_is_a_column(store: Store) -> None:
    record = event_record(
        "d",
        1,
        code="0311",
        root="03",
        quad_class=1,
        goldstein=5.2,
        plover="AGREE",
        source={**actor("DEU", "Deutschland", 0, 11, role="GOV"), "antecedent_span": [40, 45]},
        target=actor("FRA", "Frankreich", 20, 30),
        date={"value": "2024-06", "granularity": "month", "basis": "text", "time_id": "d#t1"},
        status="planned",
        location={"name": "Paris", "country": "FRA", "lat": 48.86, "lon": 2.35, "span": [33, 38]},
        sentence=0,
        span=(0, 50),
        trigger={"text": "will", "span": [12, 16], "lemma": "wollen"},
        rule={
            "id": "de.03.wollen",
            "file": "lexicons/de/triggers.tsv",
            "line": 42,
            "pattern": "wollen zusammenarbeiten",
        },
        quote_ids=["d#q1"],
        speaker={"code": "DEU", "name": "Scholz", "actor_id": "persons:scholz_olaf"},
        confidence=0.75,
        lang="de",
    )
    text = "Deutschland will mit Frankreich in Paris kooperieren, sagte er heute."
    result = store.add_article({"text": text, "lang": "de"}, {"events": [record]})
    row = store.mentions(article_id=result.article_id).iloc[0]
    expected = {
        "code": "0311",
        "root": "03",
        "quad_class": 1,
        "goldstein": 5.2,
        "plover": "AGREE",
        "source_code": "DEU",
        "source_role": "GOV",
        "source_name": "Deutschland",
        "source_actor_id": "countries:DEU",
        "source_start": 0,
        "source_end": 11,
        "source_antecedent_start": 40,
        "source_antecedent_end": 45,
        "target_code": "FRA",
        "target_start": 20,
        "date_value": "2024-06",
        "date_granularity": "month",
        "date_basis": "text",
        "date_time_id": "d#t1",
        "status": "planned",
        "location_name": "Paris",
        "location_country": "FRA",
        "location_lat": 48.86,
        "location_start": 33,
        "sentence": 0,
        "sentence_start": 0,
        "sentence_end": 50,
        "trigger_text": "will",
        "trigger_lemma": "wollen",
        "trigger_start": 12,
        "trigger_end": 16,
        "rule_id": "de.03.wollen",
        "rule_file": "lexicons/de/triggers.tsv",
        "rule_line": 42,
        "rule_pattern": "wollen zusammenarbeiten",
        "speaker_code": "DEU",
        "speaker_name": "Scholz",
        "speaker_actor_id": "persons:scholz_olaf",
        "confidence": 0.75,
        "lang": "de",
        "sentence_text": text[:50],
    }
    for column, value in expected.items():
        assert row[column] == value, column
    assert list(row["quote_ids"]) == ["d#q1"]
    assert str(row["date_start"].date()) == "2024-06-01" and str(row["date_end"].date()) == "2024-06-30"


def test_article_id_is_content_hash_and_adding_twice_is_a_no_op(store: Store) -> None:
    records = code_records(TEXT, "2025-03-12", "en", "doc")
    first = store.add_article(_article(), records)
    assert first.article_id == content_hash(TEXT)
    assert content_hash(TEXT.replace(" ", "  \n")) == first.article_id  # white space does not change identity
    before = store.counts()
    again = store.add_article(_article(), records)
    assert not again.inserted
    assert store.counts() == before


def test_migrations_are_recorded_and_applied_once(tmp_path) -> None:
    path = tmp_path / "m.duckdb"
    with Store(path) as s:
        names = [name for name, _ in s.migrations()]
        s.add_article(_article(), code_records(TEXT, "2025-03-12", "en", "doc"))
    assert names == [m.name for m in MIGRATIONS]
    with Store(path) as s:  # reopening applies nothing new and keeps the data
        assert [name for name, _ in s.migrations()] == names
        assert s.counts()["articles"] == 1


def test_database_from_a_newer_lagebild_is_refused(tmp_path) -> None:
    path = tmp_path / "new.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO migrations VALUES ('9999_future', now())")
    con.close()
    with pytest.raises(StoreError, match="newer lagebild"):
        Store(path)


def test_read_only_store_rejects_writes_and_missing_files(tmp_path) -> None:
    path = tmp_path / "ro.duckdb"
    with Store(path) as s:
        s.add_article(_article(), code_records(TEXT, None, "en", "doc"))
    with Store(path, read_only=True) as s:
        assert s.counts()["articles"] == 1
        with pytest.raises(StoreError, match="read-only"):
            s.record_failure("x", "y")
    with pytest.raises(StoreError, match="no database"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_second_writer_gets_a_clear_error(tmp_path) -> None:
    import subprocess
    import sys

    path = tmp_path / "locked.duckdb"
    Store(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreLockedError, match="in use by another process"):
            Store(path)
    finally:
        holder.kill()
        holder.wait()


def test_values_are_bound_not_formatted(store: Store) -> None:
    store.add_article(_article(), code_records(TEXT, "2025-03-12", "en", "doc"))
    hostile = "x'); DROP TABLE events; --"
    assert store.events(actor=hostile).empty
    assert store.events(text=hostile).empty
    assert store.quotes(speaker=hostile).empty
    store.record_failure(hostile, hostile)
    assert store.counts()["events"] == 3
    assert store.failures()["input"].tolist() == [hostile]


def test_failures_are_recorded_once_per_reason(store: Store) -> None:
    store.record_failure("a.txt", "empty file", "empty")
    store.record_failure("a.txt", "empty file", "empty")
    store.record_failure("a.txt", "another reason")
    failures = store.failures().sort_values("reason")
    assert failures["reason"].tolist() == ["another reason", "empty file"]
    assert failures["attempts"].tolist() == [1, 2]


def test_article_without_text_is_refused_and_nothing_is_written(store: Store) -> None:
    with pytest.raises(StoreError, match="without text"):
        store.add_article({"text": "   "}, {})
    assert store.counts()["articles"] == 0


def test_a_failing_write_leaves_no_trace(store: Store) -> None:
    records = code_records(TEXT, "2025-03-12", "en", "doc")
    records["events"].append(dict(records["events"][0]))  # the same event id twice: the insert fails
    with pytest.raises(StoreError, match="cannot store"):
        store.add_article(_article(), records)
    assert store.counts() == {k: 0 for k in store.counts()}


def test_unknown_ids_raise_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.evidence("abcdef")
    with pytest.raises(NotFoundError):
        store.records("nope")


def test_round_trip_keeps_the_coders_order(store: Store) -> None:
    text = " ".join(f"Germany meets France {i}." for i in range(12))
    records = code_records(text, "2025-03-12", "en", "many")
    assert len(records["events"]) == 12
    result = store.add_article({"text": text}, records)
    assert [e["event_id"] for e in store.records(result.article_id)["events"]] == [
        e["event_id"] for e in records["events"]
    ]
