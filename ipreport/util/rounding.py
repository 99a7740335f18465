"""The one rounding rule of every output: half up, on decimals.

Chinese statistical practice (GB/T 8170 数值修约 as offices apply it in their tables) rounds a 5 up;
Python's ``round`` rounds half to even and, on a float, rounds the binary value, which is rarely
the decimal the reader sees (1.0125 × 100 is 101.24999… in binary). So a float is first read back
as the shortest decimal that names it (its ``repr``), and only that decimal is rounded.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

# Enough to show any real difference between figures of a report, few enough to stay readable.
MAX_EXTRA_DECIMALS = 6


def as_decimal(value: Decimal | float | int) -> Decimal:
    """The decimal a number stands for: a float as its shortest repr (0.1, not 0.1000000000000000055)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def half_up(value: Decimal | float | int, decimals: int) -> Decimal:
    """``value`` rounded to ``decimals`` places, a 5 rounded away from zero; never a negative zero."""
    exact = as_decimal(value)
    # Precision enough for every digit kept: 1e22 to six places has 29 (the default context holds 28).
    context = Context(prec=max(28, exact.adjusted() + decimals + 2), rounding=ROUND_HALF_UP)
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), context=context)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def distinct(value: Decimal | float, decimals: int, avoid: Decimal) -> int:
    """The decimals (from ``decimals``) at which ``value`` no longer rounds to ``avoid``.

    A shortfall of 0.03 printed with one decimal reads "0.0" and a 99.95 % attainment reads
    "100.0%": both say "reached" of a target that is not. More decimals are taken until the
    figure differs from ``avoid`` (at most MAX_EXTRA_DECIMALS more).
    """
    exact = as_decimal(value)
    if exact == avoid:
        return decimals
    places = decimals
    while half_up(exact, places) == avoid and places < decimals + MAX_EXTRA_DECIMALS:
        places += 1
    return places
