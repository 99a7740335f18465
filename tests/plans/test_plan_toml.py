"""Tests for ipreport.plans.toml_lines: TOML syntax problems read the same from every tomllib version."""

from __future__ import annotations

from ipreport.errors import Problem
from ipreport.plans import toml_lines as plan_toml


def test_syntax_position_read_from_attributes_when_tomllib_has_them() -> None:
    # Python 3.14 and tomli >= 2.1 expose msg/lineno/colno; the result must not change.
    exc = plan_toml.tomllib.TOMLDecodeError("Invalid value (at line 2, column 5)")
    assert plan_toml.syntax_problem("p.toml", exc, "") == Problem(
        "p.toml", "TOML syntax error: Invalid value (column 5)", line=2
    )
    exc.msg, exc.lineno, exc.colno = "Invalid value", 7, 9  # type: ignore[attr-defined]
    assert plan_toml.syntax_problem("p.toml", exc, "") == Problem(
        "p.toml", "TOML syntax error: Invalid value (column 9)", line=7
    )


# TOML breaks lines only at LF (or CRLF); str.splitlines also breaks at these, which shifted every
# later line number of a plan with one of them in a comment or a string.
NOT_TOML_LINE_BREAKS = ["\u2028", "\u2029", "\u0085", "\x0c", "\x0b", "\x1c", "\x1d", "\x1e"]


def test_key_lines_count_only_toml_line_breaks() -> None:
    for odd in NOT_TOML_LINE_BREAKS:
        text = f'[plan]\n# a comment{odd}with an odd character\nid = "x{odd}y"\ntitle = "t"\r\n\n[[target]]\nid = "a"\n'
        lines = plan_toml.LineIndex(text)
        assert (lines.line_of("plan.id"), lines.line_of("plan.title"), lines.line_of("target[1].id")) == (
            3, 4, 7
        ), repr(odd)


def test_a_plan_problem_after_a_line_separator_in_a_comment_names_the_right_line(tmp_path) -> None:
    from ipreport.errors import InputError
    from ipreport.plans.load import load_plans

    plan = tmp_path / "p.toml"
    plan.write_text(
        "[plan]\n# 规划\u2028说明\u0085备注\n"
        'id = "p"\ntitle = "t"\ndocument = "d"\nissuer = "i"\nissued = 2021-01-01\nregion = "r"\n'
        "start_year = 2021\ntarget_year = 2025\ntaget = 1\n",
        encoding="utf-8",
    )
    try:
        load_plans([str(plan)])
    except InputError as exc:
        assert [str(p) for p in exc.problems] == [
            f"{plan}:11: plan.taget: unknown key 'taget' (did you mean 'target_year'?)"
        ]
    else:
        raise AssertionError("the unknown key was not reported")


def test_syntax_error_at_end_of_a_file_counts_toml_lines() -> None:
    exc = plan_toml.tomllib.TOMLDecodeError("Unclosed array (at end of document)")
    text = "[plan]\n# a\u2028b\u2029c\nx = [1,\n"
    assert plan_toml.syntax_problem("p.toml", exc, text).line == 3
