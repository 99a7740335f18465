"""The statistics sheet: its layout, drop-downs and kept values, and that a filled-in sheet is read as it is."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from ipreport.api import assess_files
from ipreport.cli import cli
from ipreport.errors import InputError, OptionError
from ipreport.model import Status
from ipreport.plans.load import load_plans
from ipreport.statistics.read import read_statistics
from ipreport.workspace.stats_template import build_sheet, sheet_csv, write_stats_template

FIXTURES = Path(__file__).parents[1] / "fixtures" / "cli"
PLAN = str(FIXTURES / "mini.toml")
STATS = str(FIXTURES / "mini.csv")
YEARS = [2020, 2021, 2022, 2023, 2024, 2025]


def _rows_by_indicator(ws) -> dict[str, int]:
    return {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}


def _column_of(ws, year: int) -> int:
    return [cell.value for cell in ws[1]].index(year) + 1


# ------------------------------------------------------------------ round trip


def test_filled_in_workbook_is_assessed_without_editing_the_layout(tmp_path):
    out = tmp_path / "统计数据.xlsx"
    write_stats_template([PLAN], out)
    book = openpyxl.load_workbook(out)
    ws = book["统计数据"]
    rows = _rows_by_indicator(ws)
    ws.cell(rows["每万人口高价值发明专利拥有量"], _column_of(ws, 2020), 6.3)
    ws.cell(rows["每万人口高价值发明专利拥有量"], _column_of(ws, 2023), 11.8)
    ws.cell(rows["专利纠纷案件结案率"], _column_of(ws, 2020), 90)
    ws.cell(rows["专利纠纷案件结案率"], _column_of(ws, 2023), 88)
    ws.cell(rows["建成知识产权公共服务平台"], _column_of(ws, 2023), "已完成")
    book.save(out)

    assessment = assess_files([PLAN], out)
    assert assessment.year == 2023
    assert [(r.target.id, r.status) for r in assessment.rows] == [
        ("patents-per-10k", Status.AHEAD),
        ("closure-rate", Status.REGRESSING),
        ("platform", Status.DONE),
    ]
    assert assessment.warnings == ()
    result = CliRunner().invoke(cli, ["gaps", PLAN, "--stats", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("合计 3 项：快于预期 1 · 逆向变化 1 · 已完成 1")


def test_filled_in_csv_is_assessed_without_editing_the_layout(tmp_path):
    out = tmp_path / "统计数据.csv"
    write_stats_template([PLAN], out)
    text = out.read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    table[1][3], table[1][6] = "6.3", "11.8"  # 指标, 单位, 完成日期, then 2020...
    table[3][6] = "推进中"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    out.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    statuses = [r.status for r in assess_files([PLAN], out).rows]
    assert statuses == [Status.AHEAD, Status.NO_DATA, Status.OVERDUE]


def test_empty_template_reads_as_no_data_everywhere(tmp_path):
    out = tmp_path / "empty.xlsx"
    write_stats_template([PLAN], out)
    assert [r.status for r in assess_files([PLAN], out, year=2023).rows] == [Status.NO_DATA] * 3


# ------------------------------------------------------------------ layout


def test_workbook_layout_dropdown_frozen_bold_widths(tmp_path):
    out = tmp_path / "t.xlsx"
    write_stats_template([PLAN], out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["统计数据", "填写说明"]
    ws = book["统计数据"]
    assert [c.value for c in ws[1]] == ["指标", "单位", "完成日期", *YEARS]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [
        ["每万人口高价值发明专利拥有量", "件/万人", *[None] * 7],
        ["专利纠纷案件结案率", "%", *[None] * 7],
        ["建成知识产权公共服务平台", None, *[None] * 7],
    ]
    assert all(cell.font.bold for cell in ws[1])
    assert ws["C4"].number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == "D2"
    assert ws.column_dimensions["A"].width == 30  # 14 CJK characters, counted double, plus 2
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1
    assert validations[0].type == "list"
    assert validations[0].formula1 == '"已完成,推进中,未启动"'
    assert str(validations[0].sqref) == "D4:I4"


def test_shared_indicator_gives_one_row_and_several_regions_a_region_column(tmp_path):
    twin = tmp_path / "twin.toml"
    twin.write_text(
        Path(PLAN).read_text(encoding="utf-8").replace('id = "mini"', 'id = "twin"').replace("某省", "某市")
        .replace('id = "closure-rate"', 'id = "closure-rate"\nyear = 2027'),
        encoding="utf-8",
    )
    same = tmp_path / "same.toml"
    same.write_text(Path(PLAN).read_text(encoding="utf-8").replace('id = "mini"', 'id = "same"'), encoding="utf-8")
    sheet = build_sheet(load_plans([PLAN, str(same), str(twin)]))
    assert sheet.headers == ["地区", "指标", "单位", "完成日期", *YEARS, 2026, 2027]
    assert [(r.region, r.indicator) for r in sheet.rows] == [
        ("某省", "每万人口高价值发明专利拥有量"),
        ("某省", "专利纠纷案件结案率"),
        ("某省", "建成知识产权公共服务平台"),
        ("某市", "每万人口高价值发明专利拥有量"),
        ("某市", "专利纠纷案件结案率"),
        ("某市", "建成知识产权公共服务平台"),
    ]


def test_csv_has_bom_header_and_crlf(tmp_path):
    out = tmp_path / "t.csv"
    write_stats_template([PLAN], out)
    data = out.read_bytes()
    assert data.startswith("\ufeff指标,单位,完成日期,2020,2021,2022,2023,2024,2025\r\n".encode())
    assert read_statistics(out).layout == "wide"


def test_text_cells_cannot_become_formulas(tmp_path):
    plan = tmp_path / "f.toml"
    plan.write_text(
        # A "%" value under another unit is refused, so the target loses its "%" with its unit.
        Path(PLAN).read_text(encoding="utf-8").replace('unit = "%"', 'unit = "=1+1"').replace('"95%"', "95"),
        encoding="utf-8",
    )
    sheet = build_sheet(load_plans([str(plan)]))
    assert "\r\n专利纠纷案件结案率,'=1+1," in sheet_csv(sheet)
    out = tmp_path / "f.xlsx"
    write_stats_template([str(plan)], out)
    cell = openpyxl.load_workbook(out)["统计数据"]["B3"]
    assert (cell.value, cell.data_type) == ("'=1+1", "s")


# ------------------------------------------------------------------ values already known


def test_known_values_are_kept_and_read_back_the_same(tmp_path):
    out = tmp_path / "t.xlsx"
    write_stats_template([PLAN], out, existing=STATS)
    ws = openpyxl.load_workbook(out)["统计数据"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [
        ["每万人口高价值发明专利拥有量", "件/万人", None, 6.3, None, None, 11.8, None, None],
        ["专利纠纷案件结案率", "%", None, 90, None, None, 88, None, None],
        ["建成知识产权公共服务平台", None, None, None, None, None, "推进中", None, None],
    ]
    before = [(r.target.id, r.status, r.latest) for r in assess_files([PLAN], STATS).rows]
    after = [(r.target.id, r.status, r.latest) for r in assess_files([PLAN], out).rows]
    assert after == before


def test_known_values_are_converted_and_unplanned_ones_kept(tmp_path):
    plan = tmp_path / "p.toml"
    plan.write_text(Path(PLAN).read_text(encoding="utf-8").replace('"件/万人"', '"件"'), encoding="utf-8")
    stats = tmp_path / "old.csv"
    stats.write_text(
        "地区,指标,年份,数值,单位\n"
        "某省,专利纠纷案件结案率,2018,91,%\n"
        "某省,每万人口高价值发明专利拥有量,2021,1.25,万件\n"
        "某省,专利申请量,2021,1.2,万件\n"
        "某市,专利纠纷案件结案率,2021,80,%\n",
        encoding="utf-8",
    )
    sheet = build_sheet(load_plans([str(plan)]), read_statistics(stats))
    assert sheet.headers == ["地区", "指标", "单位", "完成日期", 2018, 2019, *YEARS]
    assert [sheet.cells(r) for r in sheet.rows] == [
        ["某省", "每万人口高价值发明专利拥有量", "件", None, None, None, None, 12500, *[None] * 4],
        ["某省", "专利纠纷案件结案率", "%", None, 91, *[None] * 7],
        ["某省", "建成知识产权公共服务平台", "", None, *[None] * 8],
        ["某省", "专利申请量", "万件", None, None, None, None, 1.2, *[None] * 4],
        ["某市", "专利纠纷案件结案率", "%", None, None, None, None, 80, *[None] * 4],
    ]


def test_known_value_in_an_unrelated_unit_is_an_error(tmp_path):
    stats = tmp_path / "old.csv"
    stats.write_text("指标,年份,数值,单位\n专利纠纷案件结案率,2021,3,件\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        write_stats_template([PLAN], tmp_path / "t.xlsx", existing=stats)
    assert str(caught.value) == (
        f'{stats}:2: unit: unit "件" of "专利纠纷案件结案率" does not match the unit "%" of the sheet row; '
        "only a 万/亿/千/百 prefix is converted"
    )
    assert not (tmp_path / "t.xlsx").exists()


def test_completion_date_is_carried_into_the_sheet_and_read_back(tmp_path):
    import datetime as dt

    stats = tmp_path / "old.csv"
    stats.write_text("指标,年份,数值,日期\n建成知识产权公共服务平台,2023,已完成,2023-05-01\n", encoding="utf-8")
    for name in ("t.csv", "t.xlsx"):
        out, warnings = write_stats_template([PLAN], tmp_path / name, existing=stats)
        assert warnings == ()
        task = assess_files([PLAN], out, year=2023).rows[-1]
        assert (task.status, task.completed) == (Status.DONE, dt.date(2023, 5, 1))
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["统计数据"]
    assert ws["C4"].value == dt.datetime(2023, 5, 1)


def test_filled_in_completion_date_after_the_deadline_is_done_late(tmp_path):
    out = tmp_path / "t.xlsx"
    write_stats_template([PLAN], out)
    book = openpyxl.load_workbook(out)
    ws = book["统计数据"]
    rows = _rows_by_indicator(ws)
    ws.cell(rows["建成知识产权公共服务平台"], _column_of(ws, 2024), "已完成")
    ws.cell(rows["建成知识产权公共服务平台"], 3, "2024年3月1日")
    book.save(out)
    task = assess_files([PLAN], out, year=2024).rows[-1]
    assert task.status is Status.DONE
    assert [note.code for note in task.notes] == ["done_late"]


def test_a_date_that_is_not_a_completion_date_is_named(tmp_path):
    stats = tmp_path / "old.csv"
    stats.write_text(
        "指标,年份,数值,日期\n建成知识产权公共服务平台,2022,推进中,2022-05-01\n"
        "建成知识产权公共服务平台,2023,已完成,2023-05-01\n",
        encoding="utf-8",
    )
    _, warnings = write_stats_template([PLAN], tmp_path / "t.csv", existing=stats)
    assert warnings == (
        f'{stats}:2: date 2022-05-01 of "建成知识产权公共服务平台" is not carried into the sheet: it has one '
        "completion date per task, for the year it was done",
    )


def test_wide_completion_date_without_a_year_done_is_a_problem(tmp_path):
    stats = tmp_path / "wide.csv"
    stats.write_text("指标,完成日期,2022,2023\n建成知识产权公共服务平台,2023-05-01,推进中,推进中\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_statistics(stats)
    assert str(caught.value) == (
        f"{stats}:2: 完成日期: a completion date (2023-05-01) is for a task done, but no year of the row says "
        "done (已完成); clear the date or mark the year it was done"
    )


# ------------------------------------------------------------------ command line


def test_cli_writes_and_refuses_other_extensions(tmp_path):
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(cli, ["stats-template", PLAN, "-o", str(out), "--stats", STATS])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {out}\n"
    result = CliRunner().invoke(cli, ["stats-template", PLAN, "-o", str(tmp_path / "t.txt")])
    assert result.exit_code == 2
    assert result.output == 'Error: --output: expected a .xlsx or .csv file name, found "t.txt"\n'


def test_cli_never_overwrites_a_sheet(tmp_path):
    stats = tmp_path / "s.csv"
    stats.write_bytes(Path(STATS).read_bytes())
    result = CliRunner().invoke(cli, ["stats-template", PLAN, "-o", str(stats)])
    assert result.exit_code == 2
    assert result.output == (
        f'Error: --output: "{stats}" already exists; write a new file (with --stats "{stats}" to keep its values)\n'
    )
    assert stats.read_bytes() == Path(STATS).read_bytes()


def test_library_refuses_other_extensions(tmp_path):
    with pytest.raises(OptionError):
        write_stats_template([PLAN], tmp_path / "t.ods")


def test_each_quantified_row_says_whether_it_takes_the_years_end_or_the_years_total(tmp_path):
    # The indicator catalogue (or the plan's `measure`) tells a stock from a flow: staff must not
    # type a running total where a year's figure is asked for, nor a year's figure for a stock.
    import openpyxl

    from ipreport.workspace.stats_template import MEASURE_NOTES

    out = tmp_path / "sheet.xlsx"
    result = CliRunner().invoke(cli, ["stats-template", "jilin-2016", "-o", str(out)])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["统计数据"]
    notes = {row[0].value: (row[0].comment.text if row[0].comment else None) for row in ws.iter_rows(min_row=2)}
    assert notes["专利申请量"] == MEASURE_NOTES["flow"]
    assert notes["每万人口发明专利拥有量"] == MEASURE_NOTES["stock"]
    assert notes["发布年度知识产权发展状况报告"] is None  # a task row takes states, not figures


def test_a_growth_target_row_takes_the_catalogues_unit(tmp_path):
    # A growth target states only a rate; its row left the unit empty, and staff could not tell
    # whether 质押融资额 goes in 亿元 or 万元. An indicator outside the catalogue keeps no unit.
    plan = tmp_path / "plan.toml"
    plan.write_text(
        '[plan]\nid = "p"\ntitle = "某市规划"\nregion = "某市"\nstart_year = 2021\ntarget_year = 2025\n\n'
        '[[target]]\nid = "pledge"\nname = "知识产权质押融资额"\nkind = "growth"\nrate = "10%"\n\n'
        '[[target]]\nid = "other"\nname = "某项自定义指标"\nkind = "growth"\nrate = "5%"\n',
        encoding="utf-8")
    sheet = build_sheet(load_plans([str(plan)]))
    assert [(row.indicator, row.unit) for row in sheet.rows] == [("知识产权质押融资额", "亿元"), ("某项自定义指标", "")]
