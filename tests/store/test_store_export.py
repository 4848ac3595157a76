"""Exports: GDELT 2.0 event table (61 columns in GDELT's order), PLOVER JSON lines, Parquet, CSV."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from lb_fakes import actor, code_records, event_record

from lagebild.store import ExportError, Store
from lagebild.store.export import EXTRA_COLUMNS, GDELT_COLUMNS, write_gdelt, write_plover, write_table

# Written out from the GDELT 2.0 event codebook, not derived from the code under test.
GDELT_2_EVENT_COLUMNS = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
]

TEXT = "Germany meets France in Berlin on 2025-03-10. Russia attacks Ukraine. Poland comments on Russia."


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_article(
        {"text": TEXT, "outlet": "Wire A", "published": "2025-03-12", "url": "https://a.example/1"},
        code_records(TEXT, "2025-03-12", "en", "d"),
    )
    month = event_record(
        "m",
        1,
        code="0311",
        root="03",
        quad_class=1,
        goldstein=5.2,
        plover="AGREE",
        source=actor("NATO", "NATO", 0, 4, role="IGO"),
        target=actor("UKR", "Ukraine", 10, 17, role="GOV"),
        date={"value": "2025-04", "granularity": "month", "basis": "text", "time_id": None},
        span=(0, 40),
    )
    store.add_article(
        {"text": "NATO and Ukraine plan to cooperate in April.", "outlet": "Paper B"}, {"events": [month]}
    )
    return store


def _gdelt(store: Store, **kwargs) -> list[list[str]]:
    buf = io.StringIO()
    write_gdelt(store, buf, **kwargs)
    return [line.split("\t") for line in buf.getvalue().splitlines()]


def test_gdelt_has_61_columns_in_gdelts_order(filled: Store) -> None:
    assert list(GDELT_COLUMNS) == GDELT_2_EVENT_COLUMNS and len(GDELT_2_EVENT_COLUMNS) == 61
    rows = _gdelt(filled)
    assert len(rows) == 4
    assert all(len(row) == 61 for row in rows)
    assert rows[0][0].isdigit()  # no header unless asked


def test_gdelt_header_and_extra_columns(filled: Store) -> None:
    rows = _gdelt(filled, header=True, extra=True)
    assert rows[0] == GDELT_2_EVENT_COLUMNS + list(EXTRA_COLUMNS)
    assert all(len(row) == 61 + len(EXTRA_COLUMNS) for row in rows)


def _by_code(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    return {r[GDELT_COLUMNS.index("EventCode")]: dict(zip(GDELT_COLUMNS + EXTRA_COLUMNS, r)) for r in rows}


def test_gdelt_cells(filled: Store) -> None:
    rows = _by_code(_gdelt(filled, extra=True))
    consult = rows["040"]
    assert (consult["SQLDATE"], consult["MonthYear"], consult["Year"]) == ("20250310", "202503", "2025")
    assert consult["FractionDate"] == f"{2025 + (3 * 30 + 10) / 365:.4f}"
    assert (consult["Actor1Code"], consult["Actor1CountryCode"], consult["Actor2Name"]) == ("DEU", "DEU", "France")
    assert (consult["EventBaseCode"], consult["EventRootCode"], consult["QuadClass"]) == ("040", "04", "1")
    assert (consult["NumMentions"], consult["NumSources"], consult["NumArticles"]) == ("1", "1", "1")
    assert consult["AvgTone"] == ""
    assert consult["ActionGeo_FullName"] == "Berlin" and consult["ActionGeo_Lat"] == "52.52"
    assert consult["SOURCEURL"] == "https://a.example/1"
    assert len(consult["DATEADDED"]) == 14 and consult["DATEADDED"].isdigit()
    assert consult["IsRootEvent"] == "1"
    statement = rows["010"]
    assert statement["IsRootEvent"] == "0"
    agree = rows["0311"]
    assert (agree["SQLDATE"], agree["MonthYear"], agree["Year"], agree["FractionDate"]) == ("", "202504", "2025", "")
    assert (
        agree["Actor1Code"],
        agree["Actor1CountryCode"],
        agree["Actor1KnownGroupCode"],
        agree["Actor1Type1Code"],
    ) == ("NATOIGO", "", "NATO", "IGO")
    assert (agree["Actor2Code"], agree["Actor2CountryCode"], agree["Actor2Type1Code"]) == ("UKRGOV", "UKR", "GOV")
    assert agree["SOURCEURL"] == "Paper B"
    assert (agree["DateValue"], agree["DateGranularity"], agree["PloverType"]) == ("2025-04", "month", "AGREE")


def test_plover_records(filled: Store) -> None:
    buf = io.StringIO()
    result = write_plover(filled, buf)
    records = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert (result.written, result.skipped_no_plover) == (3, 1)  # CAMEO 010 has no PLOVER type
    assert len(records) == 3
    for r in records:
        for field in (
            "id",
            "date",
            "actor",
            "recipient",
            "event",
            "mode",
            "context",
            "text",
            "textInfo",
            "citeInfo",
            "quadCode",
            "eventText",
            "hasEvent",
            "coder",
        ):
            assert field in r, field
        assert isinstance(r["event"], list) and r["event"][0]
        assert r["id"].startswith("lagebild-")
    assault = next(r for r in records if r["event"] == ["ASSAULT"])
    assert assault["actor"] == [
        {
            "code": "RUS",
            "sector": None,
            "entityText": "Russia",
            "identifierId": "countries:RUS",
            "identifierText": "Russia",
        }
    ]
    assert assault["recipient"][0]["code"] == "UKR"
    assert assault["date"] == "2025-03-12" and assault["quadCode"] == 4
    assert assault["text"].strip() == "Russia attacks Ukraine."
    assert assault["eventText"] == ["attacks"]
    assert assault["citeInfo"]["url"] == "https://a.example/1"
    consult = next(r for r in records if r["event"] == ["CONSULT"])
    assert consult["eventLoc"]["resolvedPlace"] == "Berlin"
    agree = next(r for r in records if r["event"] == ["AGREE"])
    assert agree["date"] == "2025-04-01" and agree["dateGranularity"] == "month"


def test_plover_without_text(filled: Store) -> None:
    buf = io.StringIO()
    write_plover(filled, buf, include_text=False)
    assert all(json.loads(line)["text"] is None for line in buf.getvalue().splitlines())


@pytest.mark.parametrize("table", ["events", "mentions", "articles"])
def test_parquet_and_csv(filled: Store, tmp_path, table: str) -> None:
    n = write_table(filled, tmp_path / "x.parquet", "parquet", table=table)
    df = pd.read_parquet(tmp_path / "x.parquet")
    assert len(df) == n == {"events": 4, "mentions": 4, "articles": 2}[table]
    m = write_table(filled, tmp_path / "x.csv", "csv", table=table)
    assert m == n and len(pd.read_csv(tmp_path / "x.csv")) == n


def test_unknown_table_is_refused(filled: Store, tmp_path) -> None:
    with pytest.raises(ExportError):
        write_table(filled, tmp_path / "x.parquet", "parquet", table="secrets")
