"""`ipreport gaps --format json` against tests/reference_method.py on the edge cases of
tests/fixtures/judge/edge_cases.toml: status, figures and notes of every case agree."""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ipreport.cli import cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

sys.path.insert(0, str(Path(__file__).parent))
import reference_method  # noqa: E402

CASES = tomllib.loads((Path(__file__).parent / "fixtures/judge/edge_cases.toml").read_text(encoding="utf-8"))["case"]
PLAN = {"start_year": 2016, "target_year": 2020}
NEGATIVE_ZERO = re.compile(r"-0(\.0+)?(?![.\d])")


def _toml_value(value: Any) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {_toml_value(item)}" for key, item in value.items()) + " }"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _plan_text(case: dict[str, Any]) -> str:
    plan = {**PLAN, **case.get("plan", {})}
    lines = ["[plan]", 'id = "case"', 'title = "边界用例"', 'region = "某省"']
    lines += [f"{key} = {value}" for key, value in plan.items()]
    lines += ["", "[[target]]", 'id = "t"', 'name = "指标"']
    lines += [f"{key} = {_toml_value(value)}" for key, value in case["target"].items()]
    return "\n".join(lines) + "\n"


def write_case(case: dict[str, Any], tmp_path: Path) -> None:
    """The case's plan and statistics as case.toml and stats.csv in ``tmp_path``."""
    (tmp_path / "case.toml").write_text(_plan_text(case), encoding="utf-8")
    unit = case["target"].get("unit", "")
    # A row of another indicator keeps a case without values a valid file.
    rows = "".join(f"指标,{year},{value},{unit}\n" for year, value in case["rows"]) or "其他,2018,1,件\n"
    (tmp_path / "stats.csv").write_text("indicator,year,value,unit\n" + rows, encoding="utf-8")


def run_case(case: dict[str, Any], tmp_path: Path) -> tuple[dict[str, Any], int]:
    """The JSON row of the case's main target row, and the year assessed."""
    write_case(case, tmp_path)
    args = ["gaps", str(tmp_path / "case.toml"), "--stats", str(tmp_path / "stats.csv"), "--format", "json"]
    if "year" in case:
        args += ["--year", str(case["year"])]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    main = [row for row in data["plans"][0]["targets"] if not row["interim"]]
    assert len(main) == 1
    return main[0], data["year"]


def _close(found: float | None, expected: float | Decimal | None, tolerance: float) -> bool:
    if found is None or expected is None:
        return found is None and expected is None
    return abs(float(found) - float(expected)) <= tolerance


def test_there_are_forty_cases_or_more_with_every_case_of_the_issue() -> None:
    assert len(CASES) >= 40
    assert len({case["id"] for case in CASES}) == len(CASES)
    assert sum(1 for case in CASES if case.get("issue")) >= 15


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_ipreport_agrees_with_the_reference(case: dict[str, Any], tmp_path: Path) -> None:
    found, year = run_case(case, tmp_path)
    expected = reference_method.judge(case, year)
    assert found["status"] == expected.status
    latest = None if expected.latest is None else {"year": expected.latest[0], "value": float(expected.latest[1])}
    if latest is not None:
        found_latest = found["latest"] and {"year": found["latest"]["year"], "value": float(found["latest"]["value"])}
        assert found_latest == latest
    else:
        assert found["latest"] is None
    tolerance = 1e-6 if case["target"].get("kind") == "growth" else 1e-9
    assert _close(found["gap"], expected.gap, tolerance), (found["gap"], expected.gap)
    assert _close(found["attainment"], expected.attainment, 1e-6), (found["attainment"], expected.attainment)
    for key in ("required_cagr", "actual_cagr", "ratio"):
        assert _close(found[key], getattr(expected, key), 1e-6), (key, found[key], getattr(expected, key))
    if case["target"].get("kind") != "growth" and expected.target_value is not None:
        assert _close(found["target_value"], expected.target_value, 1e-9)
    if case["target"].get("kind") == "growth":
        assert found["target_value"] is None
    assert sorted(found["notes"]) == sorted(expected.notes)
    assert not NEGATIVE_ZERO.search(json.dumps(found))
