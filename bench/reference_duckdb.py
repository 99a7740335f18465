"""The reference statuses with DuckDB reading and pivoting the file (judged by reference_pandas's numpy code).

    python bench/reference_duckdb.py PLAN.toml STATS.csv [--out statuses.json] [--check ipreport.json]
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import reference_pandas
from reference_pandas import Cube


def duckdb_cube(path: Path) -> Cube:
    connection = duckdb.connect()
    source = f"read_csv('{path}', header = true, types = {{'单位': 'VARCHAR'}})"
    connection.sql(
        "CREATE TEMP TABLE rows AS SELECT 地区 AS region, 指标 AS indicator, 年份 AS year, 数值 AS value, "
        f"单位 AS unit, row_number() OVER () AS line FROM {source}"
    )
    first = connection.sql("SELECT region FROM rows GROUP BY region ORDER BY min(line)").fetchall()
    regions = [region for (region,) in first]
    position = {region: number for number, region in enumerate(regions)}
    ordered = "SELECT indicator, region, year, value FROM rows ORDER BY indicator, year"
    columns = connection.sql(ordered).fetchnumpy()
    blocks: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    indicators = columns["indicator"]
    starts = np.flatnonzero(np.r_[True, indicators[1:] != indicators[:-1]])
    for start, end in zip(starts, [*starts[1:], len(indicators)], strict=True):
        years, where = np.unique(columns["year"][start:end], return_inverse=True)
        block = np.full((len(regions), len(years)), np.nan)
        rows_at = np.array([position[r] for r in columns["region"][start:end]])
        block[rows_at, where] = columns["value"][start:end]
        blocks[str(indicators[start])] = (years.astype(int), block)
    units = {key: set(values) for key, values in
             connection.sql("SELECT indicator, list(DISTINCT unit) FROM rows GROUP BY indicator").fetchall()}
    return Cube(regions, blocks, units)


if __name__ == "__main__":
    reference_pandas.main(duckdb_cube)
