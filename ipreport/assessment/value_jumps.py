"""Warnings about values that jump by ×100 or ×10⁴ against their neighbours: a unit typed wrong.

A percentage typed as a fraction (0.15 after a year of 12.5) or a value written in 元 in a row of
万元 reads as a real figure and moves a target's status without a word. A factor of about 100 or
10,000 against every neighbour is rarely real growth, so the reader is asked to check both cells.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ipreport.model import Observation
from ipreport.util.numbers import plain

if TYPE_CHECKING:
    from ipreport.assessment.series import RowIndex

# Powers of ten that a wrong unit produces (percent/fraction, 万, 万 × percent) and how far (in
# log10) a ratio may be from one to count as such a jump: 10^±0.3 is a factor of two either way.
JUMP_POWERS = (2, 4)
JUMP_TOLERANCE = 0.3


def _jump(a: Decimal, b: Decimal) -> int | None:
    """The power of ten (±2, ±4) by which ``b`` differs from ``a``, or None if it does not."""
    if a <= 0 or b <= 0:
        return None
    power = math.log10(b / a)
    for step in JUMP_POWERS:
        for signed in (step, -step):
            if abs(power - signed) <= JUMP_TOLERANCE:
                return signed
    return None


def _cell(row: Observation) -> str:
    return f"{row.origin} ({row.year})"


def jump_warnings(rows: Sequence[Observation]) -> list[str]:
    """Warnings for the values among one indicator's ``rows`` (one region, any order) that jump.

    A value jumps when it differs by about ×100 or ×10⁴ from each of its neighbours by year (the one
    before and the one after; an end of the series has one). Rows of different units are not compared.
    """
    by_unit: dict[str, list[Observation]] = {}
    for row in rows:
        if row.value is not None:
            by_unit.setdefault(row.unit, []).append(row)
    warnings = []
    for series in by_unit.values():
        series.sort(key=lambda row: row.year)
        for index in range(len(series)):
            jumped = _jumped_from(series, index)
            if jumped is not None:
                warnings.append(_warning(series[index], jumped, _jump(_value(jumped), _value(series[index]))))
    return warnings


def _value(row: Observation) -> Decimal:
    assert row.value is not None
    return row.value


def _jumped_from(series: Sequence[Observation], index: int) -> Observation | None:
    """The neighbour that ``series[index]`` jumps against, if it is the one value out of line."""
    row = series[index]
    before = series[index - 1] if index > 0 else None
    after = series[index + 1] if index + 1 < len(series) else None
    if before is not None and after is not None:  # inside: out of line with both neighbours alike
        jump = _jump(_value(before), _value(row))
        return before if jump is not None and jump == _jump(_value(after), _value(row)) else None
    neighbour = before or after
    if neighbour is None or _jump(_value(neighbour), _value(row)) is None:
        return None
    if len(series) == 2:  # no third value to tell which is out of line: said once, by the later one
        return neighbour if after is None else None
    # At an end: the neighbour must be in line with its own other neighbour (else it is a step).
    beyond = series[index - 2] if after is None else series[index + 2]
    return neighbour if _jump(_value(beyond), _value(neighbour)) is None else None


def _warning(row: Observation, other: Observation, jump: int | None) -> str:
    power = jump or 0
    factor = f"{10 ** abs(power):,}"
    size = f"about 1/{factor} of" if power < 0 else f"about {factor} times"
    return (
        f'{_cell(row)}: the value {plain(_value(row))} of "{row.indicator}" is {size} the value '
        f"{plain(_value(other))} at {_cell(other)}; check the unit (a percentage typed as a fraction, "
        "or 万/亿 written twice or left out)"
    )


def value_jump_warnings(index: RowIndex, regions: Iterable[str] | None = None) -> tuple[str, ...]:
    """``jump_warnings`` for every indicator of ``regions`` (all regions when None) and of rows
    without a region, in file order."""
    from ipreport.util.numbers import fold_name

    keys: list[str | None] = [None]
    keys += list(index.by_region) if regions is None else [fold_name(region) for region in regions]
    warnings: dict[str, None] = {}
    for key in dict.fromkeys(keys):
        for rows in index.by_region.get(key, {}).values():
            warnings.update(dict.fromkeys(jump_warnings(rows)))
    return tuple(warnings)
