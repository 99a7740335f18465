"""Plan files (TOML): find them, read them, check every value and build ``model.Plan`` objects."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ipreport import resources
from ipreport.decoding import bom_encoding, decodes
from ipreport.errors import InputError, Problem
from ipreport.model import Direction, Kind, Plan, Point, Target, Thresholds
from ipreport.numbers import NumberError, normalize, parse_number, parse_rate

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

__all__ = ["bundled_ids", "bundled_plans", "load_plan", "load_plans", "plan_problems"]

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
DIMENSIONS = ("创造", "运用", "保护", "管理", "服务", "人才", "其他")
ATTRIBUTES = ("expected", "binding")
AGGREGATES = ("latest", "sum")

ID_PATTERN = re.compile(r"[a-z0-9-]+")
# Years outside this window are typing slips ("20205"), not plans.
FIRST_YEAR, LAST_YEAR = 1900, 2100


# --------------------------------------------------------------------------- public API


def bundled_ids() -> tuple[str, ...]:
    """Ids of the bundled plans: the stems of the .toml files in ``resources.targets_dir()``."""
    folder = resources.targets_dir()
    if not folder.is_dir():
        return ()
    return tuple(sorted(path.stem for path in folder.glob("*.toml") if path.is_file()))


def load_plan(ref: str | Path) -> Plan:
    """Read one plan: ``ref`` is a path to a .toml file or the id of a bundled plan.

    Raises InputError listing every problem of the file.
    """
    return load_plans([ref])[0]


def load_plans(refs: Iterable[str | Path]) -> tuple[Plan, ...]:
    """Read several plans, reporting every problem of every file at once.

    Two plans with the same ``[plan].id`` are an error too.
    """
    if isinstance(refs, (str, Path)):  # one ref passed bare must not be read letter by letter
        refs = [refs]
    refs = list(refs)
    repeated, problems = _repeated_refs(refs)
    results = [_check_ref(ref) for index, ref in enumerate(refs) if index not in repeated]
    problems = [problem for result in results for problem in result.problems] + problems
    problems += _duplicate_plan_ids(results)
    if problems:
        raise InputError(problems)
    return tuple(result.plan for result in results if result.plan is not None)


def plan_problems(ref: str | Path) -> list[Problem]:
    """Every problem of one plan file (or bundled id), without raising; empty when it loads."""
    return _check_ref(ref).problems


def bundled_plans() -> tuple[Plan, ...]:
    """Every bundled plan, sorted by id."""
    plans = load_plans(bundled_ids())
    return tuple(sorted(plans, key=lambda plan: plan.id))


# --------------------------------------------------------------------------- finding and reading


@dataclass(frozen=True)
class _Result:
    """What checking one file gave: the plan (only when there were no problems) and the problems."""

    file: str
    plan: Plan | None
    problems: list[Problem]
    id_line: int | None = None


def _repeated_refs(refs: list[str | Path]) -> tuple[set[int], list[Problem]]:
    """Indexes of refs naming a file an earlier ref names, and one problem per such file.

    The problem says the refs as the user gave them, not the path a bundled id resolves to.
    """
    spellings: dict[Path, list[tuple[int, str]]] = {}
    for index, ref in enumerate(refs):
        path = _resolve(ref)
        if not isinstance(path, Problem):
            spellings.setdefault(path.resolve(), []).append((index, str(ref)))
    skipped: set[int] = set()
    problems: list[Problem] = []
    for given in spellings.values():
        if len(given) < 2:
            continue
        skipped.update(index for index, _ in given[1:])
        names = list(dict.fromkeys(name for _, name in given))
        times = "twice" if len(given) == 2 else f"{len(given)} times"
        also = "" if len(names) == 1 else " (as " + " and as ".join(names) + ")"
        problems.append(Problem(names[0], f"given {times}{also}; give each plan once"))
    return skipped, problems


def _check_ref(ref: str | Path) -> _Result:
    path = _resolve(ref)
    if isinstance(path, Problem):
        return _Result(path.file, None, [path])
    return _check_file(path)


def _resolve(ref: str | Path) -> Path | Problem:
    path = Path(ref)
    if path.is_file():
        return path
    if path.is_dir():
        return Problem(str(ref), "is a folder, not a plan file")
    ids = bundled_ids()
    if str(ref) in ids:
        return resources.targets_dir() / f"{ref}.toml"
    return Problem(str(ref), _not_found_message(path, ids))


def _not_found_message(path: Path, ids: tuple[str, ...]) -> str:
    message = "no such plan file, and no bundled plan has this id"
    if not ids:
        return message + " (there are no bundled plans)"
    nearest = difflib.get_close_matches(path.stem, ids, n=1)
    if nearest:
        message += f' (did you mean "{nearest[0]}"?)'
    return message + "; bundled plans: " + ", ".join(ids)


def _check_file(path: Path) -> _Result:
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _Result(file, None, [Problem(file, f"cannot read the file: {exc.strerror or exc}")])
    text = _decode(file, data)
    if isinstance(text, Problem):
        return _Result(file, None, [text])
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return _Result(file, None, [_syntax_problem(file, exc, text)])
    checker = _Checker(file, _LineIndex(text))
    plan = _read_document(checker, document)
    if plan is not None:
        _check_bundled_id(checker, path, plan.id)
    problems = sorted(checker.problems, key=lambda p: (p.line is not None, p.line or 0))
    return _Result(file, None if problems else plan, problems, checker.lines.line_of("plan.id"))


def _decode(file: str, data: bytes) -> str | Problem:
    announced = bom_encoding(data)
    if announced is not None and announced != "utf-8-sig":
        # TOML is UTF-8 by definition; a UTF-16/32 file (Notepad's "Unicode") is named, not decoded.
        name = announced.upper()
        return Problem(
            file, f"the file is {name} (it starts with a {name} byte-order mark), not UTF-8: save it as UTF-8"
        )
    try:
        # A BOM is what Windows Notepad writes; it is harmless, so it is accepted and dropped.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded); "
        return Problem(file, message + _other_encoding(data) + "save the plan file as UTF-8", line=line)


def _other_encoding(data: bytes) -> str:
    """What can be said about the encoding of a file that is not UTF-8, without guessing.

    GB18030 decodes almost any byte pairs, Big5 text included, so it is named only when Big5 fails.
    """
    gb, big5 = (decodes(data, encoding) for encoding in ("gb18030", "big5"))
    if gb and not big5:
        return "it looks like GBK/GB18030: "
    if big5 and not gb:
        return "it looks like Big5: "
    if gb:
        return "it is in another encoding (such as GBK or Big5): "
    return ""


# tomllib (and tomli before 2.1) put the position only into the message text.
_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def _syntax_problem(file: str, exc: tomllib.TOMLDecodeError, text: str) -> Problem:
    """``file:12: TOML syntax error: Invalid value (column 5)``, whichever tomllib version raised."""
    full = str(exc)
    if _AT_END.search(full):
        cause = _AT_END.sub("", full)
        last_line = max(len(text.splitlines()), 1)
        return Problem(file, f"TOML syntax error: {cause} (at end of file)", line=last_line)
    # Python 3.14 and tomli >= 2.1 expose the position; older versions only print it.
    line, column, reason = (
        getattr(exc, "lineno", None),
        getattr(exc, "colno", None),
        getattr(exc, "msg", None),
    )
    if not (isinstance(line, int) and isinstance(column, int) and isinstance(reason, str)):
        match = _POSITION.search(full)
        if match is None:
            return Problem(file, f"TOML syntax error: {full}")
        line, column, reason = int(match[1]), int(match[2]), full[: match.start()]
    return Problem(file, f"TOML syntax error: {reason} (column {column})", line=line)


def _check_bundled_id(checker: _Checker, path: Path, plan_id: str) -> None:
    folder = resources.targets_dir()
    if folder.is_dir() and path.resolve().parent == folder.resolve() and plan_id != path.stem:
        checker.add(
            "plan.id",
            f'"{plan_id}" differs from the file name "{path.stem}"; a bundled plan\'s id is its file stem',
        )


def _duplicate_plan_ids(results: list[_Result]) -> list[Problem]:
    first_file: dict[str, str] = {}
    problems = []
    for result in results:
        if result.plan is None:
            continue
        plan_id = result.plan.id
        if plan_id in first_file:
            message = f'duplicate plan id "{plan_id}" (also in {first_file[plan_id]})'
            problems.append(Problem(result.file, message, line=result.id_line, key="plan.id"))
        else:
            first_file[plan_id] = result.file
    return problems


# --------------------------------------------------------------------------- line numbers


class _LineIndex:
    """Line numbers of table headers and keys, found by scanning the text (tomllib gives none).

    Paths use the loader's key paths: ``plan``, ``plan.id``, ``target[2]``, ``target[2].rate``,
    ``target[2].interim.2017``; ``[[target]]`` tables are counted from 1.
    """

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
    _PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
    _KEY = re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")

    def __init__(self, text: str) -> None:
        self._lines: dict[str, int] = {}
        self._scan(text)

    def _scan(self, text: str) -> None:
        prefix = ""
        counts: dict[str, int] = {}
        in_multiline = False
        for number, line in enumerate(text.splitlines(), start=1):
            toggles = line.count('"""') + line.count("'''")
            if in_multiline:
                in_multiline = toggles % 2 == 0
                continue
            header = self._HEADER.match(line)
            if header:
                name = self._join(header[2])
                if header[1] == "[[":
                    counts[name] = counts.get(name, 0) + 1
                    prefix = f"{name}[{counts[name]}]"
                    # An unknown array such as [[targets]] is reported by its bare name.
                    self._lines.setdefault(name, number)
                else:
                    head, _, rest = name.partition(".")
                    prefix = f"{head}[{counts[head]}].{rest}" if head in counts and rest else name
                self._lines.setdefault(prefix, number)
            else:
                key = self._KEY.match(line)
                if key:
                    path = f"{prefix}.{self._join(key[1])}" if prefix else self._join(key[1])
                    self._lines.setdefault(path, number)
            in_multiline = toggles % 2 == 1

    @classmethod
    def _join(cls, dotted: str) -> str:
        parts = re.findall(cls._PART, dotted)
        return ".".join(part.strip("\"'") for part in parts)

    def line_of(self, path: str | None) -> int | None:
        """The line of ``path``, else of the nearest enclosing key or table that was found."""
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path.rpartition(".")[0]
        return None


# --------------------------------------------------------------------------- checking values


class _Checker:
    """Collects the problems of one file while its values are read."""

    def __init__(self, file: str, lines: _LineIndex) -> None:
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
            self.add(f"{path}.{key}", f"expected a string, found {_show(value)}")
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
                f"expected an id of lowercase letters, digits and hyphens ([a-z0-9-]+), found {_show(value)}",
            )
            return None
        return value

    def strings(self, table: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = table.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.add(
                f"{path}.{key}", f'expected an array of strings such as ["a", "b"], found {_show(value)}'
            )
            return ()
        return tuple(item.strip() for item in value)

    def flag(self, table: Mapping[str, Any], key: str, path: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.add(f"{path}.{key}", f"expected true or false, found {_show(value)}")
            return False
        return value

    def year(self, value: Any, key: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(key, f"expected an integer year, found {_show(value)}")
            return None
        if not FIRST_YEAR <= value <= LAST_YEAR:
            self.add(key, f"expected a year such as 2025, found {value}")
            return None
        return value

    def date(self, value: Any, key: str) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.add(key, f"expected a date such as 2022-12-31 (unquoted), found {_show(value)}")
            return None
        return value

    def number(self, value: Any, key: str) -> Decimal | None:
        if value is None:
            return None
        if not _numeric(value):
            self.add(key, f"expected a number, found {_show(value)}")
            return None
        try:
            number = parse_number(value)
        except NumberError as exc:
            self.add(key, str(exc))
            return None
        if number is None:
            self.add(key, f"expected a number, found {_show(value)}")
        return number

    def rate(self, value: Any, key: str) -> Decimal | None:
        if value is None:
            return None
        if not _numeric(value):
            self.add(key, f'expected a rate such as "10%", found {_show(value)}')
            return None
        try:
            rate = parse_rate(value)
        except NumberError:
            self.add(key, f'expected a rate such as "10%" or 0.1, found {_show(value)}')
            return None
        if rate <= 0:
            self.add(key, f"a growth rate must be above zero, found {_show(value)}")
            return None
        return rate

    def choice(self, value: Any, key: str, choices: tuple[str, ...]) -> str | None:
        if value is None:
            return None
        if isinstance(value, str) and value in choices:
            return value
        message = f"expected one of {', '.join(choices)}; found {_show(value)}"
        nearest = difflib.get_close_matches(value, choices, n=1) if isinstance(value, str) else []
        if nearest:
            message += f' (did you mean "{nearest[0]}"?)'
        self.add(key, message)
        return None

    def table(self, value: Any, key: str, example: str) -> dict[str, Any] | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.add(key, f"expected a table such as {example}, found {_show(value)}")
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


def _show(value: Any) -> str:
    """A value as the plan file would write it, for messages."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, list):
        shown = "[" + ", ".join(_show(item) for item in value) + "]"
        return shown if len(shown) <= 60 else shown[:56] + " ...]"
    if isinstance(value, dict):
        return "a table"
    return str(value)


# --------------------------------------------------------------------------- reading the document


def _read_document(checker: _Checker, document: dict[str, Any]) -> Plan | None:
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


def _read_plan_table(checker: _Checker, raw: Any) -> dict[str, Any] | None:
    if raw is None:
        checker.add(None, "missing the [plan] table")
        return None
    if not isinstance(raw, dict):
        checker.add("plan", f"expected a [plan] table, found {_show(raw)}")
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


def _read_thresholds(checker: _Checker, raw: Any) -> Thresholds:
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
            checker.add(f"thresholds.{name}", f"expected a number such as 0.95, found {_show(value)}")
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


def _read_targets(checker: _Checker, raw: Any, header: dict[str, Any] | None) -> tuple[Target, ...]:
    if raw is None:
        return ()
    if isinstance(raw, dict):
        checker.add(
            "target", "expected [[target]] tables (note the double brackets), found a single [target] table"
        )
        return ()
    if not isinstance(raw, list):
        checker.add("target", f"expected [[target]] tables, found {_show(raw)}")
        return ()
    start = header["start_year"] if header else None
    end = header["target_year"] if header else None
    targets = []
    first_use: dict[str, str] = {}
    for number, item in enumerate(raw, start=1):
        path = f"target[{number}]"
        if not isinstance(item, dict):
            checker.add(path, f"expected a table, found {_show(item)}")
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
    checker: _Checker, raw: dict[str, Any], path: str, start: int | None, end: int | None
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
        "responsible": checker.strings(raw, "responsible", path),
        "quote": checker.string(raw, "quote", path) or "",
    }
    _check_percent_values(checker, raw, path, common["unit"])
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


def _check_percent_values(checker: _Checker, raw: dict[str, Any], path: str, unit: str) -> None:
    """A value written with "%" is in percent units: refused when the target's unit is another one."""
    if not unit or normalize(unit) == "%":
        return
    for key in ("target", "min", "max"):
        value = raw.get(key)
        if isinstance(value, str) and normalize(value).endswith("%"):
            checker.add(
                f"{path}.{key}",
                f'unit mismatch: the value "{value}" is written with "%" but the unit is "{unit}"; '
                'write the value without "%", or give unit = "%"',
            )


def _check_kind_keys(
    checker: _Checker, raw: dict[str, Any], path: str, kind: Kind | None, misspelt: set[str]
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


def _read_values(checker: _Checker, raw: dict[str, Any], path: str, kind: Kind | None) -> dict[str, Any]:
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
        checker.add(f"{path}.min", f"min {_show(raw['min'])} is greater than max {_show(raw['max'])}")
    if mine("deadline"):
        values["deadline"] = checker.date(raw["deadline"], f"{path}.deadline")
    if mine("ongoing"):
        values["ongoing"] = checker.flag(raw, "ongoing", path)
    return values


def _target_year(
    checker: _Checker,
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


def _read_baseline(checker: _Checker, raw: dict[str, Any], path: str, year: int | None) -> Point | None:
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
    checker: _Checker, raw: dict[str, Any], path: str, start: int | None, year: int | None
) -> tuple[Point, ...]:
    key = f"{path}.interim"
    table = checker.table(raw["interim"], key, "{ 2017 = 2.15 }")
    if table is None:
        return ()
    points = []
    for text, raw_value in table.items():
        entry = f"{key}.{text}"
        if not re.fullmatch(r"\d{4}", text):
            checker.add(entry, f'expected a year as key, such as 2017 = 2.15, found "{text}"')
            continue
        interim_year = checker.year(int(text), entry)
        value = checker.number(raw_value, entry)
        if interim_year is None or value is None:
            continue
        if year is not None and interim_year >= year:
            checker.add(entry, f"interim year {interim_year} must be before the target's year {year}")
        elif start is not None and interim_year < start:
            checker.add(entry, f"interim year {interim_year} is before the plan's start_year {start}")
        points.append(Point(interim_year, value))
    return tuple(sorted(points, key=lambda point: point.year))
