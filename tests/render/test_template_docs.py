"""docs/templates.md documents every variable the report context gives templates."""

from __future__ import annotations

from pathlib import Path

from report_fixtures import sample_assessment

from ipreport.render.report.context import build_context

DOC = (Path(__file__).resolve().parents[2] / "docs" / "templates.md").read_text(encoding="utf-8")


def _undocumented(keys) -> list[str]:
    return [key for key in keys if f"`{key}`" not in DOC]


def test_every_context_variable_is_documented():
    context = build_context(sample_assessment())
    plan = context["plans"][0]
    dimension = plan["dimensions"][0]
    assert _undocumented(context) == []
    assert _undocumented(plan) == []
    assert _undocumented(dimension) == []
    assert _undocumented(dimension["rows"][0]) == []
    tasks = [row for p in context["plans"] for row in p["milestones"]]
    assert _undocumented(tasks[0]) == []
    assert _undocumented(context["labels"]) == []
