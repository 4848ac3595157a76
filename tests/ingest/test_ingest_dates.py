"""Publication dates from datelines and from metadata."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from lagebild.ingest.dates import find_dateline, parse_published


@pytest.mark.parametrize(
    ("text", "place", "agency", "value"),
    [
        ("Berlin, 12. März 2025 (dpa) – Die Koalition berät heute.", "Berlin", "dpa", "2025-03-12"),
        ("BERLIN, 1. Mai 2024 (Reuters) - Gespräche beginnen.", "BERLIN", "Reuters", "2024-05-01"),
        ("Kiew/Berlin, 12.03.2025 (AFP) – Neue Runde.", "Kiew/Berlin", "AFP", "2025-03-12"),
        ("Frankfurt/Main, 5. Sept. 2024 (dpa-AFX) - Die Börse schloss.", "Frankfurt/Main", "dpa-AFX", "2024-09-05"),
        ("Wien, Mittwoch, 3. Jänner 2024 (APA) – Der Rat tagt.", "Wien", "APA", "2024-01-03"),
        ("PARIS, March 3, 2025 (AFP) - Ministers gather.", "PARIS", "AFP", "2025-03-03"),
        ("Paris, 3 March 2025 – Ministers gather.", "Paris", None, "2025-03-03"),
        ("WASHINGTON (AP) — Lawmakers met late.", "WASHINGTON", "AP", None),
        ("Ein Titel\nHamburg, 2. Februar 2023 (dpa) - Text.", "Hamburg", "dpa", "2023-02-02"),
    ],
)
def test_datelines(text: str, place: str, agency: str | None, value: str | None) -> None:
    d = find_dateline(text)
    assert d is not None
    assert (d.place, d.agency) == (place, agency)
    assert (d.published.value if d.published else None) == value
    if value:
        assert d.published.basis == "dateline" and d.published.precision == "day"


def test_dateline_without_year_needs_a_reference_year() -> None:
    text = "MOSCOW, March 12 (Reuters) - Talks resumed."
    d = find_dateline(text)
    assert d.agency == "Reuters" and d.published is None and "--year" in d.note
    assert find_dateline(text, reference_year=2024).published.value == "2024-03-12"


@pytest.mark.parametrize(
    "text",
    [
        "However, the minister said (briefly) - nothing changed.",
        "The minister, who arrived yesterday - said little.",
        "Die Regierung hat am Montag beschlossen, die Hilfen zu verlängern.",
        "Erste Zeile.\nZweite Zeile.\nBerlin, 12. März 2025 (dpa) – zu spät.",
        "Berlin, 31. Februar 2025 (dpa) – kein Datum.",
    ],
)
def test_no_dateline(text: str) -> None:
    d = find_dateline(text)
    assert d is None or d.published is None


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2025-03-12", "2025-03-12", "day"),
        ("2025-03", "2025-03", "month"),
        ("2025", "2025", "year"),
        ("2025-03-12T09:30:00Z", "2025-03-12T09:30:00+00:00", "datetime"),
        ("2025-03-12 09:30:00+01:00", "2025-03-12T09:30:00+01:00", "datetime"),
        ("Wed, 12 Mar 2025 10:00:00 GMT", "2025-03-12T10:00:00+00:00", "datetime"),
        ("12.03.2025", "2025-03-12", "day"),
        ("12. März 2025", "2025-03-12", "day"),
        ("March 12, 2025", "2025-03-12", "day"),
        (date(2025, 3, 12), "2025-03-12", "day"),
        (datetime(2025, 3, 12, 8, 0, tzinfo=UTC), "2025-03-12T08:00:00+00:00", "datetime"),
        (time.struct_time((2025, 3, 12, 10, 0, 0, 2, 71, 0)), "2025-03-12T10:00:00+00:00", "datetime"),
    ],
)
def test_published_from_metadata(value, expected: str, precision: str) -> None:
    p = parse_published(value)
    assert (p.value, p.precision, p.basis) == (expected, precision, "metadata")


@pytest.mark.parametrize("value", ["", None, "soon", "2025-13", "2025-02-30", "March 12"])
def test_unusable_metadata_dates(value) -> None:
    assert parse_published(value) is None
