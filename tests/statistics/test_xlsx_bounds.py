"""Bounds on .xlsx workbooks, checked before openpyxl reads them (the corpus has the whole-file cases)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipreport.errors import InputError
from ipreport.statistics import xlsx_bounds
from ipreport.statistics.xlsx_bounds import check_sheet_size, check_workbook_package

PART = "xl/worksheets/sheet1.xml"


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _problem(call: object) -> str:
    with pytest.raises(InputError) as caught:
        call()  # type: ignore[operator]
    return str(caught.value.problems[0])


def test_shared_strings_bigger_than_the_bound_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_bounds, "MAX_SHARED_STRINGS", 1000)
    data = _zip({"xl/sharedStrings.xml": b"<sst>" + bytes(range(256)) * 8 + b"</sst>"})
    assert _problem(lambda: check_workbook_package(data, "b.xlsx")) == (
        "b.xlsx: refused: the workbook's text (sharedStrings) unpacks to 0 MB (at most 0 MB are read); "
        "save the data alone as a new workbook or as CSV"
    )


def test_more_rows_than_excel_has_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_bounds, "MAX_ROWS", 10)
    data = _zip({PART: b"<worksheet><sheetData>" + b"<row/>" * 11 + b"</sheetData></worksheet>"})
    assert _problem(lambda: check_sheet_size(data, PART, "b.xlsx", "数据")) == (
        'b.xlsx: refused: sheet "数据" has more than 10 rows; save the data alone as a new workbook or as CSV'
    )


def test_a_damaged_or_missing_part_is_left_to_the_reader() -> None:
    check_sheet_size(_zip({"other.xml": b"<x/>"}), PART, "b.xlsx", "数据")
    check_workbook_package(b"PK\x03\x04 not really a zip", "b.xlsx")


def _reference_cost(xml: bytes) -> tuple[int, int, int, int]:
    """(rows, cells, last row's number, last row x declared width) computed on the whole text at once."""
    dimension = re.search(rb'<dimension ref="([A-Z]+)\d+:([A-Z]+)\d+"', xml)
    width = 0
    if dimension:
        def number(letters: bytes) -> int:
            value = 0
            for letter in letters:
                value = value * 26 + letter - 64
            return value
        width = number(dimension[2]) - number(dimension[1]) + 1
    last = rows = 0
    for found in re.finditer(rb'<(?:x:)?row(?: r="(\d+)")?\s*/?>', xml):
        rows += 1
        last = int(found[1]) if found[1] else last + 1
    return rows, len(re.findall(rb"<(?:x:)?c[ >/]", xml)), last, last * width


_row = st.tuples(st.integers(0, 3), st.integers(0, 4)).map(
    lambda t: (t[0], (b"<c/>" + b'<c r="A1"><v>1</v></c>' * t[1]))
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    dimension=st.one_of(st.none(), st.sampled_from([b"A1:D9", b"A1:XFD9", b"B2:AB30", b"A1:Z1048576"])),
    rows=st.lists(_row, max_size=40),
    chunk=st.integers(7, 64),
    limit_rows=st.integers(1, 40),
    limit_cells=st.integers(1, 2000),
    prefix=st.sampled_from([b"", b"x:"]),
)
def test_streamed_bounds_agree_with_counting_the_whole_sheet(
    dimension: bytes | None, rows: list[tuple[int, bytes]], chunk: int, limit_rows: int, limit_cells: int,
    prefix: bytes,
) -> None:
    # Small chunks put tag borders anywhere; small limits make both answers happen.
    body = b""
    number = 0
    for gap, cells in rows:
        number += gap + 1
        # A namespace prefix (<x:row>, <x:c>) takes the bounds' slower patterns.
        row = (b'<row r="%d">' % number if gap else b"<row>") + cells + b"</row>"
        body += row.replace(b"<row", b"<" + prefix + b"row").replace(b"<c", b"<" + prefix + b"c").replace(
            b"</row", b"</" + prefix + b"row")
    xml = b"<worksheet>" + (b'<dimension ref="' + dimension + b'"/>' if dimension else b"") + (
        b"<sheetData>" + body + b"</sheetData></worksheet>"
    )
    data = _zip({PART: xml})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xlsx_bounds, "_CHUNK", chunk)
        patch.setattr(xlsx_bounds, "MAX_ROWS", limit_rows)
        patch.setattr(xlsx_bounds, "MAX_CELLS", limit_cells)
        # The rows' own numbers may run ahead of their count (gaps); both are bounded by MAX_ROWS.
        row_count, cell_count, last, padded = _reference_cost(xml)
        expected = row_count > limit_rows or last > limit_rows or cell_count > limit_cells or padded > limit_cells
        try:
            check_sheet_size(data, PART, "b.xlsx", "数据")
        except InputError as exc:
            assert expected, str(exc)
        else:
            assert not expected


def _needs_zip_version(data: bytes, version: int) -> bytes:
    """The archive with every central-directory entry asking for a newer zip version than Python reads."""
    patched = bytearray(data)
    at = patched.find(b"PK\x01\x02")
    while at != -1:
        patched[at + 6:at + 8] = version.to_bytes(2, "little")  # "version needed to extract"
        at = patched.find(b"PK\x01\x02", at + 4)
    return bytes(patched)


def test_a_zip_version_python_cannot_read_is_left_to_the_reader() -> None:
    # Found by the fuzz test: zipfile raises NotImplementedError ("zip file version 6.4"), a traceback.
    data = _needs_zip_version(_zip({PART: b"<worksheet><sheetData><row/></sheetData></worksheet>"}), 64)
    check_workbook_package(data, "b.xlsx")
    check_sheet_size(data, PART, "b.xlsx", "数据")


def test_a_workbook_in_a_newer_zip_version_is_one_error_line(tmp_path) -> None:
    import openpyxl
    from click.testing import CliRunner

    from ipreport.cli import cli

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["indicator", "year", "value"])
    sheet.append(["专利授权量", 2023, 5])
    buffer = io.BytesIO()
    book.save(buffer)
    stats = tmp_path / "s.xlsx"
    stats.write_bytes(_needs_zip_version(buffer.getvalue(), 64))
    plan = Path(__file__).parents[1] / "fixtures" / "cli" / "mini.toml"
    result = CliRunner().invoke(cli, ["--ui-lang", "en", "gaps", str(plan), "--stats", str(stats)])
    assert result.exit_code in (0, 1), result.output
    assert not isinstance(result.exception, NotImplementedError)
    if result.exit_code == 1:
        assert result.stderr.startswith(f"Error: {stats}")


def test_rows_without_a_number_count_on_from_the_last_numbered_one(monkeypatch: pytest.MonkeyPatch) -> None:
    # One chunk holds them all: the last row is row 7 (5, then two more), beyond a bound of 6.
    monkeypatch.setattr(xlsx_bounds, "MAX_ROWS", 6)
    data = _zip({PART: b'<worksheet><sheetData><row r="5"/><row/><row/></sheetData></worksheet>'})
    assert _problem(lambda: check_sheet_size(data, PART, "b.xlsx", "数据")) == (
        'b.xlsx: refused: sheet "数据" has more than 6 rows; save the data alone as a new workbook or as CSV'
    )
    check_sheet_size(_zip({PART: b'<worksheet><sheetData><row r="5"/><row/></sheetData></worksheet>'}),
                     PART, "b.xlsx", "数据")
