"""The gap engine: judges each target against its series (status, gap, attainment, CAGR ratio R)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple, TypedDict

from ipreport.errors import InputError, Problem
from ipreport.model import (
    Assessment,
    Direction,
    Kind,
    Note,
    Observation,
    Plan,
    PlanAssessment,
    Point,
    Statistics,
    Status,
    Target,
    TargetAssessment,
    TaskState,
    Thresholds,
)
from ipreport.util.clock import today, year_end
from ipreport.util.rounding import half_up

if TYPE_CHECKING:
    from ipreport.assessment.series import TargetData


# The fixed vocabulary of note codes; docs/methodology.md says what each means.
LINEAR = "linear"
BASELINE_FROM_EARLIEST = "baseline_from_earliest"
BASELINE_MISSING = "baseline_missing"
SINGLE_OBSERVATION = "single_observation"
NONPOSITIVE_VALUES = "nonpositive_values"
FLOOR_TO_HOLD = "floor_to_hold"
ABOVE_RANGE = "above_range"
BELOW_RANGE = "below_range"
MISSED_ON_LATEST = "missed_on_latest"
ACHIEVED_ON_LATEST = "achieved_on_latest"
INTERIM = "interim"
IMPLIED_TARGET = "implied_target"
DONE_LATE = "done_late"
MISSING_YEARS = "missing_years"
NOTE_CODES = frozenset(
    {
        LINEAR,
        BASELINE_FROM_EARLIEST,
        BASELINE_MISSING,
        SINGLE_OBSERVATION,
        NONPOSITIVE_VALUES,
        FLOOR_TO_HOLD,
        ABOVE_RANGE,
        BELOW_RANGE,
        MISSED_ON_LATEST,
        ACHIEVED_ON_LATEST,
        INTERIM,
        IMPLIED_TARGET,
        DONE_LATE,
        MISSING_YEARS,
    }
)

# Bands of d·CAGR for targets without a number (sdg-build's no-target bands).
TREND_ON_TRACK = 0.015
TREND_ACCELERATE = 0.005
TREND_BEHIND = 0.0
DEFAULT_THRESHOLDS = Thresholds()
# Ours: R and rates are compared with band edges at 9 decimals (0.8 must not read as 0.7999…).
BAND_DECIMALS = 9


def _note(code: str, **args: object) -> Note:
    return Note(code, tuple((name, str(value)) for name, value in args.items()))


def _decrease(target: Target) -> dict[str, str]:
    """The argument that makes a note of a decrease target worded as a decrease; none for an increase."""
    return {"direction": "decrease"} if target.direction is Direction.DECREASE else {}


class _Figures(TypedDict):
    """The numbers of one quantified row, before a status is chosen.

    Named and ordered as the row's own fields: one is built for every row and merged into it, and a
    dict is built and merged in a fraction of the time a frozen dataclass or a named tuple takes.
    """

    gap: Decimal | None
    attainment: float | None
    progress_share: float | None
    time_share: float | None
    required_cagr: float | None
    actual_cagr: float | None
    remaining_cagr: float | None
    ratio: float | None
    projection: float | None
    method: str | None  # "cagr" | "linear" | None


_NO_FIGURES: _Figures = {
    "gap": None,
    "attainment": None,
    "progress_share": None,
    "time_share": None,
    "required_cagr": None,
    "actual_cagr": None,
    "remaining_cagr": None,
    "ratio": None,
    "projection": None,
    "method": None,
}


def _cagr(start: float, end: float, years: int) -> float:
    return math.pow(end / start, 1 / years) - 1


def _cagr_defined(v0: float, target: float, v: float) -> bool:
    """CAGR needs a positive start and end; a value that fell to 0 still has one (−100 %)."""
    return v0 > 0 and target > 0 and v >= 0


def _attainment(target: Decimal, v: Decimal, d: int) -> float | None:
    if d > 0:
        return float(v / target) if target > 0 else None
    return float(target / v) if v > 0 else None


def _figures(target: Decimal, year: int, d: int, base: Point | None, at: Point) -> _Figures:
    """Every figure the method defines for value ``target`` due in ``year``, judged at ``at``."""
    gap = d * (target - at.value)
    attainment = _attainment(target, at.value, d)
    if base is None or at.year <= base.year or year <= base.year:
        return {**_NO_FIGURES, "gap": gap, "attainment": attainment}
    t, y0 = at.year, base.year
    T, v, v0 = float(target), float(at.value), float(base.value)
    time_share = (t - y0) / (year - y0)
    # Progress share only means something when the baseline still had a distance to cover.
    progress = (v - v0) / (T - v0) if d * (T - v0) > 0 else None
    if _cagr_defined(v0, T, v):
        required = _cagr(v0, T, year - y0)
        actual = _cagr(v0, v, t - y0)
        ratio = d * actual / abs(required) if required != 0 else None
        remaining = _cagr(v, T, year - t) if t < year and v > 0 else None
        projection = v * math.pow(1 + actual, year - t) if t < year else None
        return {
            "gap": gap,
            "attainment": attainment,
            "progress_share": progress,
            "time_share": time_share,
            "required_cagr": required,
            "actual_cagr": actual,
            "remaining_cagr": remaining,
            "ratio": ratio,
            "projection": projection,
            "method": "cagr",
        }
    # Ours: a straight-line pace replaces CAGR where a growth rate has no meaning.
    slope = (v - v0) / (t - y0)
    needed = (T - v0) / (year - y0)
    return {
        **_NO_FIGURES,
        "gap": gap,
        "attainment": attainment,
        "progress_share": progress,
        "time_share": time_share,
        "ratio": d * slope / abs(needed) if needed != 0 else None,
        "projection": v + slope * (year - t) if t < year else None,
        "method": "linear",
    }


def _settled(number: float) -> float:
    """A ratio or rate rounded so that a value exactly on a band edge is not lost to binary floats."""
    return round(number, BAND_DECIMALS)


def _band(ratio: float, thresholds: Thresholds) -> Status:
    ratio = _settled(ratio)
    if ratio >= thresholds.ahead:
        return Status.AHEAD
    if ratio >= thresholds.on_track:
        return Status.ON_TRACK
    if ratio >= thresholds.accelerate:
        return Status.ACCELERATE
    if ratio >= thresholds.behind:
        return Status.BEHIND
    return Status.REGRESSING


def _trend_band(pace: float) -> Status:
    pace = _settled(pace)
    if pace >= TREND_ON_TRACK:
        return Status.ON_TRACK
    if pace >= TREND_ACCELERATE:
        return Status.ACCELERATE
    if pace >= TREND_BEHIND:
        return Status.BEHIND
    return Status.REGRESSING


def _select_baseline(
    target: Target, points: Sequence[Point], latest_year: int, baseline_year: int | None
) -> tuple[Point | None, tuple[Note, ...]]:
    """The target's own baseline, else the plan's baseline year, else the earliest earlier value."""
    if target.baseline is not None:
        return target.baseline, ()
    if baseline_year is not None:
        for point in points:
            if point.year == baseline_year:
                return point, ()
    earlier = [p for p in points if p.year < latest_year]
    # Ours, after sdg-build: values from before the plan's baseline year are not the plan's starting point.
    if baseline_year is not None:
        earlier = [p for p in earlier if p.year > baseline_year] or earlier
    if earlier:
        return earlier[0], (_note(BASELINE_FROM_EARLIEST, year=earlier[0].year),)
    return None, ()


def _judged_point(points: Sequence[Point], due: int, year: int) -> tuple[Point, bool]:
    """The value a row is judged on, and whether it stands in for a missing value of the due year.

    Before the due year that is the latest value; once the due year is reached, the value of the
    due year itself, else the latest value there is.
    """
    if year >= due:
        for point in points:
            if point.year == due:
                return point, False
        return points[-1], True
    return points[-1], False


def _final_note(status: Status, at: Point, due: int, on_latest: bool) -> tuple[Note, ...]:
    if not on_latest:
        return ()
    code = MISSED_ON_LATEST if status is Status.MISSED else ACHIEVED_ON_LATEST
    return (_note(code, year=at.year, due=due),)


def _quantified_row(
    target: Target,
    status: Status,
    figures: _Figures,
    *,
    target_value: Decimal | None,
    target_year: int,
    baseline: Point | None,
    latest: Point,
    series: tuple[Point, ...],
    notes: tuple[Note, ...],
    interim: bool = False,
) -> TargetAssessment:
    """A judged row with every figure of ``figures``: built once, as copying a frozen row costs a build."""
    return TargetAssessment(
        target=target,
        status=status,
        target_value=target_value,
        target_year=target_year,
        interim=interim,
        baseline=baseline,
        latest=latest,
        series=series,
        notes=notes,
        **figures,
    )


def _judge_value(
    target: Target,
    points: tuple[Point, ...],
    *,
    value: Decimal,
    due: int,
    year: int,
    baseline_year: int | None,
    thresholds: Thresholds,
    interim: bool = False,
    notes: tuple[Note, ...] = (),
) -> TargetAssessment:
    """One row of a target with a number: level, range, or an interim year of a level."""
    if not points:
        return TargetAssessment(
            target,
            Status.NO_DATA,
            target_value=value,
            target_year=due,
            interim=interim,
            baseline=target.baseline,
            series=points,
            notes=notes,
        )
    d = int(target.direction)
    at, on_latest = _judged_point(points, due, year)
    base, base_notes = _select_baseline(target, points, at.year, baseline_year)
    if base is not None and at.year <= base.year:
        # Ours: the only value is the baseline's own (or older); it says nothing about the years
        # since, so it is never shown as the latest value, and there is nothing to judge yet.
        return TargetAssessment(
            target,
            Status.INSUFFICIENT_DATA,
            target_value=value,
            target_year=due,
            interim=interim,
            baseline=base,
            series=points,
            notes=notes + base_notes + (_note(SINGLE_OBSERVATION, year=at.year),),
        )
    figures = _figures(value, due, d, base, at)
    notes = notes + base_notes + ((_note(LINEAR),) if figures["method"] == "linear" else ())
    floor = base is not None and d * (base.value - value) >= 0
    if base is not None and floor:
        notes += (_note(FLOOR_TO_HOLD, baseline=base.value, **_decrease(target)),)
    why_insufficient: tuple[Note, ...] = ()
    if d * (at.value - value) >= 0:
        status = Status.ACHIEVED
    elif year >= due:
        status = Status.MISSED
    elif base is None:
        status, why_insufficient = Status.INSUFFICIENT_DATA, (_note(BASELINE_MISSING),)
    elif floor:
        # Ours: a floor that was held at the baseline and is not held now is moving the wrong way.
        status = Status.REGRESSING
    elif figures["ratio"] is None:
        status = Status.INSUFFICIENT_DATA
    else:
        status = _band(figures["ratio"], thresholds)
    # Only a row judged once its year is due can stand on a later value, and such a row is not insufficient.
    notes += why_insufficient + _final_note(status, at, due, on_latest)
    return _quantified_row(
        target,
        status,
        figures,
        target_value=value,
        target_year=due,
        interim=interim,
        baseline=base,
        latest=at,
        series=points,
        notes=notes,
    )


def _require(target: Target, value: Decimal | None, key: str) -> Decimal:
    if value is None:
        where = f"target {target.id}" + (f" (line {target.line})" if target.line else "")
        raise InputError(Problem(where, f"a {target.kind.value} target needs `{key}`, found none", key=key))
    return value


def _assess_level(
    target: Target, points: tuple[Point, ...], year: int, baseline_year: int | None, thresholds: Thresholds
) -> tuple[TargetAssessment, ...]:
    final = _require(target, target.value, "target")

    def judge(
        value: Decimal, due: int, interim: bool = False, notes: tuple[Note, ...] = ()
    ) -> TargetAssessment:
        return _judge_value(
            target,
            points,
            value=value,
            due=due,
            year=year,
            baseline_year=baseline_year,
            thresholds=thresholds,
            interim=interim,
            notes=notes,
        )

    if not target.interim:  # most targets
        return (judge(final, target.year),)
    past = (judge(step.value, step.year, interim=True) for step in target.interim if step.year < year)
    # A past interim year with no data tells the reader nothing the main row does not (ours).
    rows = [row for row in past if row.status is not Status.NO_DATA]
    # The target in force is the first of the interim years and the final year not yet past.
    due_now = [step for step in target.interim if year <= step.year < target.year]
    if due_now:
        step = min(due_now, key=lambda p: p.year)
        rows.append(judge(step.value, step.year, notes=(_note(INTERIM, year=step.year, final=final),)))
    else:
        rows.append(judge(final, target.year))
    return tuple(rows)


def _assess_range(
    target: Target, points: tuple[Point, ...], year: int, baseline_year: int | None, thresholds: Thresholds
) -> TargetAssessment:
    increase = target.direction is Direction.INCREASE
    # The weaker end of the range is the one that counts (min when more is better).
    weak, strong = (target.min, target.max) if increase else (target.max, target.min)
    if weak is None:
        weak, strong = strong, None
    value = _require(target, weak, "min" if increase else "max")
    row = _judge_value(
        target,
        points,
        value=value,
        due=target.year,
        year=year,
        baseline_year=baseline_year,
        thresholds=thresholds,
    )
    if strong is None:
        return row  # one bound only: a level target
    # A range is reached or not: no attainment; the gap is to the nearer bound, 0 inside (ours).
    row = dataclasses.replace(row, attainment=None)
    if row.latest is None:
        return row
    d = int(target.direction)
    v = row.latest.value
    if d * (v - strong) > 0:  # beyond the stronger end: reached, by more than asked
        row = dataclasses.replace(row, gap=d * (strong - v))
        if row.status is Status.ACHIEVED:
            beyond = _note(ABOVE_RANGE if increase else BELOW_RANGE, bound=strong)
            row = dataclasses.replace(row, notes=row.notes + (beyond,))
    elif d * (v - value) >= 0:  # inside the range
        row = dataclasses.replace(row, gap=Decimal(0))
    return row


def _rate_gap(d: int, required: float, actual: float) -> Decimal:
    """d·(required − actual) in percentage points, to six decimals: positive is pace still missing."""
    gap = half_up(d * (required - actual) * 100, 6)
    # The status compares the rates at BAND_DECIMALS; a gap the status calls none is none.
    return Decimal(0) if _settled(d * (actual - required)) >= 0 and gap > 0 else gap


def _decimal(number: float) -> Decimal:
    rounded = half_up(number, 6)  # half up on the decimal, as every output rounds
    return rounded.normalize() if rounded != rounded.to_integral_value() else rounded.quantize(Decimal(1))


class _RateStart(NamedTuple):
    """Where a rate-judged target (growth, trend) starts from and stands, and whether a rate follows."""

    base: Point | None
    at: Point | None  # None: no data
    on_latest: bool
    notes: tuple[Note, ...]  # when no rate follows, the last one says why
    rated: bool


def _rate_start(
    target: Target, points: tuple[Point, ...], year: int, baseline_year: int | None
) -> _RateStart:
    """Baseline and judged value of a rate-judged target (growth, trend), and whether a rate follows."""
    if not points:
        return _RateStart(target.baseline, None, False, (), rated=False)
    at, on_latest = _judged_point(points, target.year, year)
    base, notes = _select_baseline(target, points, at.year, baseline_year)
    if base is None:
        return _RateStart(base, at, on_latest, notes + (_note(BASELINE_MISSING),), rated=False)
    if at.year <= base.year:
        single = _note(SINGLE_OBSERVATION, year=at.year)
        return _RateStart(base, at, on_latest, notes + (single,), rated=False)
    if base.value <= 0 or at.value < 0:
        return _RateStart(base, at, on_latest, notes + (_note(NONPOSITIVE_VALUES),), rated=False)
    return _RateStart(base, at, on_latest, notes, rated=True)


def _unrated(
    target: Target, points: tuple[Point, ...], start: _RateStart, required: float | None = None
) -> TargetAssessment:
    """The row of a rate-judged target without a rate: no data, or too little."""
    # The baseline's own value is not a latest value (see _judge_value).
    only_base = start.base is not None and start.at is not None and start.at.year <= start.base.year
    return TargetAssessment(
        target,
        Status.NO_DATA if start.at is None else Status.INSUFFICIENT_DATA,
        target_year=target.year,
        baseline=start.base,
        latest=None if only_base else start.at,
        series=points,
        required_cagr=required,
        notes=start.notes,
    )


def _assess_growth(
    target: Target, points: tuple[Point, ...], year: int, baseline_year: int | None, thresholds: Thresholds
) -> TargetAssessment:
    stated = _require(target, target.rate, "rate")
    d = int(target.direction)
    # Ours: a decrease target states how fast the value must fall, so the required rate is negative.
    required = float(stated) if d > 0 else -abs(float(stated))
    start = _rate_start(target, points, year, baseline_year)
    base, at = start.base, start.at
    if not start.rated or base is None or at is None:
        return _unrated(target, points, start, required)
    # The level the stated rate leads to gives the row a gap and an attainment like a level target.
    implied = _decimal(float(base.value) * math.pow(1 + required, target.year - base.year))
    actual = _cagr(float(base.value), float(at.value), at.year - base.year)
    ratio = d * actual / abs(required) if required != 0 else None
    figures: _Figures = {
        **_figures(implied, target.year, d, base, at),
        # A rate target is compared on rates (ours): the gap is the yearly growth still missing, in
        # percentage points; there is no attainment of a rate. The implied level is only a note.
        "gap": _rate_gap(d, required, actual),
        "attainment": None,
        "progress_share": None,
        "required_cagr": required,
        "actual_cagr": actual,
        "ratio": ratio,
        "method": "cagr",
    }
    notes = start.notes + (_note(IMPLIED_TARGET, rate=stated, value=implied, **_decrease(target)),)
    if year >= target.year:
        status = Status.ACHIEVED if _settled(d * (actual - required)) >= 0 else Status.MISSED
        notes += _final_note(status, at, target.year, start.on_latest)
    elif ratio is None:
        status = Status.AHEAD if d * actual >= 0 else Status.REGRESSING
    else:
        status = _band(ratio, thresholds)
    return _quantified_row(
        target,
        status,
        figures,
        target_value=None,
        target_year=target.year,
        baseline=base,
        latest=at,
        series=points,
        notes=notes,
    )


def _assess_trend(
    target: Target, points: tuple[Point, ...], year: int, baseline_year: int | None
) -> TargetAssessment:
    start = _rate_start(target, points, year, baseline_year)
    base, at = start.base, start.at
    if not start.rated or base is None or at is None:
        return _unrated(target, points, start)
    actual = _cagr(float(base.value), float(at.value), at.year - base.year)
    span = target.year - base.year
    time_share = (at.year - base.year) / span if span > 0 else None
    return _quantified_row(
        target,
        _trend_band(int(target.direction) * actual),
        {**_NO_FIGURES, "time_share": time_share, "actual_cagr": actual, "method": "cagr"},
        target_value=None,
        target_year=target.year,
        baseline=base,
        latest=at,
        series=points,
        notes=start.notes,
    )


def _deadline(target: Target) -> dt.date | None:
    if target.deadline is not None:
        return target.deadline
    if target.ongoing or not target.year:
        return None
    # Ours: a task with neither a deadline nor `ongoing` is due by the end of its target year.
    return dt.date(target.year, 12, 31)


def _assess_milestone(target: Target, task: Observation | None, as_of: dt.date) -> TargetAssessment:
    deadline = _deadline(target)
    row = TargetAssessment(target, Status.NO_DATA, target_year=deadline.year if deadline else target.year)
    if task is None or task.state is None:
        return row
    if task.state is TaskState.DONE and task.date is not None and task.date > as_of:
        # Ours: judged at as_of, a task completed later was still under way then.
        task = task._replace(state=TaskState.IN_PROGRESS, date=None)
    row = dataclasses.replace(row, task_state=task.state, completed=task.date, progress=task.note)
    if task.state is TaskState.DONE:
        if deadline is not None and task.date is not None and task.date > deadline:
            late = _note(DONE_LATE, date=task.date.isoformat(), deadline=deadline.isoformat())
            return dataclasses.replace(row, status=Status.DONE, notes=(late,))
        return dataclasses.replace(row, status=Status.DONE)
    if deadline is None:
        return dataclasses.replace(row, status=Status.ONGOING)
    if as_of > deadline:
        return dataclasses.replace(row, status=Status.OVERDUE)
    started = task.state is TaskState.IN_PROGRESS
    return dataclasses.replace(row, status=Status.IN_PROGRESS if started else Status.NOT_STARTED)


def _task_at(tasks: Sequence[Observation], year: int, as_of: dt.date) -> Observation | None:
    """The latest state row valid in ``year`` at ``as_of``: rows of later years are not known yet.

    Rows sort by year, then undated before dated, then date: the order ``series`` gives them in.
    """
    valid = [row for row in tasks if row.year <= year and row.year <= as_of.year]
    return max(valid, key=lambda row: (row.year, row.date is not None, row.date or 0), default=None)


def _until(points: Sequence[Point], year: int) -> tuple[Point, ...]:
    """The points of years up to ``year`` of a series sorted by year (most end by the assessment year)."""
    if not points or points[-1].year <= year:
        return tuple(points)
    return tuple(point for point in points if point.year <= year)


def _window(points: Sequence[Point], year: int) -> tuple[Point, ...]:
    """The points of years up to ``year``, by year (points of one year keep their order)."""
    years = [point.year for point in points]
    if years == sorted(years):
        return _until(points, year)
    return tuple(sorted((p for p in points if p.year <= year), key=lambda p: p.year))


def assess_target(
    target: Target,
    points: Sequence[Point],
    *,
    year: int,
    as_of: dt.date,
    baseline_year: int | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    task: Observation | None = None,
    tasks: Sequence[Observation] = (),
    start_year: int | None = None,
) -> tuple[TargetAssessment, ...]:
    """Assess one target in assessment year ``year``; past interim years of a level get rows first.

    A milestone is judged on ``tasks`` (every state row) or, when none are given, on ``task``.
    ``start_year`` (the plan's) is where a cumulative target's running total starts.
    """
    reports = tasks or ((task,) if task is not None else ())
    return _assessed(
        target, _window(points, year), reports, year, as_of, baseline_year, thresholds, start_year
    )


def _assessed(
    target: Target,
    used: tuple[Point, ...],
    tasks: Sequence[Observation],
    year: int,
    as_of: dt.date,
    baseline_year: int | None,
    thresholds: Thresholds,
    start_year: int | None = None,
) -> tuple[TargetAssessment, ...]:
    """``assess_target`` on the points of years up to ``year``, sorted by year, and the task reports."""
    if target.aggregate == "sum" and start_year is not None and target.kind is not Kind.MILESTONE:
        rows = _assessed(target, used, tasks, year, as_of, baseline_year, thresholds)
        return tuple(_incomplete_total(row, start_year, year) for row in rows)
    if target.kind is Kind.MILESTONE:
        return (_assess_milestone(target, _task_at(tasks, year, as_of), as_of),)
    if target.kind is Kind.TREND:
        return (_assess_trend(target, used, year, baseline_year),)
    if target.kind is Kind.GROWTH:
        return (_assess_growth(target, used, year, baseline_year, thresholds),)
    if target.kind is Kind.RANGE:
        return (_assess_range(target, used, year, baseline_year, thresholds),)
    return _assess_level(target, used, year, baseline_year, thresholds)


def _incomplete_total(row: TargetAssessment, start_year: int, year: int) -> TargetAssessment:
    """A cumulative row whose total misses a year of its window is insufficient_data (notes the years).

    The window runs from the plan's start year to the row's due year or the assessment year,
    whichever is earlier. A total that already meets an increase target stays achieved: a missing
    year can only add to it.
    """
    from ipreport.assessment.series import missing_sum_years

    if not row.series:
        return row
    missing = missing_sum_years(start_year, min(year, row.target_year), row.series)
    if not missing:
        return row
    note = _note(MISSING_YEARS, years=",".join(map(str, missing)))
    if row.status is Status.ACHIEVED and row.target.direction is Direction.INCREASE:
        return dataclasses.replace(row, notes=row.notes + (note,))
    kept = tuple(n for n in row.notes if n.code not in (MISSED_ON_LATEST, ACHIEVED_ON_LATEST))
    return dataclasses.replace(row, status=Status.INSUFFICIENT_DATA, notes=kept + (note,))


def default_as_of(year: int) -> dt.date:
    """31 December of the assessment year, in China's time zone."""
    return year_end(year)


def assess(
    plans: Sequence[Plan],
    statistics: Statistics | None,
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    region: str | None = None,
) -> Assessment:
    """Assess every target of every plan against one statistics file (or none)."""
    from ipreport.assessment.series import RowIndex, collect, unused_indicators, unused_regions
    from ipreport.assessment.value_jumps import value_jump_warnings

    index = RowIndex(statistics) if statistics is not None else None
    collected = [
        (plan, plan_region, collect(plan, statistics, plan_region, index) if statistics is not None else {})
        for plan in plans
        for plan_region in [region or plan.region]
    ]
    warnings: tuple[str, ...] = ()
    if statistics is not None and index is not None:
        assessed_regions = [plan_region for _, plan_region, _ in collected]
        # What the reader skipped (title rows, unread columns) first, as `validate` lists them.
        warnings = (
            statistics.warnings
            + value_jump_warnings(index, assessed_regions)
            + unused_indicators(plans, statistics, index)
            + unused_regions(statistics, assessed_regions, index)
        )
    return judge(plans, statistics, collected, year=year, as_of=as_of, warnings=warnings)


def assess_regions(
    plans: Sequence[Plan],
    statistics: Statistics,
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    regions: Sequence[str] | None = None,
) -> Assessment:
    """Every plan for every region of the statistics (or ``regions``): one PlanAssessment per region × plan.

    The rows are grouped once and shared by all regions; the assessment year, when not given, is the
    latest year with data in any region, so that every region is judged in the same year.
    """
    from ipreport.assessment.series import RowIndex, collect, unused_indicators
    from ipreport.assessment.value_jumps import value_jump_warnings

    index = RowIndex(statistics)
    wanted = tuple(regions) if regions is not None else index.regions
    if not wanted:
        raise InputError(
            Problem(
                str(statistics.path),
                "the file has no region column (地区 or region); assessing each region needs one",
            )
        )
    problems: list[Problem] = []
    collected = []
    for region in wanted:
        for plan in plans:
            try:
                collected.append((plan, region, collect(plan, statistics, region, index)))
            except InputError as exc:
                problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    jumps = value_jump_warnings(index, wanted)
    warnings = statistics.warnings + jumps + unused_indicators(plans, statistics, index)
    return judge(plans, statistics, collected, year=year, as_of=as_of, warnings=warnings)


def judge(
    plans: Sequence[Plan],
    statistics: Statistics | None,
    collected: list[tuple[Plan, str, dict[str, TargetData]]],
    *,
    year: int | None,
    as_of: dt.date | None,
    warnings: tuple[str, ...],
) -> Assessment:
    """Judge the collected series of each (plan, region) in one assessment year.

    Without ``year``, that is the latest year of the collected data (see ``assessment_year``).
    """
    from ipreport.assessment.series import EMPTY

    if year is None:
        year = assessment_year(plans, latest_year(data for _, _, data in collected))
    if as_of is None:
        as_of = default_as_of(year)
    sources: dict[str, None] = {}
    assessed = []
    for plan, plan_region, data in collected:
        rows: list[TargetAssessment] = []
        for target in plan.targets:
            found = data.get(target.id, EMPTY)
            sources.update(dict.fromkeys(found.sources))
            # `collect` sorts the points by year: only the window is left to cut.
            used = _until(found.points, year)
            rows.extend(
                _assessed(
                    target, used, found.tasks, year, as_of, plan.baseline_year, plan.thresholds,
                    plan.start_year,
                )
            )
        assessed.append(PlanAssessment(plan=plan, region=plan_region, rows=tuple(rows)))
    sources.pop("", None)  # dropped once here rather than tested for every series
    warnings += _sum_gap_warnings(assessed)
    return Assessment(
        plans=tuple(assessed),
        year=year,
        as_of=as_of,
        statistics=statistics.path if statistics is not None else None,
        sources=tuple(sources),
        warnings=warnings,
    )


def _sum_gap_warnings(assessed: Sequence[PlanAssessment]) -> tuple[str, ...]:
    """A warning for every cumulative row left insufficient by a missing year, naming the years."""
    from ipreport.assessment.series import sum_gap_warning

    warnings: dict[str, None] = {}
    for plan_assessment in assessed:
        for row in plan_assessment.rows:
            for note in row.notes:
                if note.code == MISSING_YEARS:
                    years = [int(y) for y in dict(note.args)["years"].split(",")]
                    warning = sum_gap_warning(plan_assessment.plan, row.target, years)
                    if plan_assessment.region != plan_assessment.plan.region:
                        warning = f"{plan_assessment.region}: {warning}"
                    warnings[warning] = None
    return tuple(warnings)


def assessment_year(plans: Sequence[Plan], latest: int | None) -> int:
    """The year assessed when none is given: the latest year with data, else the plans' target year."""
    return latest or max((plan.target_year for plan in plans), default=today().year)


def latest_year(collected: Iterable[dict[str, TargetData]]) -> int | None:
    """The latest year of any point or task among the collected series."""
    years = []
    for data in collected:
        for found in data.values():
            if found.points:
                years.append(found.points[-1].year)  # a TargetData's points are sorted by year
            if found.task is not None:
                years.append(found.task.year)
    return max(years, default=None)
