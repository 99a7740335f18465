"""The JSON plans of every region from the columnar engine: target lines built in polars columns
where ``columnar_judge`` judges the target, the engine and ``JsonPlanWriter`` for every other row.

No Python object is made per row of a region whose targets are all judged in columns; the rows the
columns leave (a target of another kind, a ratio on a band edge, a figure near a half) are judged by
``engine`` and written by ``JsonPlanWriter``, as the Python path does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ipreport.assessment.columnar import ColumnarRegions
from ipreport.model import Status, Target
from ipreport.render.exports import JsonPlanWriter
from ipreport.render.json_columns import json_lines, unwritten

if TYPE_CHECKING:
    import polars as pl

# Regions whose lines are rendered at a time: the text of a batch is in memory at once.
RENDER_REGIONS = 1000


def json_plans(prepared: ColumnarRegions, writer: JsonPlanWriter) -> tuple[Counter[Status], Iterator[str]]:
    """The rows of each status, and the text of every plan of every region, in order (what
    ``JsonPlanWriter.plan`` writes).

    Every region is judged before the counts are given (the JSON starts with them); the lines are
    written afterwards, a run of regions at a time, from the judged columns (a few MB), so that the
    document never waits whole in memory or in a file.
    """

    plans = prepared.plans
    targets = {(one.plan_index, one.target_index): one.target for one in prepared.columns}
    judge = prepared.column_judge() if targets else None
    # (plan index, target index) of the targets the engine judges in every region
    others = [
        (plan_index, target_index)
        for plan_index, plan in enumerate(plans)
        for target_index in range(len(plan.targets))
        if (plan_index, target_index) not in targets
    ]
    counts: Counter[Status] = Counter()
    regions = prepared.regions
    judged: list[pl.DataFrame | None] = []
    python_lines: dict[int, dict[tuple[int, int], list[str]]] = {}
    for start in range(0, len(regions), RENDER_REGIONS):
        end = min(start + RENDER_REGIONS, len(regions))
        wanted: dict[int, set[tuple[int, int]]] = {}
        if others:
            wanted = {index: set(others) for index in range(start, end)}
        part = None
        if judge is not None:
            part = judge.judge(start, end)
            left = unwritten(part)
            for status, count in part.filter(~left).group_by("status").len().iter_rows():
                counts[Status(status)] += count
            for region_index, plan_index, target_index in part.filter(left).select(
                "region_index", "plan_index", "target_index"
            ).iter_rows():
                wanted.setdefault(region_index, set()).add((plan_index, target_index))
        judged.append(part)
        for region_index, found in prepared.judge_targets({k: v for k, v in wanted.items() if v}):
            by_key = python_lines[region_index] = {}
            for key, judged_rows in found.items():
                counts.update(row.status for row in judged_rows)
                by_key[key] = [writer.row_line(row) for row in judged_rows]
    return counts, _texts(prepared, writer, targets, judged, python_lines)


def _texts(
    prepared: ColumnarRegions,
    writer: JsonPlanWriter,
    targets: dict[tuple[int, int], Target],
    judged: list[pl.DataFrame | None],
    python_lines: dict[int, dict[tuple[int, int], list[str]]],
) -> Iterator[str]:
    import polars as pl

    plans, regions = prepared.plans, prepared.regions
    every = len(targets) == sum(len(plan.targets) for plan in plans) and all(plan.targets for plan in plans)
    for batch, part in enumerate(judged):
        start = batch * RENDER_REGIONS
        end = min(start + RENDER_REGIONS, len(regions))
        line_column = json_lines(part, targets, writer.lang) if part is not None else None
        if every and part is not None and line_column is not None:
            # Every target judged in columns (one line each): the engine's lines are put in their
            # places and each plan's lines joined in the columns too.
            missing = line_column.is_null().arg_true()
            if len(missing):
                keys = part.select("region_index", "plan_index", "target_index")[missing]
                line_column = line_column.scatter(missing, [
                    python_lines[region_index][plan_index, target_index][0]
                    for region_index, plan_index, target_index in keys.iter_rows()
                ])
            joined = part.select("region_index", "plan_index", line=line_column).group_by(
                "region_index", "plan_index", maintain_order=True
            ).agg(pl.col("line").str.join(",\n"))
            for region_index, plan_index, text in joined.iter_rows():
                yield writer.plan_text(plans[plan_index], regions[region_index][1], [text])
            continue
        lines = line_column.to_list() if line_column is not None else []
        at = 0
        for region_index in range(start, end):
            region = regions[region_index][1]
            own = python_lines.get(region_index, {})
            for plan_index, plan in enumerate(plans):
                rows: list[str] = []
                for target_index in range(len(plan.targets)):
                    if (plan_index, target_index) in targets:
                        line = lines[at]
                        at += 1
                        if line is not None:
                            rows.append(line)
                            continue
                    rows.extend(own[plan_index, target_index])
                yield writer.plan_text(plan, region, rows)
