"""Words shown to readers, in Chinese (default) and English."""

from __future__ import annotations

from collections.abc import Iterable

from ipreport.model import DIMENSION_ORDER, Status

LANGS = ("zh", "en")

STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.ACHIEVED: ("已实现", "achieved"),
    Status.MISSED: ("未实现", "missed"),
    Status.AHEAD: ("快于预期", "ahead of schedule"),
    Status.ON_TRACK: ("基本符合预期", "on track"),
    Status.ACCELERATE: ("需加快推进", "needs to accelerate"),
    Status.BEHIND: ("滞后预期", "behind schedule"),
    Status.REGRESSING: ("逆向变化", "moving away"),
    Status.NO_DATA: ("无数据", "no data"),
    Status.INSUFFICIENT_DATA: ("数据不足", "insufficient data"),
    Status.DONE: ("已完成", "done"),
    Status.IN_PROGRESS: ("推进中", "in progress"),
    Status.NOT_STARTED: ("未启动", "not started"),
    Status.OVERDUE: ("逾期未完成", "overdue"),
    Status.ONGOING: ("持续推进", "ongoing"),
}
# Statuses of quantified targets in reading order: from good to bad, then those without figures.
TARGET_STATUS_ORDER = (
    Status.ACHIEVED,
    Status.AHEAD,
    Status.ON_TRACK,
    Status.ACCELERATE,
    Status.BEHIND,
    Status.REGRESSING,
    Status.MISSED,
    Status.INSUFFICIENT_DATA,
    Status.NO_DATA,
)
# "achieved" before the target year reads 提前实现 (achieved early).
ACHIEVED_EARLY = ("提前实现", "achieved early")


def status_label(status: Status, lang: str = "zh", early: bool = False) -> str:
    """The reader's word for a status; ``early`` marks an achievement before the target year."""
    index = LANGS.index(lang)
    if status is Status.ACHIEVED and early:
        return ACHIEVED_EARLY[index]
    return STATUS_LABELS[status][index]

# Column and heading labels of the gap table and its exports: key -> (zh, en).
TABLE_LABELS: dict[str, tuple[str, str]] = {
    "indicator": ("指标", "Indicator"),
    "target": ("目标值", "Target"),
    "baseline": ("基期值", "Baseline"),
    "latest": ("最新值", "Latest"),
    "gap": ("差距", "Gap"),
    "attainment": ("完成率", "Attained"),
    "status": ("状态", "Status"),
    "deadline": ("完成时限", "Deadline"),
    "responsible": ("责任单位", "Responsible"),
    "year": ("评估年份", "Assessment year"),
    "as_of": ("截至", "as of"),
    "summary": ("合计", "Total"),
    "tasks": ("重点任务", "Tasks"),
    "ongoing": ("持续推进", "ongoing"),
    "growth": ("年均增长", "yearly growth"),
    "decline": ("年均下降", "yearly decline"),
    "points": ("个百分点", "pp"),
    "a_year": ("年均", "a year"),
    "trend_up": ("稳步增长", "steady growth"),
    "trend_down": ("稳步下降", "steady decline"),
    "dimension": ("维度", "Dimension"),
    "unit": ("单位", "Unit"),
    "target_year": ("目标年份", "Target year"),
    "latest_year": ("数据年份", "Data year"),
    "region": ("地区", "Region"),
    "plan": ("规划", "Plan"),
    "regions_summary": ("地区汇总", "Regions"),
}

DIMENSIONS: dict[str, str] = {
    "创造": "Creation",
    "运用": "Utilization",
    "保护": "Protection",
    "管理": "Management",
    "服务": "Services",
    "人才": "Talent",
    "其他": "Other",
}
assert tuple(DIMENSIONS) == DIMENSION_ORDER


def label(key: str, lang: str = "zh") -> str:
    """A fixed table or heading label in the chosen language."""
    return TABLE_LABELS[key][LANGS.index(lang)]


def dimensions_in_order(names: Iterable[str]) -> list[str]:
    """The dimensions present, in the plans' fixed order (创造 … 人才), 其他 last."""
    present = set(names)
    known = [d for d in DIMENSION_ORDER if d in present and d != "其他"]
    # Plan files only allow the fixed names; anything else (a hand-built object) goes before 其他.
    unknown = sorted(present - set(DIMENSION_ORDER))
    return known + unknown + (["其他"] if "其他" in present else [])


def dimension_label(name: str, lang: str = "zh") -> str:
    """A dimension's name: the plan's Chinese word, or its English rendering."""
    return DIMENSIONS.get(name, name) if lang == "en" else name
