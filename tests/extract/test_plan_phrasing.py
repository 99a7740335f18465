"""Shapes of plan text that gave wrong drafts on the real passages of ``real_tune3`` (national documents
and those of provinces outside the held-back set): numbered goal items, time words before a figure,
a count that only qualifies the goal after it, a rate written 「…6%的增长」, report frames, years that
name documents, records and changes reported. The texts are written in those shapes, not quoted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from extract_drafts import commented as _commented
from extract_drafts import drafted as _drafted

from ipreport.extract.drafting import draft_from_text


def test_numbered_goal_items_are_read_not_taken_for_headings() -> None:
    text = ("一、2024年工作目标\n（一）全县发明专利申请量完成350件，其中企业申请量为200件。\n"
            "（二）有效注册商标达4100件以上。\n（三）办结专利侵权纠纷案件达到15件。")
    assert _drafted(text, (2024, 2024)) == [
        ("发明专利申请量", Decimal(350), 2024), ("企业申请量", Decimal(200), 2024),
        ("有效注册商标", Decimal(4100), 2024), ("办结专利侵权纠纷案件", Decimal(15), 2024)]


def test_a_numbered_section_heading_with_a_stage_year_stays_a_heading() -> None:
    text = "二、主要目标\n（一）启动阶段（2022年）\n全市专利代理机构达到12家。"
    assert _drafted(text) == [("专利代理机构", Decimal(12), 2022)]


@pytest.mark.parametrize(("text", "name"), [
    ("年内认定20家左右市级知识产权示范企业。", "市级知识产权示范企业"),
    ("今年将在全市范围内建成8个商标品牌指导站。", "商标品牌指导站"),
])
def test_a_time_word_before_the_figure_is_no_name_and_sets_the_first_year(text: str, name: str) -> None:
    drafted = _drafted(text, (2022, 2024))
    assert [(drafted_name, year) for drafted_name, _, year in drafted] == [(name, 2022)]


def test_next_year_is_the_year_after_the_first() -> None:
    assert _drafted("到明年底，力争培育15个地理标志运用促进项目。", (2022, 2025)) == [
        ("地理标志运用促进项目", Decimal(15), 2023)]


@pytest.mark.parametrize(("text", "expected"), [
    # the count of villages says whom the goal covers
    ("到2025年，力争30个重点村新增农产品商标120件。", [("重点村新增农产品商标", Decimal(120), 2025)]),
    # the figure before 的 says which firms count
    ("到2025年，年专利申请量超500件的企业达到40家。", [("企业", Decimal(40), 2025)]),
])
def test_a_count_that_qualifies_the_goal_after_it_is_no_goal(text: str, expected: list) -> None:
    assert _drafted(text) == expected


def test_two_goals_joined_in_one_clause_are_both_drafted() -> None:
    text = "到2025年，建成5个知识产权服务站和培育20家示范企业。"
    assert [value for _, value, _ in _drafted(text)] == [Decimal(5), Decimal(20)]


def test_a_rate_before_the_word_for_growth_is_a_growth_target() -> None:
    assert _drafted("今年将实现专利质押融资金额15%的增长。", (2023, 2023)) == [
        ("专利质押融资金额", Decimal("0.15"), 2023)]


@pytest.mark.parametrize("text", [
    # a figure stated bare beside one with a verb of reaching: the sentence lists results
    "全年受理商标注册申请4.2万件,有效注册商标突破30万件。",
    # a field summed up, the way a work report lists its results
    "保护方面,专利侵权纠纷结案周期压减至45天,维权援助站点达到28个。",
    # a reporting frame before the year of the figures
    "统计数据显示,2022年,全市专利密集型产业增加值达到860亿元,占地区生产总值比重达到12.5%。",
    # a bare 评选出 is no sign of a result (a plan writes "每年评选出…10家"), but the bare figure beside is
    "评选出市专利奖60项,带动新增产值超500亿元。",
])
def test_a_sentence_shaped_as_a_report_of_results_drafts_no_target(text: str) -> None:
    assert _drafted(text) == []
    assert _commented(text) != []


@pytest.mark.parametrize("text", [
    "2022年,市场监管总局认定了15件商标为驰名商标,全市驰名商标总数达到40件,创历史最高纪录。",
    "2022年,全市专利密集型产业增加值达到860亿元,具备了较大规模。",
    "已评选出市专利奖60项,带动新增产值超500亿元。",
])
def test_records_and_completed_actions_are_results(text: str) -> None:
    assert _drafted(text) == [] and _commented(text) == []


def test_a_bare_breakdown_after_a_goal_does_not_make_it_a_result() -> None:
    text = "培育知识产权示范企业50家,其中国家级示范企业10家。"
    assert _drafted(text) == [("知识产权示范企业", Decimal(50), 2025), ("国家级示范企业", Decimal(10), 2025)]


def test_a_goal_with_its_own_forward_cue_stays_a_goal_beside_a_bare_figure() -> None:
    text = "全市现有专利代理机构12家,到2025年,专利代理机构达到20家。"
    assert _drafted(text) == [("专利代理机构", Decimal(20), 2025)]


def test_a_year_inside_a_title_sets_no_deadline() -> None:
    text = "各区要落实《强市建设方案(2021—2035年)》,建立健全数据知识产权保护制度。"
    assert draft_from_text(text, region="测试市", period=(2021, 2025)).plan.targets == ()
