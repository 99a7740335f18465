"""A statistics file is told by its content when its name says otherwise (the corpus has the .xlsx cases)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ipreport.errors import InputError
from ipreport.statistics.read import read_statistics


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_statistics(path)
    return [str(p) for p in caught.value.problems]


def test_an_xlsb_or_ods_by_content_is_named_as_such(tmp_path: Path) -> None:
    xlsb = tmp_path / "s.csv"
    with zipfile.ZipFile(xlsb, "w") as archive:
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    # Named .csv: a workbook under a workbook's name is read by its content (statistics/xlsx.py).
    ods = tmp_path / "t.csv"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert _problems(xlsb) == [
        f"{xlsb}: the file is an Excel binary workbook (.xlsb), which is not read: save it as .xlsx or CSV"
    ]
    assert _problems(ods) == [
        f"{ods}: the file is an OpenDocument spreadsheet (.ods), not what its name says: rename it to {ods.with_suffix('.ods')}"
    ]


def test_an_old_xls_named_csv_is_not_decoded_as_text(tmp_path: Path) -> None:
    xls = tmp_path / "s.csv"
    xls.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    assert _problems(xls) == [
        f"{xls}: the file is an old Excel .xls file, not what its name says: rename it to {xls.with_suffix('.xls')}"
    ]


def test_a_zip_that_is_no_workbook_named_csv_is_left_to_the_csv_reader(tmp_path: Path) -> None:
    other = tmp_path / "s.csv"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hello")
    problems = _problems(other)
    assert problems[0].startswith(f"{other}: cannot decode the file")


def test_a_workbook_under_another_workbooks_name_is_read_by_its_content(tmp_path: Path) -> None:
    # An .xlsx saved under an .ods name is read as the .xlsx it is (python-calamine, by content).
    from ipreport.statistics.read import read_statistics

    named_ods = Path(__file__).parents[1] / "fixtures" / "bad" / "stats_xlsx_named.ods"
    as_xlsx = tmp_path / "same.xlsx"
    as_xlsx.write_bytes(named_ods.read_bytes())
    observations = read_statistics(named_ods).observations
    assert observations and [o[:4] for o in observations] == [o[:4] for o in read_statistics(as_xlsx).observations]


def test_the_compound_file_signature_is_the_workbook_reader_s() -> None:
    from ipreport.statistics import read, xlsx

    assert read._OLE2_SIGNATURE == xlsx.OLE2_SIGNATURE


def test_a_csv_file_is_read_without_the_workbook_reader(tmp_path: Path) -> None:
    import subprocess
    import sys

    csv = tmp_path / "s.csv"
    csv.write_text("地区,指标,年份,数值\n吉林省,专利申请量,2020,5\n", encoding="utf-8")
    script = ("import sys; from ipreport.statistics.read import read_statistics; "
              f"print(len(read_statistics({str(csv)!r}).observations), 'ipreport.statistics.xlsx' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert (done.stdout, done.stderr) == ("1 False\n", "")
