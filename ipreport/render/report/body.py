"""The report's body as an office sends it: 总体情况, 主要指标完成情况, 重点任务进展, 存在的问题, 下一步工作.

The body is a list of blocks (heading, paragraph, table) that every template walks in order, then
the closing block (署名, 成文日期) and the 附件 pages. The wording of single targets stays in the
sentence templates (templates/sentences/); here the parts are put in order, every plan is named in
full once and by its short name afterwards, and no sentence is printed twice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ipreport.model import Kind, Status
from ipreport.render.formatting import DASH
from ipreport.render.report.narrative import Narrative
from ipreport.render.report.numerals import full_width_brackets
from ipreport.render.report.wording import Sentences

# Tasks and targets that still need action at the assessment date (interim rows are judged by
# their target's final row: a missed 2017 value reached later needs nothing).
NEEDS_ACTION = frozenset(
    {
        Status.ACCELERATE.value,
        Status.BEHIND.value,
        Status.REGRESSING.value,
        Status.MISSED.value,
        Status.OVERDUE.value,
        Status.NOT_STARTED.value,
    }
)
BEHIND = (Status.ACCELERATE.value, Status.BEHIND.value, Status.REGRESSING.value)
# Units whose names show they rank above a provincial or city office: partners, not addressees.
_ABOVE = ("国家", "国务院", "中共中央", "中央", "最高人民", "全国")
# The kinds of document a plan's short name is taken from, longest first.
_SHORT_KINDS = (
    "实施意见",
    "工作要点",
    "推进计划",
    "实施方案",
    "行动计划",
    "行动方案",
    "规划纲要",
    "战略纲要",
    "规划",
    "纲要",
    "方案",
    "计划",
    "意见",
    "要点",
)
TARGETS_PER_PARAGRAPH = 3
# How many units a body table cell names before "等N个单位".
MAX_UNITS_IN_CELL = 2


def short_name(title: str) -> str:
    """The name a plan goes by after its first mention: 《实施意见》, 《工作要点》, 《推进计划》."""
    bare = re.sub(r"[（(][^（）()]*[)）]\s*$", "", title).strip()
    for kind in _SHORT_KINDS:
        if bare.endswith(kind):
            return kind
    if "的" in bare:
        return bare.rsplit("的", 1)[1]
    return bare


def short_names(titles: Sequence[str], years: Sequence[int]) -> list[str]:
    """Short names, told apart by the start year when two plans would share one."""
    names = [short_name(t) for t in titles]
    return [
        f"{year}年{name}" if names.count(name) > 1 else name for name, year in zip(names, years, strict=True)
    ]


# Municipalities rank as provinces: their offices are not below a province's.
_MUNICIPALITIES = ("北京", "上海", "天津", "重庆")


def is_above(unit: str, issuer: str = "") -> bool:
    """Whether a unit's name shows it ranks above the issuer: national bodies always; a province's
    (省…) above a city's or county's office."""
    if unit.startswith(_ABOVE):
        return True
    below_province = (
        ("市" in issuer or "县" in issuer or "州" in issuer)
        and not issuer.startswith(("省", *_MUNICIPALITIES))
        and "省" not in issuer
    )
    return below_province and unit.startswith("省")


def units_cell(units: Sequence[str], lang: str) -> str:
    """A 责任单位 table cell: "省知识产权局等5个单位" when the list is long (the appendix has it whole)."""
    if not units:
        return DASH
    if len(units) <= MAX_UNITS_IN_CELL:
        return ("、" if lang == "zh" else ", ").join(units)
    if lang == "en":
        return f"{units[0]} and {len(units) - 1} more"
    return f"{units[0]}等{len(units)}个单位"


def _join(items: Sequence[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def _ordinal(n: int, lang: str) -> str:
    """一是, 二是 ... for the points of 存在的问题 and 下一步工作."""
    if lang == "en":
        return ""
    return "一二三四五六七八九十"[n - 1] + "是" if n <= 10 else f"{n}是"


class BodyBuilder:
    """Puts the report's parts in order; one instance per report."""

    def __init__(
        self,
        sentences: Sentences,
        plans: Sequence[dict[str, Any]],
        common: Mapping[str, Any],
        narrative: Narrative,
        lang: str,
        reminders: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        self.reminders = reminders
        self.sentences = sentences
        self.plans = plans
        self.common = common
        self.narrative = narrative
        self.lang = lang
        self.zh = lang == "zh"
        self.labels = common["labels"]
        self.blocks: list[dict[str, Any]] = []
        self.tables = 0
        self.said: set[str] = set()

    # ------------------------------------------------------------------------------------ blocks

    def heading(self, level: int, text: str) -> None:
        self.blocks.append({"kind": f"heading{level}", "text": text})

    def paragraph(self, text: str) -> None:
        """One paragraph, unless the very same text was already printed (several plans)."""
        if self.zh:
            text = full_width_brackets(text)
        if not text or text in self.said:
            return
        self.said.add(text)
        self.blocks.append({"kind": "paragraph", "text": text})

    def table(self, kind: str, caption: str, rows: list[dict[str, Any]]) -> str:
        self.tables += 1
        label = f"表{self.tables}" if self.zh else f"Table {self.tables}"
        block = {
            "kind": kind,
            "caption": f"{label}　{caption}" if self.zh else f"{label}. {caption}",
            "number": self.tables,
            "rows": rows,
        }
        add_columns(block, self.labels)
        self.blocks.append(block)
        return label

    def number(self, n: int) -> str:
        return self.common["numerals"][n]

    def h1(self, n: int, text: str) -> None:
        self.heading(1, f"{self.number(n)}{self.labels['heading_sep']}{text}")

    def h2(self, n: int, text: str) -> None:
        self.heading(2, f"{self.labels['sub_open']}{self.number(n)}{self.labels['sub_close']}{text}")

    def h3(self, n: int, text: str) -> None:
        self.heading(3, f"{n}{'.' if self.zh else '. '}{text}")

    # ------------------------------------------------------------------------------------- parts

    def build(self, overview: list[str]) -> list[dict[str, Any]]:
        section = 1
        self.h1(section, self.labels["overview"])
        for text in self.narrative.apply("overview", overview):
            self.paragraph(text)
        if len(self.plans) == 1:
            plan = self.plans[0]
            section += 1
            self.h1(section, self.labels["indicators"])
            self.indicators(plan, self.h2)
            section += 1
            self.h1(section, self.labels["tasks_progress"])
            self.tasks(plan, first=True)
        else:
            for plan in self.plans:
                section += 1
                self.h1(section, f"{plan['short']}{self.labels['implementation']}")
                self.h2(1, self.labels["indicators"])
                self.indicators(plan, self.h3)
                first = plan is self.plans[0]
                # A plan without tasks needs no task section of its own in a report of several.
                if plan["milestones"] or (first and "achievements" in self.narrative.sections):
                    self.h2(2, self.labels["tasks_progress"])
                    self.tasks(plan, first=first)
        section += 1
        self.h1(section, self.labels["problems"])
        for text in self.narrative.apply("problems", self.problems()):
            self.paragraph(text)
        section += 1
        self.h1(section, self.labels["next_steps"])
        for text in self.narrative.apply("next_steps", self.next_steps()):
            self.paragraph(text)
        if self.reminders:
            self.paragraph(self.labels["units_intro"])
            for n, item in enumerate(self.reminders, start=1):
                self.paragraph(f"{n}. {item['text']}" if not self.zh else f"{n}.{item['text']}")
        return self.blocks

    def indicators(self, plan: dict[str, Any], sub: Any) -> None:
        judged = [r for r in plan["rows"] if r["status"] != Status.NO_DATA.value]
        missing = [r for r in plan["rows"] if r["status"] == Status.NO_DATA.value]
        if not judged:
            self.paragraph(
                f"{plan['short_ref']}确定的{len(plan['rows'])}项量化指标均暂无统计数据，未能评估（详见附件1）。"
                if self.zh
                else f"None of the {len(plan['rows'])} targets of {plan['short_ref']} has data (see Annex 1)."
            )
            return
        label = f"表{self.tables + 1}" if self.zh else f"Table {self.tables + 1}"
        # Counted over the targets themselves; an interim row (a past year's target) is a row of the
        # table, not another target.
        counts = self.sentences.sentence(
            "indicators",
            plan=plan,
            judged=[r for r in judged if not r["interim"]],
            missing=[r for r in missing if not r["interim"]],
            table=label,
            **self.common,
        )
        self.paragraph(counts)
        caption = f"{plan['short_ref']}主要指标完成情况" if self.zh else f"Targets of {plan['short_ref']}"
        self.table("targets", caption, judged)
        index = 0
        for dimension in plan["dimensions"]:
            rows = [r for r in dimension["rows"] if r["status"] != Status.NO_DATA.value]
            if not rows:
                continue
            index += 1
            sub(index, dimension["heading"])
            # A paragraph holds at most TARGETS_PER_PARAGRAPH targets (an interim row goes with its
            # target), so that a dimension with many targets does not read as one block.
            groups: list[list[dict[str, Any]]] = []
            for row in rows:
                if groups and groups[-1][-1]["id"] == row["id"]:
                    groups[-1].append(row)
                else:
                    groups.append([row])
            for start in range(0, len(groups), TARGETS_PER_PARAGRAPH):
                sentences: list[str] = []
                for group in groups[start : start + TARGETS_PER_PARAGRAPH]:
                    for position, row in enumerate(group):
                        # After the same target's interim year, the pattern that dates the figure
                        # ("截至2019年底，…"), so that the two years cannot be confused.
                        variant = 0 if position else len(sentences) % 3
                        sentences.append(
                            self.sentences.sentence(
                                "achieved" if row["status"] == Status.ACHIEVED.value else "target",
                                row=row,
                                variant=variant,
                                **self.common,
                            )
                        )
                self.paragraph(("" if self.zh else " ").join(s for s in sentences if s))

    def tasks(self, plan: dict[str, Any], *, first: bool) -> None:
        # Nothing is drafted for 主要工作成效: the office's own text opens the section, before the
        # counts of the tasks (in a report of several plans, in the first plan's part).
        if first:
            for text in self.narrative.apply("achievements", []):
                self.paragraph(text)
        tasks = plan["milestones"]
        if tasks:
            for text in self.sentences.paragraphs("tasks", plan=plan, tasks=tasks, **self.common):
                self.paragraph(text)
        else:
            self.paragraph(self.labels["no_milestones"])
        known = [r for r in tasks if r["status"] != Status.NO_DATA.value]
        if known:
            caption = f"{plan['short_ref']}重点任务进展情况" if self.zh else f"Tasks of {plan['short_ref']}"
            self.table("tasks", caption, known)

    # ------------------------------------------------------------------- problems and next steps

    def _final_rows(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        return [(plan, r) for plan in self.plans for r in plan["all_rows"] if not r["interim"]]

    def problems(self) -> list[str]:
        rows = self._final_rows()
        missed = [r for _, r in rows if r["status"] == Status.MISSED.value]
        behind = [r for _, r in rows if r["status"] in BEHIND]
        overdue = [r for _, r in rows if r["status"] in (Status.OVERDUE.value, Status.NOT_STARTED.value)]
        missing = [
            r for _, r in rows if r["status"] == Status.NO_DATA.value and r["kind"] != Kind.MILESTONE.value
        ]
        unknown = [
            r for _, r in rows if r["status"] == Status.NO_DATA.value and r["kind"] == Kind.MILESTONE.value
        ]
        points: list[str] = []
        if self.zh:
            if missed:
                worst = min(
                    (r for r in missed if r["attainment"] is not None),
                    key=lambda r: r["attainment"],
                    default=None,
                )
                detail = f"，其中{worst['name']}完成率仅为{worst['attainment_text']}" if worst else ""
                points.append(
                    f"部分指标未能如期实现。{_join([r['name'] for r in missed], 'zh')}未实现目标{detail}。"
                )
            if behind:
                groups = []
                for status in BEHIND:
                    names = [r["name"] for r in behind if r["status"] == status]
                    if names:
                        groups.append(f"{_join(names, 'zh')}{behind_word(status)}")
                # 需加快推进 is progress short of the pace needed, not yet behind it: the lead says which.
                lagging = any(r["status"] != Status.ACCELERATE.value for r in behind)
                lead = "部分指标进度滞后。" if lagging else "部分指标进度有待加快。"
                points.append(lead + "，".join(groups) + "，完成目标的压力较大。")
            if overdue:
                points.append(
                    f"部分重点任务推进迟缓。{_join([r['name'] for r in overdue], 'zh')}已过完成时限仍未完成。"
                )
            if missing:
                names = [r["name"] for r in missing]
                shown = _join(names[:3], "zh") + (f"等{len(names)}项指标" if len(names) > 3 else "")
                points.append(f"部分指标缺乏统计监测。{shown}尚无统计数据，无法评估进展（见附件1）。")
            if unknown:
                points.append(
                    f"部分重点任务进展情况未报送。{len(unknown)}项重点任务暂无进展情况（见附件1）。"
                )
            if not points:
                return ["对照目标任务，各项指标和重点任务总体进展顺利，未发现明显短板。"]
            if len(points) == 1:
                return points  # 一是 with no 二是 after it is not how a document counts one point
            return [f"{_ordinal(i, 'zh')}{p}" for i, p in enumerate(points, start=1)]
        if missed:
            points.append(f"Targets missed: {_join([r['name'] for r in missed], 'en')}.")
        if behind:
            points.append(f"Targets behind schedule: {_join([r['name'] for r in behind], 'en')}.")
        if overdue:
            points.append(f"Tasks overdue: {_join([r['name'] for r in overdue], 'en')}.")
        if missing:
            points.append(
                f"{len(missing)} targets have no statistics yet and cannot be assessed (see Annex 1)."
            )
        return points or ["All targets and tasks are on course."]

    def next_steps(self) -> list[str]:
        rows = self._final_rows()
        lagging = [r for _, r in rows if r["status"] in (*BEHIND, Status.MISSED.value)]
        overdue = [r for _, r in rows if r["status"] in (Status.OVERDUE.value, Status.NOT_STARTED.value)]
        missing = [
            r for _, r in rows if r["status"] == Status.NO_DATA.value and r["kind"] != Kind.MILESTONE.value
        ]
        if not self.zh:
            steps = []
            if lagging:
                steps.append(f"Speed up {_join([r['name'] for r in lagging], 'en')}.")
            if overdue:
                steps.append(f"Complete the overdue tasks: {_join([r['name'] for r in overdue], 'en')}.")
            if missing:
                steps.append("Set up statistics for the targets without data.")
            return steps or ["Keep the targets and tasks on course."]
        steps = []
        if lagging:
            steps.append(
                f"聚焦薄弱环节，针对{_join([r['name'] for r in lagging], 'zh')}等指标分析原因、"
                "细化措施，确保如期实现目标"
            )
        if overdue:
            steps.append(f"加强督促检查，推动{_join([r['name'] for r in overdue], 'zh')}等逾期任务尽快完成")
        if missing:
            steps.append("健全知识产权统计监测制度，将尚无数据的指标纳入统计，定期开展监测评估")
        steps.append("总结推广好经验好做法，持续巩固已实现指标的成果")
        if len(steps) == 1:
            return [f"{steps[0]}。"]  # one step is not counted: 一是 calls for a 二是
        return [
            "".join(
                f"{_ordinal(i, 'zh')}{s}；" if i < len(steps) else f"{_ordinal(i, 'zh')}{s}。"
                for i, s in enumerate(steps, start=1)
            )
        ]


def behind_word(status: str) -> str:
    return {
        Status.ACCELERATE.value: "需加快推进",
        Status.BEHIND.value: "进度滞后预期",
        Status.REGRESSING.value: "呈逆向变化",
    }[status]


def reminders(plans: Sequence[Mapping[str, Any]], issuer: str, lang: str) -> list[dict[str, Any]]:
    """One line per target or task still needing action, its units together; units above the issuer
    as partners. Each: name, status_label, detail, units (addressed), partners, text."""
    out = []
    for plan in plans:
        for row in plan["all_rows"]:
            if row["interim"] or row["status"] not in NEEDS_ACTION:
                continue
            units = [u for u in row["responsible"] if not is_above(u, issuer) and u != issuer]
            partners = [u for u in row["responsible"] if is_above(u, issuer)]
            if lang == "zh":
                text = f"{row['display_name']}（{row['status_label']}"
                text += f"，{row['detail']}）" if row["detail"] else "）"
                if units:
                    text += f"：请{_join(units, 'zh')}加快推进"
                    text += f"，积极争取{_join(partners, 'zh')}支持。" if partners else "。"
                elif partners:
                    text += f"：积极争取{_join(partners, 'zh')}支持。"
                else:
                    text += "。"
            else:
                text = f"{row['display_name']} ({row['status_label']})"
                if units:
                    text += f": {_join(units, 'en')} to act"
                if partners:
                    text += f", with the support of {_join(partners, 'en')}"
                text += "."
            out.append(
                {
                    "name": row["display_name"],
                    "status_label": row["status_label"],
                    "detail": row["detail"],
                    "units": units,
                    "partners": partners,
                    "text": text,
                }
            )
    return out


# The columns of each kind of table in the Markdown and HTML reports: (label key, row field, class).
# The Word template has the same columns; there, as here, a column with no value is left out.
TABLE_COLUMNS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "targets": (
        ("indicator", "display_name", "name"),
        ("unit", "unit_text", "status"),
        ("target", "target_cell", "num"),
        ("latest", "latest_text", "num"),
        ("attainment", "attainment_text", "num"),
        ("status", "status_label", "status"),
    ),
    "full_targets": (
        ("indicator", "display_name", "name"),
        ("unit", "unit_text", "status"),
        ("target", "target_cell", "num"),
        ("baseline", "baseline_text", "num"),
        ("latest", "latest_text", "num"),
        ("gap", "gap_text", "num"),
        ("attainment", "attainment_text", "num"),
        ("status", "status_label", "status"),
    ),
    "missing": (
        ("name_or_task", "display_name", "name"),
        ("target_or_deadline", "target_text", "num"),
        ("responsible", "responsible_text", "name"),
    ),
    "units": (("name_or_task", "display_name", "name"), ("responsible", "responsible_text", "name")),
    "tasks": (
        ("task", "display_name", "name"),
        ("deadline", "deadline_text", "num"),
        ("status", "status_label", "status"),
        ("completed", "completed_text", "num"),
        ("responsible", "responsible_cell", "name"),
    ),
}


def add_columns(block: dict[str, Any], labels: Mapping[str, str]) -> None:
    """Give a table block its ``columns`` (label, field, class), without those that are all "—"."""
    rows = block["rows"]
    block["columns"] = [
        {"label": labels[key], "field": field, "class": css}
        for index, (key, field, css) in enumerate(TABLE_COLUMNS[block["kind"]])
        if index == 0 or any(str(row[field]) != DASH for row in rows)
    ]
