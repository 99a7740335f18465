"""Tests for ipreport.plans.load: finding, reading and checking plan files."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from cause import CAUSE, all_match

from ipreport.errors import InputError, Problem
from ipreport.model import Direction, Kind, Point, Thresholds
from ipreport.plans.load import bundled_ids, bundled_plans, load_plan, load_plans, plan_problems
from ipreport.util import resources

FIXTURES = Path(__file__).parents[1] / "fixtures" / "plans"
GOOD = FIXTURES / "good-all-kinds.toml"
BROKEN = FIXTURES / "broken"
REPO_TARGETS = Path(__file__).resolve().parents[2] / "targets"

PLAN_HEAD = """[plan]
id = "{id}"
title = "测试"
region = "吉林省"
start_year = 2016
target_year = 2020
"""


def expect(name: str, *messages: str) -> None:
    """The broken fixture ``name`` yields exactly ``messages`` (each after the file name), in order."""
    path = BROKEN / name
    assert all_match([f"{path}{message}" for message in messages], [str(p) for p in plan_problems(path)])


def write_plan(folder: Path, plan_id: str, body: str = "", stem: str | None = None) -> Path:
    path = folder / f"{stem or plan_id}.toml"
    path.write_text(PLAN_HEAD.format(id=plan_id) + body, encoding="utf-8")
    return path


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bundled-plans folder of two plans, in place of the real targets/."""
    folder = tmp_path / "targets"
    folder.mkdir()
    write_plan(folder, "jilin-2016")
    write_plan(folder, "fuxin-2017")
    monkeypatch.setattr(resources, "targets_dir", lambda: folder)
    return folder


# --------------------------------------------------------------------------- good files


def test_good_plan_header() -> None:
    plan = load_plan(GOOD)
    assert plan.id == "good-all-kinds"
    assert plan.title == "吉林省人民政府关于新形势下加快知识产权强省建设的实施意见"
    assert plan.document == "吉政发〔2016〕27号"
    assert plan.issuer == "吉林省人民政府"
    assert plan.issued == dt.date(2016, 7, 13)
    assert plan.region == "吉林省"
    assert (plan.start_year, plan.target_year, plan.baseline_year) == (2016, 2020, 2015)
    assert plan.thresholds == Thresholds(ahead=1.0, on_track=0.9, accelerate=0.6, behind=0.0)
    assert plan.source == GOOD
    assert [t.id for t in plan.targets] == [
        "invention-patents-per-10k",
        "patent-applications",
        "copyright-growth",
        "protection-zones",
        "trademark-trend",
        "service-platform",
        "talent-training",
    ]


def test_good_level_target_with_everything() -> None:
    target = load_plan(GOOD).targets[0]
    assert target.kind is Kind.LEVEL
    assert target.name == target.indicator == "每万人口发明专利拥有量"
    assert target.aliases == ("每万人发明专利拥有量",)
    assert target.dimension == "创造"
    assert target.value == Decimal("4.2")
    assert target.unit == "件/万人"
    assert target.direction is Direction.INCREASE
    assert target.year == 2020
    assert target.baseline == Point(2016, Decimal("3.36"))
    assert target.interim == (Point(2017, Decimal("3.5")), Point(2018, Decimal("3.8")))
    assert target.strive is True
    assert target.approximate is False
    assert target.attribute == "expected"
    assert target.aggregate == "latest"
    assert target.responsible == ("省知识产权局", "省科技厅")
    assert target.quote == "每万人口发明专利拥有量力争达到４.２件"
    assert target.line == 16


def test_good_value_with_multiplier_and_defaults() -> None:
    target = load_plan(GOOD).targets[1]
    assert target.value == Decimal("24000")
    assert target.approximate is True
    assert target.dimension == "其他"
    assert target.indicator == "专利申请量"
    assert (target.aliases, target.responsible, target.quote, target.baseline, target.interim) == (
        (),
        (),
        "",
        None,
        (),
    )
    assert target.line == 32


def test_good_growth_range_trend_targets() -> None:
    growth, range_, trend = load_plan(GOOD).targets[2:5]
    assert growth.kind is Kind.GROWTH
    assert growth.rate == Decimal("0.1")
    assert growth.indicator == "作品著作权登记量"
    assert growth.baseline == Point(2015, Decimal(1200))
    assert growth.value is None
    assert range_.kind is Kind.RANGE
    assert (range_.min, range_.max, range_.year, range_.aggregate) == (Decimal(3), Decimal(5), 2023, "sum")
    assert trend.kind is Kind.TREND
    assert trend.direction is Direction.DECREASE
    assert trend.year == 2020


def test_good_milestones() -> None:
    dated, ongoing = load_plan(GOOD).targets[5:]
    assert dated.kind is Kind.MILESTONE
    assert dated.deadline == dt.date(2022, 6, 30)
    assert dated.year == 2022  # the deadline's year, not the plan's target_year
    assert dated.ongoing is False
    assert dated.attribute == "binding"
    assert ongoing.deadline is None
    assert ongoing.ongoing is True
    assert ongoing.year == 2020


def test_plan_without_targets_is_valid() -> None:
    plan = load_plan(str(FIXTURES / "good-no-targets.toml"))
    assert plan.targets == ()
    assert plan.thresholds == Thresholds()
    assert plan.baseline_year is None
    assert (plan.document, plan.issuer, plan.issued) == ("", "", None)


def test_rate_as_fraction_and_as_bare_percent(tmp_path: Path) -> None:
    body = """
[[target]]
id = "a"
name = "甲"
kind = "growth"
rate = 0.3

[[target]]
id = "b"
name = "乙"
kind = "growth"
rate = 12
"""
    plan = load_plan(write_plan(tmp_path, "rates", body))
    assert [t.rate for t in plan.targets] == [Decimal("0.3"), Decimal("0.12")]


def test_surrounding_spaces_and_full_width_spaces_are_stripped(tmp_path: Path) -> None:
    body = """
[[target]]
id = "a"
name = "知识产权质押融资额\u3000"
indicator = " 质押融资额"
aliases = ["\u3000融资额 "]
unit = "亿元 "
kind = "level"
target = 100
"""
    path = tmp_path / "spaces.toml"
    text = PLAN_HEAD.format(id="spaces").replace('title = "测试"', 'title = "测试\u3000"') + body
    path.write_text(text.replace('region = "吉林省"', 'region = " 吉林省"'), encoding="utf-8")
    plan = load_plan(path)
    (target,) = plan.targets
    assert (plan.title, plan.region) == ("测试", "吉林省")
    assert (target.name, target.indicator, target.aliases, target.unit) == (
        "知识产权质押融资额",
        "质押融资额",
        ("融资额",),
        "亿元",
    )


def test_a_percent_target_in_another_unit_is_a_unit_mismatch(tmp_path: Path) -> None:
    body = """
[[target]]
id = "pledge"
name = "知识产权质押融资额"
kind = "level"
target = "95%"
unit = "亿元"

[[target]]
id = "closure"
name = "结案率"
kind = "range"
min = "90%"
max = "95％"
unit = "％"
"""
    path = write_plan(tmp_path, "percent", body)
    assert [str(p) for p in plan_problems(path)] == [
        f'{path}:12: target[1].target: unit mismatch: the value "95%" is written with "%" but the unit is '
        '"亿元"; write the value without "%", or give unit = "%"'
    ]


def test_an_id_with_spaces_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "spaced-id.toml"
    path.write_text(PLAN_HEAD.format(id=" spaced"), encoding="utf-8")
    assert [str(p) for p in plan_problems(path)] == [
        f'{path}:2: plan.id: expected an id of lowercase letters, digits and hyphens ([a-z0-9-]+), found " spaced"'
    ]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + PLAN_HEAD.format(id="bom").encode("utf-8"))
    assert load_plan(path).title == "测试"


# --------------------------------------------------------------------------- broken files


def test_toml_syntax_error_gives_line_and_column() -> None:
    expect(
        "syntax.toml",
        ":6: TOML syntax error: {cause} (column 19)",
    )
    expect("unterminated.toml", ":3: TOML syntax error: {cause} (column 17)")


def test_toml_syntax_error_at_end_of_document(tmp_path: Path) -> None:
    path = tmp_path / "open.toml"
    path.write_text('[plan]\ntitle = """never closed\n\n', encoding="utf-8")
    assert all_match([f"{path}:3: TOML syntax error: {CAUSE} (at end of file)"], [str(p) for p in plan_problems(path)])


def test_not_utf8() -> None:
    expect(
        "gbk.toml",
        ":3: not UTF-8 text (byte 0xbc cannot be decoded); it looks like GBK/GB18030: save the plan file as UTF-8",
    )


def test_not_utf8_nor_gbk(tmp_path: Path) -> None:
    path = tmp_path / "binary.toml"
    path.write_bytes(b'[plan]\nid = "\xff\xff"\n')
    assert [str(p) for p in plan_problems(path)] == [
        f"{path}:2: not UTF-8 text (byte 0xff cannot be decoded); save the plan file as UTF-8"
    ]


@pytest.mark.parametrize(
    ("encoding", "bom", "name"),
    [("utf-16-le", b"\xff\xfe", "UTF-16"), ("utf-16-be", b"\xfe\xff", "UTF-16"), ("utf-32-le", b"\xff\xfe\0\0", "UTF-32")],
)
def test_utf16_and_utf32_with_a_bom_are_named(tmp_path: Path, encoding: str, bom: bytes, name: str) -> None:
    path = tmp_path / "unicode.toml"
    path.write_bytes(bom + PLAN_HEAD.format(id="unicode").encode(encoding))
    assert [str(p) for p in plan_problems(path)] == [
        f"{path}: the file is {name} (it starts with a {name} byte-order mark), not UTF-8: save it as UTF-8"
    ]


def test_big5_is_not_called_gbk(tmp_path: Path) -> None:
    # Big5 bytes decode as GB18030 too (as other characters), so nothing surer than "another encoding".
    path = tmp_path / "big5.toml"
    path.write_bytes(PLAN_HEAD.format(id="big5").replace("测试", "測試").encode("big5"))
    assert [str(p) for p in plan_problems(path)] == [
        f"{path}:3: not UTF-8 text (byte 0xb4 cannot be decoded); "
        "it is in another encoding (such as GBK or Big5): save the plan file as UTF-8"
    ]


def test_unknown_keys() -> None:
    expect(
        "unknown-keys.toml",
        ":7: plan.target_yaer: unknown key 'target_yaer' (did you mean 'target_year'?)",
        ":9: threshold: unknown key 'threshold' (did you mean 'thresholds'?)",
        ":16: target[1].rat: unknown key 'rat' (did you mean 'rate'?)",
        ":18: target[1].colour: unknown key 'colour'; valid keys: id, name, dimension, indicator, aliases, kind, "
        "unit, direction, year, strive, approximate, attribute, aggregate, measure, responsible, quote, target, rate, "
        "min, "
        "max, deadline, ongoing, interim, baseline",
        # A misspelt key is not also reported as missing.
        ":25: target[2].baseline.valeu: unknown key 'valeu' (did you mean 'value'?)",
        ":31: target[3].rte: unknown key 'rte' (did you mean 'rate'?)",
    )


def test_missing_keys() -> None:
    expect(
        "missing-keys.toml",
        ":1: plan: missing required key 'title'",
        ":1: plan: missing required key 'region'",
        ":6: target[1]: missing required key 'name'",
        ":11: target[2]: missing required key 'kind'",
        ":15: target[3]: missing 'target', which level targets require",
        ":20: target[4]: missing 'rate', which growth targets require",
        ":25: target[5]: missing 'max', which range targets require",
        ":31: target[6]: missing 'deadline' (or ongoing = true), which milestone targets require",
        ":40: target[7].baseline: missing required key 'value'",
    )


def test_missing_plan_table() -> None:
    expect("missing-plan.toml", ": missing the [plan] table")


def test_wrong_types() -> None:
    expect(
        "wrong-types.toml",
        ":3: plan.title: expected a string, found 2016",
        ':5: plan.issued: expected a date such as 2022-12-31 (unquoted), found "2016-07-13"',
        # line 7, target_year = "2020年", is a year as documents write it: accepted since issue 16
        ":8: plan.baseline_year: expected an integer year, found 2015.0",
        ":14: target[1].target: expected a number, found true",
        ":15: target[1].year: expected a year such as 2025, found 20200",
        ':16: target[1].strive: expected true or false, found "是"',
        ':17: target[1].aliases: expected an array of strings such as ["a", "b"], found "每万人发明专利拥有量"',
        ':18: target[1].responsible: expected an array of strings such as ["a", "b"], found [1, 2]',
        ":19: target[1].baseline: expected a table such as { year = 2016, value = 3.36 }, found [2016, 3.36]",
        ":20: target[1].unit: expected a string, found 3",
        ':26: target[2].deadline: expected a date such as 2022-12-31 (unquoted), found "2022年底"',
        ':27: target[2].ongoing: expected true or false, found "yes"',
    )


def test_bad_ids() -> None:
    expect(
        "bad-ids.toml",
        ':2: plan.id: expected an id of lowercase letters, digits and hyphens ([a-z0-9-]+), found "Bad_Plan"',
        ':9: target[1].id: expected an id of lowercase letters, digits and hyphens ([a-z0-9-]+), found "专利"',
    )


def test_duplicate_target_ids() -> None:
    expect(
        "duplicate-targets.toml",
        ':19: target[3].id: duplicate target id "patents" (first used by target[1], line 8)',
    )


def test_keys_of_another_kind() -> None:
    expect(
        "wrong-kind-keys.toml",
        ":13: target[1].rate: 'rate' belongs to growth targets; this target is kind = \"level\"",
        ":20: target[2].interim: 'interim' belongs to level targets; this target is kind = \"growth\"",
        ":27: target[3].baseline: 'baseline' belongs to level, growth, range and trend targets; "
        'this target is kind = "milestone"',
        ":28: target[3].target: 'target' belongs to level targets; this target is kind = \"milestone\"",
        ":34: target[4].ongoing: a milestone has a deadline or is ongoing, not both",
    )


def test_impossible_values() -> None:
    expect(
        "impossible-values.toml",
        ":7: plan.baseline_year: baseline_year 2020 must be before target_year 2020",
        ':13: target[1].min: min "5" is greater than max 3',
        ":21: target[2].year: year 2015 is before the plan's start_year 2016",
        ':27: target[3].rate: a growth rate must be above zero, found "-5%"',
        ":34: target[4].interim.2021: interim year 2021 must be before the target's year 2020",
        ":34: target[4].interim.2014: interim year 2014 is before the plan's start_year 2016",
        ":34: target[4].interim.2020: interim year 2020 must be before the target's year 2020",
        # interim."2017年" is a year as documents write it: accepted since issue 16
        ":41: target[5].baseline.year: baseline year 2020 must be before the target's year 2020",
        ":47: target[6].deadline: deadline 2015-06-30 is before the plan's start_year 2016",
        ":54: target[7].year: year 2020 differs from the deadline's year 2019",
    )


def test_start_year_after_target_year() -> None:
    expect("years-reversed.toml", ":6: plan.target_year: target_year 2016 is before start_year 2020")


def test_unknown_enum_values() -> None:
    expect(
        "bad-enums.toml",
        ':11: target[1].kind: expected one of level, growth, range, trend, milestone; found "levle" '
        '(did you mean "level"?)',
        ':18: target[2].direction: expected one of increase, decrease; found "up"',
        ':19: target[2].attribute: expected one of expected, binding; found "约束性"',
        ':20: target[2].aggregate: expected one of latest, sum; found "total"',
        ':21: target[2].dimension: expected one of 创造, 运用, 保护, 管理, 服务, 人才, 其他; found "创新"',
    )


def test_bad_numbers() -> None:
    expect(
        "bad-numbers.toml",
        ':12: target[1].target: expected a number such as "1,234", "2.4万" or "95%", found "四点二"',
        ':18: target[2].target: expected a number, found "—"',
        ':19: target[2].baseline.value: expected a number such as "1,234", "2.4万" or "95%", found "3.36件"',
        ':25: target[3].rate: expected a rate such as "10%" or 0.1, found "ten"',
    )


def test_single_bracket_target_table() -> None:
    expect(
        "single-target-table.toml",
        ":8: target: expected [[target]] tables (note the double brackets), found a single [target] table",
    )


def test_bad_thresholds() -> None:
    expect(
        "bad-thresholds.toml",
        ":10: thresholds.on_track: on_track 1.2 is above ahead 1.0; "
        "the thresholds must not increase from ahead to behind",
        ':11: thresholds.accelerate: expected a number such as 0.95, found "60%"',
    )


def test_load_plan_raises_every_problem_at_once() -> None:
    with pytest.raises(InputError) as caught:
        load_plan(BROKEN / "bad-enums.toml")
    assert len(caught.value.problems) == 5
    assert str(caught.value).splitlines() == [str(p) for p in plan_problems(BROKEN / "bad-enums.toml")]


def test_lines_found_in_subtables_dotted_keys_and_after_multiline_strings(tmp_path: Path) -> None:
    body = '''
[[target]]
id = "a"
name = "甲"
kind = "level"
quote = """
year = 1999
"""
target = 1
baseline.year = "2016"
baseline.value = 1

[[target]]
id = "b"
name = "乙"
kind = "level"
target = 2

[target.baseline]
year = 2016
value = "x"
'''
    path = write_plan(tmp_path, "lines", body)
    assert [str(p) for p in plan_problems(path)] == [
        f'{path}:16: target[1].baseline.year: expected an integer year, found "2016"',
        f'{path}:27: target[2].baseline.value: expected a number such as "1,234", "2.4万" or "95%", found "x"',
    ]


def test_problems_without_a_line_come_first() -> None:
    problems = plan_problems(BROKEN / "missing-plan.toml")
    assert problems == [Problem(str(BROKEN / "missing-plan.toml"), "missing the [plan] table")]


# --------------------------------------------------------------------------- several files


def test_load_plans_reports_problems_of_every_file() -> None:
    with pytest.raises(InputError) as caught:
        load_plans([GOOD, BROKEN / "bad-ids.toml", BROKEN / "years-reversed.toml"])
    assert [p.file for p in caught.value.problems] == [
        str(BROKEN / "bad-ids.toml"),
        str(BROKEN / "bad-ids.toml"),
        str(BROKEN / "years-reversed.toml"),
    ]


def test_load_plans_rejects_duplicate_plan_ids(tmp_path: Path) -> None:
    copy = tmp_path / "copy.toml"
    shutil.copy(GOOD, copy)
    with pytest.raises(InputError) as caught:
        load_plans([GOOD, copy])
    assert str(caught.value) == f'{copy}:3: plan.id: duplicate plan id "good-all-kinds" (also in {GOOD})'


def test_the_same_plan_given_twice_is_named_as_given(bundled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError) as caught:
        load_plans(["jilin-2016", "fuxin-2017", "jilin-2016"])
    assert str(caught.value) == "jilin-2016: given twice; give each plan once"
    monkeypatch.chdir(bundled)
    with pytest.raises(InputError) as caught:
        load_plans(["fuxin-2017.toml", "./fuxin-2017.toml", "fuxin-2017"])
    assert str(caught.value) == (
        "fuxin-2017.toml: given 3 times (as fuxin-2017.toml, ./fuxin-2017.toml and fuxin-2017); "
        "give each plan once"
    )
    with pytest.raises(InputError) as caught:
        load_plans(["fuxin-2017.toml", "./fuxin-2017.toml", "fuxin-2017.toml"])
    assert str(caught.value) == (
        "fuxin-2017.toml: given 3 times (as fuxin-2017.toml and as ./fuxin-2017.toml); give each plan once"
    )


def test_load_plans_keeps_order() -> None:
    loaded = load_plans([FIXTURES / "good-no-targets.toml", GOOD])
    assert [plan.id for plan in loaded] == ["good-no-targets", "good-all-kinds"]


# --------------------------------------------------------------------------- bundled plans


def test_bundled_id_resolves(bundled: Path) -> None:
    plan = load_plan("fuxin-2017")
    assert plan.id == "fuxin-2017"
    assert plan.source == bundled / "fuxin-2017.toml"


def test_bundled_ids_and_plans_sorted(bundled: Path) -> None:
    assert bundled_ids() == ("fuxin-2017", "jilin-2016")
    assert [plan.id for plan in bundled_plans()] == ["fuxin-2017", "jilin-2016"]


def test_unknown_ref_suggests_nearest_bundled_id(bundled: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_plan("jilin-2061")
    assert str(caught.value) == (
        'jilin-2061: no such plan file, and no bundled plan has this id (did you mean "jilin-2016"?); '
        "bundled plans: fuxin-2017, jilin-2016"
    )


def test_unknown_ref_without_a_close_id(bundled: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_plan("nowhere/plan.toml")
    assert str(caught.value) == (
        "nowhere/plan.toml: no such plan file, and no bundled plan has this id; "
        "bundled plans: fuxin-2017, jilin-2016"
    )


def test_unknown_ref_when_nothing_is_bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "targets_dir", lambda: tmp_path / "absent")
    assert bundled_ids() == ()
    assert [str(p) for p in plan_problems("jilin-2016")] == [
        "jilin-2016: no such plan file, and no bundled plan has this id (there are no bundled plans)"
    ]


def test_folder_is_not_a_plan(tmp_path: Path) -> None:
    assert [str(p) for p in plan_problems(tmp_path)] == [f"{tmp_path}: is a folder, not a plan file"]


def test_a_file_wins_over_a_bundled_id(
    bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "here"
    local.mkdir()
    write_plan(local, "local-plan", stem="jilin-2016").rename(local / "jilin-2016")
    monkeypatch.chdir(local)
    assert load_plan("jilin-2016").id == "local-plan"


def test_bundled_plan_id_must_equal_file_stem(bundled: Path) -> None:
    path = write_plan(bundled, "qinghai-2017", stem="qinghai")
    assert [str(p) for p in plan_problems("qinghai")] == [
        f'{path}:2: plan.id: "qinghai-2017" differs from the file name "qinghai"; '
        "a bundled plan's id is its file stem"
    ]


def test_bundled_plans_reports_every_broken_file(bundled: Path) -> None:
    write_plan(bundled, "Broken", stem="broken")
    with pytest.raises(InputError) as caught:
        bundled_plans()
    assert [p.key for p in caught.value.problems] == ["plan.id"]


def test_the_real_bundled_plans_load() -> None:
    # Written by another helper; each must load cleanly and keep its id equal to its file stem.
    files = sorted(REPO_TARGETS.glob("*.toml"))
    assert files, "targets/ holds no plan files"
    for path in files:
        assert plan_problems(path) == [], path
    assert [plan.id for plan in bundled_plans()] == [path.stem for path in files]


def test_load_plans_accepts_a_single_bare_ref() -> None:
    assert [plan.id for plan in load_plans(str(GOOD))] == ["good-all-kinds"]
