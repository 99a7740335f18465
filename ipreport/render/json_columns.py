"""The JSON lines of ``JsonPlanWriter`` built as polars string expressions, from judged columns.

Each target's line is the text ``JsonPlanWriter.row_line`` writes. Numbers are written only where
the text is provably the same: a decimal in millionths with at most 15 significant digits and not
below 1e-4 (its float's shortest repr has the same digits), a float half up to six decimals when it
is not near a half (see ``assessment.columnar_judge.half_up_millionths``) and between 1e-4 and
1e8. Anything else gives a null line: the caller writes that row the Python way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ipreport.model import Status, Target
from ipreport.render.exports import _ENCODE, _decimal_text, _pairs, _target_parts
from ipreport.render.labels import status_label

if TYPE_CHECKING:
    import polars as pl

MILLION = 1_000_000
FLOAT_FIELDS = (
    "attainment", "progress_share", "time_share", "required_cagr", "actual_cagr", "remaining_cagr",
    "ratio", "projection",
)
# The float's relative error this renderer allows for (the judge's division is not Decimal's).
_HALF = 1e-6
_HALF_RELATIVE = 1e-14


def decimal_text(millionths: pl.Expr) -> pl.Expr:
    """``_decimal_text`` of the decimal ``millionths`` / 10**6; null where it may differ."""
    import polars as pl

    size = millionths.abs()
    whole, fraction = size // MILLION, size % MILLION
    sign = pl.when(millionths < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    decimal = pl.concat_str(
        [sign, whole.cast(pl.String), pl.lit("."),
         fraction.cast(pl.String).str.zfill(6).str.strip_chars_end("0")]
    )
    return (
        pl.when(fraction == 0).then((millionths // MILLION).cast(pl.String))
        .when(_fifteen_digits(size)).then(decimal)
    )


def decimal_writable(millionths: pl.Expr) -> pl.Expr:
    """Whether ``decimal_text`` writes ``millionths`` (null where it is null), without writing it."""
    size = millionths.abs()
    return (size % MILLION == 0) | _fifteen_digits(size)


def _fifteen_digits(size: pl.Expr) -> pl.Expr:
    """At least 100 millionths and at most 15 significant digits: below 10**15 once its trailing
    zeros are dropped (an Int64 has at most 19 digits: at most four to drop), in integers rather
    than in the digits' text."""
    fifteen = size < 10**15
    for zeros in range(1, 5):
        fifteen = fifteen | ((size % 10**zeros == 0) & (size < 10 ** (15 + zeros)))
    return (size >= 100) & fifteen


def _ratio_rounded(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Whether ``_ratio_text`` of a float column can be written here (null, 0, or between 1e-4 and
    1e8 and not near a half), and the value half up in millionths."""
    import polars as pl

    size = value.abs() * float(MILLION)
    floor = size.floor()
    rest = size - floor
    unsure = (rest - 0.5).abs() < (_HALF + size * _HALF_RELATIVE)
    rounded = (floor + pl.when(rest >= 0.5).then(1.0).otherwise(0.0)).cast(pl.Int64, strict=False)
    within = (size >= 100.0 * (1 + 1e-9)) & (size < 1e14 * (1 - 1e-9)) & ~unsure
    writable = (value.is_null() | (value == 0) | within).fill_null(False)
    return writable, rounded


def ratio_text(value: pl.Expr) -> pl.Expr:
    """``_ratio_text`` of a float column ("null" for null); null where it may differ."""
    import polars as pl

    writable, rounded = _ratio_rounded(value)
    # The float nearest the rounded decimal (of at most 15 digits, written is between 1e-4 and 1e8):
    # its shortest repr is the decimal's digits, which polars writes as Python does in that range,
    # without exponent and with ".0" for a whole number. One cast, where building the digits took
    # half the time of every line.
    # polars divides by a number as a multiplication by its reciprocal, which is not the division
    # (391 * 1e-6 is 0.00039099999999999996): the divisor is a column, so that each is divided.
    million = (rounded * 0 + MILLION).cast(pl.Float64)
    size = rounded.cast(pl.Float64) / million
    text = pl.when(value < 0).then(-size).otherwise(size).cast(pl.String)
    return (
        pl.when(value.is_null()).then(pl.lit("null"))
        .when(value == 0).then(pl.lit("0.0"))
        .when(writable).then(text)
    )


def _point(year: pl.Expr, millionths: pl.Expr) -> pl.Expr:
    import polars as pl

    text = pl.concat_str([pl.lit('{"year": '), year.cast(pl.String), pl.lit(', "value": '),
                          decimal_text(millionths), pl.lit("}")])
    return pl.when(year.is_null()).then(pl.lit("null")).otherwise(text)


def json_lines(judged: pl.DataFrame, targets: Mapping[tuple[int, int], Target], lang: str) -> pl.Series:
    """The line of every row of ``judged`` (``columnar_judge.judge_columns``), null where the
    Python writer must write it (or the row is marked ``fallback``)."""
    constants, line = line_expression(targets, lang)
    joined = judged.join(constants, on=["plan_index", "target_index"], how="left", maintain_order="left")
    return joined.select(line=line)["line"]


def line_expression(targets: Mapping[tuple[int, int], Target], lang: str) -> tuple[pl.DataFrame, pl.Expr]:
    """What ``json_lines`` writes: a table of each target's constant texts (by plan_index and
    target_index) to join to the judged rows, and the expression of the line on the joined rows."""
    import polars as pl

    keys = list(targets)
    constants = pl.DataFrame(
        {
            "plan_index": [plan for plan, _ in keys],
            "target_index": [index for _, index in keys],
            "before": [f"        {{{_target_parts(targets[key])[0]}, " for key in keys],
            "middle": [_middle(targets[key]) for key in keys],
            "after": [_after(targets[key]) for key in keys],
        },
        schema={"plan_index": pl.Int64, "target_index": pl.Int64, "before": pl.String,
                "middle": pl.String, "after": pl.String},
    )
    statuses = [(status.value, early) for status in Status for early in (False, True)]
    status_keys = [f"{value}|{early}" for value, early in statuses]
    status_texts = [
        _pairs({"status": value, "status_label": status_label(Status(value), lang, early=early)})
        for value, early in statuses
    ]
    early = pl.col("early").cast(pl.String).str.to_titlecase()  # True, False: as the keys say them
    status = pl.concat_str([pl.col("status"), pl.lit("|"), early])
    notes = pl.col("notes")
    parts = [
        pl.col("before"), status.replace_strict(status_keys, status_texts), pl.lit(", "), pl.col("middle"),
        pl.lit(', "baseline": '), _point(pl.col("baseline_year"), pl.col("baseline6")),
        pl.lit(', "latest": '), _point(pl.col("latest_year"), pl.col("latest6")),
        pl.lit(', "gap": '), pl.when(pl.col("gap6").is_null()).then(pl.lit("null"))
        .otherwise(decimal_text(pl.col("gap6"))),
    ]
    for name in FLOAT_FIELDS:
        parts += [pl.lit(f', "{name}": '), ratio_text(pl.col(name))]
    parts += [
        pl.lit(', "method": '),
        pl.when(pl.col("method").is_null()).then(pl.lit("null"))
        .otherwise(pl.concat_str([pl.lit('"'), pl.col("method"), pl.lit('"')])),
        pl.lit(", "), pl.col("after"),
        pl.when(notes == "").then(pl.lit(""))
        .otherwise(pl.concat_str([
            pl.lit('"'), notes.str.replace_all(",", '", "', literal=True), pl.lit('"')])),
        pl.lit("]}"),
    ]
    return constants, pl.when(~pl.col("fallback")).then(pl.concat_str(parts))


def unwritten(judged: pl.DataFrame) -> pl.Series:
    """Which rows of ``judged`` ``json_lines`` leaves null (for the Python writer), without writing
    the lines: so that the rows of each status are counted before any line is written."""
    import polars as pl

    points = [
        pl.col(year).is_not_null() & ~decimal_writable(pl.col(value)).fill_null(False)
        for year, value in (("baseline_year", "baseline6"), ("latest_year", "latest6"))
    ]
    gap = pl.col("gap6").is_not_null() & ~decimal_writable(pl.col("gap6"))
    floats = [_ratio_rounded(pl.col(name))[0].not_() for name in FLOAT_FIELDS]
    return judged.select(
        unwritten=pl.col("fallback") | pl.any_horizontal([*points, gap, *floats]).fill_null(True)
    )["unwritten"]


def _middle(target: Target) -> str:
    """From "interim" to the limits: the same in every region."""
    from ipreport.model import Direction, Kind

    value = target.value
    if target.kind is Kind.RANGE:
        increase = target.direction is Direction.INCREASE
        value = target.min if increase else target.max
    elif target.kind in (Kind.GROWTH, Kind.TREND):
        value = None
    limits = _target_parts(target)[1]
    value_text = _decimal_text(value)
    return f'"interim": false, "target_value": {value_text}, "target_year": {target.year!r}, {limits}'


def _after(target: Target) -> str:
    """From the deadline to the opening of "notes": the same in every region."""
    _, _, schedule, responsible = _target_parts(target)
    empty = _ENCODE(None)
    return f'{schedule}, "task_state": {empty}, "completed": {empty}, {responsible}, "notes": ['
