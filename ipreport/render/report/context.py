"""The report template context: an Assessment turned into plain dicts, lists and ready-formatted strings."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ipreport.model import Assessment, Kind, PlanAssessment, Status
from ipreport.render.formatting import DASH, MINUS, format_date
from ipreport.render.labels import dimension_label, dimensions_in_order
from ipreport.render.report.charts import ATTAINMENT_WIDTH_MM, TREND_WIDTH_MM
from ipreport.render.report.rows import status_color as status_color
from ipreport.render.report.rows import target_row
from ipreport.render.report.summary import (
    MILESTONE_ORDER,
    plan_name,
    reminded_units,
    reminder_detail,
    summary,
)
from ipreport.render.report.wording import Sentences, labels, lang_index, scope_word
from ipreport.render.report.wording import note_text as note_text
from ipreport.util.clock import report_date


def _image(value: object, width_mm: float = ATTAINMENT_WIDTH_MM) -> dict[str, Any] | None:
    """A chart as the templates see it: PNG path, width in mm, and a data: URI for HTML and Markdown."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        path, width = Path(str(value["path"])), float(value.get("width_mm", width_mm))
    elif isinstance(value, (str, Path)):
        path, width = Path(value), width_mm
    else:
        chart: Any = value  # a chart object with .path and optionally .width_mm
        path, width = Path(str(chart.path)), float(getattr(chart, "width_mm", width_mm))
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return {"path": str(path), "width_mm": width, "data_uri": f"data:image/png;base64,{data}"}



def _plan(
    pa: PlanAssessment,
    lang: str,
    sentences: Sentences,
    common: Mapping[str, Any],
    charts: Mapping[str, object],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    plan = pa.plan
    rows = []
    for ta in pa.rows:
        row = target_row(ta, lang)
        row["detail"] = reminder_detail(row, lang)
        if ta.target.kind is not Kind.MILESTONE:
            variables = {"row": row, **common}
            if ta.status is Status.ACHIEVED:
                row["sentence"] = sentences.sentence("achieved", **variables)
            else:
                row["sentence"] = ""
                row["paragraph"] = sentences.sentence("target", **variables)
        else:
            row["sentence"] = ""
        rows.append(row)
    quantified = [r for r in rows if r["kind"] != Kind.MILESTONE.value]
    dimensions = []
    for index, name in enumerate(dimensions_in_order(r["dimension"] for r in quantified), start=1):
        members = [r for r in quantified if r["dimension"] == name]
        no_data = list(dict.fromkeys(r["name"] for r in members if r["status"] == Status.NO_DATA.value))
        judged = [r for r in members if r["status"] != Status.NO_DATA.value]
        paragraphs = [r["paragraph"] for r in judged if r["paragraph"]]
        if no_data:
            # One sentence for all targets without data, not one paragraph each.
            paragraphs.append(sentences.sentence("no_data", names=no_data, **common))
        dimensions.append(
            {
                "name": name,
                "heading": dimension_label(name, lang),
                "index": index,
                "rows": members,
                "paragraphs": paragraphs,
                "no_data_names": no_data,
                # One trend chart per target: an interim row shares its target's chart.
                "trend_rows": [r for r in members if not r["interim"]],
            }
        )
    order = {status.value: i for i, status in enumerate(MILESTONE_ORDER)}
    deadlines = _deadlines(pa)
    milestones = sorted(
        (r for r in rows if r["kind"] == Kind.MILESTONE.value),
        key=lambda r: (order.get(r["status"], len(order)), deadlines.get(r["id"], dt.date.max)),
    )
    context: dict[str, Any] = {
        "id": plan.id,
        "title": plan.title,
        "name": "",
        "document": plan.document,
        "issuer": plan.issuer,
        "issued_text": format_date(plan.issued, lang) if plan.issued else DASH,
        "start_year": plan.start_year,
        "target_year": plan.target_year,
        "region": pa.region,
        "dimensions": dimensions,
        "milestones": milestones,
        "units": reminded_units(rows, lang),
        "rows": quantified,
        "chart_trend": {},
    }
    context["name"] = plan_name(context, lang)
    trend = {}
    for row in quantified:
        image = _image(charts.get(f"trend:{plan.id}:{row['id']}"), TREND_WIDTH_MM)
        if image is not None:
            trend[row["id"]] = image
    context["chart_trend"] = trend
    context["summary"] = summary(sentences, [context], rows, common)
    return context, rows


def _deadlines(pa: PlanAssessment) -> dict[str, dt.date]:
    """Each target's deadline (the first row of an id decides), a task without one last."""
    deadlines: dict[str, dt.date] = {}
    for ta in pa.rows:
        deadlines.setdefault(ta.target.id, ta.target.deadline or dt.date.max)
    return deadlines


def default_title(region: str, year: int, lang: str = "zh") -> str:
    if lang == "en":
        return f"Intellectual Property Development Report of {region}, {year}"
    return f"{region}{year}年知识产权发展状况报告"


def build_context(
    assessment: Assessment,
    *,
    lang: str = "zh",
    title: str | None = None,
    charts: Mapping[str, object] | None = None,
    written: dt.date | None = None,
    chart_note: str | None = None,
    template_dirs: Sequence[Path] = (),
) -> dict[str, Any]:
    """The template context for one report (docs/templates.md); sentences come from templates/sentences/."""
    lang_index(lang)
    charts = charts or {}
    regions = list(dict.fromkeys(pa.region for pa in assessment.plans))
    region = "、".join(regions) if lang == "zh" else ", ".join(regions)
    sentences = Sentences(lang, template_dirs)
    thresholds = assessment.plans[0].plan.thresholds if assessment.plans else None
    common = {
        "region": region,
        "scope": scope_word(regions[0], lang) if len(regions) == 1 else region,
        "year": assessment.year,
        "as_of_text": format_date(assessment.as_of, lang),
        "labels": labels(lang),
    }
    plans = []
    all_rows: list[dict[str, Any]] = []
    for pa in assessment.plans:
        plan, rows = _plan(pa, lang, sentences, common, charts)
        plans.append(plan)
        all_rows.extend(rows)
    method = sentences.paragraphs(
        "method",
        ahead=_threshold(thresholds.ahead if thresholds else 1.0),
        on_track=_threshold(thresholds.on_track if thresholds else 0.95),
        accelerate=_threshold(thresholds.accelerate if thresholds else 0.6),
        behind=_threshold(thresholds.behind if thresholds else 0.0),
        **common,
    )
    context: dict[str, Any] = {
        "title": title or default_title(region, assessment.year, lang),
        "region": region,
        "scope": common["scope"],
        "year": assessment.year,
        "as_of_text": common["as_of_text"],
        "written_text": format_date(report_date(written), lang),
        "lang": lang,
        "labels": common["labels"],
        "plans": plans,
        "summary": summary(sentences, plans, all_rows, common),
        "sources": list(assessment.sources),
        "method_text": ("" if lang == "zh" else " ").join(method),
        "statistics_file": assessment.statistics.name if assessment.statistics else "",
        "warnings": list(assessment.warnings),
        "charts": {"attainment": _image(charts.get("attainment"))},
        "chart_note": chart_note,
        "numerals": numerals(lang),
        "minus": MINUS,
        "dash": DASH,
    }
    return context


def numerals(lang: str, count: int = 30) -> list[str]:
    """Heading numbers, 1-based: numerals[1] is "一" (zh) or "1" (en); templates write "一、" and "（一）"."""
    if lang == "en":
        return [str(n) for n in range(count + 1)]
    digits = "〇一二三四五六七八九"
    out = []
    for n in range(count + 1):
        tens, ones = divmod(n, 10)
        if n < 10:
            out.append(digits[n])
        else:
            out.append((digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else ""))
    return out


def _threshold(value: float) -> str:
    return f"{value:g}"
