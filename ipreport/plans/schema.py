"""The plan file's keys, kinds and allowed values, and the Checker that reads values and reports problems."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ipreport.errors import Problem
from ipreport.model import DIMENSION_ORDER, Kind
from ipreport.plans.toml_lines import LineIndex
from ipreport.util.numbers import (
    MAX_DIGITS,
    NumberError,
    excerpt,
    parse_number,
    parse_rate,
    within_bounds,
    year_text,
)

TOP_KEYS = ("plan", "target", "thresholds")
PLAN_KEYS = (
    "id",
    "title",
    "document",
    "issuer",
    "issued",
    "region",
    "start_year",
    "target_year",
    "baseline_year",
)
PLAN_REQUIRED = ("id", "title", "region", "start_year", "target_year")
# Keys every kind of target may carry.
TARGET_COMMON_KEYS = (
    "id",
    "name",
    "dimension",
    "indicator",
    "aliases",
    "kind",
    "unit",
    "direction",
    "year",
    "strive",
    "approximate",
    "attribute",
    "aggregate",
    "measure",
    "responsible",
    "quote",
)
TARGET_REQUIRED = ("id", "name", "kind")
# Keys that only make sense for some kinds; a key here on another kind is reported, not ignored.
KIND_ONLY_KEYS: dict[str, tuple[Kind, ...]] = {
    "target": (Kind.LEVEL,),
    "rate": (Kind.GROWTH,),
    "min": (Kind.RANGE,),
    "max": (Kind.RANGE,),
    "deadline": (Kind.MILESTONE,),
    "ongoing": (Kind.MILESTONE,),
    "interim": (Kind.LEVEL,),
    "baseline": (Kind.LEVEL, Kind.GROWTH, Kind.RANGE, Kind.TREND),
}
TARGET_KEYS = TARGET_COMMON_KEYS + tuple(KIND_ONLY_KEYS)
BASELINE_KEYS = ("year", "value")
THRESHOLD_KEYS = ("ahead", "on_track", "accelerate", "behind")

KINDS = tuple(kind.value for kind in Kind)
DIRECTIONS = ("increase", "decrease")
DIMENSIONS = DIMENSION_ORDER
ATTRIBUTES = ("expected", "binding")
AGGREGATES = ("latest", "sum")
# A stock is held at a date (截至年底), a flow counted over a year (全年).
MEASURES = ("stock", "flow")

ID_PATTERN = re.compile(r"[a-z0-9-]+")
# Years outside this window are typing slips ("20205"), not plans.
FIRST_YEAR, LAST_YEAR = 1900, 2100


class Checker:
    """Collects the problems of one file while its values are read."""

    def __init__(self, file: str, lines: LineIndex) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, key: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, message, line=self.lines.line_of(key), key=key))

    # Each reader below returns None when the value is absent or wrong (and then says why).

    def string(
        self, table: Mapping[str, Any], key: str, path: str, required: bool = False, strip: bool = True
    ) -> str | None:
        """A string value; surrounding spaces (U+3000 too) are dropped, as statistics labels fold them."""
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.add(f"{path}.{key}", f"expected a string, found {show(value)}")
            return None
        if required and not value.strip():
            self.add(f"{path}.{key}", "must not be empty")
            return None
        return value.strip() if strip else value

    def identifier(self, table: Mapping[str, Any], key: str, path: str) -> str | None:
        # An id is matched exactly: " a" is refused rather than quietly becoming "a".
        value = self.string(table, key, path, strip=False)
        if value is not None and not ID_PATTERN.fullmatch(value):
            self.add(
                f"{path}.{key}",
                f"expected an id of lowercase letters, digits and hyphens ([a-z0-9-]+), found {show(value)}",
            )
            return None
        return value

    def strings(self, table: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = table.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.add(
                f"{path}.{key}", f'expected an array of strings such as ["a", "b"], found {show(value)}'
            )
            return ()
        return tuple(item.strip() for item in value)

    def flag(self, table: Mapping[str, Any], key: str, path: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.add(f"{path}.{key}", f"expected true or false, found {show(value)}")
            return False
        return value

    def year(self, value: Any, key: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, str) and value.strip().endswith("年") and year_text(value) is not None:
            value = year_text(value)  # "2030年", as the document writes it ("2030" quoted stays an error)
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(key, f"expected an integer year, found {show(value)}")
            return None
        if not FIRST_YEAR <= value <= LAST_YEAR:
            self.add(key, f"expected a year such as 2025, found {value}")
            return None
        return value

    def date(self, value: Any, key: str) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.add(key, f"expected a date such as 2022-12-31 (unquoted), found {show(value)}")
            return None
        return value

    def number(self, value: Any, key: str) -> Decimal | None:
        if value is None:
            return None
        if not _numeric(value):
            self.add(key, f"expected a number, found {show(value)}")
            return None
        try:
            number = parse_number(value)
        except NumberError as exc:
            self.add(key, str(exc))
            return None
        if number is None:
            self.add(key, f"expected a number, found {show(value)}")
        elif not within_bounds(number):
            self.add(key, f"expected a number of at most {MAX_DIGITS} digits, found {_shown_number(value)}")
            return None
        return number

    def rate(self, value: Any, key: str) -> Decimal | None:
        if value is None:
            return None
        if not _numeric(value):
            self.add(key, f'expected a rate such as "10%", found {show(value)}')
            return None
        try:
            rate = parse_rate(value)
        except NumberError:
            self.add(key, f'expected a rate such as "10%" or 0.1, found {show(value)}')
            return None
        if not within_bounds(rate):
            self.add(key, f"expected a number of at most {MAX_DIGITS} digits, found {_shown_number(value)}")
            return None
        if rate <= 0:
            self.add(key, f"a growth rate must be above zero, found {show(value)}")
            return None
        return rate

    def choice(self, value: Any, key: str, choices: tuple[str, ...]) -> str | None:
        if value is None:
            return None
        if isinstance(value, str) and value in choices:
            return value
        message = f"expected one of {', '.join(choices)}; found {show(value)}"
        nearest = difflib.get_close_matches(value, choices, n=1) if isinstance(value, str) else []
        if nearest:
            message += f' (did you mean "{nearest[0]}"?)'
        self.add(key, message)
        return None

    def table(self, value: Any, key: str, example: str) -> dict[str, Any] | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.add(key, f"expected a table such as {example}, found {show(value)}")
            return None
        return value

    def unknown_keys(self, table: Mapping[str, Any], path: str, allowed: tuple[str, ...]) -> set[str]:
        """Report keys not in ``allowed``; returns the valid keys suggested for them."""
        suggested = set()
        for key in table:
            if key in allowed:
                continue
            nearest = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean '{nearest[0]}'?)" if nearest else "; valid keys: " + ", ".join(allowed)
            self.add(f"{path}.{key}" if path else key, f"unknown key '{key}'{hint}")
            suggested.update(nearest)
        return suggested

    def required(
        self, table: Mapping[str, Any], path: str, keys: tuple[str, ...], misspelt: set[str] | None = None
    ) -> None:
        """Report absent keys, except those a misspelt key was already pointed to."""
        for key in keys:
            if key not in table and key not in (misspelt or set()):
                self.add(path, f"missing required key '{key}'")


def _numeric(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return False
    return not (isinstance(value, float) and not math.isfinite(value))


def _shown_number(value: Any) -> str:
    return excerpt(value.strip()) if isinstance(value, str) else show(value)


def show(value: Any) -> str:
    """A value as the plan file would write it, for messages."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, list):
        shown = "[" + ", ".join(show(item) for item in value) + "]"
        return shown if len(shown) <= 60 else shown[:56] + " ...]"
    if isinstance(value, dict):
        return "a table"
    return str(value)
