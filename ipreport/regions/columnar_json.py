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
from ipreport.render.exports import (
    _ENCODE,
    PLAN_CLOSING,
    PLAN_TARGETS,
    JsonPlanWriter,
    json_plan_separator,
)
from ipreport.render.json_columns import json_lines, line_expression, unwritten

if TYPE_CHECKING:
    import polars as pl

# Regions whose lines are rendered at a time: the text of a batch is in memory at once.
RENDER_REGIONS = 1000


def json_plans(
    prepared: ColumnarRegions, writer: JsonPlanWriter
) -> tuple[Counter[Status], Iterator[str | bytes]]:
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
    # The engine's rows of every batch at once: its reading of the file's rows is one pass.
    wanted: dict[int, set[tuple[int, int]]] = {}
    for start in range(0, len(regions), RENDER_REGIONS):
        end = min(start + RENDER_REGIONS, len(regions))
        if others:
            wanted.update((index, set(others)) for index in range(start, end))
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
) -> Iterator[str | bytes]:
    """The plans of the "plans" list, each with the separator before it (``json_plan_separator``)."""
    plans, regions = prepared.plans, prepared.regions
    every = len(targets) == sum(len(plan.targets) for plan in plans) and all(plan.targets for plan in plans)
    number = 0
    for batch, part in enumerate(judged):
        start = batch * RENDER_REGIONS
        end = min(start + RENDER_REGIONS, len(regions))
        if every and part is not None:
            yield _batch_bytes(part, targets, prepared, writer, python_lines, first=number == 0)
            number += (end - start) * len(plans)
            continue
        line_column = json_lines(part, targets, writer.lang) if part is not None else None
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
                yield json_plan_separator(number) + writer.plan_text(plan, region, rows)
                number += 1


def _batch_bytes(
    part: pl.DataFrame,
    targets: dict[tuple[int, int], Target],
    prepared: ColumnarRegions,
    writer: JsonPlanWriter,
    python_lines: dict[int, dict[tuple[int, int], list[str]]],
    *,
    first: bool,
) -> bytes:
    """Every plan of a batch whose targets are all judged in columns (one line each), with their
    separators, as UTF-8: each line written in the columns or, where they leave it, the engine's,
    and the plans put together around them in the same pass, so that no Python string is made per
    line or per plan."""
    import polars as pl

    constants, line = line_expression(targets, writer.lang)
    plans, regions = prepared.plans, prepared.regions
    keys = ("plan_index", "target_index")
    constants = constants.join(
        pl.DataFrame(
            {
                "plan_index": [plan_index for plan_index, _ in targets],
                "target_index": [target_index for _, target_index in targets],
                "head": [writer.plan_head(plans[plan_index]) for plan_index, _ in targets],
                "last": [index == len(plans[plan_index].targets) - 1 for plan_index, index in targets],
            },
            schema={"plan_index": pl.Int64, "target_index": pl.Int64, "head": pl.String, "last": pl.Boolean},
        ),
        on=keys,
    )
    first_region, end = part["region_index"].min(), part["region_index"].max()
    assert isinstance(first_region, int) and isinstance(end, int)
    region_json = pl.DataFrame(
        {
            "region_index": range(first_region, end + 1),
            "region_json": [_ENCODE(regions[index][1]) for index in range(first_region, end + 1)],
        },
        schema={"region_index": pl.Int64, "region_json": pl.String},
    )
    rows = (
        part
        .join(constants, on=keys, how="left", maintain_order="left")
        .join(region_json, on="region_index", how="left", maintain_order="left")
    )
    engine_lines = [
        (region_index, plan_index, target_index, texts[0])
        for region_index in range(first_region, end + 1)
        for (plan_index, target_index), texts in python_lines.get(region_index, {}).items()
    ]
    written = line
    if engine_lines:
        found = pl.DataFrame(
            engine_lines, schema=["region_index", "plan_index", "target_index", "engine_line"], orient="row"
        ).with_columns(pl.col("region_index", "plan_index", "target_index").cast(pl.Int64))
        rows = rows.join(found, on=["region_index", *keys], how="left", maintain_order="left")
        written = pl.coalesce(line, pl.col("engine_line"))
    # Rows come by region, then plan, then target (every target of each plan): a plan's first
    # target opens it, its last closes it.
    separator = pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("[\n" if first else ",\n")).otherwise(
        pl.lit(",\n")
    )
    opening = pl.concat_str([separator, pl.col("head"), pl.col("region_json"), pl.lit(PLAN_TARGETS)])
    text = pl.concat_str(
        [
            pl.when(pl.col("target_index") == 0).then(opening).otherwise(pl.lit(",\n")),
            written,
            pl.when(pl.col("last")).then(pl.lit(PLAN_CLOSING)).otherwise(pl.lit("")),
        ]
    )
    return rows.select(text.str.join("").cast(pl.Binary)).item()
