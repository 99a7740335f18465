"""What the whole document says about its sentences: a plan's title with its period in brackets, the
one year a yearly plan's title names, the genre (a plan or a news report), a relative year (年内, 三年内)
and the heading a goals list stands under. The texts are written in the shapes of plans, not quoted."""

from __future__ import annotations

import pytest

from ipreport.extract.drafting import draft_from_text


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
