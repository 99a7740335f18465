"""A bounded fuzz run for CI: the tests/fuzz harness over hypothesis inputs, and every saved finding replayed.

The long coverage-guided run uses atheris (see tests/fuzz/fuzz_inputs.py); this one needs only hypothesis.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Seconds each: `pytest -m 'not slow'` leaves them out of a quick run; CI runs them.
pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
_spec = importlib.util.spec_from_file_location("fuzz_inputs", HERE / "fuzz" / "fuzz_inputs.py")
assert _spec is not None and _spec.loader is not None
fuzz_inputs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz_inputs)

REGRESSIONS = sorted((HERE / "fuzz" / "regressions").iterdir())
SEED_XLSX = (HERE / "fixtures" / "stats" / "wide.xlsx").read_bytes()


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )

# Pieces statistics files are made of, good and bad, so that most inputs get past the header.
HEADERS = ["region", "indicator", "year", "value", "unit", "date", "地区", "指标", "年份", "数值", "单位",
           "2019", "2020年", "2020年度", "2021.0", "来源", "备注", "", "#"]
CELLS = ["吉林省", "专利", "2020", "２０２１", "二〇二〇", "2020年", "1,234", "2.4万", "50亿", "95%", "(1,234)",
         "—", "无", "1e5", "nan", "-", "已完成", "推进中", "in_progress", "2022年6月30日", "2022-13-01",
         "件", "万件", "亿元", '"a,b"', '"', "=A1", "\t", "\r", " ", "9" * 30, ".5", "+3"]
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-32"]
# Pieces of plan files.
PLAN_LINES = ["[plan]", "[[target]]", "[thresholds]", 'id = "p"', 'id = "a"', 'title = "规划"', 'region = "吉林省"',
              "start_year = 2021", "target_year = 2025", "baseline_year = 2020", 'name = "专利"', 'kind = "level"',
              'kind = "growth"', 'kind = "range"', 'kind = "milestone"', 'kind = "trend"', "target = 12",
              'target = "95%"', 'rate = "10%"', "rate = 0", "min = 3", "max = 1", "deadline = 2023-06-30",
              "ongoing = true", "year = 2030", "interim = { 2023 = 9 }", "interim = { x = 1 }",
              "baseline = { year = 2020, value = 3 }", "baseline = 3", 'direction = "decrease"',
              "on_track = 2", "ahead = nan", "target = inf", 'unit = "件"', "aliases = [1]", "target = [",
              'quote = """', "x = 1", "= 1", "[plan.extra]", "[[target.interim]]"]


def _csv(rows: list[list[str]], encoding: str) -> bytes:
    return "\n".join(",".join(row) for row in rows).encode(encoding, errors="replace")


csv_files = st.builds(
    _csv,
    st.lists(st.lists(st.sampled_from(HEADERS + CELLS), max_size=8), max_size=12),
    st.sampled_from(ENCODINGS),
)
plan_files = st.lists(st.sampled_from(PLAN_LINES), max_size=30).map(lambda lines: "\n".join(lines).encode())


def _mutated(data: bytes, changes: list[tuple[int, int]]) -> bytes:
    mutable = bytearray(data)
    for position, value in changes:
        mutable[position % len(mutable)] = value
    return bytes(mutable)


xlsx_files = st.builds(
    _mutated, st.just(SEED_XLSX), st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=6)
)


@pytest.mark.parametrize("path", REGRESSIONS, ids=[path.name for path in REGRESSIONS])
def test_saved_findings_now_load_or_raise_ipreport_errors(tmp_path: Path, path: Path) -> None:
    fuzz_inputs.one_input(tmp_path, path.read_bytes())


@fuzz(1000)
@given(data=csv_files)
def test_fuzz_csv_statistics(tmp_path: Path, data: bytes) -> None:
    fuzz_inputs.check(tmp_path, "stats.csv", data)


@fuzz(1500)
@given(data=plan_files)
def test_fuzz_plan_files(tmp_path: Path, data: bytes) -> None:
    fuzz_inputs.check(tmp_path, "plan.toml", data)


@fuzz(400)
@given(data=xlsx_files)
def test_fuzz_xlsx_statistics(tmp_path: Path, data: bytes) -> None:
    fuzz_inputs.check(tmp_path, "stats.xlsx", data)


@fuzz(1000)
@given(data=st.binary(max_size=600))
def test_fuzz_raw_bytes_for_every_target(tmp_path: Path, data: bytes) -> None:
    fuzz_inputs.one_input(tmp_path, data)
