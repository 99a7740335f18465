"""The library entry the CLI calls: one function per command, no click."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from ipreport.errors import InputError, OptionError, Problem
from ipreport.model import Assessment, Plan, Statistics
from ipreport.numbers import normalize

# Year, month and day, separated or as eight digits; nothing shorter, which would leave the day to a guess.
_AS_OF_FORMS = (
    re.compile(r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})"),
    re.compile(r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})"),
)
FORMATS = ("table", "json", "csv", "markdown")


def parse_as_of(text: str | None) -> dt.date | None:
    """An --as-of date: 2023-12-31, 2023/12/31, 2023.12.31, 20231231 or 2023年12月31日.

    A year or a month alone is refused: "2023" could mean its first or its last day.
    """
    if text is None:
        return None
    cleaned = normalize(text).replace("年", "-").replace("月", "-").replace("日", "")
    match = next((m for form in _AS_OF_FORMS if (m := form.fullmatch(cleaned))), None)
    try:
        if match is None:
            raise ValueError(text)
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise OptionError(
            "--as-of", f'expected a date such as 2023-12-31 or 2023年12月31日, found "{text}"'
        ) from None


def load_inputs(
    plan_refs: Sequence[str], stats_path: str | Path | None, encoding: str | None = None
) -> tuple[tuple[Plan, ...], Statistics | None]:
    """Plans and statistics, with every problem of every file reported at once."""
    from ipreport.plans import load_plans
    from ipreport.statistics import read_statistics

    problems: list[Problem] = []
    plans: tuple[Plan, ...] = ()
    statistics = None
    try:
        plans = load_plans(plan_refs)
    except InputError as exc:
        problems.extend(exc.problems)
    if stats_path is not None:
        try:
            statistics = read_statistics(stats_path, encoding=encoding)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return plans, statistics


def check_year(plans: Sequence[Plan], year: int | None) -> None:
    """Refuse an assessment year that no plan's period covers (a typo such as 2202)."""
    if year is None or not plans:
        return
    first = min(p.start_year for p in plans)
    last = max(max([p.target_year, *(t.year for t in p.targets)]) for p in plans)
    # The year before the plan starts is its usual base year, and offices report on a plan for
    # years after it ends; anything further off is a typo such as 2202.
    earliest, latest = first - 1, last + 10
    if not earliest <= year <= latest:
        raise OptionError(
            "--year",
            f"expected a year from {earliest} to {latest} (the plans run {first}–{last}), found {year}",
        )


def read_for_assessment(
    plan_refs: Sequence[str], stats_path: str | Path | None, year: int | None, as_of: str | None,
    encoding: str | None,
) -> tuple[tuple[Plan, ...], Statistics | None, dt.date | None]:
    """Plans, statistics and the --as-of date, with --as-of and --year checked as every assessment does."""
    as_of_date = parse_as_of(as_of)
    plans, statistics = load_inputs(plan_refs, stats_path, encoding)
    check_year(plans, year)
    return plans, statistics, as_of_date


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
    from ipreport.assess import assess

    plans, statistics, as_of_date = read_for_assessment(plan_refs, stats_path, year, as_of, encoding)
    return assess(plans, statistics, year=year, as_of=as_of_date, region=region)


def render_gaps(assessment: Assessment, fmt: str, *, lang: str, color: bool = False, width: int = 80) -> str:
    """The gap table in one of FORMATS."""
    if fmt == "json":
        from ipreport.exports import to_json

        return to_json(assessment, lang=lang)
    if fmt == "csv":
        from ipreport.exports import to_csv

        return to_csv(assessment, lang=lang)
    from ipreport.gaptable import render_markdown, render_table

    if fmt == "markdown":
        return render_markdown(assessment, lang=lang)
    return render_table(assessment, lang=lang, color=color, width=width)


def validate_files(
    plan_refs: Sequence[str], stats_path: str | Path | None, encoding: str | None = None
) -> list[str]:
    """Check plans (and statistics against them); return warnings, raise InputError with every problem."""
    from ipreport.assess import latest_year
    from ipreport.series import RowIndex, collect, sum_gap_warnings, unused_indicators, unused_regions
    from ipreport.value_jumps import value_jump_warnings

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
