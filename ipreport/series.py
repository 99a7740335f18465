"""Match statistics observations to plan targets: one series per target, in the target's unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ipreport.errors import InputError, Problem
from ipreport.model import Kind, Observation, Plan, Point, Statistics, Target
from ipreport.numbers import fold_name, plain
from ipreport.units import conversion_factor


@dataclass(frozen=True)
class TargetData:
    """What the statistics say about one target."""

    points: tuple[Point, ...]  # sorted by year, in the target's unit; aggregate "sum": running sums
    # milestones: every state row, by year, then undated before dated, then date (assess picks by as-of)
    tasks: tuple[Observation, ...] = ()
    sources: tuple[str, ...] = ()  # distinct `source` values of the rows used

    @property
    def task(self) -> Observation | None:
        """The latest state row (highest year, then latest date), whatever the as-of date."""
        return self.tasks[-1] if self.tasks else None


EMPTY = TargetData(points=())


class RowIndex:
    """Observations grouped once by folded region and folded indicator, for many ``collect`` calls.

    Without it every ``collect`` call scans and folds every observation: fine for one region,
    quadratic when every region of a national file is assessed in turn.
    """

    def __init__(self, statistics: Statistics) -> None:
        self.statistics = statistics
        # folded region (None: the row has no region) -> folded indicator -> rows, in file order
        self.by_region: dict[str | None, dict[str, list[Observation]]] = {}
        # folded indicator -> its first row, for the unused-indicator warnings
        self.first_rows: dict[str, Observation] = {}
        spellings: dict[str, str] = {}  # folded region -> its first spelling in the file
        folded: dict[str, str] = {}  # labels repeat on every row: fold each distinct one once
        for observation in statistics.observations:
            region = observation.region
            if region is None:
                region_key = None
            else:
                region_key = folded.get(region)
                if region_key is None:
                    region_key = folded[region] = fold_name(region)
                    spellings.setdefault(region_key, region)
            indicator = observation.indicator
            indicator_key = folded.get(indicator)
            if indicator_key is None:
                indicator_key = folded[indicator] = fold_name(indicator)
            by_indicator = self.by_region.get(region_key)
            if by_indicator is None:
                by_indicator = self.by_region[region_key] = {}
            rows = by_indicator.get(indicator_key)
            if rows is None:
                by_indicator[indicator_key] = [observation]
                self.first_rows.setdefault(indicator_key, observation)
            else:
                rows.append(observation)
        self.regions: tuple[str, ...] = tuple(spellings.values())
        self.spellings = spellings
        # a target's names -> their folded forms: every region matches the same targets
        self._folded_names: dict[tuple[str, ...], tuple[str, ...]] = {}

    def folded_names(self, target: Target) -> tuple[str, ...]:
        """The distinct folded names ``target`` is reported under, in order."""
        names = target.names
        found = self._folded_names.get(names)
        if found is None:
            found = tuple(dict.fromkeys(fold_name(name) for name in names if name))
            self._folded_names[names] = found
        return found

    def for_region(self, region: str) -> dict[str, list[Observation]]:
        """Rows for ``region`` and rows with no region, by folded indicator; raise if the region has none."""
        unregioned = self.by_region.get(None, {})
        regioned = self.by_region.get(fold_name(region))
        if regioned is None:
            if self.regions:
                present = "、".join(self.statistics.regions)
                raise InputError(
                    Problem(
                        str(self.statistics.path),
                        f'no rows for region "{region}"; the file has rows for {present}',
                    )
                )
            return unregioned
        if not unregioned:
            return regioned
        merged = {key: list(rows) for key, rows in unregioned.items()}
        for key, rows in regioned.items():
            merged.setdefault(key, []).extend(rows)
        return merged


def collect(
    plan: Plan, statistics: Statistics, region: str, index: RowIndex | None = None
) -> dict[str, TargetData]:
    """Every target of ``plan`` (keyed by id) with the observations for ``region``; empty when none.

    ``index`` (built from the same ``statistics``) saves rescanning the rows when many regions are collected.
    """
    index = index or RowIndex(statistics)
    by_indicator = index.for_region(region)
    problems: list[Problem] = []
    collected: dict[str, TargetData] = {}
    for target in plan.targets:
        rows = [row for name in index.folded_names(target) for row in by_indicator.get(name, ())]
        if target.kind is Kind.MILESTONE:
            collected[target.id] = _task(plan, target, rows, problems)
        else:
            collected[target.id] = _series(plan, target, rows, problems)
    if problems:
        raise InputError(problems)
    return collected


def unused_indicators(
    plans: Sequence[Plan], statistics: Statistics, index: RowIndex | None = None
) -> tuple[str, ...]:
    """One warning per indicator of the statistics that no target of any plan names."""
    index = index or RowIndex(statistics)
    used = {name for plan in plans for target in plan.targets for name in index.folded_names(target)}
    file = str(statistics.path)
    return tuple(
        f'{file}: indicator "{row.indicator}" ({_where(row.origin, file)}) is not used by any target'
        for key, row in index.first_rows.items()
        if key not in used
    )


def unused_regions(
    statistics: Statistics, regions: Iterable[str], index: RowIndex | None = None
) -> tuple[str, ...]:
    """One warning per region of the statistics that none of ``regions`` (those assessed) is."""
    index = index or RowIndex(statistics)
    assessed = {fold_name(region) for region in regions}
    warnings = []
    for key, spelling in index.spellings.items():
        if key in assessed:
            continue
        count = sum(len(rows) for rows in index.by_region[key].values())
        warnings.append(
            f"{statistics.path}: rows for {spelling} ({count} row{'s' if count > 1 else ''}) are not used: "
            f"no plan covers that region; use --region {spelling} or --each-region"
        )
    return tuple(warnings)


def _where(origin: str, file: str) -> str:
    """ "stats.csv:4" -> "line 4"; "book.xlsx:Sheet1!4" -> "Sheet1!4"."""
    place = origin[len(file) + 1 :] if origin.startswith(file + ":") else origin
    return f"line {place}" if place.isdigit() else place


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
    ordered = sorted(states, key=lambda row: (row.year, row.date is not None, row.date or dt.date.min))
    latest = ordered[-1]
    return TargetData(points=(), tasks=tuple(ordered), sources=(latest.source,) if latest.source else ())


def _series(plan: Plan, target: Target, rows: list[Observation], problems: list[Problem]) -> TargetData:
    by_year: dict[int, tuple[Decimal, Observation]] = {}
    factors: dict[str, Decimal | None] = {}  # unit -> its factor: a target's rows share one unit or two
    for row in rows:
        value = _converted(plan, target, row, problems, factors)
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


def _converted(
    plan: Plan, target: Target, row: Observation, problems: list[Problem], factors: dict[str, Decimal | None]
) -> Decimal | None:
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
    if row.unit in factors:
        factor = factors[row.unit]
    else:
        factor = factors[row.unit] = conversion_factor(row.unit, target.unit)
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
