"""Properties of the number parser, unit conversion and the gap engine, checked over generated inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ipreport.assessment.engine import assess, assess_target
from ipreport.model import Direction, Kind, Plan, Point, Status, Target
from ipreport.statistics.read import read_statistics
from ipreport.util.numbers import MULTIPLIERS, parse_number, parse_rate, plain
from ipreport.util.units import conversion_factor

FULL_WIDTH = str.maketrans("0123456789.,-+%()", "０１２３４５６７８９．，－＋％（）")

# Decimals as offices write them: up to 12 digits before the point, up to 4 after.
amounts = st.decimals(min_value=0, max_value=Decimal("999999999999"), places=4, allow_nan=False)
whole = st.integers(min_value=0, max_value=10**15)
PREFIXES = {"": Decimal(1), **MULTIPLIERS, "万亿": MULTIPLIERS["万"] * MULTIPLIERS["亿"]}


# ---------------------------------------------------------------- numbers


@given(whole)
def test_thousands_separators_round_trip(number: int) -> None:
    assert parse_number(f"{number:,}") == number


@given(amounts)
def test_plain_decimal_text_round_trips(value: Decimal) -> None:
    assert parse_number(plain(value)) == value
    assert parse_number(format(value, ",f")) == value


@given(amounts)
def test_full_width_digits_read_as_ascii(value: Decimal) -> None:
    text = format(value, ",f")
    assert parse_number(text.translate(FULL_WIDTH)) == parse_number(text)


@given(amounts, st.sampled_from(sorted(PREFIXES)))
def test_wan_and_yi_multiply(value: Decimal, prefix: str) -> None:
    assert parse_number(f"{plain(value)}{prefix}") == value * PREFIXES[prefix]


@given(amounts)
def test_percentages_keep_the_number_and_rates_divide_by_100(value: Decimal) -> None:
    assert parse_number(f"{plain(value)}%") == value
    assert parse_rate(f"{plain(value)}%") == value / 100


@given(whole)
def test_parenthesised_numbers_are_negative(number: int) -> None:
    assert parse_number(f"({number:,})") == -number
    assert parse_number(f"-{number}") == -number


# ---------------------------------------------------------------- units

units = st.tuples(st.sampled_from(sorted(PREFIXES)), st.sampled_from(["元", "件", "项", "人次"]))


@given(st.sampled_from(sorted(PREFIXES)), st.sampled_from(sorted(PREFIXES)), st.sampled_from(["元", "件"]))
def test_prefix_factors_are_the_ratio_of_multipliers(a: str, b: str, base: str) -> None:
    assert conversion_factor(a + base, b + base) == PREFIXES[a] / PREFIXES[b]


@given(units, units, units)
def test_conversions_compose_and_invert(a: tuple[str, str], b: tuple[str, str], c: tuple[str, str]) -> None:
    ab, bc = conversion_factor("".join(a), "".join(b)), conversion_factor("".join(b), "".join(c))
    ac = conversion_factor("".join(a), "".join(c))
    ba = conversion_factor("".join(b), "".join(a))
    if a[1] != b[1]:
        assert ab is None and ba is None
        return
    assert ab is not None and ba is not None and ab * ba == 1
    if b[1] == c[1]:
        assert ab * bc == ac  # type: ignore[operator]


# ---------------------------------------------------------------- assessment

# Best first; statuses that say "cannot judge" (no_data, insufficient_data) are outside the order.
ORDER = [Status.ACHIEVED, Status.AHEAD, Status.ON_TRACK, Status.ACCELERATE, Status.BEHIND, Status.REGRESSING,
         Status.MISSED]
values = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2)
AS_OF = dt.date(2030, 12, 31)


def _level(target: Decimal, direction: Direction = Direction.INCREASE) -> Target:
    return Target(id="t", name="指标", kind=Kind.LEVEL, value=target, year=2025, direction=direction)


def _status(target: Target, points: list[Point], year: int) -> Status:
    return assess_target(target, points, year=year, as_of=AS_OF)[-1].status


@given(values, values, values, values, st.integers(2021, 2026))
def test_a_higher_latest_value_never_gives_a_worse_status(
    target: Decimal, base: Decimal, low: Decimal, high: Decimal, year: int
) -> None:
    low, high = sorted((low, high))
    statuses = [_status(_level(target), [Point(2020, base), Point(year, v)], year) for v in (low, high)]
    assume(all(status in ORDER for status in statuses))
    assert ORDER.index(statuses[1]) <= ORDER.index(statuses[0]), statuses


@given(values, values, st.integers(2025, 2030))
def test_decrease_mirrors_increase_once_the_target_year_is_reached(
    target: Decimal, latest: Decimal, year: int
) -> None:
    up = assess_target(_level(target), [Point(2020, Decimal(1)), Point(2025, latest)], year=year, as_of=AS_OF)
    down = assess_target(
        _level(-target, Direction.DECREASE),
        [Point(2020, Decimal(-1)), Point(2025, -latest)],
        year=year,
        as_of=AS_OF,
    )
    assert (down[-1].status, down[-1].gap) == (up[-1].status, up[-1].gap)


@given(values, st.decimals(-1000, 1000, places=2), st.integers(2021, 2024))
def test_decrease_mirrors_increase_on_the_straight_line_pace(target: Decimal, latest: Decimal, year: int) -> None:
    # From a zero baseline both directions are judged on the straight-line pace, which negation mirrors.
    up = assess_target(_level(target), [Point(2020, Decimal(0)), Point(year, latest)], year=year, as_of=AS_OF)
    down = assess_target(
        _level(-target, Direction.DECREASE),
        [Point(2020, Decimal(0)), Point(year, -latest)],
        year=year,
        as_of=AS_OF,
    )
    assert (down[-1].status, down[-1].gap) == (up[-1].status, up[-1].gap)


@given(values, values, values, st.integers(2021, 2026), st.sampled_from(sorted(PREFIXES)), st.booleans())
def test_scaling_values_and_target_by_a_unit_factor_changes_nothing(
    target: Decimal, base: Decimal, latest: Decimal, year: int, prefix: str, decrease: bool
) -> None:
    factor = PREFIXES[prefix]
    direction = Direction.DECREASE if decrease else Direction.INCREASE
    plain_status = _status(_level(target, direction), [Point(2020, base), Point(year, latest)], year)
    scaled = _status(
        _level(target * factor, direction), [Point(2020, base * factor), Point(year, latest * factor)], year
    )
    assert scaled == plain_status


ROWS = [
    "专利拥有量,2020,3.2,件",
    "专利拥有量,2022,4.1,件",
    "专利拥有量,2023,0.00048,万件",  # the same indicator in another unit
    "商标拥有量,2020,10,件",
    "商标拥有量,2023,9,件",
    "质押融资额,2021,1.5,亿元",
    "质押融资额,2023,30000,万元",
    "质押融资额,2023,3,亿元",  # a repeat of the row above in other units
    "建设服务平台,2023,推进中,",
]
PLAN = Plan(
    id="p",
    title="规划",
    region="某省",
    start_year=2021,
    target_year=2025,
    baseline_year=2020,
    targets=(
        Target(id="a", name="专利拥有量", kind=Kind.LEVEL, value=Decimal(6), unit="件", year=2025),
        Target(id="b", name="商标拥有量", kind=Kind.LEVEL, value=Decimal(8), unit="件", year=2025,
               direction=Direction.DECREASE),
        Target(id="c", name="质押融资额", kind=Kind.GROWTH, rate=Decimal("0.1"), unit="亿元", year=2025),
        Target(id="d", name="建设服务平台", kind=Kind.MILESTONE, deadline=dt.date(2023, 6, 30), year=2023),
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.permutations(ROWS))
def test_statuses_do_not_depend_on_the_row_order(tmp_path: Path, rows: list[str]) -> None:
    def statuses(lines: list[str]) -> list[tuple[str, Status]]:
        path = tmp_path / "s.csv"
        path.write_text("indicator,year,value,unit\n" + "\n".join(lines) + "\n", encoding="utf-8")
        result = assess([PLAN], read_statistics(path), year=2023)
        return [(row.target.id, row.status) for row in result.rows]

    assert statuses(rows) == statuses(ROWS)
