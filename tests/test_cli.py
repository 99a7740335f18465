"""The command line: help everywhere, exit codes, errors without tracebacks, output formats."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ipreport.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
PLAN = str(FIXTURES / "mini.toml")
STATS = str(FIXTURES / "mini.csv")


def run(*args: str, **env: str):
    return CliRunner().invoke(cli, list(args), env=env or None)


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [p for p, _ in _commands(cli)], ids=" ".join)
def test_every_command_has_help_with_an_example(path):
    result = run(*path, "-h")
    assert result.exit_code == 0, result.output
    command = dict(_commands(cli))[path]
    if not isinstance(command, click.Group):
        assert "Example:" in result.output


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.startswith("ipreport, version ")


def test_version_in_chinese():
    result = CliRunner().invoke(cli, ["--ui-lang", "zh", "--version"])
    assert result.exit_code == 0
    assert result.output.startswith("ipreport，版本 ")


def test_gaps_table_shows_rows_statuses_and_summary():
    result = run("gaps", PLAN, "--stats", STATS)
    assert result.exit_code == 0, result.output
    assert "评估年份 2023 · 截至 2023年12月31日" in result.output
    assert "12件/万人  11.8 (2023)   0.2   98.3%  快于预期" in result.output
    assert "建成知识产权公共服务平台  2023年6月30日  逾期未完成" in result.output
    assert result.output.rstrip().endswith("合计 3 项：快于预期 1 · 逆向变化 1 · 逾期未完成 1")
    assert "\x1b[" not in result.output  # not a terminal: no colour


def test_gaps_in_english():
    result = run("gaps", PLAN, "--stats", STATS, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "ahead of schedule" in result.output
    assert "Total 3: ahead of schedule 1 · moving away 1 · overdue 1" in result.output


def test_gaps_json_is_complete_and_parses():
    result = run("gaps", PLAN, "--stats", STATS, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema"] == 1 and data["year"] == 2023
    assert data["summary"] == {"ahead": 1, "regressing": 1, "overdue": 1}
    first = data["plans"][0]["targets"][0]
    assert first["status"] == "ahead"
    assert round(first["ratio"], 2) == 1.69


def test_gaps_csv_has_bom_and_header():
    result = run("gaps", PLAN, "--stats", STATS, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("\ufeffplan,region,id,name")


def test_gaps_markdown_table():
    result = run("gaps", PLAN, "--stats", STATS, "--format", "markdown")
    assert result.exit_code == 0
    assert "| 创造 | 每万人口高价值发明专利拥有量 | 12件/万人 | 11.8 (2023) | 0.2 | 98.3% | 快于预期 |" in result.output


def test_year_option_reassesses_earlier_year():
    result = run("gaps", PLAN, "--stats", STATS, "--year", "2020", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["year"] == 2020


def test_year_outside_every_plan_is_misuse():
    result = run("gaps", PLAN, "--stats", STATS, "--year", "2202")
    assert result.exit_code == 2
    assert result.output == "Error: --year: expected a year from 2020 to 2035 (the plans run 2021–2025), found 2202\n"


def test_unparseable_as_of_is_misuse():
    result = run("gaps", PLAN, "--stats", STATS, "--as-of", "next tuesday")
    assert result.exit_code == 2
    assert result.output == (
        'Error: --as-of: expected a date such as 2023-12-31 or 2023年12月31日, found "next tuesday"\n'
    )


def test_as_of_in_chinese_form():
    result = run("gaps", PLAN, "--stats", STATS, "--as-of", "2023年6月1日")
    assert result.exit_code == 0, result.output
    assert "截至 2023年6月1日" in result.output
    assert "2023年6月30日  推进中" in result.output


def test_missing_stats_file_is_misuse():
    result = run("gaps", PLAN, "--stats", "nowhere.csv")
    assert result.exit_code == 2
    assert "nowhere.csv" in result.output  # click words the rest


def test_bad_plan_reports_error_without_traceback(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('[plan]\nid = "x"\ntitle = \n', encoding="utf-8")
    result = run("gaps", str(broken), "--stats", STATS)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {broken}:3: TOML syntax error")
    assert "Traceback" not in result.output


def test_unknown_bundled_plan_id():
    result = run("gaps", "jilin-2061", "--stats", STATS)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "jilin-2016" in result.output


def test_validate_ok_and_warns_about_unused_indicators(tmp_path):
    extra = tmp_path / "stats.csv"
    extra.write_text(Path(STATS).read_text(encoding="utf-8") + "专利申请量,2023,5,件,示例\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", PLAN, "--stats", str(extra)])
    assert result.exit_code == 0, result.output
    # Not "OK ... no problems found" next to a warning (issue 16).
    assert result.output.endswith("2 files checked: no errors, 1 warning (above).\n")
    assert "Warning: " in result.output and "专利申请量" in result.output


def test_validate_warns_about_a_plan_without_targets_and_gaps_still_runs(tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_text(
        '[plan]\nid = "empty"\ntitle = "空"\nregion = "某省"\nstart_year = 2021\ntarget_year = 2025\n',
        encoding="utf-8",
    )
    result = run("validate", str(empty))
    assert result.exit_code == 0, result.output
    assert result.output == (
        'Warning: plan "empty" has no targets ([[target]] tables)\n1 file checked: no errors, 1 warning (above).\n'
    )
    result = run("gaps", str(empty), "--stats", STATS)
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("合计 0 项")


def test_rows_of_a_region_no_plan_covers_are_one_warning_per_region(tmp_path):
    extra = tmp_path / "stats.csv"
    lines = "".join(f"专利纠纷案件结案率,{year},90,%,示例\n" for year in (2021, 2022, 2023))
    text = Path(STATS).read_text(encoding="utf-8")
    header, body = text.split("\n", 1)
    assert header.startswith("indicator,")  # the fixture has no region column: add one
    extra.write_text(
        "region," + header + "\n"
        + "".join(f"某省,{line}\n" for line in body.splitlines() if line)
        + "".join(f"长春市,{line}" for line in lines.splitlines(keepends=True)),
        encoding="utf-8",
    )
    warning = (
        f"Warning: {extra}: rows for 长春市 (3 rows) are not used: no plan covers that region; "
        "use --region 长春市 or --each-region"
    )
    for command in (["validate", PLAN, "--stats", str(extra)], ["gaps", PLAN, "--stats", str(extra)]):
        result = run(*command)
        assert result.exit_code == 0, result.output
        assert result.stderr.splitlines() == [warning]


def test_check_judges_a_task_at_the_as_of_date(tmp_path):
    # Reported done, but on 2024-01-05: at the default as-of (2023-12-31) it was still open, past its
    # 2023-06-30 deadline; an earlier report is what the office said as of then.
    late = tmp_path / "stats.csv"
    rows = Path(STATS).read_text(encoding="utf-8").replace(
        "建成知识产权公共服务平台,2023,in_progress,,示例\n",
        "建成知识产权公共服务平台,2022,not_started,,示例\n建成知识产权公共服务平台,2023,done,,示例\n",
    )
    late.write_text(rows.replace("indicator,year,value,unit,source", "indicator,year,value,unit,source,date")
                    .replace(",2023,done,,示例", ",2023,done,,示例,2024-01-05"), encoding="utf-8")
    result = run("check", PLAN, "--stats", str(late))
    assert result.exit_code == 1, result.output
    assert "platform 建成知识产权公共服务平台: status overdue (逾期未完成)" in result.output
    result = run("check", PLAN, "--stats", str(late), "--as-of", "2024-01-05")
    assert result.exit_code == 0, result.output
    # Judged on 2022-12-31, the report for 2023 is not known yet and the deadline not reached: 未启动.
    result = run("gaps", PLAN, "--stats", str(late), "--as-of", "2022-12-31", "--format", "json")
    assert result.exit_code == 0, result.output
    targets = json.loads(result.stdout)["plans"][0]["targets"]
    (task,) = [target for target in targets if target["id"] == "platform"]
    assert (task["status"], task["task_state"], task["completed"]) == ("not_started", "not_started", None)


def test_validate_unit_mismatch_fails(tmp_path):
    bad = tmp_path / "stats.csv"
    bad.write_text("indicator,year,value,unit\n专利纠纷案件结案率,2023,88,件\n", encoding="utf-8")
    result = run("validate", PLAN, "--stats", str(bad))
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "件" in result.output and "%" in result.output


def test_plans_list_shows_every_bundled_plan():
    result = run("plans", "list")
    assert result.exit_code == 0
    for plan_id in ("jilin-2016", "fuxin-2017", "jilin-2022", "qinghai-2017"):
        assert plan_id in result.output


def test_plans_show_file():
    result = run("plans", "show", PLAN)
    assert result.exit_code == 0, result.output
    assert "某省知识产权示例规划" in result.output
    assert "patents-per-10k" in result.output


def test_gaps_outputs_match_the_golden_files():
    # The JSON format is public (docs/json.md): any change to it must show up here.
    for fmt, golden in (("json", "mini.json"), ("table", "mini.table.txt")):
        result = run("gaps", PLAN, "--stats", STATS, "--format", fmt)
        assert result.exit_code == 0, result.output
        assert result.output == (FIXTURES / golden).read_text(encoding="utf-8"), fmt


def test_an_unexpected_os_error_is_one_error_line(monkeypatch):
    import ipreport.api

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device", "out/report.docx")

    monkeypatch.setattr(ipreport.api, "assess_files", fail)
    result = run("gaps", PLAN, "--stats", STATS)
    assert result.exit_code == 1
    assert result.output == "Error: out/report.docx: No space left on device\n"


def test_year_message_states_the_years_accepted():
    assert run("gaps", PLAN, "--stats", STATS, "--year", "2020").exit_code == 0
    assert run("gaps", PLAN, "--stats", STATS, "--year", "2035").exit_code == 0
    result = run("gaps", PLAN, "--stats", STATS, "--year", "2019")
    assert result.exit_code == 2
    assert "expected a year from 2020 to 2035" in result.output


def test_gaps_csv_target_column_for_tasks_is_the_deadline():
    import csv
    import io

    result = run("gaps", PLAN, "--stats", STATS, "--format", "csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.output.lstrip("\ufeff")))}
    assert rows["platform"]["target"] == "2023-06-30"
    assert rows["patents-per-10k"]["target"] == "12"
    assert "—" not in result.output


@pytest.mark.parametrize("path", [p for p, _ in _commands(cli)], ids=" ".join)
def test_help_fits_80_columns(path):
    # Click wraps help by characters; CJK characters take two columns, so check display width.
    from wcwidth import wcswidth

    result = CliRunner().invoke(cli, [*path, "-h"], terminal_width=80)
    assert result.exit_code == 0
    assert max(wcswidth(line) for line in result.output.splitlines()) <= 80


def test_report_without_charts_support_warns_once_on_stderr(tmp_path, monkeypatch):
    import ipreport.render.report.charts

    monkeypatch.setattr(ipreport.render.report.charts, "charts_available", lambda lang="zh": (False, "未安装 matplotlib。"))
    result = CliRunner().invoke(cli, ["report", PLAN, "--stats", STATS, "-o", str(tmp_path / "r.md")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["Warning: 未安装 matplotlib。", f"Wrote {tmp_path / 'r.md'}"]
    quiet = CliRunner().invoke(cli, ["report", PLAN, "--stats", STATS, "-o", str(tmp_path / "q.md"), "--no-charts"])
    assert "Warning" not in quiet.output


def test_gaps_and_check_say_what_of_the_statistics_they_skipped_as_validate_does(tmp_path):
    # A title row above the header and a column no one reads used to be named by validate only.
    stats = tmp_path / "stats.csv"
    text = Path(STATS).read_text(encoding="utf-8")
    header, body = text.split("\n", 1)
    stats.write_text(
        "2023年知识产权统计表\n" + header + ",填报人\n" + "".join(f"{line},张三\n" for line in body.splitlines() if line),
        encoding="utf-8",
    )
    expected = [
        f'Warning: {stats}:1: row above the header skipped: "2023年知识产权统计表"',
        f'Warning: {stats}: column "填报人" is not used',
    ]
    validate = CliRunner().invoke(cli, ["validate", PLAN, "--stats", str(stats)])
    assert validate.output.splitlines()[:2] == expected
    for command in ("gaps", "check"):
        result = CliRunner().invoke(cli, [command, PLAN, "--stats", str(stats)])
        assert result.stderr.splitlines()[:2] == expected, command
    document = json.loads(CliRunner().invoke(cli, ["gaps", PLAN, "--stats", str(stats), "--format", "json"]).stdout)
    assert document["warnings"][:2] == [line.removeprefix("Warning: ") for line in expected]


def test_a_reader_that_stops_early_ends_the_output_quietly(tmp_path):
    # `ipreport gaps ... | head` used to end with "Error: Broken pipe" on stderr and exit 1.
    import subprocess
    import sys

    stats = tmp_path / "counties.csv"
    rows = [f"县{n:04d},{name},{year},{100 + n},件" for n in range(3000)
            for name in ("发明专利拥有量", "有效注册商标量", "专利纠纷案件") for year in (2020, 2023)]
    stats.write_text("地区,指标,年份,数值,单位\n" + "\n".join(rows) + "\n", encoding="utf-8")
    plan = Path(__file__).parent / "fixtures" / "regions" / "plan.toml"
    process = subprocess.Popen(
        [sys.executable, "-m", "ipreport", "gaps", str(plan), "--stats", str(stats), "--each-region",
         "--format", "json"],  # written a region at a time: far more writes than a pipe holds
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(100)
    process.stdout.close()  # as head does after its lines
    error = process.stderr.read()
    assert (process.wait(), error) == (141, b"")


def test_chinese_help_headings_end_in_a_full_width_colon():
    result = CliRunner().invoke(cli, ["--ui-lang", "zh", "--help"])
    assert result.exit_code == 0
    assert "\n选项：\n" in result.output and "\n命令：\n" in result.output
    english = CliRunner().invoke(cli, ["--ui-lang", "en", "--help"])
    assert "\nOptions:\n" in english.output and "\nCommands:\n" in english.output


def test_a_missing_option_in_chinese_ends_in_a_chinese_full_stop():
    result = CliRunner().invoke(cli, ["--ui-lang", "zh", "gaps", "jilin-2016"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "错误：缺少选项 '--stats'。"
    english = CliRunner().invoke(cli, ["--ui-lang", "en", "gaps", "jilin-2016"])
    assert english.stderr.splitlines()[-1].endswith("'--stats'.")


# `ipreport --help` lists the commands from ipreport.cli.app.COMMANDS, without importing them.
HELP_COMMANDS_EN = """Commands:
  check           Assess and fail (exit 1) when a target has a failing...
  extract         Draft a plan file from the policy document (.txt .docx...
  gaps            Print the gap table: every target's latest value, gap...
  init            Set up a working folder: ipreport.toml, a plan file and...
  plans           List the bundled plans or show one plan's targets.
  report          Write the yearly report (.docx in official format, PDF,...
  stats-template  Write the statistics sheet staff fill in: one row per...
  validate        Check plan files (and statistics against them); report...
"""
HELP_COMMANDS_ZH = """命令：
  check           评估并在有目标处于失败状态时报错（退出码 1），用于持续集成
  extract         从政策文件起草规划文件
  gaps            打印差距表：每项目标的最新值、差距和进度状态
  init            建立工作目录：ipreport.toml、规划文件和统计数据工作簿
  plans           列出内置规划，或显示一个规划的目标
  report          生成年度报告（公文格式的 .docx、PDF、Markdown 或 HTML）
  stats-template  生成供工作人员填写的统计表：每行一个指标，每列一个年份
  validate        检查规划文件
"""
_COMMAND_MODULES = ("gaps", "report", "check", "validate", "plans", "workspace", "extract")
_HELP_IN_A_FRESH_PROCESS = """
import sys
from ipreport.cli import cli, main
if sys.argv[1] == "all":  # every command imported first
    list(cli.commands.values())
sys.argv = ["ipreport", *sys.argv[2:]]
try:
    main()
finally:
    loaded = [m for m in {modules} if "ipreport.cli." + m in sys.modules]
    print("loaded:", len(loaded), file=sys.stderr)
"""


def _fresh_help(ui_lang: str, imported: str):
    import os
    import subprocess
    import sys

    script = _HELP_IN_A_FRESH_PROCESS.format(modules=_COMMAND_MODULES)
    return subprocess.run([sys.executable, "-c", script, imported, "--ui-lang", ui_lang, "--help"],
                          capture_output=True, text=True, check=False, env={**os.environ, "COLUMNS": "80"})


@pytest.mark.parametrize(("ui_lang", "listing"), [("en", HELP_COMMANDS_EN), ("zh", HELP_COMMANDS_ZH)])
def test_help_lists_every_command_without_importing_them(ui_lang, listing):
    lazy = _fresh_help(ui_lang, "none")
    assert lazy.returncode == 0, lazy.stderr
    assert lazy.stderr == "loaded: 0\n"
    assert lazy.stdout.endswith(listing)
    eager = _fresh_help(ui_lang, "all")
    assert eager.stderr == f"loaded: {len(_COMMAND_MODULES)}\n"
    assert eager.stdout == lazy.stdout


@pytest.mark.parametrize("limit", [30, 45, 74, 200])
def test_the_listed_summaries_are_the_commands_own_short_help(limit):
    from ipreport.cli.app import COMMANDS
    from ipreport.cli.lazy import CommandSummary
    from ipreport.util.i18n import language, set_language

    previous = language()
    try:
        for lang in ("en", "zh"):
            set_language(lang)
            for name, spec in COMMANDS.items():
                real = cli.commands[name].get_short_help_str(limit)
                assert CommandSummary(name, spec).get_short_help_str(limit) == real, (lang, name)
    finally:
        set_language(previous)
