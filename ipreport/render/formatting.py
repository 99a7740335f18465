"""Numbers and dates as a Chinese report prints them; shared by every renderer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    if decimals is None:
        decimals = min(decimals_of(number.normalize()), 4) if number != number.to_integral() else 0
    quantized = round(number, decimals)
    text = f"{abs(quantized):,.{decimals}f}" if abs(quantized) >= 10_000 else f"{abs(quantized):.{decimals}f}"
    return (MINUS if quantized < 0 else "") + text


def format_percent(fraction: float | None, decimals: int = 1) -> str:
    """0.1525 -> "152.5%"... given as a fraction: 1.526 -> "152.6%"."""
    if fraction is None:
        return DASH
    text = f"{abs(fraction) * 100:.{decimals}f}%"
    return (MINUS if fraction < 0 and text.strip("0.%") else "") + text


def format_ratio(value: float | None) -> str:
    """R, the ratio of actual to required growth, to two decimals."""
    if value is None:
        return DASH
    return (MINUS if value < 0 else "") + f"{abs(value):.2f}"


def format_date(day: dt.date | None, lang: str = "zh") -> str:
    """2021-03-01 -> "2021年3月1日" (zh) or "1 March 2021" (en)."""
    if day is None:
        return DASH
    if lang == "en":
        return f"{day.day} {day.strftime('%B')} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"
