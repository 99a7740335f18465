"""The report's charts as native Word charts: a DrawingML chart part with its data in an embedded workbook.

python-pptx writes the chart XML (c:chartSpace) and the workbook; its author keeps python-docx too,
and its chart XML is the same DrawingML that Word uses. The chart part, the workbook part and the
relationships are added to the python-docx package here, so "Edit Data" in Word and WPS opens the
numbers the chart shows. The text of a chart takes the document's own fonts (its default run fonts,
the East Asian one for Chinese labels), so a chart follows the report when the office restyles it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ipreport.render.report.chart_specs import ChartSpec, Series

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
PACKAGE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
EMU_PER_MM = 36000
# Text sizes in hundredths of a point, as on the PNG charts (8 pt text, 7 pt values, 9 pt titles).
TEXT_SIZE = 800
VALUE_SIZE = 700
TITLE_SIZE = 900
GRID_COLOR = "E0E0E0"


@dataclass(frozen=True)
class Fonts:
    """The typefaces a chart's text takes: Latin and East Asian (theme references like +mn-ea work too)."""

    latin: str = "+mn-lt"
    east_asian: str = "+mn-ea"


def document_fonts(styles_element: Any) -> Fonts:
    """The document's default run fonts (w:docDefaults), which body text takes unless a style says
    otherwise; theme fonts where the document names none."""
    found = styles_element.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}rFonts")
    if found is None:
        return Fonts()
    latin = found.get(f"{{{W}}}ascii") or found.get(f"{{{W}}}hAnsi") or "+mn-lt"
    east_asian = found.get(f"{{{W}}}eastAsia") or "+mn-ea"
    return Fonts(latin, east_asian)


# ----------------------------------------------------------------------------------------------
# The chart XML and its workbook


def _chart_data(spec: ChartSpec) -> Any:
    from pptx.chart.data import CategoryChartData

    data = CategoryChartData(number_format=spec.number_format)
    data.categories = list(spec.categories)
    for series in spec.series:
        data.add_series(series.name, list(series.values), number_format=spec.number_format)
    return data


def chart_xml(spec: ChartSpec, fonts: Fonts, workbook_rid: str) -> bytes:
    """The chart part (c:chartSpace) for ``spec``, its data linked to the workbook ``workbook_rid``."""
    space = _styled(spec, fonts)
    space.get_or_add_externalData().rId = workbook_rid
    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)


def _unstyled(spec: ChartSpec) -> Any:
    """python-pptx's chart of ``spec``: the data, the axes and the plot, in its default look."""
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.oxml import parse_xml

    kind = XL_CHART_TYPE.BAR_CLUSTERED if spec.kind == "bar" else XL_CHART_TYPE.LINE_MARKERS
    return parse_xml(ChartXmlWriter(kind, _chart_data(spec)).xml.encode("utf-8"))


def _style_new(spec: ChartSpec, fonts: Fonts) -> Any:
    from pptx.chart.chart import Chart

    space = _unstyled(spec)
    chart = Chart(space, None)  # the part is only needed for a linked workbook, added by chart_xml
    chart.font.size = _pt(TEXT_SIZE)
    if spec.kind == "bar":
        _style_bars(chart, spec)
        _series_last_first(space)
    else:
        _style_lines(chart, spec)
    _no_border(space)
    _set_fonts(space, fonts)
    return space


# Styled trend charts by their look (see _look), per process. Styling through python-pptx's chart
# objects took 8 ms a chart, 40 trend charts a report; a chart that looks like one styled before is
# that one with its data, title and target note swapped for its own (from python-pptx's XML).
_PROTOTYPES: dict[tuple[Any, ...], Any] = {}
_PROTOTYPES_LIMIT = 64


def _look(spec: ChartSpec, fonts: Fonts) -> tuple[Any, ...] | None:
    """What the styling of ``spec`` depends on, apart from its data and texts; None: not kept (the one
    attainment chart of a report, whose labels depend on its values)."""
    if spec.kind != "line":
        return None
    series = tuple((s.color, s.dashed, s.labels, s.marked is not None) for s in spec.series)
    return (spec.kind, spec.number_format, bool(spec.title), fonts, series)


def _styled(spec: ChartSpec, fonts: Fonts) -> Any:
    from copy import deepcopy

    key = _look(spec, fonts)
    if key is None:
        return _style_new(spec, fonts)
    prototype = _PROTOTYPES.get(key)
    if prototype is None:
        space = _style_new(spec, fonts)
        if len(_PROTOTYPES) >= _PROTOTYPES_LIMIT:
            del _PROTOTYPES[next(iter(_PROTOTYPES))]  # the oldest
        _PROTOTYPES[key] = deepcopy(space)
        return space
    return _refill(deepcopy(prototype), spec)


def _refill(space: Any, spec: ChartSpec) -> Any:
    """A styled chart of the same look given ``spec``'s data (python-pptx's c:tx, c:cat, c:val of each
    series), title and target note."""
    fresh = _unstyled(spec)
    series_path = f"{{{C}}}chart/{{{C}}}plotArea/{{{C}}}lineChart/{{{C}}}ser"
    pairs = zip(space.iterfind(series_path), fresh.iterfind(series_path), strict=True)
    for (kept, new), wanted in zip(pairs, spec.series, strict=True):
        for name in ("tx", "cat", "val"):
            old = kept.find(f"{{{C}}}{name}")
            old.getparent().replace(old, new.find(f"{{{C}}}{name}"))
        if wanted.marked is not None:
            for idx in (f"{{{C}}}dPt/{{{C}}}idx", f"{{{C}}}dLbls/{{{C}}}dLbl/{{{C}}}idx"):
                kept.find(idx).set("val", str(wanted.marked))
            kept.find(f"{{{C}}}dLbls/{{{C}}}dLbl//{{{A}}}t").text = _one_line(wanted.note)
    if spec.title:
        space.find(f"{{{C}}}chart/{{{C}}}title//{{{A}}}t").text = spec.title
    return space


def _one_line(text: str) -> str:
    """No-break spaces: LibreOffice breaks a data label at its spaces."""
    return text.replace(" ", "\u00a0")


def _pt(hundredths: int) -> Any:
    from pptx.util import Pt

    return Pt(hundredths / 100)


def _rgb(color: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(color.lstrip("#").upper())


def _style_bars(chart: Any, spec: ChartSpec) -> None:
    from pptx.enum.chart import XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_MARK
    from pptx.enum.dml import MSO_LINE_DASH_STYLE

    plot = chart.plots[0]
    plot.gap_width = 60
    plot.overlap = 100  # one bar per line: the series are blank where another status holds the line
    plot.vary_by_categories = False
    for series, ser in zip(spec.series, plot.series, strict=True):
        ser.invert_if_negative = False
        if series.dashed:
            ser.format.fill.background()
            ser.format.line.color.rgb = _rgb(series.color)
            ser.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
            ser.format.line.width = _pt(100)
        else:
            ser.format.fill.solid()
            ser.format.fill.fore_color.rgb = _rgb(series.color)
        if series.labels:
            _value_labels(ser, spec, XL_LABEL_POSITION.OUTSIDE_END)
            for index, value in enumerate(series.values):
                code = series.label_formats[index] if index < len(series.label_formats) else None
                clipped = value is not None and spec.axis_max is not None and value > spec.axis_max
                if value is None or (code is None and not clipped):
                    continue
                label = ser.points[index].data_label
                label.font.size = _pt(VALUE_SIZE)
                if clipped:
                    # The bar runs past the axis: its value goes inside its end, in white.
                    label.position = XL_LABEL_POSITION.INSIDE_END
                    label.font.bold = True
                    label.font.color.rgb = _rgb("#FFFFFF")
                else:
                    label.position = XL_LABEL_POSITION.OUTSIDE_END
                if code is not None:
                    _label_format(label._get_or_add_dLbl(), code)
    categories = chart.category_axis
    categories.reverse_order = True  # the first target on top, as in the tables
    # The value axis crosses the reversed categories at the last one: it stays at the bottom.
    crosses = chart._chartSpace.find(f"{{{C}}}chart/{{{C}}}plotArea/{{{C}}}valAx/{{{C}}}crosses")
    if crosses is not None:
        crosses.set("val", "max")
    categories.major_tick_mark = XL_TICK_MARK.NONE
    _upright_labels(categories, TEXT_SIZE)
    _every_label(chart._chartSpace)
    values = chart.value_axis
    values.minimum_scale = 0
    if spec.axis_max is not None:
        values.maximum_scale = spec.axis_max
    if spec.axis_step is not None:
        values.major_unit = spec.axis_step
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = _rgb(GRID_COLOR)
    values.tick_labels.number_format = "0%"
    values.tick_labels.number_format_is_linked = False
    if spec.axis_title:
        values.has_title = True
        values.axis_title.text_frame.text = spec.axis_title
        _size_runs(values.axis_title.text_frame, TEXT_SIZE)
    chart.has_legend = spec.legend
    if spec.legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = _pt(750)


def _series_last_first(space: Any) -> None:
    """The bar chart's c:ser elements written last to first, each keeping its c:order.

    Word and Excel take the series in c:order (ECMA-376 Part 1, 21.2.2.128: the order of the series in
    the collection), so their legend lists them first to last, as the table does. LibreOffice takes
    them in the order they are written and lists the legend of a horizontal, unstacked bar chart last
    to first (chart2's VSeriesPlotter::createLegendEntries reverses it for SwapXAndY: in a clustered
    bar chart drawn bottom-up the first series is the lowest bar); written last to first, its legend
    reads first to last as well. The schema holds c:ser in any order; only c:order ranks them.
    """
    plot = space.find(f"{{{C}}}chart/{{{C}}}plotArea/{{{C}}}barChart")
    series = plot.findall(f"{{{C}}}ser")
    if len(series) < 2:
        return
    anchor = series[0].getprevious()  # c:varyColors: CT_BarChart is barDir, grouping, varyColors, ser…
    for ser in series:
        plot.remove(ser)
    for ser in series:
        anchor.addnext(ser)  # each goes in front of the one before it


def _style_lines(chart: Any, spec: ChartSpec) -> None:
    from pptx.enum.chart import XL_LABEL_POSITION, XL_MARKER_STYLE
    from pptx.enum.dml import MSO_LINE_DASH_STYLE

    plot = chart.plots[0]
    plot.vary_by_categories = False
    for series, ser in zip(spec.series, plot.series, strict=True):
        ser.smooth = False
        line = ser.format.line
        line.color.rgb = _rgb(series.color)
        if series.dashed:
            line.dash_style = MSO_LINE_DASH_STYLE.DASH
            line.width = _pt(100)
            ser.marker.style = XL_MARKER_STYLE.NONE
        else:
            line.width = _pt(160)
            ser.marker.style = XL_MARKER_STYLE.CIRCLE
            ser.marker.size = 4
            _marker_colors(ser.marker, series.color, series.color)
        if series.labels:
            _value_labels(ser, spec, XL_LABEL_POSITION.ABOVE)
        if series.marked is not None:
            point = ser.points[series.marked]
            point.marker.style = XL_MARKER_STYLE.DIAMOND
            point.marker.size = 6
            _marker_colors(point.marker, "#FFFFFF", series.color)
            label = point.data_label
            label.position = XL_LABEL_POSITION.ABOVE  # LEFT put the note on its own dashed line
            label.text_frame.text = _one_line(series.note)
            _size_runs(label.text_frame, VALUE_SIZE, series.color)
            label.text_frame._txBody.bodyPr.set("wrap", "none")  # one line, as on the PNG charts
    chart.has_legend = False
    if spec.title:
        chart.has_title = True
        chart.chart_title.text_frame.text = spec.title
        _size_runs(chart.chart_title.text_frame, TITLE_SIZE)
    values = chart.value_axis
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = _rgb(GRID_COLOR)
    values.tick_labels.number_format = "General"  # the axis needs no decimals the values have
    values.tick_labels.number_format_is_linked = False
    values.tick_labels.font.size = _pt(VALUE_SIZE)
    _upright_labels(chart.category_axis, VALUE_SIZE)
    # A year without a value is stepped over, not drawn as a fall to zero or a break in the line.
    space = chart._chartSpace
    blanks = space.find(f"{{{C}}}chart/{{{C}}}dispBlanksAs")
    if blanks is not None:
        blanks.set("val", "span")


def _upright_labels(axis: Any, size: int) -> None:
    """Tick labels of their own size, never turned: LibreOffice otherwise leaves out every other one."""
    axis.tick_labels.font.size = _pt(size)
    body = axis._element.txPr.find(f"{{{A}}}bodyPr")
    body.set("rot", "0")
    body.set("vert", "horz")


def _every_label(space: Any) -> None:
    """Name every bar: LibreOffice otherwise leaves out labels it thinks too close together."""
    axis = space.find(f"{{{C}}}chart/{{{C}}}plotArea/{{{C}}}catAx")
    skip = etree.Element(f"{{{C}}}tickLblSkip", val="1")
    # CT_CatAx: … crosses, auto, lblAlgn, lblOffset, tickLblSkip, tickMarkSkip, noMultiLvlLbl, extLst
    later = [c for c in axis if etree.QName(c).localname in ("tickMarkSkip", "noMultiLvlLbl", "extLst")]
    if later:
        later[0].addprevious(skip)
    else:
        axis.append(skip)


def _marker_colors(marker: Any, fill: str, line: str) -> None:
    marker.format.fill.solid()
    marker.format.fill.fore_color.rgb = _rgb(fill)
    marker.format.line.color.rgb = _rgb(line)


def _value_labels(ser: Any, spec: ChartSpec, position: Any) -> None:
    labels = ser.data_labels
    labels.show_value = True
    labels.number_format = spec.number_format
    labels.number_format_is_linked = False
    labels.position = position
    labels.font.size = _pt(VALUE_SIZE)


def _label_format(d_lbl: Any, code: str) -> None:
    """The point's own number format: c:numFmt in CT_DLbl's place (idx, delete, layout, tx, numFmt,
    spPr, txPr, dLblPos, show…)."""
    for old in d_lbl.findall(f"{{{C}}}numFmt"):
        d_lbl.remove(old)
    number_format = etree.Element(f"{{{C}}}numFmt", formatCode=code, sourceLinked="0")
    before = [c for c in d_lbl if etree.QName(c).localname in ("idx", "delete", "layout", "tx")]
    if before:
        before[-1].addnext(number_format)
    else:
        d_lbl.insert(0, number_format)


def _size_runs(text_frame: Any, size: int, color: str | None = None) -> None:
    for paragraph in text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = _pt(size)
            run.font.bold = False
            if color is not None:
                run.font.color.rgb = _rgb(color)


def _no_border(space: Any) -> None:
    """No frame around the chart (Word draws one when the chart area has no line of its own)."""
    chart = space.find(f"{{{C}}}chart")
    sp_pr = etree.SubElement(space, f"{{{C}}}spPr")
    etree.SubElement(sp_pr, f"{{{A}}}noFill")
    etree.SubElement(etree.SubElement(sp_pr, f"{{{A}}}ln"), f"{{{A}}}noFill")
    chart.addnext(sp_pr)  # CT_ChartSpace: chart, spPr, txPr, externalData


def _set_fonts(space: Any, fonts: Fonts) -> None:
    """Every text property of the chart names the document's Latin and East Asian fonts."""
    for props in space.iter(f"{{{A}}}defRPr", f"{{{A}}}rPr"):
        for name in ("latin", "ea"):
            old = props.find(f"{{{A}}}{name}")
            if old is not None:
                props.remove(old)
        # CT_TextCharacterProperties: ln, fills, effects, highlight, underline, latin, ea, cs, sym, …
        after = {"sym", "hlinkClick", "hlinkMouseOver", "rtl", "extLst", "cs"}
        names = [etree.QName(child).localname for child in props]
        place = next((i for i, name in enumerate(names) if name in after), len(props))
        latin = etree.Element(f"{{{A}}}latin", typeface=fonts.latin)
        east_asian = etree.Element(f"{{{A}}}ea", typeface=fonts.east_asian)
        props.insert(place, east_asian)
        props.insert(place, latin)


def workbook(spec: ChartSpec, when: dt.date) -> bytes:
    """The chart's data as an .xlsx (categories in column A, a column per series) written by
    python-pptx through XlsxWriter, created ``when``: XlsxWriter's zip times are fixed, so the same
    report gives the same bytes."""
    from pptx.chart.xlsx import CategoryWorkbookWriter

    class DatedWriter(CategoryWorkbookWriter):  # type: ignore[misc]
        @contextmanager
        def _open_worksheet(self, xlsx_file: io.BytesIO) -> Iterator[tuple[Any, Any]]:
            from xlsxwriter import Workbook

            book = Workbook(xlsx_file, {"in_memory": True})
            book.set_properties({"created": dt.datetime(when.year, when.month, when.day)})
            yield book, book.add_worksheet()
            book.close()

    return bytes(DatedWriter(_chart_data(spec)).xlsx_blob)


# ----------------------------------------------------------------------------------------------
# Into the Word package


def add_chart(part: Any, spec: ChartSpec, fonts: Fonts, when: dt.date, shape_id: int) -> str:
    """Add ``spec`` as a chart part related from ``part`` (the document body, a header …) and return
    the <w:drawing> that shows it inline, at the chart's size."""
    from docx.opc.part import Part

    package = part.package
    xlsx = Part(
        package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
        XLSX_CONTENT_TYPE,
        workbook(spec, when),
        package,
    )
    chart = Part(package.next_partname("/word/charts/chart%d.xml"), CHART_CONTENT_TYPE, b"", package)
    workbook_rid = chart.relate_to(xlsx, PACKAGE_RELATIONSHIP)
    chart._blob = chart_xml(spec, fonts, workbook_rid)
    chart_rid = part.relate_to(chart, CHART_RELATIONSHIP)
    return inline_drawing(chart_rid, spec, shape_id)


def inline_drawing(chart_rid: str, spec: ChartSpec, shape_id: int) -> str:
    """<w:drawing><wp:inline> holding the chart, children in CT_Inline's order."""
    cx, cy = round(spec.width_mm * EMU_PER_MM), round(spec.height_mm * EMU_PER_MM)
    name = f"Chart {shape_id}"
    return (
        f'<w:drawing><wp:inline xmlns:wp="{WP}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="{name}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic xmlns:a="{A}"><a:graphicData uri="{C}">'
        f'<c:chart xmlns:c="{C}" xmlns:r="{R}" r:id="{chart_rid}"/>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing>"
    )


class WordChart:
    """What the template's ``image`` filter gives for a chart in a Word report: rendered by Jinja, it
    adds the chart to the part being rendered and ends the template's run around the drawing."""

    def __init__(self, document: Any, spec: ChartSpec, fonts: Fonts, when: dt.date, shape_id: int) -> None:
        self._document, self._spec, self._fonts = document, spec, fonts
        self._when, self._shape_id = when, shape_id

    def __html__(self) -> str:
        drawing = add_chart(
            self._document.current_rendering_part, self._spec, self._fonts, self._when, self._shape_id
        )
        return f'</w:t></w:r><w:r>{drawing}</w:r><w:r><w:t xml:space="preserve">'

    __str__ = __html__


__all__ = [
    "ChartSpec", "Fonts", "Series", "WordChart", "add_chart", "chart_xml", "document_fonts", "workbook",
]
