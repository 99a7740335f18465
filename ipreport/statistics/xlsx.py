"""The first visible sheet of an .xlsx workbook as numbered rows of cells, for the statistics reader."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ipreport.errors import InputError, Problem
from ipreport.statistics.xlsx_bounds import check_sheet_size, check_workbook_package
from ipreport.util.decoding import decode
from ipreport.util.numbers import plain


@dataclass(frozen=True)
class Uncached:
    """A formula cell Excel never calculated: openpyxl's data_only view has no value for it."""

    ref: str
    formula: str


@dataclass(frozen=True)
class Merge:
    """A merged cell range of a sheet, such as B1:D1 (rows 1-based)."""

    ref: str
    first_row: int
    last_row: int


def read_sheet(
    data: bytes, file: str
) -> tuple[Iterator[tuple[int, Sequence[object]]], str, tuple[str, ...], tuple[Merge, ...]]:
    """Rows (1-based number, cells) of the first visible sheet, its name, hidden sheets, its merges."""
    import openpyxl  # deferred: CSV-only runs should not pay for importing it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        is_zip = zipfile.is_zipfile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:  # is_zipfile lets some damaged end records through (Python 3.11)
        raise _damaged(file, exc) from None
    kind = office_kind(data)
    if kind not in (None, XLSX, "an old Excel .xls file"):
        raise InputError(office_problem(file, kind))
    if not is_zip:
        raise InputError(Problem(file, f"not an Excel .xlsx file (it looks like {_looks_like(data)})"))
    check_workbook_package(data, file)  # before openpyxl unpacks anything
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, KeyError, ValueError, zipfile.BadZipFile):
        raise InputError(
            Problem(file, "not an Excel .xlsx file (it looks like a zip archive without an Excel workbook)")
        ) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl and zlib raise many kinds on a damaged file
        raise _damaged(file, exc) from None
    visible = [ws.title for ws in values.worksheets if ws.sheet_state == "visible"]
    if not visible:
        raise InputError(Problem(file, "the workbook has no visible sheet"))
    sheet = visible[0]
    hidden = tuple(ws.title for ws in values.worksheets if ws.sheet_state != "visible")
    check_sheet_size(data, values[sheet]._worksheet_path, file, sheet)
    merged = _merged_ranges(data, values[sheet]._worksheet_path)
    return _guarded(_sheet_rows(values[sheet], formulas[sheet]), file), sheet, hidden, merged


def _damaged(file: str, exc: Exception) -> InputError:
    detail = str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__
    message = f"the workbook is damaged and cannot be read ({detail}); open it in Excel and save it again"
    return InputError(Problem(file, message))


def _guarded(
    rows: Iterator[tuple[int, Sequence[object]]], file: str
) -> Iterator[tuple[int, Sequence[object]]]:
    """Rows of a sheet read lazily; a damaged part met on the way is the file's fault, said as such."""
    try:
        yield from rows
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - as in read_sheet: the library's errors vary by part
        raise _damaged(file, exc) from None


_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _merged_ranges(data: bytes, part: str) -> tuple[Merge, ...]:
    """Merged ranges of one sheet, read from its XML; read-only openpyxl does not report them."""
    merges: list[Merge] = []
    tail = b""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part) as xml:
            # Scanned in chunks (a sheet's XML can be far larger than the file); a tag cut at a chunk
            # border is found whole in the next round through the overlap kept in ``tail``.
            while chunk := xml.read(1 << 20):
                window = tail + chunk
                for match in _MERGE_CELL.finditer(window):
                    if match.end() > len(tail):
                        first, last = int(match[2]), int(match[4])
                        ref = f"{match[1].decode()}{first}:{match[3].decode()}{last}"
                        merges.append(Merge(ref, first, last))
                tail = window[-200:]
    except Exception:  # noqa: BLE001 - merges only improve a message; a damaged part shows up when read
        return ()
    return tuple(merges)


# Quoted text and backslash-escaped characters of an Excel number format are shown as written:
# a "%" among them is a literal sign, not the percent format that stores 93% as 0.93. Bracketed
# parts ([Red], [$-804]) set colours and locales.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_YEAR_ONLY_FORMAT = re.compile(r"(?i)y+(?:年)?")


def _shown_value(cell: object) -> object:
    """A cell's value as the person typing it meant it, where its number format changes that.

    A number formatted as a percentage holds a fraction (93% is stored as 0.93): it is read as the
    text "93%", so that it means 93 in the unit "%" like a "93%" typed in a CSV file. A date
    formatted to show only its year (Excel's "yyyy") is that year.
    """
    value = cell.value  # type: ignore[attr-defined]
    if value is None or isinstance(value, (str, bool)):
        return value
    number_format = _FORMAT_LITERALS.sub("", getattr(cell, "number_format", None) or "")
    if isinstance(value, (int, float)) and "%" in number_format:
        fraction = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
        return f"{plain(fraction * 100)}%"
    if isinstance(value, dt.datetime) and _YEAR_ONLY_FORMAT.fullmatch(number_format):
        return value.year
    return value


def _sheet_rows(values: object, formulas: object) -> Iterator[tuple[int, Sequence[object]]]:
    """Rows of the data-only view; a cell with a formula but no cached value becomes ``Uncached``."""
    from openpyxl.utils import get_column_letter

    shown = (
        list(map(_shown_value, row))
        for row in values.iter_rows()  # type: ignore[attr-defined]
    )
    pairs = zip(
        shown,
        formulas.iter_rows(values_only=True),  # type: ignore[attr-defined]
        strict=False,
    )
    arrays: list[_ArrayRange] = []  # uncalculated array formulas whose range reaches further down
    for number, (cells, written) in enumerate(pairs, start=1):
        uncalculated = [
            (index, text)
            for index, (cell, formula) in enumerate(zip(cells, written, strict=False))
            if cell is None and (text := _formula_text(formula, number, index, arrays)) is not None
        ]
        if arrays:
            arrays = [a for a in arrays if a.last_row >= number]
            taken = {index for index, _ in uncalculated}
            uncalculated += [
                (index, a.text)
                for a in arrays
                for index in range(a.first_col, min(a.last_col + 1, len(cells)))
                if cells[index] is None and index not in taken and a.covers(number, index)
            ]
        for index, text in uncalculated:
            cells[index] = Uncached(f"{get_column_letter(index + 1)}{number}", text)
        yield number, cells


@dataclass(frozen=True)
class _ArrayRange:
    """The cells an array formula fills (0-based columns); Excel keeps the formula in the first only."""

    first_row: int
    last_row: int
    first_col: int
    last_col: int
    text: str

    def covers(self, row: int, col: int) -> bool:
        return self.first_row <= row <= self.last_row and self.first_col <= col <= self.last_col


def _formula_text(formula: object, row: int, col: int, arrays: list[_ArrayRange]) -> str | None:
    """How to show a formula found without a value, or None when ``formula`` is none.

    A plain formula is a string; an array formula ({=...}) and a data table are objects, and an
    array formula's other cells carry nothing but their calculated value (none here), so its range
    is remembered in ``arrays``.
    """
    if isinstance(formula, str):
        return formula if formula.startswith("=") else None
    if formula is None or isinstance(formula, (int, float, Decimal, bool, dt.date, dt.time, dt.timedelta)):
        return None
    text = getattr(formula, "text", None)
    if not isinstance(text, str):
        return "of a data table"  # openpyxl's DataTableFormula: What-If analysis, no formula text
    shown = "{" + text + "}"
    ref = getattr(formula, "ref", None)
    if isinstance(ref, str) and ":" in ref:
        from openpyxl.utils.cell import range_boundaries

        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except ValueError:
            return shown
        if min_col is not None and min_row is not None and max_col is not None and max_row is not None:
            shown += f" (the array formula of {ref})"
            arrays.append(_ArrayRange(min_row, max_row, min_col - 1, max_col - 1, shown))
    return shown


OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # compound files: old .xls, encrypted workbooks
# Excel encrypts a workbook into a compound file whose stream of this name holds the real .xlsx.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
XLSX = "an Excel .xlsx workbook"
ENCRYPTED = "a password-protected (encrypted) workbook"


def office_kind(data: bytes) -> str | None:
    """What office file ``data`` (the whole file, or its start for a compound file) holds, if any.

    Told by content, not by name: a workbook saved under a .csv name, an .ods or .xlsb, an
    encrypted workbook (which Excel keeps in a compound file, like an old .xls).
    """
    if data.startswith(OLE2_SIGNATURE):
        return ENCRYPTED if _ENCRYPTED_STREAM in data else "an old Excel .xls file"
    if not data.startswith(b"PK\x03\x04"):
        return None
    return zip_kind(io.BytesIO(data))


def zip_kind(source: io.BytesIO | Path) -> str | None:
    """The office file a zip archive holds (read from its directory only), or None."""
    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except Exception:  # noqa: BLE001 - a damaged zip is for the caller to word
        return None
    if "xl/workbook.xml" in names:
        return XLSX
    if "xl/workbook.bin" in names:
        return "an Excel binary workbook (.xlsb)"
    if b"opendocument.spreadsheet" in mimetype:
        return "an OpenDocument spreadsheet (.ods)"
    return None


def office_problem(file: str, kind: str) -> Problem:
    """The problem of a statistics file that holds ``kind`` (see ``office_kind``) under its name."""
    if kind == ENCRYPTED:
        return Problem(
            file,
            "the workbook is password-protected (encrypted) and cannot be read; open it in Excel, "
            "remove the password (File > Info > Protect Workbook) and save it",
        )
    if kind == XLSX:
        name = file.rpartition(".")[0] if "." in file.rpartition("/")[2] else file
        return Problem(file, f"the file is {XLSX}, not what its name says: rename it to {name}.xlsx")
    return Problem(file, f"the file is {kind}, which is not read: save it as .xlsx or CSV")


def _looks_like(data: bytes) -> str:
    """A plain-words guess at what a file that is not a zip holds, only to word the message."""
    if not data:
        return "an empty file"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Excel .xls file; save it as .xlsx"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    if head.startswith(b"<?xml"):
        return "an XML file"
    if data.startswith(b"%PDF"):
        return "a PDF document"
    try:
        decode(data[:4096], "", None)
    except InputError:
        return "binary data"
    return "a CSV or text file; give it a .csv name"
