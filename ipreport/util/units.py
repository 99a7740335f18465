"""Unit conversion between units that differ only by a 万/亿/千/百 prefix."""

from __future__ import annotations

from decimal import Decimal

from ipreport.util.numbers import MULTIPLIERS


def _split(unit: str) -> tuple[Decimal, str]:
    """"亿元" -> (1e8, "元"); "件/万人" keeps its 万 because it is not a leading prefix of a count."""
    unit = unit.strip()
    factor = Decimal(1)
    # "万亿" is a prefix of its own (1e12); otherwise one prefix character at most.
    if unit.startswith("万亿") and len(unit) > 2:
        return MULTIPLIERS["万"] * MULTIPLIERS["亿"], unit[2:]
    if len(unit) > 1 and unit[0] in MULTIPLIERS and unit[1] != "/":
        factor, unit = MULTIPLIERS[unit[0]], unit[1:]
    return factor, unit


def conversion_factor(source: str, target: str) -> Decimal | None:
    """Multiply a value in ``source`` units by this to get ``target`` units; None if unrelated.

    An empty unit on either side means "as the target states it" and converts with 1.
    """
    if not source or not target or source.strip() == target.strip():
        return Decimal(1)
    source_factor, source_base = _split(source)
    target_factor, target_base = _split(target)
    if source_base != target_base:
        return None
    return source_factor / target_factor
