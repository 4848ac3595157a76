"""Small pure pieces of the web layer: highlight segments, chart geometry, the map, the settings."""

from __future__ import annotations

from datetime import date

import pytest

from lagebild.api.settings import ServerSettings, is_loopback
from lagebild.errors import ConfigError
from lagebild.web import charts, geo
from lagebild.web.highlight import Span, segments


def test_segments_cover_the_text_exactly_once() -> None:
    text = 'Iran said "the USA attacked" on Monday.'
    spans = [Span(0, 4, "source"), Span(5, 9, "trigger"), Span(10, 27, "quote"), Span(15, 18, "target"),
             Span(31, 37, "time"), Span(0, 38, "sentence")]
    segs = segments(text, spans)
    assert "".join(s.text for s in segs) == text
    by_text = {s.text: s.kinds for s in segs}
    assert by_text["Iran"] == ("sentence", "source")
    assert by_text["USA"] == ("sentence", "quote", "target")
    assert by_text["said"] == ("sentence", "trigger")
    assert segs[-1].text == "." and segs[-1].kinds == ()


@pytest.mark.parametrize("bad", [Span(5, 3, "trigger"), Span(None, 4, "trigger"), Span(50, 60, "trigger"), Span(-1, 2, "x")])
def test_segments_ignore_impossible_spans(bad: Span) -> None:
    assert [(s.text, s.kinds) for s in segments("abcdef", [bad])] == [("abcdef", ())]


def test_segments_clip_spans_past_the_end() -> None:
    assert [(s.text, s.kinds) for s in segments("abcdef", [Span(4, 99, "place")])] == [("abcd", ()), ("ef", ("place",))]


def test_timeline_puts_cooperation_above_and_conflict_below() -> None:
    rows = [{"period": "2025-01-01", "quad1": 2, "quad2": 1, "quad3": 0, "quad4": 3, "events": 6, "mean_goldstein": -2.0},
            {"period": "2025-03-01", "quad1": 1, "quad2": 0, "quad3": 1, "quad4": 0, "events": 2, "mean_goldstein": 1.5}]
    events = [{"event_id": "e1", "date_start": "2025-01-10", "date_end": "2025-01-10", "goldstein": 7.0, "quad_class": 2,
               "code": "057", "date_value": "2025-01-10"},
              {"event_id": "e2", "date_start": "2025-03-02", "date_end": "2025-03-02", "goldstein": -10.0, "quad_class": 4,
               "code": "190", "date_value": "2025-03-02"}]
    c = charts.timeline(rows, "month", events=events, period_href=lambda a, b: f"/p/{a}/{b}",
                        event_href=lambda e: f"/events/{e}")
    zero = c.bars_panel.zero
    for bar in c.bars:
        if bar.quad in (1, 2):
            assert bar.y + bar.h <= zero + 0.01
        else:
            assert bar.y >= zero - 0.01
    assert {b.href for b in c.bars} == {"/p/2025-01-01/2025-01-31", "/p/2025-03-01/2025-03-31"}
    tallest = max(b.h for b in c.bars)
    assert tallest == pytest.approx(c.bars_panel.height / 2 * 3 / 3, abs=0.2)  # the peak fills half the panel
    up, down = (p for p in sorted(c.points, key=lambda p: p.cy))
    assert up.href == "/events/e1" and up.cy < c.points_panel.zero < down.cy
    assert down.cy == pytest.approx(c.points_panel.top + c.points_panel.height)  # -10 at the bottom
    assert up.cx < down.cx and c.mean_path.startswith("M")
    assert [t.label for t in c.x_ticks] == ["2025-01", "2025-03"]


def test_empty_timeline_and_period_helpers() -> None:
    assert charts.timeline([], "day", period_href=lambda a, b: "").empty
    assert charts.period_end(date(2024, 2, 1), "month") == date(2024, 2, 29)
    assert charts.period_end(date(2025, 6, 2), "week") == date(2025, 6, 8)
    assert charts.period_label(date(2025, 6, 2), "week") == "2025-W23"


def test_world_outline_and_markers() -> None:
    countries = geo.world()
    assert len(countries) > 150
    assert {c.iso3 for c in countries} >= {"DEU", "USA", "IRN", "BRA", "AUS"}
    assert geo.project(0, 0) == (180, 90) and geo.project(52.5, 13.4) == (193.4, 37.5)
    marks = geo.markers([{"name": "A", "lat": 10, "lon": 10, "events": 1, "mean_goldstein": 2},
                         {"name": "B", "lat": 20, "lon": 20, "events": 9, "mean_goldstein": -3},
                         {"name": "C", "lat": None, "lon": 20, "events": 9}], href=lambda r: "/x")
    assert [m.label[0] for m in marks] == ["B", "A"] and marks[0].r > marks[1].r
    assert "conflict" in marks[0].css and "coop" in marks[1].css


def test_settings_validate_and_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAGEBILD_TOKEN", "from-env")
    monkeypatch.setenv("LAGEBILD_MAX_BODY", "5000")
    s = ServerSettings.from_env(port=9000)
    assert s.token.get_secret_value() == "from-env" and s.max_body_bytes == 5000 and s.port == 9000
    assert "from-env" not in repr(s)
    with pytest.raises(ConfigError, match="port"):
        ServerSettings.from_env(port=70000)
    assert is_loopback("localhost") and is_loopback("127.0.0.2") and not is_loopback("0.0.0.0")


def test_every_setting_is_documented() -> None:
    import lagebild.api.settings as module

    for name in ServerSettings.model_fields:
        assert f"    {name} " in module.__doc__, f"setting {name} is not documented in lagebild.api.settings"


def test_points_outside_the_periods_do_not_stretch_the_axis() -> None:
    rows = [{"period": "2025-01-01", "quad1": 1, "quad2": 0, "quad3": 0, "quad4": 0, "events": 1, "mean_goldstein": 1.0}]
    events = [{"event_id": "old", "date_start": "2018-01-01", "date_end": "2018-12-31", "goldstein": -8.0, "quad_class": 4},
              {"event_id": "new", "date_start": "2025-01-05", "date_end": "2025-01-05", "goldstein": 1.0, "quad_class": 1}]
    c = charts.timeline(rows, "month", events=events, period_href=lambda a, b: "", event_href=lambda e: e)
    assert [p.event_id for p in c.points] == ["new"]
    assert c.bars[0].x == charts.LEFT
