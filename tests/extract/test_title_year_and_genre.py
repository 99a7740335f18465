"""What the whole document says about its sentences: a plan's title with its period in brackets, the
one year a yearly plan's title names, the genre (a plan or a news report), a relative year (年内, 三年内)
and the heading a goals list stands under. The texts are written in the shapes of plans, not quoted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ipreport.extract import rules
from ipreport.extract.drafting import draft_from_text
from ipreport.extract.stance import Verdict, is_plan_title, is_report, judge
from ipreport.model import Kind


def _targets(text: str, period: tuple[int, int] | None = (2021, 2025)) -> list[tuple[str, Decimal | None, int]]:
    draft = draft_from_text(text, region="测试市", period=period)
    return [(t.name, t.value if t.kind is not Kind.GROWTH else t.rate, t.year) for t in draft.plan.targets]


# ------------------------------------------------------------------ a plan's title with its period
@pytest.mark.parametrize("title", [
    "江东市专利事业发展“十四五”规划（2021—2025年）",
    "江东市商标品牌建设行动方案(2022-2024年)",
    "江东市知识产权运营体系建设计划2023-2025",
])
def test_a_period_after_the_plan_word_keeps_the_title_a_plans(title: str) -> None:
    assert is_plan_title(title)


def test_a_cover_letter_issuing_a_plan_with_its_period_drafts_the_tasks() -> None:
    # The title the cover letter names ends in "(2021—2025年)": the document was not taken for a plan,
    # and the tasks' figures, with no year of their own, were commented out as reported ones.
    text = ("江东市人民政府关于印发《江东市专利事业发展规划（2021—2025年）》的通知\n"
            "一、重点任务\n（一）提升专利运用效益\n"
            "扶持专利导航服务基地4个，新增专利密集型企业60家以上。\n")
    draft = draft_from_text(text)
    assert draft.title == "江东市专利事业发展规划(2021—2025年)"
    assert [(d.target.name, d.target.value, d.commented) for d in draft.targets] == [
        ("扶持专利导航服务基地", Decimal(4), False), ("专利密集型企业", Decimal(60), False)]


# ------------------------------------------------------------------ a relative year
@pytest.mark.parametrize("clause", ["两年内建成地理标志产品保护示范区2个", "力争5年内认定商标品牌基地8家",
                                    "三年内新增知识产权代理机构10家"])
def test_a_span_of_years_is_not_this_year(clause: str) -> None:
    assert rules.relative_year(clause, 2021) is None
    assert rules.relative_year("年内新增知识产权代理机构10家", 2021) == 2021


def test_a_span_of_years_leaves_the_paragraphs_year_alone() -> None:
    text = "二、主要目标\n到2025年，力争四年内扶持商标品牌基地12家，全市有效注册商标达到9万件。"
    assert _targets(text) == [("四年内扶持商标品牌基地", Decimal(12), 2025), ("有效注册商标", Decimal(90000), 2025)]


def test_this_year_does_not_replace_the_year_the_paragraph_set() -> None:
    text = "二、主要目标\n到2024年，全市专利代理机构达到45家，年内新增商标受理窗口3个。"
    assert [year for _, _, year in _targets(text)] == [2024, 2024]
    # with no year of its own, 年内 is still the plan's first year
    assert [year for _, _, year in _targets("年内新增商标受理窗口3个。", (2023, 2025))] == [2023]


# ------------------------------------------------------------------ the genre of the document
@pytest.mark.parametrize("text", [
    "二、重点任务\n各区县于每月10日前上报专利侵权纠纷办理情况，认真总结典型做法。\n组建专利导航服务队伍3支以上。",
    "三、保障措施\n加强新闻宣传，推动新闻出版单位开设知识产权专栏。\n设立知识产权宣传站点20个。",
    "测试市知识产权保护实施方案\n一、总体要求\n二、重点任务\n于6月30日前完成地理标志普查。\n据统计，现有商标受理窗口4个。",
])
def test_a_plans_own_words_do_not_make_it_a_news_report(text: str) -> None:
    assert not is_report(rules.fold(text))


@pytest.mark.parametrize("text", [
    "本报讯 全市专利代理机构达到45家。",
    "日前，市知识产权局召开工作会议。\n会议部署了全年工作。\n全市专利代理机构达到45家。",
    # further down, two different words of a report
    "一、工作进展\n全市专利代理机构达到45家。\n据介绍，全市商标受理窗口达到6个。\n记者从市市场监管局获悉上述数据。",
])
def test_a_news_lead_or_two_words_of_a_report_make_one(text: str) -> None:
    assert is_report(rules.fold(text))


def test_a_deadline_in_a_task_does_not_comment_out_the_plans_figures() -> None:
    text = ("一、主要目标\n到2025年，全市有效注册商标达到9万件。\n二、重点任务\n（一）强化商标品牌培育\n"
            "各区县于每年11月30日前报送商标品牌培育情况。扶持商标品牌指导站15个以上。")
    assert _targets(text)[-1] == ("扶持商标品牌指导站", Decimal(15), 2025)


# ------------------------------------------------------------------ a selection in a plan's task
def test_a_yearly_selection_is_a_plans_task_and_leaves_the_other_figure_alone() -> None:
    assert judge("每年评出专利奖20项,全市有效发明专利拥有量达到5000件", 2021, 2025, plan_context=True).verdict \
        is Verdict.TARGET
    text = "一、主要目标\n（一）总体目标\n到2025年，每年评出市专利奖20项，全市商标有效注册量达到9万件。"
    # 20 a year is drafted as the running sum over the plan's five years
    assert [(name, value) for name, value, _ in _targets(text)] == [
        ("评出市专利奖", Decimal(100)), ("商标有效注册量", Decimal(90000))]


@pytest.mark.parametrize("sentence", ["2022年,市里评选出了专利奖20项。", "全市已认定专利示范企业45家。"])
def test_a_selection_that_happened_is_a_result(sentence: str) -> None:
    assert judge(rules.fold(sentence), 2023, 2025).verdict is Verdict.RESULT


# ------------------------------------------------------------------ a yearly plan's title
def test_a_yearly_plan_naming_the_five_year_plan_runs_for_its_own_year() -> None:
    text = ("2023年测试市“十四五”知识产权规划实施推进计划\n"
            "一、加强知识产权保护\n年内新增知识产权维权援助工作站6家。\n")
    plan = draft_from_text(text, region="测试市").plan
    assert (plan.start_year, plan.target_year) == (2023, 2023)
    assert [(t.name, t.year) for t in plan.targets] == [("知识产权维权援助工作站", 2023)]


def test_a_vision_year_in_a_five_year_plans_title_is_not_its_year() -> None:
    text = "测试市国民经济和社会发展“十四五”规划和2035年远景目标纲要\n到2025年，全市有效发明专利达到6000件。\n"
    plan = draft_from_text(text, region="测试市").plan
    assert (plan.start_year, plan.target_year) == (2021, 2025)


# ------------------------------------------------------------------ numbered and dashed goal lines
@pytest.mark.parametrize("line", ["1.专利运用", "——专利运用", "2、商标品牌"])
def test_a_numbered_or_dashed_line_under_the_goals_heading_keeps_it(line: str) -> None:
    # Taken for a bare section heading, the short line replaced "（二）主要目标", and the goals after it were
    # commented out as figures with no forward-looking cue.
    text = ("一、总体要求\n（二）主要目标\n"
            f"{line}\n专利质押融资额累计达到15亿元，建设专利运营中心2个。\n")
    draft = draft_from_text(text, region="测试市", period=(2021, 2025))
    assert [(d.target.name, d.commented) for d in draft.targets] == [
        ("专利质押融资额", False), ("建设专利运营中心", False)]


def test_a_numbered_line_naming_a_dimension_follows_a_dashed_one_naming_another() -> None:
    text = ("（二）主要目标\n——专利创造\n每万人口发明专利拥有量达到12件。\n"
            "1.专利运用\n专利质押融资额累计达到15亿元。\n")
    draft = draft_from_text(text, region="测试市", period=(2021, 2025))
    assert [(t.name, t.dimension) for t in draft.plan.targets] == [
        ("每万人口发明专利拥有量", "创造"), ("专利质押融资额", "运用")]
