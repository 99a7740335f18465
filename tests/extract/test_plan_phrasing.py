"""Shapes of plan text that gave wrong drafts on the real passages of ``real_tune3`` (national documents
and those of provinces outside the held-back set): numbered goal items, time words before a figure,
a count that only qualifies the goal after it, a rate written 「…6%的增长」, report frames, years that
name documents, records and changes reported. The texts are written in those shapes, not quoted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ipreport.extract.drafting import draft_from_text
from ipreport.model import Kind


def _drafted(text: str, period: tuple[int, int] = (2021, 2025)) -> list[tuple[str, Decimal | None, int]]:
    draft = draft_from_text(text, region="测试市", period=period)
    return [(t.name, t.value if t.kind is not Kind.GROWTH else t.rate, t.year) for t in draft.plan.targets]


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
