"""Every value printed on the attainment chart reads exactly as the report's table prints that target's
完成率: "100%" beside "100%", never "100.0%" on the chart and "100%" in the table (an office signs both).

The Word chart's labels are Word's own: each point's number format applied to the value it caches; the
PNG chart's (Markdown, HTML) are the texts matplotlib draws."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import pytest
from lxml import etree

from ipreport.api import assess_files
from ipreport.model import Assessment
from ipreport.render.report import charts
from ipreport.render.report.chart_specs import chart_rows, chart_specs
from ipreport.render.report.write import write_report

pytestmark = pytest.mark.slow  # a report per example and language

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WRITTEN = dt.date(2024, 3, 1)
SAMPLES = {
    "jilin-2016": "jilin/statistics.csv",
    "jilin-2022": "jilin/workpoints-2023.csv",
    "fuxin-2017": "fuxin/statistics.csv",
    "qinghai-2017": "qinghai/statistics.csv",
}
HEADER = {"zh": "完成率", "en": "% of target"}
# The number formats ipreport writes: a percentage with n decimals, and a negative section with a
# quoted minus sign. A code of another shape fails the test rather than being read wrongly.
PERCENT_CODE = re.compile(r'^0(?:\.(0+))?%(?:;"(.)"0(?:\.0+)?%)?$')


def excel_text(value: float, code: str) -> str:
    """What Word and Excel show for ``value`` under ``code``, for the codes PERCENT_CODE admits."""
    found = PERCENT_CODE.match(code)
    assert found is not None, code
    places = len(found.group(1) or "")
    number = (Decimal(repr(value)) * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if number < 0:
        return (found.group(2) or "-") + f"{-number}%"
    return f"{number}%"


def test_excel_text_reads_the_codes_as_excel_does() -> None:
    assert excel_text(1.77, "0%") == "177%"
    assert excel_text(1.526, "0.0%") == "152.6%"
    assert excel_text(0.9995, "0.00%") == "99.95%"
    assert excel_text(-0.053, '0.0%;"−"0.0%') == "−5.3%"
    assert excel_text(-0.053, "0.0%") == "-5.3%"


def _assessments() -> list[tuple[str, Assessment]]:
    return [(name, assess_files((name,), EXAMPLES / stats)) for name, stats in SAMPLES.items()]


@pytest.fixture(scope="module")
def assessments() -> list[tuple[str, Assessment]]:
    return [(name, a) for name, a in _assessments() if "attainment" in chart_specs(a)]


def _cells(rows: list[list[str]], lang: str) -> dict[str, set[str]]:
    """First column (its first line) -> the 完成率 cells of the tables' rows so named."""
    out: dict[str, set[str]] = {}
    column = None
    for row in rows:
        if HEADER[lang] in row:
            column = row.index(HEADER[lang])
            continue
        if column is not None and len(row) > column:
            out.setdefault(row[0].split("\n")[0].strip(), set()).add(row[column].strip())
    return out


def _docx_table_cells(data: bytes, lang: str) -> dict[str, set[str]]:
    document = docx.Document(io.BytesIO(data))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return _cells(rows, lang)


def _word_chart_labels(data: bytes) -> dict[str, str]:
    """Category -> the text Word shows on its bar, from the attainment chart (the bar chart) part."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [archive.read(n) for n in archive.namelist() if n.startswith("word/charts/chart")]
    bars = [etree.fromstring(p) for p in parts if b"<c:barChart>" in p]
    assert len(bars) == 1
    labels: dict[str, str] = {}
    for ser in bars[0].iter(f"{{{C}}}ser"):
        shown = ser.find(f"{{{C}}}dLbls")
        if shown is None:
            continue  # the 100 % outline has no labels
        series_code = shown.find(f"{{{C}}}numFmt").get("formatCode")
        codes = {int(d.find(f"{{{C}}}idx").get("val")): d.find(f"{{{C}}}numFmt") for d in shown.iter(f"{{{C}}}dLbl")}
        names = {int(p.get("idx")): p.findtext(f"{{{C}}}v") for p in ser.find(f"{{{C}}}cat").iter(f"{{{C}}}pt")}
        for point in ser.find(f"{{{C}}}val").iter(f"{{{C}}}pt"):
            index = int(point.get("idx"))
            own = codes.get(index)
            code = own.get("formatCode") if own is not None else series_code
            labels[names[index]] = excel_text(float(point.findtext(f"{{{C}}}v")), code)
    return labels


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_word_charts_labels_read_as_the_table(
    lang: str, assessments: list[tuple[str, Assessment]], tmp_path: Path
) -> None:
    checked: list[str] = []
    for name, assessment in assessments:
        out = write_report(assessment, out=tmp_path / f"{name}-{lang}.docx", lang=lang, written=WRITTEN)
        data = out.read_bytes()
        table = _docx_table_cells(data, lang)
        labels = _word_chart_labels(data)
        assert len(labels) == len(chart_specs(assessment, lang=lang)["attainment"].categories)
        for category, label in labels.items():
            assert table[category] == {label}, (name, category)
            checked.append(label)
    # The examples hold exact figures, where the table writes no decimals in Chinese.
    assert len(checked) >= 10
    if lang == "zh":
        assert "100%" in checked and "60%" in checked
    else:
        assert "100.0%" in checked


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_png_charts_labels_read_as_the_table(
    lang: str, assessments: list[tuple[str, Assessment]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matplotlib.axes import Axes

    drawn: list[str] = []
    text = Axes.text

    def recording(self: Axes, x: float, y: float, s: str, *args: object, **kwargs: object) -> object:
        drawn.append(s)
        return text(self, x, y, s, *args, **kwargs)

    monkeypatch.setattr(Axes, "text", recording)
    checked = 0
    for name, assessment in assessments:
        out = write_report(assessment, out=tmp_path / f"{name}-{lang}.md", lang=lang, written=WRITTEN)
        rows = [[c.strip() for c in line.strip().strip("|").split("|")]
                for line in out.read_text("utf-8").splitlines() if line.startswith("|")]
        table = _cells(rows, lang)
        rows_charted = dict(chart_rows(assessment))["attainment"]
        assert isinstance(rows_charted, list)
        drawn.clear()
        charts.attainment_chart(rows_charted, tmp_path / f"{name}-{lang}.png", lang=lang)
        categories = chart_specs(assessment, lang=lang)["attainment"].categories
        assert len(drawn) == len(categories)
        for category, label in zip(categories, drawn, strict=True):
            # A bar cut at the axis ends its label with a mark that it runs on: " ›".
            assert table[category] == {label.removesuffix(" ›")}, (name, category)
            checked += 1
    assert checked >= 10
