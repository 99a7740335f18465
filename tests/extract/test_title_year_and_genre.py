"""What the whole document says about its sentences: a plan's title with its period in brackets, the
one year a yearly plan's title names, the genre (a plan or a news report), a relative year (年内, 三年内)
and the heading a goals list stands under. The texts are written in the shapes of plans, not quoted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ipreport.extract import rules
from ipreport.extract.drafting import draft_from_text
from ipreport.model import Kind


def _targets(text: str, period: tuple[int, int] | None = (2021, 2025)) -> list[tuple[str, Decimal | None, int]]:
    draft = draft_from_text(text, region="测试市", period=period)
    return [(t.name, t.value if t.kind is not Kind.GROWTH else t.rate, t.year) for t in draft.plan.targets]


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
