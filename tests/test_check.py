"""`ipreport check`: exit codes, the fail list, printed offenders and JUnit XML a CI reader counts right."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from ipreport.api import check_files
from ipreport.assessment.check import DEFAULT_FAIL_ON, StatusNameError, parse_fail_on
from ipreport.cli import cli
from ipreport.model import Status
from ipreport.render.check_report import junit_xml, render_check

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
PLAN = str(FIXTURES / "mini.toml")
STATS = str(FIXTURES / "mini.csv")
VALID = (
    "achieved, missed, ahead, on_track, accelerate, behind, regressing, no_data, insufficient_data, "
    "done, in_progress, not_started, overdue, ongoing"
)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


# ------------------------------------------------------------------ parsing --fail-on


def test_parse_fail_on_accepts_names_case_and_hyphens():
    assert parse_fail_on("Missed, in-progress,missed") == (Status.MISSED, Status.IN_PROGRESS)
    assert parse_fail_on(["behind"]) == (Status.BEHIND,)
    assert parse_fail_on("") == ()


def test_parse_fail_on_unknown_names_suggest_and_list_valid_ones():
    with pytest.raises(StatusNameError) as caught:
        parse_fail_on("mised,overdue,xyz")
    assert caught.value.detail == (
        f'unknown statuses "mised" (did you mean "missed"?), "xyz"; valid statuses: {VALID}'
    )
    assert caught.value.exit_code == 2


# ------------------------------------------------------------------ library


def test_default_fail_list_catches_the_overdue_milestone():
    result = check_files([PLAN], STATS)
    assert result.fail_on == DEFAULT_FAIL_ON
    assert [f.row.target.id for f in result.failures] == ["platform"]
    assert not result.passed


def test_render_lists_offenders_then_summary():
    result = check_files([PLAN], STATS, fail_on=(Status.REGRESSING, Status.OVERDUE))
    assert render_check(result, "en") == (
        "FAIL mini: closure-rate 专利纠纷案件结案率: status regressing (moving away); latest 88 (2023); "
        "target 95% (2025); gap 7\n"
        "FAIL mini: platform 建成知识产权公共服务平台: status overdue (overdue); latest in_progress; "
        "target 30 June 2023; gap —\n"
        "check failed: 2 of 3 targets have a failing status (regressing, overdue); year 2023, as of 2023-12-31\n"
        "Total 3: ahead of schedule 1 · moving away 1 · overdue 1\n"
    )


def test_as_of_before_the_deadline_passes():
    result = check_files([PLAN], STATS, as_of="2023-06-01")
    assert result.passed
    assert render_check(result).startswith("check passed: 0 of 3 targets")


# ------------------------------------------------------------------ JUnit XML


def _counts(root: ET.Element) -> tuple[int, int]:
    """Count as a CI reader does: test cases, and test cases holding a <failure>."""
    cases = root.findall(".//testcase")
    return len(cases), sum(1 for case in cases if case.find("failure") is not None)


def test_junit_parses_and_counts_failures_like_a_ci_reader():
    result = check_files([PLAN], STATS, fail_on=(Status.REGRESSING, Status.OVERDUE))
    root = ET.fromstring(junit_xml(result))
    assert root.tag == "testsuites"
    assert _counts(root) == (3, 2)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "2", "0")
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("name"), suite.get("tests"), suite.get("failures")) == ("mini", "3", "2")
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["region"] == "某省" and properties["year"] == "2023"
    assert properties["fail_on"] == "regressing,overdue"
    names = [(c.get("classname"), c.get("name")) for c in suite.iter("testcase")]
    assert names == [
        ("mini", "patents-per-10k 每万人口高价值发明专利拥有量"),
        ("mini", "closure-rate 专利纠纷案件结案率"),
        ("mini", "platform 建成知识产权公共服务平台"),
    ]
    failure = suite.findall("testcase")[2].find("failure")
    assert failure is not None
    assert failure.get("type") == "overdue"
    assert failure.get("message") == (
        "status overdue (逾期未完成); latest in_progress; target 2023年6月30日; gap —"
    )
    passing_out = suite.findall("testcase")[0].find("system-out")
    assert passing_out is not None and "ratio: 1.69" in (passing_out.text or "")


def test_junit_with_nothing_failing_has_no_failure_elements():
    result = check_files([PLAN], STATS, fail_on=())
    assert _counts(ET.fromstring(junit_xml(result))) == (3, 0)


def test_interim_rows_get_distinct_case_names(tmp_path):
    plan = tmp_path / "interim.toml"
    plan.write_text(
        Path(PLAN).read_text(encoding="utf-8").replace(
            'target = 12\n', 'target = 12\ninterim = { 2022 = 9 }\n'
        ),
        encoding="utf-8",
    )
    stats = tmp_path / "s.csv"
    stats.write_text("indicator,year,value\n每万人口高价值发明专利拥有量,2022,8\n每万人口高价值发明专利拥有量,2023,9\n",
                     encoding="utf-8")
    root = ET.fromstring(junit_xml(check_files([str(plan)], str(stats), fail_on=(Status.MISSED,))))
    names = [c.get("name") for c in root.iter("testcase")]
    assert names[:2] == ["patents-per-10k 每万人口高价值发明专利拥有量 (2022)", "patents-per-10k 每万人口高价值发明专利拥有量"]
    assert len(set(names)) == len(names)
    assert _counts(root) == (4, 1)  # the 2022 interim value 8 missed 9


# ------------------------------------------------------------------ command line


def test_cli_exit_1_and_prints_the_offender():
    result = run("check", PLAN, "--stats", STATS)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "FAIL mini: platform 建成知识产权公共服务平台: status overdue (逾期未完成); latest in_progress; "
        "target 2023年6月30日; gap —"
    )
    assert "check failed: 1 of 3 targets" in result.output


def test_cli_exit_0_when_nothing_in_the_fail_list():
    result = run("check", PLAN, "--stats", STATS, "--fail-on", "missed")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("check passed: 0 of 3 targets have a failing status (missed)")


def test_cli_unknown_status_is_misuse():
    result = run("check", PLAN, "--stats", STATS, "--fail-on", "overdue,mised")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for '--fail-on': unknown status \"mised\" (did you mean \"missed\"?); "
        f"valid statuses: {VALID}"
    )


def test_cli_without_plans_is_misuse():
    result = run("check", "--stats", STATS)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Missing argument 'PLAN...': give plan files or bundled plan ids, or set plans in ipreport.toml."
    )


def test_cli_faulty_input_exits_1_with_error_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,year,value\n专利纠纷案件结案率,二〇二三,88\n", encoding="utf-8")
    result = run("check", PLAN, "--stats", str(bad))
    assert result.exit_code == 1
    assert result.output == f'Error: {bad}:2: year: expected a year such as 2020 or "2020年", found "二〇二三"; write it as 2023\n'


def test_cli_writes_junit(tmp_path):
    out = tmp_path / "check.xml"
    result = run("check", PLAN, "--stats", STATS, "--junit", str(out))
    assert result.exit_code == 1
    assert _counts(ET.parse(out).getroot()) == (3, 1)


def test_cli_junit_refuses_to_overwrite_an_input():
    result = run("check", PLAN, "--stats", STATS, "--junit", STATS)
    assert result.exit_code == 2
    assert result.output == f'Error: --junit: "{STATS}" is one of the input files; choose another output name\n'


def test_junit_stays_well_formed_with_control_characters_from_a_plan(tmp_path: Path) -> None:
    # A TOML basic string may hold "\u0001"; XML 1.0 may not, not even as &#1;.
    plan = tmp_path / "p.toml"
    plan.write_text(
        Path(PLAN).read_text(encoding="utf-8").replace(
            'name = "每万人口高价值发明专利拥有量"', 'name = "每万人口高价值发明专利拥有量\\u0001\\u001b[31m"'
        ),
        encoding="utf-8",
    )
    stats = tmp_path / "s.csv"
    stats.write_text(
        Path(STATS).read_text(encoding="utf-8").replace("每万人口高价值发明专利拥有量", "每万人口高价值发明专利拥有量\x01\x1b[31m"),
        encoding="utf-8",
    )
    root = ET.fromstring(junit_xml(check_files([str(plan)], str(stats))))
    names = [c.get("name") for c in root.iter("testcase")]
    assert "patents-per-10k 每万人口高价值发明专利拥有量\\u0001\\u001b[31m" in names
