"""The column judge and the column JSON writer against the Python reference they stand in for.

Each helper either gives the reference's exact text or declines (null), so that the engine writes
that row: the properties below hold both halves, on the known risks (floats parsed from text,
Decimal attainment, half-up rounding near a half, pow).
"""

from __future__ import annotations

import math
import random
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipreport.assessment.columnar import columnar_regions
from ipreport.assessment.columnar_judge import half_up_millionths, value_millionths
from ipreport.plans.load import load_plans
from ipreport.regions.run import assess_files_each_region, columnar_output, each_region_chunks
from ipreport.render.exports import _decimal_text, _ratio_text
from ipreport.render.json_columns import decimal_text, decimal_writable, ratio_text, unwritten
from ipreport.statistics.columnar import read_plain_long
from ipreport.util.rounding import half_up

MILLIONTHS = st.integers(-(10**17), 10**17)


def _texts(expr: pl.Expr, column: list[object], dtype: pl.DataType) -> list[str | None]:
    return pl.DataFrame({"x": column}, schema={"x": dtype}).select(out=expr)["out"].to_list()


@settings(max_examples=300)
@given(st.lists(st.one_of(MILLIONTHS, st.integers(-10**7, 10**7), st.integers(-200, 200)), min_size=1))
def test_decimal_text_is_the_writers_text_or_declines(millionths: list[int]):
    texts = _texts(decimal_text(pl.col("x")), millionths, pl.Int64)
    for number, text in zip(millionths, texts, strict=True):
        if text is not None:
            assert text == _decimal_text(Decimal(number).scaleb(-6)), number


@settings(max_examples=300)
@given(st.lists(st.one_of(MILLIONTHS, st.integers(-(2**63) + 1, 2**63 - 1), st.integers(-200, 200)), min_size=1))
def test_decimal_writable_says_where_decimal_text_writes(millionths: list[int]):
    # unwritten() counts the rows the columns write by decimal_writable, json_lines writes them by
    # decimal_text: a row one writes and the other does not would be lost or written twice.
    millionths += [10**15, 10**15 + 10, 9 * 10**18, 123_456_789_012_345 * 10**4, 99, 100, 0]
    writable = _texts(decimal_writable(pl.col("x")), millionths, pl.Int64)
    texts = _texts(decimal_text(pl.col("x")), millionths, pl.Int64)
    assert writable == [text is not None for text in texts]


def test_decimal_text_writes_the_common_values():
    values = [0, 5_000_000, -3_000_000, 1_500_000, 123_456_789, 100, -250, 12_345_678_901_234]
    assert _texts(decimal_text(pl.col("x")), values, pl.Int64) == [
        _decimal_text(Decimal(v).scaleb(-6)) for v in values
    ]


def _near_halves(rng: random.Random, count: int) -> list[float]:
    """Floats at, just below and just above the half of a sixth decimal, at many sizes."""
    found = []
    for _ in range(count):
        scale = 10 ** rng.randint(-4, 7)
        half = (rng.randint(0, 10**6) + 0.5) / 1e6 * scale
        found += [half, math.nextafter(half, 0), math.nextafter(half, math.inf), -half]
    return found


FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e9, max_value=1e9),
    st.floats(min_value=-1e-3, max_value=1e-3),
    st.builds(lambda a, b: a / b, st.integers(1, 10**9), st.integers(1, 10**9)),
    st.sampled_from([0.0, -0.0, 1e-4, 0.0001000000001, 99999999.9999995, 1e8, 0.0078125, 0.1234565]),
)


@settings(max_examples=300)
@given(st.lists(FLOATS, min_size=1))
def test_ratio_text_is_the_writers_text_or_declines(values: list[float]):
    values += _near_halves(random.Random(len(values)), 5)
    texts = _texts(ratio_text(pl.col("x")), values, pl.Float64)
    for value, text in zip(values, texts, strict=True):
        if text is not None:
            assert text == _ratio_text(value), value


def test_ratio_text_declines_only_near_halves_and_out_of_range():
    rng = random.Random(7)
    values = [rng.uniform(-1e3, 1e3) for _ in range(20_000)]
    texts = _texts(ratio_text(pl.col("x")), values, pl.Float64)
    assert texts == [_ratio_text(v) for v in values]  # none of these lies within 1e-12 of a half
    halves = _near_halves(rng, 500)
    assert all(t is None or t == _ratio_text(v)
               for v, t in zip(halves, _texts(ratio_text(pl.col("x")), halves, pl.Float64), strict=True))


def test_ratio_text_divides_the_rounded_millionths_rather_than_multiplying_by_a_millionth():
    # 391 * 1e-6 is 0.00039099999999999996, 391 / 1e6 is 0.000391: polars turns a division by a
    # number into a multiplication by its reciprocal, which ratio_text must not let it do.
    values = [0.000391, -0.000391, 0.0003907531606636019, 12.000391, 0.001391, 7.000007]
    assert 391 * 1e-6 != 391 / 1e6
    assert _texts(ratio_text(pl.col("x")), values, pl.Float64) == [_ratio_text(v) for v in values]


def test_a_ratio_off_the_decimal_quotient_by_a_few_units_in_the_last_place_is_not_written():
    # Attainment is float(Decimal(v) / Decimal(T)); the columns divide floats. Where the two
    # differ near a half, the columns must decline rather than round the other way.
    rng = random.Random(11)
    checked = 0
    for _ in range(20_000):
        target = Decimal(rng.randint(1, 10**7)).scaleb(-rng.randint(0, 3))
        value = Decimal(rng.randint(1, 10**7)).scaleb(-rng.randint(0, 3))
        exact = float(value / target)
        divided = float(value) / float(target)
        text = _texts(ratio_text(pl.col("x")), [divided], pl.Float64)[0]
        if text is not None:
            assert text == _ratio_text(exact), (value, target)
            checked += 1
    assert checked > 19_000


@settings(max_examples=200)
@given(st.lists(st.from_regex(r"-?[0-9]{1,13}(\.[0-9]{1,8})?", fullmatch=True), min_size=1))
def test_value_millionths_are_exact_or_absent(texts: list[str]):
    found = _texts(value_millionths(pl.col("x")), texts, pl.String)
    parsed = _texts(pl.col("x").cast(pl.Float64), texts, pl.String)
    for text, millionths, number in zip(texts, found, parsed, strict=True):
        assert number == float(text)  # floats parsed from the text, as float() parses it
        if millionths is not None:
            assert Decimal(millionths) == Decimal(text) * 1_000_000
        else:
            assert len(text.partition(".")[2]) > 6 or len(text.lstrip("-").partition(".")[0]) > 12


@settings(max_examples=200)
@given(st.lists(st.one_of(FLOATS, st.floats(min_value=-1e9, max_value=1e9)), min_size=1))
def test_half_up_millionths_is_half_up_on_the_repr_or_absent(values: list[float]):
    values += _near_halves(random.Random(len(values)), 5)
    found = _texts(half_up_millionths(pl.col("x")), values, pl.Float64)
    for value, millionths in zip(values, found, strict=True):
        if millionths is not None:
            assert Decimal(millionths).scaleb(-6) == half_up(value, 6), value


def test_pow_is_the_c_librarys():
    # The judge raises ratios to 1/years in polars; the engine uses math.pow.
    rng = random.Random(3)
    bases = [rng.uniform(1e-3, 1e3) for _ in range(50_000)]
    exponents = [1 / rng.randint(1, 30) if rng.random() < 0.5 else float(rng.randint(-5, 12)) for _ in bases]
    frame = pl.DataFrame({"b": bases, "e": exponents})
    assert frame.select(pl.col("b").pow(pl.col("e")))["b"].to_list() == [
        math.pow(b, e) for b, e in zip(bases, exponents, strict=True)
    ]


EDGE_PLAN = """\
[plan]
id = "edges"
title = "边界"
region = "全国"
start_year = 2016
target_year = 2025
baseline_year = 2015

[[target]]
id = "level"
name = "甲"
kind = "level"
target = 200
unit = "件"

[[target]]
id = "down"
name = "乙"
kind = "level"
direction = "decrease"
target = 50
unit = "件"

[[target]]
id = "growth"
name = "丙"
kind = "growth"
rate = "10%"
unit = "件"

[[target]]
id = "trend"
name = "丁"
kind = "trend"
unit = "件"

[[target]]
id = "range"
name = "戊"
kind = "range"
min = 80
max = 120.5
unit = "件"
"""


def _edge_values(rng: random.Random) -> list[str]:
    """Values that put ratios on band edges (R = 1, 0.95, 0.6, 0), paces on trend edges and
    values on the target and the range's bounds, for the years 2015, 2018 and 2022.

    From a baseline of -1 or 0 a level of 200 is judged on a straight line; its ratio lands on an
    edge in decimal and a hair off it in binary (56.285 at 2018: R = 0.95, float 0.9499999…),
    which only the engine's rounding to 9 decimals settles.
    """
    if rng.random() < 0.5:
        start = rng.choice(["-1", "0"])
        on_edges = {"-1": (["56.285", "35.18", "59.3", "-1"], ["132.665", "83.42", "139.7", "-1"]),
                    "0": (["57", "36", "60", "0"], ["133", "84", "140", "0"])}[start]
        return [start, rng.choice(on_edges[0]), rng.choice(on_edges[1])]
    picks = [
        Decimal("166.5"), Decimal("142"), Decimal(100), Decimal(200), Decimal(50), Decimal(80),
        Decimal("120.5"), Decimal("100.015"), Decimal("101.5"), Decimal("100.5"), Decimal(0), Decimal(-1),
    ]
    return [f"{rng.choice(picks):f}" for _ in range(3)]


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), year=st.sampled_from([None, 2020, 2025]))
def test_values_on_band_edges_give_the_same_bytes(tmp_path: Path, seed: int, year: int | None):
    rng = random.Random(seed)
    plan = tmp_path / "edges.toml"
    plan.write_text(EDGE_PLAN, encoding="utf-8")
    rows = []
    for region in range(40):
        for name in "甲乙丙丁戊":
            years = [2015, 2018, 2022] if rng.random() < 0.7 else sorted(rng.sample(range(2014, 2025), 2))
            rows += [f"区{region},{name},{y},{v},件" for y, v in zip(years, _edge_values(rng), strict=False)]
    stats = tmp_path / f"edges{seed}.csv"
    stats.write_text("地区,指标,年份,数值,单位\n" + "\n".join(rows) + "\n", encoding="utf-8")
    output = columnar_output([str(plan)], stats, "json", lang="zh", min_bytes=0, year=year)
    assert output is not None
    python = assess_files_each_region([str(plan)], stats, year=year)
    assert "".join(output.chunks) == "".join(each_region_chunks(python, "json", lang="zh"))


def test_batches_of_regions_built_in_the_columns_join_into_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # Each batch of regions is one piece of bytes: the "[" before the first plan only, the commas
    # between batches, and the engine's lines (values on band edges) in their places.
    monkeypatch.setattr("ipreport.regions.columnar_json.RENDER_REGIONS", 7)
    rng = random.Random(4)
    plan = tmp_path / "edges.toml"
    plan.write_text(EDGE_PLAN, encoding="utf-8")
    rows = []
    for region in range(40):
        for name in "甲乙丙丁戊":
            rows += [f"区{region},{name},{y},{v},件" for y, v in zip([2015, 2018, 2022], _edge_values(rng), strict=False)]
    stats = tmp_path / "edges.csv"
    stats.write_text("地区,指标,年份,数值,单位\n" + "\n".join(rows) + "\n", encoding="utf-8")
    output = columnar_output([str(plan)], stats, "json", lang="zh", min_bytes=0)
    assert output is not None
    pieces = list(output.pieces)
    assert sum(isinstance(piece, bytes) for piece in pieces) == 6
    python = assess_files_each_region([str(plan)], stats)
    expected = "".join(each_region_chunks(python, "json", lang="zh"))
    assert "".join(p.decode() if isinstance(p, bytes) else p for p in pieces) == expected
    assert '"status": "on_track"' in expected and '"status": "ahead"' in expected


def test_cli_writes_the_engines_bytes_as_the_python_path_writes_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from click.testing import CliRunner

    from ipreport.cli import cli
    from ipreport.regions import run

    plan = tmp_path / "edges.toml"
    plan.write_text(EDGE_PLAN, encoding="utf-8")
    rng = random.Random(9)
    rows = [f"区{region},{name},{y},{v},件" for region in range(12) for name in "甲乙丙丁戊"
            for y, v in zip([2015, 2018, 2022], _edge_values(rng), strict=False)]
    stats = tmp_path / "edges.csv"
    stats.write_text("地区,指标,年份,数值,单位\n" + "\n".join(rows) + "\n", encoding="utf-8")
    args = ["gaps", str(plan), "--stats", str(stats), "--each-region", "--format", "json"]
    python = CliRunner().invoke(cli, args)
    monkeypatch.setattr(run, "MIN_COLUMNAR_BYTES", 0)
    output = columnar_output([str(plan)], stats, "json", lang="zh")
    assert output is not None and any(isinstance(piece, bytes) for piece in output.pieces)
    engine = CliRunner().invoke(cli, args)
    assert python.exit_code == 0 and engine.exit_code == 0
    assert engine.stdout_bytes == python.stdout_bytes
    assert engine.stdout_bytes.startswith(b"{\n") and engine.stdout_bytes.endswith(b"\n}\n")


def test_the_columns_write_nearly_every_row_of_a_national_style_file(tmp_path: Path):
    # Else the byte-identity tests above would hold of the Python writer alone.
    from national_set import PLAN, national_csv

    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")
    stats = national_csv(tmp_path / "n.csv", seed=5, regions=60)
    rows = read_plain_long(stats)
    assert rows is not None
    prepared = columnar_regions(load_plans([str(plan)]), rows.path, rows.frame, rows.warnings,
                                year=None, as_of=None)
    assert prepared is not None
    assert {one.target.id for one in prepared.columns} == {
        "level", "down", "growth", "growth-down", "trend", "range", "aliased"
    }
    judged = prepared.column_judge().judge(0, len(prepared.regions))
    assert judged.height == 60 * 7
    assert unwritten(judged).sum() < judged.height * 0.1
