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
from ipreport.render.report.body import (
    BEHIND,
    MAX_UNITS_IN_CELL,
    BodyBuilder,
    add_columns,
    reminders,
    short_names,
    units_cell,
)
from ipreport.render.report.narrative import Narrative
from ipreport.render.report.numerals import full_width_brackets
from ipreport.render.report.palette import ATTAINMENT_WIDTH_MM, TREND_WIDTH_MM
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
    """A chart as the templates see it: PNG path, width in mm, and a data: URI for HTML and Markdown;
    for Word, the chart's data (``chart``) and empty path and URI."""
    if value is None:
        return None
    # Here, not at the top: a report without charts (--no-charts) does not load the chart specs.
    from ipreport.render.report.chart_specs import ChartSpec

    if isinstance(value, ChartSpec):
        # A native Word chart: no picture; the Word template's `image` filter draws it from its data.
        return {"path": "", "width_mm": value.width_mm, "data_uri": "", "chart": value}
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
            variables = {"row": row, "variant": 0, **common}
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
        "all_rows": rows,
        "chart_trend": {},
        "issued_year": plan.issued.year if plan.issued else None,
        "counts": {"targets": len([r for r in quantified if not r["interim"]]),
                   "tasks": len(milestones)},
    }
    for row in rows:
        row["responsible_cell"] = units_cell(row["responsible"], lang)
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


def default_issuer(region: str, lang: str = "zh") -> str:
    """The 发文机关署名 when --issuer is not given: the region's intellectual property office."""
    return f"{region} Intellectual Property Office" if lang == "en" else f"{region}知识产权局"


def build_context(
    assessment: Assessment,
    *,
    lang: str = "zh",
    title: str | None = None,
    charts: Mapping[str, object] | None = None,
    written: dt.date | None = None,
    chart_note: str | None = None,
    template_dirs: Sequence[Path] = (),
    issuer: str | None = None,
    date: dt.date | None = None,
    narrative: Narrative | None = None,
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
        "dash": DASH,
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
    _introduce(plans, lang)
    issuer_text = issuer or default_issuer(region, lang)
    date_text = format_date(date or report_date(written), lang)
    overview = sentences.paragraphs(
        "overview",
        plans=plans,
        headlines=_headlines(all_rows, lang, assessment.year),
        totals=_totals(all_rows),
        **common,
    )
    items = reminders(plans, issuer_text, lang)
    builder = BodyBuilder(sentences, plans, {**common, "numerals": context["numerals"]},
                          narrative or Narrative(), lang, items)
    context["body"] = builder.build(overview)
    context["reminders"] = items
    attachments = _attachments(plans, context, lang)
    context["attachments"] = attachments
    context["attachment_list"] = [a["title"] for a in attachments]
    context["issuer"] = issuer_text
    context["date_text"] = date_text
    context["signature"] = signature_layout(issuer_text, date_text)
    return context


# Headline figures in 总体情况: at most this many, those with a 较上年 figure first.
HEADLINES = 4


def _headlines(rows: Sequence[dict[str, Any]], lang: str, year: int) -> list[str]:
    """"每万人口发明专利拥有量达到6.41件，较上年提高1.20件": the year's main figures, with the change
    on the year before where the statistics hold it."""
    judged = [r for r in rows if not r["interim"] and r["kind"] not in (Kind.MILESTONE.value,)
              and r["latest_year"] is not None and r["kind"] != Kind.GROWTH.value]
    judged.sort(key=lambda r: not r["yoy_text"])
    out = []
    for row in judged[:HEADLINES]:
        if lang == "en":
            out.append(f"{row['name']} reached {row['latest_with_unit']}")
            continue
        verb = "达到" if row["direction"] == "increase" else "降至"
        # A figure of an earlier year says so: the sentence opens with the assessment year.
        when = f"（{row['latest_year']}年）" if row["latest_year"] != year else ""
        text = f"{row['name']}{when}{verb}{row['latest_amount']}"
        out.append(text + (f"，{row['yoy_text']}" if row["yoy_text"] else ""))
    return out


def _totals(rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    finals = [r for r in rows if not r["interim"]]
    targets = [r for r in finals if r["kind"] != Kind.MILESTONE.value]
    tasks = [r for r in finals if r["kind"] == Kind.MILESTONE.value]
    judged = [r for r in targets if r["status"] != Status.NO_DATA.value]
    return {
        "judged": len(judged),
        "achieved": sum(r["status"] == Status.ACHIEVED.value for r in judged),
        "on_course": sum(r["status"] in (Status.AHEAD.value, Status.ON_TRACK.value) for r in judged),
        # 需加快推进 is counted apart from 进度滞后: short of the pace needed is not yet behind it.
        "accelerate": sum(r["status"] == Status.ACCELERATE.value for r in judged),
        "lagging": sum(r["status"] in BEHIND and r["status"] != Status.ACCELERATE.value for r in judged),
        "missed": sum(r["status"] == Status.MISSED.value for r in judged),
        "no_data": len(targets) - len(judged),
        "tasks": len(tasks),
        "done": sum(r["status"] == Status.DONE.value for r in tasks),
        "overdue": sum(r["status"] in (Status.OVERDUE.value, Status.NOT_STARTED.value) for r in tasks),
        "tasks_known": sum(r["status"] != Status.NO_DATA.value for r in tasks),
    }


def _introduce(plans: list[dict[str, Any]], lang: str) -> None:
    """Each plan's short name (《实施意见》) and the words that introduce it once, in 总体情况:
    《full title》（document number，以下简称《short》）."""
    shorts = short_names([p["title"] for p in plans], [p["start_year"] for p in plans])
    for plan, short in zip(plans, shorts, strict=True):
        plan["short"] = f"《{short}》" if lang == "zh" else f"the {short}"
        plan["short_ref"] = plan["short"]
        if lang == "zh":
            inside = "，".join(x for x in (plan["document"], f"以下简称《{short}》") if x)
            plan["intro_name"] = full_width_brackets(f"《{plan['title']}》（{inside}）")
        else:
            plan["intro_name"] = plan["name"]


def signature_layout(issuer: str, date_text: str) -> dict[str, Any]:
    """GB/T 9704 §7.3.5.2: the 署名 two characters in from the right, the 成文日期 under it starting two
    characters right of the 署名's start; a 署名 shorter than the date is centred over it. Indents
    are in hundredths of a character (w:rightChars)."""
    name, date = _width(issuer), _width(date_text)
    if name >= date + 2:
        name_right, date_right = 2.0, 2.0 + name - 2 - date
    else:
        date_right = 4.0
        name_right = date_right + (date - name) / 2
    return {"issuer": issuer, "date_text": date_text,
            "issuer_right_chars": round(name_right * 100), "date_right_chars": round(date_right * 100)}


def _width(text: str) -> float:
    """Width in Chinese characters: digits and Latin letters are half as wide."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _attachments(
    plans: Sequence[dict[str, Any]], context: Mapping[str, Any], lang: str
) -> list[dict[str, Any]]:
    """附件1 the full indicator tables (with the targets without data and the full 责任单位 lists), and
    附件2 the charts, when there are any. Each: number, label ("附件1"), title, blocks."""
    zh = lang == "zh"
    several = len(plans) > 1
    blocks: list[dict[str, Any]] = []
    table = 0

    def add_table(kind: str, caption: str, rows: list[dict[str, Any]]) -> None:
        nonlocal table
        table += 1
        # Numbered apart from the body's 表1, 表2 …: the same number twice in one document misleads.
        label = f"附表{table}" if zh else f"Appendix table {table}"
        block = {"kind": kind, "caption": f"{label}　{caption}" if zh else f"{label}. {caption}",
                 "number": table, "rows": rows}
        add_columns(block, context["labels"])
        blocks.append(block)

    for plan in plans:
        prefix = plan["short"] if several else ""
        judged = [r for r in plan["rows"] if r["status"] != Status.NO_DATA.value]
        missing = [r for r in plan["all_rows"] if r["status"] == Status.NO_DATA.value and not r["interim"]]
        if judged:
            caption = f"{prefix}主要指标完成情况明细" if zh else f"Targets of {plan['short']} in full"
            add_table("full_targets", caption, judged)
        if missing:
            caption = f"{prefix}暂无数据的指标和任务" if zh else f"Without data ({plan['short']})"
            add_table("missing", caption, missing)
        listed = [r for r in plan["all_rows"]
                  if len(r["responsible"]) > MAX_UNITS_IN_CELL and not r["interim"]]
        if listed:
            add_table("units", f"{prefix}责任单位" if zh else f"Units responsible ({plan['short']})", listed)
    notes = []
    if context["sources"]:
        notes.append(("数据来源：" if zh else "Sources: ") + ("；" if zh else "; ").join(context["sources"])
                     + ("。" if zh else "."))
    # What the method assumed for single targets (a baseline taken from the earliest year, a ceiling
    # held, the level a rate implies): said once here, not in the body.
    remarks = [f"{row['name']}{'：' if zh else ': '}{row['notes_text'].rstrip('。.')}"
               for plan in plans for row in plan["all_rows"] if row.get("notes_text")]
    if remarks:
        notes.append(("指标备注：" if zh else "On single targets: ") + ("；" if zh else "; ").join(remarks)
                     + ("。" if zh else "."))
    notes.append(("评估方法：" if zh else "Method: ") + context["method_text"])
    note = ("说明：" if zh else "Notes: ") + ("" if zh else " ").join(notes)
    blocks.append({"kind": "note", "text": note})
    title = "主要指标完成情况表" if zh else "Targets in full"
    out: list[dict[str, Any]] = [{"title": title, "blocks": blocks}]
    figures: list[dict[str, Any]] = []
    number = 0
    if context["charts"]["attainment"]:
        number += 1
        figures.append({"kind": "figure", "image": context["charts"]["attainment"],
                        "caption": (f"图{number}　" if zh else f"Figure {number}. ")
                        + context["labels"]["chart_caption"]})
    for plan in plans:
        for row in plan["rows"]:
            image = plan["chart_trend"].get(row["id"])
            if image is not None and not row["interim"]:
                number += 1
                figures.append({"kind": "figure", "image": image,
                                "caption": (f"图{number}　{row['name']}变化趋势" if zh
                                            else f"Figure {number}. {row['name']}")})
    if figures:
        out.append({"title": "指标完成情况图" if zh else "Charts", "blocks": figures})
    for index, attachment in enumerate(out, start=1):
        attachment["number"] = index
        attachment["label"] = f"附件{index}" if zh else f"Annex {index}"
    return out


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
