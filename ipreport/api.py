"""The library entry the CLI calls: one function per command, no click."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ipreport.assessment.check import DEFAULT_FAIL_ON, judge
from ipreport.errors import InputError, Problem
from ipreport.inputs import load_inputs, read_for_assessment
from ipreport.model import Assessment, CheckResult, Status


def assess_files(
    plan_refs: Sequence[str],
    stats_path: str | Path | None,
    *,
    year: int | None = None,
    as_of: str | None = None,
    region: str | None = None,
    encoding: str | None = None,
) -> Assessment:
    """Read plans and statistics and assess every target: what `gaps` and `report` start from."""
    from ipreport.assessment.engine import assess

    plans, statistics, as_of_date = read_for_assessment(plan_refs, stats_path, year, as_of, encoding)
    return assess(plans, statistics, year=year, as_of=as_of_date, region=region)


def validate_files(
    plan_refs: Sequence[str], stats_path: str | Path | None, encoding: str | None = None
) -> list[str]:
    """Check plans (and statistics against them); return warnings, raise InputError with every problem."""
    from ipreport.assessment.engine import latest_year
    from ipreport.assessment.series import (
        RowIndex,
        collect,
        sum_gap_warnings,
        unused_indicators,
        unused_regions,
    )
    from ipreport.assessment.value_jumps import value_jump_warnings

    plans, statistics = load_inputs(plan_refs, stats_path, encoding)
    # A plan without targets is valid TOML and loads, but assessing it says nothing.
    empty = [f'plan "{plan.id}" has no targets ([[target]] tables)' for plan in plans if not plan.targets]
    if statistics is None:
        return empty
    index = RowIndex(statistics)
    problems: list[Problem] = []
    collected = []
    for plan in plans:
        try:
            collected.append((plan, collect(plan, statistics, plan.region, index)))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    # Up to the year `gaps` would assess by default: a cumulative total with a hole is incomplete.
    until = latest_year(data for _, data in collected)
    gaps = [warning for plan, data in collected for warning in sum_gap_warnings(plan, data, until)]
    return [
        *empty,
        *statistics.warnings,
        *value_jump_warnings(index),
        *gaps,
        *unused_indicators(plans, statistics, index),
        *unused_regions(statistics, [plan.region for plan in plans], index),
    ]


def check_files(
    plan_refs: Sequence[str],
    stats_path: str | Path,
    *,
    fail_on: Sequence[Status] = DEFAULT_FAIL_ON,
    year: int | None = None,
    as_of: str | None = None,
    region: str | None = None,
    encoding: str | None = None,
) -> CheckResult:
    """Read and assess like `gaps`, then judge every row against ``fail_on``: what `ipreport check` runs."""
    assessment = assess_files(plan_refs, stats_path, year=year, as_of=as_of, region=region, encoding=encoding)
    return judge(assessment, fail_on)
