"""Unit conversion between units that differ only by a 万/亿/千/百 prefix."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from ipreport.util.numbers import MULTIPLIERS, normalize

# The multiplier a written value ends with (before an optional "%"): "30亿" -> 亿, "3.5万" -> 万.
_VALUE_MULTIPLIER = re.compile(r"\d(?P<mult>万亿|[万亿])%?$")


def fold_unit(unit: str) -> str:
    """The form units are compared in: NFKC-folded (full-width "％" is "%") and without spaces."""
    return unicodedata.normalize("NFKC", unit).replace(" ", "").strip()


def value_multiplier(text: object) -> str | None:
    """The 万/亿 a written value carries ("30亿" -> "亿"); None for a plain number or a non-text."""
    if not isinstance(text, str):
        return None
    match = _VALUE_MULTIPLIER.search(normalize(text))
    return match["mult"] if match else None


def unit_prefix(unit: str) -> str | None:
    """The 万/亿 prefix a unit starts with ("亿元" -> "亿", "万件" -> "万"); None otherwise ("件/万人")."""
    folded = fold_unit(unit)
    if folded.startswith("万亿") and len(folded) > 2:
        return "万亿"
    factor, _ = _split(folded)
    return folded[0] if factor != 1 and folded[0] in "万亿" else None


def doubled_multiplier(text: object, unit: str) -> str | None:
    """The problem of a value that carries 万/亿 where its unit already does ("30亿" in 亿元), else None.

    Read literally "30亿" 亿元 is 3,000,000,000亿元: almost always the unit written twice.
    """
    mult = value_multiplier(text)
    prefix = unit_prefix(unit) if unit else None
    if mult is None or prefix is None:
        return None
    return (
        f'the value "{str(text).strip()}" carries {mult} but the unit "{unit}" already does ({prefix}); '
        f"write the number alone, in {unit}"
    )


def _split(unit: str) -> tuple[Decimal, str]:
    """"亿元" -> (1e8, "元"); "件/万人" keeps its 万 because it is not a leading prefix of a count."""
    unit = fold_unit(unit)
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
    if not source or not target or fold_unit(source) == fold_unit(target):
        return Decimal(1)
    source_factor, source_base = _split(source)
    target_factor, target_base = _split(target)
    if source_base != target_base:
        return None
    return source_factor / target_factor
