"""The report template context: an Assessment turned into plain dicts, lists and ready-formatted strings."""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
import pendulum

from ipreport.charts import STATUS_TINTS
from ipreport.errors import TemplateError
from ipreport.formatting import (
    DASH,
    MINUS,
    decimals_of,
    format_date,
    format_number,
    format_percent,
    format_ratio,
)
from ipreport.jinja_env import load_template, make_environment, render
from ipreport.labels import LANGS, TARGET_STATUS_ORDER, status_label
from ipreport.model import Assessment, Direction, Kind, Note, PlanAssessment, Point, Status, TargetAssessment

TIMEZONE = "Asia/Shanghai"
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:)])")
MAX_DECIMALS = 4
# Chart widths on the page: the type area of GB/T 9704 (210 − 28 − 26 mm), and a small trend chart.
ATTAINMENT_WIDTH_MM = 156.0
TREND_WIDTH_MM = 100.0

# The pale tints of the chart colours, so tables and charts speak one colour language.
STATUS_COLORS: dict[Status, str] = dict(STATUS_TINTS)

DIMENSION_ORDER = ("创造", "运用", "保护", "管理", "服务", "人才", "其他")
DIMENSION_NAMES_EN = {
    "创造": "Creation",
    "运用": "Utilization",
    "保护": "Protection",
    "管理": "Management",
    "服务": "Services",
    "人才": "Talent",
    "其他": "Other",
}
MILESTONE_ORDER = (
    Status.OVERDUE,
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.ONGOING,
    Status.DONE,
    Status.NO_DATA,
)
# Targets and tasks a responsible unit is reminded of.
REMINDED = frozenset({Status.BEHIND, Status.OVERDUE, Status.MISSED, Status.REGRESSING})
TARGET_STATUSES = TARGET_STATUS_ORDER
TASK_STATUSES = MILESTONE_ORDER

LABELS: dict[str, tuple[str, str]] = {
    "overview": ("总体情况", "Overview"),
    "plans": ("评估文件", "Plans assessed"),
    "plan": ("文件", "Plan"),
    "document": ("文号", "Document No."),
    "issuer": ("发文机关", "Issued by"),
    "issued": ("印发日期", "Issued"),
    "period": ("规划期", "Period"),
    "region": ("地区", "Region"),
    "year": ("评估年度", "Year assessed"),
    "written": ("成文日期", "Written"),
    "as_of": ("数据截至", "Data as of"),
    "dimensions": ("分领域指标完成情况", "Targets by area"),
    "indicator": ("指标", "Indicator"),
    "target": ("目标值", "Target"),
    "baseline": ("基期值", "Baseline"),
    "latest": ("最新值", "Latest"),
    "gap": ("差距", "Gap"),
    # "% of target" wraps at its spaces in a narrow column; "Attainment" would break inside the word.
    "attainment": ("完成率", "% of target"),
    "status": ("状态", "Status"),
    "unit": ("单位", "Unit"),
    "milestones": ("重点任务推进情况", "Key tasks"),
    "task": ("任务", "Task"),
    "deadline": ("完成时限", "Deadline"),
    "completed": ("完成时间", "Completed"),
    "responsible": ("责任单位", "Responsible"),
    "units": ("责任单位", "Responsible units"),
    "units_intro": (
        "以下指标和任务滞后预期、逆向变化、未实现或逾期未完成，请相关责任单位加快推进。",
        "The targets and tasks below are behind, moving away, missed or overdue; the units responsible "
        "are asked to act.",
    ),
    "charts": ("指标完成情况图", "Attainment by target"),
    "chart_caption": ("各项指标完成率（虚线为100%）", "Attainment of each target (dashed line: 100%)"),
    "trend": ("指标变化趋势", "Trend"),
    "data_notes": ("数据说明", "About the data"),
    "sources": ("数据来源", "Sources"),
    "method": ("评估方法", "Method"),
    "statistics_file": ("统计数据文件", "Statistics file"),
    "none": ("无", "None"),
    "no_milestones": ("本文件未列重点任务。", "This plan lists no dated tasks."),
    "no_units": ("暂无需要提醒的责任单位。", "No unit needs a reminder."),
    "notes": ("说明", "Notes"),
    "part": ("第{n}部分", "Part {n}"),
    # Punctuation a template joins words with, so one .docx template reads right in both languages.
    "colon": ("：", ": "),
    "full_stop": ("。", "."),
    "semicolon": ("；", "; "),
    "list_sep": ("、", ", "),
    "open": ("（", " ("),
    "close": ("）", ")"),
    "heading_sep": ("、", ". "),
    "sub_open": ("（", ""),
    "sub_close": ("）", ". "),
    "interim_note": ("阶段性目标", "interim target"),
}

NOTE_TEXTS: dict[str, tuple[str, str]] = {
    "linear": ("基期值或目标值非正，按线性进度测算", "base or target not positive: linear pace used"),
    "baseline_from_earliest": ("基期取{year}年（最早数据）", "baseline taken from {year}, the earliest data"),
    "baseline_missing": ("缺少基期数据，无法判断进度", "no baseline: pace cannot be judged"),
    "single_observation": ("仅有{year}年一个数据", "only one value ({year})"),
    "nonpositive_values": ("数据含非正值，无法计算增速", "values not positive: growth cannot be computed"),
    "floor_to_hold": (
        "目标低于基期值{baseline}，按保持不低于目标判断",
        "target below baseline {baseline}: a floor to hold",
    ),
    "above_range": ("超出区间上限{bound}", "above the range's upper end {bound}"),
    "below_range": ("低于区间下限{bound}", "below the range's lower end {bound}"),
    "missed_on_latest": ("缺少{due}年数据，按{year}年数据判断", "no {due} value: judged on {year}"),
    "achieved_on_latest": ("缺少{due}年数据，按{year}年数据判断", "no {due} value: judged on {year}"),
    "interim": ("{year}年阶段性目标", "interim target for {year}"),
    "implied_target": (
        "按年均增长{rate}折算目标值为{value}",
        "{rate} a year implies a target of {value}",
    ),
    "done_late": ("{date}完成，晚于时限{deadline}", "done {date}, after the deadline {deadline}"),
}


def status_color(status: Status) -> str:
    """The "#RRGGBB" shading of a status cell."""
    return STATUS_COLORS[status]


def scope_word(region: str, lang: str = "zh") -> str:
    """全省 for a province, 全市 for a city ... from the region name's last character."""
    if lang == "en":
        return region
    if region and region[-1] in "省市区州县":
        return "全" + region[-1]
    return region


def labels(lang: str) -> dict[str, str]:
    index = _lang_index(lang)
    return {key: pair[index] for key, pair in LABELS.items()}


def _lang_index(lang: str) -> int:
    if lang not in LANGS:
        raise TemplateError(f"--lang: expected one of {', '.join(LANGS)}, found {lang!r}")
    return LANGS.index(lang)


def note_text(note: Note, lang: str = "zh", decimals: int | None = None) -> str:
    """One note worded for readers; an unknown code shows itself with its arguments.

    ``decimals``: the row's, so a derived value reads 4.92, not 4.919376.
    """
    args = dict(note.args)
    if "rate" in args:
        args["rate"] = _rate_arg(args["rate"])
    if decimals is not None and "value" in args:
        args["value"] = _value_arg(args["value"], decimals)
    for key in ("date", "deadline"):
        if key in args:
            args[key] = _date_arg(args[key], lang)
    pattern = NOTE_TEXTS.get(note.code)
    if pattern is None:
        return note.code + "".join(f" {k}={v}" for k, v in note.args)
    try:
        return pattern[_lang_index(lang)].format(**args)
    except KeyError:
        return pattern[_lang_index(lang)]


def _value_arg(text: str, decimals: int) -> str:
    try:
        return format_number(Decimal(text), decimals)
    except ArithmeticError:
        return text


def _rate_arg(text: str) -> str:
    try:
        return format_percent(float(text), 1 if float(text) * 100 % 1 else 0)
    except ValueError:
        return text


def _date_arg(text: str, lang: str) -> str:
    try:
        return format_date(dt.date.fromisoformat(text), lang)
    except ValueError:
        return text


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
    """A gap is target minus latest: it has the precision of the finer of the two."""
    stated = [v for v in (ta.target_value, ta.target.value, ta.target.min, ta.target.max) if v is not None]
    if ta.target.kind is Kind.GROWTH or not stated or ta.latest is None:
        return row_decimals  # measured against a derived level: print it like the observed values
    return max(max(_plan_decimals(v) for v in stated), _written_decimals(ta.latest.value))


def _is_percent(unit: str) -> bool:
    return unit.strip() in ("%", "％")


def _gap_unit(unit: str, lang: str, *, table: bool = False) -> str:
    """A difference of two percentages is in percentage points, not per cent."""
    if not _is_percent(unit):
        return ""
    if lang == "en":
        return "pp" if table else "percentage points"
    return "个百分点"


def _year_text(year: int, lang: str) -> str:
    return f"{year}" if lang == "en" else f"{year}年"


def _point_text(point: Point | None, lang: str) -> str:
    if point is None:
        return DASH
    value = _as_written(point.value)
    return f"{value} ({point.year})" if lang == "en" else f"{value}（{point.year}年）"


def _target_text(ta: TargetAssessment, lang: str) -> str:
    """The 目标值 cell: the value in force (an interim row's own value), as the plan writes it."""
    target = ta.target
    unit = target.unit
    if ta.interim and ta.target_value is not None and target.kind is not Kind.MILESTONE:
        # The row's name carries the interim year; the value is the one set for that year.
        text = _with_unit(_as_planned(ta.target_value), unit, lang)
        if target.direction is Direction.DECREASE:
            text = f"at most {text}" if lang == "en" else f"不高于{text}"
        return text
    if target.kind is Kind.GROWTH and target.rate is not None:
        rate = _rate_arg(str(target.rate))
        text = f"{rate} a year" if lang == "en" else f"年均增长{rate}"
    elif target.kind is Kind.RANGE:
        low = _as_planned(target.min) if target.min is not None else ""
        high = _as_planned(target.max) if target.max is not None else ""
        text = f"{low}–{high}{'' if lang == 'en' else unit}"
        if lang == "en" and unit:
            text = _with_unit(text, unit, lang)
    elif target.kind is Kind.TREND:
        text = "steady growth" if lang == "en" else "稳步增长"
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


def _deadline_text(ta: TargetAssessment, lang: str) -> str:
    deadline = ta.target.deadline
    if deadline is None:
        if ta.target.ongoing or not ta.target.year:
            return "ongoing" if lang == "en" else "持续推进"
        deadline = dt.date(ta.target.year, 12, 31)
    return format_date(deadline, lang)


def _signed_percent(value: float | None, decimals: int = 2) -> str:
    return format_percent(value, decimals)


def _image(value: object, width_mm: float = ATTAINMENT_WIDTH_MM) -> dict[str, Any] | None:
    """A chart as the templates see it: PNG path, width in mm, and a data: URI for HTML and Markdown."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        path, width = Path(str(value["path"])), float(value.get("width_mm", width_mm))
    elif isinstance(value, (str, Path)):
        path, width = Path(value), width_mm
    else:
        chart: Any = value  # a chart object with .path and optionally .width_mm
        path, width = Path(str(chart.path)), float(getattr(chart, "width_mm", width_mm))
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return {"path": str(path), "width_mm": width, "data_uri": f"data:image/png;base64,{data}"}


class _Sentences:
    """Renders the wording templates under templates/sentences/<lang>/ (a user folder may override them)."""

    def __init__(self, lang: str, folders: Sequence[Path]) -> None:
        self.lang = lang
        self.env = make_environment(folders, autoescape=False)
        self._cache: dict[str, jinja2.Template] = {}

    def paragraphs(self, name: str, **variables: Any) -> list[str]:
        template = self._cache.get(name)
        if template is None:
            template = load_template(self.env, f"sentences/{self.lang}/{name}.j2")
            self._cache[name] = template
        text = render(template, variables)
        return [self._join(block) for block in _blocks(text) if block.strip()]

    def sentence(self, name: str, **variables: Any) -> str:
        return "".join(self.paragraphs(name, **variables)) if self.lang == "zh" else " ".join(
            self.paragraphs(name, **variables)
        )

    def _join(self, block: str) -> str:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if self.lang == "zh":
            return "".join(lines)
        # English needs the space a line break stood for, but not before punctuation.
        return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(lines))


def _blocks(text: str) -> list[str]:
    blocks: list[str] = [""]
    for line in text.splitlines():
        if line.strip():
            blocks[-1] += line + "\n"
        elif blocks[-1]:
            blocks.append("")
    return blocks


def _row(ta: TargetAssessment, lang: str) -> dict[str, Any]:
    target = ta.target
    stated = (target.value, target.min, target.max)
    # Derived figures (a level a growth rate implies) print like the finest value they come from.
    decimals = _decimals((*stated, *(p.value for p in (ta.baseline, ta.latest) if p is not None)))
    early = ta.achieved_early
    late = ta.status is Status.DONE and any(note.code == "done_late" for note in ta.notes)
    gap = ta.gap
    gap_decimals = _gap_decimals(ta, decimals)
    # No gap needs no unit: "0", not "0个百分点".
    table_gap_unit = _gap_unit(target.unit, lang, table=True) if gap else ""
    target_value = ta.target_value
    if target.kind is Kind.GROWTH:
        # The level a rate implies is a derived figure: print it like the observed values.
        target_value_text = format_number(target_value, decimals) if target_value is not None else DASH
    else:
        target_value_text = _as_planned(target_value)
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
        "rate_text": _rate_arg(str(target.rate)) if target.rate is not None else DASH,
        "baseline_text": _point_text(ta.baseline, lang),
        "baseline_value_text": _as_written(ta.baseline.value) if ta.baseline else DASH,
        "baseline_year": ta.baseline.year if ta.baseline else None,
        "latest_text": _point_text(ta.latest, lang),
        "latest_value_text": _as_written(ta.latest.value) if ta.latest else DASH,
        "latest_year": ta.latest.year if ta.latest else None,
        "gap": float(gap) if gap is not None else None,
        # A percentage target's gap is in percentage points: "0.8个百分点" (docx breaks before the unit).
        "gap_text": _with_gap_unit(format_number(gap, gap_decimals), table_gap_unit, lang)
        if gap is not None
        else DASH,
        "gap_number_text": format_number(gap, gap_decimals) if gap is not None else DASH,
        "gap_unit": table_gap_unit,
        "gap_abs_text": format_number(abs(gap), gap_decimals) if gap is not None else DASH,
        "attainment": ta.attainment,
        "attainment_text": format_percent(ta.attainment, 1),
        "required_cagr_text": _signed_percent(ta.required_cagr),
        "actual_cagr_text": _signed_percent(ta.actual_cagr),
        "actual_cagr_abs_text": _signed_percent(abs(ta.actual_cagr)) if ta.actual_cagr is not None else DASH,
        "actual_cagr": ta.actual_cagr,
        "remaining_cagr_text": _signed_percent(ta.remaining_cagr),
        "remaining_cagr": ta.remaining_cagr,
        "remaining_years": ta.target_year - ta.latest.year if ta.latest else None,
        "remaining_points_text": _remaining_points(ta, gap_decimals, lang),
        "ratio": ta.ratio,
        "ratio_text": format_ratio(ta.ratio),
        "method": ta.method or "",
        "responsible": list(target.responsible),
        "responsible_text": ("、" if lang == "zh" else ", ").join(target.responsible) or DASH,
        "quote": target.quote,
        "notes": [note_text(n, lang, decimals) for n in ta.notes],
        "notes_text": ("；" if lang == "zh" else "; ").join(note_text(n, lang, decimals) for n in ta.notes),
        "deadline_text": _deadline_text(ta, lang) if target.kind is Kind.MILESTONE else DASH,
        "completed_text": format_date(ta.completed, lang) if ta.completed else DASH,
        "interim": ta.interim,
        "year": ta.target_year,
        "paragraph": "",
    }
    unit = row["unit_word"] if lang == "zh" else target.unit
    goal = row["target_text"] if target.kind is Kind.RANGE else _with_unit(target_value_text, unit, lang)
    # The prose writes each number as the table does: "6.41件", "尚差0.8个百分点".
    gap_unit = _gap_unit(target.unit, lang) or unit
    row.update(
        target_with_unit=goal,
        latest_with_unit=_with_unit(row["latest_value_text"], unit, lang),
        baseline_with_unit=_with_unit(row["baseline_value_text"], unit, lang),
        gap_with_unit=_with_gap_unit(row["gap_abs_text"], gap_unit, lang) if _is_percent(target.unit) else
        _with_unit(row["gap_abs_text"], unit, lang),
        gap_unit_word=gap_unit,
    )
    return row


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
    if not _is_percent(ta.target.unit) or ta.gap is None or ta.gap <= 0 or ta.latest is None:
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


def _dimension_order(names: Iterable[str]) -> list[str]:
    seen = list(dict.fromkeys(names))
    known = [n for n in DIMENSION_ORDER if n in seen and n != "其他"]
    others = [n for n in seen if n not in DIMENSION_ORDER]
    tail = ["其他"] if "其他" in seen else []
    return known + others + tail


def _counts(rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    counts = {status.value: 0 for status in (*TARGET_STATUSES, *TASK_STATUSES)}
    for row in rows:
        counts[row["status"]] += 1
    counts["achieved_early"] = sum(1 for r in rows if r["early"])
    counts["targets"] = sum(1 for r in rows if r["kind"] != Kind.MILESTONE.value)
    counts["tasks"] = sum(1 for r in rows if r["kind"] == Kind.MILESTONE.value)
    return counts


def _groups(rows: Sequence[dict[str, Any]], statuses: Sequence[Status], lang: str) -> list[dict[str, Any]]:
    """Per status, in reading order: its label, count and the names under it (for the summary).

    提前实现 gets a group of its own right after 已实现, as the tables show it apart; a group's
    ``late_names`` are the tasks done after their deadline.
    """
    groups = []
    for status in statuses:
        members = [r for r in rows if r["status"] == status.value]
        if status is Status.ACHIEVED:
            on_time = [r for r in members if not r["early"]]
            early = [r for r in members if r["early"]]
            groups.append(_group(status.value, status_label(status, lang), on_time))
            groups.append(_group("achieved_early", status_label(status, lang, early=True), early))
        else:
            groups.append(_group(status.value, status_label(status, lang), members))
    return groups


def _group(key: str, label: str, members: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {
        "status": key,
        "label": label,
        "count": len(members),
        "names": [r["display_name"] for r in members],
        "target_names": list(dict.fromkeys(r["name"] for r in members)),
        "early_names": [r["display_name"] for r in members if r["early"]],
        "late_names": [r["display_name"] for r in members if r.get("late")],
    }


def _plan_name(plan: Mapping[str, Any], lang: str) -> str:
    document = plan["document"]
    if lang == "en":
        return f"“{plan['title']}”" + (f" ({document})" if document else "")
    return f"《{plan['title']}》" + (f"（{document}）" if document else "")


def _summary(
    sentences: _Sentences,
    plans: Sequence[Mapping[str, Any]],
    rows: Sequence[dict[str, Any]],
    common: Mapping[str, Any],
) -> dict[str, Any]:
    lang = sentences.lang
    # Interim rows judge a past year of a target already counted: they get a sentence of their own.
    finals = [r for r in rows if not r["interim"]]
    interim = [r for r in rows if r["interim"]]
    targets = [r for r in finals if r["kind"] != Kind.MILESTONE.value]
    tasks = [r for r in finals if r["kind"] == Kind.MILESTONE.value]
    highlights = [r["sentence"] for r in targets if r["status"] == Status.ACHIEVED.value and r["sentence"]]
    counts = _counts(finals)
    counts["interim"] = len(interim)
    paragraphs = sentences.paragraphs(
        "summary",
        plan_names=[_plan_name(p, lang) for p in plans],
        counts=counts,
        target_groups=_groups(targets, TARGET_STATUSES, lang),
        task_groups=_groups(tasks, TASK_STATUSES, lang),
        interim_groups=_groups(interim, TARGET_STATUSES, lang),
        interim_years=sorted({r["year"] for r in interim}),
        highlights=highlights,
        **common,
    )
    return {"paragraphs": paragraphs, "counts": counts}


def _units(rows: Sequence[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    units: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        if row["status"] not in {s.value for s in REMINDED}:
            continue
        for unit in row["responsible"]:
            units.setdefault(unit, []).append(
                {
                    "kind": "task" if row["kind"] == Kind.MILESTONE.value else "target",
                    "name": row["display_name"],
                    "status": row["status"],
                    "status_label": row["status_label"],
                    "status_color": row["status_color"],
                    "detail": row["detail"],
                }
            )
    # "entries" repeats "items": in Jinja, unit.items is the dict method, not the list.
    return [{"name": name, "items": items, "entries": items} for name, items in units.items()]


def _detail(row: Mapping[str, Any], lang: str) -> str:
    """The short reason a unit is reminded: the deadline missed, or attainment and gap."""
    if row["kind"] == Kind.MILESTONE.value:
        return f"deadline {row['deadline_text']}" if lang == "en" else f"完成时限{row['deadline_text']}"
    parts = []
    attainment = row["attainment_text"]
    if attainment != DASH:
        parts.append(f"attainment {attainment}" if lang == "en" else f"完成率{attainment}")
    if row["gap"] is not None and row["gap"] > 0:
        gap = row["gap_with_unit"]
        parts.append(f"short by {gap}" if lang == "en" else f"尚差{gap}")
    if row["actual_cagr"] is not None and row["kind"] in (Kind.GROWTH.value, Kind.TREND.value):
        growth = row["actual_cagr_text"]
        parts.append(f"growing {growth} a year" if lang == "en" else f"年均增长{growth}")
    return ("; " if lang == "en" else "，").join(parts)


def _plan(
    pa: PlanAssessment,
    lang: str,
    sentences: _Sentences,
    common: Mapping[str, Any],
    charts: Mapping[str, object],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    plan = pa.plan
    rows = []
    for ta in pa.rows:
        row = _row(ta, lang)
        row["detail"] = _detail(row, lang)
        if ta.target.kind is not Kind.MILESTONE:
            variables = {"row": row, **common}
            if ta.status is Status.ACHIEVED:
                row["sentence"] = sentences.sentence("achieved", **variables)
            else:
                row["sentence"] = ""
                row["paragraph"] = sentences.sentence("target", **variables)
        else:
            row["sentence"] = ""
        rows.append(row)
    quantified = [r for r in rows if r["kind"] != Kind.MILESTONE.value]
    dimensions = []
    for index, name in enumerate(_dimension_order(r["dimension"] for r in quantified), start=1):
        members = [r for r in quantified if r["dimension"] == name]
        no_data = list(dict.fromkeys(r["name"] for r in members if r["status"] == Status.NO_DATA.value))
        judged = [r for r in members if r["status"] != Status.NO_DATA.value]
        paragraphs = [r["paragraph"] for r in judged if r["paragraph"]]
        if no_data:
            # One sentence for all targets without data, not one paragraph each.
            paragraphs.append(sentences.sentence("no_data", names=no_data, **common))
        dimensions.append(
            {
                "name": name,
                "heading": DIMENSION_NAMES_EN.get(name, name) if lang == "en" else name,
                "index": index,
                "rows": members,
                "paragraphs": paragraphs,
                "no_data_names": no_data,
                # One trend chart per target: an interim row shares its target's chart.
                "trend_rows": [r for r in members if not r["interim"]],
            }
        )
    order = {status.value: i for i, status in enumerate(MILESTONE_ORDER)}
    milestones = sorted(
        (r for r in rows if r["kind"] == Kind.MILESTONE.value),
        key=lambda r: (order.get(r["status"], len(order)), _deadline_key(pa, r["id"])),
    )
    context: dict[str, Any] = {
        "id": plan.id,
        "title": plan.title,
        "name": "",
        "document": plan.document,
        "issuer": plan.issuer,
        "issued_text": format_date(plan.issued, lang) if plan.issued else DASH,
        "start_year": plan.start_year,
        "target_year": plan.target_year,
        "region": pa.region,
        "dimensions": dimensions,
        "milestones": milestones,
        "units": _units(rows, lang),
        "rows": quantified,
        "chart_trend": {},
    }
    context["name"] = _plan_name(context, lang)
    trend = {}
    for row in quantified:
        image = _image(charts.get(f"trend:{plan.id}:{row['id']}"), TREND_WIDTH_MM)
        if image is not None:
            trend[row["id"]] = image
    context["chart_trend"] = trend
    context["summary"] = _summary(sentences, [context], rows, common)
    return context, rows


def _deadline_key(pa: PlanAssessment, target_id: str) -> dt.date:
    for ta in pa.rows:
        if ta.target.id == target_id:
            return ta.target.deadline or dt.date.max
    return dt.date.max


def _written(written: dt.date | None) -> dt.date:
    """The date of writing: given, else SOURCE_DATE_EPOCH (reproducible builds), else today in Shanghai."""
    if written is not None:
        return written
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return pendulum.from_timestamp(int(epoch), tz=TIMEZONE).date()
    return pendulum.today(TIMEZONE).date()


def default_title(region: str, year: int, lang: str = "zh") -> str:
    if lang == "en":
        return f"Intellectual Property Development Report of {region}, {year}"
    return f"{region}{year}年知识产权发展状况报告"


def build_context(
    assessment: Assessment,
    *,
    lang: str = "zh",
    title: str | None = None,
    charts: Mapping[str, object] | None = None,
    written: dt.date | None = None,
    chart_note: str | None = None,
    template_dirs: Sequence[Path] = (),
) -> dict[str, Any]:
    """The template context for one report (docs/templates.md); sentences come from templates/sentences/."""
    _lang_index(lang)
    charts = charts or {}
    regions = list(dict.fromkeys(pa.region for pa in assessment.plans))
    region = "、".join(regions) if lang == "zh" else ", ".join(regions)
    sentences = _Sentences(lang, template_dirs)
    thresholds = assessment.plans[0].plan.thresholds if assessment.plans else None
    common = {
        "region": region,
        "scope": scope_word(regions[0], lang) if len(regions) == 1 else region,
        "year": assessment.year,
        "as_of_text": format_date(assessment.as_of, lang),
        "labels": labels(lang),
    }
    plans = []
    all_rows: list[dict[str, Any]] = []
    for pa in assessment.plans:
        plan, rows = _plan(pa, lang, sentences, common, charts)
        plans.append(plan)
        all_rows.extend(rows)
    method = sentences.paragraphs(
        "method",
        ahead=_threshold(thresholds.ahead if thresholds else 1.0),
        on_track=_threshold(thresholds.on_track if thresholds else 0.95),
        accelerate=_threshold(thresholds.accelerate if thresholds else 0.6),
        behind=_threshold(thresholds.behind if thresholds else 0.0),
        **common,
    )
    context: dict[str, Any] = {
        "title": title or default_title(region, assessment.year, lang),
        "region": region,
        "scope": common["scope"],
        "year": assessment.year,
        "as_of_text": common["as_of_text"],
        "written_text": format_date(_written(written), lang),
        "lang": lang,
        "labels": common["labels"],
        "plans": plans,
        "summary": _summary(sentences, plans, all_rows, common),
        "sources": list(assessment.sources),
        "method_text": ("" if lang == "zh" else " ").join(method),
        "statistics_file": assessment.statistics.name if assessment.statistics else "",
        "warnings": list(assessment.warnings),
        "charts": {"attainment": _image(charts.get("attainment"))},
        "chart_note": chart_note,
        "numerals": numerals(lang),
        "minus": MINUS,
        "dash": DASH,
    }
    return context


def numerals(lang: str, count: int = 30) -> list[str]:
    """Heading numbers, 1-based: numerals[1] is "一" (zh) or "1" (en); templates write "一、" and "（一）"."""
    if lang == "en":
        return [str(n) for n in range(count + 1)]
    digits = "〇一二三四五六七八九"
    out = []
    for n in range(count + 1):
        tens, ones = divmod(n, 10)
        if n < 10:
            out.append(digits[n])
        else:
            out.append((digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else ""))
    return out


def _threshold(value: float) -> str:
    return f"{value:g}"
