"""The terminal gap table: CJK-aware wrapping and 80-column output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from wcwidth import wcswidth

from ipreport.api import assess_files
from ipreport.render.table import render_table, summary_line, wrap
from ipreport.util.resources import targets_dir


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


def test_summary_counts_early_achievements_under_their_own_word():
    from report_fixtures import sample_assessment

    rows = sample_assessment().rows
    early = sum(1 for r in rows if r.achieved_early)
    late = sum(1 for r in rows if r.status.value == "achieved" and not r.achieved_early)
    line = summary_line(rows, "zh")
    assert early and late
    assert f"提前实现 {early} · 已实现 {late}" in line


def test_summary_of_no_rows_has_no_dangling_colon():
    assert summary_line((), "zh") == "合计 0 项"
    assert summary_line((), "en") == "Total 0"


def test_growth_gap_agrees_with_json():
    import json

    from ipreport.render.exports import to_json
    from ipreport.render.table import gap_text

    assessment = assess_files(["jilin-2016"], str(Path(__file__).parents[2] / "examples/jilin/statistics.csv"))
    growth = next(r for r in assessment.rows if r.target.kind.value == "growth" and r.latest)
    exported = next(t for p in json.loads(to_json(assessment))["plans"] for t in p["targets"]
                    if t["id"] == growth.target.id)
    from ipreport.util.rounding import half_up

    # Issue 12: a growth target's gap is the yearly growth still missing, in percentage points.
    assert exported["attainment"] is None and exported["target_value"] is None
    assert exported["gap"] == pytest.approx((exported["required_cagr"] - exported["actual_cagr"]) * 100, abs=1e-3)
    assert gap_text(growth) == str(half_up(exported["gap"], 2)).replace("-", "−") + "个百分点"


def test_english_dimension_names_match_the_report():
    from report_fixtures import sample_assessment

    from ipreport.render.report.context import build_context

    headings = [d["heading"] for p in build_context(sample_assessment(), lang="en")["plans"] for d in p["dimensions"]]
    table = render_table(sample_assessment(), lang="en")
    assert headings and all(f"■ {heading}" in table for heading in headings)


def test_tabulate_settings_do_not_leak_into_other_users_of_tabulate():
    import tabulate as tabulate_module

    from ipreport.render.table import tabulate

    before = tabulate_module.PRESERVE_WHITESPACE, tabulate_module.MIN_PADDING
    assert tabulate([["a"]], headers=["h"]) == "h\n-\na"
    assert (tabulate_module.PRESERVE_WHITESPACE, tabulate_module.MIN_PADDING) == before == (False, 2)
