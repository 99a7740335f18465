"""Generate templates/report.docx: GB/T 9704-2012 page setup, styles and docxtpl tags for the annual report.

Run from the repository root: ``python tools/build_report_template.py [OUT]``. The committed .docx is
this script's output; staff may restyle it in Word/WPS, and the tags follow docs/templates.md.
"""

from __future__ import annotations

import datetime
import io
import re
import sys
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from ipreport.util.reproducible import normalize_zip

OUT = Path(__file__).resolve().parent.parent / "templates" / "report.docx"

# GB/T 9704-2012 §5.2: A4, text area 156 mm x 225 mm, 22 lines of 28 characters.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
TEXT_WIDTH_MM = PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM
TWIPS_PER_MM = 1440 / 25.4
# 225 mm / 22 lines = 28.95 pt per line = 579 twips; Word's own 公文 grid uses the same pitch.
LINE_PITCH_TWIPS = 579
# 156 mm / 28 = 15.8 pt per character, a little under the 16 pt body size. A character grid
# (docGrid linesAndChars, charSpace -849) does that in Word, but LibreOffice then gives every
# glyph two grid cells; tightening body text by 0.25 pt (w:spacing -5) puts 28 characters on a
# line in Word, WPS and LibreOffice alike, and the line grid still gives 22 lines.
BODY_TRACKING_TWENTIETHS = -5

# Fonts named as Chinese offices have them; the font table gives each a fallback Word/WPS and
# LibreOffice use when the office font is missing.
LATIN = "Times New Roman"
BODY = "仿宋_GB2312"
TITLE = "方正小标宋简体"
HEI = "黑体"
KAI = "楷体"
SONG = "宋体"
FONT_FALLBACKS: dict[str, tuple[str, str, str]] = {
    # name: (altName, panose, family)
    BODY: ("仿宋", "02010609030101010101", "modern"),
    TITLE: ("宋体", "02000000000000000000", "script"),
    HEI: ("SimHei", "02010609060101010101", "modern"),
    KAI: ("KaiTi", "02010609060101010101", "modern"),
    SONG: ("SimSun", "02010600030101010101", "auto"),
    "仿宋": ("FangSong", "02010609060101010101", "modern"),
}

TABLE_PT = 10.5
FOOTER_LINE_TWIPS = 280  # 14 pt, the 4号 of the page number
FOOTER_MM = 25.5

W_NS = nsdecls("w")


def element(xml: str) -> BaseOxmlElement:
    """Parse one w: element written without its namespace declaration."""
    return parse_xml(re.sub(r"^<(w:\w+)", rf"<\1 {W_NS}", xml, count=1))


# --------------------------------------------------------------------------------------------- styles


def rpr(east_asia: str, size_pt: float, *, bold: bool = False, tracking: int = 0) -> str:
    """Run properties with the East Asian font on w:eastAsia, where Word looks for Chinese text."""
    half_points = round(size_pt * 2)
    bold_xml = "<w:b/><w:bCs/>" if bold else "<w:b w:val=\"0\"/><w:bCs w:val=\"0\"/>"
    return (
        f"<w:rPr {W_NS}>"
        f'<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{east_asia}" w:cs="{LATIN}"'
        ' w:hint="eastAsia"/>'
        f"{bold_xml}"
        '<w:color w:val="000000"/>'
        f'<w:spacing w:val="{tracking}"/>'
        f'<w:kern w:val="2"/><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
        "</w:rPr>"
    )


def ppr(
    *,
    align: str = "both",
    first_line_chars: int = 200,
    first_line_pt: float = 32,
    line_twips: int | None = LINE_PITCH_TWIPS,
    grid: bool = True,
    keep_next: bool = False,
    outline: int | None = None,
    before_twips: int = 0,
    after_twips: int = 0,
    right_twips: int = 0,
    left_twips: int = 0,
    autospace: bool = True,
    page_break_before: bool = False,
) -> str:
    """Paragraph properties; first-line indent in characters (w:firstLineChars) with a twips fallback.

    Children in the order of wml.xsd (CT_PPrBase), as Word requires.
    """
    parts = [f"<w:pPr {W_NS}>"]
    if keep_next:
        parts.append("<w:keepNext/><w:keepLines/>")
    if page_break_before:
        parts.append("<w:pageBreakBefore/>")
    if not autospace:
        # No extra quarter-em between digits and Chinese: a narrow cell needs every millimetre.
        parts.append('<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>')
    if not grid:
        parts.append('<w:snapToGrid w:val="0"/>')
    line = f'w:line="{line_twips}" w:lineRule="exact"' if line_twips else 'w:line="240" w:lineRule="auto"'
    parts.append(f'<w:spacing w:before="{before_twips}" w:after="{after_twips}" {line}/>')
    parts.append(
        f'<w:ind w:left="{left_twips}" w:right="{right_twips}"'
        f' w:firstLineChars="{first_line_chars}" w:firstLine="{round(first_line_pt * 20)}"/>'
    )
    parts.append(f'<w:jc w:val="{align}"/>')
    if outline is not None:
        parts.append(f'<w:outlineLvl w:val="{outline}"/>')
    parts.append("</w:pPr>")
    return "".join(parts)


def restyle(style: BaseStyle, *blocks: str) -> None:
    """Replace a style's pPr/rPr/tblPr... wholesale, so no theme font or colour of the default survives."""
    element = style.element
    for tag in ("w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    for block in blocks:
        element.append(parse_xml(block))


def paragraph_style(document: Document, name: str, style_id: str, base: str = "Normal") -> BaseStyle:
    """A custom paragraph style with an ASCII id (Word makes ids like "a3" for Chinese names)."""
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = style_id
    style.base_style = document.styles[base]
    style.quick_style = True
    return style


def set_doc_defaults(document: Document) -> None:
    """Document defaults in Chinese body type, so text outside any style is not left in Calibri/MS Mincho."""
    styles_element = document.styles.element
    defaults = styles_element.find(qn("w:docDefaults"))
    defaults.getparent().remove(defaults)
    styles_element.insert(
        0,
        parse_xml(
            f"<w:docDefaults {W_NS}><w:rPrDefault>{rpr(BODY, 16)}</w:rPrDefault>"
            # Widow and orphan control everywhere: no page starts or ends with one line of a paragraph.
            f'<w:pPrDefault><w:pPr><w:widowControl/><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
    )


def build_styles(document: Document) -> None:
    """Body, title and heading styles per GB/T 9704, and compact table styles."""
    set_doc_defaults(document)
    styles = document.styles
    body_text = rpr(BODY, 16, tracking=BODY_TRACKING_TWENTIETHS)
    restyle(styles["Normal"], ppr(), body_text)
    restyle(styles["Title"], ppr(align="center", first_line_chars=0, first_line_pt=0, line_twips=None,
                                 grid=False, after_twips=LINE_PITCH_TWIPS), rpr(TITLE, 22))
    restyle(styles["Subtitle"], ppr(align="center", first_line_chars=0, first_line_pt=0), rpr(KAI, 16))
    for level, font in enumerate((HEI, KAI, BODY)):
        restyle(styles[f"Heading {level + 1}"], ppr(keep_next=True, outline=level),
                rpr(font, 16, tracking=BODY_TRACKING_TWENTIETHS))
    caption = styles["Caption"]
    restyle(caption, ppr(align="center", first_line_chars=0, first_line_pt=0), rpr(HEI, 14))
    caption.element.remove(caption.element.find(qn("w:semiHidden")))
    # An exact 14 pt line: where the 一字线 sits then depends on the font far less than with single spacing.
    restyle(styles["Footer"], ppr(first_line_chars=0, first_line_pt=0, line_twips=FOOTER_LINE_TWIPS,
                                  grid=False, align="right"), rpr(SONG, 14))

    # Tables at 3号 fit only a few characters per cell; 五号 (10.5 pt), usual for tables in official
    # documents, keeps "13,460（2016年）" on two lines at most in a column a seventh of the page wide.
    cell = dict(first_line_chars=0, first_line_pt=0, line_twips=None, grid=False, autospace=False)
    table_text = rpr(BODY, TABLE_PT)
    restyle(paragraph_style(document, "表格文字", "TableText"), ppr(align="left", **cell), table_text)
    restyle(paragraph_style(document, "表格数字", "TableNumber", "表格文字"), ppr(align="right", **cell),
            table_text)
    restyle(paragraph_style(document, "表格状态", "TableStatus", "表格文字"), ppr(align="center", **cell),
            table_text)
    restyle(paragraph_style(document, "表格表头", "TableHeading", "表格文字"), ppr(align="center", **cell),
            rpr(HEI, TABLE_PT))
    # A picture keeps with its caption below it.
    restyle(paragraph_style(document, "图片", "Figure"), ppr(align="center", keep_next=True, **cell),
            rpr(BODY, 16))
    # 表题 above its table, kept with it: the one keep-with-next link a table needs.
    restyle(paragraph_style(document, "表题", "TableCaption"),
            ppr(align="center", first_line_chars=0, first_line_pt=0, keep_next=True, before_twips=120),
            rpr(HEI, 14))
    restyle(paragraph_style(document, "正文末段", "BodyLast"), ppr(keep_next=True), body_text)
    # 附件说明 (GB/T 9704 §7.3.4): one blank line below the body ("在正文下空一行"), "附件：1.…" two
    # characters in, later items under the "1". It stays on the page of the 署名 and 成文日期 it stands
    # above (four short lines at most).
    restyle(paragraph_style(document, "附件说明", "AttachmentList"),
            ppr(align="left", keep_next=True, before_twips=LINE_PITCH_TWIPS), body_text)
    restyle(paragraph_style(document, "附件说明续", "AttachmentListMore"),
            ppr(align="left", first_line_chars=0, first_line_pt=0, left_twips=5 * 320, keep_next=True),
            body_text)
    # 署名 and 成文日期 (§7.3.5.2): right-aligned; the indents come from the context (closing.*).
    # The 署名 keeps with its date: a page never ends between the two.
    restyle(paragraph_style(document, "发文机关署名", "Signature"),
            ppr(align="right", first_line_chars=0, first_line_pt=0, before_twips=LINE_PITCH_TWIPS,
                keep_next=True), body_text)
    restyle(paragraph_style(document, "成文日期", "SignatureDate"),
            ppr(align="right", first_line_chars=0, first_line_pt=0), body_text)
    # 附件 pages (§7.3.7): "附件1" in 黑体 at the top left of a new page, then its title.
    restyle(paragraph_style(document, "附件编号", "AttachmentNumber"),
            ppr(align="left", first_line_chars=0, first_line_pt=0, page_break_before=True), rpr(HEI, 16))
    restyle(paragraph_style(document, "附件标题", "AttachmentTitle"),
            ppr(align="center", first_line_chars=0, first_line_pt=0, line_twips=None, grid=False,
                before_twips=LINE_PITCH_TWIPS, after_twips=LINE_PITCH_TWIPS), rpr(TITLE, 22))
    # 说明 under an appendix table: smaller, justified, no chain to anything.
    restyle(paragraph_style(document, "说明", "Note"),
            ppr(first_line_chars=0, first_line_pt=0, line_twips=None, grid=False, before_twips=120),
            rpr(BODY, 12))

    table = styles.add_style("报告表格", WD_STYLE_TYPE.TABLE)
    table.style_id = "ReportTable"
    table.base_style = styles["Table Grid"]
    table.quick_style = True
    restyle(
        table,
        ppr(align="left", first_line_chars=0, first_line_pt=0, line_twips=None, grid=False),
        rpr(BODY, TABLE_PT),
        f"<w:tblPr {W_NS}><w:tblInd w:w=\"0\" w:type=\"dxa\"/>"
        "<w:tblBorders>"
        + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                  for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>"
        # 1 mm cell margins: the columns are narrow, and the borders separate them well enough.
        '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
        '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>',
        f'<w:trPr {W_NS}><w:cantSplit/></w:trPr>',
        f'<w:tcPr {W_NS}><w:vAlign w:val="center"/></w:tcPr>',
    )


def drop_theme_fonts_everywhere(document: Document) -> None:
    """Strip theme font attributes left on other styles: a theme attribute beats an explicit font."""
    for rfonts in document.styles.element.iter(qn("w:rFonts")):
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attribute), None)


# ------------------------------------------------------------------------------------- page set-up


def set_page(document: Document) -> None:
    """A4, GB/T 9704 margins, 22 x 28 grid, odd/even footers with the page number."""
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.header_distance = Mm(15)
    # §7.5: the 一字线 of the page number sits 7 mm below the text area. The footer distance runs from
    # the page's edge to the bottom of the footer's 14 pt (4.94 mm) line, whose dash lies about 2.5 mm
    # below the line's top; measured in the PDF LibreOffice makes: 7.0 mm.
    section.footer_distance = Mm(FOOTER_MM)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = parse_xml(f"<w:docGrid {W_NS}/>")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))

    document.settings.odd_and_even_pages_header_footer = True
    section.different_first_page_header_footer = False
    page_number(section.footer.paragraphs[0], odd=True)
    page_number(section.even_page_footer.paragraphs[0], odd=False)


def page_number(paragraph: Paragraph, *, odd: bool) -> None:
    """"— 1 —" in 4号 宋体: odd pages on the right, even pages on the left, one character in from the edge."""
    paragraph.style = "Footer"
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        paragraph.paragraph_format.right_indent = Pt(14)
    else:
        paragraph.paragraph_format.left_indent = Pt(14)
    paragraph.add_run("— ")
    for field_xml in (
        '<w:fldChar w:fldCharType="begin"/>',
        '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>1</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ):
        paragraph.add_run()._r.append(element(field_xml))
    paragraph.add_run(" —")


def tidy_settings(document: Document) -> None:
    """Chinese theme language, and no Word 2010 leftovers that would show a stale preview."""
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.rels.pop(rel_id)
    font_table = next(p for p in package.iter_parts() if p.partname == "/word/fontTable.xml")
    add_font_fallbacks(font_table)
    core = document.core_properties
    core.author = "ipreport"
    core.last_modified_by = "ipreport"
    core.title = "知识产权发展状况报告（模板）"
    core.comments = "docxtpl template generated by tools/build_report_template.py; see docs/templates.md"
    core.revision = 1


def add_font_fallbacks(font_table: docx.opc.part.Part) -> None:
    """Declare each office font with w:altName, the substitute Word/WPS/LibreOffice use when it is missing."""
    root = parse_xml(font_table.blob)
    for font in list(root):
        if font.get(qn("w:name")) in ("ＭＳ 明朝", "ＭＳ ゴシック"):
            root.remove(font)
    for name, (alt, panose, family) in FONT_FALLBACKS.items():
        root.append(parse_xml(
            f'<w:font {W_NS} w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
            f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        ))
    font_table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ------------------------------------------------------------------------------------------- body

GAP_WITH_UNIT_BELOW = "{{ row.gap_number_text }}{% if row.gap_unit %}{{ '\\n' ~ row.gap_unit }}{% endif %}"
STATUS_CELL = "{{% cellbg row.status_color|replace('#', '') %}}{{{{ {label} }}}}"
# The year on a line of its own under the value, in full-width brackets: "6.41" / "（2020年）".
YEAR_ON_ITS_OWN_LINE = "{{{{ {field} | replace('（', '\\n（') }}}}"
# Widths at 五号 with 1 mm cell margins, measured in the widest fallback LibreOffice picks for Times
# New Roman (DejaVu Serif: a digit 2.4 mm; a Chinese character 3.7 mm), so that no number and no
# status is ever broken inside a cell: "需加快推进" (5 characters) needs 20.5 mm, "−134,000" 21 mm,
# "（2016年）" 22.5 mm, "2022年12月31日" 32 mm.
TARGET_COLUMNS: tuple[tuple[str, str, float, str], ...] = (
    # (label key, cell text, width mm, paragraph style): 表1 in the body, the targets with data.
    ("indicator", "{{ row.display_name }}", 50, "表格文字"),
    ("unit", "{{ row.unit_text }}", 16, "表格状态"),
    ("target", "{{ row.target_cell }}", 26, "表格数字"),
    ("latest", YEAR_ON_ITS_OWN_LINE.format(field="row.latest_text"), 26, "表格数字"),
    ("attainment", "{{ row.attainment_text }}", 17, "表格数字"),
    ("status", STATUS_CELL.format(label="row.status_label"), 21, "表格状态"),
)
FULL_COLUMNS: tuple[tuple[str, str, float, str], ...] = (
    # 附件1: every figure of the targets with data; the unit under the name keeps the columns wide.
    ("indicator", "{{ row.display_name }}{% if row.unit %}{{ '\\n（' ~ row.unit ~ '）' }}{% endif %}", 29,
     "表格文字"),
    ("target", "{{ row.target_cell }}", 20, "表格数字"),
    ("baseline", YEAR_ON_ITS_OWN_LINE.format(field="row.baseline_text"), 24, "表格数字"),
    ("latest", YEAR_ON_ITS_OWN_LINE.format(field="row.latest_text"), 24, "表格数字"),
    ("gap", GAP_WITH_UNIT_BELOW, 21, "表格数字"),
    ("attainment", "{{ row.attainment_text }}", 17, "表格数字"),
    ("status", STATUS_CELL.format(label="row.status_label"), 21, "表格状态"),
)
MISSING_COLUMNS: tuple[tuple[str, str, float, str], ...] = (
    ("name_or_task", "{{ row.display_name }}", 60, "表格文字"),
    ("target_or_deadline", "{{ row.target_text }}", 40, "表格数字"),
    ("responsible", "{{ row.responsible_text }}", 56, "表格文字"),
)
UNITS_COLUMNS: tuple[tuple[str, str, float, str], ...] = (
    ("name_or_task", "{{ row.display_name }}", 60, "表格文字"),
    ("responsible", "{{ row.responsible_text }}", 96, "表格文字"),
)
TASK_COLUMNS: tuple[tuple[str, str, float, str], ...] = (
    ("task", "{{ row.display_name }}", 31, "表格文字"),
    # LibreOffice spaces digits from Chinese characters in cells all the same: "2023年12月31日" needs
    # 36.6 mm there (measured), and a date must not lose its 日 to the next line.
    ("deadline", "{{ row.deadline_text }}", 37, "表格状态"),
    # "已完成（逾期）" breaks before its bracket; "逾期未完成" needs 20.5 mm.
    ("status", STATUS_CELL.format(label="row.status_label | replace('（', '\\n（')"), 21, "表格状态"),
    ("completed", "{{ row.completed_text }}", 37, "表格状态"),
    # Long lists read "省知识产权局等5个单位"; 附件1 has them whole.
    ("responsible", "{{ row.responsible_cell }}", 30, "表格文字"),
)


def label(key: str) -> str:
    """A fixed word of the report, taken from the context so one template serves zh and en."""
    return f"{{{{ labels.{key} }}}}"


def fill(cell: _Cell, text: str, style: str) -> None:
    """Put one run of text (a docxtpl tag or a field) into a cell's paragraph in the given style."""
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    # LibreOffice reads "no extra space between Chinese and digits" only from the paragraph itself,
    # not from its style; without it "2020年12月31日" needs 3 mm more than its cell has.
    style_element = paragraph._p.get_or_add_pPr().find(qn("w:pStyle"))
    style_element.addnext(element('<w:autoSpaceDN w:val="0"/>'))
    style_element.addnext(element('<w:autoSpaceDE w:val="0"/>'))
    if text:
        paragraph.add_run(text)


def loop_table(document: Document, columns: tuple[tuple[str, str, float, str], ...], items: str) -> Table:
    """A table with a repeated header row, then one row per item ({%tr for %}), fitted to the text area."""
    total = sum(width for _, _, width, _ in columns)
    if abs(total - TEXT_WIDTH_MM) > 0.01:
        raise ValueError(f"columns add up to {total} mm, not the text width {TEXT_WIDTH_MM} mm")
    table = document.add_table(rows=4, cols=len(columns))
    table.style = "报告表格"
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    # python-docx's autofit setter already added a <w:tblLayout>: drop it and write the three in
    # schema order (tblW, tblLayout, tblLook), each once, as Word requires.
    for tag in ("w:tblW", "w:tblLayout", "w:tblLook"):
        for old in tbl_pr.findall(qn(tag)):
            tbl_pr.remove(old)
    tbl_pr.append(parse_xml(f'<w:tblW {W_NS} w:w="{round(TEXT_WIDTH_MM * TWIPS_PER_MM)}" w:type="dxa"/>'))
    tbl_pr.append(parse_xml(f'<w:tblLayout {W_NS} w:type="fixed"/>'))
    tbl_pr.append(parse_xml(
        f'<w:tblLook {W_NS} w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0"'
        ' w:noHBand="1" w:noVBand="1"/>'
    ))
    for index, (_, _, width, _) in enumerate(columns):
        table.columns[index].width = Mm(width)
        for row in table.rows:
            row.cells[index].width = Mm(width)
    header, opening, body, closing = table.rows
    # Repeat the header on every page the table runs onto.
    header._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {W_NS}/>"))
    # A row never splits across pages ("力争" on one page, "120,000件" on the next); LibreOffice
    # does not take w:cantSplit from the table style, so each row says it. (LibreOffice then starts
    # a table that fits on the next page there, even below a third of a page left empty; without
    # the rows' cantSplit it splits a row across the pages instead, which is worse. Word does neither.)
    for row in (header, body):
        row._tr.get_or_add_trPr().insert(0, parse_xml(f"<w:cantSplit {W_NS}/>"))
    for index, (key, text, _, style) in enumerate(columns):
        fill(header.cells[index], label(key), "表格表头")
        header.cells[index]._tc.get_or_add_tcPr().append(
            parse_xml(f'<w:shd {W_NS} w:val="clear" w:color="auto" w:fill="E7E6E6"/>')
        )
        fill(body.cells[index], text, style)
        fill(opening.cells[index], f"{{%tr for row in {items} %}}" if index == 0 else "", "表格文字")
        fill(closing.cells[index], "{%tr endfor %}" if index == 0 else "", "表格文字")
    return table


def add(document: Document, text: str, style: str = "Normal") -> None:
    """One paragraph. A line that is a lone {%p ... %} tag vanishes when rendered, leaving no gap."""
    document.add_paragraph(text, style=style)


def build_body(document: Document) -> None:
    """The report as docxtpl tags in styled paragraphs: the body blocks the context puts in order
    (docs/templates.md), the 附件说明, 署名 and 成文日期, then the 附件 pages."""
    add(document, "{{ title }}", "Title")
    add(document, "{%p for block in body %}")
    add(document, "{%p if block.kind == 'heading1' %}")
    add(document, "{{ block.text }}", "Heading 1")
    add(document, "{%p elif block.kind == 'heading2' %}")
    add(document, "{{ block.text }}", "Heading 2")
    add(document, "{%p elif block.kind == 'heading3' %}")
    add(document, "{{ block.text }}", "Heading 3")
    # The body's last paragraph keeps with the 附件说明 and 署名 below it: a page holding only those,
    # without a line of the body, is what GB/T 9704 §7.3.5 has one avoid.
    add(document, "{%p elif block.kind == 'paragraph' and loop.last %}")
    add(document, "{{ block.text }}", "正文末段")
    add(document, "{%p elif block.kind == 'paragraph' %}")
    add(document, "{{ block.text }}")
    add(document, "{%p elif block.kind == 'targets' %}")
    add(document, "{{ block.caption }}", "表题")
    loop_table(document, TARGET_COLUMNS, "block.rows")
    add(document, "{%p elif block.kind == 'tasks' %}")
    add(document, "{{ block.caption }}", "表题")
    loop_table(document, TASK_COLUMNS, "block.rows")
    add(document, "{%p endif %}")
    add(document, "{%p endfor %}")

    add(document, "{%p for item in attachment_list %}")
    add(document, "{%p if loop.first %}")
    add(document, "{{ labels.attachments }}{{ labels.colon }}{{ loop.index }}.{{ item }}", "附件说明")
    add(document, "{%p else %}")
    add(document, "{{ loop.index }}.{{ item }}", "附件说明续")
    add(document, "{%p endif %}")
    add(document, "{%p endfor %}")
    signature(document, "{{ signature.issuer }}", "发文机关署名", "signature.issuer_right_chars")
    signature(document, "{{ signature.date_text }}", "成文日期", "signature.date_right_chars")

    add(document, "{%p for attachment in attachments %}")
    add(document, "{{ attachment.label }}", "附件编号")
    add(document, "{{ attachment.title }}", "附件标题")
    add(document, "{%p for block in attachment.blocks %}")
    add(document, "{%p if block.kind == 'full_targets' %}")
    add(document, "{{ block.caption }}", "表题")
    loop_table(document, FULL_COLUMNS, "block.rows")
    add(document, "{%p elif block.kind == 'missing' %}")
    add(document, "{{ block.caption }}", "表题")
    loop_table(document, MISSING_COLUMNS, "block.rows")
    add(document, "{%p elif block.kind == 'units' %}")
    add(document, "{{ block.caption }}", "表题")
    loop_table(document, UNITS_COLUMNS, "block.rows")
    add(document, "{%p elif block.kind == 'note' %}")
    add(document, "{{ block.text }}", "说明")
    add(document, "{%p elif block.kind == 'figure' %}")
    add(document, "{{ block.image | image }}", "图片")
    add(document, "{{ block.caption }}", "Caption")
    add(document, "{%p endif %}")
    add(document, "{%p endfor %}")
    add(document, "{%p endfor %}")


def signature(document: Document, text: str, style: str, right_chars: str) -> None:
    """A 署名 or 成文日期 line; its right indent (in hundredths of a character) comes from the context."""
    paragraph = document.add_paragraph(text, style=style)
    p_pr = paragraph._p.get_or_add_pPr()
    # w:ind comes after w:spacing and before w:jc in CT_PPrBase; the style sets neither here.
    # 320 twips a character at 三号: the twips for readers that do not know w:rightChars.
    twips = f"{{{{ ({right_chars} * 16 // 5) | int }}}}"
    p_pr.append(element(f'<w:ind w:right="{twips}" w:rightChars="{{{{ {right_chars} }}}}"/>'))


def build() -> bytes:
    """The template as .docx bytes."""
    document = docx.Document()
    # python-docx's blank document holds one empty paragraph; the body starts clean.
    for paragraph in list(document.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    build_styles(document)
    drop_theme_fonts_everywhere(document)
    set_page(document)
    tidy_settings(document)
    build_body(document)
    core = document.core_properties
    core.created = core.modified = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    buffer = io.BytesIO()
    document.save(buffer)
    # The reports' own zip normaliser: rebuilding an unchanged template changes no bytes.
    return normalize_zip(buffer.getvalue(), datetime.date(2024, 1, 1))


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    out.write_bytes(build())
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
