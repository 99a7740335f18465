"""Names from inputs are shown so that the eye sees what the file holds and a terminal obeys nothing.

Invisible characters (BOM, zero-width space, NUL) are escaped and hinted; control characters (ESC)
from a CSV or a plan never reach the terminal raw, in a message or in the gap table; a problem
repeated many times is printed a few times, then counted.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ipreport.cli import cli
from ipreport.errors import Problem, shown_problems
from ipreport.util.visible import hidden_hint, visible

BAD = Path(__file__).parent / "fixtures" / "bad"
OK = str(BAD / "ok.toml")
NAME = "每万人口高价值发明专利拥有量"


def _run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def test_visible_escapes_control_and_invisible_characters_only() -> None:
    assert visible("每万人口\u200b专利\ufeff\x00\x1b[31m\t\n\u3000 a") == (
        "每万人口\\u200b专利\\ufeff\\u0000\\u001b[31m\\t\\n\u3000 a"
    )
    assert visible("吉林省 · 规划（2021）") == "吉林省 · 规划（2021）"
    assert hidden_hint("专利") == ""
    assert hidden_hint("专\u200b利\x00") == '; it holds the invisible characters "\\u200b", "\\u0000": delete them'


def test_an_unused_indicator_with_a_zero_width_space_is_shown_escaped_and_hinted(tmp_path: Path) -> None:
    stats = tmp_path / "s.csv"
    stats.write_text(
        f"region,indicator,year,value,unit\n某省,{NAME}\u200b,2022,11,件/万人\n某省,{NAME},2023,12,件/万人\n",
        encoding="utf-8",
    )
    result = _run("validate", OK, "--stats", str(stats))
    assert f'Warning: {stats}: indicator "{NAME}\\u200b" (line 2) is not used by any target (did you mean ' \
        f'"{NAME}"?); it holds the invisible character "\\u200b": delete it' in result.stderr.splitlines()


def test_a_region_with_a_bom_in_the_no_rows_error_is_shown_escaped_and_hinted(tmp_path: Path) -> None:
    stats = tmp_path / "s.csv"
    stats.write_text(f"region,indicator,year,value,unit\n某省\ufeff,{NAME},2023,12,件/万人\n", encoding="utf-8")
    result = _run("validate", OK, "--stats", str(stats))
    assert result.stderr.splitlines() == [
        f'Error: {stats}: no rows for region "某省"; the file has rows for 某省\\ufeff; it holds the invisible '
        'character "\\ufeff": delete it'
    ]


def test_escape_sequences_from_inputs_never_reach_the_terminal(tmp_path: Path) -> None:
    plan = tmp_path / "p.toml"
    plan.write_text(
        (BAD / "ok.toml").read_text(encoding="utf-8").replace(
            f'name = "{NAME}"', f'name = "{NAME}\\u001b]0;pwned\\u0007\\u001b[2J"'
        ),
        encoding="utf-8",
    )
    stats = tmp_path / "s.csv"
    stats.write_text(
        "region,indicator,year,value,unit\n"
        f"某省,{NAME}\x1b]0;pwned\x07\x1b[2J,2023,12,件/万人\n"
        "某省,知识产权质押融资额,2023,\x1b[2J50,亿元\n",
        encoding="utf-8",
    )
    result = _run("gaps", str(plan), "--stats", str(stats))
    assert result.stderr.splitlines() == [
        f'Error: {stats}:3: value: expected a number such as "1,234", "2.4万" or "95%", found "\\u001b[2J50"'
    ]
    stats.write_text(stats.read_text(encoding="utf-8").replace("\x1b[2J50", "50"), encoding="utf-8")
    result = _run("gaps", str(plan), "--stats", str(stats))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\u001b]0;pwned\\u0007\\u001b[2J" in result.stdout.replace("\n", "")  # wrapped in its cell


def test_many_identical_problems_are_printed_three_times_then_counted(tmp_path: Path) -> None:
    stats = tmp_path / "s.csv"
    columns = 200_000
    stats.write_text("指标," + ",".join(["2020"] * columns) + f"\n{NAME}," + ",".join(["1"] * columns) + "\n",
                     encoding="utf-8")
    result = _run("validate", OK, "--stats", str(stats))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        *[f'Error: {stats}:1: two columns for year 2020: "2020"'] * 3,
        f"Error: {stats}: and 199,996 more like it",
    ]


def test_problems_of_one_kind_on_different_lines_are_counted_together() -> None:
    problems = [Problem("s.csv", "region is empty", line=n, key="region") for n in range(2, 9)]
    problems.insert(2, Problem("s.csv", "other", line=4))
    assert shown_problems(problems) == [
        "s.csv:2: region: region is empty",
        "s.csv:3: region: region is empty",
        "s.csv:4: region: region is empty",
        "s.csv: and 4 more like it",
        "s.csv:4: other",
    ]


def test_check_and_plans_show_print_names_escaped(tmp_path: Path) -> None:
    plan = tmp_path / "p.toml"
    plan.write_text(
        (BAD / "ok.toml").read_text(encoding="utf-8").replace(f'name = "{NAME}"', f'name = "{NAME}\\u001b[2J"'),
        encoding="utf-8",
    )
    stats = tmp_path / "s.csv"
    stats.write_text(f"region,indicator,year,value,unit\n某省,{NAME}\x1b[2J,2023,2,件/万人\n", encoding="utf-8")
    for args in (["check", str(plan), "--stats", str(stats), "--fail-on", "missed,no_data,insufficient_data"],
                 ["plans", "show", str(plan)]):
        result = _run(*args)
        assert "\x1b" not in result.output, args
        # (click drops ANSI sequences itself when stdout is no terminal; a terminal got them raw.)
        assert "\\u001b[2J" in result.stdout.replace("\n", "").replace(" ", ""), args


def test_region_names_are_escaped_in_the_each_region_summary_and_hinted_when_unused(tmp_path: Path) -> None:
    stats = tmp_path / "s.csv"
    stats.write_text(
        f"region,indicator,year,value,unit\n某省,{NAME},2023,12,件/万人\n某市\x1b[2J\u200b,{NAME},2023,9,件/万人\n",
        encoding="utf-8",
    )
    summary = _run("gaps", OK, "--stats", str(stats), "--each-region")
    assert summary.exit_code == 0, summary.output
    assert "某市\\u001b[2J\\u200b" in summary.stdout.splitlines()[-1]
    unused = _run("gaps", OK, "--stats", str(stats))
    assert f"Warning: {stats}: rows for 某市\\u001b[2J\\u200b (1 row) are not used: no plan covers that region; use " \
        '--region 某市\\u001b[2J\\u200b or --each-region; it holds the invisible characters "\\u001b", "\\u200b": ' \
        "delete them" in unused.stderr.splitlines()
