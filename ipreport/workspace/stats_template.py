"""`ipreport stats-template`: the wide statistics sheet staff fill in, read back as it is by `gaps`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ipreport.assessment.series import unit_mismatch
from ipreport.catalogue import catalogue
from ipreport.errors import InputError, OptionError, Problem
from ipreport.model import Kind, Observation, Plan, Statistics, Target, TaskState
from ipreport.render.exports import safe_cell
from ipreport.render.report.numerals import measure
from ipreport.util.numbers import fold_name, plain
from ipreport.util.units import conversion_factor

# The words the drop-down offers; statistics.STATE_WORDS reads each of them back.
STATE_CHOICES = {TaskState.DONE: "已完成", TaskState.IN_PROGRESS: "推进中", TaskState.NOT_STARTED: "未启动"}
SHEET_TITLE = "统计数据"
COMPLETED_HEADER = "完成日期"  # statistics.COLUMN_NAMES reads it as the date column
HELP_TITLE = "填写说明"
# The comment on a quantified row's name: what a year's cell holds (render.report.numerals.measure).
MEASURE_NOTES = {
    "stock": "年末数：各年份填写截至当年年底的数值（存量指标）。",
    "flow": "全年数：各年份填写当年全年的数值，不是历年累计数（流量指标）。",
}
FORMATS = (".xlsx", ".csv")


@dataclass
class Row:
    """One row of the sheet: an indicator (of a region) with its unit and the values known per year."""

    region: str | None
    indicator: str
    unit: str
    milestone: bool
    names: tuple[str, ...]  # folded names statistics may use for it
    values: dict[int, Decimal | TaskState] = field(default_factory=dict)
    completed: dt.date | None = None  # task rows: the day it was done
    measure: str = ""  # "stock" or "flow" (a quantified row): what a year's cell is to hold


@dataclass(frozen=True)
class Sheet:
    """The whole sheet before it is written: layout decisions and rows."""

    with_region: bool
    years: tuple[int, ...]
    rows: tuple[Row, ...]
    warnings: tuple[str, ...] = ()

    @property
    def with_dates(self) -> bool:
        """A 完成日期 column, for the day each task was done: only when there are tasks."""
        return any(row.milestone for row in self.rows)

    @property
    def headers(self) -> list[str | int]:
        labels: list[str | int] = ["地区"] if self.with_region else []
        dates: list[str | int] = [COMPLETED_HEADER] if self.with_dates else []
        return [*labels, "指标", "单位", *dates, *self.years]

    def cells(self, row: Row) -> list[Any]:
        """A row's cells: texts made safe for spreadsheets, numbers as numbers, states as their words."""
        labels = [safe_cell(row.region)] if self.with_region else []
        dates = [row.completed] if self.with_dates else []
        return [
            *labels,
            safe_cell(row.indicator),
            safe_cell(row.unit),
            *dates,
            *(_cell(row.values.get(y)) for y in self.years),
        ]


def _cell(value: Decimal | TaskState | None) -> Any:
    if value is None:
        return None
    if isinstance(value, TaskState):
        return STATE_CHOICES[value]
    return int(value) if value == value.to_integral_value() else float(value)


def build_sheet(
    plans: Sequence[Plan], existing: Statistics | None = None, through: int | None = None
) -> Sheet:
    """One row per indicator (targets sharing an indicator share a row), a column per plan year."""
    regions = dict.fromkeys(plan.region for plan in plans)
    with_region = len(regions) > 1 or (existing is not None and bool(existing.regions))
    rows: dict[tuple[str | None, str], Row] = {}
    for plan in plans:
        region = plan.region if with_region else None
        for target in plan.targets:
            key = (fold_name(region) if region else None, fold_name(target.indicator))
            if key not in rows:
                rows[key] = Row(
                    region=region,
                    indicator=target.indicator,
                    unit="" if target.kind is Kind.MILESTONE else target.unit or _catalogue_unit(target),
                    milestone=target.kind is Kind.MILESTONE,
                    names=tuple(fold_name(name) for name in target.names if name),
                    measure="" if target.kind is Kind.MILESTONE else measure(target),
                )
    years = set(_plan_years(plans))
    if through is not None and through > max(years):
        years.add(through)  # next year's job goes on past the plan's target year
    warnings: list[str] = []
    if existing is not None:
        _fill(list(rows.values()), existing, with_region, years, warnings)
        for row in _extra_rows(list(rows.values()), existing, with_region):
            rows[(fold_name(row.region) if row.region else None, fold_name(row.indicator))] = row
            years.update(row.values)
    # Years run without a hole, so the sheet reads like the office's own yearly tables.
    return Sheet(with_region, tuple(range(min(years), max(years) + 1)), tuple(rows.values()), tuple(warnings))


def _catalogue_unit(target: Target) -> str:
    """A growth target states a rate, not the indicator's unit; the sheet's row still needs one, so that
    staff know what to type ("知识产权质押融资额" in 亿元): the indicator catalogue's, or none."""
    entry = catalogue().of_target(target.indicator, target.name)
    return entry.unit if entry is not None else ""


def _plan_years(plans: Sequence[Plan]) -> range:
    """The baseline year before the first plan starts through the last target year."""
    first = min(min(plan.start_year - 1, plan.baseline_year or plan.start_year) for plan in plans)
    last = max(max([plan.target_year, *(t.year for t in plan.targets)]) for plan in plans)
    return range(first, last + 1)


def _matches(row: Row, observation: Observation, with_region: bool) -> bool:
    if fold_name(observation.indicator) not in row.names:
        return False
    if not with_region or observation.region is None:
        return True  # a file without regions speaks for every region, as the reader treats it
    return row.region is not None and fold_name(observation.region) == fold_name(row.region)


def _fill(
    rows: list[Row], existing: Statistics, with_region: bool, years: set[int], warnings: list[str]
) -> None:
    """Copy known values into the rows, in each row's unit; problems are collected, then raised."""
    problems: list[Problem] = []
    for observation in existing.observations:
        for row in rows:
            if not _matches(row, observation, with_region):
                continue
            value = _converted(row, observation, problems)
            if value is None:
                continue
            row.values.setdefault(observation.year, value)
            years.add(observation.year)
            _carry_date(row, observation, warnings)
    if problems:
        raise InputError(problems)


def _carry_date(row: Row, observation: Observation, warnings: list[str]) -> None:
    """The completion date of a task done goes into the row's one date cell; any other is named."""
    date = observation.date
    if date is None or date == row.completed:
        return
    if row.milestone and observation.state is TaskState.DONE and row.completed is None:
        row.completed = date
        return
    kept = f"; the sheet keeps {row.completed.isoformat()}" if row.completed else ""
    warnings.append(
        f"{observation.origin}: date {date.isoformat()} of \"{observation.indicator}\" is not carried into "
        f"the sheet: it has one completion date per task, for the year it was done{kept}"
    )


def _converted(row: Row, observation: Observation, problems: list[Problem]) -> Decimal | TaskState | None:
    if row.milestone:
        if observation.state is None:
            problems.append(
                Problem(
                    observation.origin,
                    f'"{row.indicator}" is a milestone: expected a state '
                    f'such as 已完成, found "{plain(observation.value or Decimal(0))}"',
                )
            )
        return observation.state
    if observation.value is None:
        problems.append(
            Problem(
                observation.origin,
                f'"{row.indicator}" is not a milestone: expected a number, '
                f'found the state "{observation.state.value if observation.state else ""}"',
            )
        )
        return None
    factor = conversion_factor(observation.unit, row.unit)
    if factor is None:
        problems.append(unit_mismatch(observation, row.unit, "the sheet row"))
        return None
    return observation.value * factor


def _extra_rows(rows: list[Row], existing: Statistics, with_region: bool) -> list[Row]:
    """Rows for known values no plan asks for: they stay in the sheet rather than being dropped."""
    extra: dict[tuple[str | None, str], Row] = {}
    for observation in existing.observations:
        if any(_matches(row, observation, with_region) for row in rows):
            continue
        region = observation.region if with_region else None
        key = (fold_name(region) if region else None, fold_name(observation.indicator))
        row = extra.get(key)
        if row is None:
            row = extra[key] = Row(
                region,
                observation.indicator,
                observation.unit,
                observation.state is not None,
                (fold_name(observation.indicator),),
            )
        reading: Decimal | TaskState | None = observation.state or observation.value
        if reading is not None:
            row.values.setdefault(observation.year, reading)
    return list(extra.values())


# ---------------------------------------------------------------------------- writing


def write_stats_template(
    plan_refs: Sequence[str],
    out: Path,
    *,
    existing: str | Path | None = None,
    encoding: str | None = None,
    through: int | None = None,
) -> tuple[Path, tuple[str, ...]]:
    """Write the sheet for ``plan_refs`` to a new file ``out`` (.xlsx or .csv); returns it and warnings."""
    from ipreport.inputs import load_inputs

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise OptionError("--output", f'expected a .xlsx or .csv file name, found "{out.name}"')
    if out.exists() and not out.is_dir():
        # A filled-in sheet is a year of an office's work: never replaced by an empty one.
        raise OptionError(
            "--output", f'"{out}" already exists; write a new file (with --stats "{out}" to keep its values)'
        )
    plans, statistics = load_inputs(plan_refs, existing, encoding)
    sheet = build_sheet(plans, statistics, through)
    inputs = [Path(ref) for ref in plan_refs if Path(ref).is_file()] + ([Path(existing)] if existing else [])
    if suffix == ".csv":
        from ipreport.util.atomic import write_atomic

        write_atomic(out, sheet_csv(sheet).encode("utf-8"), inputs=inputs)
    else:
        from ipreport.util.atomic import atomic_path

        workbook = sheet_workbook(sheet)
        with atomic_path(out, inputs=inputs) as temp:
            workbook.save(temp)
    return out, sheet.warnings


def sheet_csv(sheet: Sheet) -> str:
    """The sheet as CSV, UTF-8 with BOM so Excel on Chinese Windows opens it right."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow(["" if cell is None else _csv_text(cell) for cell in sheet.cells(row)])
    return "\ufeff" + buffer.getvalue()


def _csv_text(cell: Any) -> str:
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float):
        return plain(Decimal(repr(cell)))
    return str(cell)


def _width(text: str) -> int:
    """Columns a text takes in Excel: CJK characters count double."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


HELP_LINES = (
    "每行一个指标，每列一个年份：在对应年份下填写该年数值（单位见“单位”列，可改为万、亿等前缀单位）。",
    "重点任务行在对应年份下从下拉列表选择：已完成、推进中、未启动。",
    "任务已完成的，在“完成日期”列填写完成的日期（如 2023-06-30）；未完成的留空。",
    "指标名称单元格的批注说明该行填年末数还是全年数。",
    "没有数据的单元格留空即可；请勿修改已有表头或移动本工作表的位置。",
    "新的年份可在最后一列之后增加一列，表头写年份（如 2026）；",
    "也可运行 ipreport stats-template 规划 --update 本文件 自动增加。",
    "填好后运行：ipreport gaps 规划 --stats 本文件  或  ipreport report 规划 --stats 本文件",
)


def sheet_workbook(sheet: Sheet) -> Any:
    """The sheet as an openpyxl workbook: bold frozen header, widths set, drop-downs on task rows."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    ws = workbook.active
    ws.title = SHEET_TITLE
    ws.append(sheet.headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    labels = len(sheet.headers) - len(sheet.years)
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(STATE_CHOICES.values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="重点任务状态",
        error="请从列表中选择：" + "、".join(STATE_CHOICES.values()),
    )
    ws.add_data_validation(choices)
    dates = sheet.headers.index(COMPLETED_HEADER) + 1 if sheet.with_dates else 0
    for number, row in enumerate(sheet.rows, start=2):
        ws.append(sheet.cells(row))
        if row.measure:
            # What a year's cell holds, from the plan's `measure` or the indicator catalogue: a stock is
            # the figure at the year's end, a flow the year's total (not a running total).
            note = MEASURE_NOTES[row.measure]
            ws.cell(row=number, column=sheet.headers.index("指标") + 1).comment = Comment(note, "ipreport")
        if dates:
            ws.cell(row=number, column=dates).number_format = "yyyy-mm-dd"
        if row.milestone and sheet.years:
            first = get_column_letter(labels + 1)
            last = get_column_letter(labels + len(sheet.years))
            choices.add(f"{first}{number}:{last}{number}")
    for index, header in enumerate(sheet.headers, start=1):
        texts = [str(header)] + [
            str(ws.cell(row=r, column=index).value or "") for r in range(2, ws.max_row + 1)
        ]
        ws.column_dimensions[get_column_letter(index)].width = min(max(_width(t) for t in texts) + 2, 60)
    ws.freeze_panes = ws.cell(row=2, column=labels + 1)
    notes = workbook.create_sheet(HELP_TITLE)
    for line in HELP_LINES:
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    return workbook


# ---------------------------------------------------------------------------- next year's columns


def _year_of_header(value: Any) -> int | None:
    import re

    if isinstance(value, int) and 1900 <= value <= 2100:
        return value
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{4})\s*年?\s*", value)
        if match:
            return int(match.group(1))
    return None


def update_stats_workbook(
    plan_refs: Sequence[str], workbook_path: Path, *, through: int | None = None
) -> tuple[Path, tuple[int, ...]]:
    """Add the year columns the plans (and ``through``) need to a filled-in .xlsx sheet; return those added.

    Only new columns are written, after the last one: every typed value, format and row stays where it
    was. The file is replaced atomically.
    """
    from openpyxl import load_workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from ipreport.inputs import load_inputs
    from ipreport.util.atomic import atomic_path

    workbook_path = Path(workbook_path)
    if workbook_path.suffix.lower() != ".xlsx" or not workbook_path.is_file():
        raise OptionError("--update", f'expected an existing .xlsx sheet, found "{workbook_path}"')
    plans, _ = load_inputs(plan_refs, None, None)
    wanted = set(_plan_years(plans))
    if through is not None:
        wanted.update(range(max(wanted) + 1, through + 1))
    try:
        workbook = load_workbook(workbook_path)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        problem = Problem(str(workbook_path), f"cannot read the workbook: {type(exc).__name__}")
        raise InputError(problem) from None
    ws = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.worksheets[0]
    headers = [cell.value for cell in ws[1]]
    present = {year for value in headers if (year := _year_of_header(value)) is not None}
    if not present:
        where = f"{workbook_path}:{ws.title}!1"
        raise InputError(Problem(where, "no year columns (such as 2023) in the header"))
    wanted.update(range(max(present) + 1, max(wanted) + 1))  # no hole after the last year typed
    added = tuple(sorted(year for year in wanted if year > max(present)))
    last = max(index for index, value in enumerate(headers, start=1) if value is not None)
    for offset, year in enumerate(added, start=1):
        column = last + offset
        cell = ws.cell(row=1, column=column, value=year)
        cell.font = Font(bold=True)
        ws.column_dimensions[get_column_letter(column)].width = 8
    if added:
        _widen_drop_downs(ws, last, last + len(added))
        with atomic_path(workbook_path) as temp:
            workbook.save(temp)
    return workbook_path, added


def _widen_drop_downs(ws: Any, last: int, new_last: int) -> None:
    """A task row's drop-down ends at the old last year column: it now reaches the new ones."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    old_letter, new_letter = get_column_letter(last), get_column_letter(new_last)
    for validation in ws.data_validations.dataValidation:
        ranges = []
        for cell_range in validation.sqref.ranges:
            text = cell_range.coord
            if CellRange(text).max_col == last:
                text = text.rsplit(old_letter, 1)[0] + new_letter + text.rsplit(old_letter, 1)[1]
            ranges.append(text)
        validation.sqref = " ".join(ranges)
