"""The report's wording: labels, notes worded for readers, the scope word and the sentence templates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

from ipreport.errors import TemplateError
from ipreport.model import Note
from ipreport.render.formatting import format_date, format_number, format_percent
from ipreport.render.labels import LANGS
from ipreport.render.templating.env import load_template, make_environment, render

_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:)])")

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
        "以下指标和任务在评估时点仍需推进，请相关责任单位抓好落实：",
        "The targets and tasks below still need action; the units responsible are asked to act:",
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
    "indicators": ("主要指标完成情况", "Targets"),
    "tasks_progress": ("重点任务进展", "Key tasks"),
    "problems": ("存在的问题", "Problems"),
    "next_steps": ("下一步工作", "Next steps"),
    "implementation": ("实施情况", ": implementation"),
    "attachments": ("附件", "Annexes"),
    "name_or_task": ("指标或任务", "Target or task"),
    "target_or_deadline": ("目标值或时限", "Target or deadline"),
}

NOTE_TEXTS: dict[str, tuple[str, str]] = {
    "linear": ("基期值或目标值非正，按线性进度测算", "base or target not positive: linear pace used"),
    "baseline_from_earliest": ("基期取{year}年（最早数据）", "baseline taken from {year}, the earliest data"),
    "baseline_missing": ("缺少基期数据，无法判断进度", "no baseline: pace cannot be judged"),
    "single_observation": ("仅有基期（{year}年）数据", "only the baseline value ({year})"),
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
    "missing_years": (
        "缺少{years}年数据，累计值不完整",
        "no value for {years}: the running total is incomplete",
    ),
}

# Notes of a decrease target, worded as a decrease (their notes carry direction = "decrease").
DECREASE_TEXTS: dict[str, tuple[str, str]] = {
    "floor_to_hold": (
        "目标高于基期值{baseline}，按保持不高于目标判断",
        "target above baseline {baseline}: a ceiling to hold",
    ),
    "implied_target": (
        "按年均下降{rate}折算目标值为{value}",
        "a fall of {rate} a year implies a target of {value}",
    ),
}

# Why a row is insufficient_data, worded to follow "；" in a sentence ("…，暂无法判断进度").
INSUFFICIENT_REASONS: dict[str, tuple[str, str]] = {
    "missing_years": ("累计值缺少{years}年数据", "the running total has no value for {years}"),
    "single_observation": ("仅有基期（{year}年）数据", "there is only the baseline value ({year})"),
    "baseline_missing": ("缺少基期数据", "there is no baseline"),
    "nonpositive_values": ("数据含非正值，无法计算增速", "values that are not positive admit no growth rate"),
}


def scope_word(region: str, lang: str = "zh") -> str:
    """全省 for a province, 全市 for a city ... from the region name's last character."""
    if lang == "en":
        return region
    if region and region[-1] in "省市区州县":
        return "全" + region[-1]
    return region


def labels(lang: str) -> dict[str, str]:
    index = lang_index(lang)
    return {key: pair[index] for key, pair in LABELS.items()}


def lang_index(lang: str) -> int:
    """The position of ``lang`` in the (zh, en) text pairs; an unknown language is a TemplateError."""
    if lang not in LANGS:
        raise TemplateError(f"--lang: expected one of {', '.join(LANGS)}, found {lang!r}")
    return LANGS.index(lang)


def note_text(note: Note, lang: str = "zh", decimals: int | None = None) -> str:
    """One note worded for readers; an unknown code shows itself with its arguments.

    ``decimals``: the row's, so a derived value reads 4.92, not 4.919376.
    """
    args = _worded_args(note, lang)
    if "rate" in args:
        args["rate"] = rate_arg(args["rate"])
    if decimals is not None and "value" in args:
        args["value"] = _value_arg(args["value"], decimals)
    for key in ("date", "deadline"):
        if key in args:
            args[key] = _date_arg(args[key], lang)
    pattern = NOTE_TEXTS.get(note.code)
    if args.get("direction") == "decrease":
        pattern = DECREASE_TEXTS.get(note.code, pattern)
    if pattern is None:
        return note.code + "".join(f" {k}={v}" for k, v in note.args)
    try:
        return pattern[lang_index(lang)].format(**args)
    except KeyError:
        return pattern[lang_index(lang)]


def _worded_args(note: Note, lang: str) -> dict[str, str]:
    args = dict(note.args)
    if "years" in args:
        args["years"] = ("、" if lang == "zh" else ", ").join(args["years"].split(","))
    return args


def insufficient_reason(notes: Sequence[Note], lang: str = "zh") -> str:
    """Why a row's pace cannot be judged, from its notes (the last reason given); "" if none says."""
    for note in reversed(notes):
        pattern = INSUFFICIENT_REASONS.get(note.code)
        if pattern is not None:
            return pattern[lang_index(lang)].format(**_worded_args(note, lang))
    return ""


def _value_arg(text: str, decimals: int) -> str:
    try:
        return format_number(Decimal(text), decimals)
    except ArithmeticError:
        return text


def rate_arg(text: str) -> str:
    """A rate such as "0.1" as a percentage, "10%" (its size: the wording says up or down); text that is
    no number stays as it is."""
    try:
        rate = abs(Decimal(text))
        return format_percent(rate, 1 if rate * 100 % 1 else 0)
    except ArithmeticError:
        return text


def _date_arg(text: str, lang: str) -> str:
    try:
        return format_date(dt.date.fromisoformat(text), lang)
    except ValueError:
        return text


class Sentences:
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
