"""Match statistics observations to plan targets: one series per target, in the target's unit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ipreport.errors import InputError, Problem
from ipreport.model import Kind, Observation, Plan, Point, Statistics, Target
from ipreport.numbers import normalize, plain
from ipreport.units import conversion_factor


@dataclass(frozen=True)
class TargetData:
    """What the statistics say about one target."""

    points: tuple[Point, ...]  # sorted by year, in the target's unit; aggregate "sum": running sums
    task: Observation | None = None  # milestones: the latest state row (highest year, then latest date)
    sources: tuple[str, ...] = ()  # distinct `source` values of the rows used


EMPTY = TargetData(points=())


def fold(name: str) -> str:
    """The form names are compared in: full-width folded, spaces dropped."""
    return normalize(name)


def collect(plan: Plan, statistics: Statistics, region: str) -> dict[str, TargetData]:
    """Every target of ``plan`` (keyed by id) with the observations for ``region``; empty when none."""
    by_indicator = _index(statistics, region)
    problems: list[Problem] = []
    collected: dict[str, TargetData] = {}
    for target in plan.targets:
        rows = _matching(target, by_indicator)
        if target.kind is Kind.MILESTONE:
            collected[target.id] = _task(plan, target, rows, problems)
        else:
            collected[target.id] = _series(plan, target, rows, problems)
    if problems:
        raise InputError(problems)
    return collected


def unused_indicators(plans: Sequence[Plan], statistics: Statistics) -> tuple[str, ...]:
    """One warning per indicator of the statistics that no target of any plan names."""
    used = {fold(name) for plan in plans for target in plan.targets for name in target.names if name}
    first_rows: dict[str, Observation] = {}
    for observation in statistics.observations:
        key = fold(observation.indicator)
        if key not in used and key not in first_rows:
            first_rows[key] = observation
    file = str(statistics.path)
    return tuple(
        f'{file}: indicator "{row.indicator}" ({_where(row.origin, file)}) is not used by any target'
        for row in first_rows.values()
    )


def _where(origin: str, file: str) -> str:
    """ "stats.csv:4" -> "line 4"; "book.xlsx:Sheet1!4" -> "Sheet1!4"."""
    place = origin[len(file) + 1 :] if origin.startswith(file + ":") else origin
    return f"line {place}" if place.isdigit() else place


def _index(statistics: Statistics, region: str) -> dict[str, list[Observation]]:
    """Observations for ``region`` (or with no region) grouped by folded indicator."""
    wanted = fold(region)
    by_indicator: dict[str, list[Observation]] = {}
    has_regions = False
    for observation in statistics.observations:
        if observation.region is not None:
            has_regions = True
            if fold(observation.region) != wanted:
                continue
        by_indicator.setdefault(fold(observation.indicator), []).append(observation)
    if has_regions and not by_indicator:
        present = "、".join(statistics.regions)
        raise InputError(
            Problem(str(statistics.path), f'no rows for region "{region}"; the file has rows for {present}')
        )
    return by_indicator


def _matching(target: Target, by_indicator: dict[str, list[Observation]]) -> list[Observation]:
    names = dict.fromkeys(fold(name) for name in target.names if name)
    return [row for name in names for row in by_indicator.get(name, ())]


def _label(plan: Plan, target: Target) -> str:
    return f"target {target.id} of plan {plan.id}"


def _task(plan: Plan, target: Target, rows: list[Observation], problems: list[Problem]) -> TargetData:
    states = []
    for row in rows:
        if row.state is None:
            assert row.value is not None
            problems.append(
                Problem(
                    row.origin,
                    f'"{row.indicator}" is a milestone ({_label(plan, target)}): expected a state such as '
                    f'done, in_progress, not_started (完成, 推进中, 未启动), found "{plain(row.value)}"',
                    key="value",
                )
            )
        else:
            states.append(row)
    if not states:
        return EMPTY
    # A row without a date sorts before a dated row of the same year.
    latest = max(states, key=lambda row: (row.year, row.date is not None, row.date or 0))
    return TargetData(points=(), task=latest, sources=(latest.source,) if latest.source else ())


def _series(plan: Plan, target: Target, rows: list[Observation], problems: list[Problem]) -> TargetData:
    by_year: dict[int, tuple[Decimal, Observation]] = {}
    for row in rows:
        value = _converted(plan, target, row, problems)
        if value is None:
            continue
        earlier = by_year.get(row.year)
        if earlier is None:
            by_year[row.year] = (value, row)
        elif earlier[0] != value:
            # Only possible across names: the reader already rejects conflicts under one name.
            problems.append(
                Problem(
                    row.origin,
                    f"two different values for {_label(plan, target)} in {row.year}: "
                    f'{plain(earlier[0])} ("{earlier[1].indicator}" at {earlier[1].origin}) and '
                    f'{plain(value)} ("{row.indicator}" at {row.origin}), '
                    f"both in {target.unit or 'its unit'}",
                )
            )
    years = sorted(by_year)
    if target.aggregate == "sum":
        years = _contiguous_from(plan.start_year, years)
        running = Decimal(0)
        points = []
        for year in years:
            running += by_year[year][0]
            points.append(Point(year, running))
    else:
        points = [Point(year, by_year[year][0]) for year in years]
    sources = dict.fromkeys(by_year[year][1].source for year in years if by_year[year][1].source)
    return TargetData(points=tuple(points), sources=tuple(sources))


def _contiguous_from(start: int, years: list[int]) -> list[int]:
    """The years start, start+1, ... present without a gap: a running sum over a hole would be wrong."""
    present = set(years)
    run = []
    year = start
    while year in present:
        run.append(year)
        year += 1
    return run


def _converted(plan: Plan, target: Target, row: Observation, problems: list[Problem]) -> Decimal | None:
    if row.value is None:
        assert row.state is not None
        problems.append(
            Problem(
                row.origin,
                f'"{row.indicator}" is not a milestone ({_label(plan, target)}): expected a number, '
                f'found the state "{row.state.value}"',
                key="value",
            )
        )
        return None
    factor = conversion_factor(row.unit, target.unit)
    if factor is None:
        problems.append(
            Problem(
                row.origin,
                f'unit "{row.unit}" of "{row.indicator}" does not match the unit "{target.unit}" of '
                f"{_label(plan, target)}; only a 万/亿/千/百 prefix is converted",
                key="unit",
            )
        )
        return None
    return row.value * factor
