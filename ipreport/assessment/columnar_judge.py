"""The judge of ``engine`` as polars expressions, for the common targets of a big file: one row per
region and target, no Python object per row.

It covers level targets without interim years, ranges, growth and trend targets that have no
baseline of their own, no running total, one indicator in the file and units that need no
conversion. For those it follows ``engine._judge_value``, ``_assess_range``, ``_assess_growth`` and
``_assess_trend`` rule by rule, with the same float operations in the same order (``pow`` is the C
library's, as ``math.pow``). Whatever could come out otherwise is marked ``fallback`` instead of
guessed: a ratio within 1e-8 of a band edge (the engine compares at 9 decimals), a value that is
not a plain number of at most six decimals, a rounding that lands near a half. Those rows, and
every other target, go to ``engine`` itself, which stays the reference.

Decimal figures (values, gaps) are exact integers in millionths (``*6`` columns); floats are the
floats ``engine`` computes, left to the renderer to write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ipreport.assessment.engine import (
    ABOVE_RANGE,
    ACHIEVED_ON_LATEST,
    BASELINE_FROM_EARLIEST,
    BASELINE_MISSING,
    BELOW_RANGE,
    FLOOR_TO_HOLD,
    IMPLIED_TARGET,
    LINEAR,
    MISSED_ON_LATEST,
    NONPOSITIVE_VALUES,
    SINGLE_OBSERVATION,
    TREND_ACCELERATE,
    TREND_BEHIND,
    TREND_ON_TRACK,
)
from ipreport.model import Direction, Kind, Plan, Status, Target

if TYPE_CHECKING:
    import polars as pl

MILLION = 1_000_000
# Values in millionths stay below 2**63 with room for a difference of two.
_LARGEST = 10**12
# Within this of a band edge the engine's rounding to 9 decimals may decide: the engine judges.
_EDGE = 1e-8
# A half-up rounding to six decimals is left to the engine when the scaled value is this near a half
# (plus the float's own error at its size).
_HALF = 1e-6
_HALF_RELATIVE = 1e-14


@dataclass(frozen=True)
class ColumnTarget:
    """One target the columns judge: where it sits in the plans and what the rules need of it."""

    plan_index: int
    target_index: int
    target: Target
    plan: Plan
    indicator_key: str | None  # its indicator in the file (folded); None: no data anywhere


def scaled(value: Decimal | None) -> int | None:
    """``value`` in millionths when that is exact and small enough, else None."""
    if value is None:
        return None
    millionths = value * MILLION
    if millionths != millionths.to_integral_value() or abs(value) >= _LARGEST:
        return None
    return int(millionths)


def vectorisable(target: Target) -> bool:
    """Whether the columns judge ``target`` (its file-side conditions are the caller's)."""
    if target.baseline is not None or target.aggregate == "sum":
        return False
    if target.kind is Kind.LEVEL:
        return not target.interim and target.value is not None and scaled(target.value) is not None
    if target.kind is Kind.RANGE:
        bounds = (target.min, target.max)
        return all(bound is not None and scaled(bound) is not None for bound in bounds)
    if target.kind is Kind.GROWTH:
        return target.rate is not None
    return target.kind is Kind.TREND


def value_millionths(text: pl.Expr) -> pl.Expr:
    """A plain number's text (``-?digits(.digits)?``) in millionths; null past six decimals or 10**12."""
    import polars as pl

    # The digits without the point, times ten to the decimals missing to six: integers throughout
    # (splitting the text at the point and padding the fraction took three times as long).
    size = text.str.len_bytes()
    point = text.str.find(".", literal=True)
    decimals = (size - point - 1).fill_null(0)
    whole = point.fill_null(size) - text.str.starts_with("-").cast(pl.Int64)
    digits = text.str.replace(".", "", literal=True).cast(pl.Int64, strict=False)
    scale = (6 - decimals).clip(0, 6).replace_strict(
        list(range(7)), [10**power for power in range(7)], return_dtype=pl.Int64
    )
    return pl.when((decimals <= 6) & (whole <= 12)).then(digits * scale)


class ColumnJudge:
    """The judge of ``targets`` for every region of ``regions``, a run of regions at a time.

    ``rows``: region_key, indicator_key (categories), year, value (text) of years up to ``year``
    (the columnar engine's reduced rows: every value the judge can look at). They are numbered once
    by region and target (``group``) and sorted, so that a run of regions is a slice.
    """

    def __init__(
        self, rows: pl.DataFrame, regions: Sequence[str], targets: Sequence[ColumnTarget], year: int
    ) -> None:
        import polars as pl

        self.year = year
        self.width = width = len(targets)
        self.table = table = _targets_table(targets).with_columns(
            column=pl.int_range(pl.len(), dtype=pl.Int64)
        )
        # Joined on the categories' codes: no label is written out as text for every row.
        region_codes = pl.DataFrame({
            "region_code": pl.Series(list(regions), dtype=pl.Categorical).to_physical(),
            "region_index": pl.Series(range(len(regions)), dtype=pl.Int64),
        })
        indicator_codes = table.filter(pl.col("indicator_key").is_not_null()).select(
            "column", "due", "baseline_year",
            indicator_code=pl.col("indicator_key").cast(pl.Categorical).to_physical(),
        )
        y, group = pl.col("year"), pl.col("group")
        # Only the rows the judge can look at (as columnar._reduced, on one number per series): the
        # due and baseline years, the first and last year, the first year after the baseline year.
        keep = (
            (y == pl.col("due")) | (y == pl.col("baseline_year")).fill_null(False)
            | (y == y.min().over(group)) | (y == y.max().over(group))
            | (y == pl.when(y > pl.col("baseline_year")).then(y).min().over(group)).fill_null(False)
        )
        self.observed = (
            rows.lazy()
            .select(
                "value",
                pl.col("year").cast(pl.Int64),
                region_code=pl.col("region_key").to_physical(),
                indicator_code=pl.col("indicator_key").to_physical(),
            )
            .join(indicator_codes.lazy(), on="indicator_code", how="inner")
            .join(region_codes.lazy(), on="region_code", how="inner")
            .select(
                "year", "value", "due", "baseline_year",
                group=pl.col("region_index") * width + pl.col("column"),
            )
            .filter(keep)
            .select(
                "group", "year", "due", "baseline_year",
                vf=pl.col("value").cast(pl.Float64),
                v6=value_millionths(pl.col("value")),
            )
            .sort("group")
            .collect()
        )

    def judge(self, first: int, end: int) -> pl.DataFrame:
        """One row per region ``first`` to ``end - 1`` and target, in that order: the judged figures.

        Columns: region_index, plan_index, target_index, status, early, baseline_year/baseline6,
        latest_year/latest6 (null: not shown), gap6, the floats attainment … projection, method,
        notes (codes, comma-separated) and fallback (the engine must judge this row).
        """
        import polars as pl

        groups = self.observed["group"]
        low, high = (int(groups.search_sorted(index * self.width, side="left")) for index in (first, end))
        grid = pl.DataFrame(
            {"region_index": list(range(first, end))}, schema={"region_index": pl.Int64}
        ).join(self.table, how="cross").with_columns(
            group=pl.col("region_index") * self.width + pl.col("column")
        )
        found = _points(self.observed.slice(low, high - low).lazy(), self.year)
        return _judged(grid.lazy().join(found, on="group", how="left"), self.year)


def _targets_table(targets: Sequence[ColumnTarget]) -> pl.DataFrame:
    import polars as pl

    columns: dict[str, list[object]] = {name: [] for name in (
        "plan_index", "target_index", "indicator_key", "kind", "d", "due", "baseline_year", "target6",
        "target_f", "strong6", "required", "ahead", "on_track", "accelerate", "behind",
    )}
    for one in targets:
        target, plan = one.target, one.plan
        increase = target.direction is Direction.INCREASE
        value, strong = target.value, None
        if target.kind is Kind.RANGE:
            value, strong = (target.min, target.max) if increase else (target.max, target.min)
        required = None
        if target.kind is Kind.GROWTH:
            assert target.rate is not None
            required = float(target.rate) if increase else -abs(float(target.rate))
        thresholds = plan.thresholds
        for name, cell in (
            ("plan_index", one.plan_index), ("target_index", one.target_index),
            ("indicator_key", one.indicator_key), ("kind", target.kind.value),
            ("d", float(int(target.direction))), ("due", target.year),
            ("baseline_year", plan.baseline_year), ("target6", scaled(value)),
            ("target_f", float(value) if value is not None else None), ("strong6", scaled(strong)),
            ("required", required), ("ahead", thresholds.ahead), ("on_track", thresholds.on_track),
            ("accelerate", thresholds.accelerate), ("behind", thresholds.behind),
        ):
            columns[name].append(cell)
    schema = {
        "plan_index": pl.Int64, "target_index": pl.Int64, "indicator_key": pl.String, "kind": pl.String,
        "d": pl.Float64, "due": pl.Int64, "baseline_year": pl.Int64, "target6": pl.Int64,
        "target_f": pl.Float64, "strong6": pl.Int64, "required": pl.Float64, "ahead": pl.Float64,
        "on_track": pl.Float64, "accelerate": pl.Float64, "behind": pl.Float64,
    }
    return pl.DataFrame(columns, schema=schema)


def _points(observed: pl.LazyFrame, year: int) -> pl.LazyFrame:
    """Per region and target (``group``): the judged point (engine._judged_point) and the baseline
    (engine._select_baseline), with their values. Only plain aggregations: they run on the columns."""
    import polars as pl

    y, due, by = pl.col("year"), pl.col("due"), pl.col("baseline_year")
    first = observed.group_by("group").agg(
        last=y.max(), has_due=(y == due).any(), has_by=(y == by).fill_null(False).any()
    )
    dues = observed.group_by("group").agg(due=due.first(), by=by.first())
    first = first.join(dues, on="group").with_columns(
        t=pl.when((year >= pl.col("due")) & pl.col("has_due")).then(pl.col("due")).otherwise(pl.col("last")),
        on_latest=(year >= pl.col("due")) & ~pl.col("has_due"),
    )
    at = pl.col("t")
    second = (
        observed.join(first.select("group", "t"), on="group")
        .with_columns(
            earliest=pl.when(y < at).then(y),
            after=pl.when((y < at) & (y > by)).then(y),
        )
        .group_by("group")
        .agg(pl.col("earliest").min(), pl.col("after").min())
    )
    points = first.join(second, on="group").select(
        "group", "t", "on_latest",
        y0=pl.when(pl.col("has_by")).then(pl.col("by")).otherwise(pl.coalesce("after", "earliest")),
        from_earliest=~pl.col("has_by") & pl.coalesce("after", "earliest").is_not_null(),
    )
    values = observed.select("group", "year", "vf", "v6")
    return points.join(values, left_on=["group", "t"], right_on=["group", "year"], how="left").join(
        values.rename({"vf": "v0f", "v6": "v06"}), left_on=["group", "y0"], right_on=["group", "year"],
        how="left",
    )


def _cagr(start: pl.Expr, end: pl.Expr, years: pl.Expr) -> pl.Expr:
    """engine._cagr: pow(end / start, 1 / years) - 1."""
    import polars as pl

    return (end / start).pow(1.0 / years.cast(pl.Float64)) - 1.0


def _band(ratio: pl.Expr) -> pl.Expr:
    """engine._band on the plan's thresholds (the edges compared as they are; see _near_band)."""
    import polars as pl

    return (
        pl.when(ratio >= pl.col("ahead")).then(pl.lit(Status.AHEAD.value))
        .when(ratio >= pl.col("on_track")).then(pl.lit(Status.ON_TRACK.value))
        .when(ratio >= pl.col("accelerate")).then(pl.lit(Status.ACCELERATE.value))
        .when(ratio >= pl.col("behind")).then(pl.lit(Status.BEHIND.value))
        .otherwise(pl.lit(Status.REGRESSING.value))
    )


def _near(value: pl.Expr, edges: Sequence[pl.Expr | float]) -> pl.Expr:
    import polars as pl

    near = pl.lit(False)
    for edge in edges:
        near = near | ((value - edge).abs() < _EDGE)
    return near.fill_null(False)


def half_up_millionths(value: pl.Expr) -> pl.Expr:
    """``value`` half up to six decimals, in millionths (util.rounding.half_up on the float's repr);
    null where the float is near a half (the repr alone decides there) or too big."""
    import polars as pl

    size = value.abs() * float(MILLION)
    floor = size.floor()
    rest = size - floor
    unsure = (rest - 0.5).abs() < (_HALF + size * _HALF_RELATIVE)
    rounded = (floor + pl.when(rest >= 0.5).then(1.0).otherwise(0.0)).cast(pl.Int64, strict=False)
    signed = pl.when(value < 0).then(-rounded).otherwise(rounded)
    return pl.when(~unsure & (size < 1e17)).then(signed)


def _either(condition: pl.Expr, yes: Status, no: Status) -> pl.Expr:
    import polars as pl

    return pl.when(condition).then(pl.lit(yes.value)).otherwise(pl.lit(no.value))


def _note(code: str, when: pl.Expr) -> pl.Expr:
    import polars as pl

    return pl.when(when).then(pl.lit(code))


def _judged(grid: pl.LazyFrame, year: int) -> pl.DataFrame:
    import polars as pl

    kind, d, due = pl.col("kind"), pl.col("d"), pl.col("due")
    t, y0, vf, v0f, v6, v06 = (pl.col(name) for name in ("t", "y0", "vf", "v0f", "v6", "v06"))
    target6, target_f, strong6 = pl.col("target6"), pl.col("target_f"), pl.col("strong6")
    frame = grid

    def keep(**columns: pl.Expr) -> list[pl.Expr]:
        """Computed once, as a column: the expressions below use each many times."""
        nonlocal frame
        frame = frame.with_columns(**columns)
        return [pl.col(name) for name in columns]

    di = d.cast(pl.Int64)
    has_data, has_base = keep(has_data=t.is_not_null(), has_base=y0.is_not_null())
    (single,) = keep(single=has_base & (t <= y0))
    quantified, rated_kind = keep(quantified=has_data & ~single, rated_kind=kind.is_in(["growth", "trend"]))
    level_kind = ~rated_kind
    # The values judged must be exact in millionths (a plain number of at most six decimals).
    inexact = (has_data & v6.is_null()) | (has_base & v06.is_null())

    # Level and range (engine._judge_value, _figures, _assess_range).
    (figures,) = keep(figures=has_base & (t > y0) & (due > y0))
    (cagr,) = keep(cagr=figures & (v0f > 0) & (target_f > 0) & (vf >= 0))
    linear = figures & ~cagr
    slope, needed, required_level, actual = keep(
        slope=(vf - v0f) / (t - y0).cast(pl.Float64),
        needed=(target_f - v0f) / (due - y0).cast(pl.Float64),
        required_level=_cagr(v0f, target_f, due - y0),
        actual=_cagr(v0f, vf, t - y0),
    )
    (level_ratio,) = keep(level_ratio=
        pl.when(cagr & (required_level != 0)).then(d * actual / required_level.abs())
        .when(linear & (needed != 0)).then(d * slope / needed.abs())
    )
    floor, reached = keep(floor=has_base & (di * (v06 - target6) >= 0), reached=di * (v6 - target6) >= 0)
    level_status = (
        pl.when(~has_data).then(pl.lit(Status.NO_DATA.value))
        .when(single).then(pl.lit(Status.INSUFFICIENT_DATA.value))
        .when(reached).then(pl.lit(Status.ACHIEVED.value))
        .when(pl.lit(year) >= due).then(pl.lit(Status.MISSED.value))
        .when(~has_base).then(pl.lit(Status.INSUFFICIENT_DATA.value))
        .when(floor).then(pl.lit(Status.REGRESSING.value))
        .when(level_ratio.is_null()).then(pl.lit(Status.INSUFFICIENT_DATA.value))
        .otherwise(_band(level_ratio))
    )
    before_due = pl.lit(year) < due
    level_banded = quantified & ~reached & before_due & has_base & ~floor & level_ratio.is_not_null()
    two_bounds = (kind == "range") & strong6.is_not_null()
    beyond = two_bounds & (di * (v6 - strong6) > 0)
    inside = two_bounds & ~beyond & reached
    level_gap = (
        pl.when(beyond).then(di * (strong6 - v6)).when(inside).then(pl.lit(0, dtype=pl.Int64))
        .otherwise(di * (target6 - v6))
    )
    attainment = (
        pl.when(two_bounds).then(None)
        .when((d > 0) & (target6 > 0)).then(vf / target_f)
        .when((d < 0) & (v6 > 0)).then(target_f / vf)
    )

    # Growth and trend (engine._rate_start, _assess_growth, _assess_trend).
    (nonpositive,) = keep(nonpositive=has_base & (v06 <= 0) | (v6 < 0))
    (rated,) = keep(rated=quantified & has_base & ~nonpositive)
    required = pl.col("required")
    (implied6,) = keep(implied6=pl.when(rated & (kind == "growth")).then(
        half_up_millionths(v0f * (1.0 + required).pow((due - y0).cast(pl.Float64)))
    ))
    implied_f = implied6.cast(pl.Float64) / float(MILLION)
    growth_ratio, pace = keep(
        growth_ratio=pl.when(required != 0).then(d * actual / required.abs()), pace=d * (actual - required)
    )
    settled_met = pace >= 0
    growth_status = (
        pl.when(pl.lit(year) >= due)
        .then(_either(settled_met, Status.ACHIEVED, Status.MISSED))
        .when(growth_ratio.is_null())
        .then(_either(d * actual >= 0, Status.AHEAD, Status.REGRESSING))
        .otherwise(_band(growth_ratio))
    )
    trend_status = (
        pl.when((d * actual).is_null()).then(None)
        .when(d * actual >= TREND_ON_TRACK).then(pl.lit(Status.ON_TRACK.value))
        .when(d * actual >= TREND_ACCELERATE).then(pl.lit(Status.ACCELERATE.value))
        .when(d * actual >= TREND_BEHIND).then(pl.lit(Status.BEHIND.value))
        .otherwise(pl.lit(Status.REGRESSING.value))
    )
    (rate_gap6,) = keep(rate_gap6=pl.when(rated & (kind == "growth")).then(
        half_up_millionths(d * (required - actual) * 100.0)
    ))
    growth_gap6 = pl.when(settled_met & (rate_gap6 > 0)).then(pl.lit(0, dtype=pl.Int64)).otherwise(rate_gap6)
    rated_status = (
        pl.when(~has_data).then(pl.lit(Status.NO_DATA.value))
        .when(~rated).then(pl.lit(Status.INSUFFICIENT_DATA.value))
        .when(kind == "growth").then(growth_status)
        .otherwise(trend_status)
    )
    rate_figures = rated & (due > y0)
    growth_cagr = rate_figures & (v0f > 0) & (implied_f > 0) & (vf >= 0)

    (status,) = keep(status=pl.when(level_kind).then(level_status).otherwise(rated_status))
    edges = [pl.col(name) for name in ("ahead", "on_track", "accelerate", "behind")]
    near_edge = (
        (level_kind & level_banded & _near(level_ratio, edges))
        | ((kind == "growth") & rated & (
            (pl.lit(year) >= due) & _near(pace, [0.0])
            | (pl.lit(year) < due) & growth_ratio.is_not_null()
            & _near(growth_ratio, edges)
            | (pl.lit(year) < due) & growth_ratio.is_null() & _near(d * actual, [0.0])
            | _near(pace, [0.0]) | implied6.is_null() | rate_gap6.is_null()
        ))
        | ((kind == "trend") & rated & _near(d * actual, [TREND_ON_TRACK, TREND_ACCELERATE, TREND_BEHIND]))
    )
    shown_latest = quantified  # the baseline's own value (single) is never shown as the latest
    latest_year = pl.when(shown_latest).then(t)
    base_shown = has_data & has_base
    time_share = (t - y0).cast(pl.Float64) / (due - y0).cast(pl.Float64)
    floats = {
        "attainment": pl.when(level_kind & quantified).then(attainment),
        "progress_share": pl.when(level_kind & figures & (d * (target_f - v0f) > 0))
        .then((vf - v0f) / (target_f - v0f)),
        "time_share": pl.when((level_kind & figures) | rate_figures).then(time_share),
        "required_cagr": pl.when(level_kind & cagr).then(required_level)
        .when(kind == "growth").then(required),
        "actual_cagr": pl.when((level_kind & cagr) | rated).then(actual),
        "remaining_cagr": pl.when(level_kind & cagr & (t < due) & (vf > 0)).then(_cagr(vf, target_f, due - t))
        .when((kind == "growth") & growth_cagr & (t < due) & (vf > 0)).then(_cagr(vf, implied_f, due - t)),
        "ratio": pl.when(level_kind & quantified).then(level_ratio)
        .when((kind == "growth") & rated).then(growth_ratio),
        "projection": pl.when(level_kind & cagr & (t < due))
        .then(vf * (1.0 + actual).pow((due - t).cast(pl.Float64)))
        .when(level_kind & linear & (t < due)).then(vf + slope * (due - t).cast(pl.Float64))
        .when((kind == "growth") & growth_cagr & (t < due))
        .then(vf * (1.0 + actual).pow((due - t).cast(pl.Float64)))
        .when((kind == "growth") & rate_figures & (t < due)).then(vf + slope * (due - t).cast(pl.Float64)),
    }
    method = (
        pl.when(level_kind & cagr).then(pl.lit("cagr")).when(level_kind & linear).then(pl.lit("linear"))
        .when(rated).then(pl.lit("cagr"))
    )
    gap6 = pl.when(level_kind & quantified).then(level_gap).when((kind == "growth") & rated).then(growth_gap6)
    final = has_data & pl.col("on_latest") & (
        (level_kind & quantified) | ((kind == "growth") & rated & (pl.lit(year) >= due))
    )
    notes = pl.concat_str(
        [
            _note(BASELINE_FROM_EARLIEST, has_data & pl.col("from_earliest")),
            _note(SINGLE_OBSERVATION, single),
            _note(BASELINE_MISSING, rated_kind & has_data & ~has_base),
            _note(NONPOSITIVE_VALUES, rated_kind & has_data & ~single & has_base & nonpositive),
            _note(LINEAR, level_kind & linear),
            _note(FLOOR_TO_HOLD, level_kind & quantified & floor),
            _note(BASELINE_MISSING, level_kind & quantified & ~reached & (pl.lit(year) < due) & ~has_base),
            _note(IMPLIED_TARGET, (kind == "growth") & rated),
            pl.when(final).then(
                pl.when(status == Status.MISSED.value).then(pl.lit(MISSED_ON_LATEST))
                .otherwise(pl.lit(ACHIEVED_ON_LATEST))
            ),
            _note(ABOVE_RANGE, beyond & (d > 0) & (status == Status.ACHIEVED.value)),
            _note(BELOW_RANGE, beyond & (d < 0) & (status == Status.ACHIEVED.value)),
        ],
        separator=",",
        ignore_nulls=True,
    )
    latest6 = pl.when(shown_latest).then(v6)
    return frame.select(
        "region_index",
        "plan_index",
        "target_index",
        status=status,
        early=(status == Status.ACHIEVED.value) & shown_latest & (t < due),
        baseline_year=pl.when(base_shown).then(y0),
        baseline6=pl.when(base_shown).then(v06),
        latest_year=latest_year,
        latest6=latest6,
        gap6=gap6,
        **floats,
        method=method,
        notes=notes,
        fallback=(inexact | near_edge).fill_null(False),
    ).sort("region_index", "plan_index", "target_index").collect()
