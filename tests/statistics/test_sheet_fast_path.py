"""The long sheet layout's fast loop (_read_cells_long) reads every workbook exactly as the general rules do.

Like the CSV fast loop (test_fast_path.py), it is a second copy of the rules for plain rows, kept for
workbooks of 200,000 rows; this test holds the two together: every workbook fixture, and one built
with every kind of row the fast loop must hand on, read both ways, gives the same observations,
warnings and problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import openpyxl
import pytest

from ipreport.errors import InputError
from ipreport.statistics import read, xlsx
from ipreport.statistics.read import read_statistics

ROOT = Path(__file__).resolve().parents[2]
WORKBOOKS = sorted(
    path for path in (ROOT / "tests").rglob("*")
    if path.is_file() and (path.suffix in (".xlsx", ".xls", ".ods") or path.name.endswith(("-xlsx", "-xls")))
)


def _reading(path: Path) -> object:
    try:
        statistics = read_statistics(path)
    except InputError as exc:
        return [str(problem) for problem in exc.problems]
    # By repr: Decimal("13.0") == Decimal("13"), but the report writes them differently.
    return [repr(o) for o in statistics.observations], statistics.warnings, statistics.layout


def _general(
    reader: object,
    rows: Iterable[tuple[int, Sequence[object]]],
    converted: Callable[[int, Sequence[object]], Sequence[object]] | None = None,
) -> None:
    """In place of the fast loop: every row through the general rules."""
    if converted is not None:
        rows = ((number, converted(number, cells)) for number, cells in rows)
    read._read_general(reader, rows)  # type: ignore[arg-type]


_HEADER = ["地区", "指标", "年份", "数值", "单位", "来源", "备注"]
# Rows the general rules read without a problem, of every kind the fast loop must get right or hand on.
_GOOD_ROWS: list[list[object]] = [
    ["甲市", "专利授权量", 2019, 12.5, "件", "局", None],
    ["甲市", "专利授权量", 2020, 13, "件", None, "  说明 "],
    [" 乙市 ", "专利授权量 ", 2021, 14.25, " 件", "局", None],  # labels with spaces
    ["乙市", "专利授权量", 2020, "2.4万", "件", None, None],  # a value as text
    ["乙市", "有效发明专利", 2020.0, 0.1, "%", None, None],
    ["乙市", "商标", "2020", 7, "件", None, None],  # a year as text
    ["乙市", "商标", 2022, None, "件", None, None],  # no value
    ["乙市", "商标", 2024, 3, 5, None, None],  # a number as unit
    ["乙市", "商标", 2025, 3, "件", None, 12],  # a number as note
    [None, None, None, None, None, None, None],  # blank
    ["甲市", "专利授权量", 2019, 12.5, "件", "局", None],  # the same reading again
    ["丙市", "专利授权量", 2020, 123456789012345678, "件", None, None],  # 18 digits
    ["丙市", "专利授权量", 2021, -0.5, "件", None, None],
    ["丙市", "专利授权量", 2022, 1e16, "件", None, None],
    ["丙市", "专利授权量", 2023, 0.1 + 0.2, "件", None, None],
]
# Rows with a problem each: the fast loop must leave every one to the general rules, which word it.
_BAD_ROWS: list[list[object]] = [
    ["乙市", "有效发明专利", 2021, 1e20, "件", None, None],  # beyond the digits allowed
    ["乙市", "商标", 1900, 7, "件", None, None],  # a year out of range
    ["", "商标", 2021, 7, "件", None, None],  # no region
    ["乙市", None, 2021, 7, "件", None, None],  # no indicator
    ["乙市", "商标", 2023, True, "件", None, None],  # a boolean
    ["乙市", "商标", dt.datetime(2020, 1, 1), 3, "件", None, None],  # a date as year
    ["甲市", "专利授权量", 2019, 12.5, "件", "局", None],
    ["甲市", "专利授权量", 2019, 99, "件", None, None],  # a different reading of a kept key
    ["丙市"],  # a short row
]


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [_HEADER, *rows]:
        sheet.append(row)
    book.save(path)
    return path


def _cases(tmp: Path) -> list[Path]:
    return [*WORKBOOKS, _sheet(tmp / "good.xlsx", _GOOD_ROWS), _sheet(tmp / "bad.xlsx", _BAD_ROWS)]


def test_the_built_sheets_say_what_they_should(tmp_path: Path) -> None:
    good = _reading(_sheet(tmp_path / "good.xlsx", _GOOD_ROWS))
    assert isinstance(good, tuple) and len(good[0]) == 12  # less the blank row, the repeat, the empty value
    bad = _reading(_sheet(tmp_path / "bad.xlsx", _BAD_ROWS))
    assert isinstance(bad, list) and len(bad) == 9  # the short row lacks an indicator and a year


@pytest.mark.parametrize("index", range(len(WORKBOOKS) + 2))
def test_fast_loop_reads_as_the_general_rules_do(
    index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _cases(tmp_path)[index]
    fast = _reading(path)
    monkeypatch.setattr(read, "_read_cells_long", _general)
    assert _reading(path) == fast


def test_a_plain_sheet_takes_the_fast_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    original = read._read_cells_long
    monkeypatch.setattr(read, "_read_cells_long", lambda *args: calls.append(args) or original(*args))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["地区", "指标", "年份", "数值"])
    sheet.append(["甲市", "专利授权量", 2020, 12.5])
    book.save(tmp_path / "plain.xlsx")
    observations = read_statistics(tmp_path / "plain.xlsx").observations
    assert calls
    assert [(o.region, o.indicator, o.year, str(o.value), o.origin) for o in observations] == [
        ("甲市", "专利授权量", 2020, "12.5", f"{tmp_path / 'plain.xlsx'}:Sheet!2")
    ]


@pytest.mark.parametrize("path", WORKBOOKS, ids=[str(p.relative_to(ROOT)) for p in WORKBOOKS])
def test_a_sheet_checked_streaming_reads_as_one_unpacked_whole(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A sheet part bigger than _WHOLE_SHEET has its bounds checked as a stream before it is unpacked.
    whole = _reading(path)
    monkeypatch.setattr(xlsx, "_WHOLE_SHEET", 0)
    assert _reading(path) == whole


def test_a_sheet_too_wide_is_refused_whether_unpacked_whole_or_streamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"], sheet["XFD1"], sheet["A2000"] = "指标", 1, 1  # 16,384 columns down to row 2,000
    path = tmp_path / "wide.xlsx"
    book.save(path)
    whole = _reading(path)
    assert whole == [
        f'{path}: refused: sheet "Sheet" declares the range A1:XFD2000, 16,384 columns wide, and has rows '
        "down to row 2,000: more than 20,000,000 cells to read; save the data alone as a new workbook or as CSV"
    ]
    monkeypatch.setattr(xlsx, "_WHOLE_SHEET", 0)
    assert _reading(path) == whole
