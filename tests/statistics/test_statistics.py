"""Tests for ipreport.statistics.read: layouts, encodings, numbers, states, duplicates and every error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from cause import CAUSE, matches

from ipreport.errors import InputError
from ipreport.model import Observation, TaskState
from ipreport.statistics.read import read_statistics

FIXTURES = Path(__file__).parents[1] / "fixtures" / "stats"


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def errors(path: Path | str, encoding: str | None = None) -> str:
    with pytest.raises(InputError) as caught:
        read_statistics(path, encoding)
    return str(caught.value)


def test_long_english_header() -> None:
    stats = read_statistics(FIXTURES / "long_en.csv")
    f = fixture("long_en.csv")
    assert stats.layout == "long"
    assert stats.encoding == "utf-8"
    assert stats.path == FIXTURES / "long_en.csv"
    assert stats.warnings == ()
    assert stats.regions == ("吉林省", "青海省")
    assert stats.observations == (
        Observation(
            "每万人口发明专利拥有量",
            2016,
            Decimal("3.36"),
            "吉林省",
            "件/万人",
            "专利统计月报 2016年12月",
            origin=f"{f}:3",
        ),
        Observation(
            "每万人口发明专利拥有量",
            2020,
            Decimal("6.41"),
            "吉林省",
            "件/万人",
            "吉市监议字〔2021〕12号",
            origin=f"{f}:4",
        ),
        Observation(
            "有效注册商标量", 2020, Decimal(254000), "吉林省", "件", "吉市监议字〔2021〕12号", origin=f"{f}:6"
        ),
        Observation(
            "知识产权质押融资额",
            2020,
            Decimal("53.4"),
            "吉林省",
            "亿元",
            "吉市监议字〔2021〕12号",
            origin=f"{f}:7",
        ),
        # line 8 is "—" (missing) and line 9 repeats line 7 with the same value: neither is kept
        Observation("净减少量", 2020, Decimal(-1234), "吉林省", "件", origin=f"{f}:10"),
        Observation(
            "每万人口发明专利拥有量",
            2016,
            Decimal("1.54"),
            "青海省",
            "件/万人",
            "专利统计月报 2016年12月",
            origin=f"{f}:11",
        ),
        Observation(
            "建设知识产权保护中心", 2021, None, "吉林省", state=TaskState.IN_PROGRESS, origin=f"{f}:12"
        ),
        Observation(
            "建设知识产权保护中心",
            2022,
            None,
            "吉林省",
            date=dt.date(2022, 6, 30),
            state=TaskState.DONE,
            origin=f"{f}:13",
        ),
        Observation("专利转化率", 2020, Decimal(12), "吉林省", "%", origin=f"{f}:14"),
    )


def test_long_chinese_header_without_region() -> None:
    stats = read_statistics(FIXTURES / "long_zh.csv")
    f = fixture("long_zh.csv")
    assert stats.regions == ()
    assert [
        (o.indicator, o.year, o.value, o.region, o.unit, o.source, o.origin) for o in stats.observations
    ] == [
        ("每万人口发明专利拥有量", 2016, Decimal("3.36"), None, "件/万人", "专利统计月报", f"{f}:2"),
        ("每万人口发明专利拥有量", 2017, Decimal("4.02"), None, "件/万人", "专利统计月报", f"{f}:3"),
        ("作品登记量", 2020, Decimal(21000), None, "件", "吉市监议字〔2021〕12号", f"{f}:4"),
    ]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("gbk.csv", "gb18030"), ("utf16.csv", "utf-16"), ("bom.csv", "utf-8-sig")],
)
def test_encodings(name: str, encoding: str) -> None:
    stats = read_statistics(FIXTURES / name)
    assert stats.encoding == encoding
    assert [(o.region, o.indicator, o.year, o.value, o.unit) for o in stats.observations] == [
        ("吉林省", "作品登记量", 2020, Decimal(21000), "件"),
        ("吉林省", "植物新品种授权量", 2020, Decimal(326), "件"),
    ]


def test_encoding_argument_overrides() -> None:
    stats = read_statistics(FIXTURES / "gbk.csv", encoding="gbk")
    assert stats.encoding == "gbk"
    assert stats.observations[0].indicator == "作品登记量"


def test_wide_xlsx_skips_hidden_sheet() -> None:
    stats = read_statistics(FIXTURES / "wide.xlsx")
    f = fixture("wide.xlsx")
    assert stats.layout == "wide"
    assert stats.encoding is None
    assert [
        (o.indicator, o.year, o.value, o.unit, o.state, o.source, o.origin) for o in stats.observations
    ] == [
        ("每万人口发明专利拥有量", 2019, Decimal("5.2"), "件/万人", None, "专利统计年报", f"{f}:数据!2"),
        ("每万人口发明专利拥有量", 2020, Decimal("6.41"), "件/万人", None, "专利统计年报", f"{f}:数据!2"),
        ("有效注册商标量", 2019, Decimal("21.3"), "万件", None, "专利统计年报", f"{f}:数据!4"),
        ("有效注册商标量", 2020, Decimal("25.4"), "万件", None, "专利统计年报", f"{f}:数据!4"),
        ("建设知识产权保护中心", 2019, None, "", TaskState.NOT_STARTED, "", f"{f}:数据!5"),
        ("建设知识产权保护中心", 2020, None, "", TaskState.IN_PROGRESS, "", f"{f}:数据!5"),
        ("建设知识产权保护中心", 2021, None, "", TaskState.DONE, "", f"{f}:数据!5"),
    ]
    assert {o.region for o in stats.observations} == {"吉林省"}


def test_wide_csv_with_title_row_and_unused_column(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(
        "2020年吉林省知识产权主要指标,,,\n序号,指标,2019,2020年,2021.0\n1,作品登记量,1.5万,2.1万,\n",
        encoding="utf-8",
    )
    stats = read_statistics(path)
    assert stats.layout == "wide"
    assert [(o.indicator, o.year, o.value, o.region) for o in stats.observations] == [
        ("作品登记量", 2019, Decimal(15000), None),
        ("作品登记量", 2020, Decimal(21000), None),
    ]
    assert stats.warnings == (
        f'{path}:1: row above the header skipped: "2020年吉林省知识产权主要指标"',
        f'{path}: column "序号" is not used',
    )


def test_numbers_years_and_dates_as_offices_write_them(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text(
        "indicator,year,value,date\n"
        'a,2016,"1,234",\n'
        "a,２０１７,１２３,\n"
        "a,2018年,2.4万,\n"
        "a,2019,95%,\n"
        'a,2020,"(1,234)",\n'
        "a,2021,无,\n"
        "a, 2022 , 3 ,\n"
        "a,2023,-,\n"
        "b,2021,Done,2021-03-01\n"
        "c,2022,not_started,\n"
        "d,2022,未启动, 2022/7/1 \n",
        encoding="utf-8",
    )
    stats = read_statistics(path)
    assert [(o.indicator, o.year, o.value, o.state, o.date) for o in stats.observations] == [
        ("a", 2016, Decimal(1234), None, None),
        ("a", 2017, Decimal(123), None, None),
        ("a", 2018, Decimal(24000), None, None),
        ("a", 2019, Decimal(95), None, None),
        ("a", 2020, Decimal(-1234), None, None),
        ("a", 2022, Decimal(3), None, None),
        ("b", 2021, None, TaskState.DONE, dt.date(2021, 3, 1)),
        ("c", 2022, None, TaskState.NOT_STARTED, None),
        ("d", 2022, None, TaskState.NOT_STARTED, dt.date(2022, 7, 1)),
    ]


def test_comments_blank_lines_and_tabs(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    # an unbalanced quote in a comment must not swallow the rows below it
    path.write_text(
        '# 来源: "国家知识产权局\n\n指标\t年份\t数值\n\n作品登记量\t2020\t2.1万\n', encoding="utf-8"
    )
    stats = read_statistics(path)
    assert [(o.indicator, o.year, o.value, o.origin) for o in stats.observations] == [
        ("作品登记量", 2020, Decimal(21000), f"{path}:5")
    ]


def test_conflicting_states(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("indicator,year,value\n建设中心,2021,完成\n建设中心,2021,done\n建设中心,2021,推进中\n")
    assert errors(path) == (
        f"{path}:4: two different values for 建设中心, 2021: done at {path}:2 and in_progress at {path}:4"
    )


def test_long_xlsx_with_typed_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "统计"
    sheet.append(["地区", "指标", "年份", "数值", "日期"])
    sheet.append(["吉林省", "作品登记量", 2020, 21000, None])
    sheet.append(["吉林省", "比例", 2020.0, 0.1, None])
    sheet.append(["吉林省", "建设中心", "2021年", "已完成", dt.datetime(2021, 5, 4)])
    path = tmp_path / "l.xlsx"
    book.save(path)
    stats = read_statistics(path)
    assert stats.layout == "long"
    assert [(o.indicator, o.year, o.value, o.state, o.date, o.origin) for o in stats.observations] == [
        ("作品登记量", 2020, Decimal(21000), None, None, f"{path}:统计!2"),
        ("比例", 2020, Decimal("0.1"), None, None, f"{path}:统计!3"),
        ("建设中心", 2021, None, TaskState.DONE, dt.date(2021, 5, 4), f"{path}:统计!4"),
    ]


def test_not_xlsx_html_and_a_damaged_xls(tmp_path: Path) -> None:
    html = tmp_path / "page.xlsx"
    html.write_bytes(b"<html><body>export</body></html>")
    assert errors(html) == f"{html}: not an Excel .xlsx file (it looks like an HTML page)"
    # An old-format workbook under an .xlsx name is read by its content (tests/statistics/test_workbooks.py);
    # one cut short is damaged.
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    expected = f"{old}: the workbook is damaged and cannot be read ({CAUSE}); open it in Excel and save it again"
    assert matches(expected, errors(old))


def test_row_problems_in_wide_layout(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("地区,指标,2019,2020\n吉林省,作品登记量,很多,1\n吉林省,,1,2\n", encoding="utf-8")
    assert errors(path) == "\n".join(
        [
            f'{path}:2: 2019: expected a number such as "1,234", "2.4万" or "95%", found "很多"',
            f"{path}:3: indicator: indicator is empty",
        ]
    )


def test_wide_without_indicator_column(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("名称,2019,2020\n作品登记量,1,2\n", encoding="utf-8")
    assert errors(path) == (
        f"{path}:1: the header has year columns but no indicator column (指标 or indicator); "
        'found "名称", "2019", "2020"'
    )


def test_bad_values_are_all_reported() -> None:
    f = fixture("bad_values.csv")
    assert errors(FIXTURES / "bad_values.csv") == "\n".join(
        [
            f'{f}:2: value: expected a number such as "1,234", "2.4万" or "95%", found "很多"',
            f'{f}:3: year: expected a year such as 2020 or "2020年", found "2020年度"; write it as 2020',
            f'{f}:4: year: expected a year such as 2020 or "2020年", found "二〇二〇"; write it as 2020',
            f"{f}:5: region: region is empty; write the region on every row",
            f'{f}:6: date: expected a date such as 2022-06-30 or "2022年6月30日", found "2021年13月1日"',
        ]
    )


def test_conflicting_duplicates_name_both_rows() -> None:
    f = fixture("conflict.csv")
    # line 3 says the same as line 2 in another unit (2.1 万件 = 21000 件) and is accepted
    assert errors(FIXTURES / "conflict.csv") == (
        f"{f}:4: two different values for 作品登记量, 吉林省, 2020: 21000件 at {f}:2 and 22000件 at {f}:4"
    )


def test_empty_file() -> None:
    assert errors(FIXTURES / "empty.csv") == (
        f"{fixture('empty.csv')}: the file is empty; expected a header row such as "
        '"region,indicator,year,value" (or "地区,指标,年份,数值")'
    )


def test_header_only() -> None:
    assert errors(FIXTURES / "header_only.csv") == (
        f"{fixture('header_only.csv')}:2: the file has a header row but no data rows below it"
    )


def test_missing_column() -> None:
    assert errors(FIXTURES / "missing_column.csv") == (
        f"{fixture('missing_column.csv')}:1: missing column year (年份); "
        'the header has "region", "indicator", "value"'
    )


def test_unknown_layout() -> None:
    assert errors(FIXTURES / "unknown_layout.csv") == (
        f'{fixture("unknown_layout.csv")}:1: cannot tell the layout from the header "名称", "数量": '
        "expected a long layout with columns region, indicator, year, value (地区, 指标, 年份, 数值), "
        "or a wide layout with an indicator column (指标) and one column per year (2019, 2020年)"
    )


def test_wide_bad_year_header() -> None:
    assert errors(FIXTURES / "wide_bad_year.csv") == (
        f'{fixture("wide_bad_year.csv")}:1: header: expected a year such as 2020 or "2020年", found "2020年度"; write it as 2020'
    )


def test_undecodable_bytes() -> None:
    f = fixture("undecodable.csv")
    assert errors(FIXTURES / "undecodable.csv") == (
        f"{f}: cannot decode the file: it is neither utf-8 (byte 0xFF at offset 61, line 3) "
        "nor gb18030 (byte 0x81 at offset 36, line 2); save it as UTF-8, or give its encoding "
        "explicitly (such as gb18030 or utf-16)"
    )


def test_formula_without_cached_value() -> None:
    assert errors(FIXTURES / "formula.xlsx") == (
        f"{fixture('formula.xlsx')}:Sheet1!3: value: cell D3 holds the formula =D2*2 but no calculated "
        "value; open the file in Excel and save it, or type the value"
    )


def test_not_a_zip_xlsx() -> None:
    assert errors(FIXTURES / "not_zip.xlsx") == (
        f"{fixture('not_zip.xlsx')}: not an Excel .xlsx file (it looks like a CSV or text file; "
        "give it a .csv name)"
    )


def test_missing_file(tmp_path: Path) -> None:
    assert errors(tmp_path / "none.csv") == f"{tmp_path / 'none.csv'}: no such file"


# ---------------------------------------------------------------- big files are streamed

BIG_ROWS = 120_000  # about 11 MB: big enough that holding the file would show, small enough for CI


def _write_big(path: Path, tail: bytes = b"") -> int:
    """A long CSV of BIG_ROWS rows repeating 200 readings (so few observations are kept)."""
    block = "".join(
        f"某省,知识产权指标{i % 20:02d}号（按季度汇总的统计口径）,{2011 + i // 20},{i % 10}.5,件,统计年报\n"
        for i in range(200)
    ).encode("utf-8")
    with path.open("wb") as handle:
        handle.write(b"region,indicator,year,value,unit,source\n")
        for _ in range(BIG_ROWS // 200):
            handle.write(block)
        handle.write(tail)
    return path.stat().st_size


@pytest.mark.slow
def test_a_big_csv_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "big.csv"
    size = _write_big(path)
    tracemalloc.start()
    try:
        stats = read_statistics(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(stats.observations) == 200
    assert size > 10_000_000
    # Reading the bytes whole (and their text) took more than twice the file's size.
    assert peak < 2_000_000, f"peak {peak:,} bytes for a file of {size:,}"


def test_a_bad_byte_at_the_end_of_a_big_csv_is_located(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    size = _write_big(path, tail=b"\xff\n")
    with pytest.raises(InputError) as caught:
        read_statistics(path, encoding="utf-8")
    assert str(caught.value) == (
        f"{path}:{BIG_ROWS + 2}: cannot decode the file as utf-8 (the encoding given): "
        f"byte 0xFF at offset {size - 2}, line {BIG_ROWS + 2}"
    )


# ---------------------------------------------------------------- percentages, semicolons, year dates


def percent_book(path: Path, rows: list[list[object]], formats: dict[str, str]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数据"
    for row in rows:
        sheet.append(row)
    for ref, number_format in formats.items():
        sheet[ref].number_format = number_format
    book.save(path)
    return path


def test_xlsx_percent_formatted_cells_are_percent_numbers(tmp_path: Path) -> None:
    # Excel stores a typed 93% as 0.93 with the format 0%; the sheet shows 93%, and 93 is meant.
    path = percent_book(
        tmp_path / "p.xlsx",
        [
            ["指标", "单位", 2019, 2020],
            ["专利纠纷案件结案率", "%", 0.93, 0.955],
            ["无单位结案率", None, 1, None],
            ["文字百分号", "%", 0.5, 7],
        ],
        # A quoted or escaped "%" is a literal sign: the cell holds 0.5 and 7 as typed.
        {"C2": "0%", "D2": "0.0%", "C3": "0%", "C4": '0.0"%"', "D4": "0\\%"},
    )
    stats = read_statistics(path)
    assert [(o.indicator, o.year, o.value, o.unit) for o in stats.observations] == [
        ("专利纠纷案件结案率", 2019, Decimal(93), "%"),
        ("专利纠纷案件结案率", 2020, Decimal("95.5"), "%"),
        ("无单位结案率", 2019, Decimal(100), "%"),
        ("文字百分号", 2019, Decimal("0.5"), "%"),
        ("文字百分号", 2020, Decimal(7), "%"),
    ]


def test_a_percent_value_in_a_row_of_another_unit_is_a_unit_mismatch(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "region,indicator,year,value,unit\n"
        "某省,知识产权质押融资额,2020,30,亿元\n"
        "某省,知识产权质押融资额,2023,95%,亿元\n"
        "某省,专利纠纷案件结案率,2023,95％,％\n",
        encoding="utf-8",
    )
    assert errors(path) == (
        f'{path}:3: value: unit mismatch: the value "95%" is written with "%" but the unit of the row is '
        '"亿元"; write the value without "%", or give the unit "%"'
    )
    book = percent_book(
        tmp_path / "w.xlsx", [["指标", "单位", 2023], ["知识产权质押融资额", "亿元", 0.95]], {"C2": "0%"}
    )
    assert errors(book) == (
        f'{book}:数据!2: 2023: unit mismatch: the value "95%" is written with "%" but the unit of the row is '
        '"亿元"; write the value without "%", or give the unit "%"'
    )


def test_a_percent_value_without_a_unit_takes_the_unit_percent(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("indicator,year,value\n知识产权质押融资额,2023,95%\n结案率,2023,95\n", encoding="utf-8")
    assert [(o.value, o.unit) for o in read_statistics(path).observations] == [
        (Decimal(95), "%"),
        (Decimal(95), ""),
    ]


def test_semicolon_separated_csv(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("region;indicator;year;value\n某省;作品登记量;2020;2.1万\n", encoding="utf-8")
    stats = read_statistics(path)
    assert [(o.region, o.indicator, o.year, o.value) for o in stats.observations] == [
        ("某省", "作品登记量", 2020, Decimal(21000))
    ]
    # Semicolons mostly come with decimal commas: said, not guessed.
    path.write_text("indicator;year;value\n作品登记量;2020;6,3\n", encoding="utf-8")
    assert errors(path) == (
        f'{path}:2: value: expected a number such as "1,234", "2.4万" or "95%", found "6,3"; '
        "write the decimal mark as a point: 6.3"
    )


def test_xlsx_dates_formatted_as_years_are_years(tmp_path: Path) -> None:
    long = percent_book(
        tmp_path / "long.xlsx",
        [
            ["指标", "年份", "数值"],
            ["作品登记量", dt.datetime(2020, 1, 1), 5],
            ["作品登记量", dt.datetime(2021, 1, 1), 6],
        ],
        {"B2": "yyyy", "B3": 'yyyy"年"'},
    )
    assert [(o.year, o.value) for o in read_statistics(long).observations] == [(2020, 5), (2021, 6)]
    wide = percent_book(
        tmp_path / "wide.xlsx",
        [["指标", dt.datetime(2020, 1, 1), dt.datetime(2021, 1, 1)], ["作品登记量", 5, 6]],
        {"B1": "yyyy", "C1": "[$-804]yyyy年"},
    )
    stats = read_statistics(wide)
    assert stats.layout == "wide"
    assert [(o.year, o.value) for o in stats.observations] == [(2020, 5), (2021, 6)]
    # A full date in the year column is not taken for its year.
    dated = percent_book(
        tmp_path / "dated.xlsx", [["指标", "年份", "数值"], ["作品登记量", dt.datetime(2020, 3, 1), 5]], {}
    )
    assert errors(dated) == (
        f'{dated}:数据!2: 年份: expected a year such as 2020 or "2020年", found "2020-03-01"'
    )


def test_stats_template_round_trip_with_a_percent_typed_in_excel(tmp_path: Path) -> None:
    from ipreport.api import assess_files
    from ipreport.workspace.stats_template import write_stats_template

    plan = Path(__file__).parents[1] / "fixtures" / "cli" / "mini.toml"
    sheet_path, _ = write_stats_template([str(plan)], tmp_path / "sheet.xlsx")
    book = openpyxl.load_workbook(sheet_path)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[headers.index("指标")].value == "专利纠纷案件结案率"]
    assert row[headers.index("单位")].value == "%"
    # What Excel stores when "93%" is typed into a General cell: the fraction, and the format 0%.
    cell = row[headers.index(2023)]
    cell.value, cell.number_format = 0.93, "0%"
    book.save(sheet_path)
    (observation,) = read_statistics(sheet_path).observations
    assert (observation.indicator, observation.year, observation.value) == ("专利纠纷案件结案率", 2023, 93)
    assessment = assess_files([str(plan)], sheet_path)
    (closure,) = [r for r in assessment.rows if r.target.id == "closure-rate"]
    assert closure.latest is not None and closure.latest.value == 93


@pytest.mark.parametrize("quoted", [False, True])
def test_a_cell_longer_than_csv_reads_is_a_problem_not_a_crash(tmp_path: Path, quoted: bool) -> None:
    # csv refuses a field over 131,072 characters; that used to end in a traceback.
    stats = tmp_path / "s.csv"
    cell = "x" * 140_000
    cell = f'"{cell[:10]}\n{cell}"' if quoted else cell  # quoted, it spans two lines
    stats.write_text(f"地区,指标,年份,数值\n吉林省,专利,2020,1\n吉林省,{cell},2021,2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_statistics(stats)
    if quoted:  # said at the line the quoted cell starts on, where an unclosed quote would be
        assert str(caught.value) == (
            f'{stats}:3: a cell that starts on this line in quotes runs on past line 4 and 131,072 '
            "characters, more than a CSV file's cell may hold; is a quote (\") never closed?"
        )
        return
    assert str(caught.value) == (
        f"{stats}:3: a cell is longer than 131,072 characters, more than a CSV "
        "file's cell may hold; is it a CSV file?"
    )


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_a_quote_never_closed_in_a_big_file_is_found_where_it_opens(tmp_path: Path, layout: str) -> None:
    # Long rows take the fast loop, wide ones the general one; the quote swallows 20,000 rows.
    stats = tmp_path / "s.csv"
    if layout == "long":
        rows = ["地区,指标,年份,数值", "吉林省,专利,2020,1", '吉林省,"专利,2021,2']
        rows += [f"吉林省,指标{n},2021,{n}" for n in range(20_000)]
    else:
        rows = ["指标,2020,2021", "专利,1,2", '"商标,3,4']
        rows += [f"指标{n},{n},{n}" for n in range(20_000)]
    stats.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_statistics(stats)
    (problem,) = caught.value.problems
    assert (problem.line, problem.message.split(";")[-1]) == (3, ' is a quote (") never closed?')


@pytest.mark.parametrize(
    ("encoding", "given"),
    [("utf-8", None), ("gb18030", None), ("utf-16", None), ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le")],
)
def test_comment_lines_are_skipped_in_every_encoding(tmp_path: Path, encoding: str, given: str | None) -> None:
    # Files without a "#" skip the per-line comment check; a comment must still be one in every encoding.
    path = tmp_path / "t.csv"
    text = '# 来源: "局\n指标,年份,数值,备注\n作品登记量,2020,5,第#1批\n#作品登记量,2021,6,\n'
    path.write_bytes(text.encode(encoding))  # "utf-16" writes a BOM, which auto-detection reads
    stats = read_statistics(path, encoding=given)
    assert [(o.indicator, o.year, o.note, o.origin) for o in stats.observations] == [
        ("作品登记量", 2020, "第#1批", f"{path}:3")
    ]


def test_a_file_without_comments_reads_the_same_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ipreport.statistics import read as statistics
    path = tmp_path / "t.csv"
    path.write_text("地区,指标,年份,数值\n吉林省,专利,2020,1\n\n吉林省,专利,2021,2\n", encoding="utf-8")
    assert not statistics._may_have_comments(path, None)
    assert statistics._may_have_comments(path, "utf-16")  # "#" is no single 0x23 byte there
    fast = read_statistics(path)
    monkeypatch.setattr(statistics, "_may_have_comments", lambda path, encoding: True)
    assert read_statistics(path) == fast


def test_a_value_past_the_digit_bound_is_refused_with_its_cell(tmp_path: Path) -> None:
    # 29 digits overflowed Decimal's context when the report rounded it (decimal.InvalidOperation).
    path = tmp_path / "s.csv"
    path.write_text("indicator,year,value\n专利,2023,12345678901234567890123456789\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_statistics(path)
    assert str(caught.value) == (
        f'{path}:2: value: expected a number of at most 18 digits, found "123456789012345678901234…" (29 characters)'
    )


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_a_number_split_by_an_unquoted_thousands_comma_is_refused_not_read_short(tmp_path, layout):
    # "1,200" without quotes is the cells 1 and 200: reading 1 would put a wrong number in the report.
    path = tmp_path / "s.csv"
    if layout == "long":
        path.write_text("indicator,year,value\n专利授权量,2023,1,200\n", encoding="utf-8")
    else:
        path.write_text("indicator,2023\n专利授权量,1,200\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_statistics(path)
    assert [str(problem) for problem in caught.value.problems] == [
        f'{path}:2: the row has 4 cells but the header only 3 columns ("200" belong to none); write numbers '
        'without a thousands comma (254000) or in quotes ("254,000")'
        if layout == "long" else
        f'{path}:2: the row has 3 cells but the header only 2 columns ("200" belong to none); write numbers '
        'without a thousands comma (254000) or in quotes ("254,000")'
    ]


def test_empty_cells_past_the_header_are_read_as_before(tmp_path):
    # Excel's CSV export pads rows with empty cells; they hold nothing and refuse nothing.
    path = tmp_path / "s.csv"
    path.write_text("indicator,year,value\n专利授权量,2023,1200,,\n专利授权量,2022,1100, ,\n", encoding="utf-8")
    stats = read_statistics(path)
    assert [(o.year, o.value) for o in stats.observations] == [(2023, 1200), (2022, 1100)]
