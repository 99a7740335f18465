"""The smaller items of the office's issue: years as 2030年, validate's last line, hints, completion,
the recap of warnings after the output."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ipreport.cli import cli
from ipreport.cli import output as cli_output
from ipreport.cli.options import complete_plans, complete_statuses

FIXTURES = Path(__file__).parent / "fixtures"
PLAN = str(FIXTURES / "cli" / "mini.toml")
STATS = str(FIXTURES / "cli" / "mini.csv")
OK_PLAN = FIXTURES / "bad" / "ok.toml"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_year_option_takes_a_chinese_year():
    result = run("gaps", PLAN, "--stats", STATS, "--year", "2020年", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"year": 2020' in result.stdout
    bad = run("gaps", PLAN, "--stats", STATS, "--year", "二〇二〇")
    assert bad.exit_code == 2
    assert bad.stderr.endswith("Error: Invalid value for '--year': expected a year such as 2023 or 2023年, found '二〇二〇'\n")


def test_plans_and_config_take_chinese_years(tmp_path, monkeypatch):
    text = OK_PLAN.read_text("utf-8").replace("target_year = 2025", 'target_year = "2025年"')
    plan = tmp_path / "p.toml"
    plan.write_text(text, encoding="utf-8")
    assert run("validate", str(plan)).output == "OK: 1 file checked, no problems found.\n"
    (tmp_path / "ipreport.toml").write_text('plans = ["p.toml"]\nstats = "s.csv"\nyear = "2023年"\n', encoding="utf-8")
    (tmp_path / "s.csv").write_text("indicator,year,value\n每万人口高价值发明专利拥有量,2023,7\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("gaps", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"year": 2023' in result.stdout


def test_validate_does_not_say_no_problems_next_to_warnings(tmp_path):
    stats = tmp_path / "s.csv"
    stats.write_text("indicator,year,value\n每万人口高价值发明专利拥有数,2023,7\n", encoding="utf-8")
    result = run("validate", str(OK_PLAN), "--stats", str(stats))
    assert result.exit_code == 0
    assert "no problems found" not in result.output
    assert result.stdout == "2 files checked: no errors, 1 warning (above).\n"
    assert result.stderr == (
        f'Warning: {stats}: indicator "每万人口高价值发明专利拥有数" (line 2) is not used by any target '
        '(did you mean "每万人口高价值发明专利拥有量"?)\n'
    )


def test_a_misspelt_region_is_named_never_recommended(tmp_path):
    plan = tmp_path / "p.toml"
    plan.write_text(OK_PLAN.read_text("utf-8").replace("某省", "临江市"), encoding="utf-8")
    stats = tmp_path / "s.csv"
    stats.write_text("地区,指标,年份,数值\n临江巿,每万人口高价值发明专利拥有量,2023,6\n", encoding="utf-8")
    result = run("gaps", str(plan), "--stats", str(stats))
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: {stats}: no rows for region "临江市"; the file has rows for 临江巿 '
        '("临江巿" looks like a misspelling of "临江市": correct it in the statistics or the plan)\n'
    )
    stats.write_text("地区,指标,年份,数值\n临江巿,每万人口高价值发明专利拥有量,2023,6\n"
                     "临江市,每万人口高价值发明专利拥有量,2023,6\n", encoding="utf-8")
    result = run("validate", str(plan), "--stats", str(stats))
    assert result.stderr == (
        f'Warning: {stats}: rows for 临江巿 (1 row) are not used: no plan covers that region; '
        'did you mean "临江市"? Correct the region\'s name in the statistics\n'
    )
    assert "--region 临江巿" not in result.output


def test_completion_offers_plan_ids_and_status_names():
    plans = [item.value for item in complete_plans(None, None, "jilin")]  # type: ignore[arg-type]
    assert plans == ["jilin-2016", "jilin-2022", "jilin"]
    statuses = [item.value for item in complete_statuses(None, None, "missed,o")]  # type: ignore[arg-type]
    assert statuses == ["missed,on_track", "missed,overdue", "missed,ongoing"]


def test_warnings_are_recapped_after_the_output_on_a_terminal(tmp_path, monkeypatch):
    stats = tmp_path / "thin.csv"
    stats.write_text("indicator,year,value\n每万人口高价值发明专利拥有量,2020,6.3\n", encoding="utf-8")
    plain = run("gaps", str(OK_PLAN), "--stats", str(stats))
    assert len(plain.stderr.splitlines()) == 1  # not a terminal: said once
    monkeypatch.setattr(cli_output, "stdout_is_terminal", lambda: True)
    result = run("gaps", str(OK_PLAN), "--stats", str(stats))
    assert result.exit_code == 0
    assert result.output.endswith(
        '1 warning above, the first: 2 of 3 targets have no data in thin.csv: "知识产权质押融资额", '
        '"建成知识产权公共服务平台"; fill in their values (or check the indicator names) to assess them\n'
    )


def test_extract_period_takes_chinese_years(tmp_path):
    from ipreport.cli.extract import _period

    assert _period("2021年—2025年") == (2021, 2025)
    assert _period("2021-2025") == (2021, 2025)
