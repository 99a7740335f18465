"""Machine-readable gap tables: stable JSON (documented in docs/json.md) and CSV."""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from ipreport.model import Assessment, Kind, Plan, PlanAssessment, Point, Status, Target, TargetAssessment
from ipreport.render.formatting import DASH
from ipreport.render.labels import status_label
from ipreport.util.rounding import half_up

JSON_SCHEMA_VERSION = 1
# Characters that make a spreadsheet treat a cell as a formula (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    # int() of a whole number also drops the sign of a negative zero
    return int(value) if value == value.to_integral_value() else float(value)


def _rounded(value: float | None) -> float | int | None:
    """Six decimals, half up on the decimal the float stands for (never a binary tie, never -0.0).

    Six decimals keep ratios meaningful and the output identical across platforms.
    """
    if value is None or not math.isfinite(value):
        return value
    return float(half_up(value, 6))


def _point_cells(point: Point | None) -> tuple[int | None, float | int | None]:
    return (None, None) if point is None else (point.year, _number(point.value))


def _target_fields(target: Target) -> tuple[Any, ...]:
    """The values of a row's dict that depend on its target alone (the same for every region)."""
    return (
        target.id,
        target.name,
        target.dimension,
        target.kind.value,
        target.unit,
        target.direction.key,
        _number(target.rate),
        _number(target.min),
        _number(target.max),
        target.deadline.isoformat() if target.deadline else None,
        target.ongoing,
        target.responsible,
    )


def row_to_dict(row: TargetAssessment, lang: str) -> dict[str, Any]:
    (target_id, name, dimension, kind, unit, direction, rate, low, high, deadline, ongoing,
     responsible) = _target_fields(row.target)
    # JsonPlanWriter writes the same members as text, in this order (tests/test_exports.py holds them equal).
    return {
        "id": target_id,
        "name": name,
        "dimension": dimension,
        "kind": kind,
        "unit": unit,
        "direction": direction,
        "status": row.status.value,
        "status_label": status_label(row.status, lang, early=row.achieved_early),
        "interim": row.interim,
        "target_value": _number(row.target_value),
        "target_year": row.target_year,
        "rate": rate,
        "min": low,
        "max": high,
        "baseline": _point_dict(row.baseline),
        "latest": _point_dict(row.latest),
        "gap": _number(row.gap),
        "attainment": _rounded(row.attainment),
        "progress_share": _rounded(row.progress_share),
        "time_share": _rounded(row.time_share),
        "required_cagr": _rounded(row.required_cagr),
        "actual_cagr": _rounded(row.actual_cagr),
        "remaining_cagr": _rounded(row.remaining_cagr),
        "ratio": _rounded(row.ratio),
        "projection": _rounded(row.projection),
        "method": row.method,
        "deadline": deadline,
        "ongoing": ongoing,
        "task_state": row.task_state.value if row.task_state else None,
        "completed": row.completed.isoformat() if row.completed else None,
        "responsible": list(responsible),
        "notes": [note.code for note in row.notes],
    }


def _point_dict(point: Point | None) -> dict[str, Any] | None:
    return None if point is None else {"year": point.year, "value": _number(point.value)}


def _header(assessment: Assessment, counts: Mapping[Status, int] | None = None) -> dict[str, Any]:
    """The document's members other than "plans" and "warnings", in their order.

    ``counts`` (rows per status) stands in for the assessment's own rows when they are elsewhere.
    """
    if counts is None:
        counts = Counter(row.status for row in assessment.rows)
    return {
        "schema": JSON_SCHEMA_VERSION,
        "year": assessment.year,
        "as_of": assessment.as_of.isoformat(),
        "statistics": assessment.statistics.name if assessment.statistics else None,
        "summary": {s.value: counts[s] for s in Status if counts.get(s)},
    }


def _plan_dict(plan: PlanAssessment, targets: list[Any]) -> dict[str, Any]:
    return {
        "id": plan.plan.id,
        "title": plan.plan.title,
        "document": plan.plan.document,
        "region": plan.region,
        "targets": targets,
    }


def to_json(assessment: Assessment, *, lang: str = "zh", compact_rows: bool = False) -> str:
    """The assessment as JSON; keys and their order are a public, versioned format.

    ``compact_rows`` writes each target on one line: the same document, but json's C encoder does
    the work (it has no indented mode), about 5x faster for the hundred thousand rows of every region.
    """
    if compact_rows:
        return "".join(json_chunks(assessment, lang=lang))
    document = {
        **_header(assessment),
        "plans": [_plan_dict(p, [row_to_dict(r, lang) for r in p.rows]) for p in assessment.plans],
        "warnings": list(assessment.warnings),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def json_chunks(assessment: Assessment, *, lang: str = "zh") -> Iterator[str]:
    """``to_json(assessment, compact_rows=True)`` in pieces, one per plan and region.

    Written out as they come, the pieces never make the whole document (a gigabyte for every region
    of a national file) exist at once.
    """
    yield json_head(assessment)
    writer = JsonPlanWriter(lang)
    for number, plan in enumerate(assessment.plans):
        yield json_plan_separator(number) + writer.plan(plan)
    yield json_tail(assessment, bool(assessment.plans))


def json_head(assessment: Assessment, counts: Mapping[Status, int] | None = None) -> str:
    """The document up to the plans: its members before "plans" (``counts``: see ``_header``)."""
    head = _members(_header(assessment, counts), 1, _ENCODE)
    return "{\n" + ",\n".join(head) + ',\n  "plans": '


def json_plan_separator(number: int) -> str:
    """What goes before the ``number``-th plan (from 0) of the "plans" list."""
    return "[\n" if number == 0 else ",\n"


def json_tail(assessment: Assessment, any_plans: bool) -> str:
    """The document after the last plan: the end of "plans", then "warnings"."""
    end = ("\n  ]" if any_plans else "[]") + ",\n"
    return end + ",\n".join(_members({"warnings": list(assessment.warnings)}, 1, _ENCODE)) + "\n}\n"


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # no indent: the C encoder


# What follows the last target line of a plan (see ``JsonPlanWriter.plan_opening``).
PLAN_CLOSING = "\n      ]\n    }"
# What follows the region's JSON string in ``JsonPlanWriter.plan_opening``.
PLAN_TARGETS = ',\n      "targets": [\n'


class JsonPlanWriter:
    """One plan and region of the document at a time, as ``json.dumps(indent=2)`` lays it out.

    Each target is one line: what ``_ENCODE(row_to_dict(row, lang))`` writes, put together as text.
    The encoder spent most of its time writing the same keys and target fields in every region, and
    round() and float repr most of the rest.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        # id(target) -> the target and its constant parts of the line; holding the target keeps its id from
        # being reused by another target while the writer lives.
        self._targets: dict[int, tuple[Target, tuple[str, str, str, str]]] = {}
        self._statuses: dict[tuple[Status, bool], str] = {}
        self._texts = _EncodedTexts()

    def plan(self, plan: PlanAssessment) -> str:
        return self.plan_text(plan.plan, plan.region, [self.row_line(row) for row in plan.rows])

    def plan_text(self, plan: Plan, region: str, rows: list[str]) -> str:
        """One plan and region whose target lines (``row_line``) are ``rows``."""
        if rows:
            return self.plan_opening(plan, region) + ",\n".join(rows) + PLAN_CLOSING
        return self.plan_opening(plan, region)[:-2] + "[]\n    }"

    def plan_opening(self, plan: Plan, region: str) -> str:
        """A plan's text up to its first target line, when it has target lines; ``PLAN_CLOSING``
        follows the last one."""
        return self.plan_head(plan) + _ENCODE(region) + PLAN_TARGETS

    def plan_head(self, plan: Plan) -> str:
        """The text of ``plan_opening`` before the region's JSON string (the same in every region)."""
        # id, title, document and region are plain strings (or null): one line each, as indent=2 writes it
        members = list(_plan_dict(PlanAssessment(plan=plan, region="", rows=()), []).items())
        assert [key for key, _ in members[-2:]] == ["region", "targets"]
        lines = [f"      {_ENCODE(key)}: {_ENCODE(value)},\n" for key, value in members[:-2]]
        return "    {\n" + "".join(lines) + '      "region": '

    def row_line(self, row: TargetAssessment) -> str:
        """One target's line of the "targets" list."""
        found = self._targets.get(id(row.target))
        if found is None or found[0] is not row.target:
            found = self._targets[id(row.target)] = (row.target, _target_parts(row.target))
        head, limits, schedule, responsible = found[1]
        # The status label depends on the status and an early achievement alone (table.status_text).
        status = self._statuses.get((row.status, row.achieved_early))
        if status is None:
            status = self._statuses[row.status, row.achieved_early] = _pairs(
                {"status": row.status.value,
                 "status_label": status_label(row.status, self.lang, early=row.achieved_early)}
            )
        texts = self._texts
        return (
            f"        {{{head}, {status}, \"interim\": {'true' if row.interim else 'false'}, "
            f"\"target_value\": {_decimal_text(row.target_value)}, \"target_year\": {row.target_year!r}, "
            f"{limits}, \"baseline\": {_point_text(row.baseline)}, \"latest\": {_point_text(row.latest)}, "
            f"\"gap\": {_decimal_text(row.gap)}, "
            f"\"attainment\": {_ratio_text(row.attainment)}, "
            f"\"progress_share\": {_ratio_text(row.progress_share)}, "
            f"\"time_share\": {_ratio_text(row.time_share)}, "
            f"\"required_cagr\": {_ratio_text(row.required_cagr)}, "
            f"\"actual_cagr\": {_ratio_text(row.actual_cagr)}, "
            f"\"remaining_cagr\": {_ratio_text(row.remaining_cagr)}, "
            f"\"ratio\": {_ratio_text(row.ratio)}, "
            f"\"projection\": {_ratio_text(row.projection)}, "
            f"\"method\": {texts[row.method]}, {schedule}, "
            f"\"task_state\": {texts[row.task_state.value if row.task_state else None]}, "
            f"\"completed\": {texts[row.completed.isoformat() if row.completed else None]}, "
            f"{responsible}, \"notes\": {self._notes_text(row)}}}"
        )

    def _notes_text(self, row: TargetAssessment) -> str:
        if not row.notes:
            return "[]"
        return self._texts[tuple(note.code for note in row.notes)]


class _EncodedTexts(dict[str | tuple[str, ...] | None, str]):
    """JSON text of strings that recur from row to row (a tuple stands for the list of its items)."""

    def __missing__(self, value: str | tuple[str, ...] | None) -> str:
        text = self[value] = _ENCODE(list(value) if isinstance(value, tuple) else value)
        return text


def _target_parts(target: Target) -> tuple[str, str, str, str]:
    """The members of a target's line that are the same in every region, as JSON text.

    In line order: id to direction, rate to max, deadline and ongoing, responsible.
    """
    (target_id, name, dimension, kind, unit, direction, rate, low, high, deadline, ongoing,
     responsible) = _target_fields(target)
    return (
        _pairs({"id": target_id, "name": name, "dimension": dimension, "kind": kind, "unit": unit,
                "direction": direction}),
        _pairs({"rate": rate, "min": low, "max": high}),
        _pairs({"deadline": deadline, "ongoing": ongoing}),
        _pairs({"responsible": list(responsible)}),
    )


def _pairs(members: dict[str, Any]) -> str:
    """``members`` as the encoder writes them inside an object: without the braces."""
    return _ENCODE(members)[1:-1]


def _point_text(point: Point | None) -> str:
    if point is None:
        return "null"
    return f'{{"year": {point.year!r}, "value": {_decimal_text(point.value)}}}'


# Text a number's shortest repr may start with below 1e-4, where repr switches to an exponent.
_BELOW_TEN_THOUSANDTH = ("0.000", "-0.000")


def _decimal_text(value: Decimal | None) -> str:
    """``_ENCODE(_number(value))``, read off ``str(value)`` where that is provably the same text.

    float(value) is float(str(value)). Its repr (what json writes) is that str again when the str has
    a point and a last digit other than 0 (not a whole number, no trailing zero), at most 15 digits
    (at most 16 characters; a double keeps 15 digits, so no other text of 15 digits or fewer reads
    back as the same double) and no exponent (str: no "E"; repr: uses one below 1e-4). A whole
    number written without exponent or sign is the int json writes.
    """
    if value is None:
        return "null"
    text = str(value)
    if "." in text:
        if text[-1] != "0" and len(text) <= 16 and "E" not in text:
            if not text.startswith(_BELOW_TEN_THOUSANDTH):
                return text
    elif text.isdigit():
        return text
    return _ENCODE(_number(value))


def _ratio_text(value: float | None) -> str:
    """``_ENCODE(_rounded(value))``, from the half-up decimal itself where that is provably the same text.

    The six-decimal half-up decimal of a value between 1e-4 and 1e8 has at most 15 digits, so its
    float's shortest repr is those digits without trailing zeros (and ".0" for a whole number),
    written without exponent. Anything else (an int as well, which json writes without ".0") takes
    the long way.
    """
    if value is None:
        return "null"
    if value.__class__ is float and 1e-4 <= abs(value) < 1e8:
        text = str(half_up(value, 6)).rstrip("0")
        return text + "0" if text[-1] == "." else text
    return _ENCODE(_rounded(value))  # also NaN and Infinity, as json writes them


def _members(mapping: dict[str, Any], level: int, encode: Callable[[object], str]) -> list[str]:
    """``"key": value`` lines of ``mapping`` as ``json.dumps(indent=2)`` writes them at ``level``."""
    pad = "  " * level
    return [
        f"{pad}{encode(key)}: "
        + json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)
        for key, value in mapping.items()
    ]


def safe_cell(value: object) -> str:
    """Text a spreadsheet will show as text: a leading = + - @ gets a quote, numbers stay numbers."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


CSV_COLUMNS = (
    "plan", "region", "id", "name", "dimension", "kind", "unit", "target", "target_year",
    "baseline_year", "baseline", "latest_year", "latest", "gap", "attainment", "ratio",
    "status", "status_label",
)
# The same columns for a Chinese interface (JSON keys, by contrast, stay English and stable).
CSV_COLUMNS_ZH = (
    "规划", "地区", "编号", "名称", "维度", "类型", "单位", "目标值", "目标年份",
    "基期年份", "基期值", "数据年份", "最新值", "差距", "完成率", "R值",
    "状态代码", "状态",
)
assert len(CSV_COLUMNS_ZH) == len(CSV_COLUMNS)


def _target_cell(row: TargetAssessment, lang: str) -> object:
    """A number where the target is one; a task's ISO deadline; words for growth and trend; else empty."""
    if row.target_value is not None:
        return _number(row.target_value)
    if row.target.kind is Kind.MILESTONE and row.target.deadline is not None:
        return row.target.deadline.isoformat()
    from ipreport.render.table import target_text  # tabulate and wcwidth: only the CSV needs them

    text = target_text(row, lang)
    return "" if text == DASH else text


def to_csv(assessment: Assessment, *, lang: str = "zh") -> str:
    """One row per assessed target, UTF-8 with BOM so Excel on Chinese Windows opens it right."""
    return csv_head() + "".join(csv_plan_rows(plan, lang) for plan in assessment.plans)


def csv_head(headers: str = "en") -> str:
    """The start of ``to_csv``: the byte-order mark and the header row (``headers``: en or zh)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(CSV_COLUMNS_ZH if headers == "zh" else CSV_COLUMNS)
    return "\ufeff" + buffer.getvalue()


def csv_plan_rows(plan_assessment: PlanAssessment, lang: str) -> str:
    """The rows ``to_csv`` writes for one plan and region."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in plan_assessment.rows:
        writer.writerow([safe_cell(v) for v in (
            plan_assessment.plan.id, plan_assessment.region, row.target.id, row.target.name,
            row.target.dimension, row.target.kind.value, row.target.unit,
            _target_cell(row, lang),
            row.target_year,
            *_point_cells(row.baseline),
            *_point_cells(row.latest),
            _number(row.gap), _rounded(row.attainment), _rounded(row.ratio),
            row.status.value, status_label(row.status, lang, early=row.achieved_early),
        )])
    return buffer.getvalue()



