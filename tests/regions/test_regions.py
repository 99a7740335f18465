"""Every region at once: assess_regions, the summary across regions, --each-region on gaps and report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from wcwidth import wcswidth

from ipreport.assessment.engine import assess, assess_regions
from ipreport.cli import cli
from ipreport.errors import InputError
from ipreport.model import Status
from ipreport.plans.load import load_plans
from ipreport.regions.run import (
    assess_files_each_region,
    render_region_summary,
    split_regions,
    status_counts,
    write_region_reports,
)
from ipreport.render.exports import to_json
from ipreport.statistics.read import read_statistics

FIXTURES = Path(__file__).parents[1] / "fixtures" / "regions"
PLAN = str(FIXTURES / "plan.toml")
STATS = str(FIXTURES / "counties.csv")
REGIONS = ["长春市", "吉林市", "延边州"]
ROOT = Path(__file__).parents[2]

SUMMARY_ZH = """\
地区    已实现  快于预期  基本符  需加快  滞后预期  逆向变化  数据不足  合计
                          合预期    推进
------  ------  --------  ------  ------  --------  --------  --------  ----
长春市       1         1       1       0         0         0         0     3
吉林市       0         0       0       0         2         1         0     3
延边州       0         0       0       1         0         1         1     3
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_assess_regions_matches_assessing_each_region_alone() -> None:
    plans = load_plans([PLAN])
    statistics = read_statistics(STATS)
    together = assess_regions(plans, statistics)
    assert [p.region for p in together.plans] == REGIONS
    assert together.year == 2023
    for plan_assessment in together.plans:
        alone = assess(plans, statistics, region=plan_assessment.region, year=2023)
        assert alone.plans[0].rows == plan_assessment.rows


def test_statuses_per_region() -> None:
    counts = status_counts(assess_files_each_region([PLAN], STATS))
    assert counts == {
        "长春市": {Status.ACHIEVED: 1, Status.AHEAD: 1, Status.ON_TRACK: 1},
        "吉林市": {Status.BEHIND: 2, Status.REGRESSING: 1},
        "延边州": {Status.REGRESSING: 1, Status.INSUFFICIENT_DATA: 1, Status.ACCELERATE: 1},
    }


def test_a_file_without_regions_is_refused(tmp_path: Path) -> None:
    stats = tmp_path / "s.csv"
    stats.write_text("指标,年份,数值\n发明专利拥有量,2020,1\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        assess_files_each_region([PLAN], stats)
    assert str(caught.value.problems[0]) == (
        f"{stats}: the file has no region column (地区 or region); assessing each region needs one"
    )


def test_summary_table_zh() -> None:
    assert render_region_summary(assess_files_each_region([PLAN], STATS)) == SUMMARY_ZH


def test_summary_table_en_splits_to_stay_within_80_columns() -> None:
    text = render_region_summary(assess_files_each_region([PLAN], STATS), lang="en")
    assert max(wcswidth(line) for line in text.splitlines()) <= 80
    first, second = text.split("\n\n")
    assert first.splitlines()[0].split() == ["Region", "achieved", "ahead", "of", "on", "track", "needs", "to"]
    assert second.splitlines()[-1].split() == ["延边州", "0", "1", "1", "3"]


def test_gaps_each_region_table_has_a_block_per_region_then_the_summary() -> None:
    result = run("gaps", PLAN, "--stats", STATS, "--each-region")
    assert result.exit_code == 0, result.output
    headings = [line for line in result.output.splitlines() if "县域知识产权发展规划" in line]
    assert headings == [f"{region} · 县域知识产权发展规划" for region in REGIONS]
    assert result.output.endswith("\n" + SUMMARY_ZH)


def test_gaps_each_region_json_lists_every_region_in_the_usual_schema() -> None:
    result = run("gaps", PLAN, "--stats", STATS, "--each-region", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert [p["region"] for p in document["plans"]] == REGIONS
    assert document["summary"] == {
        "achieved": 1, "ahead": 1, "on_track": 1, "accelerate": 1, "behind": 2, "regressing": 2,
        "insufficient_data": 1,
    }
    # Same document as the indented form; one line per target.
    assessment = assess_files_each_region([PLAN], STATS)
    assert document == json.loads(to_json(assessment))
    target_lines = [line for line in result.output.splitlines() if line.startswith('        {"id": ')]
    assert len(target_lines) == 9 and len(result.output.splitlines()) == 51


def test_each_region_and_region_cannot_be_combined() -> None:
    result = run("gaps", PLAN, "--stats", STATS, "--each-region", "--region", "长春市")
    assert result.exit_code == 2
    assert "--region and --each-region cannot be combined" in result.output


def test_report_each_region_writes_one_report_per_region(tmp_path: Path) -> None:
    result = run("report", PLAN, "--stats", STATS, "--each-region", "--out-dir", str(tmp_path),
                 "--format", "md", "--no-charts")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"{region}2023年知识产权发展状况报告.md" for region in REGIONS)
    assert result.output == SUMMARY_ZH + f"Wrote 3 reports to {tmp_path}\n"
    text = (tmp_path / "延边州2023年知识产权发展状况报告.md").read_text(encoding="utf-8")
    assert "延边州" in text and "长春市" not in text


def test_report_each_region_refuses_one_output_name(tmp_path: Path) -> None:
    result = run("report", PLAN, "--stats", STATS, "--each-region", "-o", str(tmp_path / "a.md"))
    assert result.exit_code == 2
    assert "-o/--output and --each-region cannot be combined" in result.output


def test_write_region_reports_in_process_yields_each_region(tmp_path: Path) -> None:
    assessment = assess_files_each_region([PLAN], STATS)
    assert [a.plans[0].region for a in split_regions(assessment)] == REGIONS
    written = list(write_region_reports(assessment, tmp_path, fmt="html", charts=False, workers=1))
    assert [r.region for r in written] == REGIONS
    assert all(r.path.is_file() and r.path.parent == tmp_path for r in written)


def test_bench_scripts_on_a_tiny_national_set(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_national.py"), str(tmp_path), "--regions", "5",
         "--indicators", "4", "--no-xlsx"],
        check=True, capture_output=True,
    )
    assert len((tmp_path / "national.csv").read_text(encoding="utf-8").splitlines()) == 1 + 5 * 4 * 10
    assessment = assess_files_each_region([str(tmp_path / "national-plan.toml")], tmp_path / "national.csv")
    assert len(assessment.plans) == 5 and len(assessment.rows) == 20


def test_jobs_are_capped_at_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    from ipreport.regions import run as regions

    monkeypatch.setattr(regions, "default_workers", lambda: 2)
    assert [regions.capped_workers(asked) for asked in (None, 1, 2, 100_000)] == [2, 1, 2, 2]


def test_report_each_region_signs_each_with_its_own_office_on_the_date_given(tmp_path: Path) -> None:
    result = run("report", PLAN, "--stats", STATS, "--each-region", "--out-dir", str(tmp_path),
                 "--format", "md", "--no-charts", "--date", "2024-03-05")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "延边州2023年知识产权发展状况报告.md").read_text(encoding="utf-8")
    assert '<p align="right">延边州知识产权局<br>2024年3月5日</p>' in text
    refused = run("report", PLAN, "--stats", STATS, "--each-region", "--out-dir", str(tmp_path),
                  "--issuer", "吉林省知识产权局")
    assert refused.exit_code == 2
    assert ("--issuer and --narrative cannot be combined with --each-region: every region's report is its own "
            "office's.") in refused.output
