"""Scoring a draft against a reference plan: what counts as the same target."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from scoring import score

from ipreport.model import Kind, Plan, Point, Target


def plan(*targets: Target) -> Plan:
    return Plan(id="p", title="t", region="r", start_year=2016, target_year=2020, targets=targets)


def level(tid: str, value: str, unit: str = "件", year: int = 2020, **extra: object) -> Target:
    return Target(id=tid, name=tid, kind=Kind.LEVEL, value=Decimal(value), unit=unit, year=year, **extra)


def test_same_commitments_match_whatever_their_names() -> None:
    reference = plan(level("a", "24000"), Target(id="g", name="g", kind=Kind.GROWTH, rate=Decimal("0.1"), year=2020))
    draft = plan(level("x", "24000.0"), Target(id="y", name="other", kind=Kind.GROWTH, rate=Decimal("0.10"),
                                              year=2020, unit="件"))
    result = score(draft, reference)
    assert (result.precision, result.recall, result.matched) == (1.0, 1.0, (("x", "a"), ("y", "g")))


def test_units_differing_by_a_prefix_compare_by_value() -> None:
    result = score(plan(level("x", "5000000000", "元")), plan(level("a", "50", "亿元")))
    assert result.recall == 1.0


def test_rate_units_keep_their_wan() -> None:
    result = score(plan(level("x", "4.2", "件")), plan(level("a", "4.2", "件/万人")))
    assert (result.missing, result.extra) == (("a",), ("x",))


def test_year_and_kind_must_match() -> None:
    result = score(plan(level("x", "100", year=2017)), plan(level("a", "100")))
    assert (result.precision, result.recall) == (0.0, 0.0)


def test_range_by_min_and_max_and_milestone_by_deadline() -> None:
    reference = plan(
        Target(id="r", name="r", kind=Kind.RANGE, min=Decimal(3), max=Decimal(5), unit="个", year=2023),
        Target(id="m", name="m", kind=Kind.MILESTONE, deadline=dt.date(2022, 6, 30), year=2022),
        Target(id="o", name="o", kind=Kind.MILESTONE, ongoing=True, year=2023),
    )
    draft = plan(
        Target(id="r2", name="x", kind=Kind.RANGE, min=Decimal(3), max=Decimal(6), unit="个", year=2023),
        Target(id="m2", name="y", kind=Kind.MILESTONE, deadline=dt.date(2022, 6, 30), year=2022),
        Target(id="o2", name="z", kind=Kind.MILESTONE, ongoing=True, year=2020),
    )
    result = score(draft, reference)
    assert result.matched == (("m2", "m"), ("o2", "o"))
    assert (result.missing, result.extra) == (("r",), ("r2",))


def test_interim_values_count_as_targets_of_their_year() -> None:
    reference = plan(level("a", "2.88", "件/万人", interim=(Point(2017, Decimal("2.15")),)))
    draft = plan(level("x", "2.88", "件/万人"), level("y", "2.15", "件/万人", year=2017))
    result = score(draft, reference)
    assert result.matched == (("x", "a"), ("y", "a@2017"))
    assert (result.precision, result.recall) == (1.0, 1.0)


def test_each_reference_target_matches_once() -> None:
    result = score(plan(level("x", "10"), level("y", "10")), plan(level("a", "10")))
    assert (result.precision, result.recall, result.extra) == (0.5, 1.0, ("y",))


def test_empty_draft() -> None:
    result = score(plan(), plan(level("a", "1")))
    assert (result.precision, result.recall, result.missing) == (0.0, 0.0, ("a",))
