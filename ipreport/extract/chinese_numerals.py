"""Chinese numerals as policy documents write them: 十五, 一百, 三千五百, 二〇二〇, 三点五, 两万."""

from __future__ import annotations

from decimal import Decimal

DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(LARGE_UNITS) + "点"


class ChineseNumeralError(ValueError):
    """A text that is not a Chinese numeral."""


def parse_chinese_integer(text: str) -> int:
    """"十五" -> 15, "一百零五" -> 105, "三千五百" -> 3500, "两万" -> 20000, "二〇二〇" -> 2020."""
    if not text or any(char not in DIGITS and char not in SMALL_UNITS and char not in LARGE_UNITS
                       for char in text):
        raise ChineseNumeralError(f'expected a Chinese numeral such as "十五" or "三千五百", found "{text}"')
    if all(char in DIGITS for char in text):
        # Written digit by digit, as years are: 二〇二〇.
        return int("".join(str(DIGITS[char]) for char in text))
    total = 0  # finished 万/亿 groups
    section = 0  # the group being read, below 万
    digit: int | None = None
    for char in text:
        if char in DIGITS:
            if digit is not None and DIGITS[char] != 0:
                raise ChineseNumeralError(f'two digits in a row in "{text}"')
            digit = DIGITS[char] if DIGITS[char] != 0 else None
        elif char in SMALL_UNITS:
            # "十五": a bare 十 at the start means one ten.
            section += (1 if digit is None else digit) * SMALL_UNITS[char]
            digit = None
        else:
            section += digit or 0
            digit = None
            if section == 0 and total == 0:
                raise ChineseNumeralError(f'"{char}" without a number before it in "{text}"')
            if char == "亿":
                total = (total + section) * LARGE_UNITS[char]
            else:
                total += section * LARGE_UNITS[char]
            section = 0
    return total + section + (digit or 0)


def parse_chinese_numeral(text: str) -> Decimal:
    """An integer as ``parse_chinese_integer`` reads it, or a decimal written with 点: "三点五" -> 3.5."""
    whole, dot, fraction = text.partition("点")
    value = Decimal(parse_chinese_integer(whole))
    if dot:
        if not fraction or any(char not in DIGITS for char in fraction):
            raise ChineseNumeralError(f'expected digits after "点" in "{text}"')
        value += Decimal("0." + "".join(str(DIGITS[char]) for char in fraction))
    return value
