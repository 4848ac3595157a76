"""The GUIDE.md matching rules on small hand-made gold and system sets."""

from __future__ import annotations

from lagebild.evaluate import GoldEvent, Summary, SystemEvent, score_article


def gold(id, roots, src, tgt, year, tier="core", symmetric=False, date=None):
    return GoldEvent(id, tuple(roots), tuple(src), tuple(tgt), year, date, tier, symmetric)


def sys_event(root, src, tgt, year, date=None):
    return SystemEvent((root, src, tgt, year), date, None)


def test_match_and_false_alarm():
    golds = [gold("a", ["04"], ["RUS"], ["PRK"], 2024)]
    score = score_article("x", golds, [sys_event("04", "RUS", "PRK", 2024), sys_event("11", "RUS", "USA", 2024)])
    summary = Summary([score])
    assert score.matched == 1 and len(score.false_alarms) == 1
    assert summary.precision == 0.5 and summary.core_recall == 1.0


def test_root_list_and_source_list():
    golds = [gold("a", ["10", "13"], ["WST", "USA"], ["VNM"], 2024)]
    score = score_article("x", golds, [sys_event("13", "USA", "VNM", 2024)])
    assert score.matched == 1


def test_symmetric_either_way_and_reverse_is_neutral():
    golds = [gold("t", ["05"], ["RUS"], ["PRK"], 2024, symmetric=True)]
    score = score_article("x", golds, [sys_event("05", "PRK", "RUS", 2024), sys_event("05", "RUS", "PRK", 2024)])
    assert score.matched == 1 and score.neutral == 1 and not score.false_alarms


def test_optional_is_neither_rewarded_nor_penalised():
    golds = [gold("o", ["01"], ["PRK"], [], 2024, tier="optional"), gold("c", ["04"], ["RUS"], ["PRK"], 2024)]
    score = score_article("x", golds, [sys_event("01", "PRK", None, 2024)])
    assert score.matched == 0 and score.neutral == 1 and not score.false_alarms
    assert Summary([score]).core_recall == 0.0


def test_empty_target_means_no_target():
    golds = [gold("s", ["01"], ["RUS"], [], 2024)]
    assert score_article("x", golds, [sys_event("01", "RUS", None, 2024)]).matched == 1
    assert score_article("x", golds, [sys_event("01", "RUS", "USA", 2024)]).matched == 0


def test_year_must_match():
    golds = [gold("v", ["04"], ["PRK"], ["RUS"], 2023)]
    score = score_article("x", golds, [sys_event("04", "PRK", "RUS", 2024)])
    assert score.matched == 0 and len(score.false_alarms) == 1


def test_each_gold_matched_once_maximum_matching():
    # key k1 could take g1 or g2, key k2 only g1: the maximum matching gives both
    golds = [gold("g1", ["11"], ["RUS"], ["WST", "USA"], 2024), gold("g2", ["11"], ["RUS"], ["WST"], 2024)]
    keys = [sys_event("11", "RUS", "WST", 2024), sys_event("11", "RUS", "USA", 2024)]
    score = score_article("x", golds, keys)
    assert score.matched == 2 and score.core_found == 2


def test_dates_at_gold_precision():
    golds = [gold("d", ["04"], ["RUS"], ["PRK"], 2024, date="2024-06-19"), gold("y", ["16"], ["UN"], ["PRK"], 2006, date="2006")]
    good = score_article("x", golds, [sys_event("04", "RUS", "PRK", 2024, "2024-06-19"), sys_event("16", "UN", "PRK", 2006, "2006")])
    assert good.dates_checked == 2 and good.dates_right == 2
    coarse = score_article("x", golds, [sys_event("04", "RUS", "PRK", 2024, "2024-06"), sys_event("16", "UN", "PRK", 2006, "2006-03-01")])
    assert coarse.dates_right == 1  # a month cannot confirm a day; a day confirms a year


def test_stretch_reported_apart():
    golds = [gold("c", ["04"], ["RUS"], ["PRK"], 2024), gold("s", ["07"], ["WST"], ["UKR"], 2024, tier="stretch")]
    summary = Summary([score_article("x", golds, [sys_event("07", "WST", "UKR", 2024)])])
    assert summary.core_recall == 0.0 and summary.stretch_recall == 1.0 and summary.precision == 1.0
