"""Sample reports for every bundled plan with its example statistics: .docx, .md and .html, and the PDF.

The reports go to a temporary folder, or to $IPREPORT_SAMPLES when set (CI publishes them). LibreOffice
converts every .docx in one call (it takes seconds to start); without it that test skips, unless
IPREPORT_REQUIRE_SOFFICE=1 makes it a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import require_soffice
from docx.oxml.ns import qn
from wml_schema import package_problems

from ipreport.api import assess_files
from ipreport.model import Assessment
from ipreport.render.report.charts import MIN_ATTAINMENT_BARS, chartable, has_trend
from ipreport.render.report.context import build_context
from ipreport.render.report.narrative import read_narrative
from ipreport.render.report.write import write_report

# Seconds each: `pytest -m 'not slow'` leaves them out of a quick run; CI runs them.
pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
WRITTEN = dt.date(2024, 3, 1)


@dataclass(frozen=True)
class Sample:
    name: str
    plans: tuple[str, ...]
    stats: str  # under examples/, or "combined" for the two Jilin files together
    narrative: str | None = None  # under examples/: the office's own text


SAMPLES = (
    Sample("jilin-2016", ("jilin-2016",), "jilin/statistics.csv"),
    Sample("jilin-2022", ("jilin-2022",), "jilin/workpoints-2023.csv"),
    Sample("fuxin-2017", ("fuxin-2017",), "fuxin/statistics.csv", "fuxin/narrative.md"),
    Sample("qinghai-2017", ("qinghai-2017",), "qinghai/statistics.csv"),
    Sample("jilin-two-plans", ("jilin-2016", "jilin-2022"), "combined"),
)
FORMATS = ("docx", "md", "html")


def _combined_jilin(folder: Path) -> Path:
    """The published 2016–2020 figures and the 2022–2023 work points in one statistics file."""
    published = [line for line in (EXAMPLES / "jilin/statistics.csv").read_text("utf-8").splitlines()
                 if line and not line.startswith("#")]
    points = [line for line in (EXAMPLES / "jilin/workpoints-2023.csv").read_text("utf-8").splitlines()
              if line and not line.startswith("#")]
    assert published[0] + ",date" == points[0], "the two example files no longer share their columns"
    out = folder / "jilin-combined.csv"
    out.write_text("\n".join([points[0], *(row + "," for row in published[1:]), *points[1:]]) + "\n", "utf-8")
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    published = os.environ.get("IPREPORT_SAMPLES", "").strip()
    if published:
        path = Path(published)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("samples")


@pytest.fixture(scope="module")
def reports(folder: Path) -> dict[str, tuple[Assessment, dict[str, Any]]]:
    """Every sample in every format; per sample its assessment and the context the report was built from."""
    made = {}
    for sample in SAMPLES:
        stats = _combined_jilin(folder) if sample.stats == "combined" else EXAMPLES / sample.stats
        assessment = assess_files(sample.plans, stats)
        for fmt in FORMATS:
            out = write_report(assessment, out=folder / f"{sample.name}.{fmt}", written=WRITTEN,
                               narrative=EXAMPLES / sample.narrative if sample.narrative else None)
            assert out.is_file()
        narrative = read_narrative(EXAMPLES / sample.narrative) if sample.narrative else None
        made[sample.name] = (assessment, build_context(assessment, written=WRITTEN, narrative=narrative))
    return made


def _flat(text: str) -> str:
    """Text without white space: pdftotext and tables break lines anywhere in Chinese."""
    return re.sub(r"\s+", "", text)


def _holds(text: str, sentence: str) -> bool:
    """Whether the flattened PDF text holds the sentence.

    LibreOffice lets a "，" that ends a full line hang into the margin and then leaves it out of the
    PDF (seen with the fonts CI installs); such a comma may be missing, every other character not.
    """
    pattern = "".join("，?" if char == "，" else re.escape(char) for char in _flat(sentence))
    return re.search(pattern, text) is not None


def _overview(context: dict[str, Any]) -> str:
    """The first paragraph of 总体情况: the plans introduced, each by its full title once."""
    return str(context["body"][1]["text"])


def _target_names(assessment: Assessment) -> list[str]:
    return list(dict.fromkeys(target.name for part in assessment.plans for target in part.plan.targets))


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_the_docx_reopens_with_its_text_styles_and_a4_page(
    sample: Sample, reports: dict[str, tuple[Assessment, dict[str, Any]]], folder: Path
) -> None:
    assessment, context = reports[sample.name]
    document = docx.Document(str(folder / f"{sample.name}.docx"))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Title", context["title"])
    assert ("Heading 1", "一、总体情况") in paragraphs
    body = [text for style, text in paragraphs if style == "Normal"]
    assert _overview(context) in body
    # No paragraph twice: several plans share one 总体情况, 存在的问题 and 下一步工作.
    assert [p for p in body if body.count(p) > 1] == []
    headings = [text for style, text in paragraphs if style == "Heading 1"]
    assert headings[-2:] == [f"{context['numerals'][len(headings) - 1]}、存在的问题",
                             f"{context['numerals'][len(headings)]}、下一步工作"]
    # 署名 and 成文日期 end the body; after them only the 附件 pages.
    styles = [style for style, _ in paragraphs]
    end = styles.index("成文日期")
    assert styles[end - 1] == "发文机关署名" and "Normal" not in styles[end:]
    assert paragraphs[end + 1] == ("附件编号", "附件1")
    if sample.narrative:  # the office's own 主要工作成效 opens 三、重点任务进展
        tasks = [text for style, text in paragraphs].index("三、重点任务进展")
        assert paragraphs[tasks + 1][1].startswith("（示例文字，虚构，仅示范叙述文件的写法）一是专利导航工作")
    # The body's tables hold only targets and tasks with data; 无数据 rows are in 附件1.
    body_cells = [c for block in context["body"] if "rows" in block for c in block["rows"]]
    assert all(row["status"] != "no_data" for row in body_cells)
    assert not any("·" in text or ".csv" in text or "pip install" in text for _, text in paragraphs[:end])
    cells = {cell.text.split("\n")[0] for table in document.tables for row in table.rows[1:] for cell in row.cells[:1]}
    shown = _flat("".join(cells) + "".join(body))
    assert [name for name in _target_names(assessment) if _flat(name) not in shown] == []
    assert not any("{{" in text or "{%" in text for _, text in paragraphs)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(round(m.mm) for m in margins) == (37, 35, 28, 26)
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert document.styles["Title"].font.size.pt == 22
    # Word reads property elements only in schema order: every part of the report keeps it.
    assert package_problems((folder / f"{sample.name}.docx").read_bytes()) == []


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_markdown_and_html_hold_the_summary_and_every_target(
    sample: Sample, reports: dict[str, tuple[Assessment, dict[str, Any]]], folder: Path
) -> None:
    assessment, context = reports[sample.name]
    summary = _overview(context)
    for fmt in ("md", "html"):
        text = (folder / f"{sample.name}.{fmt}").read_text(encoding="utf-8")
        if fmt == "html":
            text = text.replace("&amp;", "&").replace("&#34;", '"').replace("&#39;", "'")
            # A chart wherever there is one to draw (qinghai's data make none: one bar, no two-year series).
            drawable = len(chartable([r for r in assessment.rows if not r.interim])) >= MIN_ATTAINMENT_BARS or any(
                has_trend(r) for r in assessment.rows
            )
            assert (text.count("data:image/png;base64,") >= 1) == drawable or context["chart_note"]
        assert summary in text, fmt
        assert [name for name in _target_names(assessment) if name not in text] == [], fmt


def test_libreoffice_converts_every_sample_and_the_pdf_holds_the_summary_and_targets(
    reports: dict[str, tuple[Assessment, dict[str, Any]]], folder: Path, tmp_path: Path
) -> None:
    soffice = require_soffice()
    documents = [str(folder / f"{sample.name}.docx") for sample in SAMPLES]
    # One call for all files: LibreOffice takes seconds to start. A private profile leaves the user's alone.
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), *documents],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for sample in SAMPLES:
        assessment, context = reports[sample.name]
        pdf = folder / f"{sample.name}.pdf"
        assert pdf.is_file(), f"{pdf.name} missing: {result.stdout} {result.stderr}"
        text = _flat(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                                    check=True).stdout)
        assert _holds(text, _overview(context)), sample.name
        assert _holds(text, context["signature"]["issuer"] + context["signature"]["date_text"]), sample.name
        missing = [name for name in _target_names(assessment) if _flat(name) not in text]
        assert missing == [], sample.name
        assert "—1—" in text, sample.name
