"""Target or result: the one decision (ipreport.extract.stance) and the reasons it gives."""

from __future__ import annotations

import pytest

from ipreport.extract import rules
from ipreport.extract.stance import Verdict, is_goals_heading, is_plan_title, judge, stretches


def _verdict(sentence: str, context: bool = False, heading: bool = False) -> Verdict:
    return judge(rules.fold(sentence), 2021, 2025, context, heading).verdict


@pytest.mark.parametrize("sentence", [
    "到2025年，全市每万人口发明专利拥有量达到12件。",          # a year of the plan after 到
    "力争全年知识产权质押融资增长20%以上。",                    # an intent word
    "“十四五”期末，全市高价值发明专利拥有量达到3000件。",       # the end of the plan's five years
    "具体预期性指标方面，版权产业增加值占GDP比重达到7.5%。",    # the name of a goals list
    "将商标注册平均审查周期压减至4个月。",                      # 将 (will)
])
def test_a_forward_looking_cue_makes_a_target(sentence: str) -> None:
    assert _verdict(sentence) is Verdict.TARGET


@pytest.mark.parametrize("sentence", [
    "截至2020年底，全市每万人口发明专利拥有量达到15.8件。",     # as of
    "2023年1-10月份，全市专利授权量27138件，同比下降0.53%。",   # part of a year, compared with last year
    "去年全市实现知识产权质押融资金额119亿元，惠及企业291家。",  # last year
    "2019年，全市专利申请量达到8000件。",                       # a year before the plan's period
    "全市专利转化率从2019年的20.5%提高到2023年的31.2%。",  # a change ending before the plan does
    "我国每万人口高价值发明专利拥有量已经达到15.3件。",          # already
    "全年专利授权量连续13年位居全省首位。",                     # a run of years, a rank
])
def test_a_reporting_cue_without_a_forward_one_makes_a_result(sentence: str) -> None:
    assert _verdict(sentence) is Verdict.RESULT


def test_mixed_evidence_is_a_doubt_and_says_why() -> None:
    stance = judge(rules.fold("截至2023年底，力争每万人口发明专利拥有量达到20件。"), 2021, 2025)
    assert stance.verdict is Verdict.DOUBT
    assert stance.check == ("mixed: an intent word, a verb of reaching (达到, 突破 …) before the figure against "
                            "截至 (as of): a target or a reported figure?")
    # A change up to the plan's last year is what the plan sets out to reach.
    assert _verdict("每万人口发明专利拥有量由2020年的6件提高到2025年的12件。") is Verdict.TARGET


def test_no_cue_at_all_is_a_doubt_unless_the_sentence_stands_in_a_plan() -> None:
    sentence = "知识产权使用费年进出口总额达3765.2亿元。"
    stance = judge(rules.fold(sentence), 2021, 2025)
    assert stance.verdict is Verdict.DOUBT
    assert stance.check == "no forward-looking cue (到…年, 力争, 将, a goals heading): a target or a reported figure?"
    assert _verdict(sentence, context=True) is Verdict.TARGET


def test_a_goals_heading_is_strong_and_the_body_of_a_plan_weak() -> None:
    sentence = "今年全省商标注册量达到5万件。"  # 今年: the present, weak evidence of a report
    assert _verdict(sentence) is Verdict.DOUBT
    assert _verdict(sentence, context=True) is Verdict.DOUBT
    assert _verdict(sentence, heading=True) is Verdict.TARGET
    assert _verdict("截至去年底，全省商标注册量达到5万件。", context=True) is Verdict.RESULT


def test_a_figure_quoted_in_a_name_commits_nothing() -> None:
    # "《…推进计划》" names a document: its 计划 is no intent word.
    assert _verdict("《知识产权推进计划》发布后，全市专利申请量达5000件，同比增长12%。") is Verdict.RESULT


def test_each_time_cue_opens_a_stretch_of_its_own() -> None:
    text = rules.fold("截至2020年底，全省专利申请量为9000件，到2025年达到2万件，其中发明专利5000件。")
    parts = [text[a:b] for a, b in stretches(text, 0, len(text))]
    assert parts == ["截至2020年底,全省专利申请量为9000件,", "到2025年达到2万件,其中发明专利5000件。"]
    assert [judge(part, 2021, 2025).verdict for part in parts] == [Verdict.RESULT, Verdict.TARGET]


def test_titles_and_headings() -> None:
    assert is_plan_title("吉林省人民政府关于新形势下加快知识产权强省建设的实施意见")
    assert is_plan_title("关于印发青海省知识产权工作推进计划的通知")
    assert not is_plan_title("据了解,去年本市专利申请达79963件。")
    assert is_goals_heading("二、主要目标") and is_goals_heading("(一)预期性指标")
    assert not is_goals_heading("一、发展基础") and not is_goals_heading("(三)重点任务")


def test_the_doubt_is_said_in_chinese_to_a_chinese_reviewer() -> None:
    from ipreport.util.i18n import language, set_language

    before = language()
    set_language("zh")
    try:
        mixed = judge(rules.fold("截至2023年底，力争每万人口发明专利拥有量达到20件。"), 2021, 2025).check
        bare = judge(rules.fold("知识产权使用费年进出口总额达3765.2亿元。"), 2021, 2025).check
    finally:
        set_language(before)
    assert mixed == ("依据不一：表示目标的用语（力争、确保、将等）、数字前有“达到”“突破”等动词表明是目标，“截至”表明是已有结果；"
                     "请判断是目标还是已报告的数字")
    assert bare == "句中没有表示目标的用语（如“到…年”“力争”“将”或“主要目标”一类标题）：请判断是目标还是已报告的数字"
