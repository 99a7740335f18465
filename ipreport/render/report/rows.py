"""One target's row of the report context: its dict of ready-formatted numbers, units and texts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ipreport.model import Direction, Kind, Note, Point, Status, TargetAssessment
from ipreport.render.formatting import (
    DASH,
    MINUS,
    decimals_of,
    format_date,
    format_number,
    format_rate,
    format_ratio,
)
from ipreport.render.labels import status_label
from ipreport.render.report.numerals import (
    amount,
    as_at,
    attainment_text,
    change_on_last_year,
    measure,
    percent,
    value_range,
)
from ipreport.render.report.palette import STATUS_TINTS
from ipreport.render.report.wording import insufficient_reason, note_text, rate_arg
from ipreport.render.table import gap_decimals
from ipreport.util.rounding import as_decimal, distinct, half_up

MAX_DECIMALS = 4
# A growth target's gap: percentage points of yearly growth, to the two decimals rates are shown with.
RATE_GAP_DECIMALS = 2


def status_color(status: Status) -> str:
    """The "#RRGGBB" shading of a status cell: the chart colour's pale tint, so tables and charts agree."""
    return STATUS_TINTS[status]


def _decimals(values: Iterable[Decimal | None]) -> int:
    """The decimals a row prints with: the most any of its stated values was written with."""
    found = [decimals_of(v.normalize()) for v in values if v is not None]
    return min(max(found, default=0), MAX_DECIMALS)


def _unit_word(name: str, unit: str) -> str:
    """The unit a sentence uses: "每万人口…拥有量 6.41件", not "6.41件/万人"."""
    if "/" in unit and name.startswith("每"):
        return unit.split("/")[0]
    return unit


def _written_decimals(value: Decimal) -> int:
    """The decimals a statistic was written with: 4.20 keeps its 2, as the statistics file has it."""
    return min(decimals_of(value), MAX_DECIMALS)


def _plan_decimals(value: Decimal) -> int:
    """The decimals of a plan's own figure: 4.2 -> 1, 50 -> 0 (a TOML float adds no precision)."""
    return min(decimals_of(value.normalize()), MAX_DECIMALS)


def _as_written(value: Decimal | None) -> str:
    """A statistic in its own precision, with format_number's one rule for thousands separators."""
    return format_number(value, _written_decimals(value)) if value is not None else DASH


def _as_planned(value: Decimal | None) -> str:
    """A plan's figure in the plan's precision: "4.2", "50", "24,000"."""
    return format_number(value, _plan_decimals(value)) if value is not None else DASH


def _gap_decimals(ta: TargetAssessment, row_decimals: int) -> int:
    """A gap is target minus latest: the gap table's precision (gaptable.gap_decimals) in every output."""
    if ta.target.kind is not Kind.GROWTH and ta.latest is None:
        return row_decimals
    return gap_decimals(ta)


def _is_points(ta: TargetAssessment) -> bool:
    """Whether the row's gap is in percentage points: a % target's, and a growth target's (a rate gap)."""
    return ta.target.kind is Kind.GROWTH or _is_percent(ta.target.unit)


def _is_percent(unit: str) -> bool:
    return unit.strip() in ("%", "％")


def _gap_unit(unit: str, lang: str, *, table: bool = False) -> str:
    """A difference of two percentages is in percentage points, not per cent."""
    if not _is_percent(unit):
        return ""
    if lang == "en":
        return "pp" if table else "percentage points"
    return "个百分点"


def _point_text(point: Point | None, lang: str) -> str:
    if point is None:
        return DASH
    value = _as_written(point.value)
    return f"{value} ({point.year})" if lang == "en" else f"{value}（{point.year}年）"


def _target_text(ta: TargetAssessment, lang: str, unit: str | None = None) -> str:
    """The 目标值 cell: the value in force (an interim row's own value), as the plan writes it.

    ``unit``: "" for a table with a unit column of its own; by default the target's unit.
    """
    target = ta.target
    unit = target.unit if unit is None else unit
    if ta.interim and ta.target_value is not None and target.kind is not Kind.MILESTONE:
        # The row's name carries the interim year; the value is the one set for that year.
        text = _with_unit(_as_planned(ta.target_value), unit, lang)
        if target.direction is Direction.DECREASE:
            text = f"at most {text}" if lang == "en" else f"不高于{text}"
        return text
    if target.kind is Kind.GROWTH and target.rate is not None:
        text = _rate_goal(ta, lang)
    elif target.kind is Kind.RANGE:
        low = _as_planned(target.min) if target.min is not None else ""
        high = _as_planned(target.max) if target.max is not None else ""
        # Chinese writes a range with a wave dash: 3～5个.
        text = f"{low}–{high}" if lang == "en" else value_range(low, high, unit)
        if lang == "en" and unit:
            text = _with_unit(text, unit, lang)
    elif target.kind is Kind.TREND:
        down = target.direction is Direction.DECREASE
        words = ("steady decline", "稳步下降") if down else ("steady growth", "稳步增长")
        text = words[0] if lang == "en" else words[1]
    elif target.kind is Kind.MILESTONE:
        return _deadline_text(ta, lang)
    else:
        value = target.value if target.value is not None else ta.target_value
        if value is None:
            return DASH
        text = _with_unit(_as_planned(value), unit, lang)
        if target.direction is Direction.DECREASE:
            text = f"at most {text}" if lang == "en" else f"不高于{text}"
    if target.strive:
        text = f"{text} (stretch)" if lang == "en" else f"力争{text}"
    if target.approximate:
        text = f"about {text}" if lang == "en" else f"{text}左右"
    return text


def _rate_text(ta: TargetAssessment, lang: str) -> str:
    """A growth row's 最新值 cell: the yearly rate achieved up to the latest year ("" for other rows)."""
    if ta.target.kind is not Kind.GROWTH or ta.actual_cagr is None or ta.latest is None:
        return ""
    rate = format_rate(ta.actual_cagr, ta.required_cagr)
    return f"{rate} a year ({ta.latest.year})" if lang == "en" else f"年均{rate}（{ta.latest.year}年）"


def _note_decimals(note: Note, ta: TargetAssessment, decimals: int) -> int:
    """A note value's decimals: the row's, or for an implied level enough not to read as the latest value."""
    if note.code != "implied_target" or ta.latest is None:
        return decimals
    try:
        value = Decimal(dict(note.args)["value"])
    except (KeyError, ArithmeticError):
        return decimals
    return distinct(value, decimals, half_up(ta.latest.value, decimals))


def _actual_rate(ta: TargetAssessment) -> str:
    """The yearly rate achieved, to one decimal; a growth row's never reads as the required rate it misses."""
    required = ta.required_cagr if ta.target.kind is Kind.GROWTH else None
    return percent(ta.actual_cagr, 1, apart_from=None if required is None else as_decimal(required) * 100)


def _rate_goal(ta: TargetAssessment, lang: str) -> str:
    """A growth target's rate as a goal: "年均增长10%", "年均下降3%" (a decrease is worded as one)."""
    rate = rate_arg(str(ta.target.rate))
    if ta.target.direction is Direction.DECREASE:
        return f"a fall of {rate} a year" if lang == "en" else f"年均下降{rate}"
    return f"{rate} a year" if lang == "en" else f"年均增长{rate}"


def _abs_percent(value: float | None) -> str:
    return percent(None if value is None else abs(value), 1)


def _deadline_text(ta: TargetAssessment, lang: str) -> str:
    deadline = ta.target.deadline
    if deadline is None:
        if ta.target.ongoing or not ta.target.year:
            return "ongoing" if lang == "en" else "持续推进"
        deadline = dt.date(ta.target.year, 12, 31)
    return format_date(deadline, lang)



def target_row(ta: TargetAssessment, lang: str) -> dict[str, Any]:
    """One assessed target as the templates see it (docs/templates.md lists the keys)."""
    target = ta.target
    stated = (target.value, target.min, target.max)
    # Derived figures (a level a growth rate implies) print like the finest value they come from.
    decimals = _decimals((*stated, *(p.value for p in (ta.baseline, ta.latest) if p is not None)))
    early = ta.achieved_early
    late = ta.status is Status.DONE and any(note.code == "done_late" for note in ta.notes)
    gap = ta.gap
    gap_decimals = _gap_decimals(ta, decimals)
    # No gap needs no unit: "0", not "0个百分点".
    points_unit = "%" if _is_points(ta) else target.unit
    table_gap_unit = _gap_unit(points_unit, lang, table=True) if gap else ""
    target_value = ta.target_value
    if target.kind is Kind.GROWTH:
        # The level a rate implies is a derived figure: print it like the observed values.
        target_value_text = format_number(target_value, decimals)
    else:
        target_value_text = _as_planned(target_value)
    if gap is not None and gap > 0:
        # A shortfall never reads 0: as many decimals as show it.
        gap_decimals = distinct(gap, gap_decimals, Decimal(0))
    gap_number_text = format_number(gap, gap_decimals)
    notes = [note_text(n, lang, _note_decimals(n, ta, decimals)) for n in ta.notes]
    row: dict[str, Any] = {
        "id": target.id,
        "name": target.name,
        "display_name": target.name + (f" ({ta.target_year})" if lang == "en" else f"（{ta.target_year}年）")
        if ta.interim
        else target.name,
        "kind": target.kind.value,
        "dimension": target.dimension,
        "direction": target.direction.key,
        "unit": target.unit,
        "unit_word": _unit_word(target.name, target.unit),
        "decimals": decimals,
        "status": ta.status.value,
        "status_label": _late_label(status_label(ta.status, lang), lang) if late else status_label(
            ta.status, lang, early=early
        ),
        "status_color": status_color(ta.status),
        "early": early,
        "late": late,
        "target_text": _target_text(ta, lang),
        "target_value_text": target_value_text,
        "rate_text": rate_arg(str(target.rate)) if target.rate is not None else DASH,
        "baseline_text": _point_text(ta.baseline, lang),
        "baseline_value_text": _as_written(ta.baseline.value) if ta.baseline else DASH,
        "baseline_year": ta.baseline.year if ta.baseline else None,
        "latest_text": _rate_text(ta, lang) or _point_text(ta.latest, lang),
        "latest_value_text": _as_written(ta.latest.value) if ta.latest else DASH,
        "latest_year": ta.latest.year if ta.latest else None,
        "gap": float(gap) if gap is not None else None,
        # A percentage target's gap is in percentage points: "0.8个百分点" (docx breaks before the unit).
        "gap_text": _with_gap_unit(gap_number_text, table_gap_unit, lang),
        "gap_number_text": gap_number_text,
        "gap_unit": table_gap_unit,
        "gap_abs_text": format_number(abs(gap), gap_decimals) if gap is not None else DASH,
        "attainment": ta.attainment,
        # Rates to one decimal, rounded half up; "100%" only where the figure is exactly a hundred per
        # cent, and never for a target not reached (numerals.percent adds decimals then).
        "attainment_text": attainment_text(ta.attainment, lang),
        "required_cagr_text": percent(ta.required_cagr, 1),
        "actual_cagr_text": _actual_rate(ta),
        "actual_cagr_abs_text": _actual_rate(ta).replace(MINUS, ""),
        "actual_cagr": ta.actual_cagr,
        "remaining_cagr_text": percent(ta.remaining_cagr, 1),
        "required_cagr_abs_text": _abs_percent(ta.required_cagr),
        "remaining_cagr_abs_text": _abs_percent(ta.remaining_cagr),
        "rate_goal_text": _rate_goal(ta, lang) if target.rate is not None else DASH,
        "decrease": target.direction is Direction.DECREASE,
        "progress_share_text": percent(ta.progress_share, 1),
        "time_share_text": percent(ta.time_share, 1),
        "remaining_cagr": ta.remaining_cagr,
        "remaining_years": ta.target_year - ta.latest.year if ta.latest else None,
        "remaining_points_text": _remaining_points(ta, gap_decimals, lang),
        "ratio": ta.ratio,
        "ratio_text": format_ratio(ta.ratio),
        "method": ta.method or "",
        "responsible": list(target.responsible),
        "responsible_text": ("、" if lang == "zh" else ", ").join(target.responsible) or DASH,
        "quote": target.quote,
        "notes": notes,
        "notes_text": ("；" if lang == "zh" else "; ").join(notes),
        "insufficient_text": insufficient_reason(ta.notes, lang),
        "deadline_text": _deadline_text(ta, lang) if target.kind is Kind.MILESTONE else DASH,
        "completed_text": format_date(ta.completed, lang) if ta.completed else DASH,
        "progress_note": ta.progress,
        "interim": ta.interim,
        "year": ta.target_year,
        "paragraph": "",
    }
    unit = row["unit_word"] if lang == "zh" else target.unit
    goal = row["target_text"] if target.kind is Kind.RANGE else _with_unit(target_value_text, unit, lang)
    if target.direction is Direction.DECREASE and target.kind is Kind.LEVEL and goal != DASH:
        goal = f"at most {goal}" if lang == "en" else f"不高于{goal}"
    # The prose writes each number as the table does: "6.41件", "尚差0.8个百分点".
    gap_unit = _gap_unit(points_unit, lang) or unit
    row.update(
        target_with_unit=goal,
        latest_with_unit=_with_unit(row["latest_value_text"], unit, lang),
        baseline_with_unit=_with_unit(row["baseline_value_text"], unit, lang),
        gap_with_unit=_with_gap_unit(row["gap_abs_text"], gap_unit, lang) if _is_points(ta) else
        _with_unit(row["gap_abs_text"], unit, lang),
        gap_unit_word=gap_unit,
    )
    row.update(_prose_figures(ta, row, lang))
    return row


def _prose_figures(ta: TargetAssessment, row: dict[str, Any], lang: str) -> dict[str, Any]:
    """The figures as running text writes them (numerals.py): 25.4万件, 截至2020年底 or 2020年全年,
    较上年 / 同比 where the statistics hold the year before the latest."""
    target = ta.target
    kind = measure(target)
    unit = row["unit_word"] if lang == "zh" else target.unit
    figures: dict[str, Any] = {
        "measure": kind,
        "unit_text": target.unit or DASH,
        "target_cell": _target_text(ta, lang, unit=""),
        "as_at": as_at(row["latest_year"], kind) if lang == "zh" else "",
        "previous_text": DASH,
        "yoy_text": "",
    }
    if lang != "zh":
        figures.update(latest_amount=row["latest_with_unit"], target_amount=row["target_with_unit"],
                       gap_amount=row["gap_with_unit"])
        return figures
    decimals = row["decimals"]
    latest = ta.latest
    figures["latest_amount"] = amount(latest.value, unit, decimals) if latest else DASH
    if target.kind in (Kind.LEVEL,) and ta.target_value is not None:
        goal = amount(ta.target_value, unit, _plan_decimals(ta.target_value))
        if target.direction is Direction.DECREASE:
            goal = f"不高于{goal}"
        strive, about = ("力争" if target.strive else ""), ("左右" if target.approximate else "")
        figures["target_amount"] = strive + goal + about
    else:
        figures["target_amount"] = row["target_with_unit"]
    gap = ta.gap
    if gap is not None and not _is_percent(target.unit):
        figures["gap_amount"] = amount(abs(gap), unit, _gap_decimals(ta, decimals))
    else:
        figures["gap_amount"] = row["gap_with_unit"]
    if latest is not None:
        previous = next((p for p in ta.series if p.year == latest.year - 1), None)
        if previous is not None:
            figures["previous_text"] = amount(previous.value, unit, decimals)
            figures["yoy_text"] = change_on_last_year(
                previous.value, latest.value, target.unit, kind, decimals
            )
    return figures


def _with_gap_unit(number: str, unit: str, lang: str) -> str:
    """"0.8个百分点", "0.8 percentage points"; a plain number when there is no unit."""
    if number == DASH or not unit:
        return number
    return number + unit if lang == "zh" else f"{number} {unit}"


def _late_label(label: str, lang: str) -> str:
    """已完成 for a task done after its deadline reads 已完成（逾期）: the status stays, the delay shows."""
    return f"{label} (late)" if lang == "en" else f"{label}（逾期）"


def _remaining_points(ta: TargetAssessment, decimals: int, lang: str) -> str:
    """For a percentage target: the percentage points a year still needed to meet it on time."""
    if ta.target.kind is Kind.GROWTH or not _is_percent(ta.target.unit):
        return ""  # a growth row's gap is a rate gap, not points of the value
    if ta.gap is None or ta.gap <= 0 or ta.latest is None:
        return ""
    years = ta.target_year - ta.latest.year
    if years <= 0:
        return ""
    per_year = ta.gap / years
    text = format_number(per_year, max(decimals, 1) if per_year != per_year.to_integral() else decimals)
    return _with_gap_unit(text, _gap_unit(ta.target.unit, lang), lang)


def _with_unit(number: str, unit: str, lang: str) -> str:
    """"6.41件" in Chinese; "6.41 件" or "95%" in English."""
    if number == DASH or not unit:
        return number
    if lang == "zh" or unit == "%":
        return number + unit
    return f"{number} {unit}"
