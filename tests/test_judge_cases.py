"""Issue 12's cases end to end: each is a plan and a statistics file, judged by `ipreport gaps`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ipreport.cli import cli

PLAN_HEAD = """[plan]
id = "case"
title = "测试规划"
region = "某省"
start_year = {start}
target_year = {end}
{baseline}
"""


def gaps(tmp_path: Path, target: str, csv_rows: str, *args: str, start: int = 2016, end: int = 2020,
         baseline_year: int | None = None) -> tuple[str, str]:
    """The output and the warnings of `gaps` on a one-target plan and its statistics rows."""
    plan = tmp_path / "case.toml"
    baseline = f"baseline_year = {baseline_year}" if baseline_year else ""
    plan.write_text(PLAN_HEAD.format(start=start, end=end, baseline=baseline) + "\n[[target]]\n" + target,
                    encoding="utf-8")
    stats = tmp_path / "stats.csv"
    stats.write_text("indicator,year,value,unit\n" + csv_rows, encoding="utf-8")
    result = CliRunner().invoke(cli, ["gaps", str(plan), "--stats", str(stats), *args])
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


SUM_TARGET = """id = "training"
name = "培训人次"
kind = "level"
target = 100
unit = "万人次"
aggregate = "sum"
"""


def test_a_cumulative_total_with_a_missing_year_is_insufficient_and_names_the_year(tmp_path: Path) -> None:
    rows = "培训人次,2016,20,万人次\n培训人次,2017,20,万人次\n培训人次,2019,25,万人次\n培训人次,2020,25,万人次\n"
    out, err = gaps(tmp_path, SUM_TARGET, rows, "--format", "json")
    row = json.loads(out)["plans"][0]["targets"][0]
    assert row["status"] == "insufficient_data"
    assert row["latest"] == {"year": 2020, "value": 90}
    assert "missing_years" in row["notes"] and "missed_on_latest" not in row["notes"]
    assert err == ("Warning: target training of plan case adds up yearly values from 2016, but year 2018 has no value: "
                   "the total is incomplete (insufficient_data)\n")
    out, _ = gaps(tmp_path, SUM_TARGET, rows, "--format", "json", "--year", "2017")
    assert json.loads(out)["plans"][0]["targets"][0]["latest"] == {"year": 2017, "value": 40}


def test_a_complete_cumulative_total_is_judged_on_its_sum(tmp_path: Path) -> None:
    rows = "".join(f"培训人次,{year},20,万人次\n" for year in range(2016, 2021))
    out, err = gaps(tmp_path, SUM_TARGET, rows, "--format", "json")
    row = json.loads(out)["plans"][0]["targets"][0]
    assert (row["status"], row["latest"], row["gap"]) == ("achieved", {"year": 2020, "value": 100}, 0)
    assert err == ""


def test_a_missing_start_year_is_named_too(tmp_path: Path) -> None:
    rows = "培训人次,2017,20,万人次\n培训人次,2018,20,万人次\n"
    out, err = gaps(tmp_path, SUM_TARGET, rows, "--format", "json")
    data = json.loads(out)
    assert data["year"] == 2018
    assert data["plans"][0]["targets"][0]["status"] == "insufficient_data"
    assert "but year 2016 has no value" in err


def test_validate_warns_about_a_cumulative_total_with_a_hole(tmp_path: Path) -> None:
    gaps(tmp_path, SUM_TARGET, "培训人次,2016,20,万人次\n培训人次,2018,20,万人次\n")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "case.toml"), "--stats",
                                      str(tmp_path / "stats.csv")])
    assert "but year 2017 has no value" in result.output + (result.stderr or "")


def test_the_report_says_which_year_the_total_misses(tmp_path: Path) -> None:
    rows = "培训人次,2016,20,万人次\n培训人次,2017,20,万人次\n培训人次,2019,25,万人次\n"
    gaps(tmp_path, SUM_TARGET, rows)
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "case.toml"), "--stats", str(tmp_path / "stats.csv"),
                                      "-o", str(out), "--no-charts"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "累计值缺少2018年数据，暂无法判断进度" in text
    assert "缺少2019年数据" not in text and "因缺少基期数据" not in text


def report(tmp_path: Path, target: str, csv_rows: str, *args: str, **plan: int) -> str:
    """The .md report of a one-target plan (made as `gaps` makes it)."""
    gaps(tmp_path, target, csv_rows, **plan)
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "case.toml"), "--stats", str(tmp_path / "stats.csv"),
                                      "-o", str(out), "--no-charts", *args])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


ENERGY = """id = "energy"
name = "单位产值能耗"
kind = "{kind}"
{goal}
unit = "吨"
direction = "decrease"
"""


def test_a_decrease_growth_target_is_worded_as_a_decrease(tmp_path: Path) -> None:
    target = ENERGY.format(kind="growth", goal='rate = "3%"')
    rows = "单位产值能耗,2016,100,吨\n单位产值能耗,2018,80,吨\n"
    table, _ = gaps(tmp_path, target, rows)
    assert "年均下降3%" in table and "年均增长" not in table
    text = report(tmp_path, target, rows)
    assert "单位产值能耗年均下降10.6%，目标为年均下降3%，进度快于预期。" in text  # rates to one decimal
    assert "年均增长" not in text
    english = report(tmp_path, target, rows, "--lang", "en")
    assert "fell by 10.6% a year against a target of a fall of 3% a year" in english


def test_a_decrease_level_target_compares_rates_by_size(tmp_path: Path) -> None:
    target = ENERGY.format(kind="level", goal="target = 50")
    rows = "单位产值能耗,2016,100,吨\n单位产值能耗,2018,80,吨\n"
    text = report(tmp_path, target, rows)
    assert ("2016年以来年均下降10.6%，低于如期实现目标所需的年均降幅15.9%，需加快推进，"
            "今后2年需年均下降20.9%方能如期实现。") in text


def test_a_decrease_percentage_target_needs_points_lowered(tmp_path: Path) -> None:
    target = """id = "share"
name = "侵权案件比例"
kind = "level"
target = "10%"
unit = "%"
direction = "decrease"
"""
    rows = "侵权案件比例,2016,20,%\n侵权案件比例,2018,18,%\n"
    text = report(tmp_path, target, rows)
    assert "距2020年不高于10%的目标尚差8个百分点" in text
    assert "今后2年需年均降低4个百分点方能如期实现" in text
    assert "提高" not in text


def test_a_decreasing_trend_is_not_called_steady_growth(tmp_path: Path) -> None:
    target = ENERGY.format(kind="trend", goal="")
    rows = "单位产值能耗,2016,100,吨\n单位产值能耗,2018,80,吨\n"
    table, _ = gaps(tmp_path, target, rows)
    assert "稳步下降" in table
    text = report(tmp_path, target, rows)
    assert "符合稳步下降的要求" in text and "稳步增长" not in text


def test_a_decrease_ceiling_already_held_is_worded_as_a_ceiling(tmp_path: Path) -> None:
    target = ENERGY.format(kind="level", goal="target = 90")
    rows = "单位产值能耗,2016,80,吨\n单位产值能耗,2018,95,吨\n"
    text = report(tmp_path, target, rows)
    assert "目标高于基期值80，按保持不高于目标判断" in text


RANGE = """id = "centres"
name = "保护中心"
kind = "range"
min = 3
max = 5
unit = "个"
"""


def test_a_range_is_reached_or_not_and_the_gap_is_to_the_nearer_bound(tmp_path: Path) -> None:
    def judged(value: int) -> dict:
        out, _ = gaps(tmp_path, RANGE, f"保护中心,2016,1,个\n保护中心,2020,{value},个\n", "--format", "json")
        return json.loads(out)["plans"][0]["targets"][0]

    inside, below, above = judged(4), judged(2), judged(6)
    assert (inside["status"], inside["gap"], inside["attainment"]) == ("achieved", 0, None)
    assert (below["status"], below["gap"], below["attainment"]) == ("missed", 1, None)
    assert (above["status"], above["gap"], above["attainment"], above["notes"]) == (
        "achieved", -1, None, ["baseline_from_earliest", "above_range"])
    table, _ = gaps(tmp_path, RANGE, "保护中心,2016,1,个\n保护中心,2020,4,个\n")
    assert "保护中心   3–5个  4 (2020)     0       —  已实现" in table
    text = report(tmp_path, RANGE, "保护中心,2016,1,个\n保护中心,2020,2,个\n")
    assert "距3～5个的目标尚差1个，未实现目标。" in text and "完成率—" not in text


GROWTH = """id = "output"
name = "专利密集型产业增加值"
kind = "growth"
rate = "5%"
unit = "亿元"
"""


def test_a_growth_target_just_missed_shows_its_rate_gap_not_zero(tmp_path: Path) -> None:
    rows = "专利密集型产业增加值,2015,100,亿元\n专利密集型产业增加值,2020,127.6,亿元\n"
    out, _ = gaps(tmp_path, GROWTH, rows, "--format", "json", baseline_year=2015)
    row = json.loads(out)["plans"][0]["targets"][0]
    assert (row["status"], row["target_value"], row["attainment"]) == ("missed", None, None)
    assert row["gap"] == 0.004633  # 5 % − 4.995367 % a year
    table, _ = gaps(tmp_path, GROWTH, rows, baseline_year=2015)
    assert "年均增长5%  年均4.995%  0.005个百分点       —  未实现" in table
    csv_out, _ = gaps(tmp_path, GROWTH, rows, "--format", "csv", baseline_year=2015)
    assert ",年均增长5%,2020,2015,100,2020,127.6,0.004633,,0.999073,missed,未实现" in csv_out
    text = report(tmp_path, GROWTH, rows, baseline_year=2015)
    assert ("2015—2020年，全省专利密集型产业增加值年均增长4.995%，低于年均增长5%的目标0.005个百分点，"
            "未实现目标。") in text
    # The implied level is a note (附件1's 说明), with the decimals that keep it apart from 127.6.
    assert "专利密集型产业增加值：按年均增长5%折算目标值为127.63。" in text


TRADEMARKS = """id = "marks"
name = "国内注册商标总量"
kind = "level"
target = 20000
unit = "件"
"""


def test_only_the_base_year_value_is_insufficient_and_never_the_latest(tmp_path: Path) -> None:
    rows = "国内注册商标总量,2015,12918,件\n"
    out, _ = gaps(tmp_path, TRADEMARKS, rows, "--format", "json", "--year", "2017", baseline_year=2015)
    row = json.loads(out)["plans"][0]["targets"][0]
    assert (row["status"], row["latest"], row["gap"], row["notes"]) == (
        "insufficient_data", None, None, ["single_observation"])
    assert row["baseline"] == {"year": 2015, "value": 12918}
    table, _ = gaps(tmp_path, TRADEMARKS, rows, "--year", "2017", baseline_year=2015)
    assert "国内注册商标总量  20,000件       —     —       —  数据不足" in table
    text = report(tmp_path, TRADEMARKS, rows, "--year", "2017", baseline_year=2015)
    assert "全省国内注册商标总量仅有基期（2015年）数据，暂无法判断进度。" in text
    # The base-year value is shown as the 基期值, never as the 最新值 (a column all "—" is dropped).
    assert "因缺少基期数据" not in text and "| 12,918（2015年） | 数据不足 |" in text


def _failing(tmp_path: Path, target: str, csv_rows: str, header: str = "indicator,year,value,unit") -> str:
    plan = tmp_path / "case.toml"
    plan.write_text(PLAN_HEAD.format(start=2016, end=2020, baseline="") + "\n[[target]]\n" + target,
                    encoding="utf-8")
    stats = tmp_path / "stats.csv"
    stats.write_text(header + "\n" + csv_rows, encoding="utf-8")
    result = CliRunner().invoke(cli, ["gaps", str(plan), "--stats", str(stats)])
    assert result.exit_code == 1, result.output
    return result.stderr


def test_a_target_with_yi_in_a_yi_unit_is_a_problem_naming_the_key(tmp_path: Path) -> None:
    target = 'id = "v"\nname = "增加值"\nkind = "level"\ntarget = "30亿"\nunit = "亿元"\n'
    err = _failing(tmp_path, target, "增加值,2020,21.3,亿元\n")
    assert err == (f'Error: {tmp_path / "case.toml"}:13: target[1].target: the value "30亿" carries 亿 but the '
                   'unit "亿元" already does (亿); write the number alone, in 亿元\n')
    target = 'id = "v"\nname = "申请量"\nkind = "level"\ntarget = "3.5万"\nunit = "万件"\n'
    assert "the value \"3.5万\" carries 万 but the unit \"万件\" already does (万)" in _failing(
        tmp_path, target, "申请量,2020,2,万件\n")


def test_baseline_and_interim_values_with_yi_in_a_yi_unit_are_problems_too(tmp_path: Path) -> None:
    target = ('id = "v"\nname = "增加值"\nkind = "level"\ntarget = 30\nunit = "亿元"\n'
              'baseline = { year = 2015, value = "12亿" }\ninterim = { 2018 = "20亿" }\n')
    err = _failing(tmp_path, target, "增加值,2020,21.3,亿元\n")
    plan = tmp_path / "case.toml"
    assert err.splitlines() == [
        f'Error: {plan}:15: target[1].baseline.value: the value "12亿" carries 亿 but the unit "亿元" already '
        "does (亿); write the number alone, in 亿元",
        f'Error: {plan}:16: target[1].interim.2018: the value "20亿" carries 亿 but the unit "亿元" already '
        "does (亿); write the number alone, in 亿元",
    ]


def test_a_cell_with_yi_in_a_yi_row_is_a_problem_naming_the_cell(tmp_path: Path) -> None:
    target = 'id = "v"\nname = "增加值"\nkind = "level"\ntarget = 30\nunit = "亿元"\n'
    err = _failing(tmp_path, target, "增加值,2020,21.3亿,亿元\n")
    assert 'the value "21.3亿" carries 亿 but the unit "亿元" already does (亿); write the number alone, in 亿元' in err
    assert f"{tmp_path / 'stats.csv'}:2" in err


def test_a_full_width_percent_unit_is_the_percent_unit(tmp_path: Path) -> None:
    target = 'id = "r"\nname = "结案率"\nkind = "level"\ntarget = "95%"\nunit = "%"\n'
    out, err = gaps(tmp_path, target, "结案率,2016,90,％\n结案率,2020,96,％\n", "--format", "json")
    assert json.loads(out)["plans"][0]["targets"][0]["status"] == "achieved"
    assert err == ""


def test_a_unit_mismatch_in_a_wide_row_is_one_problem(tmp_path: Path) -> None:
    target = 'id = "r"\nname = "结案率"\nkind = "level"\ntarget = "95%"\nunit = "%"\n'
    err = _failing(tmp_path, target, "结案率,件,90,91,92\n", header="indicator,unit,2018,2019,2020")
    assert err.count("does not match the unit") == 1, err


def test_a_percentage_typed_as_a_fraction_is_a_warning_naming_both_cells(tmp_path: Path) -> None:
    target = 'id = "r"\nname = "转化率"\nkind = "level"\ntarget = "20%"\nunit = "%"\n'
    stats = tmp_path / "stats.csv"
    _, err = gaps(tmp_path, target, "转化率,2018,12.5,%\n转化率,2019,13,%\n转化率,2020,0.15,%\n")
    assert err == (f'Warning: {stats}:4 (2020): the value 0.15 of "转化率" is about 1/100 of the value 13 at '
                   f"{stats}:3 (2019); check the unit (a percentage typed as a fraction, or 万/亿 written twice "
                   "or left out)\n")
    _, err = gaps(tmp_path, target, "转化率,2018,12.5,%\n转化率,2019,13,%\n转化率,2020,14,%\n")
    assert err == ""


def test_points_a_year_round_half_up_in_the_sentence(tmp_path: Path) -> None:
    target = 'id = "s"\nname = "占比"\nkind = "level"\ntarget = "50%"\nunit = "%"\n'
    text = report(tmp_path, target, "占比,2016,49,%\n占比,2018,49.9,%\n")
    # 0.1 point over 2 years is 0.05 a year: half up, 0.1 (it read 0.0).
    assert "今后2年需年均提高0.1个百分点方能如期实现" in text
