"""Same inputs, options and date give byte-identical .docx, .md, .html and charts, wherever they are built."""

from __future__ import annotations

import datetime as dt
import getpass
import io
import os
import socket
import struct
import zipfile
from pathlib import Path

import docx
import pytest
from report_fixtures import sample_assessment

from ipreport.render.report import charts
from ipreport.render.report.chart_specs import chart_specs
from ipreport.render.report.write import write_report
from ipreport.util.clock import report_date
from ipreport.util.reproducible import normalize_zip

# Seconds each: `pytest -m 'not slow'` leaves them out of a quick run; CI runs them.
pytestmark = pytest.mark.slow

EPOCH = "1700000000"  # 2023-11-14T22:13:20Z, which is 2023-11-15 in Shanghai
EPOCH_DATE = dt.date(2023, 11, 15)


def _build(folder: Path, fmt: str, monkeypatch: pytest.MonkeyPatch, **options: object) -> bytes:
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    out = write_report(sample_assessment(), out=Path(f"report.{fmt}"), **options)  # type: ignore[arg-type]
    return out.read_bytes()


def _has_charts() -> bool:
    return charts.charts_available("zh")[0]


@pytest.mark.parametrize("fmt", ["docx", "md", "html"])
def test_two_builds_in_different_folders_are_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = _build(tmp_path / "one", fmt, monkeypatch)
    second = _build(tmp_path / "two" / "deeper", fmt, monkeypatch)
    assert first == second
    for leak in (str(tmp_path).encode(), b"ipreport-charts-", b"/tmp/", getpass.getuser().encode() + b"/"):
        assert leak not in _all_text(first, fmt)
    if fmt == "docx":
        assert socket.gethostname().encode() + b"<" not in _all_text(first, fmt)


def _all_text(data: bytes, fmt: str) -> bytes:
    if fmt != "docx":
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"\n".join(archive.read(name) for name in archive.namelist() if not name.endswith(".png"))


def test_word_charts_are_embedded_under_stable_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Native charts: a chart part and its workbook each, numbered in the report's order; the
    # workbook is dated from the report date, not from the clock.
    data = _build(tmp_path / "one", "docx", monkeypatch, written=EPOCH_DATE)
    count = len(chart_specs(sample_assessment()))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        books = [archive.read(f"word/embeddings/Microsoft_Excel_Worksheet{n}.xlsx") for n in range(1, count + 1)]
    assert {n for n in names if n.startswith("word/charts/chart")} == {
        f"word/charts/chart{n}.xml" for n in range(1, count + 1)
    }
    assert len([n for n in names if n.startswith("word/embeddings/")]) == count
    assert not [n for n in names if n.startswith("word/media/")]
    with zipfile.ZipFile(io.BytesIO(books[0])) as book:
        core = book.read("docProps/core.xml").decode("utf-8")
        assert {e.date_time for e in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert ">2023-11-15T00:00:00Z<" in core


def test_the_docx_zip_is_ordered_and_dated_from_the_report_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    data = _build(tmp_path / "one", "docx", monkeypatch, charts=False)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
    names = [e.filename for e in entries]
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert names[2:] == sorted(names[2:])
    assert {e.date_time for e in entries} == {(2023, 11, 15, 0, 0, 0)}
    assert {(e.create_system, e.external_attr >> 16, e.compress_type) for e in entries} == {
        (3, 0o100644, zipfile.ZIP_DEFLATED)
    }


def test_core_properties_come_from_the_report_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    data = _build(tmp_path / "one", "docx", monkeypatch, charts=False, written=dt.date(2024, 2, 29))
    core = docx.Document(io.BytesIO(data)).core_properties
    moment = dt.datetime(2024, 2, 29, tzinfo=dt.timezone.utc)
    assert (core.created, core.modified, core.last_printed) == (moment, moment, moment)
    assert (core.last_modified_by, core.revision) == ("ipreport", 1)


def test_a_different_date_gives_a_different_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = _build(tmp_path / "one", "docx", monkeypatch, charts=False, written=dt.date(2024, 3, 1))
    second = _build(tmp_path / "two", "docx", monkeypatch, charts=False, written=dt.date(2024, 3, 2))
    assert first != second


def test_report_date_prefers_the_given_date_then_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert report_date(dt.date(2020, 1, 2)) == dt.date(2020, 1, 2)
    assert report_date() == EPOCH_DATE
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert isinstance(report_date(), dt.date)


def test_normalize_zip_is_idempotent_and_independent_of_the_input_order() -> None:
    def zipped(order: list[str]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in order:
                archive.writestr(name, name.encode())
        return buffer.getvalue()

    day = dt.date(2024, 1, 1)
    one = normalize_zip(zipped(["b.xml", "[Content_Types].xml", "a.xml"]), day)
    two = normalize_zip(zipped(["a.xml", "b.xml", "[Content_Types].xml"]), day)
    assert one == two == normalize_zip(one, day)


def _png_chunks(data: bytes) -> list[bytes]:
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        chunks.append(data[position + 4:position + 8])
        position += 12 + length
    return chunks


def test_charts_are_byte_identical_and_carry_no_metadata(tmp_path: Path) -> None:
    assert _has_charts(), "matplotlib and a CJK font are needed for this test (see docs)"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = charts.render_charts(sample_assessment(), tmp_path / "a")
    second = charts.render_charts(sample_assessment(), tmp_path / "b")
    assert sorted(first) == sorted(second)
    for key in first:
        data = Path(first[key]).read_bytes()
        assert data == Path(second[key]).read_bytes()
        assert not {b"tEXt", b"iTXt", b"zTXt", b"tIME"} & set(_png_chunks(data))
        assert os.fspath(tmp_path).encode() not in data
