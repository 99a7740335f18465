"""Rows grouped for the report: status counts and groups, the summary paragraphs, units to remind."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ipreport.model import Kind, Status
from ipreport.render.formatting import DASH
from ipreport.render.labels import TARGET_STATUS_ORDER, status_label
from ipreport.render.report.wording import Sentences

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


def plan_name(plan: Mapping[str, Any], lang: str) -> str:
    """《title》（document number） in Chinese, “title” (document number) in English."""
    document = plan["document"]
    if lang == "en":
        return f"“{plan['title']}”" + (f" ({document})" if document else "")
    return f"《{plan['title']}》" + (f"（{document}）" if document else "")


def summary(
    sentences: Sentences,
    plans: Sequence[Mapping[str, Any]],
    rows: Sequence[dict[str, Any]],
    common: Mapping[str, Any],
) -> dict[str, Any]:
    """The summary paragraphs and status counts of ``rows`` (interim rows counted apart)."""
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
        plan_names=[plan_name(p, lang) for p in plans],
        counts=counts,
        target_groups=_groups(targets, TARGET_STATUSES, lang),
        task_groups=_groups(tasks, TASK_STATUSES, lang),
        interim_groups=_groups(interim, TARGET_STATUSES, lang),
        interim_years=sorted({r["year"] for r in interim}),
        highlights=highlights,
        **common,
    )
    return {"paragraphs": paragraphs, "counts": counts}


def reminded_units(rows: Sequence[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Each responsible unit with the behind, missed or overdue rows it is reminded of."""
    units: dict[str, list[dict[str, str]]] = {}
    reminded = {status.value for status in REMINDED}
    for row in rows:
        if row["status"] not in reminded:
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


def reminder_detail(row: Mapping[str, Any], lang: str) -> str:
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
        growth = row["actual_cagr_abs_text"]
        fell = row["actual_cagr"] < 0
        if lang == "en":
            parts.append(f"{'falling' if fell else 'growing'} {growth} a year")
        else:
            parts.append(f"{'年均下降' if fell else '年均增长'}{growth}")
    return ("; " if lang == "en" else "，").join(parts)
