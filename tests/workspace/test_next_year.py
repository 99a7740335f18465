"""Next year's job: init --from last year's folder, stats-template --update, init --plan FILE."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from ipreport.cli import cli
from ipreport.workspace.init import init_from, init_workspace
from ipreport.workspace.stats_template import update_stats_workbook, write_stats_template

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _headers(path: Path) -> list[object]:
    return [cell.value for cell in openpyxl.load_workbook(path)["统计数据"][1]]


def _type(path: Path, row: int, header: object, value: object) -> None:
    workbook = openpyxl.load_workbook(path)
    ws = workbook["统计数据"]
    column = [cell.value for cell in ws[1]].index(header) + 1
    ws.cell(row=row, column=column, value=value)
    workbook.save(path)


def _cell(path: Path, row: int, header: object) -> object:
    ws = openpyxl.load_workbook(path)["统计数据"]
    return ws.cell(row=row, column=[cell.value for cell in ws[1]].index(header) + 1).value


def test_init_from_last_year_copies_the_plan_and_carries_the_figures(tmp_path):
    last = tmp_path / "2023年度报告"
    init_workspace(last, "jilin-2022", start_year=2023)
    _type(last / "统计数据.xlsx", 2, 2023, "已完成")
    written = init_from(tmp_path / "2024年度报告", last, through=2024)
    new = tmp_path / "2024年度报告"
    assert sorted(p.name for p in written) == ["ipreport.toml", "jilin-2022.toml", "统计数据.xlsx"]
    assert (new / "jilin-2022.toml").read_bytes() == (last / "jilin-2022.toml").read_bytes()
    assert (new / "ipreport.toml").read_bytes() == (last / "ipreport.toml").read_bytes()
    assert _headers(new / "统计数据.xlsx")[-2:] == [2023, 2024]
    assert _cell(new / "统计数据.xlsx", 2, 2023) == "已完成"


def test_init_from_then_update_keeps_last_years_typed_values(tmp_path):
    last = tmp_path / "last"
    shutil.copytree(FIXTURES / "cli", last / "data")
    (last / "ipreport.toml").write_text('plans = ["data/mini.toml"]\nstats = "统计数据.xlsx"\n', encoding="utf-8")
    write_stats_template([str(last / "data" / "mini.toml")], last / "统计数据.xlsx",
                         existing=last / "data" / "mini.csv")
    _type(last / "统计数据.xlsx", 2, 2024, 12.5)
    new = tmp_path / "new"
    result = CliRunner().invoke(cli, ["init", str(new), "--from", str(last)])
    assert result.exit_code == 0, result.output
    sheet = new / "统计数据.xlsx"
    assert (new / "data" / "mini.toml").is_file()
    assert _cell(sheet, 2, 2023) == 11.8 and _cell(sheet, 2, 2024) == 12.5
    before = openpyxl.load_workbook(sheet)["统计数据"]
    typed = [[cell.value for cell in row] for row in before.iter_rows()]
    last_year = _headers(sheet)[-1]
    assert isinstance(last_year, int) and last_year < 2031  # through this year: at least the plan's 2025
    _path, added = update_stats_workbook([str(new / "data" / "mini.toml")], sheet, through=2031)
    assert added == tuple(range(last_year + 1, 2032))
    after = openpyxl.load_workbook(sheet)["统计数据"]
    assert [[cell.value for cell in row][: len(typed[0])] for row in after.iter_rows()] == typed
    assert _headers(sheet)[-len(added):] == list(added)
    assert update_stats_workbook([str(new / "data" / "mini.toml")], sheet, through=2031)[1] == ()
    # The added column is read like any other.
    _type(sheet, 2, 2031, 13)
    gaps = CliRunner().invoke(cli, ["gaps", str(new / "data" / "mini.toml"), "--stats", str(sheet), "--format", "json"])
    assert gaps.exit_code == 0, gaps.output
    assert '"year": 2031' in gaps.stdout


def test_stats_template_update_on_the_command_line(tmp_path):
    plan = str(FIXTURES / "cli" / "mini.toml")
    sheet = tmp_path / "s.xlsx"
    write_stats_template([plan], sheet)
    result = CliRunner().invoke(cli, ["stats-template", plan, "--update", str(sheet)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Added 2026") or result.output == f"{sheet} already has every year column\n"
    result = CliRunner().invoke(cli, ["stats-template", plan, "--update", str(sheet), "-o", "x.xlsx"])
    assert result.exit_code == 2


def test_init_plan_accepts_a_plan_file(tmp_path):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "office"), "--plan", str(FIXTURES / "cli" / "mini.toml")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "office" / "mini.toml").is_file()
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "other"), "--plan", "nowhere.toml"])
    assert result.exit_code == 2
    assert result.stderr == 'Error: --plan: expected a plan file or a bundled plan id, found "nowhere.toml" (no such file)\n'


def test_init_from_a_folder_without_config(tmp_path):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "new"), "--from", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f'Error: --from: "{tmp_path}" has no ipreport.toml; give the folder of last year\'s report\n'
