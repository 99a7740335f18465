"""What every assessment starts from: plans and statistics read together, --year and --as-of checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from ipreport.errors import InputError, OptionError, Problem
from ipreport.model import Plan, Statistics
from ipreport.util.lazy_regex import lazy_compile
from ipreport.util.numbers import normalize

# Year, month and day, separated or as eight digits; nothing shorter, which would leave the day to a guess.
_AS_OF_FORMS = (
    lazy_compile(r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})"),
    lazy_compile(r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})"),
)


def parse_as_of(text: str | None, option: str = "--as-of") -> dt.date | None:
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
            option, f'expected a date such as 2023-12-31 or 2023年12月31日, found "{text}"'
        ) from None


def load_inputs(
    plan_refs: Sequence[str], stats_path: str | Path | None, encoding: str | None = None
) -> tuple[tuple[Plan, ...], Statistics | None]:
    """Plans and statistics, with every problem of every file reported at once."""
    from ipreport.plans.load import load_plans
    from ipreport.statistics.read import read_statistics

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
