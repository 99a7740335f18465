"""Data that looks like markup or a spreadsheet formula stays data in every output ipreport writes."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import io
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from markupsafe import escape
from report_fixtures import sample_assessment

from ipreport.model import Assessment
from ipreport.render.exports import to_csv
from ipreport.render.report.write import write_report
from ipreport.util.visible import markdown_text
from ipreport.workspace.stats_template import write_stats_template

NAME = "=HYPERLINK(\"http://x\",\"点击\") & <b>R&D</b> ]]> '引号'"
UNIT = "+件"
SOURCE = "@SUM(A1:A9) 统计局 & <年报>"
FORMULA_STARTS = ("=", "+", "-", "@")


def _hostile() -> Assessment:
    assessment = sample_assessment()
    part = assessment.plans[0]
    row = part.rows[0]
    target = dataclasses.replace(row.target, name=NAME, unit=UNIT)
    part = dataclasses.replace(part, rows=(dataclasses.replace(row, target=target), *part.rows[1:]))
    return dataclasses.replace(assessment, plans=(part, *assessment.plans[1:]), sources=(SOURCE,))


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _report(fmt: str) -> Path:
    return write_report(_hostile(), out=Path(f"r.{fmt}"), charts=False, written=dt.date(2021, 3, 1))


def test_word_report_holds_the_names_as_plain_text(in_tmp: Path) -> None:
    document = docx.Document(str(_report("docx")))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    texts = [p.text for p in document.paragraphs] + cells
    assert any(NAME in text for text in texts)
    assert any(SOURCE in text for text in texts)


def test_markdown_keeps_the_text_as_text_and_escapes_its_markup(in_tmp: Path) -> None:
    text = _report("md").read_text(encoding="utf-8")
    # Backslash escapes: the rendered Markdown reads as the name, and <b> is no tag.
    assert markdown_text(NAME) in text
    assert markdown_text(SOURCE) in text
    assert "<b>" not in text
    assessment = _hostile()
    part = assessment.plans[0]
    row = part.rows[0]
    piped = dataclasses.replace(row, target=dataclasses.replace(row.target, name="a|b"))
    part = dataclasses.replace(part, rows=(piped, *part.rows[1:]))
    assessment = dataclasses.replace(assessment, plans=(part, *assessment.plans[1:]))
    table = write_report(assessment, out=Path("p.md"), charts=False, written=dt.date(2021, 3, 1))
    assert "| a\\|b |" in table.read_text(encoding="utf-8")


def test_html_escapes_markup_and_quotes(in_tmp: Path) -> None:
    text = _report("html").read_text(encoding="utf-8")
    assert str(escape(NAME)) in text
    assert "<b>R&D</b>" not in text
    assert str(escape(SOURCE)) in text
    assert html.unescape(str(escape(NAME))) == NAME


def test_csv_export_neutralises_formula_cells() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(_hostile()).lstrip("\ufeff"))))
    first = rows[0]
    assert first["name"] == "'" + NAME
    assert first["unit"] == "'" + UNIT
    for row in rows:
        for key, value in row.items():
            if value.startswith(FORMULA_STARTS):
                float(value)  # only a number (a negative gap) may start with a sign
                assert key in ("gap", "attainment", "ratio", "target", "baseline", "latest")


def _plan_file(folder: Path) -> Path:
    plan = folder / "plan.toml"
    plan.write_text(
        "\n".join([
            "[plan]", 'id = "p"', 'title = "T"', 'document = "D"', 'issuer = "I"', "issued = 2020-01-01",
            'region = "=cmd|\' /C calc\'!A0"', "start_year = 2020", "target_year = 2025", "",
            "[[target]]", 'id = "a"', 'name = "=1+1"', 'dimension = "创造"', 'kind = "level"',
            "target = 10", 'unit = "@件"', "",
            "[[target]]", 'id = "b"', 'name = "-2+3 & <x>"', 'dimension = "创造"', 'kind = "level"',
            "target = 10", 'unit = "件"', "",
        ]),
        encoding="utf-8",
    )
    return plan


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_statistics_sheet_cells_are_text_not_formulas(tmp_path: Path, suffix: str) -> None:
    out, _ = write_stats_template([str(_plan_file(tmp_path))], tmp_path / f"sheet{suffix}")
    if suffix == ".csv":
        cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))) for c in row]
    else:
        workbook = openpyxl.load_workbook(out)
        found = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
        assert [c.coordinate for c in found if c.data_type == "f"] == []
        cells = [str(c.value) for c in found if c.value is not None]
    assert "'=1+1" in cells
    assert "'-2+3 & <x>" in cells
    assert "'@件" in cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS) and not _is_number(c)]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


HOSTILE_NAMES = ("<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "[点击](javascript:alert(1))")


def test_markup_in_names_stays_text_in_the_markdown_report_and_gap_table(in_tmp: Path) -> None:
    from ipreport.render.table import render_markdown

    assessment = _hostile()
    part = assessment.plans[0]
    rows = tuple(
        dataclasses.replace(row, target=dataclasses.replace(row.target, name=name))
        for row, name in zip(part.rows, HOSTILE_NAMES, strict=False)
    )
    part = dataclasses.replace(part, rows=rows + part.rows[len(rows):])
    assessment = dataclasses.replace(assessment, plans=(part, *assessment.plans[1:]))
    report = write_report(assessment, out=Path("x.md"), charts=False, written=dt.date(2021, 3, 1))
    for text in (report.read_text(encoding="utf-8"), render_markdown(assessment)):
        # Every "<" and "]" of a name comes with the backslash that makes it a plain character.
        assert re.search(r"(?<!\\)<(script|img)|(?<!\\)\]\(javascript", text) is None
        assert "\\<script\\>alert(1)\\</script\\>" in text
        assert '\\<img src=x onerror="alert(1)"\\>' in text
        assert "\\[点击\\](javascript:alert(1))" in text


def test_control_characters_from_a_name_are_shown_escaped_in_html_and_markdown(in_tmp: Path) -> None:
    assessment = _hostile()
    part = assessment.plans[0]
    row = part.rows[0]
    odd = dataclasses.replace(row, target=dataclasses.replace(row.target, name="专利\x01\x1b[2J"))
    part = dataclasses.replace(part, rows=(odd, *part.rows[1:]))
    assessment = dataclasses.replace(assessment, plans=(part, *assessment.plans[1:]))
    # In Markdown the escape's own backslash and the "[" are escaped again, to read as written.
    shown = {"c.html": "专利\\u0001\\u001b[2J", "c.md": "专利\\\\u0001\\\\u001b\\[2J"}
    for name in ("c.html", "c.md"):
        text = write_report(assessment, out=Path(name), charts=False, written=dt.date(2021, 3, 1)).read_text(
            encoding="utf-8"
        )
        assert "\x01" not in text and "\x1b" not in text
        assert shown[name] in text
