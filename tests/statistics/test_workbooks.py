"""Workbooks of every format an office saves, read in one pass by python-calamine and told apart by content."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from ipreport.model import TaskState
from ipreport.statistics.read import read_statistics

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stats"
# The same rows in both files (tests/fixtures/stats/make_fixtures.py tells how they were written);
# 结案率 is typed as 93% in a cell formatted 0%.
XLSX = FIXTURES / "long_for_xls.xlsx"
XLS = FIXTURES / "long.xls"
ROWS = [
    ("作品登记量", 2020, Decimal(21000), None, None, "件"),
    ("作品登记量", 2021, Decimal("23456.5"), None, None, "件"),
    ("建设中心", 2021, None, TaskState.DONE, dt.date(2021, 5, 4), ""),
]


def _rows(path: Path) -> list[tuple[object, ...]]:
    return [(o.indicator, o.year, o.value, o.state, o.date, o.unit) for o in read_statistics(path).observations]


def test_xlsx_keeps_its_percent_format_and_skips_its_hidden_sheet():
    assert _rows(XLSX) == [*ROWS, ("结案率", 2021, Decimal(93), None, None, "%")]
    assert read_statistics(XLSX).warnings == ()


def test_an_old_xls_is_read_and_a_fraction_in_percent_is_pointed_out():
    statistics = read_statistics(XLS)
    assert _rows(XLS) == [*ROWS, ("结案率", 2021, Decimal("0.93"), None, None, "%")]
    assert statistics.observations[0].origin == f"{XLS}:统计!2"
    assert statistics.warnings == (
        f'{XLS}:统计!5: "结案率" is in % but its value is 0.93 (1 such value); a cell formatted as a '
        "percentage cannot be told from its fraction in .xls and .ods files: if the sheet shows 93%, "
        "save the workbook as .xlsx",
    )


@pytest.mark.parametrize(("source", "name"), [(XLSX, "book.xls"), (XLSX, "book.et"), (XLS, "book.et"),
                                              (XLS, "book.xlsx")])
def test_a_renamed_workbook_is_read_by_its_content(tmp_path: Path, source: Path, name: str):
    renamed = tmp_path / name
    shutil.copyfile(source, renamed)
    assert _rows(renamed) == _rows(source)


def _ods(path: Path, rows: list[list[tuple[str, str]]]) -> Path:
    """A minimal OpenDocument spreadsheet: (value type, value) cells."""
    cells = []
    for row in rows:
        parts = []
        for kind, value in row:
            if kind == "string":
                parts.append(f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>')
            else:
                parts.append(f'<table:table-cell office:value-type="float" office:value="{value}">'
                             f"<text:p>{value}</text:p></table:table-cell>")
        cells.append("<table:table-row>" + "".join(parts) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="数据">'
        + "".join(cells) + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_an_ods_sheet_is_read(tmp_path: Path):
    path = _ods(tmp_path / "book.ods", [
        [("string", "地区"), ("string", "指标"), ("string", "年份"), ("string", "数值"), ("string", "单位")],
        [("string", "吉林省"), ("string", "作品登记量"), ("float", "2020"), ("float", "21000"), ("string", "件")],
        [("string", "吉林省"), ("string", "作品登记量"), ("float", "2021"), ("float", "23456.5"), ("string", "件")],
    ])
    statistics = read_statistics(path)
    assert _rows(path) == ROWS[:2]
    assert statistics.observations[1].origin == f"{path}:数据!3"
