"""Tests for ipreport.render.report.docx and the built-in Word template templates/report.docx."""

from __future__ import annotations

import datetime as dt
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from report_fixtures import sample_assessment, single_plan_assessment

from ipreport.errors import TemplateError
from ipreport.render.report.context import build_context
from ipreport.render.report.docx import render_docx
from ipreport.render.report.write import write_report
from ipreport.util.resources import templates_dir

TEMPLATE = templates_dir() / "report.docx"
WRITTEN = dt.date(2023, 3, 1)
SUMMARY_SENTENCE = "截至2020年底，全省每万人口发明专利拥有量达到6.41件，超额完成4.2件的目标，完成率152.6%。"
DOCS_HINT = "(see docs/templates.md for the variables a report template can use)"


def sample_context(**overrides: Any) -> dict[str, Any]:
    context = build_context(sample_assessment(), written=WRITTEN)
    context.update(overrides)
    return context


def render(tmp_path: Path, context: dict[str, Any] | None = None, template: Path = TEMPLATE) -> docx.Document:
    out = tmp_path / "report.docx"
    render_docx(context if context is not None else sample_context(), template, out)
    return docx.Document(str(out))


def user_template(tmp_path: Path, *paragraphs: str, name: str = "mine.docx") -> Path:
    """A small template of the user's own: the given paragraphs in a blank document."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / name
    document.save(str(path))
    return path


def tiny_png(path: Path) -> Path:
    """A 2 x 1 white PNG written by hand, so the test needs no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff" * 6)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))
    return path


def target_names(context: dict[str, Any]) -> list[str]:
    return [row["name"] for plan in context["plans"] for dim in plan["dimensions"] for row in dim["rows"]]


# ------------------------------------------------------------------------------ the rendered report


def test_report_holds_the_parts_of_a_real_report(tmp_path: Path) -> None:
    document = render(tmp_path)
    texts = [(p.style.name, p.text) for p in document.paragraphs]
    # The title, then the body straight away: no "·" subtitle, no list of files.
    assert texts[0] == ("Title", "吉林省2022年知识产权发展状况报告")
    assert texts[1] == ("Heading 1", "一、总体情况")
    assert not any("·" in text for _, text in texts)
    headings = [text for style, text in texts if style == "Heading 1"]
    assert headings == ["一、总体情况", "二、《实施意见》实施情况", "三、《工作要点》实施情况", "四、存在的问题", "五、下一步工作"]
    second_level = [text for style, text in texts if style == "Heading 2"]
    # The 2016 plan lists no tasks: no task section in its part.
    assert second_level == ["（一）主要指标完成情况", "（一）主要指标完成情况", "（二）重点任务进展"]
    third_level = [text for style, text in texts if style == "Heading 3"]
    assert third_level == ["1.创造", "2.运用", "3.管理", "1.创造", "2.运用", "3.保护", "4.服务", "5.人才"]
    # The plan is named in full once, then by its short name.
    full = "《吉林省人民政府关于新形势下加快知识产权强省建设的实施意见》"
    assert sum(text.count(full) for _, text in texts) == 1
    assert "（吉政发〔2016〕27号，以下简称《实施意见》）" in texts[2][1]
    # Numbered tables, the caption above each.
    captions = [text for style, text in texts if style == "表题"]
    assert captions[:3] == ["表1　《实施意见》主要指标完成情况", "表2　《工作要点》主要指标完成情况",
                            "表3　《工作要点》重点任务进展情况"]


def test_signature_and_date_end_the_body_then_the_annexes_follow(tmp_path: Path) -> None:
    document = render(tmp_path)
    texts = [(p.style.name, p.text) for p in document.paragraphs]
    names = [style for style, _ in texts]
    signature = names.index("发文机关署名")
    assert texts[signature] == ("发文机关署名", "吉林省知识产权局")
    assert texts[signature + 1] == ("成文日期", "2023年3月1日")
    assert texts[signature - 1] == ("附件说明", "附件：1.主要指标完成情况表")
    # Nothing of the body after the date: only the 附件 pages, each headed "附件N" on its own line.
    assert texts[signature + 2] == ("附件编号", "附件1")
    assert texts[signature + 3] == ("附件标题", "主要指标完成情况表")
    assert not {"Normal", "Heading 1", "Heading 2", "Heading 3"} & set(names[signature + 2:])
    assert document.styles["附件编号"].paragraph_format.page_break_before


def test_issuer_and_date_are_the_office_s_own(tmp_path: Path) -> None:
    context = build_context(sample_assessment(), written=WRITTEN, issuer="吉林省市场监督管理厅（知识产权局）",
                            date=dt.date(2023, 4, 10))
    texts = [p.text for p in render(tmp_path, context).paragraphs]
    assert texts[texts.index("吉林省市场监督管理厅（知识产权局）") + 1] == "2023年4月10日"


def test_body_tables_hold_no_row_without_data(tmp_path: Path) -> None:
    context = sample_context()
    document = render(tmp_path, context)
    annex = [p.text for p in document.paragraphs].index("附件1")
    body_xml = document.element.body
    tables = list(body_xml.iter(qn("w:tbl")))
    body_tables = [t for t in tables if _before(body_xml, t, document.paragraphs[annex]._p)]
    assert len(body_tables) == 3
    for table in body_tables:
        cells = ["".join(t.text or "" for t in row.iter(qn("w:t"))) for row in table.iter(qn("w:tr"))]
        assert not any("无数据" in cell for cell in cells)
    # The target without data is listed once, in 附件1's table of targets and tasks without data.
    every = "".join(t.text or "" for t in body_xml.iter(qn("w:t")))
    assert every.count("专利行政执法案件结案率") == 2  # the 存在的问题 sentence and the annex row


def _before(body: Any, element: Any, marker: Any) -> bool:
    children = list(body)
    top = element
    while top.getparent() is not body:
        top = top.getparent()
    return children.index(top) < children.index(marker)


def test_no_sentence_is_printed_twice_in_a_two_plan_report(tmp_path: Path) -> None:
    texts = [p.text for p in render(tmp_path).paragraphs if p.style.name == "Normal"]
    sentences = [s for text in texts for s in re.split("(?<=。)", text) if len(s) > 6]
    repeated = {s for s in sentences if sentences.count(s) > 1}
    assert repeated == set()


def test_loops_leave_no_empty_paragraphs(tmp_path: Path) -> None:
    document = render(tmp_path)
    # Without charts the only picture-less paragraphs would be empty ones left by {%p %} tags.
    empty = [p.style.name for p in document.paragraphs if not p.text.strip()]
    assert empty == []
    assert not any("{%" in p.text or "{{" in p.text for p in document.paragraphs)


def test_target_table_rows_and_shaded_status_cells(tmp_path: Path) -> None:
    document = render(tmp_path)
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["指标", "单位", "目标值", "最新值", "完成率", "状态"]
    assert [c.text for c in table.rows[1].cells] == [
        "每万人口发明专利拥有量", "件/万人", "4.2", "6.41\n（2020年）", "152.6%", "已实现",
    ]
    status_cell = table.rows[1].cells[5]._tc
    shading = status_cell.tcPr.find(qn("w:shd"))
    assert shading.get(qn("w:fill")) == sample_context()["plans"][0]["dimensions"][0]["rows"][0]["status_color"][1:]
    tasks = document.tables[2]
    assert [c.text for c in tasks.rows[0].cells] == ["任务", "完成时限", "状态", "完成时间", "责任单位"]
    assert tasks.rows[1].cells[2].text == "逾期未完成"
    done = [[c.text for c in row.cells] for row in tasks.rows if row.cells[0].text == "建成中国（吉林）知识产权保护中心"]
    assert done == [["建成中国（吉林）知识产权保护中心", "2022年10月31日", "已完成", "2022年9月15日", "省知识产权局"]]
    rendered_names = {row.cells[0].text.split("\n")[0] for t in document.tables for row in t.rows[1:]}
    assert set(target_names(sample_context())) <= rendered_names


def test_a_column_with_no_value_is_dropped_and_its_width_goes_to_the_names(tmp_path: Path) -> None:
    context = sample_context()
    tasks = [b for b in context["body"] if b["kind"] == "tasks"][0]
    for row in tasks["rows"]:
        row["completed_text"] = "—"
    table = render(tmp_path, context).tables[2]
    assert [c.text for c in table.rows[0].cells] == ["任务", "完成时限", "状态", "责任单位"]
    widths_mm = [round(int(col.get(qn("w:w"))) * 25.4 / 1440) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert widths_mm == [68, 37, 21, 30]


def test_a_long_list_of_units_is_shortened_in_the_body_and_whole_in_the_annex(tmp_path: Path) -> None:
    context = sample_context()
    task = [b for b in context["body"] if b["kind"] == "tasks"][0]["rows"][0]
    assert task["responsible_cell"] == "省知识产权局、省司法厅"
    from ipreport.render.report.body import units_cell

    assert units_cell(["省知识产权局", "省科技厅", "省财政厅", "省商务厅", "省市场监管厅"], "zh") == "省知识产权局等5个单位"


def test_a_late_task_and_a_percentage_gap_read_as_such_in_word(tmp_path: Path) -> None:
    context = sample_context()
    task = [b for b in context["body"] if b["kind"] == "tasks"][0]["rows"][-1]
    task.update(status_label="已完成（逾期）", completed_text="2023年1月5日")
    row = context["attachments"][0]["blocks"][0]["rows"][0]
    row.update(gap_number_text="0.8", gap_unit="个百分点")
    document = render(tmp_path, context)
    cells = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    assert [task["display_name"], task["deadline_text"], "已完成\n（逾期）", "2023年1月5日", task["responsible_cell"]] in (
        cells
    )
    annex = [[c.text for c in r.cells] for r in document.tables[3].rows]
    assert annex[1][4] == "0.8\n个百分点"


def test_only_headings_and_captions_keep_with_what_follows(tmp_path: Path) -> None:
    document = render(tmp_path)
    # The 附件说明 stays with the 署名 and the 署名 with its date: a page never ends between them.
    # The body's last paragraph (正文末段) keeps with them too: the 署名 never stands on a page without a
    # line of the body (GB/T 9704 §7.3.5).
    for name in ("Heading 1", "Heading 2", "Heading 3", "表题", "正文末段", "附件说明", "附件说明续", "发文机关署名"):
        assert document.styles[name].paragraph_format.keep_with_next, name
    # No chain of body paragraphs held together: that pushed whole sections onto a new page.
    for name in ("Normal", "说明", "成文日期", "附件标题"):
        assert not document.styles[name].paragraph_format.keep_with_next, name
    kept = [p.text for p in document.paragraphs if p.style.name == "Normal" and p.paragraph_format.keep_with_next]
    assert kept == []
    paragraphs = document.paragraphs
    last = [i for i, p in enumerate(paragraphs) if p.style.name == "正文末段"]
    assert len(last) == 1 and paragraphs[last[0] + 1].style.name in ("附件说明", "发文机关署名")
    assert paragraphs[last[0] - 1].style.name != "正文末段"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:widowControl')}") is not None


def test_the_attachment_list_stands_one_blank_line_below_the_body(tmp_path: Path) -> None:
    # GB/T 9704 §7.3.4: "在正文下空一行" — one line of the 28.95 pt grid before "附件：".
    document = render(tmp_path)
    assert document.styles["附件说明"].paragraph_format.space_before.twips == 579
    assert document.styles["附件说明续"].paragraph_format.space_before in (None, 0)


def test_every_table_repeats_its_header_row_and_fits_the_text_area(tmp_path: Path) -> None:
    document = render(tmp_path)
    assert len(document.tables) == 7
    text_width_twips = round(156 * 1440 / 25.4)
    for table in document.tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(row.trPr is None or row.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])
        width = table._tbl.tblPr.find(qn("w:tblW"))
        assert (width.get(qn("w:w")), width.get(qn("w:type"))) == (str(text_width_twips), "dxa")
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(grid) - text_width_twips) <= len(grid)
        # No row splits across a page break: LibreOffice wants w:cantSplit on the row itself.
        assert all(row.trPr is not None and row.trPr.find(qn("w:cantSplit")) is not None for row in rows)


def test_target_columns_give_names_room_and_numbers_their_full_width(tmp_path: Path) -> None:
    document = render(tmp_path)

    def widths(table: Any) -> list[int]:
        return [round(int(col.get(qn("w:w"))) * 25.4 / 1440) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]

    # "需加快推进" (20.5 mm), "（2016年）" (22.5 mm) and "−134,000" (21 mm) whole even in DejaVu Serif.
    assert widths(document.tables[0]) == [50, 16, 26, 26, 17, 21]
    assert widths(document.tables[3]) == [29, 20, 24, 24, 21, 17, 21]


def test_one_plan_has_the_five_parts(tmp_path: Path) -> None:
    context = build_context(single_plan_assessment(), written=WRITTEN)
    out = tmp_path / "one.docx"
    render_docx(context, TEMPLATE, out)
    texts = [(p.style.name, p.text) for p in docx.Document(str(out)).paragraphs]
    headings = [text for style, text in texts if style == "Heading 1"]
    assert headings == ["一、总体情况", "二、主要指标完成情况", "三、重点任务进展", "四、存在的问题", "五、下一步工作"]
    assert [text for style, text in texts if style == "Heading 2"] == ["（一）创造", "（二）运用", "（三）管理"]


def test_english_report_takes_its_punctuation_from_the_labels(tmp_path: Path) -> None:
    context = build_context(sample_assessment(), written=WRITTEN, lang="en")
    out = tmp_path / "en.docx"
    render_docx(context, TEMPLATE, out)
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "1. Overview" in texts and "1. Targets" in texts and "1. Creation" in texts
    assert texts[texts.index("吉林省 Intellectual Property Office") - 1] == "Annexes: 1.Targets in full"
    assert any(t.startswith("6. 出台《吉林省知识产权保护条例》实施细则 (overdue)") for t in texts)
    chinese_punctuation = re.compile("[：；。、（）]")
    english_only = [t for t in texts if not re.search("[\u4e00-\u9fff]", t)]
    assert english_only and not any(chinese_punctuation.search(t) for t in english_only)


def test_numbers_are_right_aligned(tmp_path: Path) -> None:
    document = render(tmp_path)
    row = document.tables[0].rows[1]
    assert [cell.paragraphs[0].style.name for cell in row.cells] == [
        "表格文字", "表格状态", "表格数字", "表格数字", "表格数字", "表格状态",
    ]
    assert document.styles["表格数字"].paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT


def test_charts_are_pictures_in_annex_2_with_numbered_captions(tmp_path: Path) -> None:
    chart = tiny_png(tmp_path / "attainment.png")
    context = build_context(single_plan_assessment(), written=WRITTEN, charts={"attainment": chart})
    out = tmp_path / "report.docx"
    render_docx(context, TEMPLATE, out)
    with zipfile.ZipFile(out) as package:
        media = [name for name in package.namelist() if name.startswith("word/media/")]
        body = package.read("word/document.xml").decode("utf-8")
    assert len(media) == 1
    assert body.count("<w:drawing>") == 1
    # 156 mm wide, in EMU.
    assert f'cx="{Mm(156)}"' in body
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "附件：1.主要指标完成情况表" in texts and "2.指标完成情况图" in texts
    assert texts[texts.index("附件2") + 1] == "指标完成情况图"
    assert "图1　各项指标完成率（虚线为100%）" in texts


def test_a_note_to_the_operator_stays_out_of_the_report(tmp_path: Path) -> None:
    note = "未安装 matplotlib，报告不含图表（可运行 pip install 'ipreport[charts]' 安装）。"
    document = render(tmp_path, sample_context(chart_note=note))
    every = "".join(p.text for p in document.paragraphs)
    assert "matplotlib" not in every and "pip install" not in every
    assert ".csv" not in every  # no file names in the body either


def test_xml_special_characters_in_data_survive(tmp_path: Path) -> None:
    context = sample_context()
    awkward = "专利 & 商标 <质押> ]]> \"引号\" 'x'"
    context["plans"][0]["dimensions"][0]["rows"][0]["display_name"] = awkward
    context["body"][1]["text"] = awkward
    out = tmp_path / "report.docx"
    render_docx(context, TEMPLATE, out)
    with zipfile.ZipFile(out) as package:
        body = package.read("word/document.xml")
    from lxml import etree

    text = "".join(etree.fromstring(body).itertext())
    assert text.count(awkward) == 3  # the paragraph, 表1 and 附件1
    assert docx.Document(str(out)).tables[0].rows[1].cells[0].text == awkward


# ---------------------------------------------------------------------------------- the template


def test_template_page_is_a4_with_gb9704_margins_and_grid() -> None:
    section = docx.Document(str(TEMPLATE)).sections[0]
    measured = [section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                section.left_margin, section.right_margin]
    assert [round(length.mm, 1) for length in measured] == [210.0, 297.0, 37.0, 35.0, 28.0, 26.0]
    # Word stores twips, so "exact" is the nearest twip: 210 mm = 11905.5 twips -> 11906.
    sect_pr = section._sectPr
    size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")
    assert [margins.get(qn(f"w:{side}")) for side in ("top", "bottom", "left", "right")] == [
        "2098", "1984", "1587", "1474",
    ]
    grid = sect_pr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")


@pytest.mark.parametrize(
    ("style", "east_asia", "size_pt"),
    [
        ("Normal", "仿宋_GB2312", 16),
        ("Title", "方正小标宋简体", 22),
        ("Heading 1", "黑体", 16),
        ("Heading 2", "楷体", 16),
        ("Heading 3", "仿宋_GB2312", 16),
        ("Footer", "宋体", 14),
        ("报告表格", "仿宋_GB2312", 10.5),
        ("表格文字", "仿宋_GB2312", 10.5),
        ("表格数字", "仿宋_GB2312", 10.5),
        ("表格表头", "黑体", 10.5),
    ],
)
def test_styles_carry_east_asian_fonts(style: str, east_asia: str, size_pt: float) -> None:
    found = docx.Document(str(TEMPLATE)).styles[style]
    fonts = found.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == east_asia
    assert fonts.get(qn("w:eastAsiaTheme")) is None
    assert found.font.size.pt == size_pt


def test_body_text_has_fixed_line_spacing_and_two_character_indent() -> None:
    normal = docx.Document(str(TEMPLATE)).styles["Normal"].element.pPr
    spacing, indent = normal.find(qn("w:spacing")), normal.find(qn("w:ind"))
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("579", "exact")
    assert indent.get(qn("w:firstLineChars")) == "200"


def test_page_numbers_odd_right_even_left() -> None:
    document = docx.Document(str(TEMPLATE))
    assert document.settings.odd_and_even_pages_header_footer is True
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert (odd.alignment, even.alignment) == (docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT,
                                               docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT)
    for paragraph in (odd, even):
        assert paragraph.text == "— 1 —"
        assert "PAGE" in "".join(paragraph._p.itertext())
        assert paragraph.style.name == "Footer"


def test_template_builder_is_reproducible(tmp_path: Path) -> None:
    builder = Path(__file__).resolve().parents[2] / "tools" / "build_report_template.py"
    out = tmp_path / "report.docx"
    subprocess.run([sys.executable, str(builder), str(out)], check=True, capture_output=True)
    assert out.read_bytes() == TEMPLATE.read_bytes(), "templates/report.docx is stale: rerun the builder"


# ----------------------------------------------------------------------------------------- errors


def test_typo_in_a_variable_names_it_and_the_template(tmp_path: Path) -> None:
    template = user_template(tmp_path, "{{ titel }}", "{{ region }}")
    out = tmp_path / "report.docx"
    with pytest.raises(TemplateError) as caught:
        render_docx(sample_context(), template, out)
    assert str(caught.value) == (
        f"{template}: the template uses variables the report does not provide: titel (did you mean title?) "
        f"{DOCS_HINT}"
    )
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.docx"]


def test_syntax_error_gives_the_line_and_the_paragraph(tmp_path: Path) -> None:
    template = user_template(tmp_path, "{{ title }}", "{% for plan in plans %}", "{{ plan.title }")
    out = tmp_path / "report.docx"
    with pytest.raises(TemplateError) as caught:
        render_docx(sample_context(), template, out)
    assert str(caught.value) == (
        f"{template}:4: template syntax error: unexpected '}}' in \"{{{{ plan.title }}\""
    )
    assert not out.exists()


def test_unknown_attribute_is_reported_at_render_time(tmp_path: Path) -> None:
    template = user_template(tmp_path, "{{ title }}", "{% for plan in plans %}{{ plan.titel }}{% endfor %}")
    with pytest.raises(TemplateError) as caught:
        render_docx(sample_context(), template, tmp_path / "report.docx")
    assert str(caught.value) == (
        f"{template}:3: 'dict object' has no attribute 'titel' {DOCS_HINT}"
        " in \"{% for plan in plans %}{{ plan.titel }}{% endfor %}\""
    )


def test_reaching_for_python_internals_is_refused(tmp_path: Path) -> None:
    template = user_template(tmp_path, "{{ title.__class__.__mro__ }}")
    with pytest.raises(TemplateError) as caught:
        render_docx(sample_context(), template, tmp_path / "report.docx")
    assert str(caught.value) == (
        f"{template}:2: not allowed in a report template: access to attribute '__class__' of 'str' object is "
        "unsafe. in \"{{ title.__class__.__mro__ }}\""
    )
    assert not (tmp_path / "report.docx").exists()


def test_failed_render_leaves_an_existing_report_untouched(tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    out.write_bytes(b"last year's report")
    template = user_template(tmp_path, "{{ titel }}")
    with pytest.raises(TemplateError):
        render_docx(sample_context(), template, out)
    assert out.read_bytes() == b"last year's report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.docx", "report.docx"]


def test_a_file_that_is_not_a_docx_is_named(tmp_path: Path) -> None:
    template = tmp_path / "notes.docx"
    template.write_text("not a zip", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render_docx(sample_context(), template, tmp_path / "report.docx")
    assert str(caught.value) == (
        f"{template}: not a Word .docx file: it is not a zip archive (save it from Word as .docx)"
    )


def test_missing_template_is_named(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        render_docx(sample_context(), tmp_path / "gone.docx", tmp_path / "report.docx")
    assert str(caught.value) == f"{tmp_path / 'gone.docx'}: template not found"


# -------------------------------------------------------------------------------------- LibreOffice


@pytest.mark.slow
def test_libreoffice_converts_the_report_and_the_pdf_holds_its_text(tmp_path: Path, soffice: str) -> None:
    context = sample_context()
    report = tmp_path / "report.docx"
    render_docx(context, TEMPLATE, report)
    # A private profile, so the test neither needs nor disturbs the user's LibreOffice settings.
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(report)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = tmp_path / "report.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    # Lines break anywhere in Chinese text; compare with all white space removed.
    flat = re.sub(r"\s+", "", text)
    assert SUMMARY_SENTENCE in flat
    missing = [name for name in target_names(context) if re.sub(r"\s+", "", name) not in flat]
    assert missing == []
    assert "—1—" in flat and "—2—" in flat


def test_a_template_used_again_is_rendered_from_what_was_checked_then_reread_when_changed(
    tmp_path: Path,
) -> None:
    # One process renders many reports (--each-region): the checks are kept, not trusted blindly.
    template = user_template(tmp_path, "{{ title }}")
    context = sample_context()
    first, second = tmp_path / "1.docx", tmp_path / "2.docx"
    render_docx(context, template, first, when=WRITTEN)
    render_docx(context, template, second, when=WRITTEN)
    assert first.read_bytes() == second.read_bytes()
    without_title = {k: v for k, v in context.items() if k != "title"}
    with pytest.raises(TemplateError) as caught:
        render_docx(without_title, template, tmp_path / "3.docx", when=WRITTEN)
    assert str(caught.value) == (
        f"{template}: the template uses variables the report does not provide: title {DOCS_HINT}"
    )
    user_template(tmp_path, "{{ titel }}")  # the same file, edited
    with pytest.raises(TemplateError) as caught:
        render_docx(context, template, tmp_path / "4.docx", when=WRITTEN)
    assert "does not provide: titel (did you mean title?)" in str(caught.value)
    user_template(tmp_path, "{{ title }} {% if %}")
    with pytest.raises(TemplateError, match="template syntax error"):
        render_docx(context, template, tmp_path / "5.docx", when=WRITTEN)


def test_a_template_part_is_prepared_for_jinja_once_per_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # docxtpl's patch_xml (dozens of regular-expression passes) depends on the part's XML alone.
    import docxtpl

    from ipreport.render.report import docx as docx_module

    monkeypatch.setattr(docx_module, "_PATCHED", {}, raising=False)
    calls: list[int] = []
    original = docxtpl.DocxTemplate.patch_xml

    def counted(self: object, src_xml: str) -> str:
        calls.append(len(src_xml))
        return original(self, src_xml)  # type: ignore[arg-type]

    monkeypatch.setattr(docxtpl.DocxTemplate, "patch_xml", counted)
    template = user_template(tmp_path, "{{ title }}", "第二段")
    first = tmp_path / "first.docx"
    render_docx({"title": "一"}, template, first)
    prepared = len(calls)
    render_docx({"title": "二"}, template, tmp_path / "second.docx")
    assert prepared > 0 and len(calls) == prepared
    assert "二" in "".join(p.text for p in docx.Document(str(tmp_path / "second.docx")).paragraphs)


def test_no_table_number_appears_twice_in_the_document(tmp_path: Path) -> None:
    # The body's tables are 表1, 表2 …; the annex's full tables are 附表1, 附表2 …, never a second 表1.
    out = write_report(sample_assessment(), out=tmp_path / "r.docx", charts=False, written=WRITTEN)
    captions = [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "表题"]
    numbers = [caption.split("\u3000")[0] for caption in captions]
    assert len(numbers) == len(set(numbers)) and any(n.startswith("附表") for n in numbers), captions


def test_the_package_written_from_its_parts_is_what_docxtpl_s_save_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ipreport.render.report import docx as word

    context = sample_context()
    when = dt.date(2024, 3, 1)
    from_parts = word.render_docx_bytes(context, TEMPLATE, when=when)
    # Without python-docx's writer steps, the document is saved and unpacked the usual way.
    monkeypatch.setattr(word, "_WRITER_STEPS", ("no_such_step",) * 3)
    saved = word.render_docx_bytes(context, TEMPLATE, when=when)
    assert from_parts == saved
    (tmp_path / "r.docx").write_bytes(from_parts)  # and it opens as a Word document
    assert docx.Document(str(tmp_path / "r.docx")).paragraphs
