"""Read a statistics file (CSV or .xlsx, long or wide layout) into ``model.Statistics``."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import itertools
import mmap
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NoReturn

from ipreport.errors import InputError, Problem
from ipreport.model import Observation, Statistics, TaskState
from ipreport.util.collector import collector_paused
from ipreport.util.decoding import read_lines
from ipreport.util.input_files import WORKBOOK_LIMIT, check_regular, read_input
from ipreport.util.lazy_regex import lazy_compile
from ipreport.util.numbers import (
    MAX_DIGITS,
    NumberError,
    excerpt,
    fold_name,
    normalize,
    parse_number,
    parse_number_percent,
    plain,
    within_bounds,
)
from ipreport.util.units import conversion_factor, doubled_multiplier

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

    from ipreport.statistics.xlsx import Merge, SheetRows, Uncached


class _NoWorkbookYet:
    """Stands for xlsx.Uncached and xlsx.SheetRows until a workbook is read: statistics.xlsx (and
    zipfile with it) is imported only for a workbook, and no CSV cell or row is one of these."""


_Uncached: type[Uncached] = _NoWorkbookYet  # type: ignore[assignment]
_SheetRows: type[SheetRows] = _NoWorkbookYet  # type: ignore[assignment]
# The first bytes of a compound file (old .xls, an encrypted workbook): xlsx.OLE2_SIGNATURE.
_OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


def _xlsx() -> ModuleType:
    """statistics.xlsx, imported on first use; its cell and row types then stand in the checks."""
    global _Uncached, _SheetRows
    from ipreport.statistics import xlsx

    _Uncached, _SheetRows = xlsx.Uncached, xlsx.SheetRows
    return xlsx

# Header names (after folding case, full-width characters and spaces) -> the column they mean.
COLUMN_NAMES: dict[str, str] = {
    "region": "region",
    "地区": "region",
    "indicator": "indicator",
    "指标": "indicator",
    "指标名称": "indicator",
    "year": "year",
    "年份": "year",
    "value": "value",
    "数值": "value",
    "unit": "unit",
    "单位": "unit",
    "source": "source",
    "来源": "source",
    "数据来源": "source",
    "note": "note",
    "备注": "note",
    "date": "date",
    "日期": "date",
    "completiondate": "date",
    "完成日期": "date",
}
# Workbooks, read by python-calamine whatever their format inside (statistics.xlsx).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".et")
LONG_REQUIRED = ("indicator", "year", "value")
_CHINESE = {"region": "地区", "indicator": "指标", "year": "年份", "value": "数值"}

# Words a milestone row may carry in its value column, folded to lower case without spaces.
STATE_WORDS: dict[str, TaskState] = {
    "done": TaskState.DONE,
    "完成": TaskState.DONE,
    "已完成": TaskState.DONE,
    "in_progress": TaskState.IN_PROGRESS,
    "inprogress": TaskState.IN_PROGRESS,
    "推进中": TaskState.IN_PROGRESS,
    "进行中": TaskState.IN_PROGRESS,
    "not_started": TaskState.NOT_STARTED,
    "notstarted": TaskState.NOT_STARTED,
    "未启动": TaskState.NOT_STARTED,
}

_YEAR_TEXT = re.compile(r"(\d{4})(?:\.0+|年)?")
_LOOKS_LIKE_YEAR = re.compile(r"(?:19|20)\d\d")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_DATE_TEXT = lazy_compile(r"(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日)")
_FIRST_YEAR, _LAST_YEAR = 1949, 2100
_MAX_TITLE_ROWS = 5
YEAR_EXPECTED = 'expected a year such as 2020 or "2020年"'
DATE_EXPECTED = 'expected a date such as 2022-06-30 or "2022年6月30日"'
# Years in Chinese digits ("二〇二〇") or as a period ("2020年度") are refused, with the year to write.
_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_YEAR_LIKE = re.compile(r"(\d{4})(?:年度?|年份|年末|年底)?")


@dataclass(frozen=True)
class _Source:
    """Where rows come from, so that every message and origin names the row the same way."""

    file: str
    sheet: str | None = None  # None: CSV, rows are line numbers
    hidden: tuple[str, ...] = ()  # .xlsx: names of the sheets that are not read because they are hidden
    merged: tuple[Merge, ...] = ()  # .xlsx: merged cell ranges of the sheet read

    def origin(self, row: int) -> str:
        return f"{self.file}:{row}" if self.sheet is None else f"{self.file}:{self.sheet}!{row}"

    def problem(self, row: int | None, message: str, key: str | None = None) -> Problem:
        if row is None or self.sheet is None:
            return Problem(self.file, message, line=row, key=key)
        return Problem(self.origin(row), message, key=key)


@dataclass(frozen=True)
class _Layout:
    """Which column holds what, as found in the header row."""

    kind: str  # "long" | "wide"
    headers: tuple[str, ...]  # as written, for messages
    columns: dict[str, int]  # known column -> index
    years: tuple[tuple[int, int], ...] = ()  # wide: (index, year)
    ignored: tuple[str, ...] = ()


@dataclass
class _Reader:
    """State of one pass over the rows: observations kept, duplicates seen, problems met."""

    source: _Source
    layout: _Layout
    observations: list[Observation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # (folded region, folded indicator, year) -> the observation kept for it
    seen: dict[tuple[str | None, str, int], Observation] = field(default_factory=dict)
    strings: dict[str, str] = field(default_factory=dict)  # text as read -> one stripped copy
    folded: dict[str, str] = field(default_factory=dict)  # label -> its form for comparison
    rows: int = 0


def read_statistics(path: str | Path, encoding: str | None = None) -> Statistics:
    """Read every observation of a CSV or .xlsx statistics file; all row problems are raised at once.

    A CSV file is streamed: only the observations are kept, never the file's text as a whole.
    """
    path = Path(path)
    file = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in WORKBOOK_SUFFIXES:
            data = read_input(path, WORKBOOK_LIMIT, "workbook")
            xlsx = _xlsx()
            rows, sheet, hidden, merged = xlsx.read_sheet(data, file)
            result = _read_all(rows, _Source(file, sheet, hidden, merged))
            if xlsx.formats_unknown(data):
                result[2].extend(_fractions_of_percent(file, result[1]))
            return _statistics(path, result, None)
        check_regular(path)  # streamed below: a FIFO would hang, /proc/self/environ would be quoted
        _refuse_workbook(path, file)
        source = _Source(file)
        comments = _may_have_comments(path, encoding)
        result, used_encoding = read_lines(
            path, encoding, lambda lines: _read_all(_CsvRecords(lines, source, comments), source)
        )
        return _statistics(path, result, used_encoding)
    except FileNotFoundError:
        raise InputError(Problem(file, "no such file")) from None
    except OSError as exc:
        raise InputError(Problem(file, f"cannot read the file: {exc.strerror}")) from None


def _refuse_workbook(path: Path, file: str) -> None:
    """A workbook under another name (.csv, .ods, .xlsb) is said to be one, not decoded as text."""
    with open(path, "rb") as raw:
        head = raw.read(8)
        if not head.startswith((_OLE2_SIGNATURE, b"PK\x03\x04")):
            return
        # A compound file's directory lies near its start; a zip's directory is read from its end.
        data = head + raw.read(1 << 20) if head.startswith(_OLE2_SIGNATURE) else None
    xlsx = _xlsx()
    kind = xlsx.office_kind(data) if data is not None else xlsx.zip_kind(path)
    if kind is not None:
        raise InputError(xlsx.office_problem(file, kind))


def _read_all(
    rows: Iterable[tuple[int, Sequence[object]]], source: _Source
) -> tuple[str, list[Observation], list[str]]:
    with collector_paused():
        return _read_rows(rows, source)


def _fractions_of_percent(file: str, observations: list[Observation]) -> list[str]:
    """A warning for the "%" rows of an .xls or .ods sheet whose values are all fractions.

    Excel stores a typed 93% as 0.93 and shows it through the cell's number format, which .xlsx
    files let the reader see and .xls and .ods files do not: 0.93 is then read as 0.93 %.
    """
    suspicious = [
        o for o in observations
        if o.value is not None and normalize(o.unit) == "%" and o.value != 0 and abs(o.value) < 1
    ]
    if not suspicious:
        return []
    first = suspicious[0]
    value = first.value
    assert value is not None
    return [
        f'{first.origin}: "{first.indicator}" is in % but its value is {plain(value)} '
        f"({len(suspicious)} such value{'s' if len(suspicious) > 1 else ''}); a cell formatted as a "
        "percentage cannot be told from its fraction in .xls and .ods files: if the sheet shows "
        f"{plain(value * 100)}%, save the workbook as .xlsx"
    ]


def _statistics(
    path: Path, result: tuple[str, list[Observation], list[str]], used_encoding: str | None
) -> Statistics:
    layout_name, observations, warnings = result
    return Statistics(
        path=path,
        observations=tuple(observations),
        layout=layout_name,
        encoding=used_encoding,
        warnings=tuple(warnings),
    )


# ---------------------------------------------------------------- rows from CSV


def _may_have_comments(path: Path, encoding: str | None) -> bool:
    """Whether a line of the CSV file may start with "#"; False only when the file has no "#" at all.

    A file without one skips the per-line comment check (a tenth of reading a million rows). The
    byte search is sound for the encodings tried (UTF-8, GB18030, UTF-16 and UTF-32 all write "#"
    with a 0x23 byte); a given encoding that writes it otherwise keeps the check.
    """
    if encoding is not None:
        try:
            if "#".encode(encoding) != b"#":
                return True
        except (LookupError, UnicodeError):
            return True  # read_lines words the unknown encoding
    with open(path, "rb") as raw:
        try:
            data = mmap.mmap(raw.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file: no line at all
            return False
        with data:
            return data.find(b"#") != -1


class _CsvRecords:
    """(line number, cells) of every CSV record; comment lines and blank lines give no record.

    The fast loop of ``_read_plain_long`` reads ``reader`` (csv's own) directly once the header is
    past, rather than through this iterator: a layer less for each of a million rows.
    """

    def __init__(self, lines: Iterable[str], source: _Source, comments: bool = True) -> None:
        # A comment becomes an empty line rather than vanishing, so that csv's line numbers stay true.
        uncommented = ("\n" if line.startswith("#") else line for line in lines) if comments else iter(lines)
        head: list[str] = []
        first = ""
        for line in uncommented:
            head.append(line)
            if line.strip():
                first = line
                break
        # Offices sometimes export tab-separated text with a .csv name, and Excel in a locale whose
        # decimal mark is a comma saves "CSV" separated by semicolons.
        delimiter = next((mark for mark in ("\t", ";") if mark in first and "," not in first), ",")
        self.reader = csv.reader(itertools.chain(head, uncommented), delimiter=delimiter)
        self.source = source
        self.last: Sequence[str] = ()  # the last record read, to tell an unclosed quote

    def __iter__(self) -> Iterator[tuple[int, Sequence[object]]]:
        reader = self.reader
        ended = 0  # the line the last record ended on
        with self.cells_checked():
            try:
                for cells in reader:
                    self.last = cells
                    ended = reader.line_num
                    yield ended, cells
            except csv.Error as exc:
                exc.record_start = ended + 1  # type: ignore[attr-defined]
                raise

    def unclosed_quote(self) -> Problem | None:
        """The problem of a quote that opens a cell and is never closed, at the line where it opens.

        csv reads such a cell on to the end of the file (the rows after it become its text) and
        keeps every line break in it, the last line's included; a cell closed by its quote ends
        before the line break that ends its row. So a last cell ending in a line break ran into the
        end of the file, and its line breaks count the lines back to the quote.
        """
        cell = self.last[-1] if self.last else ""
        if not cell.endswith(("\n", "\r")):
            return None
        swallowed = cell.count("\n") or 1
        opened = self.reader.line_num - swallowed + 1
        after = swallowed - 1
        rows = {0: "nothing after it was", 1: "the line after it was"}.get(
            after, f"the {after} lines after it were"
        )
        return self.source.problem(
            opened,
            f'a quote (") opens a cell on this line and is never closed, so {rows} read as part of '
            "that cell; close the quote, or remove it",
        )

    @contextlib.contextmanager
    def cells_checked(self) -> Iterator[None]:
        """csv's one error with its default dialect, a cell over its size limit, as a problem."""
        try:
            yield
        except csv.Error as exc:
            limit = csv.field_size_limit()
            start = getattr(exc, "record_start", None)
            if start is not None and start < self.reader.line_num:
                # A cell running over lines to the limit: usually a quote never closed.
                raise InputError(
                    self.source.problem(
                        start,
                        f"a cell that starts on this line in quotes runs on past line {self.reader.line_num} "
                        f"and {limit:,} characters, more than a CSV file's cell may hold; is a quote (\") "
                        "never closed?",
                    )
                ) from None
            raise InputError(
                self.source.problem(
                    self.reader.line_num,
                    f"a cell is longer than {limit:,} characters, more than a CSV file's cell may hold; "
                    "is it a CSV file?",
                )
            ) from None


# ---------------------------------------------------------------- header


def _read_rows(
    rows: Iterable[tuple[int, Sequence[object]]], source: _Source
) -> tuple[str, list[Observation], list[str]]:
    reader: _Reader | None = None
    header_line = 0
    # Sheets often carry a title row (or a few) above the header: such rows are skipped, within reason.
    titles: list[tuple[int, Sequence[object]]] = []
    records = rows
    rows = iter(rows)
    for number, cells in rows:
        if _blank(cells):
            continue
        try:
            layout = _layout(cells, number, source)
        except InputError:
            _refuse_merged_header(number, source)
            raise
        if layout is None:
            titles.append((number, cells))
            if len(titles) > _MAX_TITLE_ROWS:
                _unknown_layout(*titles[0], source)
            continue
        _refuse_merged_header(number, source)
        reader = _Reader(source, layout)
        header_line = number
        break
    if reader is not None and reader.layout.kind == "long" and isinstance(records, _CsvRecords):
        with records.cells_checked():
            records.last = _read_plain_long(reader, records.reader) or records.last
    elif reader is not None and reader.layout.kind == "long":
        if isinstance(records, _SheetRows) and records.plain:
            _read_cells_long(reader, records.raw, records.converted)  # calamine's cells, unconverted
        else:
            _read_cells_long(reader, rows)
    elif reader is not None:
        _read_general(reader, rows, csv=isinstance(records, _CsvRecords))
    if reader is not None and isinstance(records, _CsvRecords):
        unclosed = records.unclosed_quote()
        if unclosed is not None:
            # What was said about the rows the quote swallowed is replaced by what went wrong.
            assert unclosed.line is not None
            reader.problems = [p for p in reader.problems if p.line is None or p.line < unclosed.line]
            reader.problems.append(unclosed)
            reader.rows = max(reader.rows, 1)
    if reader is None and titles:
        _unknown_layout(*titles[0], source)
    if reader is None and source.hidden:
        hidden = ", ".join(f'"{name}"' for name in source.hidden)
        raise InputError(
            source.problem(
                None,
                f'the first visible sheet "{source.sheet}" is empty, and hidden sheets are not read '
                f"(hidden: {hidden}); unhide the sheet that holds the data and put it first",
            )
        )
    if reader is None:
        raise InputError(
            source.problem(
                None,
                'the file is empty; expected a header row such as "region,indicator,year,value" '
                '(or "地区,指标,年份,数值")',
            )
        )
    if reader.rows == 0:
        raise InputError(source.problem(header_line, "the file has a header row but no data rows below it"))
    if reader.problems:
        raise InputError(reader.problems)
    warnings = [
        f'{source.origin(number)}: row above the header skipped: "{_joined(cells, " ")}"'
        for number, cells in titles
    ]
    warnings += [f'{source.file}: column "{name}" is not used' for name in reader.layout.ignored]
    return reader.layout.kind, reader.observations, warnings


def _refuse_merged_header(line: int, source: _Source) -> None:
    """A header row with merged cells names fewer columns than it spans: ask for one name per column."""
    spanning = [m.ref for m in source.merged if m.first_row <= line <= m.last_row]
    if spanning:
        raise InputError(
            source.problem(
                line,
                f"header cells {', '.join(sorted(spanning))} are merged; expected one header row with one "
                "name per column: unmerge them and name each column, such as 指标, 2019, 2020",
            )
        )


def _blank(cells: Sequence[object]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _layout(cells: Sequence[object], line: int, source: _Source) -> _Layout | None:
    """Decide long or wide from a header row; None if the row is no header; raise if it is a faulty one."""
    headers = tuple(_text(cell) for cell in cells)
    columns: dict[str, int] = {}
    years: list[tuple[int, int]] = []
    ignored: list[str] = []
    problems: list[Problem] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        name = COLUMN_NAMES.get(fold_name(header))
        year = _header_year(cells[index])
        if name is not None:
            if name in columns:
                earlier = headers[columns[name]]
                problems.append(source.problem(line, f'two columns mean {name}: "{earlier}" and "{header}"'))
            columns[name] = index
        elif year is not None:
            years.append((index, year))
        else:
            ignored.append(header)
    found = ", ".join(f'"{h}"' for h in headers if h) or "nothing"
    if years and "year" not in columns:
        kind = "wide"
        if "indicator" not in columns:
            problems.append(
                source.problem(
                    line,
                    f"the header has year columns but no indicator column (指标 or indicator); found {found}",
                )
            )
        # In a wide sheet a header such as "2020年度" is a year column written oddly, not a stray column.
        for header in ignored:
            if _LOOKS_LIKE_YEAR.search(normalize(header)):
                problems.append(source.problem(line, _year_expected(header), key="header"))
        seen_years: set[int] = set()
        for index, year in years:
            if year in seen_years:
                problems.append(source.problem(line, f'two columns for year {year}: "{headers[index]}"'))
            seen_years.add(year)
    elif sum(name in columns for name in LONG_REQUIRED) >= 2:
        kind = "long"
        for name in LONG_REQUIRED:
            if name not in columns:
                problems.append(
                    source.problem(
                        line,
                        f"missing column {name} ({_CHINESE[name]}); the header has {found}",
                    )
                )
        if years and "year" in columns:
            # Either reading drops half the file silently, so neither is chosen.
            year_columns = ", ".join(f'"{headers[i]}"' for i, _ in years)
            problems.append(
                source.problem(
                    line,
                    f'the header mixes the long layout (a year column "{headers[columns["year"]]}") and the '
                    f"wide layout (year columns {year_columns}); use one: a year and a value column, "
                    "or one column per year",
                )
            )
    else:
        return None
    if problems:
        raise InputError(problems)
    return _Layout(kind, headers, columns, tuple(years), tuple(ignored))


def _joined(cells: Sequence[object], separator: str = ", ", quote: str = "") -> str:
    return separator.join(f"{quote}{text}{quote}" for text in map(_text, cells) if text)


def _unknown_layout(line: int, cells: Sequence[object], source: _Source) -> NoReturn:
    found = _joined(cells, quote='"')
    raise InputError(
        source.problem(
            line,
            f"cannot tell the layout from the header {found}: expected a long layout with columns "
            "region, indicator, year, value (地区, 指标, 年份, 数值), or a wide layout with an indicator "
            "column (指标) and one column per year (2019, 2020年)",
        )
    )


def _header_year(cell: object) -> int | None:
    """A wide-layout year header: 2020, 2020.0 (Excel), "2020", "2020年", "2020.0"; else None."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        year = int(cell)
        return year if year == cell and _FIRST_YEAR <= year <= _LAST_YEAR else None
    if isinstance(cell, str):
        match = _YEAR_TEXT.fullmatch(normalize(cell))
        if match and _FIRST_YEAR <= int(match[1]) <= _LAST_YEAR:
            return int(match[1])
    return None


# ---------------------------------------------------------------- rows


def _text(cell: object) -> str:
    """A cell as the text a person sees in it."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    if isinstance(cell, _Uncached):
        return cell.formula
    return str(cell)


def _cell(cells: Sequence[object], index: int | None) -> object:
    if index is None or index >= len(cells):
        return None
    return cells[index]


def _shared(reader: _Reader, text: str) -> str:
    return reader.strings.setdefault(text, text)  # text is stripped: the same entry the fast path makes


@dataclass(frozen=True)
class _RowLabels:
    """The per-row texts common to both layouts."""

    region: str | None
    indicator: str
    unit: str
    source: str
    note: str


def _labels(reader: _Reader, number: int, cells: Sequence[object]) -> _RowLabels | None:
    columns = reader.layout.columns
    ok = True
    region: str | None = None
    if "region" in columns:
        region = _text(_cell(cells, columns["region"]))
        if not region:
            ok = _fail(reader, number, "region", "region is empty; write the region on every row")
    indicator = _text(_cell(cells, columns.get("indicator")))
    if not indicator:
        ok = _fail(reader, number, "indicator", "indicator is empty")
    for name in ("region", "indicator", "unit", "source", "note"):
        ok = _no_formula(reader, number, cells, name) and ok
    if not ok:
        return None
    return _RowLabels(
        region=_shared(reader, region) if region is not None else None,
        indicator=_shared(reader, indicator),
        unit=_shared(reader, _text(_cell(cells, columns.get("unit")))),
        source=_shared(reader, _text(_cell(cells, columns.get("source")))),
        note=_text(_cell(cells, columns.get("note"))),
    )


def _long_row(reader: _Reader, number: int, cells: Sequence[object]) -> None:
    columns = reader.layout.columns
    labels = _labels(reader, number, cells)
    year = _year(reader, number, _cell(cells, columns["year"]), columns["year"])
    value_cell = _cell(cells, columns["value"])
    date = _date(reader, number, _cell(cells, columns.get("date")), columns.get("date"))
    reading = _value(reader, number, value_cell, columns["value"])
    if labels is None or year is None or reading is None or isinstance(date, bool):
        return
    labels = _unit_checked(reader, number, value_cell, columns["value"], labels)
    if labels is not None:
        _keep(reader, number, labels, year, reading, date)


def _wide_row(reader: _Reader, number: int, cells: Sequence[object]) -> None:
    labels = _labels(reader, number, cells)
    date_at = reader.layout.columns.get("date")
    # One date for the row: the day its task was done, so it goes with the year (or years) saying done.
    date = _date(reader, number, _cell(cells, date_at), date_at)
    readings = []
    for index, year in reader.layout.years:
        cell = _cell(cells, index)
        reading = _value(reader, number, cell, index)
        if labels is not None and reading is not None:
            row_labels = _unit_checked(reader, number, cell, index, labels)
            if row_labels is not None:
                readings.append((row_labels, year, reading))
    if isinstance(date, bool):
        return
    if date is not None and date_at is not None and not any(r is TaskState.DONE for _, _, r in readings):
        _fail(
            reader,
            number,
            reader.layout.headers[date_at],
            f"a completion date ({date.isoformat()}) is for a task done, but no year of the row says "
            "done (已完成); clear the date or mark the year it was done",
        )
        return
    for row_labels, year, reading in readings:
        _keep(reader, number, row_labels, year, reading, date if reading is TaskState.DONE else None)


def _unit_checked(
    reader: _Reader, number: int, cell: object, index: int, labels: _RowLabels
) -> _RowLabels | None:
    """``_percent_unit``, after refusing a value with 万/亿 in a row whose unit has it already."""
    problem = doubled_multiplier(cell, labels.unit)
    if problem is not None:
        _fail(reader, number, reader.layout.headers[index], problem)
        return None
    return _percent_unit(reader, number, cell, index, labels)


def _percent_unit(
    reader: _Reader, number: int, cell: object, index: int, labels: _RowLabels
) -> _RowLabels | None:
    """The row's labels with the unit a "%" written in the value gives; None if the unit says otherwise.

    A value such as "95%" is 95 in the unit "%": a row without a unit takes that unit (so a target in
    another unit refuses it), a row whose unit is another one is a problem, not 95 of that unit.
    """
    if not isinstance(cell, str) or "%" not in cell.translate(_PERCENT_SIGNS):
        return labels
    try:
        _, percent = parse_number_percent(cell)
    except NumberError:  # pragma: no cover - _value has parsed the same cell already
        return labels
    if not percent or normalize(labels.unit) == "%":
        return labels
    if not labels.unit:
        return dataclasses.replace(labels, unit="%")
    _fail(
        reader,
        number,
        reader.layout.headers[index],
        f'unit mismatch: the value "{_text(cell)}" is written with "%" but the unit of the row is '
        f'"{labels.unit}"; write the value without "%", or give the unit "%"',
    )
    return None


_MISSING_READING = ("missing",)
_PERCENT_SIGNS = str.maketrans("％", "%")
_DECIMAL_COMMA = lazy_compile(r"[-+]?\d+,\d+%?")


def _value(reader: _Reader, number: int, cell: object, index: int) -> Decimal | TaskState | tuple[str] | None:
    """The number or task state of a value cell; ``_MISSING_READING`` for a missing-value marker.

    None means a problem was recorded.
    """
    if type(cell) is str and len(cell) <= _SHORT_NUMBER and _PLAIN_NUMBER.fullmatch(cell):  # the common case
        return Decimal(cell)
    if isinstance(cell, _Uncached):
        _uncached(reader, number, index, cell)
        return None
    if isinstance(cell, str):
        state = STATE_WORDS.get(fold_name(cell))
        if state is not None:
            return state
    try:
        value = parse_number(cell)
    except NumberError as exc:
        message = str(exc)
        if isinstance(cell, str) and _DECIMAL_COMMA.fullmatch(cell.strip()):
            # "6,3" is no thousands grouping: a decimal comma, as semicolon-separated files carry them.
            message += f'; write the decimal mark as a point: {cell.strip().replace(",", ".")}'
        _fail(reader, number, reader.layout.headers[index], message)
        return None
    if value is not None and not within_bounds(value):
        shown = excerpt(str(cell).strip())
        message = f"expected a number of at most {MAX_DIGITS} digits, found {shown}"
        _fail(reader, number, reader.layout.headers[index], message)
        return None
    return _MISSING_READING if value is None else value


_SHORT_NUMBER = 15  # a plain number this short is within the bounds; longer ones are checked


def _year(reader: _Reader, number: int, cell: object, index: int) -> int | None:
    if type(cell) is str and len(cell) == 4 and cell.isascii() and cell.isdigit():
        year = int(cell)
    elif isinstance(cell, _Uncached):
        _uncached(reader, number, index, cell)
        return None
    else:
        found = _header_year(cell)
        if found is None:
            _fail(reader, number, reader.layout.headers[index], _year_expected(_text(cell)))
            return None
        year = found
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        _fail(reader, number, reader.layout.headers[index], _year_expected(_text(cell)))
        return None
    return year


def _year_expected(text: str) -> str:
    """The message for a text that is no year, with the year to write when one can be seen in it."""
    message = f'{YEAR_EXPECTED}, found "{text}"'
    match = _YEAR_LIKE.fullmatch(normalize(text).translate(_CHINESE_DIGITS))
    if match and _FIRST_YEAR <= int(match[1]) <= _LAST_YEAR:
        message += f"; write it as {match[1]}"
    return message


def _date(reader: _Reader, number: int, cell: object, index: int | None) -> dt.date | None | bool:
    """The completion date of a milestone row; None when absent, False when a problem was recorded."""
    if index is None or cell is None:
        return None
    if isinstance(cell, _Uncached):
        _uncached(reader, number, index, cell)
        return False
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = normalize(_text(cell))
    if not text:
        return None
    match = _DATE_TEXT.fullmatch(text)
    if match:
        year, month, day = match[1], match[2] or match[4], match[3] or match[5]
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            pass
    _fail(reader, number, reader.layout.headers[index], f'{DATE_EXPECTED}, found "{_text(cell)}"')
    return False


def _no_formula(reader: _Reader, number: int, cells: Sequence[object], name: str) -> bool:
    index = reader.layout.columns.get(name)
    cell = _cell(cells, index)
    if isinstance(cell, _Uncached) and index is not None:
        _uncached(reader, number, index, cell)
        return False
    return True


def _uncached(reader: _Reader, number: int, index: int, cell: Uncached) -> None:
    _fail(
        reader,
        number,
        reader.layout.headers[index],
        f"cell {cell.ref} holds the formula {cell.formula} but no calculated value; "
        "open the file in Excel and save it, or type the value",
    )


def _fail(reader: _Reader, number: int, key: str, message: str) -> bool:
    reader.problems.append(reader.source.problem(number, message, key=key))
    return False


def _keep(
    reader: _Reader,
    number: int,
    labels: _RowLabels,
    year: int,
    reading: Decimal | TaskState | tuple[str],
    date: dt.date | None,
) -> None:
    if reading is _MISSING_READING:
        return
    is_state = isinstance(reading, TaskState)
    observation = Observation(
        indicator=labels.indicator,
        year=year,
        value=None if is_state else reading,  # type: ignore[arg-type]
        region=labels.region,
        unit=labels.unit,
        source=labels.source,
        note=labels.note,
        date=date,
        state=reading if is_state else None,  # type: ignore[arg-type]
        origin=reader.source.origin(number),
    )
    _add(reader, number, observation)


def _add(reader: _Reader, number: int, observation: Observation) -> None:
    """Keep ``observation`` unless an earlier row gave the same reading; a different one is a problem."""
    folded = reader.folded
    region, indicator = observation.region, observation.indicator
    region_key = None
    if region is not None:
        region_key = folded.get(region) or folded.setdefault(region, fold_name(region))
    indicator_key = folded.get(indicator) or folded.setdefault(indicator, fold_name(indicator))
    key = (region_key, indicator_key, observation.year)
    earlier = reader.seen.get(key)
    if earlier is None:
        reader.seen[key] = observation
        reader.observations.append(observation)
        return
    if not _same_reading(earlier, observation):
        where = ", ".join(str(part) for part in (indicator, region, observation.year) if part)
        reader.problems.append(
            reader.source.problem(
                number,
                f"two different values for {where}: {_shown(earlier)} at {earlier.origin} "
                f"and {_shown(observation)} at {observation.origin}",
            )
        )


def _read_general(reader: _Reader, rows: Iterable[tuple[int, Sequence[object]]], csv: bool = False) -> None:
    """Read the rest of a file row by row with the full rules of its layout."""
    row = _long_row if reader.layout.kind == "long" else _wide_row
    for number, cells in rows:
        if not _blank(cells):
            reader.rows += 1
            if not (csv and _cells_past_header(reader, number, cells)):
                row(reader, number, cells)


def _cells_past_header(reader: _Reader, number: int, cells: Sequence[object]) -> bool:
    """A CSV row with text past its header's last column is refused (and True returned).

    Such text belongs to no column, and its usual cause shifts the row: "254,000" written without
    quotes is the two cells 254 and 000, and the value read would be 254. (A workbook's cells past
    the header are left alone: offices write remarks there, and a workbook's numbers cannot split.)
    """
    width = len(reader.layout.headers)
    past = [str(cell).strip() for cell in cells[width:] if str(cell).strip()]
    if not past:
        return False
    shown = ", ".join(f'"{cell}"' for cell in past)
    reader.problems.append(reader.source.problem(
        number,
        f"the row has {len(cells)} cells but the header only {width} columns ({shown} belong to none); "
        'write numbers without a thousands comma (254000) or in quotes ("254,000")',
    ))
    return True


def _read_plain_long(reader: _Reader, csv_rows: CsvReader) -> list[str] | None:
    """Read the rest of a long CSV; plain rows (4-digit year, plain number, no date) in a tight loop.

    Returns the last record read (None if there was none), in which an unclosed quote would show.
    ``csv_rows`` is csv's reader (cells are always strings). Any other row goes to ``_long_row``,
    which reads it the general way and words its problems. Everything is bound to locals once, as
    the loop body runs once per row of files of a million rows.
    """
    columns = reader.layout.columns
    region_at, indicator_at = columns.get("region"), columns["indicator"]
    year_at, value_at = columns["year"], columns["value"]
    unit_at, source_at = columns.get("unit"), columns.get("source")
    note_at, date_at = columns.get("note"), columns.get("date")
    width = max(columns.values()) + 1
    header_width = len(reader.layout.headers)  # a longer row goes the general way (_cells_past_header)
    # text as read -> (stripped, folded for the duplicate key); labels repeat, so this stays small
    labels: dict[str, tuple[str, str]] = {"": ("", "")}
    known = labels.get
    plain_number = _PLAIN_NUMBER.fullmatch
    prefix = reader.source.file + ":"
    seen, observations = reader.seen, reader.observations
    first, last = _FIRST_YEAR, _LAST_YEAR
    data_rows = 0
    years: dict[str, int] = {}  # one int object per year, not one per row
    new_tuple = tuple.__new__

    def label(cell: str) -> tuple[str, str]:
        text = cell.strip()
        found = labels[cell] = (_shared(reader, text), fold_name(text))
        return found

    region: str | None = None
    region_key: str | None = None
    cells: list[str] | None = None
    for cells in _noting_ends(csv_rows):
        data_rows += 1
        if width <= len(cells) <= header_width:
            if region_at is not None:
                region, region_key = known(cells[region_at]) or label(cells[region_at])
            year_text, value_text = cells[year_at], cells[value_at]
            if (
                len(year_text) == 4
                and year_text.isascii()
                and year_text.isdigit()
                and len(value_text) <= _SHORT_NUMBER
                and plain_number(value_text)
                and (date_at is None or not cells[date_at])
                and first
                <= (year := years.get(year_text) or years.setdefault(year_text, int(year_text)))
                <= last
            ):
                indicator, indicator_key = known(cells[indicator_at]) or label(cells[indicator_at])
                if indicator and (region_at is None or region):
                    unit = source = ""
                    if unit_at is not None:
                        unit = (known(cells[unit_at]) or label(cells[unit_at]))[0]
                    if source_at is not None:
                        source = (known(cells[source_at]) or label(cells[source_at]))[0]
                    note = "" if note_at is None else cells[note_at].strip()
                    number = csv_rows.line_num
                    # Observation(...) with every field in order, without its keyword handling.
                    observation = new_tuple(
                        Observation,
                        (indicator, year, Decimal(value_text), region, unit, source, note, None, None,
                         f"{prefix}{number}"),
                    )
                    key = (region_key, indicator_key, year)
                    if key in seen:
                        _add(reader, number, observation)
                    else:
                        seen[key] = observation
                        observations.append(observation)
                    continue
        if _blank(cells):
            data_rows -= 1
        elif not _cells_past_header(reader, csv_rows.line_num, cells):
            _long_row(reader, csv_rows.line_num, cells)
    reader.rows += data_rows
    return cells


# A number strictly inside this is within_bounds whatever its digits: Decimal(repr(float)) has at
# most 18 digits (17 significant, one trailing zero), and fewer than MAX_DIGITS before the point.
_PLAIN_MAGNITUDE = 10**17


def _read_cells_long(
    reader: _Reader,
    rows: Iterable[tuple[int, Sequence[object]]],
    converted: Callable[[int, Sequence[object]], Sequence[object]] | None = None,
) -> None:
    """Read the rest of a long sheet of typed cells; plain rows in a tight loop.

    ``rows`` are the reader's rows (empty cells None, whole numbers int) or, with ``converted``, the
    sheet's own cells (empty cells "", every number a float), which ``converted`` turns into the
    former. A plain row has text labels, a whole-number year in range, a number value of fewer than
    18 digits before the point and no date: ``_long_row`` would keep exactly this observation for
    it, so it is built here directly. Any other row goes to ``_long_row``, which reads it the
    general way and words its problems. A 200,000-row workbook spent half its reading time there.
    """
    columns = reader.layout.columns
    region_at, indicator_at = columns.get("region"), columns["indicator"]
    year_at, value_at = columns["year"], columns["value"]
    unit_at, source_at = columns.get("unit"), columns.get("source")
    note_at, date_at = columns.get("note"), columns.get("date")
    width = max(columns.values()) + 1
    labels: dict[str, tuple[str, str]] = {}  # text as read -> (stripped, folded for the duplicate key)
    known = labels.get
    seen, observations = reader.seen, reader.observations
    first, last = _FIRST_YEAR, _LAST_YEAR
    origin = reader.source.origin
    bound = _PLAIN_MAGNITUDE
    new_tuple = tuple.__new__

    def label(cell: str) -> tuple[str, str]:
        text = cell.strip()
        found = labels[cell] = (_shared(reader, text), fold_name(text))
        return found

    def text_or_empty(cells: Sequence[object], at: int | None) -> str | None:
        """The stripped, shared text of a text or empty cell; None for a cell of another type."""
        if at is None:
            return ""
        cell = cells[at]
        if cell is None:
            return ""
        return (known(cell) or label(cell))[0] if type(cell) is str else None

    for number, cells in rows:
        if len(cells) >= width:
            year, value_cell = cells[year_at], cells[value_at]
            indicator_cell = cells[indicator_at]
            region_cell = cells[region_at] if region_at is not None else ""
            if type(year) is float and year.is_integer():
                year = int(year)
            if type(value_cell) is float and value_cell.is_integer():
                value_cell = int(value_cell)
            value_type = type(value_cell)
            date_cell = cells[date_at] if date_at is not None else None
            if (
                type(year) is int
                and first <= year <= last
                and (value_type is int or value_type is float)
                and -bound < value_cell < bound  # type: ignore[operator]
                and (date_cell is None or date_cell == "")
                and type(indicator_cell) is str
                and type(region_cell) is str
            ):
                indicator, indicator_key = known(indicator_cell) or label(indicator_cell)
                region, region_key = (None, None) if region_at is None else (
                    known(region_cell) or label(region_cell)  # type: ignore[arg-type]
                )
                unit = text_or_empty(cells, unit_at)
                source = text_or_empty(cells, source_at)
                note_cell = cells[note_at] if note_at is not None else None
                if (
                    indicator
                    and (region_at is None or region)
                    and unit is not None
                    and source is not None
                    and (note_cell is None or type(note_cell) is str)
                ):
                    value = Decimal(value_cell) if value_type is int else Decimal(repr(value_cell))  # type: ignore[arg-type]
                    note = note_cell.strip() if note_cell is not None else ""  # type: ignore[union-attr]
                    reader.rows += 1
                    # Observation(...) with every field in order, without its keyword handling.
                    observation = new_tuple(
                        Observation,
                        (indicator, year, value, region, unit, source, note, None, None, origin(number)),
                    )
                    key = (region_key, indicator_key, year)
                    if key in seen:
                        _add(reader, number, observation)
                    else:
                        seen[key] = observation
                        observations.append(observation)
                    continue
        if converted is not None:
            cells = converted(number, cells)
        if not _blank(cells):
            reader.rows += 1
            _long_row(reader, number, cells)


def _noting_ends(csv_rows: CsvReader) -> Iterator[list[str]]:
    """csv's records as they come; a cell csv refuses is told the line its record started on."""
    ended = csv_rows.line_num
    try:
        for cells in csv_rows:
            ended = csv_rows.line_num
            yield cells
    except csv.Error as exc:
        exc.record_start = ended + 1  # type: ignore[attr-defined]
        raise


def _same_reading(a: Observation, b: Observation) -> bool:
    if a.state is not None or b.state is not None:
        return a.state == b.state and a.date == b.date
    if a.value is None or b.value is None:
        return False
    factor = conversion_factor(a.unit, b.unit)
    return factor is not None and a.value * factor == b.value


def _shown(observation: Observation) -> str:
    if observation.state is not None:
        text = observation.state.value
        return f"{text} ({observation.date.isoformat()})" if observation.date else text
    assert observation.value is not None
    return f"{plain(observation.value)}{observation.unit}"
