"""The template context: plain data, formatted numbers, status words and colours, ordering."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest
from report_fixtures import sample_assessment, single_plan_assessment

from ipreport.errors import TemplateError
from ipreport.model import (
    Assessment,
    Kind,
    Note,
    Plan,
    PlanAssessment,
    Point,
    Status,
    Target,
    TargetAssessment,
    TaskState,
)
from ipreport.render.report.context import build_context, note_text, numerals, scope_word, status_color

WRITTEN = dt.date(2021, 3, 1)
D = Decimal


def _rows(context: dict, plan: int = 0) -> dict[str, dict]:
    part = context["plans"][plan]
    rows = [r for d in part["dimensions"] for r in d["rows"]] + part["milestones"]
    return {r["id"]: r for r in rows}


@pytest.fixture(scope="module")
def zh() -> dict:
    return build_context(sample_assessment(), written=WRITTEN)


def test_the_context_is_plain_data(zh: dict) -> None:
    # JSON accepts only dicts, lists, strings, numbers, booleans and None: no model objects leak.
    json.dumps(zh, ensure_ascii=False)


def test_title_dates_and_header(zh: dict) -> None:
    assert zh["title"] == "吉林省2022年知识产权发展状况报告"
    assert (zh["region"], zh["scope"], zh["year"]) == ("吉林省", "全省", 2022)
    assert zh["as_of_text"] == "2022年12月31日"
    assert zh["written_text"] == "2021年3月1日"
    assert zh["statistics_file"] == "jilin-statistics.csv"
    assert [p["document"] for p in zh["plans"]] == ["吉政发〔2016〕27号", "吉政办发〔2022〕32号"]
    assert zh["plans"][0]["issued_text"] == "2016年7月13日"
    assert zh["labels"]["overview"] == "总体情况"


def test_written_date_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2021-02-28 20:00 UTC is already 1 March in Shanghai.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1614542400")
    assert build_context(single_plan_assessment())["written_text"] == "2021年3月1日"


def test_worked_check_row_is_formatted_as_the_report_prints_it(zh: dict) -> None:
    row = _rows(zh)["invention-patents-per-10k"]
    # Each figure as its source writes it: the plan's 4.2 beside the statistics' 3.36 and 6.41, as the prose.
    assert row["target_text"] == "4.2件/万人"
    assert row["baseline_text"] == "3.36（2016年）"
    assert row["latest_text"] == "6.41（2020年）"
    assert row["gap_text"] == "−2.21"
    assert row["attainment_text"] == "152.6%"
    assert (row["status"], row["status_label"]) == ("achieved", "已实现")
    assert row["responsible_text"] == "省知识产权局"


def test_large_numbers_get_thousands_separators_and_stretch_targets_say_so(zh: dict) -> None:
    row = _rows(zh)["patent-applications"]
    assert row["target_text"] == "力争24,000件"
    assert row["latest_text"] == "21,532（2020年）"
    # One rule for thousands everywhere (formatting.format_number: from 10,000 up), in tables and prose.
    assert row["gap_text"] == "2468"
    assert (row["latest_with_unit"], row["gap_with_unit"]) == ("21,532件", "2468件")
    assert _rows(zh, 1)["patent-conversions"]["latest_with_unit"] == "860件"
    assert build_context(_small_plan(_level_row("1234", "2468")), written=WRITTEN)["plans"][0]["dimensions"][0][
        "rows"
    ][0]["gap_with_unit"] == "1234件"


def test_kinds_of_target_text(zh: dict) -> None:
    rows = _rows(zh, 1)
    assert _rows(zh)["copyright-registrations"]["target_text"] == "年均增长10%"
    # A range reads with a wave dash in Chinese text: 3～5个.
    assert rows["protection-demo-zones"]["target_text"] == "3～5个"
    assert rows["ip-professionals"]["target_text"] == "稳步增长"
    assert rows["joint-enforcement"]["deadline_text"] == "持续推进"
    assert rows["protection-centre"]["completed_text"] == "2022年9月15日"


def test_achieved_before_the_target_year_reads_early(zh: dict) -> None:
    row = _rows(zh, 1)["service-institutions"]
    assert (row["status_label"], row["early"]) == ("提前实现", True)


def test_every_status_has_a_colour() -> None:
    for status in Status:
        assert status_color(status).startswith("#") and len(status_color(status)) == 7


def test_dimensions_follow_the_fixed_order_and_are_numbered(zh: dict) -> None:
    names = [(d["index"], d["name"]) for d in zh["plans"][1]["dimensions"]]
    assert names == [(1, "创造"), (2, "运用"), (3, "保护"), (4, "服务"), (5, "人才")]


def test_milestones_overdue_first(zh: dict) -> None:
    statuses = [m["status"] for m in zh["plans"][1]["milestones"]]
    assert statuses == ["overdue", "not_started", "in_progress", "ongoing", "done", "no_data"]


def test_units_list_only_behind_missed_regressing_and_overdue(zh: dict) -> None:
    units = {u["name"]: [(i["kind"], i["name"], i["status_label"]) for i in u["items"]] for u in zh["plans"][1]["units"]}
    assert units == {
        "省市场监管厅": [("target", "有效注册商标量", "滞后预期")],
        "省科技厅": [("target", "技术合同成交额", "逆向变化")],
        "省知识产权局": [
            ("target", "技术合同成交额", "逆向变化"),
            ("task", "出台《吉林省知识产权保护条例》实施细则", "逾期未完成"),
        ],
        "省司法厅": [("task", "出台《吉林省知识产权保护条例》实施细则", "逾期未完成")],
    }
    assert zh["plans"][1]["units"][0]["entries"] is zh["plans"][1]["units"][0]["items"]


def test_counts_across_all_plans(zh: dict) -> None:
    counts = zh["summary"]["counts"]
    assert (counts["targets"], counts["tasks"]) == (14, 6)
    assert (counts["achieved"], counts["achieved_early"], counts["missed"], counts["overdue"]) == (4, 1, 2, 1)


def test_the_official_sentence_for_the_worked_check() -> None:
    context = build_context(single_plan_assessment(), written=WRITTEN)
    assert "截至2020年底，全省每万人口发明专利拥有量达到6.41件，超额完成4.2件的目标，完成率152.6%。" in (
        context["summary"]["paragraphs"][2]
    )


def test_notes_are_worded_per_language(zh: dict) -> None:
    assert _rows(zh)["advantage-enterprises"]["notes"] == ["基期取2017年（最早数据）"]
    assert note_text(Note("implied_target", (("rate", "0.1"), ("value", "24.6"))), "zh") == "按年均增长10%折算目标值为24.6"
    assert note_text(Note("done_late", (("date", "2022-09-15"), ("deadline", "2022-06-30"))), "en") == (
        "done 15 September 2022, after the deadline 30 June 2022"
    )
    assert note_text(Note("something_new", (("a", "1"),))) == "something_new a=1"


@pytest.mark.parametrize(
    ("region", "word"), [("吉林省", "全省"), ("阜新市", "全市"), ("西藏自治区", "全区"), ("延边朝鲜族自治州", "全州"), ("长白县", "全县"), ("浦东", "浦东")]
)
def test_scope_word(region: str, word: str) -> None:
    assert scope_word(region) == word


def test_english_context() -> None:
    en = build_context(sample_assessment(), lang="en", written=WRITTEN)
    assert en["title"] == "Intellectual Property Development Report of 吉林省, 2022"
    assert en["written_text"] == "1 March 2021"
    row = _rows(en, 1)["service-institutions"]
    assert (row["status_label"], row["target_text"], row["latest_text"]) == ("achieved early", "200 家", "210 (2022)")
    assert en["plans"][1]["dimensions"][0]["heading"] == "Creation"
    assert en["summary"]["paragraphs"][1].startswith(
        "Of the 14 targets, 3 achieved; 1 achieved early (知识产权服务机构数量);"
    )


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(TemplateError) as caught:
        build_context(sample_assessment(), lang="fr", written=WRITTEN)
    assert str(caught.value) == "--lang: expected one of zh, en, found 'fr'"


def test_numerals_for_headings() -> None:
    assert numerals("zh")[1:4] == ["一", "二", "三"]
    assert (numerals("zh")[10], numerals("zh")[12], numerals("zh")[20]) == ("十", "十二", "二十")
    assert numerals("en")[3] == "3"


def test_charts_are_given_with_width_and_data_uri(tmp_path) -> None:  # type: ignore[no-untyped-def]
    png = tmp_path / "a.png"
    png.write_bytes(b"\x89PNG")
    trend = {"trend:jilin-2016-opinions:patent-applications": png}
    context = build_context(single_plan_assessment(), written=WRITTEN, charts={"attainment": png, **trend})
    assert context["charts"]["attainment"] == {
        "path": str(png),
        "width_mm": 156.0,
        "data_uri": "data:image/png;base64,iVBORw==",
    }
    assert list(context["plans"][0]["chart_trend"]) == ["patent-applications"]
    assert context["plans"][0]["chart_trend"]["patent-applications"]["width_mm"] == 100.0


def test_decimal_values_keep_their_written_precision(zh: dict) -> None:
    row = _rows(zh, 1)["high-value-patents"]
    assert (row["baseline_text"], row["latest_text"], row["gap_text"]) == ("2.0（2021年）", "2.4（2022年）", "0.6")


# ------------------------------------------------------------------ interim rows, no data, summary


def _small_plan(*rows: TargetAssessment) -> Assessment:
    """One Fuxin-like plan around the given rows, assessed for 2019."""
    plan = Plan(
        id="small",
        title="阜新市知识产权强市建设实施意见",
        region="阜新市",
        start_year=2016,
        target_year=2020,
        targets=tuple(dict.fromkeys(r.target for r in rows)),
        document="阜政发〔2017〕42号",
    )
    return Assessment(plans=(PlanAssessment(plan, "阜新市", rows),), year=2019, as_of=dt.date(2019, 12, 31))


def _level_row(latest: str, target: str) -> TargetAssessment:
    goal = Target(id="x", name="作品登记量", kind=Kind.LEVEL, dimension="创造", unit="件", value=D(target), year=2020)
    return TargetAssessment(target=goal, status=Status.BEHIND, target_value=D(target), target_year=2020,
                            latest=Point(2019, D(latest)), gap=D(target) - D(latest))


def _no_data(ident: str, name: str, dimension: str = "创造") -> TargetAssessment:
    target = Target(id=ident, name=name, kind=Kind.LEVEL, dimension=dimension, unit="件", value=D("100"), year=2020)
    return TargetAssessment(target=target, status=Status.NO_DATA, target_value=D("100"), target_year=2020)


PATENTS = Target(
    id="patents",
    name="每万人口发明专利拥有量",
    kind=Kind.LEVEL,
    dimension="创造",
    unit="件/万人",
    value=D("2.88"),
    year=2020,
    interim=(Point(2017, D("2.15")),),
)
BASE, IN_2017, IN_2019 = Point(2016, D("1.92")), Point(2017, D("2.18")), Point(2019, D("2.63"))
INTERIM_ROW = TargetAssessment(
    target=PATENTS, status=Status.ACHIEVED, target_value=D("2.15"), target_year=2017, interim=True,
    baseline=BASE, latest=IN_2017, series=(BASE, IN_2017), gap=D("-0.03"), attainment=2.18 / 2.15,
)
FINAL_ROW = TargetAssessment(
    target=PATENTS, status=Status.AHEAD, target_value=D("2.88"), target_year=2020,
    baseline=BASE, latest=IN_2019, series=(BASE, IN_2017, IN_2019), gap=D("0.25"), attainment=2.63 / 2.88,
)


def test_an_interim_row_shows_the_value_in_force_not_the_final_target() -> None:
    context = build_context(_small_plan(INTERIM_ROW, FINAL_ROW), written=WRITTEN)
    interim, final = context["plans"][0]["dimensions"][0]["rows"]
    assert (interim["display_name"], interim["target_text"]) == ("每万人口发明专利拥有量（2017年）", "2.15件/万人")
    assert (final["display_name"], final["target_text"]) == ("每万人口发明专利拥有量", "2.88件/万人")
    en = build_context(_small_plan(INTERIM_ROW, FINAL_ROW), written=WRITTEN, lang="en")
    assert en["plans"][0]["dimensions"][0]["rows"][0]["target_text"] == "2.15 件/万人"


def test_an_interim_row_has_no_second_trend_chart() -> None:
    context = build_context(_small_plan(INTERIM_ROW, FINAL_ROW), written=WRITTEN)
    assert [r["display_name"] for r in context["plans"][0]["dimensions"][0]["trend_rows"]] == ["每万人口发明专利拥有量"]


def test_interim_rows_are_summed_up_apart_from_the_targets() -> None:
    paragraphs = build_context(_small_plan(INTERIM_ROW, FINAL_ROW), written=WRITTEN)["summary"]["paragraphs"]
    assert paragraphs[0].startswith("《阜新市知识产权强市建设实施意见》（阜政发〔2017〕42号）确定量化指标1项，")
    assert paragraphs[1] == "1项量化指标中，快于预期1项（每万人口发明专利拥有量）。"
    assert paragraphs[2] == "2017年阶段性目标1项中，已实现1项。"


def test_targets_without_data_share_one_sentence_per_dimension() -> None:
    rows = (
        _no_data("a", "专利申请量"),
        _no_data("b", "中国驰名商标总数"),
        _no_data("c", "地理标志注册商标量"),
        _no_data("d", "专利纠纷案件结案率", "保护"),
    )
    context = build_context(_small_plan(*rows), written=WRITTEN)
    creation, protection = context["plans"][0]["dimensions"]
    assert creation["paragraphs"] == ["专利申请量、中国驰名商标总数、地理标志注册商标量等3项指标暂无统计数据，未能评估。"]
    assert protection["paragraphs"] == ["专利纠纷案件结案率暂无统计数据，未能评估。"]
    en = build_context(_small_plan(*rows), written=WRITTEN, lang="en")["plans"][0]["dimensions"][0]
    assert en["paragraphs"] == [
        "There are no statistics for 专利申请量, 中国驰名商标总数 and 地理标志注册商标量 (3 targets); "
        "they could not be assessed."
    ]


def test_the_overview_counts_targets_without_data_and_names_the_notable_ones() -> None:
    rows = (FINAL_ROW, _no_data("a", "专利申请量"), _no_data("b", "中国驰名商标总数"))
    paragraphs = build_context(_small_plan(*rows), written=WRITTEN)["summary"]["paragraphs"]
    assert paragraphs[1] == "3项量化指标中，快于预期1项（每万人口发明专利拥有量），另有2项指标暂无统计数据。"
    assert not any("专利申请量" in p for p in paragraphs)
    en = build_context(_small_plan(*rows), written=WRITTEN, lang="en")["summary"]["paragraphs"]
    assert en[1] == "Of the 3 targets, 1 ahead of schedule (每万人口发明专利拥有量); another 2 have no statistics yet."


def test_an_overview_with_no_data_at_all_says_so_in_one_sentence() -> None:
    paragraphs = build_context(_small_plan(_no_data("a", "专利申请量")), written=WRITTEN)["summary"]["paragraphs"]
    assert paragraphs[1] == "1项量化指标均暂无统计数据，未能评估。"


def test_an_implied_target_in_a_note_is_rounded_like_the_row() -> None:
    note = Note("implied_target", (("rate", "0.1"), ("value", "4.919376")))
    assert note_text(note, "zh", 2) == "按年均增长10%折算目标值为4.92"
    assert note_text(note, "zh") == "按年均增长10%折算目标值为4.919376"


def test_labels_carry_the_punctuation_of_each_language() -> None:
    zh, en = build_context(single_plan_assessment(), written=WRITTEN), build_context(
        single_plan_assessment(), written=WRITTEN, lang="en"
    )
    keys = ("colon", "full_stop", "semicolon", "open", "close", "heading_sep")
    assert [zh["labels"][k] for k in keys] == ["：", "。", "；", "（", "）", "、"]
    assert [en["labels"][k] for k in keys] == [": ", ".", "; ", " (", ")", ". "]


# ------------------------------------------------- percentage points, late tasks, early targets


SHARE = Target(id="share", name="拥有发明专利的规模以上工业企业占比", kind=Kind.LEVEL, dimension="创造", unit="%",
               value=D("20"), year=2020, interim=(Point(2017, D("15")),), responsible=("市科技局",))
SHARE_BASE = Point(2016, D("12.5"))
SHARE_2017 = TargetAssessment(
    target=SHARE, status=Status.MISSED, target_value=D("15"), target_year=2017, interim=True,
    baseline=SHARE_BASE, latest=Point(2017, D("14.2")), gap=D("0.8"), attainment=14.2 / 15,
)
SHARE_2020 = TargetAssessment(
    target=SHARE, status=Status.AHEAD, target_value=D("20"), target_year=2020, baseline=SHARE_BASE,
    latest=Point(2019, D("18.1")), gap=D("1.9"), attainment=18.1 / 20, required_cagr=0.1247, actual_cagr=0.1313,
    remaining_cagr=0.105, ratio=1.05,
)


def test_a_percentage_targets_gap_is_in_percentage_points_in_table_and_prose() -> None:
    context = build_context(_small_plan(SHARE_2017, SHARE_2020), written=WRITTEN)
    interim, final = context["plans"][0]["dimensions"][0]["rows"]
    assert (interim["target_text"], interim["gap_text"]) == ("15%", "0.8个百分点")
    assert (interim["gap_number_text"], interim["gap_unit"]) == ("0.8", "个百分点")
    assert interim["paragraph"] == (
        "截至2017年底，全市拥有发明专利的规模以上工业企业占比为14.2%，距15%的目标尚差0.8个百分点，完成率94.7%，"
        "未实现目标。"
    )
    # One year left reads "2020年需提高…", never "今后1年需年均…"; units are reminded under 下一步工作.
    assert "2020年需提高1.9个百分点方能如期实现。" in final["paragraph"]
    met = build_context(_small_plan(dataclasses.replace(SHARE_2017, gap=D("0"))), written=WRITTEN)
    assert met["plans"][0]["dimensions"][0]["rows"][0]["gap_text"] == "0.0"
    assert "距2020年20%的目标尚差1.9个百分点" in final["paragraph"]
    en = build_context(_small_plan(SHARE_2017, SHARE_2020), written=WRITTEN, lang="en")
    interim, final = en["plans"][0]["dimensions"][0]["rows"]
    assert interim["gap_text"] == "0.8 pp"
    assert "0.8 percentage points short of the target of 15%" in interim["paragraph"]
    assert "it must rise by 1.9 percentage points a year over the remaining 1 year(s)" in final["paragraph"]


def test_a_unit_reminder_gives_a_percentage_gap_in_points() -> None:
    behind = TargetAssessment(
        target=SHARE, status=Status.BEHIND, target_value=D("20"), target_year=2020, baseline=SHARE_BASE,
        latest=Point(2019, D("18.1")), gap=D("1.9"), attainment=18.1 / 20,
    )
    context = build_context(_small_plan(behind), written=WRITTEN)
    assert context["plans"][0]["units"][0]["items"][0]["detail"] == "完成率90.5%，尚差1.9个百分点"


def test_every_figure_keeps_the_precision_its_source_wrote_and_one_rule_for_thousands() -> None:
    pledge = Target(id="pledge", name="知识产权质押融资额", kind=Kind.LEVEL, dimension="运用", unit="亿元",
                    value=D("50"), year=2020)
    marks = Target(id="marks", name="吉林省著名商标总数", kind=Kind.LEVEL, dimension="运用", unit="件",
                   value=D("1600"), year=2020)
    rows = (
        TargetAssessment(target=pledge, status=Status.ACHIEVED, target_value=D("50"), target_year=2020,
                         latest=Point(2019, D("53.4")), gap=D("-3.4"), attainment=1.068),
        TargetAssessment(target=marks, status=Status.BEHIND, target_value=D("1600"), target_year=2020,
                         baseline=Point(2016, D("13460")), latest=Point(2019, D("1450")), gap=D("150"),
                         attainment=1450 / 1600),
        TargetAssessment(target=PATENTS, status=Status.AHEAD, target_value=D("2.88"), target_year=2020,
                         baseline=Point(2016, D("1.90")), latest=Point(2019, D("2.6")), gap=D("0.28"),
                         attainment=2.6 / 2.88),
    )
    context = build_context(_small_plan(*rows), written=WRITTEN)
    by_id = {r["id"]: r for d in context["plans"][0]["dimensions"] for r in d["rows"]}
    # The plan's 50 stays 50 beside the statistic 53.4, as the prose says "50亿元".
    assert (by_id["pledge"]["target_text"], by_id["pledge"]["latest_text"], by_id["pledge"]["gap_text"]) == (
        "50亿元", "53.4（2019年）", "−3.4"
    )
    assert "提前实现2020年50亿元的目标" in context["summary"]["paragraphs"][-1]
    # 1600 beside 13,460: separators from 10,000 up only, the same in every table and sentence.
    assert (by_id["marks"]["target_text"], by_id["marks"]["baseline_text"], by_id["marks"]["gap_text"]) == (
        "1600件", "13,460（2016年）", "150"
    )
    # A statistic written 1.90 keeps its two decimals; 2.6 keeps one; the gap has the finer of its two.
    assert (by_id["patents"]["baseline_text"], by_id["patents"]["latest_text"], by_id["patents"]["gap_text"]) == (
        "1.90（2016年）", "2.6（2019年）", "0.28"
    )
    assert by_id["patents"]["latest_with_unit"] == "2.6件"


TASK = Target(id="platform", name="搭建专利转化公共服务平台", kind=Kind.MILESTONE, dimension="运用", unit="",
              deadline=dt.date(2017, 12, 31), year=2017, responsible=("市科技局",))
ON_TIME = Target(id="rules", name="完善知识产权管理制度", kind=Kind.MILESTONE, dimension="管理", unit="",
                 deadline=dt.date(2018, 12, 31), year=2018)


def test_a_task_done_after_its_deadline_reads_late() -> None:
    late = TargetAssessment(
        target=TASK, status=Status.DONE, target_year=2017, task_state=TaskState.DONE,
        completed=dt.date(2018, 5, 20),
        notes=(Note("done_late", (("date", "2018-05-20"), ("deadline", "2017-12-31"))),),
    )
    in_time = TargetAssessment(target=ON_TIME, status=Status.DONE, target_year=2018, task_state=TaskState.DONE,
                               completed=dt.date(2018, 6, 1))
    context = build_context(_small_plan(late, in_time), written=WRITTEN)
    rows = {r["id"]: r for r in context["plans"][0]["milestones"]}
    assert (rows["platform"]["status_label"], rows["platform"]["late"]) == ("已完成（逾期）", True)
    assert (rows["platform"]["status"], rows["platform"]["completed_text"]) == ("done", "2018年5月20日")
    assert (rows["rules"]["status_label"], rows["rules"]["late"]) == ("已完成", False)
    assert context["summary"]["paragraphs"][-1] == (
        "2项重点任务中，已完成2项（其中逾期完成1项：搭建专利转化公共服务平台）。"
    )
    en = build_context(_small_plan(late, in_time), written=WRITTEN, lang="en")
    assert en["plans"][0]["milestones"][0]["status_label"] == "done (late)"
    assert en["summary"]["paragraphs"][-1] == "Of the 2 tasks, 2 done (1 after the deadline: 搭建专利转化公共服务平台)."


def test_the_overview_counts_early_achievements_apart_as_the_tables_do() -> None:
    on_time = _level_row("330", "320")
    on_time = TargetAssessment(target=on_time.target, status=Status.ACHIEVED, target_value=D("320"),
                               target_year=2019, latest=Point(2019, D("330")), gap=D("-10"), attainment=1.03)
    early = TargetAssessment(target=PATENTS, status=Status.ACHIEVED, target_value=D("2.88"), target_year=2020,
                             baseline=BASE, latest=IN_2019, gap=D("-0.1"), attainment=1.03)
    context = build_context(_small_plan(on_time, early), written=WRITTEN)
    labels = {r["id"]: r["status_label"] for r in context["plans"][0]["dimensions"][0]["rows"]}
    assert labels == {"x": "已实现", "patents": "提前实现"}
    assert context["summary"]["paragraphs"][1] == "2项量化指标中，已实现1项，提前实现1项（每万人口发明专利拥有量）。"
    en = build_context(_small_plan(on_time, early), written=WRITTEN, lang="en")
    assert en["summary"]["paragraphs"][1] == "Of the 2 targets, 1 achieved; 1 achieved early (每万人口发明专利拥有量)."
