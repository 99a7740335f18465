"""A national-style statistics file and its plan, for the columnar engine's tests (written at random)."""

from __future__ import annotations

import random
from pathlib import Path

PLAN = """\
[plan]
id = "national"
title = "全国知识产权发展规划"
region = "全国"
start_year = 2016
target_year = 2025
baseline_year = 2015

[[target]]
id = "level"
name = "发明专利拥有量"
kind = "level"
target = 300
unit = "件"

[[target]]
id = "interim"
name = "有效注册商标量"
kind = "level"
target = 1500.5
unit = "件"
interim = { 2020 = 900, 2023 = 1200 }

[[target]]
id = "down"
name = "专利纠纷案件"
kind = "level"
direction = "decrease"
target = 10
unit = "件"

[[target]]
id = "growth"
name = "版权登记量"
kind = "growth"
rate = "8%"
unit = "件"

[[target]]
id = "growth-down"
name = "侵权案件量"
kind = "growth"
direction = "decrease"
rate = "5%"
unit = "件"

[[target]]
id = "trend"
name = "地理标志产品"
kind = "trend"
unit = "个"

[[target]]
id = "range"
name = "保护示范区"
kind = "range"
min = 3
max = 5.5
unit = "个"

[[target]]
id = "loans"
name = "质押融资额"
kind = "level"
target = 5
unit = "亿元"

[[target]]
id = "own-baseline"
name = "专利密集型产业增加值"
kind = "level"
target = 120
unit = "亿元"
baseline = { year = 2016, value = 40 }

[[target]]
id = "aliased"
name = "每万人口发明专利拥有量"
kind = "level"
target = 12
unit = "件"

[[target]]
id = "platform"
name = "建成服务平台"
kind = "milestone"
deadline = 2023-06-30
"""

# (indicator as written, unit): the plan's names, a catalogue synonym, a unit to convert, an unused one
INDICATORS = (
    ("发明专利拥有量", "件"),
    ("有效注册商标量", "件"),
    ("专利纠纷案件", "件"),
    ("版权登记量", "件"),
    ("侵权案件量", "件"),
    ("地理标志产品", "个"),
    ("保护示范区", "个"),
    ("质押融资额", "万元"),
    ("专利密集型产业增加值", "亿元"),
    ("新增专利导航项目", "个"),
    ("每万人发明专利拥有量", "件"),
    ("商标质押金额", "亿元"),
)


SUM_TARGET = """
[[target]]
id = "sum"
name = "新增专利导航项目"
kind = "level"
target = 40
unit = "个"
aggregate = "sum"
"""


def _value(rng: random.Random, base: float) -> str:
    """A value near the series' ``base`` (within a factor of two either way), or 0, or negative.

    A series stays in one order of magnitude, as real statistics do: a value ×100 off its neighbour
    is what value_jumps warns about, and such a file goes the Python way (tested on its own below).
    """
    kind = rng.random()
    if kind < 0.1:
        return "0"
    if kind < 0.2:
        return str(-rng.randint(1, 50))
    value = base * rng.uniform(0.5, 2.0)
    if kind < 0.6:
        return str(max(1, round(value)))
    return f"{value:.{rng.randint(1, 4)}f}"


def national_csv(path: Path, seed: int, regions: int, *, source: bool = False, shuffle: bool = False) -> Path:
    """A national-style long CSV: regions × indicators × some of the years 2013-2024, random values."""
    rng = random.Random(seed)
    rows = []
    for number in range(regions):
        region = rng.choice(["县", "Ｘ市", " 区"]) + f"{number:03d}"
        for indicator, unit in INDICATORS:
            if rng.random() < 0.1:
                continue  # a region without the indicator: no data
            years = sorted(rng.sample(range(2013, 2025), rng.randint(1, 8)))
            base = rng.uniform(1, 2000)
            for year in years:
                cells = [region, indicator, str(year), _value(rng, base), unit]
                if source:
                    cells.append(rng.choice(["", "统计局", "知识产权局"]))
                rows.append(",".join(cells))
    if shuffle:
        rng.shuffle(rows)
    header = "地区,指标,年份,数值,单位" + (",来源" if source else "")
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path
