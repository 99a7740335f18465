"""One test per way of phrasing a target, each built from a sentence written for it (not from a seed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ipreport.extract import rules
from ipreport.extract.drafting import draft_from_text
from ipreport.model import Direction, Kind, Point, Target

HEAD = "江南省人民政府关于加强知识产权工作的意见\n江政发〔2021〕5号\n一、发展目标\n"
TAIL = "\n江南省人民政府\n2021年3月1日\n"


def targets(body: str) -> list[Target]:
    """Draft a small document whose goal section holds ``body`` (start 2021, horizon 2025)."""
    return list(draft_from_text(HEAD + "到2025年，全省知识产权工作取得进展。\n" + body + TAIL).plan.targets)


def task_targets(body: str) -> list[Target]:
    """Draft a document whose ``body`` sits in a work section (no goal context)."""
    return list(draft_from_text(HEAD + "到2025年，全省知识产权工作取得进展。\n二、重点任务\n" + body + TAIL).plan.targets)


def only(found: list[Target]) -> Target:
    assert len(found) == 1, [(t.kind, t.name, t.value) for t in found]
    return found[0]


def test_dadao_level() -> None:
    target = only(targets("全省有效发明专利量达到1200件。"))
    assert (target.kind, target.name, target.value, target.unit, target.year) == (
        Kind.LEVEL, "有效发明专利量", Decimal(1200), "件", 2025)
    assert target.quote == "全省有效发明专利量达到1200件"
    assert not target.strive


def test_lizheng_dadao_is_strive() -> None:
    target = only(targets("版权登记量力争达到800件。"))
    assert (target.value, target.strive) == (Decimal(800), True)


def test_tupo_money_keeps_its_unit() -> None:
    target = only(targets("技术合同成交额突破30亿元。"))
    assert (target.name, target.value, target.unit) == ("技术合同成交额", Decimal(30), "亿元")


def test_bu_di_yu_percentage() -> None:
    target = only(targets("专利授权率不低于60%。"))
    assert (target.name, target.value, target.unit, target.direction) == (
        "专利授权率", Decimal(60), "%", Direction.INCREASE)


def test_bu_shao_yu() -> None:
    target = only(targets("知识产权培训人员不少于2000人次。"))
    assert (target.name, target.value, target.unit) == ("知识产权培训人员", Decimal(2000), "人次")


def test_yishang_after_the_number_outside_goals() -> None:
    target = only(task_targets("1.培育50家以上专利示范企业。"))
    assert (target.name, target.value, target.unit) == ("专利示范企业", Decimal(50), "家")


def test_zuoyou_is_approximate() -> None:
    target = only(targets("建设8个左右知识产权服务中心。"))
    assert (target.value, target.approximate) == (Decimal(8), True)


@pytest.mark.parametrize(
    ("sentence", "low", "high", "unit"),
    [("布局建设4-6个产业知识产权联盟。", 4, 6, "个"), ("认定2至4家运营中心。", 2, 4, "家"),
     ("培育３～５个试点园区。", 3, 5, "个")],
)
def test_ranges(sentence: str, low: int, high: int, unit: str) -> None:
    target = only(targets(sentence))
    assert (target.kind, target.min, target.max, target.unit) == (Kind.RANGE, Decimal(low), Decimal(high), unit)


def test_nianjun_zengzhang_is_growth() -> None:
    target = only(targets("商标申请量年均增长12%以上。"))
    assert (target.kind, target.name, target.rate) == (Kind.GROWTH, "商标申请量", Decimal("0.12"))


def test_growth_after_a_level_borrows_its_indicator() -> None:
    level, growth = targets("每万人口高价值发明专利拥有量达到8件，年均增长15%。")
    assert (level.unit, level.value) == ("件/万人", Decimal(8))
    assert (growth.kind, growth.name, growth.rate) == (Kind.GROWTH, "每万人口高价值发明专利拥有量", Decimal("0.15"))


def test_zengzhang_percent_and_speed_phrasing() -> None:
    assert only(targets("专利质押金额增长15%。")).rate == Decimal("0.15")
    speed = only(targets("推动中小企业专利申请以每年20%以上的速度增长。"))
    assert (speed.kind, speed.rate) == (Kind.GROWTH, Decimal("0.2"))


def test_per_year_unit_is_a_yearly_flow() -> None:
    target = only(targets("作品登记量保持在500件/年。"))
    assert (target.value, target.unit, target.aggregate) == (Decimal(500), "件", "latest")


def test_meinian_quota_is_a_running_sum() -> None:
    target = only(task_targets("1.每年选择10家企业开展贯标培育。"))
    assert (target.value, target.unit, target.aggregate) == (Decimal(50), "家", "sum")
    assert target.interim == (Point(2021, Decimal(10)), Point(2022, Decimal(20)), Point(2023, Decimal(30)),
                              Point(2024, Decimal(40)))


def test_full_width_digits_and_wan() -> None:
    target = only(targets("全省专利申请量达到３.５万件。"))
    assert (target.value, target.unit) == (Decimal(35000), "件")
    assert target.quote == "全省专利申请量达到３.５万件"


def test_chinese_numerals_after_a_verb() -> None:
    first, second = targets("培育十五家示范企业，建成一百个专利工作站。")
    assert (first.value, first.unit, second.value, second.unit) == (Decimal(15), "家", Decimal(100), "个")


def test_chinese_numerals_in_set_phrases_are_not_targets() -> None:
    assert task_targets("1.构建四位一体的监管体系，发挥三种职能作用。") == []


def test_several_targets_in_one_sentence() -> None:
    found = targets("培育示范企业100家、优势企业500户、重点项目1000项。")
    assert [(t.name, t.value, t.unit) for t in found] == [
        ("示范企业", Decimal(100), "家"), ("优势企业", Decimal(500), "户"), ("重点项目", Decimal(1000), "项")]


def test_earlier_daonian_sets_the_year_of_what_follows() -> None:
    text = HEAD + "到2023年，全省商标总量达到5万件，地理标志商标达到30件。" + TAIL
    found = draft_from_text(text).plan.targets
    assert [(t.value, t.year) for t in found] == [(Decimal(50000), 2023), (Decimal(30), 2023)]


def test_wenzhong_zengzhang_is_a_trend() -> None:
    found = targets("植物新品种申请量、集成电路布图设计登记量稳步增长。")
    assert [(t.kind, t.name) for t in found] == [(Kind.TREND, "植物新品种申请量"), (Kind.TREND, "集成电路布图设计登记量")]


def test_subsidy_amounts_are_not_targets() -> None:
    assert task_targets("1.对授权发明专利，每件给予不高于0.3万元的补助，一次性给予10万元的奖励。") == []


def test_prohibition_is_not_a_target() -> None:
    assert task_targets("1.成果转化收益中，团队所得不得低于60%。") == []


def test_past_facts_are_not_targets() -> None:
    assert targets("截至2020年底，全省拥有注册商标3万件。") == []


def test_situation_section_is_skipped() -> None:
    text = HEAD.replace("一、发展目标", "一、发展现状") + "全省专利授权量达到9000件。\n二、目标\n" + TAIL
    assert draft_from_text(text).plan.targets == ()


def test_decrease_wording() -> None:
    target = only(targets("专利侵权案件复发率控制在5%以下。"))
    assert (target.value, target.direction) == (Decimal(5), Direction.DECREASE)


def test_full_coverage_is_one_hundred_percent() -> None:
    target = only(targets("高新技术企业专利申请实现全覆盖。"))
    assert (target.name, target.value, target.unit) == ("高新技术企业专利申请覆盖率", Decimal(100), "%")


def test_yearly_report_is_an_ongoing_task() -> None:
    target = only(task_targets("1.每年发布知识产权保护状况白皮书和年度发展报告。"))
    assert (target.kind, target.ongoing) == (Kind.MILESTONE, True)


def test_qualitative_goal_is_a_task_due_at_the_horizon() -> None:
    target = only(targets("重点高校全面建立知识产权管理机构。"))
    assert (target.kind, target.deadline) == (Kind.MILESTONE, dt.date(2025, 12, 31))


def test_vague_goal_is_not_a_task() -> None:
    assert targets("知识产权服务体系基本建成，建成一批强县。") == []


def test_dated_tasks_with_responsible_units() -> None:
    body = ("1.出台专利转化支持政策。（责任单位：省知识产权局牵头，省财政厅、省科技厅等按职责分工负责。"
            "完成时限：2022年6月底前）开展专利导航。（责任单位：省知识产权局。完成时限：持续推进）")
    first, second = task_targets(body)
    assert (first.kind, first.deadline, first.responsible) == (
        Kind.MILESTONE, dt.date(2022, 6, 30), ("省知识产权局", "省财政厅", "省科技厅"))
    assert first.quote == "出台专利转化支持政策"
    assert (second.ongoing, second.deadline, second.quote) == (True, None, "开展专利导航")


def test_number_inside_a_dated_task_takes_its_deadline_year() -> None:
    found = task_targets("1.建设2-3个保护中心。（责任单位：省知识产权局。完成时限：2022年12月底前）")
    assert [(t.kind, t.year) for t in found] == [(Kind.RANGE, 2022), (Kind.MILESTONE, 2022)]
    assert found[0].responsible == ("省知识产权局",)


def test_dimension_from_the_nearest_heading() -> None:
    body = "二、重点任务\n（一）加强知识产权保护。\n1.建设3个维权援助中心。\n（二）提升服务能力。\n2.培育5家服务机构。\n"
    found = draft_from_text(HEAD + body + TAIL).plan.targets
    assert [t.dimension for t in found] == ["保护", "服务"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2022年12月底前", dt.date(2022, 12, 31)), ("２０２３年６月底前", dt.date(2023, 6, 30)),
     ("2023年底前", dt.date(2023, 12, 31)), ("2022年上半年", dt.date(2022, 6, 30)),
     ("2022年第三季度", dt.date(2022, 9, 30)), ("2022年2月底前", dt.date(2022, 2, 28)), ("尽快", None)],
)
def test_parse_deadline(text: str, expected: dt.date | None) -> None:
    assert rules.parse_deadline(text) == expected


def test_split_responsible() -> None:
    assert rules.split_responsible("省知识产权局牵头，各有关市（州）政府按职责分工负责；国家知识产权局保护司") == (
        "省知识产权局", "各有关市(州)政府", "国家知识产权局保护司")


def test_years_quotes_and_ordinals_are_not_quantities() -> None:
    text = rules.fold("到2020年，落实“12315”平台，召开第十二次会议，按（国发〔2015〕71号）要求")
    assert rules.find_quantities(text) == []
