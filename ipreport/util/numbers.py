"""Numbers as Chinese offices write them: full-width digits, 万/亿, %, (1,234), "—" for missing."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Full-width digits and punctuation fold to ASCII before anything else is looked at.
_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋％（）",
    "0123456789.,-+%()",
)
MISSING = frozenset({"", "—", "——", "-", "--", "－", "无", "N/A", "n/a", "NA", "/", "…"})
MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1000), "百": Decimal(100)}
_NUMBER = re.compile(
    r"^(?P<sign>[-+]?)(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<mult>万亿|[万亿千百]?)(?P<pct>%?)$"
)


class NumberError(ValueError):
    """A text that is neither a number nor a missing-value marker."""


def normalize(text: str) -> str:
    """Fold full-width characters and strip spaces (including U+3000)."""
    return text.translate(_FULL_WIDTH).replace("\u3000", "").replace(" ", "").strip()


def year_text(text: str) -> int | None:
    """A year written as offices write it: "2030", "2030年", "２０３０年" (full-width); else None."""
    match = re.fullmatch(r"(\d{4})年?", normalize(text))
    return int(match.group(1)) if match else None


def fold_name(text: str) -> str:
    """The form names (indicators, regions, headers, state words) are compared in: full-width
    folded, spaces dropped, case ignored."""
    return normalize(text).lower()


def parse_number(text: object) -> Decimal | None:
    """Parse a value as offices write it; ``None`` for a missing-value marker.

    "2.4万" -> 24000, "50亿" -> 5000000000, "95%" -> 95, "(1,234)" -> -1234,
    "１２万" -> 120000. Raises NumberError for anything else.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise NumberError(f"expected a number, found {text!r}")
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    raw = str(text)
    s = normalize(raw)
    if s in MISSING:
        return None
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    match = _NUMBER.match(s)
    if not match:
        raise NumberError(f'expected a number such as "1,234", "2.4万" or "95%", found "{raw.strip()}"')
    try:
        value = Decimal(match["digits"].replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only valid digits
        raise NumberError(f'expected a number, found "{raw.strip()}"') from exc
    for char in match["mult"]:
        value *= MULTIPLIERS[char]
    if match["sign"] == "-" or negative:
        value = -value
    return value


def parse_number_percent(text: object) -> tuple[Decimal | None, bool]:
    """``parse_number`` and whether the text carries a "%": "95%" -> (95, True), "95" -> (95, False).

    parse_number drops the sign; a reader checking the value against a unit needs to know it was there.
    """
    value = parse_number(text)
    return value, isinstance(text, str) and normalize(text).rstrip(")").endswith("%")


def parse_rate(text: object) -> Decimal:
    """A yearly rate: "10%" -> 0.10; a bare number is taken as a fraction if below 1."""
    # One reading of "was a % written" for rates and values alike, so "(0.5%)" is a percentage too.
    value, percent = parse_number_percent(text)
    if value is None:
        raise NumberError(f'expected a rate such as "10%", found "{text}"')
    if percent or abs(value) >= 1:
        return value / 100
    return value


def plain(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 24000, 4.2, 0.1."""
    text = format(value.normalize(), "f")
    return text


# No figure has more digits than this (Excel keeps 15): beyond it, rounding for the report overflows
# Decimal's 28-digit context, and 1e308 or 10^40 is a typo, not a statistic or a target.
MAX_DIGITS = 18


def within_bounds(number: Decimal) -> bool:
    """Whether ``number`` is finite with at most MAX_DIGITS digits before the point (and few after)."""
    if not number.is_finite():
        return False
    return number.adjusted() < MAX_DIGITS and len(number.as_tuple().digits) <= MAX_DIGITS + 6


def excerpt(text: str, limit: int = 24) -> str:
    """``text`` quoted for a message: at most ``limit`` characters, with the length of the rest."""
    return f'"{text[:limit]}…" ({len(text)} characters)' if len(text) > limit else f'"{text}"'
