"""An independent pandas implementation of the status rules of docs/methodology.md, for the benchmark.

It covers what bench/make_national.py generates (level, range, growth and trend targets without
interim values, aggregates or milestones, statistics in the targets' units) and refuses anything else.
What an analyst would write: the file read once, pivoted once (indicator, region) x year, and each
target judged on its block of that table with numpy. bench/reference_polars.py and
bench/reference_duckdb.py read and pivot with those engines and judge with the same functions.

    python bench/reference_pandas.py PLAN.toml STATS.csv [--out statuses.json]
    python bench/reference_pandas.py PLAN.toml STATS.csv --check ipreport.json   # assert equal statuses
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import tomllib

BANDS = ((1.0, "ahead"), (0.95, "on_track"), (0.6, "accelerate"), (0.0, "behind"))
TREND_BANDS = ((0.015, "on_track"), (0.005, "accelerate"), (0.0, "behind"))
DECIMALS = 9  # band edges are compared at 9 decimals, as the methodology says


def banded(values: np.ndarray, bands: tuple[tuple[float, str], ...]) -> np.ndarray:
    rounded = np.round(values, DECIMALS)
    return np.select([rounded >= edge for edge, _ in bands], [name for _, name in bands], "regressing")


def first_true(mask: np.ndarray) -> np.ndarray:
    return np.where(mask.any(axis=1), mask.argmax(axis=1), -1)


def last_true(mask: np.ndarray) -> np.ndarray:
    width = mask.shape[1]
    return np.where(mask.any(axis=1), width - 1 - mask[:, ::-1].argmax(axis=1), -1)


class Cube:
    """The statistics as an engine gives them: regions in file order, and per indicator a
    region x year block of values (NaN where missing) with its years and units."""

    def __init__(self, regions: list[str], blocks: dict[str, tuple[np.ndarray, np.ndarray]],
                 units: dict[str, set[str]]) -> None:
        self.regions = regions
        self.blocks = blocks  # indicator -> (years ascending, values [region, year])
        self.units = units  # indicator -> units met


def pandas_cube(path: Path) -> Cube:
    table = read_table(path)
    regions = list(table["region"].unique())
    wide = table.set_index(["indicator", "region", "year"])["value"].unstack("year").sort_index(axis=1)
    blocks = {}
    for indicator, block in wide.groupby(level="indicator", sort=False):
        block = block.droplevel("indicator").reindex(regions)
        blocks[indicator] = (np.array(block.columns, dtype=int), block.to_numpy(dtype=float))
    units = table.groupby("indicator")["unit"].unique().map(set).to_dict()
    return Cube(regions, blocks, units)


def statuses(plan: dict, cube: Cube) -> dict[tuple[str, str], str]:
    """(region, target id) -> status for every region of ``cube`` and every target of ``plan``."""
    info = plan["plan"]
    targets = plan["target"]
    names = [t.get("indicator", t["name"]) for t in targets]
    assessment_year = max(
        int(years[np.isfinite(values).any(axis=0)].max()) for name, (years, values) in cube.blocks.items()
        if name in names
    )
    regions = cube.regions
    baseline_year = info.get("baseline_year")
    result: dict[tuple[str, str], str] = {}
    for target in targets:
        kind = target["kind"]
        if kind not in ("level", "range", "growth", "trend") or "interim" in target or "baseline" in target:
            raise SystemExit(f"reference_pandas: target {target['id']} is outside what this script covers")
        name = target.get("indicator", target["name"])
        if cube.units.get(name, set()) - {target.get("unit", "")}:
            raise SystemExit(f"reference_pandas: target {target['id']} needs a unit conversion")
        years, values = cube.blocks[name]
        values = values[:, years <= assessment_year]
        years = years[years <= assessment_year]
        present = ~np.isnan(values)
        due = int(target.get("year", info["target_year"]))
        d = -1 if target.get("direction") == "decrease" else 1
        # The judged value: of the due year once it is reached, else the latest one.
        at = last_true(present)
        if assessment_year >= due and due in years:
            column = int(np.where(years == due)[0][0])
            at = np.where(present[:, column], column, at)
        has_value = at >= 0
        take = np.where(has_value, at, 0)
        v = values[np.arange(len(values)), take]
        t = years[take]
        # The baseline: the plan's baseline year, else the earliest earlier value (after that year if any).
        earlier = present & (years[None, :] < t[:, None])
        base = first_true(earlier)
        if baseline_year is not None:
            after = first_true(earlier & (years[None, :] > baseline_year))
            base = np.where(after >= 0, after, base)
            if baseline_year in years:
                column = int(np.where(years == baseline_year)[0][0])
                base = np.where(present[:, column], column, base)
        has_base = base >= 0
        v0 = values[np.arange(len(values)), np.where(has_base, base, 0)]
        y0 = years[np.where(has_base, base, 0)]
        single = has_base & (t <= y0)
        with np.errstate(divide="ignore", invalid="ignore"):
            if kind in ("level", "range"):
                goal = target["target"] if kind == "level" else (target["min"] if d > 0 else target["max"])
                status = level_status(goal, d, due, assessment_year, v, t, v0, y0, has_base, single)
            else:
                nonpositive = (v0 <= 0) | (v < 0)
                actual = np.power(v / v0, 1.0 / (t - y0)) - 1
                if kind == "trend":
                    status = banded(d * actual, TREND_BANDS)
                else:
                    rate = float(str(target["rate"]).rstrip("%")) / 100
                    required = rate if d > 0 else -abs(rate)
                    if assessment_year >= due:
                        met = np.round(d * (actual - required), DECIMALS) >= 0
                        status = np.where(met, "achieved", "missed")
                    else:
                        status = banded(d * actual / abs(required), BANDS)
                status = np.where(~has_base | single | nonpositive, "insufficient_data", status)
        status = np.where(has_value, status, "no_data")
        for region, found in zip(regions, status, strict=True):
            result[(region, target["id"])] = str(found)
    return result


def level_status(goal, d, due, year, v, t, v0, y0, has_base, single) -> np.ndarray:  # noqa: ANN001
    """Status of a level (or a range's weaker end) per region, in the methodology's order of rules."""
    cagr = (v0 > 0) & (goal > 0) & (v >= 0)
    required = np.power(goal / v0, 1.0 / (due - y0)) - 1
    actual = np.power(v / v0, 1.0 / (t - y0)) - 1
    slope = (v - v0) / (t - y0)
    needed = (goal - v0) / (due - y0)
    ratio = np.where(cagr, d * actual / np.abs(required), d * slope / np.abs(needed))
    undefined = np.where(cagr, required == 0, needed == 0)
    floor = has_base & (d * (v0 - goal) >= 0)
    return np.select(
        [
            d * (v - goal) >= 0,
            np.full(v.shape, year >= due),
            ~has_base | single,
            floor,
            undefined,
        ],
        ["achieved", "missed", "insufficient_data", "regressing", "insufficient_data"],
        banded(ratio, BANDS),
    )


def read_table(path: Path) -> pd.DataFrame:
    table = pd.read_csv(path, dtype={"地区": str, "指标": str, "单位": str}, keep_default_na=False)
    names = {"地区": "region", "指标": "indicator", "年份": "year", "数值": "value", "单位": "unit"}
    table = table.rename(columns=names)
    table["value"] = pd.to_numeric(table["value"])
    return table


def ipreport_statuses(document: dict) -> dict[tuple[str, str], str]:
    """The same mapping from `ipreport gaps --each-region --format json` output."""
    return {
        (plan["region"], row["id"]): row["status"]
        for plan in document["plans"]
        for row in plan["targets"]
        if not row["interim"]
    }


def compare(ours: dict[tuple[str, str], str], theirs: dict[tuple[str, str], str]) -> list[str]:
    """Differences in words; empty when both give every (region, target) the same status."""
    keys = sorted(set(ours) | set(theirs))
    return [
        f"{region} {target}: pandas {ours.get((region, target))}, ipreport {theirs.get((region, target))}"
        for region, target in keys
        if ours.get((region, target)) != theirs.get((region, target))
    ]


def main(cube: Callable[[Path], Cube] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", type=Path)
    parser.add_argument("stats", type=Path)
    parser.add_argument("--out", type=Path, help="write the statuses as JSON")
    parser.add_argument("--check", type=Path, help="ipreport JSON output to compare; exit 1 if different")
    options = parser.parse_args()
    plan = tomllib.loads(options.plan.read_text(encoding="utf-8"))
    found = statuses(plan, (cube or pandas_cube)(options.stats))
    if options.out:
        rows = [
            {"region": region, "id": target, "status": status}
            for (region, target), status in found.items()
        ]
        options.out.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    if options.check:
        differences = compare(found, ipreport_statuses(json.loads(options.check.read_text(encoding="utf-8"))))
        for line in differences[:20]:
            print(line, file=sys.stderr)
        if differences:
            sys.exit(f"{len(differences)} of {len(found)} statuses differ")
        print(f"OK: {len(found)} statuses equal")


if __name__ == "__main__":
    main()
