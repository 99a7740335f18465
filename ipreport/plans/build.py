"""Reading a parsed plan document into ``model.Plan``: the tables, each target and its kind's values."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

from ipreport.model import Direction, Kind, Plan, Point, Target, Thresholds
from ipreport.plans.schema import (
    AGGREGATES,
    ATTRIBUTES,
    BASELINE_KEYS,
    DIMENSIONS,
    DIRECTIONS,
    KIND_ONLY_KEYS,
    KINDS,
    MEASURES,
    PLAN_KEYS,
    PLAN_REQUIRED,
    TARGET_KEYS,
    TARGET_REQUIRED,
    THRESHOLD_KEYS,
    TOP_KEYS,
    Checker,
    show,
)
from ipreport.util.numbers import normalize, year_text
from ipreport.util.units import doubled_multiplier


def read_document(checker: Checker, document: dict[str, Any]) -> Plan | None:
    """The plan a parsed document gives, or None when ``checker`` collected problems."""
    checker.unknown_keys(document, "", TOP_KEYS)
    header = _read_plan_table(checker, document.get("plan"))
    thresholds = _read_thresholds(checker, document.get("thresholds"))
    targets = _read_targets(checker, document.get("target"), header)
    if header is None or checker.problems:
        return None
    return Plan(
        id=header["id"],
        title=header["title"],
        region=header["region"],
        start_year=header["start_year"],
        target_year=header["target_year"],
        targets=targets,
        document=header["document"] or "",
        issuer=header["issuer"] or "",
        issued=header["issued"],
        baseline_year=header["baseline_year"],
        thresholds=thresholds,
        source=Path(checker.file),
    )


def _read_plan_table(checker: Checker, raw: Any) -> dict[str, Any] | None:
    if raw is None:
        checker.add(None, "missing the [plan] table")
        return None
    if not isinstance(raw, dict):
        checker.add("plan", f"expected a [plan] table, found {show(raw)}")
        return None
    misspelt = checker.unknown_keys(raw, "plan", PLAN_KEYS)
    checker.required(raw, "plan", PLAN_REQUIRED, misspelt)
    header: dict[str, Any] = {
        "id": checker.identifier(raw, "id", "plan"),
        "title": checker.string(raw, "title", "plan", required=True),
        "region": checker.string(raw, "region", "plan", required=True),
        "document": checker.string(raw, "document", "plan"),
        "issuer": checker.string(raw, "issuer", "plan"),
        "issued": checker.date(raw.get("issued"), "plan.issued"),
        "start_year": checker.year(raw.get("start_year"), "plan.start_year"),
        "target_year": checker.year(raw.get("target_year"), "plan.target_year"),
        "baseline_year": checker.year(raw.get("baseline_year"), "plan.baseline_year"),
    }
    start, end, base = header["start_year"], header["target_year"], header["baseline_year"]
    if start is not None and end is not None and end < start:
        checker.add("plan.target_year", f"target_year {end} is before start_year {start}")
    if base is not None and end is not None and base >= end:
        checker.add("plan.baseline_year", f"baseline_year {base} must be before target_year {end}")
    return header


def _read_thresholds(checker: Checker, raw: Any) -> Thresholds:
    table = checker.table(raw, "thresholds", "[thresholds] on_track = 0.9")
    if table is None:
        return Thresholds()
    checker.unknown_keys(table, "thresholds", THRESHOLD_KEYS)
    values = {name: getattr(Thresholds(), name) for name in THRESHOLD_KEYS}
    for name in THRESHOLD_KEYS:
        if name not in table:
            continue
        value = table[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            checker.add(f"thresholds.{name}", f"expected a number such as 0.95, found {show(value)}")
            continue
        values[name] = float(value)
    # R bands are lower bounds, so each must not exceed the one above it.
    for higher, lower in zip(THRESHOLD_KEYS, THRESHOLD_KEYS[1:], strict=False):
        if values[lower] > values[higher]:
            checker.add(
                f"thresholds.{lower}",
                f"{lower} {values[lower]!r} is above {higher} {values[higher]!r}; "
                "the thresholds must not increase from ahead to behind",
            )
    return Thresholds(**values)


def _read_targets(checker: Checker, raw: Any, header: dict[str, Any] | None) -> tuple[Target, ...]:
    if raw is None:
        return ()
    if isinstance(raw, dict):
        checker.add(
            "target", "expected [[target]] tables (note the double brackets), found a single [target] table"
        )
        return ()
    if not isinstance(raw, list):
        checker.add("target", f"expected [[target]] tables, found {show(raw)}")
        return ()
    start = header["start_year"] if header else None
    end = header["target_year"] if header else None
    targets = []
    first_use: dict[str, str] = {}
    for number, item in enumerate(raw, start=1):
        path = f"target[{number}]"
        if not isinstance(item, dict):
            checker.add(path, f"expected a table, found {show(item)}")
            continue
        target = _read_target(checker, item, path, start, end)
        target_id = item.get("id")
        if isinstance(target_id, str):
            if target_id in first_use:
                earlier = first_use[target_id]
                checker.add(
                    f"{path}.id",
                    f'duplicate target id "{target_id}" (first used by {earlier}, '
                    f"line {checker.lines.line_of(earlier)})",
                )
            else:
                first_use[target_id] = path
        if target is not None:
            targets.append(target)
    return tuple(targets)


def _read_target(
    checker: Checker, raw: dict[str, Any], path: str, start: int | None, end: int | None
) -> Target | None:
    before = len(checker.problems)
    misspelt = checker.unknown_keys(raw, path, TARGET_KEYS)
    checker.required(raw, path, TARGET_REQUIRED, misspelt)
    target_id = checker.identifier(raw, "id", path)
    name = checker.string(raw, "name", path, required=True)
    kind_name = checker.choice(raw.get("kind"), f"{path}.kind", KINDS)
    kind = Kind(kind_name) if kind_name else None
    _check_kind_keys(checker, raw, path, kind, misspelt)

    values = _read_values(checker, raw, path, kind)
    year = _target_year(checker, raw, path, values.get("deadline"), start, end)
    baseline = _read_baseline(checker, raw, path, year) if _applies(raw, "baseline", kind) else None
    interim = _read_interim(checker, raw, path, start, year) if _applies(raw, "interim", kind) else ()
    direction = checker.choice(raw.get("direction"), f"{path}.direction", DIRECTIONS)
    common: dict[str, Any] = {
        "dimension": checker.choice(raw.get("dimension"), f"{path}.dimension", DIMENSIONS) or "其他",
        "indicator": checker.string(raw, "indicator", path, required=True) or name or "",
        "aliases": checker.strings(raw, "aliases", path),
        "unit": checker.string(raw, "unit", path) or "",
        "direction": Direction.DECREASE if direction == "decrease" else Direction.INCREASE,
        "strive": checker.flag(raw, "strive", path),
        "approximate": checker.flag(raw, "approximate", path),
        "attribute": checker.choice(raw.get("attribute"), f"{path}.attribute", ATTRIBUTES) or "expected",
        "aggregate": checker.choice(raw.get("aggregate"), f"{path}.aggregate", AGGREGATES) or "latest",
        "measure": checker.choice(raw.get("measure"), f"{path}.measure", MEASURES) or "",
        "responsible": checker.strings(raw, "responsible", path),
        "quote": checker.string(raw, "quote", path) or "",
    }
    _check_percent_values(checker, raw, path, common["unit"])
    _check_doubled_multipliers(checker, raw, path, common["unit"])
    if len(checker.problems) > before or target_id is None or name is None or kind is None or year is None:
        return None
    return Target(
        id=target_id,
        name=name,
        kind=kind,
        year=year,
        baseline=baseline,
        interim=interim,
        line=checker.lines.line_of(path),
        **values,
        **common,
    )


def _written_values(raw: dict[str, Any], path: str) -> list[tuple[str, object]]:
    """Every value a target states in its own unit, with its key path: target, min, max, baseline, interim."""
    values: list[tuple[str, object]] = [(f"{path}.{key}", raw.get(key)) for key in ("target", "min", "max")]
    baseline = raw.get("baseline")
    if isinstance(baseline, dict):
        values.append((f"{path}.baseline.value", baseline.get("value")))
    interim = raw.get("interim")
    if isinstance(interim, dict):
        values += [(f"{path}.interim.{year}", value) for year, value in interim.items()]
    return values


def _check_percent_values(checker: Checker, raw: dict[str, Any], path: str, unit: str) -> None:
    """A value written with "%" is in percent units: refused when the target's unit is another one."""
    if not unit or normalize(unit) == "%":
        return
    for key, value in _written_values(raw, path):
        if isinstance(value, str) and normalize(value).endswith("%"):
            checker.add(
                key,
                f'unit mismatch: the value "{value}" is written with "%" but the unit is "{unit}"; '
                'write the value without "%", or give unit = "%"',
            )


def _check_doubled_multipliers(checker: Checker, raw: dict[str, Any], path: str, unit: str) -> None:
    """A value with 万/亿 in a unit that has it already ("30亿" with unit = "亿元") is a problem."""
    for key, value in _written_values(raw, path):
        problem = doubled_multiplier(value, unit)
        if problem is not None:
            checker.add(key, problem)


def _check_kind_keys(
    checker: Checker, raw: dict[str, Any], path: str, kind: Kind | None, misspelt: set[str]
) -> None:
    if kind is None:
        return
    for key, kinds in KIND_ONLY_KEYS.items():
        if key in raw and kind not in kinds:
            owners = _join_words([k.value for k in kinds])
            checker.add(
                f"{path}.{key}",
                f"'{key}' belongs to {owners} targets; this target is kind = \"{kind.value}\"",
            )
    needed = {
        Kind.LEVEL: ("target",),
        Kind.GROWTH: ("rate",),
        Kind.RANGE: ("min", "max"),
    }.get(kind, ())
    for key in needed:
        if key not in raw and key not in misspelt:
            checker.add(path, f"missing '{key}', which {kind.value} targets require")
    if kind is Kind.MILESTONE:
        has_deadline, ongoing = "deadline" in raw, raw.get("ongoing") is True
        if not has_deadline and not ongoing and not misspelt & {"deadline", "ongoing"}:
            checker.add(path, "missing 'deadline' (or ongoing = true), which milestone targets require")
        elif has_deadline and ongoing:
            checker.add(f"{path}.ongoing", "a milestone has a deadline or is ongoing, not both")


def _applies(raw: dict[str, Any], key: str, kind: Kind | None) -> bool:
    """Whether ``key`` is present and may be read (an unknown kind still gets its values checked)."""
    return key in raw and (kind is None or kind in KIND_ONLY_KEYS[key])


def _join_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _read_values(checker: Checker, raw: dict[str, Any], path: str, kind: Kind | None) -> dict[str, Any]:
    """The kind's own values; keys that belong to another kind were reported already and are skipped."""

    def mine(key: str) -> bool:
        return _applies(raw, key, kind)

    values: dict[str, Any] = {}
    if mine("target"):
        values["value"] = checker.number(raw["target"], f"{path}.target")
    if mine("rate"):
        values["rate"] = checker.rate(raw["rate"], f"{path}.rate")
    if mine("min"):
        values["min"] = checker.number(raw["min"], f"{path}.min")
    if mine("max"):
        values["max"] = checker.number(raw["max"], f"{path}.max")
    if values.get("min") is not None and values.get("max") is not None and values["min"] > values["max"]:
        checker.add(f"{path}.min", f"min {show(raw['min'])} is greater than max {show(raw['max'])}")
    if mine("deadline"):
        values["deadline"] = checker.date(raw["deadline"], f"{path}.deadline")
    if mine("ongoing"):
        values["ongoing"] = checker.flag(raw, "ongoing", path)
    return values


def _target_year(
    checker: Checker,
    raw: dict[str, Any],
    path: str,
    deadline: dt.date | None,
    start: int | None,
    end: int | None,
) -> int | None:
    """The target's year: its own ``year``, else its deadline's year, else the plan's target_year."""
    if "year" in raw:
        year = checker.year(raw["year"], f"{path}.year")
        if year is None:
            return None
        if deadline is not None and deadline.year != year:
            checker.add(f"{path}.year", f"year {year} differs from the deadline's year {deadline.year}")
        if start is not None and year < start:
            checker.add(f"{path}.year", f"year {year} is before the plan's start_year {start}")
        return year
    if deadline is not None:
        if start is not None and deadline.year < start:
            checker.add(
                f"{path}.deadline", f"deadline {deadline.isoformat()} is before the plan's start_year {start}"
            )
        return deadline.year
    return end


def _read_baseline(checker: Checker, raw: dict[str, Any], path: str, year: int | None) -> Point | None:
    key = f"{path}.baseline"
    table = checker.table(raw["baseline"], key, "{ year = 2016, value = 3.36 }")
    if table is None:
        return None
    misspelt = checker.unknown_keys(table, key, BASELINE_KEYS)
    checker.required(table, key, BASELINE_KEYS, misspelt)
    base_year = checker.year(table.get("year"), f"{key}.year")
    value = checker.number(table.get("value"), f"{key}.value")
    if base_year is not None and year is not None and base_year >= year:
        checker.add(f"{key}.year", f"baseline year {base_year} must be before the target's year {year}")
    if base_year is None or value is None:
        return None
    return Point(base_year, value)


def _read_interim(
    checker: Checker, raw: dict[str, Any], path: str, start: int | None, year: int | None
) -> tuple[Point, ...]:
    key = f"{path}.interim"
    table = checker.table(raw["interim"], key, "{ 2017 = 2.15 }")
    if table is None:
        return ()
    points = []
    for text, raw_value in table.items():
        entry = f"{key}.{text}"
        if year_text(text) is None:
            checker.add(entry, f'expected a year as key, such as 2017 = 2.15, found "{text}"')
            continue
        interim_year = checker.year(year_text(text), entry)
        value = checker.number(raw_value, entry)
        if interim_year is None or value is None:
            continue
        if year is not None and interim_year >= year:
            checker.add(entry, f"interim year {interim_year} must be before the target's year {year}")
        elif start is not None and interim_year < start:
            checker.add(entry, f"interim year {interim_year} is before the plan's start_year {start}")
        points.append(Point(interim_year, value))
    return tuple(sorted(points, key=lambda point: point.year))
