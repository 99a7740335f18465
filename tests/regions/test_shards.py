"""`gaps --each-region --format json` shared out among worker processes writes what one process writes."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from ipreport.cli import cli
from ipreport.errors import InputError, IpreportError, OptionError
from ipreport.plans.load import load_plans
from ipreport.regions import shards
from ipreport.regions.run import each_region_output
from ipreport.statistics.read import Shard, read_statistics

PLAN = """\
[plan]
id = "shard-test"
title = "县域知识产权发展规划"
region = "某省"
start_year = 2020
target_year = 2025
baseline_year = 2020

[[target]]
id = "patents"
name = "发明专利拥有量"
kind = "level"
target = 200
unit = "件"
interim = { 2022 = 150 }

[[target]]
id = "marks"
name = "有效注册商标量"
kind = "growth"
rate = "10%"
unit = "件"

[[target]]
id = "disputes"
name = "专利纠纷案件"
kind = "trend"
direction = "decrease"
unit = "件"

[[target]]
id = "zones"
name = "保护示范区"
kind = "range"
min = 3
max = 5
unit = "个"

[[target]]
id = "loans"
name = "质押融资额"
kind = "level"
target = 5
unit = "亿元"

[[target]]
id = "platform"
name = "建成服务平台"
kind = "milestone"
deadline = 2023-06-30
"""

HEADER = "地区,指标,年份,数值,单位,日期\n"


def _rows(regions: int, seed: int = 7) -> list[tuple[str, str, int, str, str, str]]:
    """Rows of ``regions`` counties, shuffled so that every worker's regions interleave in the file."""
    rng = random.Random(seed)
    rows = []
    for number in range(regions):
        region = f"县{number:02d}"
        for year in range(2020, 2024):
            rows.append((region, "发明专利拥有量", year, str(rng.randint(50, 260)), "件", ""))
            if number != 0:  # one county without trademarks: no data
                rows.append((region, "有效注册商标量", year, str(rng.randint(800, 1500)), "件", ""))
            if rng.random() < 0.8:  # some counties lack a year: no data, single observations
                rows.append((region, "专利纠纷案件", year, str(rng.randint(5, 40)), "件", ""))
            rows.append((region, "保护示范区", year, str(rng.randint(0, 7)), "个", ""))
            # 万元 in the file, 亿元 in the plan: converted on the way
            rows.append((region, "质押融资额", year, f"{rng.uniform(1000, 60000):.2f}", "万元", ""))
        state = rng.choice(["完成", "推进中", "未启动"])
        date = "2023-05-01" if state == "完成" and rng.random() < 0.5 else ""
        rows.append((region, "建成服务平台", 2023, state, "", date))
    rng.shuffle(rows)
    return rows


def _write(path: Path, rows: list[tuple[str, str, int, str, str, str]], extra: str = "") -> Path:
    lines = [",".join(str(cell) for cell in row) for row in rows]
    path.write_text(HEADER + "\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


@pytest.fixture()
def plan(tmp_path: Path) -> str:
    path = tmp_path / "plan.toml"
    path.write_text(PLAN, encoding="utf-8")
    return str(path)


def _one_process(plan: str, stats: Path, fmt: str = "json", **options: object) -> tuple[tuple[str, ...], str]:
    output = each_region_output([plan], stats, fmt, lang="zh", jobs=1, **options)  # type: ignore[arg-type]
    return tuple(output.warnings), "".join(output.chunks)


def _shared(
    plan: str, stats: Path, workers: int, fmt: str = "json", **options: object
) -> tuple[tuple[str, ...], str]:
    output = shards.each_region_shared(
        load_plans([plan]), stats, fmt, year=options.get("year"), as_of=options.get("as_of"),  # type: ignore[arg-type]
        encoding=None, lang=str(options.get("lang", "zh")), workers=workers,
    )
    return tuple(output.warnings), "".join(output.chunks)


@pytest.mark.parametrize("workers", [2, 3])
def test_shared_json_is_byte_identical_to_one_process(plan: str, tmp_path: Path, workers: int) -> None:
    stats = _write(tmp_path / "s.csv", _rows(40))
    expected = _one_process(plan, stats)
    assert _shared(plan, stats, workers) == expected
    document = json.loads(expected[1])
    assert len(document["plans"]) == 40
    assert {row["status"] for p in document["plans"] for row in p["targets"]} >= {"done", "no_data"}


def test_shared_csv_is_byte_identical_to_one_process(plan: str, tmp_path: Path) -> None:
    stats = _write(tmp_path / "s.csv", _rows(30))
    expected = _one_process(plan, stats, "csv")
    assert expected[1].startswith("\ufeffplan,region,")
    assert _shared(plan, stats, 2, "csv") == expected


def test_given_year_and_as_of_reach_every_worker(plan: str, tmp_path: Path) -> None:
    import datetime as dt

    stats = _write(tmp_path / "s.csv", _rows(12))
    one = each_region_output([plan], stats, "json", lang="en", year=2022, as_of="2022-12-31", jobs=1)
    shared = shards.each_region_shared(
        load_plans([plan]), stats, "json", year=2022, as_of=dt.date(2022, 12, 31), encoding=None, lang="en",
        workers=2,
    )
    text = "".join(shared.chunks)
    assert text == "".join(one.chunks)
    assert json.loads(text)["year"] == 2022


def test_spellings_of_one_region_go_to_one_worker(plan: str, tmp_path: Path) -> None:
    # Full-width digits and case fold to the same region: the rows must meet in one worker, which keeps
    # the first spelling, as one process does.
    rows = [("县０１" if r[0] == "县01" and r[2] == 2021 else r[0], *r[1:]) for r in _rows(8)]
    stats = _write(tmp_path / "s.csv", rows)  # type: ignore[arg-type]
    assert _shared(plan, stats, 2) == _one_process(plan, stats)
    shares = [read_statistics(stats, shard=Shard(k, 2)) for k in range(2)]
    holding = [s for s in shares if any(o.region in ("县01", "县０１") for o in s.observations)]
    assert len(holding) == 1


def test_every_row_is_read_by_exactly_one_share(tmp_path: Path) -> None:
    stats = _write(tmp_path / "s.csv", _rows(30))
    whole = read_statistics(stats).observations
    shares = [read_statistics(stats, shard=Shard(k, 3)).observations for k in range(3)]
    assert sorted(o for share in shares for o in share) == sorted(whole)
    assert all(shares)  # 30 regions over 3 shares: none is empty


def test_unused_indicator_is_named_at_its_first_row_in_the_whole_file(plan: str, tmp_path: Path) -> None:
    rows = _rows(10)
    # The same unused indicator in counties of different shares, and one more used nowhere.
    rows.insert(3, ("县07", "商标品牌指导站", 2021, "3", "个", ""))
    rows.insert(9, ("县02", "商标品牌指导站", 2022, "4", "个", ""))
    rows.append(("县05", "地理标志产品", 2023, "2", "件", ""))
    stats = _write(tmp_path / "s.csv", rows)
    warnings, text = _shared(plan, stats, 2)
    assert (warnings, text) == _one_process(plan, stats)
    assert len(warnings) == 2 and "line 5" in warnings[0]
    assert json.loads(text)["warnings"] == list(warnings)


def test_what_the_reader_skipped_is_said_once(plan: str, tmp_path: Path) -> None:
    stats = tmp_path / "s.csv"
    lines = [",".join(str(cell) for cell in row) + ",张三" for row in _rows(6)]
    stats.write_text("县域统计\n" + HEADER.rstrip("\n") + ",填报人\n" + "\n".join(lines) + "\n", encoding="utf-8")
    warnings, text = _shared(plan, stats, 2)
    assert (warnings, text) == _one_process(plan, stats)
    assert warnings == (
        f'{stats}:1: row above the header skipped: "县域统计"',
        f'{stats}: column "填报人" is not used',
    )


def _problems(call: object) -> str:
    with pytest.raises(InputError) as caught:
        call()  # type: ignore[operator]
    return str(caught.value)


def test_reading_problems_of_every_worker_in_file_order(plan: str, tmp_path: Path) -> None:
    rows = _rows(10)
    rows[5] = (rows[5][0], rows[5][1], rows[5][2], "十二", "件", "")
    rows[20] = ("县03", "发明专利拥有量", 20211, "5", "件", "")
    rows[33] = ("县08", "有效注册商标量", 2022, "1,2,3", "件", "")
    stats = _write(tmp_path / "s.csv", rows)
    expected = _problems(lambda: _one_process(plan, stats))
    assert expected.count("\n") == 2
    assert _problems(lambda: _shared(plan, stats, 2)) == expected


def test_header_problem_is_reported_once(plan: str, tmp_path: Path) -> None:
    stats = tmp_path / "s.csv"
    stats.write_text("地区,指标,年份,数值,年份\n县01,发明专利拥有量,2020,1,2020\n", encoding="utf-8")
    assert _problems(lambda: _shared(plan, stats, 2)) == _problems(lambda: _one_process(plan, stats))


def test_matching_problems_in_region_order(plan: str, tmp_path: Path) -> None:
    rows = _rows(10)
    # A unit that does not convert, in counties of both shares; a number for a milestone.
    bad = [i for i, row in enumerate(rows) if row[1] == "保护示范区"][:6]
    for i in bad:
        rows[i] = (*rows[i][:4], "平方米", "")
    task = next(i for i, row in enumerate(rows) if row[1] == "建成服务平台")
    rows[task] = (rows[task][0], rows[task][1], 2023, "1", "", "")
    stats = _write(tmp_path / "s.csv", rows)
    expected = _problems(lambda: _one_process(plan, stats))
    assert expected.count("\n") == 6
    assert _problems(lambda: _shared(plan, stats, 2)) == expected


def test_a_file_without_regions_is_refused_alike(plan: str, tmp_path: Path) -> None:
    stats = tmp_path / "s.csv"
    stats.write_text("指标,年份,数值,单位\n发明专利拥有量,2020,100,件\n", encoding="utf-8")
    assert _problems(lambda: _shared(plan, stats, 2)) == _problems(lambda: _one_process(plan, stats))


def test_year_outside_the_plans_is_refused_after_reading(plan: str, tmp_path: Path) -> None:
    stats = _write(tmp_path / "s.csv", _rows(4))
    with pytest.raises(OptionError, match="--year"):
        _shared(plan, stats, 2, year=2202)


def test_a_worker_that_dies_is_named_not_waited_for(
    plan: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    stats = _write(tmp_path / "s.csv", _rows(4))

    def die(job: object) -> object:
        os._exit(9)

    monkeypatch.setattr(shards, "_match", die)  # workers are forked: they see the patch
    with pytest.raises(IpreportError, match=r"worker process 1 of 2 stopped unexpectedly \(exit code 9\)"):
        _shared(plan, stats, 2)


def test_a_bug_in_a_worker_comes_back_with_its_traceback(
    plan: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stats = _write(tmp_path / "s.csv", _rows(4))

    def broken(job: object, shard: object, year: int, as_of: object, send: object) -> object:
        raise ZeroDivisionError("in round two")

    monkeypatch.setattr(shards, "_write", broken)
    with pytest.raises(RuntimeError, match="ZeroDivisionError: in round two"):
        _shared(plan, stats, 2)


def test_a_bug_while_the_output_is_written_comes_back_too(
    plan: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stats = _write(tmp_path / "s.csv", _rows(4))
    write = shards._write

    def broken_later(job: object, shard: object, year: int, as_of: object, send: object) -> None:
        def send_then_fail(answer: object) -> None:
            send(answer)  # type: ignore[operator]
            raise ZeroDivisionError("after the counts")

        write(job, shard, year, as_of, send_then_fail)  # type: ignore[arg-type]

    monkeypatch.setattr(shards, "_write", broken_later)
    output = shards.each_region_shared(
        load_plans([plan]), stats, "json", year=None, as_of=None, encoding=None, lang="zh", workers=2
    )
    with pytest.raises(RuntimeError, match="ZeroDivisionError: after the counts"):
        "".join(output.chunks)


def test_only_big_csv_files_are_shared_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = _write(tmp_path / "s.csv", _rows(2))
    assert not shards.worth_sharing(small, "json", 2)
    monkeypatch.setattr(shards, "MIN_SHARED_BYTES", small.stat().st_size)
    assert shards.worth_sharing(small, "json", 2)
    assert shards.worth_sharing(small, "csv", 2)
    assert not shards.worth_sharing(small, "table", 2)  # a table needs every row to set its widths
    assert not shards.worth_sharing(small, "json", 1)
    workbook = tmp_path / "s.xlsx"
    workbook.write_bytes(small.read_bytes())
    assert not shards.worth_sharing(workbook, "json", 2)
    assert not shards.worth_sharing(tmp_path / "missing.csv", "json", 2)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_cli_jobs_gives_the_same_output(
    plan: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    stats = _write(tmp_path / "s.csv", _rows(20))
    monkeypatch.setattr(shards, "MIN_SHARED_BYTES", 0)
    runner = CliRunner()
    args = ["gaps", plan, "--stats", str(stats), "--each-region", "--format", fmt]
    one = runner.invoke(cli, [*args, "--jobs", "1"])
    two = runner.invoke(cli, [*args, "--jobs", "2"])
    assert one.exit_code == 0 and two.exit_code == 0
    assert two.output == one.output


def test_cli_jobs_needs_each_region(plan: str, tmp_path: Path) -> None:
    stats = _write(tmp_path / "s.csv", _rows(2))
    result = CliRunner().invoke(cli, ["gaps", plan, "--stats", str(stats), "--jobs", "2"])
    assert result.exit_code == 2
    assert "--jobs goes with --each-region" in result.output
    zero = CliRunner().invoke(cli, ["gaps", plan, "--stats", str(stats), "--each-region", "--jobs", "0"])
    assert zero.exit_code == 2
