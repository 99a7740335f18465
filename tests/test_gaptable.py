"""The terminal gap table: CJK-aware wrapping and 80-column output."""

from __future__ import annotations

import re

from wcwidth import wcswidth

from ipreport.gaptable import render_table, summary_line, wrap
from ipreport.main import assess_files
from ipreport.resources import targets_dir


def test_wrap_counts_cjk_as_two_columns():
    assert wrap("每万人口发明专利拥有量", 18) == "每万人口发明专利拥\n有量"


def test_wrap_keeps_numbers_whole_and_breaks_at_spaces():
    assert wrap("254,000 (2020)", 12) == "254,000\n(2020)"


def test_wrap_never_starts_a_line_with_closing_punctuation():
    assert wrap("国家知识产权试点园区）", 20) == "国家知识产权试点园区）"


def test_wrap_splits_a_word_longer_than_the_width():
    assert wrap("abcdefghij", 4) == "abcd\nefgh\nij"


def _display_width(text: str) -> int:
    return max(wcswidth(re.sub(r"\x1b\[[0-9;]*m", "", line)) for line in text.splitlines())


def test_every_bundled_plan_fits_80_columns_in_both_languages():
    for plan in sorted(targets_dir().glob("*.toml")):
        assessment = assess_files([str(plan)], None)
        for lang in ("zh", "en"):
            assert _display_width(render_table(assessment, lang=lang)) <= 80, (plan.name, lang)


def test_colour_only_when_asked():
    assessment = assess_files([str(targets_dir() / "jilin-2022.toml")], None)
    assert "\x1b[" not in render_table(assessment)
    assert "\x1b[2m无数据\x1b[0m" in render_table(assessment, color=True)


def test_summary_line_counts_in_status_order():
    assessment = assess_files([str(targets_dir() / "jilin-2022.toml")], None)
    line = summary_line(assessment.rows, "zh")
    assert line.startswith(f"合计 {len(assessment.rows)} 项：")
