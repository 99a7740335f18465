"""`report --format pdf`: the Word report converted by LibreOffice, fonts embedded; a clear error without it."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from report_fixtures import sample_assessment, single_plan_assessment

from ipreport.cli import cli
from ipreport.errors import OptionError
from ipreport.render.report.chart_specs import chart_rows
from ipreport.render.report.charts import chartable, legend_entries
from ipreport.render.report.write import choose_format, write_report
from ipreport.util.resources import templates_dir

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cli"
NO_OFFICE = (
    "--format: a PDF report needs LibreOffice (soffice), which is not installed: install it (Debian/Ubuntu: "
    "apt-get install libreoffice-writer; Windows/macOS: libreoffice.org), or write the .docx and save it "
    "as PDF from Word or WPS"
)


def test_a_pdf_name_chooses_the_pdf_format() -> None:
    assert choose_format(None, Path("报告.pdf"), None) == "pdf"
    assert choose_format("pdf", None, None) == "pdf"


def test_without_libreoffice_the_error_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "r.pdf"
    with pytest.raises(OptionError) as caught:
        write_report(single_plan_assessment(), out=out, charts=False, written=dt.date(2024, 3, 1))
    assert str(caught.value) == NO_OFFICE
    assert caught.value.exit_code == 2
    assert sorted(os.listdir(tmp_path)) == []


def test_the_cli_says_it_too_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = CliRunner().invoke(cli, ["report", str(FIXTURES / "mini.toml"), "--stats", str(FIXTURES / "mini.csv"),
                                      "--no-charts", "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {NO_OFFICE}\n"
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.slow
def test_a_pdf_report_holds_the_text_with_its_fonts_embedded(tmp_path: Path, soffice: str) -> None:
    out = write_report(single_plan_assessment(), out=tmp_path / "r.pdf", charts=False, written=dt.date(2024, 3, 1),
                       issuer="吉林省知识产权局", date=dt.date(2021, 3, 1))
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "一、总体情况" in flat and "五、下一步工作" in flat and "吉林省知识产权局2021年3月1日" in flat
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # the "emb" column
    assert sorted(os.listdir(tmp_path)) == ["r.pdf"]


def test_the_page_number_s_dash_sits_7mm_below_the_text_block() -> None:
    """GB/T 9704 §7.5. An exact 14 pt footer line 25.5 mm above the page's edge puts the 一字线 at
    269.1 mm from the top in LibreOffice's PDF (measured at 300 dpi), 7.1 mm below the text block
    (297 − 35 mm); the old single-spaced line at 23 mm put it 9.3 mm below."""
    document = docx.Document(str(templates_dir() / "report.docx"))
    section = document.sections[0]
    assert round(section.footer_distance.mm, 1) == 25.5
    spacing = document.styles["Footer"].element.pPr.find(qn("w:spacing"))
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("280", "exact")


@pytest.mark.slow
def test_libreoffice_draws_the_native_word_charts_in_the_pdf(tmp_path: Path, soffice: str) -> None:
    # The chart parts' own text (axis title, legend, category labels, the trend's target note) can only
    # come out of LibreOffice's chart drawing: the .docx holds no picture of them.
    out = write_report(single_plan_assessment(), out=tmp_path / "r.pdf", written=dt.date(2024, 3, 1))
    text = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "图1各项指标完成率（虚线为100%）" in flat
    assert "完成率" in flat.split("附件2")[-1] and "目标100%" in flat
    assert "每万人口发明专利拥有量" in flat.split("附件2")[-1]
    assert "152.6%" in flat.split("附件2")[-1]  # the bar's value label, as the table prints it
    assert "目标4.2（2020年）" in flat


@pytest.mark.slow
def test_libreoffice_lists_the_attainment_legend_in_the_tables_order(tmp_path: Path, soffice: str) -> None:
    # LibreOffice lists a horizontal bar chart's legend last to first; the series are written so that
    # it reads first to last, as Word's (which follows c:order) and the table's statuses do.
    assessment = sample_assessment()
    rows = dict(chart_rows(assessment))["attainment"]
    assert isinstance(rows, list)
    wanted = [label for label, _ in legend_entries(chartable(rows))] + ["目标"]
    assert len(wanted) >= 5
    out = write_report(assessment, out=tmp_path / "r.pdf", written=dt.date(2024, 3, 1))
    boxes = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True, check=True).stdout
    page = next(p for p in boxes.split("<page ")[1:] if f">{wanted[0]}</word>" in p)
    words = [
        (round(float(y)), float(x), text)
        for x, y, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', page)
        if text in wanted
    ]
    assert [text for _, _, text in sorted(words)] == wanted  # row by row, left to right
