"""`gaps -o x.xlsx`: the gap table as a formatted workbook that opens with Chinese headers."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from ipreport.cli import cli

FIXTURES = Path(__file__).parents[1] / "fixtures"
PLAN = str(FIXTURES / "cli" / "mini.toml")
STATS = str(FIXTURES / "cli" / "mini.csv")
HEADERS = ["维度", "指标", "单位", "目标值", "目标年份", "最新值", "数据年份", "差距", "完成率", "状态", "完成时限"]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_gaps_writes_a_formatted_workbook(tmp_path):
    out = tmp_path / "差距表.xlsx"
    result = run("gaps", PLAN, "--stats", STATS, "-o", str(out))
    assert (result.exit_code, result.stdout) == (0, f"Wrote {out}\n")
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["mini"]
    ws = workbook["mini"]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.freeze_panes == "A2"
    assert all(c.font.bold for c in ws[1])
    first = [c.value for c in ws[2]]
    assert first[1:5] == ["每万人口高价值发明专利拥有量", "件/万人", 12, 2025]
    assert first[5:7] == [11.8, 2023] and first[9] == "快于预期"
    assert ws.cell(row=2, column=9).number_format == "0.0%"
    assert ws.cell(row=2, column=10).fill.fgColor.rgb.endswith("C6EFCE")
    assert ws.column_dimensions["B"].width > 20
    assert ws.cell(row=ws.max_row, column=1).value == "合计 3 项：快于预期 1 · 逆向变化 1 · 逾期未完成 1"


def test_english_headers_with_lang_en(tmp_path):
    out = tmp_path / "gaps.xlsx"
    assert run("gaps", PLAN, "--stats", STATS, "-o", str(out), "--lang", "en").exit_code == 0
    assert openpyxl.load_workbook(out).active["A1"].value == "Dimension"


def test_each_region_workbook_starts_with_the_summary(tmp_path):
    out = tmp_path / "regions.xlsx"
    result = run("gaps", str(FIXTURES / "regions" / "plan.toml"), "--stats", str(FIXTURES / "regions" / "counties.csv"),
                 "--each-region", "-o", str(out))
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames[0] == "地区汇总"
    summary = workbook["地区汇总"]
    assert [c.value for c in summary["A"]][1:] == ["长春市", "吉林市", "延边州"]
    assert [c.value for c in workbook.worksheets[1][1]][0] == "地区"


def test_format_and_name_must_agree(tmp_path):
    result = run("gaps", PLAN, "--stats", STATS, "-o", str(tmp_path / "g.xlsx"), "--format", "csv")
    assert result.exit_code == 2
    assert result.stderr.endswith('Error: --format csv and the name "g.xlsx" disagree; give one or make them match\n')
    result = run("gaps", PLAN, "--stats", STATS, "--format", "xlsx")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: --format xlsx writes a workbook: give its name with -o, e.g. -o 差距表.xlsx\n")


def test_gaps_csv_to_a_file(tmp_path):
    out = tmp_path / "g.csv"
    assert run("gaps", PLAN, "--stats", STATS, "-o", str(out)).exit_code == 0
    assert out.read_text("utf-8").startswith("\ufeffplan,region,id,name")


def test_report_format_and_name_must_agree(tmp_path):
    result = run("report", PLAN, "--stats", STATS, "-o", str(tmp_path / "r.docx"), "--format", "md")
    assert result.exit_code == 2
    assert result.stderr == 'Error: --format: md does not match the name "r.docx" (Word (.docx)); give one or make them match\n'
    assert not (tmp_path / "r.docx").exists()
