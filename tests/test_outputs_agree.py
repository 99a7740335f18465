"""The gap table, the JSON, the CSV and the .md report show the same figures for every row of the
bundled examples: status, latest value, gap and attainment."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_reference_method import CASES, write_case

from ipreport.cli import cli
from ipreport.render.formatting import DASH, MINUS, decimals_of, format_attainment
from ipreport.util.rounding import half_up

ROOT = Path(__file__).parent.parent
EXAMPLES = [
    ("jilin-2016", "examples/jilin/statistics.csv"),
    ("jilin-2022", "examples/jilin/workpoints-2023.csv"),
    ("qinghai-2017", "examples/qinghai/statistics.csv"),
    ("fuxin-2017", "examples/fuxin/statistics.csv"),
]
UNITS = re.compile(r"(个百分点|pp)$")
YEAR_RANGE = re.compile(r"\d{4}—\d{4}")


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _md_tables(text: str) -> list[list[dict[str, str]]]:
    """Every Markdown table of ``text`` as rows keyed by their column headers."""
    tables: list[list[dict[str, str]]] = []
    headers: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("|---"):
            continue
        if not line.startswith("| "):
            headers = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if headers is None:
            headers = cells
            tables.append([])
        else:
            tables[-1].append(dict(zip(headers, cells, strict=True)))
    return tables


def _same_point(table: str, report: str) -> None:
    """ "6.41 (2020)" in the gap table is "6.41（2020年）" in the report."""
    assert table == re.sub(r"（(\d{4})年）$", r" (\1)", report), (table, report)


def _same_figure(report: str, table: str) -> bool:
    """The same figure, "177%" in the report for "177.0%" in the table, dashes alike."""
    if DASH in (report, table):
        return report == table
    return _number(report.rstrip("%")) == _number(table.rstrip("%"))


def _number(text: str) -> Decimal:
    return Decimal(UNITS.sub("", text).replace(MINUS, "-").replace(",", ""))


@pytest.mark.parametrize(("plan", "stats"), EXAMPLES, ids=[plan for plan, _ in EXAMPLES])
def test_table_json_csv_and_report_agree_on_every_row(plan: str, stats: str, tmp_path: Path) -> None:
    assert_outputs_agree(plan, str(ROOT / stats), tmp_path)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_outputs_agree_on_every_edge_case(case: dict[str, Any], tmp_path: Path) -> None:
    write_case(case, tmp_path)
    extra = ("--year", str(case["year"])) if "year" in case else ()
    assert_outputs_agree(str(tmp_path / "case.toml"), str(tmp_path / "stats.csv"), tmp_path, *extra)


def assert_outputs_agree(plan: str, stats_path: str, tmp_path: Path, *extra: str) -> None:
    """Every row of ``plan`` on ``stats_path`` reads the same in the four outputs."""
    document = json.loads(_run("gaps", plan, "--stats", stats_path, "--format", "json", *extra))
    rows = document["plans"][0]["targets"]
    gap_tables = _md_tables(_run("gaps", plan, "--stats", stats_path, "--format", "markdown", *extra))
    table = [list(row.values()) for rows_of_table in gap_tables for row in rows_of_table]
    exported = list(csv.DictReader(io.StringIO(_run("gaps", plan, "--stats", stats_path, "--format", "csv", *extra)
                                               .lstrip("\ufeff"))))
    out = tmp_path / "report.md"
    _run("report", plan, "--stats", stats_path, "-o", str(out), "--format", "md", "--no-charts", *extra)
    # Every row with data is in 附件1's full table (a column with nothing but "—" is left out); the
    # rows without data are listed apart, by name, in a table of their own.
    tables = _md_tables(out.read_text(encoding="utf-8"))
    report = {row["指标"]: row for table_rows in tables for row in table_rows if "差距" in row or "最新值" in row}
    without_data = {row["指标或任务"] for table_rows in tables for row in table_rows if "指标或任务" in row}
    assert len(table) == len(rows) == len(exported)
    checked = 0
    for row, cells, line in zip(rows, table, exported, strict=True):
        _, name, _, latest, gap, attainment, status = cells
        assert status == row["status_label"] == line["status_label"]
        assert line["gap"] == ("" if row["gap"] is None else str(row["gap"]))
        assert line["attainment"] == ("" if row["attainment"] is None else str(row["attainment"]))
        if row["kind"] == "milestone":
            continue
        assert attainment == format_attainment(row["attainment"])
        if gap == DASH:
            assert row["gap"] is None
        else:
            number = _number(gap)
            assert number == half_up(Decimal(str(row["gap"])), decimals_of(number)), (name, gap, row["gap"])
        shown_name = re.sub(r" \((\d{4})\)$", r"（\1年）", name)
        if row["latest"] is None:
            assert latest == DASH
            assert shown_name in without_data or report.get(shown_name, {}).get("最新值", DASH) == DASH, name
            checked += 1
            continue
        if row["kind"] != "growth":
            assert _number(latest.split(" (")[0]) == Decimal(str(row["latest"]["value"]))
        shown = report[shown_name]
        report_status = shown["状态"]
        assert report_status.startswith(status) or status == "提前实现" and report_status == status
        # The report writes an exact 100% or 177% without ".0"; the figure is the table's.
        assert _same_figure(shown.get("完成率", DASH), attainment), (name, shown, attainment)
        assert _same_figure(shown.get("差距", DASH), gap), (name, shown, gap)
        _same_point(latest, shown["最新值"])
        checked += 1
    assert checked >= 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_report_sentence_has_a_dash_for_a_number(lang: str, tmp_path: Path) -> None:
    for case in CASES:
        write_case(case, tmp_path)
        out = tmp_path / f"{case['id']}.md"
        extra = ("--year", str(case["year"])) if "year" in case else ()
        _run("report", str(tmp_path / "case.toml"), "--stats", str(tmp_path / "stats.csv"), "-o", str(out),
             "--no-charts", "--lang", lang, *extra)
        prose = [line for line in out.read_text(encoding="utf-8").splitlines()
                 if line and not line.startswith(("|", "#", "- ", "!"))]
        # "2015—2020年" joins two years with the same 一字线 (GB/T 15834); a dash anywhere else stands
        # where a number should be.
        assert [line for line in prose if DASH in YEAR_RANGE.sub("", line)] == [], case["id"]
        assert not any(re.search(r"[−-]0(\.0+)?(?![.\d])", line) for line in prose), case["id"]
