"""Chinese typesetting of numbers in running text (render/report/numerals.py)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from ipreport.model import Kind, Target
from ipreport.render.report.numerals import (
    amount,
    as_at,
    change_on_last_year,
    full_width_brackets,
    measure,
    percent,
    points,
    value_range,
)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (D("254000"), "件", "25.4万件"),
        (D("24000"), "件", "2.4万件"),
        (D("240000"), "件", "24万件"),
        (D("13460"), "件", "1.35万件"),
        (D("5340000000"), "元", "53.4亿元"),
        (D("534000"), "万元", "53.4亿元"),
        (D("53.4"), "亿元", "53.4亿元"),
        (D("9800"), "件", "9800件"),
        (D("6.41"), "件/万人", "6.41件/万人"),
        (D("128000"), "%", "128000%"),
        (D("-134000"), "件", "−13.4万件"),
    ],
)
def test_counts_and_amounts_take_wan_and_yi(value: D, unit: str, expected: str) -> None:
    assert amount(value, unit) == expected


def test_percent_drops_the_decimal_only_where_exact() -> None:
    assert percent(1.0) == "100%"
    assert percent(1.77) == "177%"
    assert percent(1.526) == "152.6%"
    assert percent(0.0996) == "10.0%"
    assert percent(-0.05) == "−5%"
    assert percent(None) == "—"


def test_points_ranges_and_brackets() -> None:
    assert points(D("1.9")) == "1.9个百分点"
    assert points(D("-0.8")) == "0.8个百分点"
    assert points(D("4.0")) == "4个百分点"
    assert value_range("3", "5", "个") == "3～5个"
    assert full_width_brackets("工作要点(2022—2023年)") == "工作要点（2022—2023年）"


def test_stocks_are_dated_at_year_end_and_flows_over_the_year() -> None:
    stock = Target(id="a", name="每万人口发明专利拥有量", kind=Kind.LEVEL)
    flow_by_catalogue = Target(id="b", name="专利申请量", kind=Kind.LEVEL)
    flow_by_name = Target(id="c", name="知识产权质押融资额", kind=Kind.LEVEL)
    overridden = Target(id="d", name="专利申请量", kind=Kind.LEVEL, measure="stock")
    assert [measure(t) for t in (stock, flow_by_catalogue, flow_by_name, overridden)] == [
        "stock", "flow", "flow", "stock",
    ]
    assert as_at(2020, "stock") == "截至2020年底"
    assert as_at(2020, "flow") == "2020年全年"


def test_the_change_on_last_year() -> None:
    assert change_on_last_year(D("7.5"), D("9.4"), "件/万人", "stock", 1) == "较上年提高1.9件"
    assert change_on_last_year(D("3100"), D("4868.8"), "亿元", "flow", 1) == "同比增长57.1%"
    assert change_on_last_year(D("300000"), D("310000"), "件", "stock", 0) == "较上年增加1万件"
    assert change_on_last_year(D("12.5"), D("13.3"), "%", "stock", 1) == "较上年提高0.8个百分点"
    assert change_on_last_year(D("400"), D("380"), "亿元", "flow", 0) == "同比下降5%"
    assert change_on_last_year(D("5"), D("5"), "件", "stock", 0) == "与上年持平"
