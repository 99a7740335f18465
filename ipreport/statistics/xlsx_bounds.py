"""Bounds on an .xlsx workbook, checked before openpyxl reads it: time and memory stay bounded.

A workbook of 2 MB can unpack to gigabytes (a million empty rows compress to almost nothing), claim
a sheet of A1:XFD1048576 (openpyxl pads every row out to the claimed width), or carry a shared
strings part that openpyxl loads whole. These are refused from the zip's directory and one
streaming look at the parts, before openpyxl unpacks anything, as --template .docx files are
(util/word_package.py).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import IO

from ipreport.errors import InputError, Problem

MB = 1024 * 1024
MAX_ENTRIES = 10_000
MAX_UNPACKED = 1024 * MB  # all parts together
MAX_RATIO = 100  # uncompressed : compressed, for parts big enough for the ratio to mean something
RATIO_FLOOR = MB  # parts smaller than this may compress as well as they like
MAX_SHARED_STRINGS = 128 * MB  # unpacked; openpyxl keeps every shared string in memory
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_CELLS = 20_000_000  # rows x columns as the sheet declares them, and cells as written
_CHUNK = 1 << 20
_SHARED_STRINGS = "xl/sharedStrings.xml"
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')
# A whole row tag, so that one cut at a chunk border is counted once, in the round it completes.
_ROW = re.compile(rb"<(?:\w+:)?row(?=[\s>/])([^>]{0,400})>")
_ROW_NUMBER = re.compile(rb'(?:^|\s)r="(\d{1,9})"')
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
# The same without a namespace prefix, for a window in which no prefixed tag can be: a pattern that
# starts with "<row" or "<c" is searched for by its literal start, five times faster than the above,
# which tries every "<" of the sheet.
_PLAIN_ROW = re.compile(rb"<row(?=[\s>/])([^>]{0,400})>")
_PLAIN_CELL = re.compile(rb"<c[\s>/]")


def _refused(file: str, message: str) -> InputError:
    return InputError(Problem(file, f"refused: {message}; save the data alone as a new workbook or as CSV"))


def check_workbook_package(data: bytes, file: str) -> None:
    """Refuse a workbook whose zip directory promises too much: parts, unpacked size, ratio, strings.

    Only the directory is read; a damaged archive is left for the reader to report.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    # NotImplementedError: an entry asks for a zip version Python does not read ("zip file version 6.4").
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return
    if len(entries) > MAX_ENTRIES:
        raise _refused(file, f"the workbook holds {len(entries):,} parts (at most {MAX_ENTRIES:,} are read)")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED:
        raise _refused(
            file,
            f"the workbook unpacks to {unpacked / MB:,.0f} MB (a statistics workbook may unpack to at "
            f"most {MAX_UNPACKED // MB:,} MB)",
        )
    for entry in entries:
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            ratio = entry.file_size // max(entry.compress_size, 1)
            raise _refused(
                file,
                f"{entry.filename} is compressed {ratio:,}:1 (more than {MAX_RATIO}:1 is the mark of "
                "a zip bomb, such as a million empty rows)",
            )
        if entry.filename == _SHARED_STRINGS and entry.file_size > MAX_SHARED_STRINGS:
            raise _refused(
                file,
                f"the workbook's text (sharedStrings) unpacks to {entry.file_size / MB:,.0f} MB (at most "
                f"{MAX_SHARED_STRINGS // MB} MB are read)",
            )


def check_sheet_size(data: bytes, part: str, file: str, sheet: str) -> None:
    """Refuse a sheet that holds, or would be read as, more rows or cells than are read.

    openpyxl pads every row out to the width the sheet declares (<dimension ref="A1:XFD1048576"/>)
    and fills the gaps between rows, so the work is the last row's number times that width, whatever
    few cells are written. Rows and cells are counted in one streaming pass over the sheet's XML.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part) as xml:
            _check_stream(xml, file, sheet)
    except InputError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error, NotImplementedError):
        return  # a damaged part: the reader says so when it meets it


def check_sheet_xml(xml: bytes, file: str, sheet: str) -> None:
    """``check_sheet_size`` on the sheet's XML unpacked already, in the same chunks."""
    _check_stream(io.BytesIO(xml), file, sheet)


def _check_stream(xml: IO[bytes], file: str, sheet: str) -> None:
    rows = cells = last_row = 0
    width, ref = 0, ""
    tail = b""
    looked_for_dimension = False
    while chunk := xml.read(_CHUNK):
        window = tail + chunk
        start = len(tail)
        if not looked_for_dimension:
            match = _DIMENSION.search(window)
            if match is not None or b"sheetData" in window:  # the dimension precedes the data, if any
                looked_for_dimension = True
                width, ref = _declared_width(match)
        # A tag cut at a chunk border is counted in the next round, through the overlap kept in
        # ``tail``; only matches that end in the new bytes are counted. No tag holds a second "<"
        # before its end, so the matches ending in ``tail`` are those found in ``tail`` alone, and
        # the new ones are the rest, counted in C rather than one by one.
        row_tags = _ROW if b":row" in window else _PLAIN_ROW
        new_rows = row_tags.findall(window)[len(row_tags.findall(window, 0, start)):]
        rows += len(new_rows)
        # The last row's number, or the rows after the last numbered one counted on from it.
        after = 0
        for attributes in reversed(new_rows):
            number = _ROW_NUMBER.search(attributes)
            if number:
                last_row = int(number[1]) + after
                break
            after += 1
        else:
            last_row += after
        cell_tags = _CELL if b":c" in window else _PLAIN_CELL
        cells += len(cell_tags.findall(window)) - len(cell_tags.findall(window, 0, start))
        if rows > MAX_ROWS or last_row > MAX_ROWS:
            raise _refused(file, f'sheet "{sheet}" has more than {MAX_ROWS:,} rows')
        if cells > MAX_CELLS:
            raise _refused(file, f'sheet "{sheet}" has more than {MAX_CELLS:,} cells')
        if last_row * width > MAX_CELLS:
            raise _refused(
                file,
                f'sheet "{sheet}" declares the range {ref}, {width:,} columns wide, and has rows down to '
                f"row {last_row:,}: more than {MAX_CELLS:,} cells to read",
            )
        tail = window[-512:]  # longer than any tag counted


def _declared_width(match: re.Match[bytes] | None) -> tuple[int, str]:
    """The columns of the sheet's declared range, and the range as written; (0, "") without one."""
    if match is None or match[3] is None:
        return 0, ""
    width = max(_column_number(match[3]) - _column_number(match[1]) + 1, 1)
    return width, f"{match[1].decode()}{match[2].decode()}:{match[3].decode()}{match[4].decode()}"


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number
