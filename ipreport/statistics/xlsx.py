"""The first visible sheet of an .xlsx workbook as numbered rows of cells, for the statistics reader."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ipreport.errors import InputError, Problem
from ipreport.statistics.xlsx_bounds import check_sheet_size, check_sheet_xml, check_workbook_package
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
) -> tuple[SheetRows, str, tuple[str, ...], tuple[Merge, ...]]:
    """Rows (1-based number, cells) of the first visible sheet, its name, hidden sheets, its merges.

    The workbook is recognised by its content, whatever its name: .xlsx/.xlsm (and WPS .et saved
    as one), .xls (and .et in the old format), .ods. python-calamine reads the cells in one pass;
    what it does not say (a number shown as a percentage or a date shown as a year, a formula
    without a calculated value) is read from the .xlsx sheet's XML.
    """
    import python_calamine  # deferred: CSV-only runs should not pay for importing it

    kind = _workbook_kind(data, file)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = book.sheets_metadata
    except python_calamine.PasswordError:
        message = "the workbook is protected by a password; save it without one"
        raise InputError(Problem(file, message)) from None
    except python_calamine.CalamineError as exc:
        if kind == "xlsx" and not _has_workbook_part(data):
            message = "not an Excel .xlsx file (it looks like a zip archive without an Excel workbook)"
            raise InputError(Problem(file, message)) from None
        raise _damaged(file, exc) from None
    except Exception as exc:  # noqa: BLE001 - a damaged file raises many kinds
        raise _damaged(file, exc) from None
    shown = python_calamine.SheetVisibleEnum.Visible
    worksheets = [meta for meta in sheets if meta.typ == python_calamine.SheetTypeEnum.WorkSheet]
    visible = [meta.name for meta in worksheets if meta.visible == shown]
    if not visible:
        raise InputError(Problem(file, "the workbook has no visible sheet"))
    name = visible[0]
    hidden = tuple(meta.name for meta in worksheets if meta.visible != shown)
    # The sheet's XML is unpacked once, bounded (check_workbook_package has bounded every part's
    # size and ratio), checked for its rows and cells before calamine reads it, then searched for
    # the facts calamine does not give.
    xml = _sheet_xml(data, file, name) if kind == "xlsx" else None
    try:
        sheet = book.get_sheet_by_name(name)
        cells = sheet.to_python(skip_empty_area=False)
        ranges = sheet.merged_cell_ranges or []
    except Exception as exc:  # noqa: BLE001 - as above
        raise _damaged(file, exc) from None
    facts = _xlsx_facts(data, xml) if xml is not None else _SheetFacts()
    merged = tuple(
        Merge(f"{_column(c0)}{r0 + 1}:{_column(c1)}{r1 + 1}", r0 + 1, r1 + 1) for (r0, c0), (r1, c1) in ranges
    )
    return SheetRows(cells, facts), name, hidden, merged


def _sheet_xml(data: bytes, file: str, sheet: str) -> bytes | None:
    """The XML of ``sheet``'s part (found through workbook.xml), its rows and cells checked
    (xlsx_bounds); None when the part cannot be found or read.

    A part of up to _WHOLE_SHEET bytes is unpacked once, checked, and kept for ``_xlsx_facts``; a
    larger one is checked streaming first, so that a sheet refused for its cells is never held whole.
    calamine has opened the workbook: a part it names but this cannot find or unpack is neither
    bounded nor searched here (the reader says what is wrong when it meets it).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = _sheet_part(archive, sheet)
            if part is None:
                return None
            if archive.getinfo(part).file_size > _WHOLE_SHEET:
                check_sheet_size(data, part, file, sheet)
                return archive.read(part)
            xml = archive.read(part)
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - see above
        return None
    check_sheet_xml(xml, file, sheet)
    return xml


# A sheet part unpacked whole before its bounds are checked is at most this big (a 200,000-row
# sheet is about 60 MB); check_workbook_package has bounded every part's ratio and the total.
_WHOLE_SHEET = 128 * 1024 * 1024


def formats_unknown(data: bytes) -> bool:
    """Whether the cells' number formats are out of sight: .xls and .ods (calamine gives values only)."""
    return data.startswith(OLE2_SIGNATURE[:4]) or _ODS_MIMETYPE in data[:100]


def _workbook_kind(data: bytes, file: str) -> str:
    """ "xlsx", "ods" or "xls" from the file's first bytes; a clear error for anything else."""
    if data.startswith(OLE2_SIGNATURE[:4]):
        # A compound file: an old .xls (or .et), or Excel's encrypted package of an .xlsx.
        if office_kind(data) == ENCRYPTED:
            raise InputError(office_problem(file, ENCRYPTED))
        return "xls"
    try:
        is_zip = zipfile.is_zipfile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:  # is_zipfile lets some damaged end records through (Python 3.11)
        raise _damaged(file, exc) from None
    kind = office_kind(data)
    if kind not in (None, XLSX, ODS):
        raise InputError(office_problem(file, kind))
    if not is_zip:
        raise InputError(Problem(file, f"not an Excel .xlsx file (it looks like {_looks_like(data)})"))
    check_workbook_package(data, file)  # before anything is unpacked
    # office_kind has read the zip's directory and mimetype already: no second look.
    return "ods" if kind == ODS else "xlsx"


_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _has_workbook_part(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.lower().endswith("workbook.xml") for name in archive.namelist())
    except Exception:  # noqa: BLE001
        return False


def _column(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class _SheetFacts:
    """What the sheet's XML says that calamine does not: (row, column) from 0 -> fact."""

    percent: frozenset[tuple[int, int]] = frozenset()  # numbers shown as percentages
    year_only: frozenset[tuple[int, int]] = frozenset()  # dates shown as their year alone
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)  # formulas without a value


class SheetRows:
    """Rows (1-based number, cells) as the reader takes them: empty cells None, whole numbers int, the
    sheet's facts applied.

    ``raw`` gives calamine's own rows (empty cells "", numbers float) from the same position, for the
    reader's fast loop: once the header is read, most rows need no conversion at all, and converting
    every cell of 200,000 rows took a fifth of reading them. ``plain`` says the facts change no cell.
    """

    def __init__(self, cells: Sequence[Sequence[object]], facts: _SheetFacts) -> None:
        self.raw: Iterator[tuple[int, Sequence[object]]] = enumerate(cells, start=1)
        self.facts = facts
        self.plain = not (facts.percent or facts.year_only or facts.uncached)

    def __iter__(self) -> Iterator[tuple[int, Sequence[object]]]:
        for number, row in self.raw:
            yield number, self.converted(number, row)

    def converted(self, number: int, row: Sequence[object]) -> list[object]:
        """Row ``number`` of calamine's cells as the reader takes it."""
        values: list[object] = [
            None if cell == "" else int(cell) if type(cell) is float and cell.is_integer() else cell
            for cell in row
        ]
        if not self.plain:
            percent, year_only, uncached = self.facts.percent, self.facts.year_only, self.facts.uncached
            for index, cell in enumerate(values):
                where = (number - 1, index)
                if where in uncached and cell is None:
                    values[index] = Uncached(f"{_column(index)}{number}", uncached[where])
                elif where in percent and isinstance(cell, (int, float)) and not isinstance(cell, bool):
                    fraction = Decimal(cell) if isinstance(cell, int) else Decimal(repr(cell))
                    values[index] = f"{plain(fraction * 100)}%"
                elif where in year_only and isinstance(cell, dt.date):
                    values[index] = cell.year
        return values


_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_PLAIN_FORMULA_TAG = re.compile(rb"<f[\s>/]")  # the same, for a sheet without a prefixed tag
_FORMULA = re.compile(rb"<(?:\w+:)?f(\s[^>]*)?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]+)</(?:\w+:)?v>")
_REF = re.compile(r"([A-Z]+)(\d+)")


def _xlsx_facts(data: bytes, xml: bytes) -> _SheetFacts:
    """Percent and year-only formats and formulas without a value, read from the .xlsx parts.

    ``xml`` is the sheet's part. Regular expressions find the few cells concerned in C; Python looks
    at those cells alone.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            percent_styles, year_styles = _styles(archive)
    except Exception:  # noqa: BLE001 - calamine has read the cells; a part it skipped has no facts
        return _SheetFacts()
    percent: set[tuple[int, int]] = set()
    year_only: set[tuple[int, int]] = set()
    styled = percent_styles | year_styles
    if styled:
        numbers = b"|".join(sorted(styled))
        cells = re.compile(rb'<(?:\w+:)?c\s(?=[^>]*\bs="(' + numbers + rb')")[^>]*?\br="([A-Z]+\d+)"')
        for match in cells.finditer(xml):
            where = _where(match[2])
            if where is not None:
                (percent if match[1] in percent_styles else year_only).add(where)
    uncached: dict[tuple[int, int], str] = {}
    shared: dict[bytes, bytes] = {}  # shared formula index -> the formula its first cell writes
    # Most sheets hold no formula: a literal search (in C, at memory speed) rules them out before the
    # pattern, which tries every "<" of the sheet, is run.
    formula_tags = _FORMULA_TAG if b":f" in xml else _PLAIN_FORMULA_TAG
    for tag in formula_tags.finditer(xml):
        start = max(xml.rfind(b"<c ", 0, tag.start()), xml.rfind(b":c ", 0, tag.start()))
        end = xml.find(b"c>", tag.start())
        if start == -1 or end == -1:
            continue
        head_end = xml.find(b">", start)
        attributes = {key.split(b":")[-1]: value for key, value in _ATTRIBUTE.findall(xml[start:head_end])}
        body = xml[head_end + 1 : end]
        formula = _FORMULA.search(body)
        if formula is None:
            continue
        text = formula[2] or b""
        options = dict(_ATTRIBUTE.findall(formula[1] or b""))
        if options.get(b"t") == b"shared" and b"si" in options:
            text = shared.setdefault(options[b"si"], text) if text else shared.get(options[b"si"], b"")
        if _VALUE.search(body) is not None:
            continue
        where = _where(attributes.get(b"r"))
        if where is None:
            continue
        shown = "=" + _unescaped(text.decode("utf-8", "replace"))
        kind = options.get(b"t")
        if kind == b"dataTable":
            shown = "of a data table"  # What-If analysis: Excel writes no formula text
        elif kind == b"array":
            # Excel keeps an array formula in the first cell of its range only; the others carry
            # nothing but their calculated value, so every cell of an uncalculated range is named.
            shown = "{" + shown + "}"
            ref = options.get(b"ref", b"").decode("ascii", "replace")
            first, _, last = ref.partition(":")
            corner = _where(last.encode()) if last else None
            if corner is not None:
                shown += f" (the array formula of {ref})"
                for row in range(where[0], corner[0] + 1):
                    for column in range(where[1], corner[1] + 1):
                        uncached.setdefault((row, column), shown)
        uncached[where] = shown
    return _SheetFacts(frozenset(percent), frozenset(year_only), uncached)


def _where(ref: bytes | None) -> tuple[int, int] | None:
    if ref is None:
        return None
    match = _REF.fullmatch(ref.decode("ascii", "replace"))
    if match is None:
        return None
    column = 0
    for letter in match[1]:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match[2]) - 1, column - 1


def _unescaped(text: str) -> str:
    import html

    return html.unescape(text)


# Built-in number formats that show a percentage (ECMA-376 Part 1, 18.8.30): 9 "0%", 10 "0.00%".
_PERCENT_BUILTIN = frozenset({b"9", b"10"})
_NUMBER_FORMAT = re.compile(rb'<(?:\w+:)?numFmt\s[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"')
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\s([^>]*?)/?>")


def _styles(archive: zipfile.ZipFile) -> tuple[frozenset[bytes], frozenset[bytes]]:
    """The cell style indexes (as written in a cell's s="") whose format is a percentage, or a year alone."""
    name = next((n for n in archive.namelist() if n.lower().endswith("styles.xml")), None)
    if name is None:
        return frozenset(), frozenset()
    xml = archive.read(name)
    codes = {
        number: _unescaped(code.decode("utf-8", "replace")) for number, code in _NUMBER_FORMAT.findall(xml)
    }
    percent: set[bytes] = set()
    year_only: set[bytes] = set()
    block = _CELL_XFS.search(xml)
    for index, xf in enumerate(_XF.findall(block[1]) if block else []):
        number = dict(_ATTRIBUTE.findall(xf)).get(b"numFmtId", b"0")
        code = _FORMAT_LITERALS.sub("", codes.get(number, ""))
        if number in _PERCENT_BUILTIN or "%" in code:
            percent.add(str(index).encode())
        elif _YEAR_ONLY_FORMAT.fullmatch(code):
            year_only.add(str(index).encode())
    return frozenset(percent), frozenset(year_only)


_SHEET = re.compile(rb"<(?:\w+:)?sheet\s([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\s([^>]*)>")


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding ``sheet``, through workbook.xml and its relationships."""
    import html

    workbook = archive.read("xl/workbook.xml")
    relations = archive.read("xl/_rels/workbook.xml.rels")
    target_of = {
        attributes[b"Id"]: attributes[b"Target"]
        for attributes in (dict(_ATTRIBUTE.findall(m)) for m in _RELATIONSHIP.findall(relations))
        if b"Id" in attributes and b"Target" in attributes
    }
    for attributes_text in _SHEET.findall(workbook):
        attributes = {key.split(b":")[-1]: value for key, value in _ATTRIBUTE.findall(attributes_text)}
        if html.unescape(attributes.get(b"name", b"").decode("utf-8", "replace")) == sheet:
            target = target_of.get(attributes.get(b"id", b""), b"").decode("utf-8", "replace")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _damaged(file: str, exc: Exception) -> InputError:
    detail = str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__
    message = f"the workbook is damaged and cannot be read ({detail}); open it in Excel and save it again"
    return InputError(Problem(file, message))




# Quoted text and backslash-escaped characters of an Excel number format are shown as written:
# a "%" among them is a literal sign, not the percent format that stores 93% as 0.93. Bracketed
# parts ([Red], [$-804]) set colours and locales.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_YEAR_ONLY_FORMAT = re.compile(r"(?i)y+(?:年)?")


OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # compound files: old .xls, encrypted workbooks
# Excel encrypts a workbook into a compound file whose stream of this name holds the real .xlsx.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
XLSX = "an Excel .xlsx workbook"
ENCRYPTED = "a password-protected (encrypted) workbook"
ODS = "an OpenDocument spreadsheet (.ods)"
XLS = "an old Excel .xls file"
# The workbooks read_sheet reads, by the name they should have.
_READ_KINDS = {XLSX: ".xlsx", ODS: ".ods", XLS: ".xls"}


def office_kind(data: bytes) -> str | None:
    """What office file ``data`` (the whole file, or its start for a compound file) holds, if any.

    Told by content, not by name: a workbook saved under a .csv name, an .ods or .xlsb, an
    encrypted workbook (which Excel keeps in a compound file, like an old .xls).
    """
    if data.startswith(OLE2_SIGNATURE):
        return ENCRYPTED if _ENCRYPTED_STREAM in data else XLS
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
        return ODS
    return None


def office_problem(file: str, kind: str) -> Problem:
    """The problem of a statistics file that holds ``kind`` (see ``office_kind``) under its name."""
    if kind == ENCRYPTED:
        return Problem(
            file,
            "the workbook is password-protected (encrypted) and cannot be read; open it in Excel, "
            "remove the password (File > Info > Protect Workbook) and save it",
        )
    extension = _READ_KINDS.get(kind)
    if extension is not None:
        name = file.rpartition(".")[0] if "." in file.rpartition("/")[2] else file
        return Problem(file, f"the file is {kind}, not what its name says: rename it to {name}{extension}")
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
