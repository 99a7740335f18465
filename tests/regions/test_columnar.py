"""The columnar engine (polars) writes the bytes the Python path writes, and leaves it every other file."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from national_set import PLAN, SUM_TARGET, national_csv

from ipreport.regions import run
from ipreport.regions.run import (
    assess_files_each_region,
    columnar_output,
    each_region_chunks,
    each_region_output,
)


@pytest.fixture()
def plan(tmp_path: Path) -> str:
    path = tmp_path / "plan.toml"
    path.write_text(PLAN, encoding="utf-8")
    return str(path)


def _python_path(plan: str, stats: Path, fmt: str, **options: object) -> tuple[tuple[str, ...], str]:
    assessment = assess_files_each_region([plan], stats, **options)  # type: ignore[arg-type]
    return assessment.warnings, "".join(each_region_chunks(assessment, fmt, lang="zh"))


def _columnar(plan: str, stats: Path, fmt: str, **options: object) -> tuple[tuple[str, ...], str] | None:
    output = columnar_output([plan], stats, fmt, lang="zh", min_bytes=0, **options)  # type: ignore[arg-type]
    return None if output is None else (output.warnings, "".join(output.chunks))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_national_set_of_thousands_of_rows_gives_the_same_bytes(tmp_path: Path, plan: str, fmt: str):
    stats = national_csv(tmp_path / "national.csv", seed=15, regions=120, source=True)
    assert len(stats.read_text(encoding="utf-8").splitlines()) > 4000
    assert _columnar(plan, stats, fmt) == _python_path(plan, stats, fmt)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 10**6),
    regions=st.integers(1, 6),
    source=st.booleans(),
    shuffle=st.booleans(),
    year=st.sampled_from([None, 2019, 2022, 2025]),
)
def test_random_national_sets_give_the_same_bytes(tmp_path: Path, plan: str, seed, regions, source, shuffle, year):
    stats = national_csv(tmp_path / f"n{seed}.csv", seed, regions, source=source, shuffle=shuffle)
    for fmt in ("json", "csv"):
        columnar = _columnar(plan, stats, fmt, year=year)
        assert columnar is not None
        assert columnar == _python_path(plan, stats, fmt, year=year)


def test_a_cumulative_target_sends_the_file_the_python_way_which_warns(tmp_path: Path, plan: str):
    # The years missing from a running total are found by judging every region; the engine, which
    # says its warnings before it judges, leaves such plans to the Python path.
    with_sum = tmp_path / "sum.toml"
    with_sum.write_text(Path(plan).read_text(encoding="utf-8") + SUM_TARGET, encoding="utf-8")
    stats = national_csv(tmp_path / "n.csv", seed=3, regions=4)
    assert _columnar(str(with_sum), stats, "json") is None
    warnings, _ = _python_path(str(with_sum), stats, "json")
    assert any("adds up yearly values from 2016" in warning for warning in warnings)


def test_a_value_jump_sends_the_file_the_python_way_which_warns(tmp_path: Path, plan: str):
    stats = tmp_path / "jump.csv"
    rows = "".join(f"县{n},发明专利拥有量,{year},{value},件\n" for n in range(3)
                   for year, value in ((2018, 1200), (2019, 12), (2020, 1300)))
    stats.write_text("地区,指标,年份,数值,单位\n" + rows, encoding="utf-8")
    assert _columnar(plan, stats, "json") is None
    warnings, _ = _python_path(plan, stats, "json")
    assert any("is about 1/100 of the value 1200" in warning for warning in warnings)


def test_near_halves_and_decimal_attainment_give_the_same_bytes(tmp_path: Path, plan: str):
    # Values whose ratios to the target fall near the sixth decimal's half: float and Decimal division
    # and the rounding of `:.6f` must agree with the Python path's.
    rows = []
    for number, value in enumerate(["0.0015", "300.00015", "1.0000005", "299.9999995", "0.3", "150.15"]):
        for year, scale in ((2015, Decimal("0.7")), (2019, Decimal("0.9")), (2022, Decimal(1))):
            rows.append(f"县{number},发明专利拥有量,{year},{Decimal(value) * scale},件")
    stats = tmp_path / "halves.csv"
    stats.write_text("地区,指标,年份,数值,单位\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert _columnar(plan, stats, "json") == _python_path(plan, stats, "json")


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ('县1,发明专利拥有量,2020,"1,200",件\n', "a quoted cell"),
        ("# 注释\n县1,发明专利拥有量,2020,100,件\n", "a comment line"),
        ("县1,发明专利拥有量,2020,100,件\n\n县2,发明专利拥有量,2020,100,件\n", "a blank line"),
        ("县1,发明专利拥有量,2020,1.2万,件\n", "a number with a unit word"),
        ("县1,发明专利拥有量,2020,—,件\n", "a missing-value marker"),
        ("县1,发明专利拥有量,2020年,100,件\n", "a year with 年"),
        ("县1,发明专利拥有量,2020,100,件\n县1,发明专利拥有量,2020,100,件\n", "a repeated row"),
        ("县1,发明专利拥有量,2020,100,件\n县1,发明专利拥有量,2020,101,件\n", "two different values"),
        ("县1,发明专利拥有量,2019,100,件\n县1,专利纠纷案件,2020,5,件\n县1,发明专利拥有量,2020,101,件\n"
         "县1,发明专利拥有量,2019,102,件\n", "the same year twice, rows apart"),
        (",发明专利拥有量,2020,100,件\n", "a row without a region"),
        ("县1,建成服务平台,2020,100,件\n", "a milestone with a number"),
        ("县1,质押融资额,2020,100,平方米\n", "a unit that does not convert"),
        ("县1,发明专利拥有量,2020,100\n", "a short row"),
    ],
)
def test_every_other_file_is_left_to_the_python_path(tmp_path: Path, plan: str, body: str, why: str):
    stats = tmp_path / "other.csv"
    stats.write_text("地区,指标,年份,数值,单位\n" + body, encoding="utf-8")
    assert _columnar(plan, stats, "json") is None, why


def test_title_rows_other_encodings_and_small_files_are_left_to_the_python_path(tmp_path: Path, plan: str):
    stats = national_csv(tmp_path / "n.csv", seed=1, regions=2)
    text = stats.read_text(encoding="utf-8")
    titled = tmp_path / "titled.csv"
    titled.write_text("全国知识产权统计\n" + text, encoding="utf-8")
    assert _columnar(plan, titled, "json") is None
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(text.encode("gb18030"))
    assert _columnar(plan, gbk, "json") is None
    assert _columnar(plan, stats, "table") is None  # a table needs every row to set its widths
    assert columnar_output([plan], stats, "json", lang="zh") is None  # under MIN_COLUMNAR_BYTES
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert _columnar(plan, bom, "json") == _python_path(plan, bom, "json")


def test_without_polars_the_python_path_writes_the_output(
    tmp_path: Path, plan: str, monkeypatch: pytest.MonkeyPatch
):
    stats = national_csv(tmp_path / "n.csv", seed=3, regions=3)
    monkeypatch.setattr(run, "MIN_COLUMNAR_BYTES", 0)
    expected = _columnar(plan, stats, "json")
    monkeypatch.setitem(sys.modules, "polars", None)  # import polars raises ImportError
    assert _columnar(plan, stats, "json") is None
    output = each_region_output([plan], stats, "json", lang="zh")
    assert (output.warnings, "".join(output.chunks)) == expected


ROOT = Path(__file__).resolve().parents[2]
CSV_FILES = sorted(
    [*(ROOT / "tests" / "fixtures").rglob("*.csv"), *(ROOT / "examples").rglob("*.csv"),
     *(ROOT / "tests" / "fuzz" / "seeds").glob("*-csv")]
)


@pytest.mark.parametrize("path", CSV_FILES, ids=[str(p.relative_to(ROOT)) for p in CSV_FILES])
def test_the_columnar_reader_takes_only_what_the_python_reader_reads_alike(path: Path):
    from ipreport.statistics.columnar import read_plain_long
    from ipreport.statistics.read import read_statistics

    rows = read_plain_long(path)
    if rows is None:
        return  # the Python reader's file
    statistics = read_statistics(path)  # raises if the columnar reader took a file with problems
    frame = rows.frame
    taken = list(zip(frame["region"], frame["indicator"], frame["year"], map(Decimal, frame["value"]),
                     frame["unit"], frame["source"], (f"{path}:{line}" for line in frame["line"]), strict=True))
    read = [(o.region, o.indicator, o.year, o.value, o.unit, o.source, o.origin) for o in statistics.observations]
    assert taken == read
    assert rows.warnings == statistics.warnings


def test_some_fixtures_are_taken_by_the_columnar_reader():
    from ipreport.statistics.columnar import read_plain_long

    assert sum(read_plain_long(path) is not None for path in CSV_FILES) >= 3


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_cli_gives_the_same_output_with_and_without_the_engine(
    plan: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    from click.testing import CliRunner

    from ipreport.cli import cli

    stats = national_csv(tmp_path / "n.csv", seed=5, regions=8)
    args = ["gaps", plan, "--stats", str(stats), "--each-region", "--format", fmt]
    python = CliRunner().invoke(cli, [*args, "--jobs", "2"])  # --jobs is still accepted
    monkeypatch.setattr(run, "MIN_COLUMNAR_BYTES", 0)
    engine = CliRunner().invoke(cli, args)
    assert python.exit_code == 0 and engine.exit_code == 0
    assert engine.output == python.output


def test_cli_jobs_needs_each_region(plan: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ipreport.cli import cli

    stats = national_csv(tmp_path / "n.csv", seed=5, regions=2)
    result = CliRunner().invoke(cli, ["gaps", plan, "--stats", str(stats), "--jobs", "2"])
    assert result.exit_code == 2
    assert "--jobs goes with --each-region" in result.output
    zero = CliRunner().invoke(cli, ["gaps", plan, "--stats", str(stats), "--each-region", "--jobs", "0"])
    assert zero.exit_code == 2


@pytest.mark.parametrize("each_region", [True, False])
def test_json_and_csv_are_written_without_a_scan_for_colours(
    plan: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, each_region: bool
) -> None:
    import click.utils
    from click.testing import CliRunner

    from ipreport.cli import cli

    stats = national_csv(tmp_path / "n.csv", seed=5, regions=2)
    expected = {fmt: CliRunner().invoke(cli, ["gaps", plan, "--stats", str(stats), "--each-region",
                                              "--format", fmt]).output for fmt in ("json", "csv")}

    def scan(text: str) -> str:
        if text.startswith(("{", "\ufeff")):  # JSON, CSV; warnings on stderr may be scanned
            raise AssertionError("the output was scanned for colour codes")
        return text

    monkeypatch.setattr(click.utils, "strip_ansi", scan)
    for fmt in ("json", "csv"):
        args = ["gaps", plan, "--stats", str(stats), "--format", fmt]
        region = stats.read_text(encoding="utf-8").splitlines()[1].split(",")[0].strip()
        args += ["--each-region"] if each_region else ["--region", region]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        if each_region:
            assert result.output == expected[fmt]
