"""The reference statuses with polars reading and pivoting the file (judged by reference_pandas's numpy code).

    python bench/reference_polars.py PLAN.toml STATS.csv [--out statuses.json] [--check ipreport.json]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import reference_pandas
from reference_pandas import Cube

NAMES = {"地区": "region", "指标": "indicator", "年份": "year", "数值": "value", "单位": "unit"}


def polars_cube(path: Path) -> Cube:
    table = pl.read_csv(path, schema_overrides={"单位": pl.String}).rename(NAMES)
    regions = table["region"].unique(maintain_order=True).to_list()
    order = pl.DataFrame({"region": regions})
    blocks = {}
    for (indicator,), rows in table.partition_by("indicator", as_dict=True, maintain_order=True).items():
        wide = rows.pivot(on="year", index="region", values="value", sort_columns=True)
        wide = order.join(wide, on="region", how="left", maintain_order="left")
        years = np.array([int(name) for name in wide.columns[1:]])
        blocks[indicator] = (years, wide.drop("region").to_numpy().astype(float))
    units = {key: set(values) for key, values in
             table.group_by("indicator").agg(pl.col("unit").unique()).iter_rows()}
    return Cube(regions, blocks, units)


if __name__ == "__main__":
    reference_pandas.main(polars_cube)
