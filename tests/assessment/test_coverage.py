"""Unfilled or thin statistics are said out loud: gaps and report name the targets without data."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ipreport.cli import cli

BAD = Path(__file__).parents[1] / "fixtures" / "bad"
PLAN = str(BAD / "ok.toml")
THIN = (
    'Warning: 2 of 3 targets have no data in thin.csv: "知识产权质押融资额", "建成知识产权公共服务平台"; '
    "fill in their values (or check the indicator names) to assess them\n"
)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), env={"SOURCE_DATE_EPOCH": "1700000000"})


def _thin(tmp_path: Path) -> str:
    stats = tmp_path / "thin.csv"
    stats.write_text("indicator,year,value\n每万人口高价值发明专利拥有量,2020,6.3\n", encoding="utf-8")
    return str(stats)


def test_gaps_names_the_targets_without_data(tmp_path):
    result = run("gaps", PLAN, "--stats", _thin(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stderr == THIN


def test_report_names_the_targets_without_data(tmp_path):
    result = run("report", PLAN, "--stats", _thin(tmp_path), "--no-charts", "-o", str(tmp_path / "r.md"))
    assert result.exit_code == 0, result.output
    assert result.stderr == THIN


def test_no_warning_when_every_target_has_data():
    result = run("gaps", PLAN, "--stats", str(BAD / "stats_ok.csv"))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_a_long_list_is_cut_with_a_count(tmp_path):
    stats = tmp_path / "empty.csv"
    stats.write_text("indicator,year,value\n其他指标,2023,1\n", encoding="utf-8")
    result = run("gaps", "jilin-2022", "--stats", str(stats))
    assert result.exit_code == 0, result.output
    warning = next(line for line in result.stderr.splitlines() if "have no data" in line)
    assert warning.startswith('Warning: 28 of 28 targets have no data in empty.csv: "制定吉林省落实知识产权强国建设纲要实施方案", ')
    assert warning.endswith(" and 20 more; fill in their values (or check the indicator names) to assess them")
    assert warning.count('"') == 16


def test_check_fails_when_no_target_has_data(tmp_path):
    stats = tmp_path / "empty.csv"
    stats.write_text("indicator,year,value\n其他指标,2023,1\n", encoding="utf-8")
    result = run("check", PLAN, "--stats", str(stats), "--year", "2023")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "FAIL no data: none of the 3 targets has a value in the statistics; fill in the statistics, then check again",
        "check failed: no target could be assessed without data; year 2023, as of 2023-12-31",
    ]


def test_fail_on_no_data_makes_thin_data_fail(tmp_path):
    stats = _thin(tmp_path)
    assert run("check", PLAN, "--stats", stats).exit_code == 0
    result = run("check", PLAN, "--stats", stats, "--fail-on", "no_data")
    assert result.exit_code == 1
    assert result.stdout.startswith("FAIL ok: pledge 知识产权质押融资额: status no_data (无数据)")
