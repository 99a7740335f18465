"""The Word report's charts are native charts: chart parts in schema order, related and typed, with their
numbers embedded in a workbook that opens, equal to the assessment's."""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import etree
from report_fixtures import sample_assessment

from ipreport.model import Assessment
from ipreport.render.formatting import format_attainment
from ipreport.render.report import word_charts
from ipreport.render.report.chart_specs import chart_rows, chart_specs
from ipreport.render.report.charts import chartable, legend_entries
from ipreport.render.report.context import build_context
from ipreport.render.report.docx import render_docx_bytes
from ipreport.render.report.write import write_report

WRITTEN = dt.date(2023, 3, 1)
C = word_charts.C
A = word_charts.A
R = word_charts.R
WP = word_charts.WP
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"

# Child sequences of ECMA-376 Part 1 (dml-chart.xsd, dml-main.xsd, dml-wordprocessingDrawing.xsd) for
# the elements ipreport's charts hold; names without prefix. A name not listed under its parent fails.
SEQUENCES: dict[tuple[str, str], tuple[str, ...]] = {
    (C, "chartSpace"): ("date1904", "lang", "roundedCorners", "AlternateContent", "style", "clrMapOvr",
                        "pivotSource", "protection", "chart", "spPr", "txPr", "externalData",
                        "printSettings", "userShapes", "extLst"),
    (C, "chart"): ("title", "autoTitleDeleted", "pivotFmts", "view3D", "floor", "sideWall", "backWall",
                   "plotArea", "legend", "plotVisOnly", "dispBlanksAs", "showDLblsOverMax", "extLst"),
    (C, "barChart"): ("barDir", "grouping", "varyColors", "ser", "dLbls", "gapWidth", "overlap",
                      "serLines", "axId", "extLst"),
    (C, "lineChart"): ("grouping", "varyColors", "ser", "dLbls", "dropLines", "hiLowLines", "upDownBars",
                       "marker", "smooth", "axId", "extLst"),
    (C, "ser"): ("idx", "order", "tx", "spPr", "invertIfNegative", "pictureOptions", "marker", "dPt",
                 "dLbls", "trendline", "errBars", "cat", "val", "shape", "smooth", "extLst"),
    (C, "dPt"): ("idx", "invertIfNegative", "marker", "bubble3D", "explosion", "spPr", "pictureOptions",
                 "extLst"),
    (C, "marker"): ("symbol", "size", "spPr", "extLst"),
    (C, "dLbls"): ("dLbl", "delete", "numFmt", "spPr", "txPr", "dLblPos", "showLegendKey", "showVal",
                   "showCatName", "showSerName", "showPercent", "showBubbleSize", "separator",
                   "showLeaderLines", "leaderLines", "extLst"),
    (C, "dLbl"): ("idx", "delete", "layout", "tx", "numFmt", "spPr", "txPr", "dLblPos", "showLegendKey",
                  "showVal", "showCatName", "showSerName", "showPercent", "showBubbleSize", "separator",
                  "extLst"),
    (C, "catAx"): ("axId", "scaling", "delete", "axPos", "majorGridlines", "minorGridlines", "title",
                   "numFmt", "majorTickMark", "minorTickMark", "tickLblPos", "spPr", "txPr", "crossAx",
                   "crosses", "crossesAt", "auto", "lblAlgn", "lblOffset", "tickLblSkip", "tickMarkSkip",
                   "noMultiLvlLbl", "extLst"),
    (C, "valAx"): ("axId", "scaling", "delete", "axPos", "majorGridlines", "minorGridlines", "title",
                   "numFmt", "majorTickMark", "minorTickMark", "tickLblPos", "spPr", "txPr", "crossAx",
                   "crosses", "crossesAt", "crossBetween", "majorUnit", "minorUnit", "dispUnits", "extLst"),
    (C, "scaling"): ("logBase", "orientation", "max", "min", "extLst"),
    (C, "legend"): ("legendPos", "legendEntry", "layout", "overlay", "spPr", "txPr", "extLst"),
    (C, "title"): ("tx", "layout", "overlay", "spPr", "txPr", "extLst"),
    (A, "defRPr"): ("ln", "noFill", "solidFill", "gradFill", "blipFill", "pattFill", "grpFill", "effectLst",
                    "effectDag", "highlight", "uLnTx", "uLn", "uFillTx", "uFill", "latin", "ea", "cs", "sym",
                    "hlinkClick", "hlinkMouseOver", "rtl", "extLst"),
    (A, "ln"): ("noFill", "solidFill", "gradFill", "pattFill", "prstDash", "custDash", "round", "bevel",
                "miter", "headEnd", "tailEnd", "extLst"),
    (WP, "inline"): ("extent", "effectExtent", "docPr", "cNvGraphicFramePr", "graphic"),
}
SEQUENCES[(A, "rPr")] = SEQUENCES[(A, "defRPr")]
# Children that may repeat where they stand.
REPEATING = {"ser", "dPt", "dLbl", "axId", "legendEntry"}


def order_problems(xml: bytes) -> list[str]:
    problems = []
    for element in etree.fromstring(xml).iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element)
        sequence = SEQUENCES.get((name.namespace or "", name.localname))
        if sequence is None:
            continue
        position = -1
        for child in element:
            if not isinstance(child.tag, str):
                continue
            local = etree.QName(child).localname
            if local not in sequence:
                problems.append(f"<{name.localname}>: <{local}> is no child of it")
                continue
            index = sequence.index(local)
            if index < position or (index == position and local not in REPEATING):
                problems.append(f"<{name.localname}>: <{local}> after <{sequence[position]}>")
            position = index
    return problems


def test_the_order_checker_finds_a_child_out_of_place() -> None:
    xml = f'<c:chartSpace xmlns:c="{C}"><c:chart/><c:date1904 val="0"/></c:chartSpace>'.encode()
    assert order_problems(xml) == ["<chartSpace>: <date1904> after <chart>"]


def _report(tmp_path: Path, assessment: Assessment) -> bytes:
    out = write_report(assessment, out=tmp_path / "report.docx", written=WRITTEN)
    return out.read_bytes()


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    data = _report(tmp_path_factory.mktemp("word-charts"), sample_assessment())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rels(package: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    folder, name = posixpath.split(part)
    root = etree.fromstring(package[f"{folder}/_rels/{name}.rels"])
    return {
        rel.get("Id"): (rel.get("Type"), posixpath.normpath(posixpath.join(folder, rel.get("Target"))))
        for rel in root.iter(f"{{{PKG}}}Relationship")
    }


def _charts_in_order(package: dict[str, bytes]) -> list[str]:
    """The chart parts as the body shows them, first to last, through its relationships."""
    body = etree.fromstring(package["word/document.xml"])
    rels = _rels(package, "word/document.xml")
    found = []
    for chart in body.iter(f"{{{C}}}chart"):
        kind, target = rels[chart.get(f"{{{R}}}id")]
        assert kind == word_charts.CHART_RELATIONSHIP
        found.append(target)
    return found


def test_every_chart_is_a_related_typed_chart_part_in_the_report_order(package: dict[str, bytes]) -> None:
    charts = _charts_in_order(package)
    assert len(charts) == len(chart_specs(sample_assessment())) == len(set(charts))
    types = etree.fromstring(package["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{{{CT}}}Override")}
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.iter(f"{{{CT}}}Default")}
    for chart in charts:
        assert overrides["/" + chart] == "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
        space = etree.fromstring(package[chart])
        rid = space.find(f"{{{C}}}externalData").get(f"{{{R}}}id")
        kind, book = _rels(package, chart)[rid]
        assert kind == word_charts.PACKAGE_RELATIONSHIP
        assert book.startswith("word/embeddings/") and book.endswith(".xlsx")
        assert overrides.get("/" + book, defaults["xlsx"]) == word_charts.XLSX_CONTENT_TYPE


def test_chart_parts_and_drawings_keep_schema_order(package: dict[str, bytes]) -> None:
    for chart in _charts_in_order(package):
        assert order_problems(package[chart]) == [], chart
    assert order_problems(package["word/document.xml"]) == []
    inline = etree.fromstring(package["word/document.xml"]).find(f".//{{{WP}}}inline")
    assert [etree.QName(c).localname for c in inline] == list(SEQUENCES[(WP, "inline")])


def _plotted(space: etree._Element) -> list[tuple[str, list[str], list[float | None]]]:
    """(series name, categories, values) of each series, as the chart part caches them, in c:order (the
    order Word takes them in; the bar chart writes them last to first, for LibreOffice's legend)."""
    out = []
    for ser in sorted(space.iter(f"{{{C}}}ser"), key=lambda s: int(s.find(f"{{{C}}}order").get("val"))):
        name = ser.findtext(f"{{{C}}}tx//{{{C}}}v")
        cats = {int(p.get("idx")): p.findtext(f"{{{C}}}v") for p in ser.find(f"{{{C}}}cat").iter(f"{{{C}}}pt")}
        vals = {int(p.get("idx")): float(p.findtext(f"{{{C}}}v")) for p in ser.find(f"{{{C}}}val").iter(f"{{{C}}}pt")}
        count = int(ser.find(f"{{{C}}}cat").find(f".//{{{C}}}ptCount").get("val"))
        out.append((name, [cats[i] for i in range(count)], [vals.get(i) for i in range(count)]))
    return out


def test_the_embedded_workbook_opens_and_holds_the_plotted_numbers(package: dict[str, bytes]) -> None:
    for chart in _charts_in_order(package):
        space = etree.fromstring(package[chart])
        _, book = _rels(package, chart)[space.find(f"{{{C}}}externalData").get(f"{{{R}}}id")]
        sheet = openpyxl.load_workbook(io.BytesIO(package[book])).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        for column, (name, categories, values) in enumerate(_plotted(space), start=1):
            assert rows[0][column] == name
            assert [row[0] for row in rows[1:]] == categories
            assert [row[column] for row in rows[1:]] == values


def test_the_numbers_in_the_charts_are_the_assessments(package: dict[str, bytes]) -> None:
    assessment = sample_assessment()
    charts = _charts_in_order(package)
    for (key, rows), chart in zip(chart_rows(assessment), charts, strict=True):
        plotted = _plotted(etree.fromstring(package[chart]))
        if key == "attainment":
            assert isinstance(rows, list)
            drawn = chartable(rows)
            # One bar per target, in the series of its status; the last series is the 100 % outline.
            bars = [next(v for _, _, values in plotted[:-1] if (v := values[i]) is not None)
                    for i in range(len(drawn))]
            assert [format_attainment(Decimal(repr(b))) for b in bars] == [
                format_attainment(row.attainment) for row in drawn
            ]
            assert plotted[-1][2] == [1.0] * len(drawn)
        else:
            assert not isinstance(rows, list)
            _, years, values = plotted[0]
            observed = {str(p.year): float(p.value) for p in rows.series}
            assert {y: v for y, v in zip(years, values, strict=True) if v is not None} == observed


def test_chart_text_takes_the_documents_fonts(package: dict[str, bytes]) -> None:
    for chart in _charts_in_order(package):
        space = etree.fromstring(package[chart])
        faces = {(e.find(f"{{{A}}}latin").get("typeface"), e.find(f"{{{A}}}ea").get("typeface"))
                 for e in space.iter(f"{{{A}}}defRPr", f"{{{A}}}rPr")}
        # The built-in template's default run fonts (w:docDefaults).
        assert faces == {("Times New Roman", "仿宋_GB2312")}


def test_a_chart_styled_from_a_kept_look_equals_one_styled_afresh() -> None:
    specs = list(chart_specs(sample_assessment()).values())
    fonts = word_charts.Fonts("Latin", "东亚")
    pairs = 0
    for index, first in enumerate(specs):
        for second in specs[index + 1:]:
            if word_charts._look(first, fonts) is None or word_charts._look(first, fonts) != word_charts._look(second, fonts):
                continue
            word_charts._PROTOTYPES.clear()
            word_charts.chart_xml(first, fonts, "rId1")
            refilled = word_charts.chart_xml(second, fonts, "rId1")
            word_charts._PROTOTYPES.clear()
            assert refilled == word_charts.chart_xml(second, fonts, "rId1")
            pairs += 1
    assert pairs >= 1


def test_a_users_word_template_gets_native_charts(tmp_path: Path) -> None:
    """docs/templates.md: `{{ charts.attainment | image }}` and the trend charts by target id."""
    template = tmp_path / "mine.docx"
    document = docx.Document()
    document.add_paragraph("{% if charts.attainment %}")
    document.add_paragraph("{{ charts.attainment | image }}")
    document.add_paragraph("{% endif %}")
    for line in ("{%p for plan in plans %}", "{%p for id, chart in plan.chart_trend.items() %}",
                 "{{ chart | image }}", "{%p endfor %}", "{%p endfor %}"):
        document.add_paragraph(line)
    document.save(str(template))
    context = build_context(sample_assessment(), written=WRITTEN, charts=chart_specs(sample_assessment()))
    data = render_docx_bytes(context, template, when=WRITTEN)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        package = {name: archive.read(name) for name in archive.namelist()}
    charts = _charts_in_order(package)
    assert len(charts) == len(chart_specs(sample_assessment()))
    ids = [p.get("id") for p in etree.fromstring(package["word/document.xml"]).iter(f"{{{WP}}}docPr")]
    assert len(ids) == len(set(ids)) == len(charts)
    # python-docx's own defaults (Calibri and the theme's East Asian font).
    fonts = {e.find(f"{{{A}}}ea").get("typeface") for e in etree.fromstring(package[charts[0]]).iter(f"{{{A}}}defRPr")}
    assert fonts == {word_charts.document_fonts(document.styles.element).east_asian}


def test_the_bar_series_rank_in_the_legends_order_and_are_written_last_to_first(package: dict[str, bytes]) -> None:
    # Word follows c:order: the statuses good to bad, then the 100 % outline. LibreOffice follows the
    # written order and reverses a horizontal bar chart's legend: the series are written last to first.
    space = etree.fromstring(package[_charts_in_order(package)[0]])
    written = list(space.iter(f"{{{C}}}ser"))
    ranks = [int(ser.find(f"{{{C}}}order").get("val")) for ser in written]
    assert ranks == sorted(ranks, reverse=True) == list(range(len(written)))[::-1]
    rows = dict(chart_rows(sample_assessment()))["attainment"]
    assert isinstance(rows, list)
    legend = [label for label, _ in legend_entries(chartable(rows))] + ["目标 100%"]
    assert [name for name, _, _ in _plotted(space)] == legend
