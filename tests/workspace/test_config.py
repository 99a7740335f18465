"""ipreport.toml: defaults for every command, overridden only by options given, checked key by key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cause import CAUSE, matches
from click.testing import CliRunner

from ipreport.cli import cli
from ipreport.errors import InputError
from ipreport.workspace.config import Config, default_map, find_config, load_config

FIXTURES = Path(__file__).parents[1] / "fixtures" / "cli"


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A working folder with the mini plan and statistics under data/."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "mini.toml", data / "mini.toml")
    shutil.copy(FIXTURES / "mini.csv", data / "mini.csv")
    return tmp_path


def write_config(folder: Path, text: str) -> Path:
    path = folder / "ipreport.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run_in(folder: Path, *args: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(folder)
    return CliRunner().invoke(cli, list(args))


# ------------------------------------------------------------------ library


def test_load_config_resolves_paths_against_its_folder(office):
    (office / "out").mkdir()
    path = write_config(office, 'plans = ["data/mini.toml", "jilin-2016"]\nstats = "data/mini.csv"\n'
                                'out_dir = "out"\nas_of = 2023-06-01\nyear = 2023\nlang = "en"\n')
    config = load_config(path)
    assert config.values == {
        "plans": (str(office / "data" / "mini.toml"), "jilin-2016"),
        "stats": str(office / "data" / "mini.csv"),
        "out_dir": str(office / "out"),
        "as_of": "2023-06-01",
        "year": 2023,
        "lang": "en",
    }


def test_a_single_plan_may_be_a_string(office):
    config = load_config(write_config(office, 'plans = "qinghai-2017"\n'))
    assert config.values == {"plans": ("qinghai-2017",)}


def test_find_config_in_the_folder_or_the_nearest_above(office):
    assert find_config(office / "data") is None
    path = write_config(office, "")
    assert find_config(office) == path
    assert find_config(office / "data") == path  # as git finds its repository
    inner = write_config(office / "data", "")
    assert find_config(office / "data") == inner


def test_unknown_keys_name_the_nearest_valid_one(office):
    path = write_config(office, 'plans = ["jilin-2016"]\nstat = "x.csv"\nlanguage = "en"\n[report]\nx = 1\n')
    with pytest.raises(InputError) as caught:
        load_config(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2: stat: unknown key 'stat' (did you mean 'stats'?)",
        f"{path}:3: language: unknown key 'language' (did you mean 'lang'?)",
        # The config shares the plans' line index, which finds table headers too.
        f"{path}:4: report: unknown key 'report'; valid keys: plans, stats, template, out_dir, lang, year, "
        "as_of, region, encoding, ui_lang, issuer, date, narrative",  # ui_lang: the interface language (issue 16)
    ]


def test_wrong_values_say_what_was_expected(office):
    path = write_config(office, 'plans = []\nyear = "2023"\nlang = "fr"\nstats = 3\nas_of = 2023-01-01T10:00:00\n')
    with pytest.raises(InputError) as caught:
        load_config(path)
    assert [str(p) for p in caught.value.problems] == [
        f'{path}:1: plans: expected a list of plan files or bundled ids such as ["jilin-2016"], found []',
        f'{path}:2: year: expected a year such as 2023, found "2023"',
        f'{path}:3: lang: expected "zh" or "en", found "fr"',
        f"{path}:4: stats: expected a path as a string, found 3",
        f"{path}:5: as_of: expected a date such as 2023-12-31, found 2023-01-01T10:00:00",
    ]


def test_syntax_error_names_the_file_line_and_column(office):
    path = write_config(office, 'lang = "en"\nyear = 20 23\n')
    with pytest.raises(InputError) as caught:
        load_config(path)
    assert matches(f"{path}:2: TOML syntax error: {CAUSE} (column 11)", str(caught.value))


def test_unclosed_array_is_placed_at_the_end_of_the_file(office):
    path = write_config(office, "plans = [\n")
    with pytest.raises(InputError) as caught:
        load_config(path)
    assert matches(f"{path}:1: TOML syntax error: {CAUSE} (at end of file)", str(caught.value))


def test_default_map_gives_each_command_only_its_own_parameters():
    config = Config(Path("ipreport.toml"), {"plans": ("a",), "stats": "s.csv", "template": "t.docx", "lang": "en"})
    defaults = default_map(config, cli.commands)
    assert defaults["gaps"] == {"plans": ("a",), "stats": "s.csv", "lang": "en"}
    assert defaults["report"] == {"plans": ("a",), "stats": "s.csv", "template": "t.docx", "lang": "en"}
    assert defaults["validate"] == {"plans": ("a",), "stats": "s.csv"}
    assert defaults["plans"] == {"show": {"lang": "en"}}
    assert "init" not in defaults


def test_report_alone_writes_into_the_configured_folder(office, monkeypatch):
    (office / "out").mkdir()
    write_config(office, 'plans = ["data/mini.toml"]\nstats = "data/mini.csv"\nout_dir = "out"\n')
    result = run_in(office, "report", "--format", "md", "--no-charts", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    written = office / "out" / "某省2023年知识产权发展状况报告.md"
    assert result.output == f"Wrote {written}\n"
    assert "每万人口高价值发明专利拥有量" in written.read_text(encoding="utf-8")


def test_output_option_wins_over_out_dir(office, monkeypatch):
    (office / "out").mkdir()
    write_config(office, 'plans = ["data/mini.toml"]\nstats = "data/mini.csv"\nout_dir = "out"\n')
    result = run_in(office, "report", "-o", "mine.md", "--no-charts", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert (office / "mine.md").is_file() and not any((office / "out").iterdir())


# ------------------------------------------------------------------ command line


def test_gaps_alone_uses_the_config(office, monkeypatch):
    write_config(office, 'plans = ["data/mini.toml"]\nstats = "data/mini.csv"\nyear = 2020\n')
    result = run_in(office, "gaps", "--format", "json", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["year"] == 2020


def test_options_given_override_the_config(office, monkeypatch):
    write_config(office, 'plans = ["data/mini.toml"]\nstats = "data/mini.csv"\nyear = 2020\nlang = "en"\n')
    result = run_in(office, "gaps", "--year", "2023", "--lang", "zh", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert "评估年份 2023 · 截至 2023年12月31日" in result.output


def test_plan_arguments_replace_the_configured_plans(office, monkeypatch):
    write_config(office, 'plans = ["jilin-2016"]\nstats = "data/mini.csv"\n')
    result = run_in(office, "check", "data/mini.toml", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "check failed: 1 of 3 targets" in result.output


def test_config_option_from_another_folder(office, monkeypatch, tmp_path_factory):
    path = write_config(office, 'plans = ["data/mini.toml"]\nstats = "data/mini.csv"\nlang = "en"\n')
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = run_in(elsewhere, "--config", str(path), "check", "--fail-on", "missed", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert result.output.endswith("Total 3: ahead of schedule 1 · moving away 1 · overdue 1\n")


def test_config_stats_must_exist(office, monkeypatch):
    write_config(office, 'plans = ["data/mini.toml"]\nstats = "data/nowhere.csv"\n')
    result = run_in(office, "gaps", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert result.output == (
        'Error: ipreport.toml:2: stats: expected an existing file, found "data/nowhere.csv" (no such file)\n'
    )


def test_neither_arguments_nor_config_give_plans(office, monkeypatch):
    write_config(office, 'stats = "data/mini.csv"\n')
    result = run_in(office, "gaps", monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Missing argument 'PLAN...': give plan files or bundled plan ids, or set plans in ipreport.toml."
    )


def test_bad_config_is_an_error_line_for_any_command(office, monkeypatch):
    path = write_config(office, 'stat = "data/mini.csv"\n')
    result = run_in(office, "plans", "list", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert path.is_absolute()  # shown as the user names it from inside the folder
    assert result.output == "Error: ipreport.toml:1: stat: unknown key 'stat' (did you mean 'stats'?)\n"


def test_help_works_even_with_a_broken_config(office, monkeypatch):
    write_config(office, "stat = 1\n")
    result = run_in(office, "--help", monkeypatch=monkeypatch)
    assert result.exit_code == 0
    assert "--config FILE" in result.output


def test_no_config_in_the_folder_changes_nothing(office, monkeypatch):
    result = run_in(office, "gaps", "data/mini.toml", "--stats", "data/mini.csv", "--format", "json",
                    monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["year"] == 2023


def test_out_dir_errors_name_out_dir(office, monkeypatch):
    # The report's path is built from --out-dir, so a problem writing it names --out-dir, not -o/--output.
    (office / "out").mkdir()
    (office / "out" / "某省2023年知识产权发展状况报告.md").mkdir()
    result = run_in(office, "report", "data/mini.toml", "--stats", "data/mini.csv", "--out-dir", "out",
                    "--format", "md", "--no-charts", monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert result.output.startswith('Error: --out-dir: "out/某省2023年知识产权发展状况报告.md" is a folder')


def test_each_region_out_dir_errors_name_out_dir(tmp_path, monkeypatch):
    # The failing region is written by a worker process: its error comes back whole, naming --out-dir.
    regions = Path(__file__).parents[1] / "fixtures" / "regions"
    (tmp_path / "out" / "吉林市2023年知识产权发展状况报告.md").mkdir(parents=True)
    result = run_in(tmp_path, "report", str(regions / "plan.toml"), "--stats", str(regions / "counties.csv"),
                    "--each-region", "--out-dir", "out", "--format", "md", "--no-charts",
                    monkeypatch=monkeypatch)
    assert result.exit_code == 2, result.output
    assert result.output.startswith('Error: --out-dir: "out/吉林市2023年知识产权发展状况报告.md" is a folder')


# ------------------------------------------------------------------ one rule for every key
# A wrong value in ipreport.toml is a faulty input file: exit 1, "ipreport.toml:LINE: key: ...", whether
# it is wrong on its own (checked when the file is read) or only against the other inputs (an
# option's check, reported at the key's line when the value came from the file).

BAD_VALUES = [
    ('year = "2023"', 'year: expected a year such as 2023, found "2023"'),
    ("year = 1999", "year: expected a year from 2020 to 2035 (the plans run 2021–2025), found 1999"),
    ('as_of = "2023-13-01"', 'as_of: expected a date such as 2023-12-31 or 2023年12月31日, found "2023-13-01"'),
    ('lang = "fr"', 'lang: expected "zh" or "en", found "fr"'),
    ("region = 3", "region: expected a string, found 3"),
    ('encoding = "latin-9x"',
     'encoding: expected an encoding such as "utf-8", "gb18030", "gbk" or "utf-16", found "latin-9x"'),
    ('template = "none.docx"', 'template: expected an existing file, found "none.docx" (no such file)'),
    ('out_dir = "data/mini.csv"', 'out_dir: expected an existing folder, found "data/mini.csv" (a file)'),
]


@pytest.mark.parametrize(("line", "message"), BAD_VALUES, ids=[line.split()[0] for line, _ in BAD_VALUES])
def test_every_wrong_value_is_a_faulty_file_at_its_line(office, monkeypatch, line, message):
    write_config(office, f'plans = ["data/mini.toml"]\nstats = "data/mini.csv"\n{line}\n')
    result = run_in(office, "report", "--format", "md", "--no-charts", monkeypatch=monkeypatch)
    assert (result.exit_code, result.output) == (1, f"Error: ipreport.toml:3: {message}\n")


def test_unknown_configured_plans_are_named(office, monkeypatch):
    write_config(office, 'plans = ["jilin-2061", "data/mini.toml", "data/none.toml"]\n')
    # Only a command that reads the configured plans fails (`plans list` used to, too).
    assert run_in(office, "plans", "list", monkeypatch=monkeypatch).exit_code == 0
    result = run_in(office, "validate", monkeypatch=monkeypatch)
    assert (result.exit_code, result.output) == (1, (
        "Error: ipreport.toml:1: plans: expected plan files or bundled ids (fuxin-2017, jilin-2016, "
        'jilin-2022, qinghai-2017), found "jilin-2061", "data/none.toml"\n'
    ))


def test_the_same_value_given_as_an_option_is_misuse(office, monkeypatch):
    write_config(office, 'plans = ["data/mini.toml"]\nstats = "data/mini.csv"\n')
    result = run_in(office, "gaps", "--year", "1999", monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert result.output == (
        "Error: --year: expected a year from 2020 to 2035 (the plans run 2021–2025), found 1999\n"
    )


def test_config_given_by_option_is_named_as_typed(office, monkeypatch):
    (office / "sub").mkdir()
    write_config(office / "sub", 'lang = "fr"\n')
    result = run_in(office, "--config", "sub/ipreport.toml", "plans", "list", monkeypatch=monkeypatch)
    assert (result.exit_code, result.output) == (1, 'Error: sub/ipreport.toml:1: lang: expected "zh" or "en", found "fr"\n')


# ------------------------------------------------------------------ folders that never trap


def test_a_missing_workbook_only_fails_the_commands_that_read_it(office, monkeypatch):
    write_config(office, 'plans = ["data/mini.toml"]\nstats = "统计数据.xlsx"\n')
    missing = 'Error: ipreport.toml:2: stats: expected an existing file, found "统计数据.xlsx" (no such file)\n'
    for command in (["gaps"], ["check"], ["report", "--format", "md"]):
        result = run_in(office, *command, monkeypatch=monkeypatch)
        assert (result.exit_code, result.stderr) == (1, missing), command
    assert run_in(office, "plans", "list", monkeypatch=monkeypatch).exit_code == 0
    assert run_in(office, "validate", monkeypatch=monkeypatch).exit_code == 0
    result = run_in(office, "stats-template", "-o", "统计数据.xlsx", monkeypatch=monkeypatch)
    assert (result.exit_code, result.output) == (0, "Wrote 统计数据.xlsx\n")
    assert run_in(office, "gaps", monkeypatch=monkeypatch).exit_code == 0


def test_the_skeletons_instructions_work_as_written(tmp_path, monkeypatch):
    from ipreport.workspace.init import init_workspace

    init_workspace(tmp_path / "office", None, start_year=2024)
    monkeypatch.chdir(tmp_path / "office")
    plan = Path("plan.toml")
    plan.write_text(plan.read_text("utf-8").replace("# [[target]]\n# id = \"invention", "[[target]]\nid = \"invention")
                    .replace('# name = "每万人口高价值', 'name = "每万人口高价值').replace('# dimension = "创造"\n# kind = "level"\n'
                    "# target = 12\n# unit", 'dimension = "创造"\nkind = "level"\ntarget = 12\nunit'), encoding="utf-8")
    assert CliRunner().invoke(cli, ["validate", "plan.toml"]).exit_code == 0
    Path("统计数据.xlsx").unlink()
    result = CliRunner().invoke(cli, ["stats-template", "plan.toml", "-o", "统计数据.xlsx"])
    assert (result.exit_code, result.output) == (0, "Wrote 统计数据.xlsx\n")
    assert CliRunner().invoke(cli, ["plans", "list"]).exit_code == 0


def test_commands_in_a_subfolder_use_the_offices_config(office, monkeypatch):
    write_config(office, 'plans = ["data/mini.toml"]\nstats = "data/mini.csv"\n')
    result = run_in(office / "data", "gaps", "--format", "json", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["year"] == 2023


def test_out_dir_is_created(office, monkeypatch):
    write_config(office, 'plans = ["data/mini.toml"]\nstats = "data/mini.csv"\nout_dir = "reports/2023"\n')
    result = run_in(office, "report", "--format", "md", "--no-charts", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert (office / "reports" / "2023" / "某省2023年知识产权发展状况报告.md").is_file()
    result = run_in(office, "report", "--format", "md", "--no-charts", "--out-dir", "new", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert (office / "new" / "某省2023年知识产权发展状况报告.md").is_file()


def test_required_is_not_shown_when_the_config_supplies_it(office, monkeypatch):
    assert "[required]" in " ".join(run_in(office, "gaps", "-h", monkeypatch=monkeypatch).output.split())
    write_config(office, 'plans = ["data/mini.toml"]\nstats = "data/mini.csv"\n')
    help_text = " ".join(run_in(office, "gaps", "-h", monkeypatch=monkeypatch).output.split())
    assert "--stats FILE Statistics file" in help_text and "[required]" not in help_text
def test_the_report_takes_issuer_date_and_narrative_from_the_config(office, monkeypatch):
    (office / "文字.md").write_text("# 下一步工作\n加快建设知识产权强省。\n", encoding="utf-8")
    write_config(office, 'plans = ["data/mini.toml"]\nstats = "data/mini.csv"\nissuer = "某省知识产权局"\n'
                         'date = 2024-03-05\nnarrative = "文字.md"\n')
    result = run_in(office, "report", "-o", "r.md", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    text = (office / "r.md").read_text(encoding="utf-8")
    assert '<p align="right">某省知识产权局<br>2024年3月5日</p>' in text
    assert "加快建设知识产权强省。" in text


def test_a_wrong_report_date_in_the_config_names_the_key(office):
    write_config(office, 'date = "March"\nnarrative = "none.md"\n')
    with pytest.raises(InputError) as caught:
        load_config(office / "ipreport.toml")
    # A missing narrative file fails only the command that reads it (below), like a missing workbook.
    assert [str(p).split("ipreport.toml")[1] for p in caught.value.problems] == [
        ':1: date: expected a date such as 2023-12-31 or 2023年12月31日, found "March"',
    ]


def test_a_missing_narrative_file_fails_the_report_only(office, monkeypatch):
    write_config(office, 'plans = ["data/mini.toml"]\nstats = "data/mini.csv"\nnarrative = "none.md"\n')
    assert run_in(office, "gaps", monkeypatch=monkeypatch).exit_code == 0
    result = run_in(office, "report", "-o", "r.md", monkeypatch=monkeypatch)
    assert (result.exit_code, result.stderr) == (
        1, 'Error: ipreport.toml:3: narrative: expected an existing file, found "none.md" (no such file)\n')
