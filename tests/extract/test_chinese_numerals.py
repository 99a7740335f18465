"""Chinese numerals: integers, digit-by-digit years, decimals with 点, and what is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ipreport.extract.chinese_numerals import (
    ChineseNumeralError,
    parse_chinese_integer,
    parse_chinese_numeral,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("一百", 100),
        ("一百零五", 105),
        ("三千五百", 3500),
        ("两万", 20_000),
        ("十二万", 120_000),
        ("三亿五千万", 350_000_000),
        ("二〇二〇", 2020),
        ("二零一六", 2016),
        ("五", 5),
    ],
)
def test_integers(text: str, expected: int) -> None:
    assert parse_chinese_integer(text) == expected


def test_decimal_with_dian() -> None:
    assert parse_chinese_numeral("三点五") == Decimal("3.5")
    assert parse_chinese_numeral("四点二") == Decimal("4.2")
    assert parse_chinese_numeral("一百") == Decimal(100)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", 'expected a Chinese numeral such as "十五" or "三千五百", found ""'),
        ("十五家", 'expected a Chinese numeral such as "十五" or "三千五百", found "十五家"'),
        ("三五十", 'two digits in a row in "三五十"'),
        ("万", '"万" without a number before it in "万"'),
    ],
)
def test_refused(text: str, message: str) -> None:
    with pytest.raises(ChineseNumeralError) as caught:
        parse_chinese_integer(text)
    assert str(caught.value) == message


def test_dian_needs_digits() -> None:
    with pytest.raises(ChineseNumeralError) as caught:
        parse_chinese_numeral("三点")
    assert str(caught.value) == 'expected digits after "点" in "三点"'
