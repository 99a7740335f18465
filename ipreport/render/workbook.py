"""The gap table as an Excel workbook: what offices pass around, formatted to be read as it opens.

One sheet per plan (a region column when the assessment covers several regions), Chinese headers
(or English with --lang en), numbers as numbers with the unit in its own column, attainment as a
percentage, the status cell coloured, the header frozen and bold, columns sized to their text.
`gaps --each-region` adds a first sheet with the statuses counted per region.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ipreport.model import Assessment, Kind, PlanAssessment, Status, TargetAssessment
from ipreport.render.exports import safe_cell
from ipreport.render.labels import dimension_label, label, status_label
from ipreport.render.table import deadline_text, row_name, status_text, summary_line, target_text

# Fill colours of the status cell (light, so black text stays readable when printed).
STATUS_FILLS: dict[Status, str] = {
    Status.ACHIEVED: "C6EFCE", Status.AHEAD: "C6EFCE", Status.DONE: "C6EFCE",
    Status.ON_TRACK: "DDEBF7",
    Status.ACCELERATE: "FFEB9C", Status.IN_PROGRESS: "FFEB9C", Status.ONGOING: "FFEB9C",
    Status.NOT_STARTED: "FFEB9C",
    Status.BEHIND: "FFC7CE", Status.REGRESSING: "FFC7CE", Status.MISSED: "FFC7CE", Status.OVERDUE: "FFC7CE",
    Status.NO_DATA: "EDEDED", Status.INSUFFICIENT_DATA: "EDEDED",
}
COLUMNS = ("dimension", "indicator", "unit", "target", "target_year", "latest", "latest_year", "gap",
           "attainment", "status", "deadline")
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_MAX_WIDTH = 60


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _width(text: str) -> int:
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def _cells(row: TargetAssessment, lang: str) -> list[Any]:
    """One row's cells in COLUMNS order: texts made safe, numbers as numbers."""
    milestone = row.target.kind is Kind.MILESTONE
    target: Any = _number(row.target_value) if row.target.kind is Kind.LEVEL else target_text(row, lang)
    return [
        dimension_label(row.target.dimension, lang),
        safe_cell(row_name(row)),
        "" if milestone else safe_cell(row.target.unit),
        None if milestone else target,
        None if milestone else row.target_year,
        _number(row.latest.value) if row.latest else None,
        row.latest.year if row.latest else None,
        _number(row.gap),
        row.attainment,
        status_text(row, lang),
        deadline_text(row, lang) if milestone else None,
    ]


def _sheet_title(text: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, unique in the workbook."""
    base = _SHEET_UNSAFE.sub("_", text)[:31] or "Sheet"
    title, number = base, 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def _format_sheet(ws: Any, header_count: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"
    for index in range(1, header_count + 1):
        letter = get_column_letter(index)
        texts = [str(c.value) for c in ws[letter] if c.value is not None]
        ws.column_dimensions[letter].width = min(max([_width(t) for t in texts] + [6]) + 2, _MAX_WIDTH)


def _plan_sheet(ws: Any, plans: list[PlanAssessment], lang: str, with_region: bool) -> None:
    from openpyxl.styles import PatternFill

    keys = (("region",) if with_region else ()) + COLUMNS
    ws.append([label(key, lang) for key in keys])
    status_column = keys.index("status") + 1
    attainment_column = keys.index("attainment") + 1
    for plan in plans:
        for row in plan.rows:
            ws.append(([plan.region] if with_region else []) + _cells(row, lang))
            number = ws.max_row
            fill = PatternFill("solid", fgColor=STATUS_FILLS[row.status])
            ws.cell(row=number, column=status_column).fill = fill
            ws.cell(row=number, column=attainment_column).number_format = "0.0%"
    _format_sheet(ws, len(keys))
    ws.append([])
    ws.append([summary_line([row for plan in plans for row in plan.rows], lang)])


def _summary_sheet(ws: Any, counts: Mapping[str, Mapping[Status, int]], lang: str) -> None:
    from openpyxl.styles import PatternFill

    used = [status for status in Status if any(by.get(status) for by in counts.values())]
    ws.append([label("region", lang), *(status_label(s, lang) for s in used), label("summary", lang)])
    for region, by_status in counts.items():
        ws.append([safe_cell(region), *(by_status.get(s, 0) for s in used), sum(by_status.values())])
    _format_sheet(ws, len(used) + 2)
    for cell in ws[1][1:-1]:
        cell.fill = PatternFill("solid", fgColor=STATUS_FILLS[used[cell.column - 2]])


def gaps_workbook(
    assessment: Assessment,
    *,
    lang: str = "zh",
    region_counts: Mapping[str, Mapping[Status, int]] | None = None,
) -> bytes:
    """The .xlsx file: the summary across regions first when ``region_counts`` is given, a sheet per plan."""
    from openpyxl import Workbook

    workbook = Workbook()
    taken: set[str] = set()
    first = workbook.active
    if region_counts is not None:
        first.title = _sheet_title(label("regions_summary", lang), taken)
        _summary_sheet(first, region_counts, lang)
        first = None
    by_plan: dict[str, list[PlanAssessment]] = {}
    for plan in assessment.plans:
        by_plan.setdefault(plan.plan.id, []).append(plan)
    with_region = len({plan.region for plan in assessment.plans}) > 1
    for plan_id, plans in by_plan.items():
        ws = first if first is not None else workbook.create_sheet()
        first = None
        ws.title = _sheet_title(plan_id, taken)
        _plan_sheet(ws, plans, lang, with_region)
    # Dated by the assessment, not the clock: equal inputs give equal files.
    moment = dt.datetime(assessment.as_of.year, assessment.as_of.month, assessment.as_of.day)
    workbook.properties.created = workbook.properties.modified = moment
    workbook.properties.creator = "ipreport"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
