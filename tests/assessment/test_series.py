"""Tests for ipreport.assessment.series: matching rows to targets, unit conversion, sums, tasks, warnings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from ipreport.assessment.series import (
    RowIndex,
    TargetData,
    collect,
    missing_sum_years,
    unused_indicators,
    unused_regions,
)
from ipreport.errors import InputError
from ipreport.model import Kind, Observation, Plan, Point, Statistics, Target, TaskState
from ipreport.statistics.read import read_statistics

FIXTURES = Path(__file__).parents[1] / "fixtures" / "stats"


def plan(*targets: Target, start_year: int = 2016) -> Plan:
    return Plan(
        id="jilin-2016", title="t", region="吉林省", start_year=start_year, target_year=2020, targets=targets
    )


def target(id: str, indicator: str, unit: str = "", kind: Kind = Kind.LEVEL, **kw: object) -> Target:
    return Target(id=id, name=indicator, kind=kind, indicator=indicator, unit=unit, year=2020, **kw)  # type: ignore[arg-type]


def stats(*rows: Observation, path: str = "s.csv") -> Statistics:
    return Statistics(path=Path(path), observations=rows, layout="long")


def row(
    indicator: str, year: int, value: str | None, line: int, region: str | None = "吉林省", **kw: object
) -> Observation:
    return Observation(
        indicator=indicator,
        year=year,
        value=None if value is None else Decimal(value),
        region=region,
        origin=f"s.csv:{line}",
        **kw,  # type: ignore[arg-type]
    )


def test_collects_from_fixture_with_unit_conversion() -> None:
    data = read_statistics(FIXTURES / "long_en.csv")
    f = str(FIXTURES / "long_en.csv")
    p = plan(
        target("per-10k", "每万人口发明专利拥有量", "件/万人"),
        target("marks", "有效注册商标量", "万件"),
        target("pledge", "知识产权质押融资额", "万元"),
        target("center", "建设知识产权保护中心", kind=Kind.MILESTONE),
        target("nothing", "没有的指标", "件"),
    )
    got = collect(p, data, "吉林省")
    assert got == {
        "per-10k": TargetData(
            points=(Point(2016, Decimal("3.36")), Point(2020, Decimal("6.41"))),
            sources=("专利统计月报 2016年12月", "吉市监议字〔2021〕12号"),
        ),
        "marks": TargetData(points=(Point(2020, Decimal("25.4")),), sources=("吉市监议字〔2021〕12号",)),
        "pledge": TargetData(points=(Point(2020, Decimal(534000)),), sources=("吉市监议字〔2021〕12号",)),
        "center": TargetData(
            points=(),
            tasks=(
                Observation(
                    "建设知识产权保护中心", 2021, None, "吉林省", state=TaskState.IN_PROGRESS, origin=f"{f}:12"
                ),
                Observation(
                    "建设知识产权保护中心",
                    2022,
                    None,
                    "吉林省",
                    date=dt.date(2022, 6, 30),
                    state=TaskState.DONE,
                    origin=f"{f}:13",
                ),
            ),
        ),
        "nothing": TargetData(points=()),
    }
    assert collect(p, data, "青海省")["per-10k"].points == (Point(2016, Decimal("1.54")),)


def test_aliases_whitespace_and_rows_without_region() -> None:
    data = stats(
        row("每万人口 发明专利拥有量", 2017, "4.02", 2, region=None),
        row("每万人口有效发明专利拥有量", 2018, "5", 3, region=None),
        row("每万人口有效发明专利拥有量", 2017, "4.02", 4, region=None),  # same value under the alias: fine
    )
    t = target("per-10k", "每万人口发明专利拥有量", aliases=("每万人口有效发明专利拥有量",))
    assert collect(plan(t), data, "吉林省")["per-10k"].points == (
        Point(2017, Decimal("4.02")),
        Point(2018, Decimal(5)),
    )


def test_alias_conflict_names_both_rows() -> None:
    data = stats(row("甲", 2017, "4", 2), row("乙", 2017, "5", 3))
    t = target("x", "甲", "件", aliases=("乙",))
    with pytest.raises(InputError) as caught:
        collect(plan(t), data, "吉林省")
    assert str(caught.value) == (
        's.csv:3: two different values for target x of plan jilin-2016 in 2017: 4 ("甲" at s.csv:2) '
        'and 5 ("乙" at s.csv:3), both in 件'
    )


def test_running_sum_from_start_year_sums_what_is_reported() -> None:
    # Issue 12: the sum used to stop at the first missing year (2019) and drop 2020.
    data = stats(
        row("培训人次", 2015, "99", 2),
        row("培训人次", 2016, "1", 3),
        row("培训人次", 2017, "0.0002", 4, unit="万人次"),
        row("培训人次", 2018, "3", 5),
        row("培训人次", 2020, "4", 6),
    )
    t = target("training", "培训人次", "人次", aggregate="sum")
    assert collect(plan(t), data, "吉林省")["training"].points == (
        Point(2016, Decimal(1)),
        Point(2017, Decimal(3)),
        Point(2018, Decimal(6)),
        Point(2020, Decimal(10)),
    )
    points = collect(plan(t), data, "吉林省")["training"].points
    assert missing_sum_years(2016, 2020, points) == [2019]
    assert missing_sum_years(2016, 2018, points) == []


def test_rows_out_of_year_order_are_sorted_and_so_are_their_sources() -> None:
    data = stats(
        row("专利", 2019, "9", 2, source="丙"),
        row("专利", 2017, "7", 3, source="甲"),
        row("专利", 2018, "8", 4, source="乙"),
    )
    got = collect(plan(target("p", "专利")), data, "吉林省")["p"]
    assert got.points == (Point(2017, Decimal(7)), Point(2018, Decimal(8)), Point(2019, Decimal(9)))
    assert got.sources == ("甲", "乙", "丙")


def test_one_series_in_two_units_is_converted_row_by_row_and_keeps_its_digits() -> None:
    data = stats(
        row("商标", 2019, "1.50", 2, unit="万件"),
        row("商标", 2020, "17000", 3, unit="件"),
        row("商标", 2021, "1.90", 4, unit="万件"),
    )
    got = collect(plan(target("m", "商标", "万件")), data, "吉林省")["m"].points
    assert [str(point.value) for point in got] == ["1.50", "1.7000", "1.90"]


def test_rows_of_one_label_written_two_ways_stay_in_file_order() -> None:
    data = stats(
        row("Patents", 2017, "7", 2, region="省A"),
        row("patents", 2018, "8", 3, region="省a"),
        row("Patents", 2019, "9", 4, region="省 A"),
        row("Other", 2019, "1", 5, region="省a"),
    )
    index = RowIndex(data)
    assert index.regions == ("省A",)
    assert [r.origin for r in index.by_region["省a"]["patents"]] == ["s.csv:2", "s.csv:3", "s.csv:4"]
    assert list(index.first_rows) == ["patents", "other"]
    got = collect(plan(target("p", "PATENTS")), data, "省a", index)["p"]
    assert [point.year for point in got.points] == [2017, 2018, 2019]


def test_latest_task_by_year_then_date() -> None:
    data = stats(
        row("建中心", 2021, None, 2, state=TaskState.IN_PROGRESS, source="甲"),
        row("建中心", 2022, None, 3, state=TaskState.IN_PROGRESS),
        row("建中心", 2022, None, 4, state=TaskState.DONE, date=dt.date(2022, 6, 30), source="乙"),
    )
    got = collect(plan(target("c", "建中心", kind=Kind.MILESTONE)), data, "吉林省")["c"]
    assert got.task is not None and got.task.origin == "s.csv:4"
    assert [task.origin for task in got.tasks] == ["s.csv:2", "s.csv:3", "s.csv:4"]
    assert got.sources == ("乙",)


def test_unit_mismatch_fixture() -> None:
    data = read_statistics(FIXTURES / "unit_mismatch.csv")
    f = str(FIXTURES / "unit_mismatch.csv")
    with pytest.raises(InputError) as caught:
        collect(plan(target("works", "作品登记量", "件")), data, "吉林省")
    assert str(caught.value) == (
        f'{f}:2: unit: unit "万项" of "作品登记量" does not match the unit "件" of target works of plan '
        "jilin-2016; only a 万/亿/千/百 prefix is converted"
    )


def test_state_for_a_number_target_and_number_for_a_milestone() -> None:
    data = stats(row("甲", 2020, None, 2, state=TaskState.DONE), row("乙", 2020, "1", 3))
    p = plan(target("a", "甲", "件"), target("b", "乙", kind=Kind.MILESTONE))
    with pytest.raises(InputError) as caught:
        collect(p, data, "吉林省")
    assert str(caught.value) == (
        's.csv:2: value: "甲" is not a milestone (target a of plan jilin-2016): expected a number, '
        'found the state "done"\n'
        's.csv:3: value: "乙" is a milestone (target b of plan jilin-2016): expected a state such as '
        'done, in_progress, not_started (完成, 推进中, 未启动), found "1"'
    )


def test_unknown_region_lists_regions_present() -> None:
    data = read_statistics(FIXTURES / "long_en.csv")
    with pytest.raises(InputError) as caught:
        collect(plan(target("a", "甲")), data, "阜新市")
    assert str(caught.value) == (
        f'{FIXTURES / "long_en.csv"}: no rows for region "阜新市"; the file has rows for 吉林省、青海省'
    )


def test_unused_indicators() -> None:
    data = read_statistics(FIXTURES / "long_en.csv")
    f = str(FIXTURES / "long_en.csv")
    p1 = plan(target("a", "每万人口发明专利拥有量"), target("b", "商标", aliases=("有效注册商标量",)))
    p2 = plan(target("c", "知识产权 质押融资额"), target("d", "建设知识产权保护中心", kind=Kind.MILESTONE))
    assert unused_indicators([p1, p2], data) == (
        f'{f}: indicator "净减少量" (line 10) is not used by any target',
        f'{f}: indicator "专利转化率" (line 14) is not used by any target',
    )


def test_unused_indicators_in_a_workbook() -> None:
    data = read_statistics(FIXTURES / "wide.xlsx")
    f = str(FIXTURES / "wide.xlsx")
    assert unused_indicators([plan(target("a", "有效注册商标量"))], data) == (
        f'{f}: indicator "每万人口发明专利拥有量" (数据!2) is not used by any target',
        f'{f}: indicator "建设知识产权保护中心" (数据!5) is not used by any target',
    )


def test_unused_regions_one_warning_per_region_with_its_row_count() -> None:
    data = stats(
        row("甲", 2020, "1", 2),
        row("甲", 2020, "2", 3, region="长春市"),
        row("乙", 2021, "3", 4, region="长春市"),
        row("甲", 2020, "4", 5, region="延边州"),
        row("甲", 2020, "5", 6, region=None),
    )
    assert unused_regions(data, ["吉林省"]) == (
        "s.csv: rows for 长春市 (2 rows) are not used: no plan covers that region; "
        "use --region 长春市 or --each-region",
        "s.csv: rows for 延边州 (1 row) are not used: no plan covers that region; "
        "use --region 延边州 or --each-region",
    )
    assert unused_regions(data, ["吉林省", "长 春 市", "延边州"]) == ()


def test_names_match_whatever_their_case_as_duplicates_are_found() -> None:
    # The reader finds duplicates and the statistics sheet fills rows ignoring case; matching does too.
    data = stats(row("PCT国际专利申请量", 2020, "12", 2, region=None))
    t = target("pct", "pct国际专利申请量")
    assert collect(plan(t), data, "吉林省")["pct"].points == (Point(2020, Decimal(12)),)


# ------------------------------------------------------------------ the indicator catalogue


def test_a_row_named_by_a_catalogue_synonym_matches() -> None:
    p = plan(target("a", "每万人发明专利拥有量", "件/万人"), target("b", "商标有效注册量", "件"))
    s = stats(row("每万人口发明专利拥有量", 2020, "6.41", 2, unit="件/万人"), row("有效注册商标数量", 2020, "254000", 3, unit="件"))
    collected = collect(p, s, "吉林省")
    assert collected["a"].points == (Point(2020, Decimal("6.41")),)
    assert collected["b"].points == (Point(2020, Decimal(254000)),)
    assert unused_indicators([p], s) == ()


def test_a_plans_own_aliases_win_over_the_catalogue() -> None:
    p = plan(target("a", "每万人发明专利拥有量", "件/万人", aliases=("万人发明专利",)))
    s = stats(row("每万人口发明专利拥有量", 2020, "6.41", 2, unit="件/万人"), row("万人发明专利", 2020, "6.5", 3))
    assert collect(p, s, "吉林省")["a"].points == (Point(2020, Decimal("6.5")),)


def test_an_unmatched_row_suggests_the_nearest_target() -> None:
    p = plan(target("a", "发明专利授权量", "件"))
    s = stats(row("发明专利授权数量", 2020, "10", 2), row("植物新品种", 2020, "3", 3))
    assert unused_indicators([p], s) == (
        's.csv: indicator "发明专利授权数量" (line 2) is not used by any target (did you mean "发明专利授权量"?)',
        's.csv: indicator "植物新品种" (line 3) is not used by any target',
    )


def test_two_targets_named_by_synonyms_of_one_entry_each_get_their_own_rows() -> None:
    # Before: each target also collected the other's row as a catalogue synonym, so both had two values.
    p = plan(target("a", "每万人发明专利拥有量", "件/万人"), target("b", "每万人口发明专利拥有量", "件/万人"))
    s = stats(row("每万人发明专利拥有量", 2020, "6.41", 2, unit="件/万人"),
              row("每万人口发明专利拥有量", 2020, "7.5", 3, unit="件/万人"))
    collected = collect(p, s, "吉林省")
    assert collected["a"].points == (Point(2020, Decimal("6.41")),)
    assert collected["b"].points == (Point(2020, Decimal("7.5")),)


def test_a_target_name_that_is_another_targets_synonym_is_its_own() -> None:
    p = plan(target("a", "商标有效注册量", "件"), target("b", "有效注册商标数量", "件"))
    s = stats(row("有效注册商标数量", 2020, "254000", 2, unit="件"))
    collected = collect(p, s, "吉林省")
    assert collected["a"].points == ()
    assert collected["b"].points == (Point(2020, Decimal(254000)),)


def test_a_synonym_row_two_targets_could_claim_is_an_error_naming_both() -> None:
    p = plan(target("a", "每万人发明专利拥有量", "件/万人"), target("b", "每万人口发明专利拥有量", "件/万人"))
    s = stats(row("万人发明专利拥有量", 2020, "6.41", 2, unit="件/万人"))
    with pytest.raises(InputError) as raised:
        collect(p, s, "吉林省")
    assert [str(problem) for problem in raised.value.problems] == [
        's.csv:2: indicator: indicator "万人发明专利拥有量" is a catalogue synonym of two targets of plan jilin-2016: '
        'a "每万人发明专利拥有量" and b "每万人口发明专利拥有量"; rename the row to one of their names '
        "or give the targets `aliases`"
    ]


def test_targets_of_one_indicator_share_its_synonym_rows() -> None:
    p = plan(target("a", "每万人口发明专利拥有量", "件/万人"), target("b", "每万人口发明专利拥有量", "件/万人"))
    s = stats(row("每万人发明专利拥有量", 2020, "6.41", 2, unit="件/万人"))
    collected = collect(p, s, "吉林省")
    assert collected["a"].points == collected["b"].points == (Point(2020, Decimal("6.41")),)
