"""The gap table: assessed targets as terminal text (CJK-aligned, 80 columns) or Markdown."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

from ipreport.model import Assessment, Kind, PlanAssessment, Status, Target, TargetAssessment
from ipreport.render.formatting import (
    DASH,
    decimals_of,
    format_attainment,
    format_date,
    format_gap,
    format_number,
    format_percent,
    format_rate,
)
from ipreport.render.labels import dimension_label, dimensions_in_order, label, status_label
from ipreport.util.visible import markdown_text, visible


def tabulate(rows: Iterable[Sequence[object]], headers: Sequence[str] = (), **options: object) -> str:
    """``tabulate.tabulate`` with ipreport's settings for this call only; the library's globals are restored.

    Headers get no extra padding, so columns are exactly as wide as their widest cell, and cells are
    stripped. tabulate takes these two only as module globals; setting them at import time changed
    them for every other user of tabulate in the process.
    The gap table's shape (text cells, "simple" format) is laid out by render.simple_table, byte for
    byte as tabulate would, without importing tabulate.
    """
    from ipreport.render.simple_table import fits_simple_table, simple_table

    rows = list(rows)
    colalign = options.get("colalign")
    if (set(options) <= {"tablefmt", "disable_numparse", "colalign"} and options.get("tablefmt") == "simple"
            and options.get("disable_numparse") is True
            and fits_simple_table(rows, headers, colalign)):  # type: ignore[arg-type]
        return simple_table(rows, headers, colalign)  # type: ignore[arg-type]
    # Imported here: tabulate (with importlib.metadata and wcwidth) is a third of a report's
    # start-up, and the report, the exports and the checks use this module's texts, not its tables.
    import tabulate as tabulate_module

    saved = tabulate_module.PRESERVE_WHITESPACE, tabulate_module.MIN_PADDING
    tabulate_module.PRESERVE_WHITESPACE, tabulate_module.MIN_PADDING = False, 0
    try:
        return tabulate_module.tabulate(rows, headers, **options)  # type: ignore[arg-type]
    finally:
        tabulate_module.PRESERVE_WHITESPACE, tabulate_module.MIN_PADDING = saved

# Terminal colours by status; only used when the CLI says the output is a colour terminal.
_COLORS = {
    Status.ACHIEVED: "32", Status.AHEAD: "32", Status.DONE: "32",
    Status.ON_TRACK: "36",
    Status.ACCELERATE: "33", Status.IN_PROGRESS: "33", Status.ONGOING: "33", Status.NOT_STARTED: "33",
    Status.BEHIND: "31", Status.REGRESSING: "31", Status.MISSED: "31", Status.OVERDUE: "31",
    Status.NO_DATA: "2", Status.INSUFFICIENT_DATA: "2",
}
# Display widths of the wrapped columns; the rest fit by content. Sum + gaps stays within 80.
_NAME_WIDTH = 18
_TARGET_WIDTH = 12
_LATEST_WIDTH = 12
_TASK_WIDTH = 40
_UNITS_WIDTH = 16


# Chinese line-breaking rule (禁则): these never start a line, so they stay with what precedes them.
_NO_LINE_START = set("）〕」』】》〉，。、；：！？%)]}.,;:!?")
_NO_LINE_END = set("（〔「『【《〈([{")
# Runs that must not be split: numbers with their separators, Latin words; then spaces; then any character.
_TOKENS = re.compile(r"[0-9A-Za-z.,%+\-−–/]+|\s+|.")


def wrap(text: str, width: int) -> str:
    """Break text into lines of at most ``width`` display columns (CJK counts two).

    Numbers and Latin words stay whole, spaces are preferred break points, and a closing
    bracket or punctuation mark never starts a line (the line before may run one over).
    """
    from ipreport.util.display_width import display_width as wcswidth  # wcwidth's count, fewer imports

    lines: list[str] = []
    current = ""
    # Control characters from an input (an ESC sequence a terminal would obey) are shown escaped.
    for token in _TOKENS.findall(visible(text)):
        if token.isspace():
            if current and wcswidth(current) < width:
                current += " "
            continue
        pieces = [token] if wcswidth(token) <= width else list(token)
        for piece in pieces:
            fits = wcswidth(current + piece) <= width
            if current and not fits and piece[0] not in _NO_LINE_START:
                # An opening bracket moves down with what it opens.
                carried = current[-1] if current[-1] in _NO_LINE_END else ""
                head = current[: len(current) - len(carried)].rstrip()
                if head:
                    lines.append(head)
                current = carried
            current += piece
    if current.strip():
        lines.append(current.rstrip())
    return "\n".join(lines)


def row_name(row: TargetAssessment) -> str:
    """The target's name, with the year for a past interim row (the same target appears twice)."""
    return row.target.name + (f" ({row.target_year})" if row.interim else "")


def status_text(row: TargetAssessment, lang: str) -> str:
    return status_label(row.status, lang, early=row.achieved_early)


def asked_text(target: Target, value: Decimal | None, lang: str, floor_sign: str = "") -> str:
    """What the plan asks for, in one short cell: "4.2件/万人", "3–5个", "年均增长10%", a deadline.

    ``value`` is the target value in force (an interim value, say); ``floor_sign`` marks an
    "at least" target where the cell would otherwise not say so ("≥").
    """
    if target.kind is Kind.MILESTONE:
        return _deadline(target, lang)
    if target.kind is Kind.GROWTH and target.rate is not None:
        decimals = 0 if target.rate * 100 % 1 == 0 else 1
        joiner = "" if lang == "zh" else " "
        word = label("growth" if target.direction.value > 0 else "decline", lang)
        return f"{word}{joiner}{format_percent(abs(target.rate), decimals)}"
    if target.kind is Kind.TREND:
        return label("trend_up" if target.direction.value > 0 else "trend_down", lang)
    if target.kind is Kind.RANGE and target.min is not None and target.max is not None:
        return f"{format_number(target.min)}–{format_number(target.max)}{target.unit}"
    if value is None:
        return DASH
    sign = "≤" if target.direction.value < 0 else floor_sign
    return f"{sign}{format_number(value)}{target.unit}"


def target_text(row: TargetAssessment, lang: str) -> str:
    """The target in force for an assessed row."""
    return asked_text(row.target, row.target_value, lang)


def deadline_text(row: TargetAssessment, lang: str) -> str:
    """A task's deadline, or 持续推进 for an ongoing task."""
    return _deadline(row.target, lang)


def _deadline(target: Target, lang: str) -> str:
    return label("ongoing", lang) if target.ongoing else format_date(target.deadline, lang)


def latest_text(row: TargetAssessment, lang: str = "zh") -> str:
    """The latest value and its year; for a growth target the yearly rate achieved up to that year."""
    if row.latest is None:
        return DASH
    if row.target.kind is Kind.GROWTH and row.actual_cagr is not None:
        rate = format_rate(row.actual_cagr, row.required_cagr)
        rate = f"{label('a_year', lang)}{rate}" if lang == "zh" else f"{rate} {label('a_year', lang)}"
        return f"{rate} ({row.latest.year})"
    # As the statistics wrote it (4.20 keeps its 2 decimals), as the report shows it.
    value = row.latest.value
    return f"{format_number(value, min(decimals_of(value), MAX_WRITTEN_DECIMALS))} ({row.latest.year})"


# A rate gap's decimals: rates are shown to two decimals of a per cent.
RATE_GAP_DECIMALS = 2


def gap_text(row: TargetAssessment, lang: str = "zh") -> str:
    """d·(T − v), with the precision the figures were written with; for a growth target the yearly
    growth still missing, in percentage points (required − actual rate)."""
    if row.gap is None:
        return format_number(None)
    if row.target.kind is Kind.GROWTH:
        return format_gap(row.gap, RATE_GAP_DECIMALS) + label("points", lang)
    return format_gap(row.gap, gap_decimals(row))


# A statistic keeps the decimals it was written with, up to this many.
MAX_WRITTEN_DECIMALS = 4


def gap_decimals(row: TargetAssessment) -> int:
    """The decimals of a gap, in every output: the finer of the plan's figures (4.2 -> 1; a TOML
    float adds no precision) and the latest value as the statistics wrote it (4.20 keeps 2);
    two decimals of a percentage point for a growth target's rate gap."""
    if row.target.kind is Kind.GROWTH:
        return RATE_GAP_DECIMALS
    target = row.target
    stated = [v for v in (row.target_value, target.value, target.min, target.max) if v is not None]
    found = [decimals_of(v.normalize()) for v in stated]
    if row.latest is not None:
        found.append(decimals_of(row.latest.value))
    return min(max(found, default=0), MAX_WRITTEN_DECIMALS)


def _paint(text: str, status: Status, color: bool) -> str:
    return f"\x1b[{_COLORS[status]}m{text}\x1b[0m" if color else text


def _target_rows(rows: Iterable[TargetAssessment], lang: str, color: bool, width: int) -> list[list[str]]:
    table = []
    for row in rows:
        table.append([
            wrap(row_name(row), width),
            wrap(target_text(row, lang), _TARGET_WIDTH),
            wrap(latest_text(row, lang), _LATEST_WIDTH),
            visible(gap_text(row, lang)),
            format_attainment(row.attainment),
            _paint(status_text(row, lang), row.status, color),
        ])
    return table


def _task_rows(rows: Iterable[TargetAssessment], lang: str, color: bool) -> list[list[str]]:
    table = []
    for row in rows:
        table.append([
            wrap(row.target.name, _TASK_WIDTH),
            visible(deadline_text(row, lang)),
            _paint(status_label(row.status, lang), row.status, color),
        ])
    return table


def _headers(keys: Sequence[str], lang: str) -> list[str]:
    return [label(key, lang) for key in keys]


def summary_line(rows: Sequence[TargetAssessment], lang: str) -> str:
    """"合计 12 项：提前实现 1 · 已实现 2 …": in status order, counted as the table words them."""
    order = list(Status)
    # An early achievement is worded 提前实现 in the table, so it is counted under that word too.
    counts = Counter((order.index(row.status), not row.achieved_early) for row in rows)
    parts = [f"{status_label(order[index], lang, early=not late)} {counts[index, late]}"
             for index, late in sorted(counts)]
    total = label("summary", lang) + (f" {len(rows)} 项：" if lang == "zh" else f" {len(rows)}: ")
    return total + " · ".join(parts) if parts else total.rstrip("：: ")


def _plan_heading(plan_assessment: PlanAssessment, assessment: Assessment, lang: str, width: int) -> str:
    plan = plan_assessment.plan
    document = ""
    if plan.document:
        document = f"（{plan.document}）" if lang == "zh" else f" ({plan.document})"
    # Two columns spare: a closing bracket may run one character past the wrap width.
    title = wrap(f"{plan_assessment.region} · {plan.title}{document}", width - 2)
    as_of = format_date(assessment.as_of, lang)
    when = f"{label('year', lang)} {assessment.year} · {label('as_of', lang)} {as_of}"
    return f"{title}\n{when}"


def render_table(assessment: Assessment, *, lang: str = "zh", color: bool = False, width: int = 80) -> str:
    """The whole gap table: per plan, per dimension, then the tasks, then one summary line."""
    blocks: list[str] = []
    name_width = max(10, _NAME_WIDTH - (80 - width))
    for plan_assessment in assessment.plans:
        blocks.append(_plan_heading(plan_assessment, assessment, lang, width))
        quantified = [r for r in plan_assessment.rows if r.target.kind is not Kind.MILESTONE]
        tasks = [r for r in plan_assessment.rows if r.target.kind is Kind.MILESTONE]
        for dimension in dimensions_in_order(r.target.dimension for r in quantified):
            rows = [r for r in quantified if r.target.dimension == dimension]
            table = tabulate(
                _target_rows(rows, lang, color, name_width),
                headers=_headers(("indicator", "target", "latest", "gap", "attainment", "status"), lang),
                tablefmt="simple",
                disable_numparse=True,
                colalign=("left", "right", "right", "right", "right", "left"),
            )
            blocks.append(f"■ {dimension_label(dimension, lang)}\n{table}")
        if tasks:
            table = tabulate(
                _task_rows(tasks, lang, color),
                headers=_headers(("tasks", "deadline", "status"), lang),
                tablefmt="simple",
                disable_numparse=True,
            )
            blocks.append(f"■ {label('tasks', lang)}\n{table}")
        blocks.append(wrap(summary_line(plan_assessment.rows, lang), width - 2))
    return "\n\n".join(blocks) + "\n"


def _md_cell(text: str) -> str:
    # Names come from files: <script>, onerror= and [x](javascript:…) must stay text.
    return markdown_text(text)


def render_markdown(assessment: Assessment, *, lang: str = "zh") -> str:
    """The gap table as GitHub-flavoured Markdown, one table per plan with a dimension column."""
    keys = ("indicator", "target", "latest", "gap", "attainment", "status")
    out: list[str] = []
    for plan_assessment in assessment.plans:
        plan = plan_assessment.plan
        out.append(f"## {_md_cell(plan_assessment.region)} · {_md_cell(plan.title)}")
        out.append("")
        out.append("| " + " | ".join(["", *_headers(keys, lang)]) + " |")
        out.append("|" + "---|" * (len(keys) + 1))
        for row in plan_assessment.rows:
            if row.target.kind is Kind.MILESTONE:
                status = status_label(row.status, lang)
                cells = [row.target.name, deadline_text(row, lang), DASH, DASH, DASH, status]
            else:
                cells = [
                    row_name(row),
                    target_text(row, lang), latest_text(row, lang), gap_text(row, lang),
                    format_attainment(row.attainment), status_text(row, lang),
                ]
            dimension = dimension_label(row.target.dimension, lang)
            out.append("| " + " | ".join(_md_cell(c) for c in [dimension, *cells]) + " |")
        out.append("")
        out.append(summary_line(plan_assessment.rows, lang))
        out.append("")
    return "\n".join(out)
