"""Numbers as offices write them, and yearly rates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ipreport.util.numbers import NumberError, parse_number, parse_number_percent, parse_rate


@pytest.mark.parametrize(
    ("text", "value"),
    [("2.4万", "24000"), ("50亿", "5000000000"), ("95%", "95"), ("(1,234)", "-1234"), ("１２万", "120000"),
     ("4.2", "4.2"), ("1,234.5", "1234.5"), ("-3", "-3")],
)
def test_office_forms(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "—", "-", "无", "N/A"])
def test_missing_markers(text):
    assert parse_number(text) is None


def test_not_a_number():
    with pytest.raises(NumberError) as caught:
        parse_number("很多")
    assert str(caught.value) == 'expected a number such as "1,234", "2.4万" or "95%", found "很多"'


def test_percent_sign_is_reported_also_inside_brackets():
    assert parse_number_percent("(0.5%)") == (Decimal("-0.5"), True)
    assert parse_number_percent("95") == (Decimal(95), False)


@pytest.mark.parametrize(
    ("text", "rate"),
    [("10%", "0.1"), ("0.1", "0.1"), (10, "0.1"), ("(0.5%)", "-0.005"), ("０.５％", "0.005")],
)
def test_rates(text, rate):
    assert parse_rate(text) == Decimal(rate)
