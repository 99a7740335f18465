"""The JSON rows JsonPlanWriter builds as text are what json writes for row_to_dict, byte for byte."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipreport.model import (
    Direction,
    Kind,
    Note,
    Plan,
    PlanAssessment,
    Point,
    Status,
    Target,
    TargetAssessment,
    TaskState,
)
from ipreport.render.exports import JsonPlanWriter, row_to_dict

# Quotes, backslashes, control and non-ASCII characters, and lone surrogates: all escaped (or not) by json.
texts = st.text(alphabet=st.characters(codec=None), max_size=12) | st.sampled_from(
    ['"', "\\", "\n\t\x00\x1f\x7f", "指标\u2028", "\ud800", "</script>"]
)
# Decimals as str writes them: with and without a point, trailing zeros, exponents, tiny and large.
written_decimals = st.from_regex(r"-?[0-9]{1,18}(\.[0-9]{1,18})?(E[+-]?[0-9]{1,2})?", fullmatch=True)
decimals = st.none() | st.builds(Decimal, written_decimals) | st.decimals(
    min_value=-(10**17), max_value=10**17
) | st.sampled_from(
    [Decimal(text) for text in ("NaN", "-0", "-0.0", "0.0001", "0.00001234", "-0.00005", "5.00", "1.5E+3")]
)
# Figures around the edges of the shortcut (1e-4, 1e8), values that round to a whole number, values whose
# six decimals a double cannot keep (98765432109.876541 reads back as ...87654), and the rest.
EDGES = [0.0, -0.0, 1e-4, 0.99999e-4, 0.9999995e-4, 5e-7, 4.9e-7, 99999999.9999996, 1e8, 0.9999996, 2.5e-7,
         98765432109.87654]
# Integers too, though the model says float: json writes them without ".0".
figures = st.none() | st.floats() | st.floats(min_value=-1e9, max_value=1e9) | st.sampled_from(
    EDGES + [-edge for edge in EDGES]
) | st.integers(-(10**9), 10**9)
points = st.none() | st.builds(Point, st.integers(1900, 2100), st.builds(Decimal, written_decimals))
dates = st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1))

targets = st.builds(
    Target,
    id=texts,
    name=texts,
    kind=st.sampled_from(Kind),
    dimension=texts,
    unit=texts,
    direction=st.sampled_from(Direction),
    rate=decimals,
    min=decimals,
    max=decimals,
    deadline=dates,
    ongoing=st.booleans(),
    responsible=st.lists(texts, max_size=3).map(tuple),
)
rows = st.builds(
    TargetAssessment,
    target=targets,
    status=st.sampled_from(Status),
    target_value=decimals,
    target_year=st.integers(1900, 2100),
    interim=st.booleans(),
    baseline=points,
    latest=points,
    gap=decimals,
    attainment=figures,
    progress_share=figures,
    time_share=figures,
    required_cagr=figures,
    actual_cagr=figures,
    remaining_cagr=figures,
    ratio=figures,
    projection=figures,
    method=st.sampled_from([None, "cagr", "linear"]),
    task_state=st.none() | st.sampled_from(TaskState),
    completed=dates,
    notes=st.lists(st.builds(Note, st.sampled_from(["linear", "above_range", "baseline_from_earliest"])),
                   max_size=3).map(tuple),
)


def _assessed(region: str, assessed: list[TargetAssessment]) -> PlanAssessment:
    plan = Plan(id="p", title="规划", region=region, start_year=2020, target_year=2025,
                targets=tuple(row.target for row in assessed))
    return PlanAssessment(plan, region, tuple(assessed))


def _target_lines(plan_text: str) -> str:
    """The lines of a written plan's "targets" list: after id, title, document, region and its opening."""
    return "\n".join(plan_text.split("\n")[6:-2])


@settings(max_examples=300)
@given(st.lists(rows, min_size=1, max_size=4), st.sampled_from(["zh", "en"]))
@pytest.mark.slow
def test_each_target_line_is_json_of_its_row_dict(assessed: list[TargetAssessment], lang: str) -> None:
    writer = JsonPlanWriter(lang)
    # Twice: the second time from what the writer keeps of each target and status.
    for region in ("甲", "乙"):
        expected = ",\n".join(
            "        " + json.dumps(row_to_dict(row, lang), ensure_ascii=False) for row in assessed
        )
        assert _target_lines(writer.plan(_assessed(region, assessed))) == expected


def test_a_new_target_is_not_taken_for_an_earlier_one_at_the_same_address() -> None:
    # Targets of plans written one at a time and then dropped: an id can come back for a new target.
    writer = JsonPlanWriter("en")
    names = []
    for number in range(50):
        target = Target(id=f"t{number}", name=f"target {number}", kind=Kind.LEVEL)
        text = writer.plan(_assessed("r", [TargetAssessment(target, Status.NO_DATA)]))
        names.append(json.loads(text)["targets"][0]["name"])
    assert names == [f"target {number}" for number in range(50)]
