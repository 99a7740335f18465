"""Match statistics observations to plan targets: one series per target, in the target's unit."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ipreport.errors import InputError, Problem
from ipreport.model import Kind, Observation, Plan, Point, Statistics, Target
from ipreport.util.numbers import fold_name, plain
from ipreport.util.units import conversion_factor
from ipreport.util.visible import hidden_hint, visible


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


_SOURCE = operator.attrgetter("source")
# A file has a handful of units and a plan a handful more: every region's rows meet the same pairs.
_factor = functools.lru_cache(maxsize=1024)(conversion_factor)


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
        run: list[Observation] = []  # the rows of the labels of the row before
        last_region: str | None = None
        last_indicator: str | None = None
        for observation in statistics.observations:
            region = observation.region
            indicator = observation.indicator
            # A file mostly lists a region's values of one indicator together: no lookup for those.
            if indicator == last_indicator and region == last_region:
                run.append(observation)
                continue
            last_region, last_indicator = region, indicator
            if region is None:
                region_key = None
            else:
                region_key = folded.get(region)
                if region_key is None:
                    region_key = folded[region] = fold_name(region)
                    spellings.setdefault(region_key, region)
            indicator_key = folded.get(indicator)
            if indicator_key is None:
                indicator_key = folded[indicator] = fold_name(indicator)
            by_indicator = self.by_region.get(region_key)
            if by_indicator is None:
                by_indicator = self.by_region[region_key] = {}
            rows = by_indicator.get(indicator_key)
            if rows is None:
                run = by_indicator[indicator_key] = [observation]
                self.first_rows.setdefault(indicator_key, observation)
            else:
                run = rows
                run.append(observation)
        self.regions: tuple[str, ...] = tuple(spellings.values())
        self.spellings = spellings
        # a target's names -> their folded forms: every region matches the same targets
        self._folded_names: dict[tuple[str, ...], tuple[str, ...]] = {}

    def folded_names(self, target: Target) -> tuple[str, ...]:
        """The distinct folded names ``target`` is reported under, in order.

        After the target's own names come the catalogue's synonyms of its indicator ("每万人发明专利
        拥有量" for "每万人口发明专利拥有量"), unless the plan gives ``aliases``: a plan's own aliases win.
        """
        names = target.names
        found = self._folded_names.get(names)
        if found is None:
            found = tuple(dict.fromkeys((*self.own_names(target), *self._synonyms(target))))
            self._folded_names[names] = found
        return found

    @staticmethod
    def own_names(target: Target) -> tuple[str, ...]:
        """The folded names the plan itself gives ``target``: name, indicator and aliases."""
        return tuple(dict.fromkeys(fold_name(name) for name in target.names if name))

    @staticmethod
    def _synonyms(target: Target) -> tuple[str, ...]:
        if target.aliases:
            return ()
        from ipreport.catalogue import catalogue

        entry = catalogue().lookup(target.indicator or target.name)
        return tuple(fold_name(name) for name in entry.names) if entry else ()

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
                        f'no rows for region "{visible(region)}"; the file has rows for {visible(present)}'
                        + (hidden_hint(region) or hidden_hint(present)
                           or _region_hint(region, self.statistics.regions)),
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
    claims = synonym_claims(plan, index)
    for target in plan.targets:
        own = index.own_names(target)
        names = tuple(name for name in index.folded_names(target) if name in own or claims.get(name) == own)
        for name in index.folded_names(target):
            rows_of_name = by_indicator.get(name, ())
            if name in claims and claims[name] is None and rows_of_name:
                problems.append(_ambiguous(plan, index, name, rows_of_name[0]))
        if len(names) == 1:
            rows: Sequence[Observation] = by_indicator.get(names[0], ())
        else:
            rows = [row for name in names for row in by_indicator.get(name, ())]
        if target.kind is Kind.MILESTONE:
            collected[target.id] = _task(plan, target, rows, problems)
        else:
            collected[target.id] = _series(plan, target, rows, problems)
    if problems:
        # The year columns of one wide row share its unit cell: one problem per cell, not per year.
        raise InputError(list(dict.fromkeys(problems)))
    return collected


def synonym_claims(plan: Plan, index: RowIndex) -> dict[str, tuple[str, ...] | None]:
    """Which targets a row named only by a catalogue synonym belongs to: folded name -> the own names
    of the indicator that claims it, or None when targets of different indicators do (ambiguous).

    A name the plan gives a target itself (its name, indicator or aliases) belongs to that target and
    is no other target's synonym, so a plan with both 「每万人发明专利拥有量」 and 「每万人口发明专利拥有量」
    as targets gives each its own rows. Targets of one indicator (a 2022 and a 2025 target) share it.
    """
    owned = {name for target in plan.targets for name in index.own_names(target)}
    claims: dict[str, tuple[str, ...] | None] = {}
    for target in plan.targets:
        mine = index.own_names(target)
        for name in index.folded_names(target):
            if name in owned:
                continue
            if name not in claims:
                claims[name] = mine
            elif claims[name] != mine:
                claims[name] = None
    return claims


def _ambiguous(plan: Plan, index: RowIndex, name: str, row: Observation) -> Problem:
    claimants = [t for t in plan.targets if name in index.folded_names(t) and name not in index.own_names(t)]
    first = claimants[0]
    second = next(t for t in claimants if index.own_names(t) != index.own_names(first))
    return Problem(
        row.origin,
        f'indicator "{visible(row.indicator)}" is a catalogue synonym of two targets of plan {plan.id}: '
        f'{first.id} "{first.name}" and {second.id} "{second.name}"; rename the row to one of their names '
        "or give the targets `aliases`",
        key="indicator",
    )


def unused_indicators(
    plans: Sequence[Plan], statistics: Statistics, index: RowIndex | None = None
) -> tuple[str, ...]:
    """One warning per indicator of the statistics that no target of any plan names."""
    return tuple(warning for _, _, warning in unused_indicator_rows(plans, statistics, index))


def unused_indicator_rows(
    plans: Sequence[Plan], statistics: Statistics, index: RowIndex | None = None
) -> list[tuple[str, Observation, str]]:
    """(folded indicator, its first row, the warning) for each indicator no target names, in file order."""
    index = index or RowIndex(statistics)
    used = {name for plan in plans for target in plan.targets for name in index.folded_names(target)}
    file = str(statistics.path)
    targets = list(dict.fromkeys(t.indicator or t.name for plan in plans for t in plan.targets))
    return [
        (key, row, f'{file}: indicator "{visible(row.indicator)}" ({_where(row.origin, file)}) is not '
         f"used by any target{_did_you_mean(row.indicator, targets)}{hidden_hint(row.indicator)}")
        for key, row in index.first_rows.items()
        if key not in used
    ]


def _did_you_mean(indicator: str, targets: list[str]) -> str:
    """' (did you mean "每万人口发明专利拥有量"?)' for the nearest target name, or ""."""
    nearest = difflib.get_close_matches(indicator, targets, n=1, cutoff=0.6)
    return f' (did you mean "{visible(nearest[0])}"?)' if nearest else ""


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
        near = difflib.get_close_matches(spelling, [r for r in regions if fold_name(r) in assessed], n=1)
        advice = (
            f'did you mean "{near[0]}"? Correct the region\'s name in the statistics' if near
            else f"use --region {spelling} or --each-region"
        )
        warnings.append(
            f"{statistics.path}: rows for {spelling} ({count} row{'s' if count > 1 else ''}) are not used: "
            f"no plan covers that region; {advice}{hidden_hint(spelling)}"
        )
    return tuple(warnings)


def _region_hint(region: str, present: Sequence[str]) -> str:
    """When one region of the file is a near spelling of the one asked for (临江巿 for 临江市), say so:
    the fix is the name in one of the files, and the hint never recommends the misspelling itself."""
    nearest = difflib.get_close_matches(region, list(present), n=1, cutoff=0.6)
    if not nearest or fold_name(nearest[0]) == fold_name(region):
        return ""
    advice = "correct it in the statistics or the plan"
    return f' ("{nearest[0]}" looks like a misspelling of "{region}": {advice})'


def _where(origin: str, file: str) -> str:
    """ "stats.csv:4" -> "line 4"; "book.xlsx:Sheet1!4" -> "Sheet1!4"."""
    place = origin[len(file) + 1 :] if origin.startswith(file + ":") else origin
    return f"line {place}" if place.isdigit() else place


def _label(plan: Plan, target: Target) -> str:
    return f"target {target.id} of plan {plan.id}"


def _task(plan: Plan, target: Target, rows: Sequence[Observation], problems: list[Problem]) -> TargetData:
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


def _series(plan: Plan, target: Target, rows: Sequence[Observation], problems: list[Problem]) -> TargetData:
    in_order = _values_in_order(target, rows)
    years, values, used = in_order if in_order is not None else _values_checked(plan, target, rows, problems)
    if target.aggregate == "sum":
        years, values, used = _running_sums(plan.start_year, years, values, used)
    return TargetData(points=tuple(map(Point, years, values)), sources=_sources(used))


# Years (ascending, distinct), their values in the target's unit, and the row each value is from.
_Values = tuple[list[int], list[Decimal], Sequence[Observation]]


def _values_in_order(target: Target, rows: Sequence[Observation]) -> _Values | None:
    """The values of the usual rows: each with a value in a unit that converts, years rising (one
    name, in file order). These need neither a check per row nor sorting; None for any other rows."""
    years = [row.year for row in rows]
    if years != sorted(set(years)):
        return None
    units = {row.unit for row in rows}
    try:
        if len(units) == 1:  # as a rule: then no factor is looked up per row
            factor = _factor(units.pop(), target.unit)
            values = [row.value * factor for row in rows]  # type: ignore[operator]
        else:
            factors = {unit: _factor(unit, target.unit) for unit in units}
            values = [row.value * factors[row.unit] for row in rows]  # type: ignore[operator]
    except TypeError:  # a row without a value (a task state), or a unit that does not convert (None)
        return None
    return years, values, rows


def _values_checked(
    plan: Plan, target: Target, rows: Sequence[Observation], problems: list[Problem]
) -> _Values:
    """Every row with a value in a unit that converts, one per year; a problem for each other row."""
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
    return years, [by_year[year][0] for year in years], [by_year[year][1] for year in years]


def _running_sums(
    start: int, years: list[int], values: list[Decimal], rows: Sequence[Observation]
) -> _Values:
    """The running sums of the reported years from ``start`` on, and their rows.

    A year without a value is skipped, not a stop: the sum is what was reported, and the engine
    judges a total with a missing year as insufficient (see ``missing_sum_years``).
    """
    kept = [(year, value, row) for year, value, row in zip(years, values, rows, strict=True) if year >= start]
    running = Decimal(0)
    sums = []
    for _, value, _ in kept:
        running += value
        sums.append(running)
    return [year for year, _, _ in kept], sums, [row for _, _, row in kept]


def missing_sum_years(start: int, until: int, points: Sequence[Point]) -> list[int]:
    """The years ``start``..``until`` that a cumulative (``aggregate = "sum"``) series has no value for."""
    present = {point.year for point in points}
    return [year for year in range(start, until + 1) if year not in present]


def sum_gap_warnings(plan: Plan, collected: dict[str, TargetData], until: int | None) -> list[str]:
    """One warning per cumulative target of ``plan`` whose running total misses a year up to ``until``."""
    warnings = []
    for target in plan.targets:
        found = collected.get(target.id)
        if target.aggregate != "sum" or found is None or not found.points or until is None:
            continue
        missing = missing_sum_years(plan.start_year, min(until, target.year), found.points)
        if missing:
            warnings.append(sum_gap_warning(plan, target, missing))
    return warnings


def sum_gap_warning(plan: Plan, target: Target, missing: Sequence[int]) -> str:
    """The warning of a cumulative target whose total misses the years ``missing``."""
    years = ", ".join(map(str, missing))
    return (
        f"{_label(plan, target)} adds up yearly values from {plan.start_year}, but "
        f"{'year' if len(missing) == 1 else 'years'} {years} "
        f"{'has' if len(missing) == 1 else 'have'} no value: the total is incomplete (insufficient_data)"
    )


def _sources(rows: Iterable[Observation]) -> tuple[str, ...]:
    """The distinct non-empty sources of ``rows``, in order."""
    sources = dict.fromkeys(map(_SOURCE, rows))
    sources.pop("", None)
    return tuple(sources)


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
    factor = _factor(row.unit, target.unit)
    if factor is None:
        problems.append(unit_mismatch(row, target.unit, _label(plan, target)))
        return None
    return row.value * factor


def unit_mismatch(row: Observation, unit: str, owner: str) -> Problem:
    """The problem of a row whose unit does not convert to ``unit``, the unit of ``owner``."""
    return Problem(
        row.origin,
        f'unit "{row.unit}" of "{row.indicator}" does not match the unit "{unit}" of {owner}; '
        "only a 万/亿/千/百 prefix is converted",
        key="unit",
    )
