"""The columnar engine: every plan for every region of a big statistics file held in columns (polars).

The rows are checked, cut and grouped by region and indicator in polars, and each target's series is
built from the group's columns as ``series.collect`` builds it from observations, with only the
values the judge can look at (``_reduced``); the Python judge (``engine.judge``) then judges every
row, so every figure, status and note is the one the Python path finds (a row's ``series`` holds
fewer points: neither JSON nor CSV writes it, and nothing else reads these assessments).
Whatever the engine does not build itself goes to the reference code on real observations: series
under several names and running sums; and every case that is a problem (a unit that does not
convert, conflicting values, a milestone with numbers) is found before any output. A problem makes
``columnar_regions`` give None: the caller then runs the Python path, which words it.

Regions are judged in batches (``BATCH_REGIONS`` at a time), so that the objects of a national
file's five million rows never exist at once.

JSON takes a shorter way for the common targets (``columnar_judge``, ``column_judge``): judged in
columns, with no series and no Python object per row; ``judge_targets`` hands every other target and
every row those columns leave to ``engine``, on the rows of the file.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Collection, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ipreport.assessment.columnar_judge import ColumnJudge, ColumnTarget, vectorisable
from ipreport.assessment.engine import _assessed, _until, assessment_year, default_as_of, judge
from ipreport.assessment.series import (
    EMPTY,
    RowIndex,
    TargetData,
    _factor,
    _series,
    unused_indicators,
)
from ipreport.assessment.value_jumps import JUMP_POWERS, JUMP_TOLERANCE
from ipreport.errors import InputError, Problem
from ipreport.model import Assessment, Kind, Observation, Plan, Point, Statistics, Target, TargetAssessment

if TYPE_CHECKING:
    import polars as pl

# Regions judged at a time: enough to keep the per-batch work small, few enough to bound memory.
BATCH_REGIONS = 200


class _Group:
    """The rows of one region and indicator (folded), in file order, as columns."""

    __slots__ = ("indicator", "years", "values", "units", "sources", "lines")

    def __init__(
        self,
        indicator: str,
        years: list[int],
        values: list[str],
        units: list[str],
        sources: list[str],
        lines: list[int],
    ) -> None:
        self.indicator = indicator  # the spelling of its first row
        self.years = years
        self.values = values
        self.units = units
        self.sources = sources
        self.lines = lines


class ColumnarRegions:
    """What ``columnar_regions`` prepared: the year, the warnings, and the regions to judge in batches."""

    def __init__(
        self,
        plans: Sequence[Plan],
        statistics: Statistics,
        frame: pl.DataFrame,
        regions: list[tuple[str, str]],
        year: int,
        as_of: dt.date,
        warnings: tuple[str, ...],
        names: dict[int, tuple[str, ...]],
        columns: Sequence[ColumnTarget] = (),
        special_keys: frozenset[str] = frozenset(),
    ) -> None:
        self.plans = plans
        self.statistics = statistics  # its path and warnings; no observations
        self.frame = frame
        self.regions = regions  # (folded key, first spelling), in file order
        self.year = year
        self.as_of = as_of
        self.warnings = warnings
        self._names = names
        self.columns = tuple(columns)  # the targets judged in columns (columnar_judge)
        self._special_keys = special_keys

    def column_judge(self) -> ColumnJudge:
        """The judge of the targets of ``columns`` for every region (see columnar_judge)."""
        import polars as pl

        keys = [key for key, _ in self.regions]
        wanted = [one.indicator_key for one in self.columns if one.indicator_key is not None]
        rows = self.frame.filter(pl.col("indicator_key").is_in(wanted) & (pl.col("year") <= self.year))
        return ColumnJudge(rows, keys, self.columns, self.year)

    def judge_targets(
        self, wanted: dict[int, set[tuple[int, int]]]
    ) -> Iterator[tuple[int, dict[tuple[int, int], tuple[TargetAssessment, ...]]]]:
        """The engine's rows of some targets of some regions: region index -> {(plan index, target
        index): rows} for ``wanted`` (region index -> its (plan index, target index) pairs), in
        region order, ``BATCH_REGIONS`` regions at a time."""
        import polars as pl

        chosen = sorted(wanted)
        file = str(self.statistics.path)
        # The rows of their indicators taken out in one pass over the frame (a few hundred series of a
        # national file's hundred thousand, as a rule): grouping every indicator of their regions
        # made ten thousand groups.
        pairs = {
            (self.regions[index][0], name)
            for index in chosen
            for plan_index, target_index in wanted[index]
            for name in self._names[id(self.plans[plan_index].targets[target_index])]
        }
        keys = pl.DataFrame(
            {"region_key": [key for key, _ in pairs], "indicator_key": [name for _, name in pairs]},
            schema={"region_key": pl.Categorical, "indicator_key": pl.Categorical},
        )
        rows = self.frame.join(keys, on=["region_key", "indicator_key"], how="semi", maintain_order="left")
        for start in range(0, len(chosen), BATCH_REGIONS):
            indices = chosen[start : start + BATCH_REGIONS]
            groups = _groups(rows, [self.regions[index][0] for index in indices])
            for index in indices:
                key, spelling = self.regions[index]
                found: dict[tuple[int, int], tuple[TargetAssessment, ...]] = {}
                by_plan: dict[int, list[int]] = {}
                for plan_index, target_index in sorted(wanted[index]):
                    by_plan.setdefault(plan_index, []).append(target_index)
                for plan_index, target_indices in by_plan.items():
                    plan = self.plans[plan_index]
                    targets = [plan.targets[i] for i in target_indices]
                    data = _collect(plan, spelling, groups.get(key, {}), self._names, file, targets)
                    if isinstance(data, list):
                        raise InputError(data)
                    for target_index, target in zip(target_indices, targets, strict=True):
                        series = data.get(target.id, EMPTY)
                        found[plan_index, target_index] = _assessed(
                            target, _until(series.points, self.year), series.tasks, self.year, self.as_of,
                            plan.baseline_year, plan.thresholds, plan.start_year,
                        )
                yield index, found

    def batches(self, size: int = BATCH_REGIONS) -> Iterator[Assessment]:
        """The assessment of every region, ``size`` regions at a time, in file order.

        Raises InputError for the problems of a batch's series; ``columnar_regions`` has looked for
        them already, so that only a bug could raise it here.
        """
        reduced = _reduced(self.frame, self.plans, self._special_keys, self.year)
        grouped = _Grouped(reduced, self.regions)
        for start in range(0, len(self.regions), size):
            chosen = self.regions[start : start + size]
            groups = grouped.regions(start, start + size)
            collected = []
            for key, spelling in chosen:
                by_indicator = groups.get(key, {})
                for plan in self.plans:
                    data = _collect(plan, spelling, by_indicator, self._names, str(self.statistics.path))
                    if isinstance(data, list):
                        raise InputError(data)
                    collected.append((plan, spelling, data))
            yield judge(
                self.plans,
                self.statistics,
                collected,
                year=self.year,
                as_of=self.as_of,
                warnings=self.warnings,
            )


def columnar_regions(
    plans: Sequence[Plan],
    path: Path,
    frame: pl.DataFrame,
    reader_warnings: tuple[str, ...],
    *,
    year: int | None,
    as_of: dt.date | None,
) -> ColumnarRegions | None:
    """Every region of ``frame`` ready to judge, or None when a series has a problem to word."""
    import polars as pl

    firsts = frame.group_by("region_key", maintain_order=True).agg(pl.col("region").first())
    regions = list(zip(firsts["region_key"].to_list(), firsts["region"].to_list(), strict=True))
    # The first row of each indicator, as the Python path's RowIndex keeps it for the warnings.
    first_rows = frame.group_by("indicator_key", maintain_order=True).agg(
        pl.col("indicator").first(), pl.col("line").first()
    )
    file = str(path)
    spellings, lines = first_rows["indicator"].to_list(), first_rows["line"].to_list()
    firsts_statistics = Statistics(
        path=path,
        observations=tuple(
            Observation(indicator=indicator, year=0, region=None, origin=f"{file}:{line}")
            for indicator, line in zip(spellings, lines, strict=True)
        ),
        layout="long",
        warnings=reader_warnings,
    )
    index = RowIndex(firsts_statistics)
    names = {id(target): index.folded_names(target) for plan in plans for target in plan.targets}
    warnings = reader_warnings + unused_indicators(plans, firsts_statistics, index)
    statistics = Statistics(path=path, observations=(), layout="long", warnings=reader_warnings)
    if any(target.aggregate == "sum" for plan in plans for target in plan.targets):
        # The years a running total misses are warned of after every region is judged; this engine
        # says its warnings before judging, so such plans take the Python path (a rare kind).
        return None
    plan_of = _Checks(plans, frame, names)
    if plan_of.problem or _may_jump(frame):
        return None
    latest = plan_of.latest
    # Targets the engine does not build itself: every region's series once, for problems and years.
    special = [(plan, [t for t in plan.targets if id(t) in plan_of.special]) for plan in plans]
    if plan_of.special:
        keys = [key for key, _ in regions]
        wanted = frame.filter(pl.col("indicator_key").is_in(list(plan_of.special_keys)))
        for start in range(0, len(keys), BATCH_REGIONS):
            groups = _groups(wanted, keys[start : start + BATCH_REGIONS])
            for key, spelling in regions[start : start + BATCH_REGIONS]:
                for plan, targets in special:
                    found = _collect(plan, spelling, groups.get(key, {}), names, file, targets)
                    if isinstance(found, list):
                        return None
                    for data in found.values():
                        if data.points and (latest is None or data.points[-1].year > latest):
                            latest = data.points[-1].year
    year = year if year is not None else assessment_year(plans, latest)
    as_of = as_of if as_of is not None else default_as_of(year)
    columns = _column_targets(plans, names, plan_of)
    special_keys = frozenset(plan_of.special_keys)
    return ColumnarRegions(
        plans, statistics, frame, regions, year, as_of, warnings, names, columns, special_keys
    )


def _column_targets(
    plans: Sequence[Plan], names: dict[int, tuple[str, ...]], checks: _Checks
) -> list[ColumnTarget]:
    """The targets ``columnar_judge`` judges: of a kind it covers, under one indicator of the file
    (or none) whose units all are the target's own."""
    found = []
    for plan_index, plan in enumerate(plans):
        for target_index, target in enumerate(plan.targets):
            if id(target) in checks.special or not vectorisable(target):
                continue
            present = [name for name in names[id(target)] if name in checks.unit_sets]
            if len(present) > 1:
                continue
            key = present[0] if present else None
            if key is not None and any(_factor(unit, target.unit) != 1 for unit in checks.unit_sets[key]):
                continue
            found.append(ColumnTarget(plan_index, target_index, target, plan, key))
    return found


def _may_jump(frame: pl.DataFrame) -> bool:
    """Whether a value is about ×100 or ×10⁴ off the one before it in its series (region, indicator,
    unit, by year). Such a file goes the Python way, where value_jumps words which cell to check; a
    superset of its rule, so no warning is lost, and a rare case in real data.

    A file written series by series, years rising (as a national file is), is checked against the
    row before each row, in one pass; any other order takes a window over every series.
    """
    import polars as pl

    keys = [name for name in ("region_key", "indicator_key", "unit") if name in frame.columns]
    same = pl.all_horizontal([pl.col(key) == pl.col(key).shift(1) for key in keys]).fill_null(False)
    number = pl.col("number")
    # |log10(ratio) - power| <= tolerance, as bounds on the ratio (a hair wider: a superset)
    bounds = [
        (10 ** (power - JUMP_TOLERANCE - 1e-9), 10 ** (power + JUMP_TOLERANCE + 1e-9))
        for step in JUMP_POWERS
        for power in (step, -step)
    ]

    def jumps(ratio: pl.Expr) -> pl.Expr:
        return pl.any_horizontal([ratio.is_between(low, high) for low, high in bounds]).fill_null(False)

    columns = frame.lazy().select(*keys, "year", number=pl.col("value").cast(pl.Float64), same=same)
    found = columns.select(
        rising=~(pl.col("same") & (pl.col("year") <= pl.col("year").shift(1))).any(),
        jump=(pl.col("same") & jumps(number / number.shift(1))).any(),
        runs=(~pl.col("same")).sum(),
    ).collect()
    rising, jump, runs = found.row(0)
    if rising:
        starts = columns.filter(~pl.col("same")).select(pl.struct(keys).n_unique()).collect().item()
        if starts == runs:  # every series is one run of rows: the row before is the year before
            return bool(jump)
    previous = number.shift(1).over(keys, order_by="year")
    return bool(columns.select(jumps(number / previous).any()).collect().item())


class _Checks:
    """What the whole frame says about the plans' targets, in columns: problems, special series, the
    latest year of the others."""

    def __init__(self, plans: Sequence[Plan], frame: pl.DataFrame, names: dict[int, tuple[str, ...]]) -> None:
        import polars as pl

        # Lazy: polars' query engine groups a national frame three times as fast as the eager call.
        grouped = frame.lazy().group_by("indicator_key")
        units = grouped.agg(pl.col("unit").unique(), pl.col("year").max()).collect()
        unit_sets = dict(zip(units["indicator_key"].to_list(), units["unit"].to_list(), strict=True))
        latest_by_key = dict(zip(units["indicator_key"].to_list(), units["year"].to_list(), strict=True))
        self.unit_sets: dict[str, list[str]] = unit_sets
        self.problem = False
        self.special: set[int] = set()  # id of each target built by the reference on every row
        self.special_keys: set[str] = set()  # their indicators
        self.latest: int | None = None
        for plan in plans:
            for target in plan.targets:
                present = [name for name in names[id(target)] if name in unit_sets]
                if not present:
                    continue
                if target.kind is Kind.MILESTONE:
                    self.problem = True  # numbers for a milestone: the Python path words it
                    return
                for name in present:
                    if any(_factor(unit, target.unit) is None for unit in unit_sets[name]):
                        self.problem = True  # a unit that does not convert
                        return
                if len(present) > 1 or target.aggregate == "sum":
                    self.special.add(id(target))
                    self.special_keys.update(present)
                    continue
                found = latest_by_key[present[0]]
                self.latest = found if self.latest is None else max(self.latest, found)


def _reduced(
    frame: pl.DataFrame, plans: Sequence[Plan], special_keys: Collection[str], year: int
) -> pl.DataFrame:
    """The rows the judge can look at, sorted by year within each region and indicator.

    A level, range, growth or trend target is judged on its value of a due year (the target's or
    an interim year's), else its latest value up to ``year``; and on a baseline: the value of the
    plan's baseline year, else the earliest value, or the earliest after the baseline year
    (engine._judged_point and engine._select_baseline). Other values only fill the row's series,
    which neither JSON nor CSV writes. The indicators of special targets keep every row in file order.
    """
    import polars as pl

    due_years = {step.year for plan in plans for target in plan.targets for step in target.interim}
    due_years |= {target.year for plan in plans for target in plan.targets}
    baselines = {plan.baseline_year for plan in plans if plan.baseline_year is not None}
    group = ["region_key", "indicator_key"]
    window = frame.filter(~pl.col("indicator_key").is_in(list(special_keys)) & (pl.col("year") <= year))
    year_col = pl.col("year")
    keep = (
        year_col.is_in(sorted(due_years | baselines))
        | (year_col == year_col.min().over(group))
        | (year_col == year_col.max().over(group))
    )
    for base in sorted(baselines):
        keep = keep | (year_col == year_col.filter(year_col > base).min().over(group))
    reduced = window.filter(keep).sort("year", maintain_order=True)
    return pl.concat([reduced, frame.filter(pl.col("indicator_key").is_in(list(special_keys)))])


class _Grouped:
    """Every region's rows grouped by indicator once, ordered by the region's place in ``regions``.

    Filtering the frame for each batch of regions scanned all of it every time (two seconds of a
    national run); one grouping, sorted by region, is sliced instead.
    """

    def __init__(self, frame: pl.DataFrame, regions: list[tuple[str, str]]) -> None:
        import polars as pl

        order = pl.DataFrame(
            {"region_key": [key for key, _ in regions], "position": list(range(len(regions)))},
            schema={"region_key": pl.String, "position": pl.Int64},
        )
        grouped = frame.group_by("region_key", "indicator_key", maintain_order=True).agg(
            pl.col("indicator").first(), "year", "value", "unit", "source", "line"
        )
        self.grouped = (
            grouped.with_columns(pl.col("region_key").cast(pl.String))
            .join(order, on="region_key", how="inner")
            .sort("position", maintain_order=True)
        )
        self.positions: list[int] = self.grouped["position"].to_list()

    def regions(self, first: int, end: int) -> dict[str, dict[str, _Group]]:
        """region key -> indicator key -> its rows, for the regions at places ``first`` to ``end - 1``."""
        low, high = bisect.bisect_left(self.positions, first), bisect.bisect_left(self.positions, end)
        found: dict[str, dict[str, _Group]] = {}
        rows = self.grouped.slice(low, high - low).drop("position").iter_rows()
        for region, indicator_key, indicator, years, values, units, sources, lines in rows:
            group = _Group(indicator, years, values, units, sources, lines)
            found.setdefault(region, {})[indicator_key] = group
        return found


def _groups(frame: pl.DataFrame, keys: list[str]) -> dict[str, dict[str, _Group]]:
    """region key -> indicator key -> its rows, for the regions ``keys``."""
    import polars as pl

    chosen = frame.filter(pl.col("region_key").is_in(keys))
    grouped = chosen.group_by("region_key", "indicator_key", maintain_order=True).agg(
        pl.col("indicator").first(), "year", "value", "unit", "source", "line"
    )
    found: dict[str, dict[str, _Group]] = {}
    for region, indicator_key, indicator, years, values, units, sources, lines in grouped.iter_rows():
        found.setdefault(region, {})[indicator_key] = _Group(indicator, years, values, units, sources, lines)
    return found


_NO_YEARS: list[int] = []


def _collect(
    plan: Plan,
    region: str,
    by_indicator: dict[str, _Group],
    names: dict[int, tuple[str, ...]],
    file: str,
    targets: Sequence[Target] | None = None,
) -> dict[str, TargetData] | list[Problem]:
    """``series.collect`` for one plan and region (``targets``: some of its targets) from the grouped
    columns; its problems, if any."""
    collected: dict[str, TargetData] = {}
    problems: list[Problem] = []
    for target in plan.targets if targets is None else targets:
        groups = [group for name in names[id(target)] if (group := by_indicator.get(name))]
        if target.kind is Kind.MILESTONE:
            if groups:
                return [Problem(file, "a milestone with numbers")]  # words: the Python path
            collected[target.id] = EMPTY
            continue
        if not groups:
            collected[target.id] = EMPTY
            continue
        years = groups[0].years if len(groups) == 1 else [year for g in groups for year in g.years]
        units = set(groups[0].units) if len(groups) == 1 else {unit for g in groups for unit in g.units}
        ordinary = target.aggregate != "sum" and all(
            later > earlier for earlier, later in zip(years, years[1:], strict=False)
        )
        factors = {unit: _factor(unit, target.unit) for unit in units}
        if ordinary and None not in factors.values():
            collected[target.id] = _ordinary(groups, years, factors)
            continue
        # The reference on real observations: it sorts, sums and finds the problems.
        rows = [
            Observation(
                indicator=group.indicator,
                year=year,
                value=Decimal(value),
                region=region,
                unit=unit,
                source=source,
                origin=f"{file}:{line}",
            )
            for group in groups
            for year, value, unit, source, line in zip(
                group.years, group.values, group.units, group.sources, group.lines, strict=True
            )
        ]
        collected[target.id] = _series(plan, target, rows, problems)
    return problems or collected


def _ordinary(groups: list[_Group], years: list[int], factors: dict[str, Decimal | None]) -> TargetData:
    """A series of rows in rising years whose units convert: ``series._values_in_order``'s case."""
    if len(groups) == 1:
        values, units, sources = groups[0].values, groups[0].units, groups[0].sources
    else:
        values = [value for g in groups for value in g.values]
        units = [unit for g in groups for unit in g.units]
        sources = [source for g in groups for source in g.sources]
    if len(factors) == 1:
        factor = next(iter(factors.values()))
        if factor == 1:  # as a rule; times Decimal(1) keeps the digits and the exponent alike
            numbers = list(map(Decimal, values))
        else:
            numbers = [Decimal(value) * factor for value in values]  # type: ignore[operator]
    else:
        numbers = [Decimal(value) * factors[unit] for value, unit in zip(values, units, strict=True)]  # type: ignore[operator]
    distinct = dict.fromkeys(sources)
    distinct.pop("", None)
    return TargetData(points=tuple(map(Point, years, numbers)), sources=tuple(distinct))
