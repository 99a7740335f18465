"""Plans as terminal text: the bundled list and one plan's targets."""

from __future__ import annotations

from collections.abc import Sequence

from tabulate import tabulate

from ipreport.formatting import DASH, format_date, format_number, format_percent
from ipreport.gaptable import wrap
from ipreport.labels import dimension_label, label
from ipreport.model import Kind, Plan, Target


def render_plan_list(plans: Sequence[Plan]) -> str:
    """One row per plan: id, region, period, document number and count of targets."""
    rows = [
        [plan.id, plan.region, f"{plan.start_year}–{plan.target_year}", wrap(plan.document or DASH, 22),
         len(plan.targets)]
        for plan in plans
    ]
    return tabulate(rows, headers=["id", "region", "period", "document", "targets"],
                    tablefmt="simple", disable_numparse=True) + "\n"


def target_summary(target: Target, lang: str = "zh") -> str:
    """What one target asks for, in a few words: "≥4.2件/万人", "3–5个", "2022年12月31日"."""
    if target.kind is Kind.MILESTONE:
        return label("ongoing", lang) if target.ongoing else format_date(target.deadline, lang)
    if target.kind is Kind.GROWTH and target.rate is not None:
        return f"{label('growth', lang)}{format_percent(float(target.rate), 1)}"
    if target.kind is Kind.TREND:
        return label("trend_up" if target.direction.value > 0 else "trend_down", lang)
    if target.kind is Kind.RANGE:
        return f"{format_number(target.min)}–{format_number(target.max)}{target.unit}"
    sign = "≤" if target.direction.value < 0 else "≥"
    return f"{sign}{format_number(target.value)}{target.unit}"


def render_plan(plan: Plan, lang: str = "zh") -> str:
    """A plan's header and a table of its targets, in file order."""
    head = [
        f"{plan.title}",
        f"{plan.document or DASH} · {plan.issuer or DASH} · {format_date(plan.issued, lang)}",
        f"{plan.id} · {plan.region} · {plan.start_year}–{plan.target_year}",
    ]
    # Ids can be long; wrapping every column keeps the table within 80 columns.
    rows = [
        [wrap(target.id, 20), wrap(target.name, 16), wrap(dimension_label(target.dimension, lang), 4),
         target.kind.value, wrap(target_summary(target, lang), 14), target.year]
        for target in plan.targets
    ]
    table = tabulate(rows, headers=["id", "name", "dim.", "kind", "target", "year"], tablefmt="simple",
                     disable_numparse=True)
    return "\n".join(head) + "\n\n" + table + "\n"
