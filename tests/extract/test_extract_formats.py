"""PDF, HTML, .doc and .wps documents: each read to the same draft as the .docx of the same text."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ipreport.errors import InputError
from ipreport.extract.drafting import extract_plan

LINES = (
    "江南省人民政府关于加强知识产权工作的意见",
    "江政发〔2021〕5号",
    "一、发展目标",
    "到2025年，全省每万人口高价值发明专利拥有量达到8.5件，海外发明专利授权量达到1200件，知识产权质押融资登记金额"
    "年均增长20%以上，专利密集型产业增加值占地区生产总值比重达到13%，全省知识产权服务机构达到300家。",
    "二、重点任务",
    "（一）加强知识产权保护。第一阶段（2023年），建成省级知识产权运营服务平台。",
    "江南省人民政府",
    "2021年3月1日",
)
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>江南省人民政府门户网站</title>
<script>var year = "到2030年达到999件";</script></head><body>
<div class="header"><ul class="nav"><li>首页</li><li>政务公开</li><li>2024年全省专利申请量达到5万件</li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开</div>
<div class="main"><div class="TRS_Editor">{paragraphs}</div>
<div class="share">分享到：微信 微博</div></div>
<div class="footer"><p>主办单位：江南省人民政府办公厅 网站标识码 3300000001 备案号 江ICP备05000000号</p></div>
</body></html>"""


def _body(draft: str) -> str:
    """The draft without its first line, which names the file it came from."""
    return draft.split("\n", 1)[1]


def _office(*args: str, cwd: Path) -> None:
    profile = cwd / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", *args],
                   cwd=cwd, capture_output=True, timeout=180, check=True)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    import docx

    folder = tmp_path_factory.mktemp("formats")
    document = docx.Document()
    for line in LINES:
        document.add_paragraph(line)
    document.save(str(folder / "plan.docx"))
    html = PAGE.format(paragraphs="".join(f"<p>{line}</p>" for line in LINES))
    (folder / "plan.html").write_text(html, encoding="utf-8")
    if shutil.which("soffice"):
        _office("--convert-to", "pdf", "--outdir", str(folder), "plan.docx", cwd=folder)
        _office("--convert-to", "doc", "--outdir", str(folder), "plan.docx", cwd=folder)
    return {suffix: folder / f"plan.{suffix}" for suffix in ("docx", "html", "pdf", "doc")}


def test_the_docx_draft(documents: dict[str, Path]) -> None:
    draft = extract_plan(documents["docx"])
    assert 'title = "江南省人民政府关于加强知识产权工作的意见"' in draft
    assert draft.count("[[target]]") == 6
    assert "deadline = 2023-12-31" in draft


@pytest.mark.parametrize("suffix", ["html", "pdf", "doc"])
def test_other_formats_give_the_same_draft(documents: dict[str, Path], suffix: str) -> None:
    if suffix != "html" and not shutil.which("soffice"):
        pytest.fail("LibreOffice (soffice) is needed to make the PDF and .doc test files")
    assert _body(extract_plan(documents[suffix])) == _body(extract_plan(documents["docx"]))


def test_html_site_chrome_is_left_out(documents: dict[str, Path]) -> None:
    draft = extract_plan(documents["html"])
    assert "5万件" not in draft and "999" not in draft and "ICP" not in draft


def test_a_pdf_without_a_text_layer(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(InputError) as caught:
        extract_plan(path)
    assert str(caught.value) == (f"{path}: the PDF has no text layer (a scanned document?); run OCR on it or "
                                 "give the .docx or .txt")


def test_a_file_that_is_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_text("江南省人民政府", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        extract_plan(path)
    assert str(caught.value).startswith(f"{path}: cannot read the file as a PDF document (")


def test_doc_without_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(InputError) as caught:
        extract_plan(path)
    assert str(caught.value) == (f"{path}: reading .wps files needs LibreOffice (soffice), which is not "
                                 "installed; install it or save the document as .docx")
