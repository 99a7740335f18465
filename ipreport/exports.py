"""Machine-readable gap tables: stable JSON (documented in docs/json.md) and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from ipreport.formatting import DASH
from ipreport.gaptable import status_text, target_text
from ipreport.model import Assessment, Kind, PlanAssessment, Point, Status, Target, TargetAssessment

JSON_SCHEMA_VERSION = 1
# Characters that make a spreadsheet treat a cell as a formula (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _rounded(value: float | None) -> float | None:
    # Six decimals keep ratios meaningful and the output identical across platforms.
    return None if value is None else round(value, 6)


def _point_cells(point: Point | None) -> tuple[int | None, float | int | None]:
    return (None, None) if point is None else (point.year, _number(point.value))


def row_to_dict(row: TargetAssessment, lang: str) -> dict[str, Any]:
    return _row_dict(row, lang, _target_fields(row.target))


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


def _row_dict(row: TargetAssessment, lang: str, fields: tuple[Any, ...]) -> dict[str, Any]:
    (target_id, name, dimension, kind, unit, direction, rate, low, high, deadline, ongoing,
     responsible) = fields
    # Rounding and points written out rather than through _rounded: this runs for every row of every region.
    baseline, latest = row.baseline, row.latest
    attainment, progress_share, time_share = row.attainment, row.progress_share, row.time_share
    required_cagr, actual_cagr, remaining_cagr = row.required_cagr, row.actual_cagr, row.remaining_cagr
    ratio, projection = row.ratio, row.projection
    return {
        "id": target_id,
        "name": name,
        "dimension": dimension,
        "kind": kind,
        "unit": unit,
        "direction": direction,
        "status": row.status.value,
        "status_label": status_text(row, lang),
        "interim": row.interim,
        "target_value": _number(row.target_value),
        "target_year": row.target_year,
        "rate": rate,
        "min": low,
        "max": high,
        "baseline": None if baseline is None else {"year": baseline.year, "value": _number(baseline.value)},
        "latest": None if latest is None else {"year": latest.year, "value": _number(latest.value)},
        "gap": _number(row.gap),
        "attainment": None if attainment is None else round(attainment, 6),
        "progress_share": None if progress_share is None else round(progress_share, 6),
        "time_share": None if time_share is None else round(time_share, 6),
        "required_cagr": None if required_cagr is None else round(required_cagr, 6),
        "actual_cagr": None if actual_cagr is None else round(actual_cagr, 6),
        "remaining_cagr": None if remaining_cagr is None else round(remaining_cagr, 6),
        "ratio": None if ratio is None else round(ratio, 6),
        "projection": None if projection is None else round(projection, 6),
        "method": row.method,
        "deadline": deadline,
        "ongoing": ongoing,
        "task_state": row.task_state.value if row.task_state else None,
        "completed": row.completed.isoformat() if row.completed else None,
        "responsible": list(responsible),
        "notes": [note.code for note in row.notes],
    }


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


class JsonPlanWriter:
    """One plan and region of the document at a time, as ``json.dumps(indent=2)`` lays it out."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._fields: dict[int, tuple[Any, ...]] = {}  # id(target) -> its fields; regions share targets

    def plan(self, plan: PlanAssessment) -> str:
        fields, encode, lang = self._fields, _ENCODE, self.lang
        rows = []
        for row in plan.rows:
            found = fields.get(id(row.target))
            if found is None:
                found = fields[id(row.target)] = _target_fields(row.target)
            rows.append("        " + encode(_row_dict(row, lang, found)))
        # id, title, document and region are plain strings (or null): one line each, as indent=2 writes it
        lines = [f"      {encode(key)}: {encode(value)}" for key, value in _plan_dict(plan, []).items()][:-1]
        lines.append('      "targets": ' + ("[\n" + ",\n".join(rows) + "\n      ]" if rows else "[]"))
        return "    {\n" + ",\n".join(lines) + "\n    }"


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


def _target_cell(row: TargetAssessment, lang: str) -> object:
    """A number where the target is one; a task's ISO deadline; words for growth and trend; else empty."""
    if row.target_value is not None:
        return _number(row.target_value)
    if row.target.kind is Kind.MILESTONE and row.target.deadline is not None:
        return row.target.deadline.isoformat()
    text = target_text(row, lang)
    return "" if text == DASH else text


def to_csv(assessment: Assessment, *, lang: str = "zh") -> str:
    """One row per assessed target, UTF-8 with BOM so Excel on Chinese Windows opens it right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for plan_assessment in assessment.plans:
        for row in plan_assessment.rows:
            writer.writerow([safe_cell(v) for v in (
                plan_assessment.plan.id, plan_assessment.region, row.target.id, row.target.name,
                row.target.dimension, row.target.kind.value, row.target.unit,
                _target_cell(row, lang),
                row.target_year,
                *_point_cells(row.baseline),
                *_point_cells(row.latest),
                _number(row.gap), _rounded(row.attainment), _rounded(row.ratio),
                row.status.value, status_text(row, lang),
            )])
    return "\ufeff" + buffer.getvalue()



