"""write_report for Markdown and HTML: content, escaping, format choice, and no file on any error."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

import pytest
from report_fixtures import sample_assessment, single_plan_assessment

from ipreport.errors import OptionError, TemplateError
from ipreport.model import Assessment
from ipreport.render.report.write import choose_format, default_output, write_report

WRITTEN = dt.date(2021, 3, 1)


def _with_name(assessment: Assessment, name: str) -> Assessment:
    """The sample with its first target renamed (to put awkward characters into the data)."""
    part = assessment.plans[0]
    row = part.rows[0]
    renamed = dataclasses.replace(row, target=dataclasses.replace(row.target, name=name))
    part = dataclasses.replace(part, rows=(renamed, *part.rows[1:]))
    return dataclasses.replace(assessment, plans=(part, *assessment.plans[1:]))


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_markdown_report_holds_every_section_and_target(in_tmp: Path) -> None:
    out = write_report(sample_assessment(), out=Path("r.md"), charts=False, written=WRITTEN)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 吉林省2022年知识产权发展状况报告\n")
    for heading in ("## 一、总体情况", "## 二、《实施意见》实施情况", "### （一）主要指标完成情况", "#### 1.创造",
                    "### （二）重点任务进展", "## 四、存在的问题", "## 五、下一步工作", "**附件1**"):
        assert heading in text
    for row in sample_assessment().rows:
        assert row.target.name in text
    assert "| 每万人口发明专利拥有量 | 件/万人 | 4.2 | 6.41（2020年） | 152.6% | 已实现 |" in text
    assert "| 每万人口发明专利拥有量 | 件/万人 | 4.2 | 3.36（2016年） | 6.41（2020年） | −2.21 | 152.6% | 已实现 |" in text
    assert "吉政办发〔2022〕32号" in text
    # 署名 and 成文日期 end the body, before the annexes.
    assert text.index("<p align=\"right\">吉林省知识产权局<br>2021年3月1日</p>") < text.index("**附件1**")
    assert "数据说明" not in text and ".csv" not in text


def test_html_report_is_one_self_contained_file(in_tmp: Path) -> None:
    png = in_tmp / "chart.png"
    png.write_bytes(b"\x89PNG")
    out = write_report(single_plan_assessment(), out=Path("r.html"), charts=False, written=WRITTEN)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }" in text
    assert "<link" not in text and "<script" not in text
    assert "截至2020年底，全省每万人口发明专利拥有量达到6.41件，超额完成4.2件的目标，完成率152.6%。" in text
    assert 'style="background: #' in text


def test_default_name_is_the_title_in_the_current_folder(in_tmp: Path) -> None:
    out = write_report(single_plan_assessment(), fmt="md", charts=False, written=WRITTEN)
    assert out == Path("吉林省2020年知识产权发展状况报告.md")
    assert (in_tmp / out).is_file()


def test_special_characters_in_data_are_escaped_in_markdown_and_in_html(in_tmp: Path) -> None:
    assessment = _with_name(single_plan_assessment(), "R&D <投入> ]]> a|b")
    md = write_report(assessment, out=Path("r.md"), charts=False, written=WRITTEN).read_text(encoding="utf-8")
    html = write_report(assessment, out=Path("r.html"), charts=False, written=WRITTEN).read_text(encoding="utf-8")
    assert "| R\\&D \\<投入\\> \\]\\]\\> a\\|b | 件/万人 | 4.2 |" in md
    assert "<投入>" not in md
    assert '<td class="name">R&amp;D &lt;投入&gt; ]]&gt; a|b</td>' in html
    assert "<投入>" not in html


def test_english_report(in_tmp: Path) -> None:
    out = write_report(sample_assessment(), out=Path("r.md"), lang="en", charts=False, written=WRITTEN)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Intellectual Property Development Report of 吉林省, 2022\n")
    assert "| Indicator | Unit | Target | Latest | % of target | Status | " in text


@pytest.mark.parametrize(
    ("fmt", "out", "template", "expected"),
    [
        (None, None, None, "docx"),
        ("html", Path("x.html"), None, "html"),  # a disagreeing name is an error now (test_workbook.py)
        ("md", Path("x.txt"), None, "md"),
        (None, Path("x.MD"), None, "md"),
        (None, Path("x.htm"), None, "html"),
        (None, None, Path("mine.html.j2"), "html"),
    ],
)
def test_choose_format(fmt: str | None, out: Path | None, template: Path | None, expected: str) -> None:
    assert choose_format(fmt, out, template) == expected


def test_an_unknown_extension_asks_for_format() -> None:
    with pytest.raises(OptionError) as caught:
        choose_format(None, Path("r.txt"), None)
    assert str(caught.value) == (
        '--output: cannot tell the format from "r.txt": use a .docx, .pdf, .md or .html name, or give --format'
    )


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(OptionError) as caught:
        choose_format("odt", None, None)
    assert str(caught.value) == "--format: expected one of docx, md, html, pdf, found 'odt'"


def test_default_output_replaces_characters_a_file_name_cannot_hold() -> None:
    assert default_output("吉林/长春: 2020", "md") == Path("吉林_长春_ 2020.md")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("# {{ titel }}\n", "the template uses variables the report does not provide: titel (did you mean title?)"),
        ("# {{ title }}\n{% for p in plans %}{{ p.nmae }}{% endfor %}\n", ":2: 'dict object' has no attribute 'nmae'"),
        ("# {{ title }}\n{% if %}\n", ":2: template syntax error: "),
        ("{{ ''.__class__.__mro__ }}\n", ":1: not allowed in a report template: access to attribute '__class__'"),
        ("{{ cycler.__init__.__globals__ }}\n", ":1: not allowed in a report template: access to attribute '__init__'"),
    ],
)
def test_a_bad_user_template_writes_nothing_and_keeps_an_existing_file(
    in_tmp: Path, source: str, message: str
) -> None:
    template = in_tmp / "mine.md.j2"
    template.write_text(source, encoding="utf-8")
    out = in_tmp / "r.md"
    out.write_text("previous report", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:  # forced: the previous file is not ipreport's
        write_report(single_plan_assessment(), out=out, template=template, charts=False, written=WRITTEN,
                     force=True)
    assert str(caught.value).startswith("mine.md.j2")
    assert message in str(caught.value)
    assert out.read_text(encoding="utf-8") == "previous report"
    assert sorted(os.listdir(in_tmp)) == ["mine.md.j2", "r.md"]


def test_a_user_template_may_override_the_sentences(in_tmp: Path) -> None:
    (in_tmp / "sentences" / "zh").mkdir(parents=True)
    (in_tmp / "sentences" / "zh" / "method.j2").write_text("我们的方法。\n", encoding="utf-8")
    template = in_tmp / "mine.md.j2"
    template.write_text("{{ method_text }}|{{ summary.paragraphs[0] }}\n", encoding="utf-8")
    out = write_report(single_plan_assessment(), out=Path("r.md"), template=template, charts=False, written=WRITTEN)
    assert out.read_text(encoding="utf-8").startswith("我们的方法。|《吉林省人民政府")


def test_the_statistics_file_is_never_overwritten(in_tmp: Path) -> None:
    stats = in_tmp / "stats.md"
    stats.write_text("data", encoding="utf-8")
    assessment = dataclasses.replace(single_plan_assessment(), statistics=stats)
    with pytest.raises(OptionError) as caught:
        write_report(assessment, out=Path("stats.md"), charts=False, written=WRITTEN)
    assert str(caught.value) == '--output: "stats.md" is one of the input files; choose another output name'
    assert stats.read_text(encoding="utf-8") == "data"


def test_a_missing_template_is_an_option_error(in_tmp: Path) -> None:
    with pytest.raises(OptionError) as caught:
        write_report(single_plan_assessment(), out=Path("r.md"), template=Path("none.md.j2"), charts=False)
    assert str(caught.value) == '--template: "none.md.j2" is not a file'


@pytest.mark.parametrize(
    ("name", "out", "expected"),
    [
        ("ok.toml", "x.html", '"ok.toml": a HTML report needs a text template (.j2, .jinja, .jinja2, .md, .markdown, '
         '.html, .htm, .txt, .tpl), found ".toml"'),
        ("stats.csv", "x.md", '"stats.csv": a Markdown report needs a text template (.j2, .jinja, .jinja2, .md, '
         '.markdown, .html, .htm, .txt, .tpl), found ".csv"'),
        ("report.docx", "x.md", '"report.docx": a Markdown report needs a text template (.j2, .jinja, .jinja2, .md, '
         '.markdown, .html, .htm, .txt, .tpl), found ".docx"'),
        ("mine.md.j2", "x.html", '"mine.md.j2" is a Markdown template, but the report is HTML'),
        ("mine.html.j2", "x.docx", '"mine.html.j2": a Word report needs a .docx template, found ".j2"'),
    ],
)
def test_a_template_that_cannot_make_the_format_is_refused_before_writing(
    in_tmp: Path, name: str, out: str, expected: str
) -> None:
    (in_tmp / name).write_text("# {{ title }}\n", encoding="utf-8")
    with pytest.raises(OptionError) as caught:
        write_report(single_plan_assessment(), out=Path(out), template=Path(name), charts=False, written=WRITTEN)
    assert str(caught.value) == "--template: " + expected
    assert caught.value.exit_code == 2
    assert sorted(p.name for p in in_tmp.iterdir()) == [name]


def test_a_plain_text_template_makes_markdown_and_html(in_tmp: Path) -> None:
    (in_tmp / "mine.txt").write_text("{{ title }}\n", encoding="utf-8")
    for out in ("r.md", "r.html"):
        made = write_report(single_plan_assessment(), out=Path(out), template=Path("mine.txt"), charts=False,
                            written=WRITTEN)
        assert made.read_text(encoding="utf-8").startswith("吉林省")


def test_charts_are_embedded_in_the_html_as_data_uris(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ipreport.render.report import charts
    def fake_render(assessment: Assessment, folder: Path, *, lang: str = "zh") -> dict[str, Path]:
        png = folder / "attainment.png"
        png.write_bytes(b"\x89PNG")
        return {"attainment": png}

    monkeypatch.setattr(charts, "charts_available", lambda lang="zh": (True, ""))
    monkeypatch.setattr(charts, "render_charts", fake_render)
    text = write_report(single_plan_assessment(), out=Path("r.html"), written=WRITTEN).read_text(encoding="utf-8")
    assert '<img src="data:image/png;base64,iVBORw==" alt="图1　各项指标完成率（虚线为100%）" style="width: 156.0mm">' in text
    assert sorted(os.listdir(in_tmp)) == ["r.html"]


def test_without_charts_the_report_holds_no_note_to_the_operator(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ipreport.render.report import charts
    monkeypatch.setattr(charts, "charts_available", lambda lang="zh": (False, "未找到中文字体，报告不含图表。"))
    for name in ("r.html", "r.md"):
        text = write_report(single_plan_assessment(), out=Path(name), written=WRITTEN).read_text(encoding="utf-8")
        assert "未找到中文字体" not in text
        assert "data:image/png" not in text
        assert "附件2" not in text  # no charts: no 附件2 either
