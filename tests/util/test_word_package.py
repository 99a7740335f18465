"""A --template that is not a sane .docx is refused before docxtpl opens it, quickly and in little memory."""

from __future__ import annotations

import datetime as dt
import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest
from report_fixtures import sample_assessment

from ipreport.errors import TemplateError
from ipreport.render.report.write import write_report
from ipreport.util.resources import templates_dir
from ipreport.util.word_package import check_word_package


def _word_parts() -> dict[str, bytes]:
    """The parts of a small, valid Word document made by python-docx."""
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("{{ title }}")
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _package(path: Path, replace: dict[str, bytes] | None = None, drop: tuple[str, ...] = (),
             extra: int = 0, method: int = zipfile.ZIP_DEFLATED) -> Path:
    parts = {**_word_parts(), **(replace or {})}
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in parts.items():
            if name not in drop:
                archive.writestr(name, data)
        for number in range(extra):
            archive.writestr(f"word/media/extra{number}.bin", b"")
    return path


def _refused(template: Path, tmp_path: Path) -> str:
    """Run a whole report with the template; it must fail fast, in bounded memory, writing nothing."""
    out = tmp_path / "out.docx"
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(TemplateError) as caught:
            write_report(sample_assessment(), out=out, template=template, charts=False,
                         written=dt.date(2021, 3, 1))
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 2
    assert peak < 30 * 1024 * 1024
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("out", ".out"))) == []
    return str(caught.value)


def test_the_built_in_template_passes() -> None:
    check_word_package(templates_dir() / "report.docx")


def test_a_text_file_renamed_docx_is_not_a_zip(tmp_path: Path) -> None:
    template = tmp_path / "t.docx"
    template.write_text("{{ title }}", encoding="utf-8")
    assert _refused(template, tmp_path) == (
        f"{template}: not a Word .docx file: it is not a zip archive (save it from Word as .docx)"
    )


def test_a_zip_of_something_else_has_no_document_part(tmp_path: Path) -> None:
    template = tmp_path / "t.docx"
    with zipfile.ZipFile(template, "w") as archive:
        archive.writestr("data.csv", "a,b\n1,2\n")
    assert _refused(template, tmp_path) == (
        f"{template}: not a Word .docx file: it has no word/document.xml (is it a zip of something else?)"
    )


def test_too_many_entries_are_refused_from_the_directory(tmp_path: Path) -> None:
    template = _package(tmp_path / "t.docx", extra=2000)
    count = len(_word_parts()) + 2000
    assert _refused(template, tmp_path) == (
        f"{template}: refused: the archive holds {count:,} files (a Word template has at most 2,000)"
    )


def test_a_huge_document_part_is_refused_before_unpacking(tmp_path: Path) -> None:
    body = b"<w:document>" + b" " * (51 * 1024 * 1024) + b"</w:document>"
    template = _package(tmp_path / "t.docx", {"word/document.xml": body})
    del body
    with zipfile.ZipFile(template) as archive:
        megabytes = sum(info.file_size for info in archive.infolist()) / 1024 / 1024
    assert _refused(template, tmp_path) == (
        f"{template}: refused: the archive unpacks to {megabytes:,.0f} MB (a Word template may unpack to at "
        "most 50 MB)"
    )


def test_a_zip_bomb_part_is_refused_by_its_compression_ratio(tmp_path: Path) -> None:
    template = _package(tmp_path / "t.docx", {"word/media/bomb.bin": b"\0" * (8 * 1024 * 1024)})
    with zipfile.ZipFile(template) as archive:
        info = archive.getinfo("word/media/bomb.bin")
    ratio = info.file_size // info.compress_size
    assert ratio > 100
    assert _refused(template, tmp_path) == (
        f"{template}: refused: word/media/bomb.bin is compressed {ratio:,}:1 (more than 100:1 is the mark "
        "of a zip bomb)"
    )


def test_deeply_nested_xml_is_refused_while_streaming(tmp_path: Path) -> None:
    depth = 100_000
    body = b"<w:document xmlns:w='urn:w'>" + b"<w:p>" * depth + b"</w:p>" * depth + b"</w:document>"
    # Stored, not deflated: a ratio under 100:1 lets it past the directory checks to the XML pass.
    template = _package(tmp_path / "t.docx", {"word/document.xml": body}, method=zipfile.ZIP_STORED)
    assert _refused(template, tmp_path) == (
        f"{template}: refused: word/document.xml nests XML elements more than 200 deep"
    )


@pytest.mark.parametrize("depth, refused", [(199, False), (200, True)])
def test_the_depth_limit_is_ipreports_own(tmp_path: Path, depth: int, refused: bool) -> None:
    # The root element counts too: 199 nested <w:p> under it are 200 levels, the most allowed.
    body = b"<w:document xmlns:w='urn:w'>" + b"<w:p>" * depth + b"</w:p>" * depth + b"</w:document>"
    template = _package(tmp_path / "t.docx", {"word/document.xml": body}, method=zipfile.ZIP_STORED)
    if refused:
        assert _refused(template, tmp_path) == (
            f"{template}: refused: word/document.xml nests XML elements more than 200 deep"
        )
    else:
        check_word_package(template)


def test_entity_expansion_is_refused_by_its_doctype(tmp_path: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b"<w:document xmlns:w='urn:w'>&lol3;</w:document>"
    )
    template = _package(tmp_path / "t.docx", {"word/document.xml": laughs})
    assert _refused(template, tmp_path) == (
        f"{template}: refused: word/document.xml declares a DOCTYPE, which Word documents never do"
    )


def test_malformed_xml_is_named(tmp_path: Path) -> None:
    template = _package(tmp_path / "t.docx", {"word/document.xml": b"<w:document xmlns:w='urn:w'><w:body>"})
    message = _refused(template, tmp_path)
    # The parser's own words for the cause are its business; ipreport's part and the position are ours.
    prefix = f"{template}: not a Word .docx file: word/document.xml is not well-formed XML ("
    assert message.startswith(prefix) and message.endswith(", line 1, column 37)")


def test_a_damaged_archive_fails_its_checksum(tmp_path: Path) -> None:
    # Stored parts keep their text readable, so one letter can change with the XML still well-formed.
    template = _package(tmp_path / "t.docx", method=zipfile.ZIP_STORED)
    data = template.read_bytes()
    assert data.count(b"{{ title }}") == 1
    template.write_bytes(data.replace(b"{{ title }}", b"{{ titlf }}"))
    assert _refused(template, tmp_path) == (
        f"{template}: not a Word .docx file: the archive is damaged (Bad CRC-32 for file 'word/document.xml')"
    )


def test_a_docx_packed_with_a_newer_zip_version_is_refused_in_words(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in _word_parts().items():
            archive.writestr(name, data)
    patched = bytearray(buffer.getvalue())
    at = patched.find(b"PK\x01\x02")
    patched[at + 6:at + 8] = (64).to_bytes(2, "little")  # "version needed to extract": 6.4
    path = tmp_path / "t.docx"
    path.write_bytes(bytes(patched))
    with pytest.raises(TemplateError) as caught:
        check_word_package(path)
    assert str(caught.value) == (
        f"{path}: not a Word .docx file: it is packed with a zip feature that cannot be read "
        "(save it again from Word as .docx)"
    )
