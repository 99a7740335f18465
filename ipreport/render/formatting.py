"""Numbers and dates as a Chinese report prints them; shared by every renderer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ipreport.util.rounding import as_decimal, distinct, half_up

MINUS = "−"  # U+2212: a real minus sign, as typeset reports use
DASH = "—"


def decimals_of(value: Decimal) -> int:
    """How many decimals a value was written with (4.20 -> 2, 120000 -> 0)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_number(value: Decimal | float | None, decimals: int | None = None) -> str:
    """1234567 -> "1,234,567"; 4.2 -> "4.2"; -2.21 -> "−2.21"; None -> "—".

    Thousands separators only from 10,000 up, as Chinese statistical tables do.
    """
    if value is None:
        return DASH
    number = as_decimal(value)
    if decimals is None:
        decimals = min(decimals_of(number.normalize()), 4) if number != number.to_integral() else 0
    quantized = half_up(number, decimals)
    text = f"{abs(quantized):,.{decimals}f}" if abs(quantized) >= 10_000 else f"{abs(quantized):.{decimals}f}"
    return (MINUS if quantized < 0 else "") + text


def format_percent(fraction: Decimal | float | None, decimals: int = 1) -> str:
    """A fraction as a percentage, rounded half up: 1.526 -> "152.6%", 1.0125 -> "101.3%"."""
    if fraction is None:
        return DASH
    percent = half_up(as_decimal(fraction) * 100, decimals)
    return (MINUS if percent < 0 else "") + f"{abs(percent)}%"


def format_attainment(fraction: Decimal | float | None, decimals: int = 1) -> str:
    """完成率: a percentage that reads 100 % only when the target is exactly met.

    0.9995 is not reached: "99.95%", never "100.0%".
    """
    if fraction is None:
        return DASH
    exact = as_decimal(fraction) * 100
    return format_percent(fraction, distinct(exact, decimals, Decimal(100)) if exact < 100 else decimals)


def format_rate(actual: float | None, required: float | None, decimals: int = 2) -> str:
    """A yearly rate achieved, with enough decimals not to read as the ``required`` rate it misses.

    4.9954 % against 5 % reads "4.995%", not "5.00%".
    """
    if actual is None:
        return DASH
    places = decimals
    if required is not None:
        places = distinct(as_decimal(actual) * 100, decimals, as_decimal(required) * 100)
    return format_percent(actual, places)


def format_gap(gap: Decimal | None, decimals: int) -> str:
    """A gap with ``decimals`` places, or more when fewer would show a shortfall as 0."""
    if gap is None:
        return DASH
    return format_number(gap, distinct(gap, decimals, Decimal(0)) if gap > 0 else decimals)


def format_ratio(value: float | None) -> str:
    """R, the ratio of actual to required growth, to two decimals (half up)."""
    if value is None:
        return DASH
    return format_number(value, 2)


def format_date(day: dt.date | None, lang: str = "zh") -> str:
    """2021-03-01 -> "2021年3月1日" (zh) or "1 March 2021" (en)."""
    if day is None:
        return DASH
    if lang == "en":
        return f"{day.day} {day.strftime('%B')} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"
