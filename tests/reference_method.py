"""An independent reference of docs/methodology.md, to check `ipreport gaps --format json` against.

Written from the page, not from ipreport's code: it imports nothing from ipreport. It judges one
target of a plan on its values (already in the target's unit) and returns the figures the JSON
row carries. Deliberately plain: one function per kind, floats for rates, Decimal for gaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

BANDS = ((1.0, "ahead"), (0.95, "on_track"), (0.6, "accelerate"), (0.0, "behind"))
TREND_BANDS = ((0.015, "on_track"), (0.005, "accelerate"), (0.0, "behind"))


@dataclass
class Row:
    status: str
    target_value: Decimal | None = None
    latest: tuple[int, Decimal] | None = None
    baseline: tuple[int, Decimal] | None = None
    gap: Decimal | None = None
    attainment: float | None = None
    required_cagr: float | None = None
    actual_cagr: float | None = None
    ratio: float | None = None
    notes: list[str] = field(default_factory=list)


def _d(value: Any) -> Decimal:
    text = str(value).strip()
    if text.endswith("%"):
        return Decimal(text[:-1])
    return Decimal(text)


def _rate(value: Any) -> Decimal:
    """A rate as the plan writes it: "10%" is 0.10, a bare number below 1 is a fraction."""
    text = str(value).strip()
    if text.endswith("%"):
        return Decimal(text[:-1]) / 100
    number = Decimal(text)
    return number / 100 if abs(number) >= 1 else number


def _band(r: float, bands: tuple[tuple[float, str], ...]) -> str:
    r = round(r, 9)
    for bound, status in bands:
        if r >= bound:
            return status
    return "regressing"


def _cagr(start: float, end: float, years: int) -> float:
    return (end / start) ** (1 / years) - 1


def judge(case: dict[str, Any], year: int) -> Row:
    """The main (non-interim) row of the case's target, assessed in ``year``."""
    target = case["target"]
    plan = case.get("plan", {})
    kind = target.get("kind", "level")
    d = -1 if target.get("direction") == "decrease" else 1
    Y = int(target.get("year", plan.get("target_year", 2020)))
    values = sorted((int(y), _d(v)) for y, v in case["rows"])
    if target.get("aggregate") == "sum":
        start = int(plan.get("start_year", 2016))
        running, summed = Decimal(0), []
        for y, v in values:
            if y >= start:
                running += v
                summed.append((y, running))
        values = summed
    points = [(y, v) for y, v in values if y <= year]
    if not points:
        return Row("no_data")
    if kind == "growth":
        row = _growth(target, plan, points, d, Y, year)
    elif kind == "trend":
        row = _trend(target, plan, points, d, Y, year)
    else:
        row = _level_or_range(target, plan, points, d, Y, year, kind)
    if target.get("aggregate") == "sum":
        start = int(plan.get("start_year", 2016))
        present = {y for y, _ in points}
        missing = [y for y in range(start, min(year, Y) + 1) if y not in present]
        if missing:
            row.notes = [n for n in row.notes if n not in ("missed_on_latest", "achieved_on_latest")]
            row.notes.append("missing_years")
            if not (row.status == "achieved" and d > 0):
                row.status = "insufficient_data"
    return row


def _judged(points: list[tuple[int, Decimal]], Y: int, year: int) -> tuple[tuple[int, Decimal], bool]:
    if year >= Y:
        for p in points:
            if p[0] == Y:
                return p, False
        return points[-1], True
    return points[-1], False


def _baseline(target: dict[str, Any], plan: dict[str, Any], points: list[tuple[int, Decimal]], t: int
              ) -> tuple[tuple[int, Decimal] | None, list[str]]:
    own = target.get("baseline")
    if own is not None:
        return (int(own["year"]), _d(own["value"])), []
    by = plan.get("baseline_year")
    if by is not None:
        for p in points:
            if p[0] == by:
                return p, []
    earlier = [p for p in points if p[0] < t]
    if by is not None:
        earlier = [p for p in earlier if p[0] > by] or earlier
    if earlier:
        return earlier[0], ["baseline_from_earliest"]
    return None, []


def _level_or_range(target: dict[str, Any], plan: dict[str, Any], points: list[tuple[int, Decimal]], d: int,
                    Y: int, year: int, kind: str) -> Row:
    if kind == "range":
        low, high = _d(target["min"]), _d(target["max"])
        T, other = (low, high) if d > 0 else (high, low)
        interim_note = []
    else:
        T, other = _d(target["target"]), None
        interim = {int(k): _d(v) for k, v in target.get("interim", {}).items()}
        due = sorted(y for y in interim if year <= y < Y)
        if due:
            Y, T = due[0], interim[due[0]]
            interim_note = ["interim"]
        else:
            interim_note = []
    at, on_latest = _judged(points, Y, year)
    base, notes = _baseline(target, plan, points, at[0])
    notes = interim_note + notes
    if base is not None and at[0] <= base[0]:
        return Row("insufficient_data", target_value=T, baseline=base, notes=[*notes, "single_observation"])
    t, v = at
    gap = d * (T - v)
    attainment: float | None = None
    if d > 0 and T > 0:
        attainment = float(v / T)
    if d < 0 and v > 0:
        attainment = float(T / v)
    row = Row("", target_value=T, latest=at, baseline=base, gap=gap, attainment=attainment, notes=notes)
    floor = base is not None and d * (base[1] - T) >= 0
    if base is not None and t > base[0] and Y > base[0]:
        v0, y0 = float(base[1]), base[0]
        if v0 > 0 and float(T) > 0 and float(v) >= 0:
            row.required_cagr = _cagr(v0, float(T), Y - y0)
            row.actual_cagr = _cagr(v0, float(v), t - y0)
            if row.required_cagr != 0:
                row.ratio = d * row.actual_cagr / abs(row.required_cagr)
        else:
            slope, needed = (float(v) - v0) / (t - y0), (float(T) - v0) / (Y - y0)
            row.ratio = d * slope / abs(needed) if needed != 0 else None
            row.notes.append("linear")
    if floor:
        row.notes.append("floor_to_hold")
    if d * (v - T) >= 0:
        row.status = "achieved"
    elif year >= Y:
        row.status = "missed"
    elif base is None:
        row.status = "insufficient_data"
        row.notes.append("baseline_missing")
    elif floor:
        row.status = "regressing"
    elif row.ratio is None:
        row.status = "insufficient_data"
    else:
        row.status = _band(row.ratio, BANDS)
    if on_latest:
        row.notes.append("missed_on_latest" if row.status == "missed" else "achieved_on_latest")
    if kind == "range":
        # docs: no attainment; the gap is 0 inside, else measured to the nearer bound
        row.attainment = None
        if other is not None and d * (v - other) > 0:
            row.gap = d * (other - v)
            if row.status == "achieved":
                row.notes.append("above_range" if d > 0 else "below_range")
        elif d * (v - T) >= 0:
            row.gap = Decimal(0)
    return row


def _rate_start(target: dict[str, Any], plan: dict[str, Any], points: list[tuple[int, Decimal]], Y: int,
                year: int) -> tuple[Row | None, tuple[int, Decimal], tuple[int, Decimal] | None, bool, list[str]]:
    at, on_latest = _judged(points, Y, year)
    base, notes = _baseline(target, plan, points, at[0])
    if base is None:
        return Row("insufficient_data", latest=at, notes=[*notes, "baseline_missing"]), at, base, on_latest, notes
    if at[0] <= base[0]:
        return (Row("insufficient_data", baseline=base, notes=[*notes, "single_observation"]), at, base,
                on_latest, notes)
    if base[1] <= 0 or at[1] < 0:
        return (Row("insufficient_data", latest=at, baseline=base, notes=[*notes, "nonpositive_values"]), at,
                base, on_latest, notes)
    return None, at, base, on_latest, notes


def _growth(target: dict[str, Any], plan: dict[str, Any], points: list[tuple[int, Decimal]], d: int, Y: int,
            year: int) -> Row:
    r = float(_rate(target["rate"]))
    required = r if d > 0 else -abs(r)
    early, at, base, on_latest, notes = _rate_start(target, plan, points, Y, year)
    if early is not None:
        early.required_cagr = required
        return early
    assert base is not None
    actual = _cagr(float(base[1]), float(at[1]), at[0] - base[0])
    ratio = d * actual / abs(required) if required != 0 else None
    row = Row("", latest=at, baseline=base, required_cagr=required, actual_cagr=actual, ratio=ratio,
              notes=[*notes, "implied_target"])
    # docs: the gap of a rate target is the yearly growth still missing, in percentage points
    row.gap = Decimal(repr(d * (required - actual) * 100))
    if year >= Y:
        row.status = "achieved" if round(d * (actual - required), 9) >= 0 else "missed"
        if on_latest:
            row.notes.append("missed_on_latest" if row.status == "missed" else "achieved_on_latest")
    elif ratio is None:
        row.status = "ahead" if d * actual >= 0 else "regressing"
    else:
        row.status = _band(ratio, BANDS)
    if round(d * (actual - required), 9) >= 0 and row.gap > 0:
        row.gap = Decimal(0)  # docs: 0 when the status calls the rates equal
    return row


def _trend(target: dict[str, Any], plan: dict[str, Any], points: list[tuple[int, Decimal]], d: int, Y: int,
           year: int) -> Row:
    early, at, base, _, notes = _rate_start(target, plan, points, Y, year)
    if early is not None:
        return early
    assert base is not None
    actual = _cagr(float(base[1]), float(at[1]), at[0] - base[0])
    return Row(_band(d * actual, TREND_BANDS), latest=at, baseline=base, actual_cagr=actual, notes=notes)
