"""What each chart of the report shows, as plain data: the Word report draws it as a native chart.

The PNG charts of Markdown and HTML (charts.py) and the Word charts (word_charts.py) show the same
charts, in the same order, under the same keys: "attainment" and "trend:<plan_id>:<target_id>".
Nothing here needs matplotlib or a font: Word and LibreOffice draw a native chart themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ipreport.model import Assessment, Kind, TargetAssessment
from ipreport.render.formatting import MINUS, decimals_of, format_attainment
from ipreport.render.report.charts import (
    ATTAINMENT_WIDTH_MM,
    CLIP_PERCENT,
    STATUS_COLORS,
    TREND_HEIGHT_MM,
    TREND_WIDTH_MM,
    _as_observed,
    _attainment_height_mm,
    _plain,
    _row_label,
    _tick_step,
    chart_rows,
    chartable,
    has_trend,
    legend_entries,
)
from ipreport.render.report.numerals import attainment_text, percent_format_code

TARGET_COLOR = "#424242"  # the target's dashed line, as on the PNG charts


@dataclass(frozen=True)
class Series:
    """One column of the chart's data: a name (the column heading in "Edit Data"), a value per category."""

    name: str
    values: tuple[float | None, ...]
    color: str  # "#RRGGBB"
    dashed: bool = False  # the target: a dashed outline (bars) or a dashed line (lines)
    labels: bool = True  # values printed at the points
    # For a line: the one point that carries a marker and a note (the target at its year), and the note.
    marked: int | None = None
    note: str = ""
    # Per point, the number format of its label (None: the chart's), so that each label reads as the
    # table's cell for that point: "177%" beside "152.6%", which one format for all cannot write.
    label_formats: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class ChartSpec:
    """A chart as data: "bar" (horizontal bars of attainment) or "line" (a trend over years)."""

    kind: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    number_format: str  # Excel's format code for the values and their labels
    width_mm: float
    height_mm: float
    axis_max: float | None = None
    axis_step: float | None = None
    axis_title: str = ""
    legend: bool = False


def shown_attainment(row: TargetAssessment) -> Decimal:
    """The attainment as the report's tables print it (152.6% -> 1.526), the number a bar is drawn to."""
    text = format_attainment(row.attainment).rstrip("%").replace(MINUS, "-")
    return Decimal(text) / 100


def attainment_spec(rows: Sequence[TargetAssessment], lang: str = "zh") -> ChartSpec:
    """Horizontal bars of attainment, one series per status colour so the legend names the statuses.

    A row's bar sits in the series of its colour; the other series are blank on its line, and the
    series overlap fully, so each line shows one bar. "目标 100%" is a dashed outline to 100 % on
    every line: the caption's dashed line.
    """
    drawn = chartable(rows)
    if not drawn:
        raise ValueError("no quantified target with an attainment to chart")
    names = [row.target.name for row in drawn]
    categories = tuple(_row_label(row, lang, names.count(row.target.name) > 1) for row in drawn)
    shown = [shown_attainment(row) for row in drawn]
    formats = [percent_format_code(attainment_text(row.attainment, lang)) for row in drawn]
    series = []
    for label, color in legend_entries(drawn, lang):
        mine = [STATUS_COLORS[row.status] == color for row in drawn]
        values = tuple(float(value) if own else None for own, value in zip(mine, shown, strict=True))
        own_formats = tuple(code if own else None for own, code in zip(mine, formats, strict=True))
        series.append(Series(label, values, color, label_formats=own_formats))
    target = "目标 100%" if lang == "zh" else "target 100%"
    series.append(Series(target, tuple(1.0 for _ in drawn), TARGET_COLOR, dashed=True, labels=False))
    reach = max(100.0, min(max(float(v) * 100 for v in shown), CLIP_PERCENT))
    limit = reach * 1.16  # room for the value printed after the longest bar
    decimals = max(1, max(decimals_of((v * 100).normalize()) for v in shown))
    return ChartSpec(
        kind="bar",
        title="",
        categories=categories,
        series=tuple(series),
        number_format="0." + "0" * decimals + "%",
        width_mm=ATTAINMENT_WIDTH_MM,
        height_mm=_attainment_height_mm(len(drawn))[0],
        axis_max=limit / 100,
        axis_step=_tick_step(min(limit, CLIP_PERCENT)) / 100,
        axis_title="完成率" if lang == "zh" else "Attainment",
        legend=True,
    )


def trend_spec(row: TargetAssessment, lang: str = "zh") -> ChartSpec:
    """The values over the years and the target in force: a dashed level (or, for a growth target,
    the path its yearly rate asks for) with a marker and a note at the target year."""
    if not has_trend(row):
        raise ValueError(f"target {row.target.id} has fewer than two values to chart")
    points = {p.year: p.value for p in sorted(row.series, key=lambda p: p.year)}
    first, last_seen = min(points), max(points)
    last = max(last_seen, row.target_year or last_seen)
    years = list(range(first, last + 1))
    actual = Series(
        "实际值" if lang == "zh" else "Actual",
        tuple(float(points[y]) if y in points else None for y in years),
        STATUS_COLORS[row.status],
    )
    series = [actual]
    target = _target_series(row, years, lang)
    if target is not None:
        series.append(target)
    stated = list(points.values())
    decimals = min(4, max(decimals_of(v.normalize()) for v in stated))
    big = any(abs(v) >= 10000 for v in stated)
    number_format = ("#,##0" if big else "0") + ("." + "0" * decimals if decimals else "")
    unit = row.target.unit
    title = row.target.name + ((f"（{unit}）" if lang == "zh" else f" ({unit})") if unit else "")
    return ChartSpec(
        kind="line",
        title=title,
        categories=tuple(str(y) for y in years),
        series=tuple(series),
        number_format=number_format,
        width_mm=TREND_WIDTH_MM,
        height_mm=TREND_HEIGHT_MM,
    )


def _target_series(row: TargetAssessment, years: list[int], lang: str) -> Series | None:
    target = row.target
    name = "目标" if lang == "zh" else "Target"
    year = row.target_year
    if year not in years:
        return None
    at = years.index(year)
    value = row.target_value
    if target.kind is Kind.GROWTH and value is None:
        rate, start = target.rate, row.baseline
        if rate is None or start is None or year <= start.year or start.year not in years:
            return None
        path = tuple(
            # Six decimals: the chart XML and the workbook would write the float's tail apart.
            round(float(start.value) * (1 + float(rate)) ** (y - start.year), 6)
            if start.year <= y <= year
            else None
            for y in years
        )
        percent = _plain(rate * 100)
        note = (
            f"目标 年均增长{percent}%（{year}年）" if lang == "zh" else f"target +{percent}% a year ({year})"
        )
        return Series(name, path, TARGET_COLOR, dashed=True, labels=False, marked=at, note=note)
    if value is None:
        return None
    shown = _plain(_as_observed(value, row))
    if target.kind is Kind.RANGE and target.min is not None and target.max is not None:
        shown = f"{_plain(target.min)}–{_plain(target.max)}"
    note = f"目标 {shown}（{year}年）" if lang == "zh" else f"target {shown} ({year})"
    level = float(value)
    levels = tuple(level for _ in years)
    return Series(name, levels, TARGET_COLOR, dashed=True, labels=False, marked=at, note=note)


def chart_specs(assessment: Assessment, *, lang: str = "zh") -> dict[str, ChartSpec]:
    """Every chart of the report as data, under the keys render_charts gives its PNGs."""
    specs: dict[str, ChartSpec] = {}
    for key, rows in chart_rows(assessment):
        if isinstance(rows, list):
            specs[key] = attainment_spec(rows, lang)
        else:
            specs[key] = trend_spec(rows, lang)
    return specs
