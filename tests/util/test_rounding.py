"""The one rounding rule: half up, on the decimal a number stands for, in every output."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ipreport.render.exports import _ratio_text, _rounded
from ipreport.render.formatting import (
    format_attainment,
    format_gap,
    format_number,
    format_percent,
    format_ratio,
)
from ipreport.util.rounding import distinct, half_up


@given(st.integers(min_value=-10**12, max_value=10**12), st.integers(min_value=0, max_value=6))
def test_every_decimal_tie_rounds_half_up(digits: int, decimals: int) -> None:
    # digits·10^-decimals + 5·10^-(decimals+1) is exactly halfway between two neighbours.
    tie = Decimal(digits).scaleb(-decimals) + (Decimal(5).scaleb(-decimals - 1) * (1 if digits >= 0 else -1))
    step = Decimal(1).scaleb(-decimals)
    away = Decimal(digits).scaleb(-decimals) + (step if digits >= 0 else -step)
    assert half_up(tie, decimals) == away
    assert half_up(float(tie), decimals) == away or len(tie.as_tuple().digits) > 15  # a float keeps 15 digits
    assert format_number(tie, decimals) == format_number(away, decimals)


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=4))
def test_percent_ties_round_half_up_from_a_float_fraction(digits: int, decimals: int) -> None:
    percent = Decimal(digits).scaleb(-decimals) + Decimal(5).scaleb(-decimals - 1)
    fraction = float(percent / 100)
    expected = Decimal(digits + 1).scaleb(-decimals)
    assert format_percent(fraction, decimals) == f"{expected}%"


def test_the_cases_of_issue_12() -> None:
    assert format_percent(81 / 80) == "101.3%"
    assert format_percent(Decimal("1.0005")) == "100.1%"
    assert format_percent(0.1225) == "12.3%"
    assert format_number(Decimal("0.05"), 1) == "0.1"
    assert format_number(Decimal("12.25"), 1) == "12.3"
    assert format_ratio(0.125) == "0.13"


def test_a_target_not_reached_never_reads_100_percent_or_a_zero_gap() -> None:
    assert format_attainment(0.9995) == "99.95%"
    assert format_attainment(0.99999) == "99.999%"
    assert format_attainment(1.0) == "100.0%"
    assert format_attainment(1.00004) == "100.0%"  # met: no extra digits needed
    assert format_gap(Decimal("0.03"), 1) == "0.03"
    assert format_gap(Decimal("0.0"), 1) == "0.0"
    assert format_gap(Decimal("-0.03"), 1) == "0.0"
    assert distinct(Decimal("0.0004"), 1, Decimal(0)) == 4


def test_no_negative_zero_anywhere() -> None:
    assert format_number(Decimal("-0.001"), 1) == "0.0"
    assert format_percent(-0.0000001) == "0.0%"
    assert format_ratio(-0.001) == "0.00"
    assert _rounded(-1e-9) == 0.0 and json.dumps(_rounded(-1e-9)) == "0.0"
    assert _ratio_text(-1e-9) == "0.0"
    assert str(half_up(Decimal("-0.0004"), 3)) == "0.000"


def test_json_numbers_round_half_up_on_the_decimal() -> None:
    # 0.0000125 is stored as 1.24999…e-05: round(x, 6) gives 1.2e-05, the decimal rule 1.3e-05.
    assert _rounded(1.0000125) == 1.000013
    assert _ratio_text(1.0000125) == "1.000013"
    assert _ratio_text(2.5) == "2.5" and _ratio_text(3.0) == "3.0"
