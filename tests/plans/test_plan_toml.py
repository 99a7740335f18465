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
