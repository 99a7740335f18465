"""An edited report survives a second `report`; an untouched earlier report is replaced as before."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from ipreport.cli import cli
from ipreport.render.report.fingerprint import (
    CUSTOM_PART,
    PROPERTY,
    stamp_docx,
    stamp_text,
    unchanged_since_written,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"
PLAN = str(FIXTURES / "cli" / "mini.toml")
STATS = str(FIXTURES / "cli" / "mini.csv")
REGION_PLAN = str(FIXTURES / "regions" / "plan.toml")
REGION_STATS = str(FIXTURES / "regions" / "counties.csv")
KEPT = (
    "{path}: changed since ipreport wrote it (edited, or saved again in Word or WPS), or not written by "
    "ipreport; it is kept as it is: give --force to replace it, or {instead}"
)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), env={"SOURCE_DATE_EPOCH": "1700000000"})


def _edit_in_word(path: Path) -> None:
    document = docx.Document(str(path))
    document.add_paragraph("科室补充的一段文字")
    document.save(str(path))


@pytest.mark.parametrize("name", ["r.docx", "r.md", "r.html"])
def test_an_untouched_report_is_replaced(tmp_path, name):
    out = tmp_path / name
    assert run("report", PLAN, "--stats", STATS, "--no-charts", "-o", str(out)).exit_code == 0
    assert unchanged_since_written(out)
    result = run("report", PLAN, "--stats", STATS, "--no-charts", "-o", str(out), "--title", "新标题")
    assert result.exit_code == 0, result.output
    assert "新标题" in (out.read_text("utf-8") if name != "r.docx" else docx.Document(str(out)).paragraphs[0].text
                     + "".join(p.text for p in docx.Document(str(out)).paragraphs))


def test_an_edited_docx_survives_a_second_report(tmp_path):
    out = tmp_path / "r.docx"
    assert run("report", PLAN, "--stats", STATS, "--no-charts", "-o", str(out)).exit_code == 0
    _edit_in_word(out)
    edited = out.read_bytes()
    result = run("report", PLAN, "--stats", STATS, "--no-charts", "-o", str(out))
    assert result.exit_code == 1
    assert result.output == "Error: " + KEPT.format(path=out, instead="another name with -o") + "\n"
    assert out.read_bytes() == edited
    forced = run("report", PLAN, "--stats", STATS, "--no-charts", "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert "科室补充的一段文字" not in "".join(p.text for p in docx.Document(str(out)).paragraphs)


@pytest.mark.parametrize("name", ["r.md", "r.html"])
def test_an_edited_text_report_is_kept(tmp_path, name):
    out = tmp_path / name
    assert run("report", PLAN, "--stats", STATS, "--no-charts", "-o", str(out)).exit_code == 0
    text = out.read_text("utf-8").replace("评估", "评价", 1)
    out.write_text(text, encoding="utf-8")
    result = run("report", PLAN, "--stats", STATS, "--no-charts", "-o", str(out))
    assert result.exit_code == 1
    assert out.read_text("utf-8") == text


def test_a_file_ipreport_did_not_write_is_kept(tmp_path):
    out = tmp_path / "r.md"
    out.write_text("# 我的笔记\n", encoding="utf-8")
    result = run("report", PLAN, "--stats", STATS, "--no-charts", "-o", str(out))
    assert result.exit_code == 1
    assert out.read_text("utf-8") == "# 我的笔记\n"


def test_each_region_refuses_before_writing_any(tmp_path):
    args = ("report", REGION_PLAN, "--stats", REGION_STATS, "--each-region", "--no-charts", "--format", "md",
            "--out-dir", str(tmp_path), "--jobs", "1")
    assert run(*args).exit_code == 0
    reports = sorted(tmp_path.glob("*.md"))
    assert len(reports) == 3
    reports[-1].write_text(reports[-1].read_text("utf-8") + "补充\n", encoding="utf-8")
    for report in reports[:-1]:
        report.write_text("", encoding="utf-8")  # empty: nothing to lose, would be replaced
    result = run(*args)
    assert result.exit_code == 1
    assert result.output == "Error: " + KEPT.format(path=reports[-1], instead="another --out-dir") + "\n"
    assert all(report.read_text("utf-8") == "" for report in reports[:-1])
    assert run(*args, "--force").exit_code == 0
    assert "补充" not in reports[-1].read_text("utf-8")


def test_stamped_text_checks_its_own_content(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(stamp_text("# 标题\n正文"), encoding="utf-8")
    assert unchanged_since_written(path)
    path.write_text(stamp_text("# 标题\n正文").replace("正文", "正文。"), encoding="utf-8")
    assert not unchanged_since_written(path)


def _docx(custom: str | None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types xmlns="x"><Default Extension="xml"/></Types>')
        archive.writestr("_rels/.rels", '<Relationships xmlns="y"><Relationship Id="rId1"/></Relationships>')
        archive.writestr("word/document.xml", "<w:document/>")
        if custom is not None:
            archive.writestr(CUSTOM_PART, custom)
    return buffer.getvalue()


def test_a_templates_own_custom_properties_are_kept(tmp_path):
    own = ('<Properties xmlns="c" xmlns:vt="v"><property fmtid="{F}" pid="2" name="部门">'
           "<vt:lpwstr>知识产权局</vt:lpwstr></property></Properties>")
    stamped = stamp_docx(_docx(own))
    with zipfile.ZipFile(io.BytesIO(stamped)) as archive:
        custom = archive.read(CUSTOM_PART).decode("utf-8")
        assert archive.read("_rels/.rels").decode().count("custom-properties") == 1
    assert 'name="部门"' in custom and f'pid="3" name="{PROPERTY}"' in custom
    path = tmp_path / "a.docx"
    path.write_bytes(stamp_docx(stamped))  # stamping again replaces ipreport's property, keeps one
    assert unchanged_since_written(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.read(CUSTOM_PART).decode("utf-8").count(PROPERTY) == 1
