"""Plans as terminal text: the bundled list and one plan's targets."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ipreport.model import Plan, Target
from ipreport.render.formatting import DASH, format_date
from ipreport.render.labels import dimension_label, dimensions_in_order
from ipreport.render.table import asked_text, tabulate, wrap

_ID_PARTS = re.compile(r"[^-]*-|[^-]+")


PLAN_LIST_HEADERS = {
    "en": ["id", "region", "period", "document", "targets"],
    "zh": ["编号", "地区", "规划期", "文号", "目标数"],
}


PLAN_TARGET_HEADERS = {
    "en": ["id", "name", "kind", "target", "year"],
    "zh": ["编号", "名称", "类型", "目标", "年份"],
}
# A target's kind as a Chinese reader says it; English keeps the plan file's own word.
KIND_WORDS_ZH = {"level": "数值", "growth": "增速", "range": "区间", "trend": "趋势", "milestone": "任务"}


def render_plan_list(plans: Sequence[Plan], lang: str = "en") -> str:
    """One row per plan: id, region, period, document number and count of targets (headers in ``lang``)."""
    rows = [
        [plan.id, plan.region, f"{plan.start_year}–{plan.target_year}", wrap(plan.document or DASH, 22),
         len(plan.targets)]
        for plan in plans
    ]
    return tabulate(rows, headers=PLAN_LIST_HEADERS[lang],
                    tablefmt="simple", disable_numparse=True) + "\n"


def target_summary(target: Target, lang: str = "zh") -> str:
    """What one target asks for, in a few words: "≥4.2件/万人", "3–5个", "2022年12月31日"."""
    return asked_text(target, target.value, lang, floor_sign="≥")


def wrap_id(text: str, width: int) -> str:
    """Break an id only after its hyphens, so each line can be read (and copied) as written."""
    lines: list[str] = []
    current = ""
    for part in _ID_PARTS.findall(text):
        if current and len(current) + len(part) > width:
            lines.append(current)
            current = ""
        current += part
    lines.append(current)
    return "\n".join(lines)


def render_plan(plan: Plan, lang: str = "zh", width: int = 80) -> str:
    """A plan's header, then its targets grouped by dimension, in file order."""
    identity = [plan.document, plan.issuer, format_date(plan.issued, lang) if plan.issued else ""]
    head = [
        wrap(plan.title, width - 2),
        *([wrap(" · ".join(part for part in identity if part), width - 2)] if any(identity) else []),
        f"{plan.id} · {plan.region} · {plan.start_year}–{plan.target_year}",
    ]
    blocks = ["\n".join(head)]
    for dimension in dimensions_in_order(t.dimension for t in plan.targets):
        rows = [
            [wrap_id(target.id, 24), wrap(target.name, 18),
             KIND_WORDS_ZH.get(target.kind.value, target.kind.value) if lang == "zh" else target.kind.value,
             wrap(target_summary(target, lang), 14), target.year]
            for target in plan.targets
            if target.dimension == dimension
        ]
        table = tabulate(rows, headers=PLAN_TARGET_HEADERS[lang], tablefmt="simple",
                         disable_numparse=True)
        blocks.append(f"■ {dimension_label(dimension, lang)}\n{table}")
    return "\n\n".join(blocks) + "\n"


