"""A big long-layout CSV statistics file read into columns (polars), for the columnar engine.

Only files every row of which the Python reader's fast loop (``read._read_plain_long``) would take
as it comes are read here: a 4-digit year, a plain number of at most 15 characters, no date, a
region and an indicator, each (region, indicator, year) once. Anything else -- a quote, a comment,
a blank line, a title row, another encoding, a missing value, a duplicate -- gives None, and the
Python reader reads the file and words its problems: it stays the reference.

Values stay the text they are written as (a Decimal is made from it later, never a float).
polars is optional (the ``fast`` extra): without it ``read_plain_long`` gives None.
"""

from __future__ import annotations

import codecs
import mmap
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ipreport.errors import InputError
from ipreport.statistics.read import _FIRST_YEAR, _LAST_YEAR, _SHORT_NUMBER, _layout, _Source
from ipreport.util.decoding import bom_encoding
from ipreport.util.numbers import fold_name

if TYPE_CHECKING:
    import polars as pl

_TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
_UTF8_BOM = codecs.BOM_UTF8
_LONE_RETURN = re.compile(rb"\r(?!\n)")
_READ = ("region", "indicator", "year", "value", "unit", "source", "date")  # the note is not needed
# Bytes that send a file to the Python reader: quoting (cells over several lines, quoted commas) and
# comment lines, which the Python reader handles and polars would read otherwise.
_REFUSED_BYTES = (b'"', b"#")


@dataclass(frozen=True)
class ColumnarRows:
    """Every row of a plain long CSV file, one column each, in file order.

    ``frame`` columns: region, region_key, indicator, indicator_key (stripped as written, and
    folded), year (Int32), value (the number's text), unit, source (stripped), line (Int64).
    """

    path: Path
    frame: pl.DataFrame
    warnings: tuple[str, ...]  # columns not used, as the Python reader words them


def polars_available() -> bool:
    """Whether the columnar engine can run (``pip install 'ipreport[fast]'``)."""
    try:
        import polars  # noqa: F401
    except ImportError:
        return False
    return True


def read_plain_long(path: str | Path, encoding: str | None = None) -> ColumnarRows | None:
    """The rows of ``path`` in columns, or None when the Python reader must read it."""
    path = Path(path)
    if path.suffix.lower() not in _TEXT_SUFFIXES or not _utf8(encoding):
        return None
    try:
        if not path.is_file():
            return None
        header = _checked_header(path)
    except OSError:
        return None
    if header is None:
        return None
    # The separator as _CsvRecords chooses it from the first line.
    separator = next((mark for mark in ("\t", ";") if mark in header and "," not in header), ",")
    cells = header.split(separator)
    source = _Source(str(path))
    try:
        layout = _layout(cells, 1, source)
    except InputError:
        return None
    if layout is None or layout.kind != "long" or "region" not in layout.columns:
        return None
    try:
        frame = _frame(path, cells, separator, layout.columns)
    except Exception:  # noqa: BLE001 - any row polars does not take is the Python reader's to word
        return None
    if frame is None:
        return None
    warnings = tuple(f'{source.file}: column "{name}" is not used' for name in layout.ignored)
    return ColumnarRows(path, frame, warnings)


def _checked_header(path: Path) -> str | None:
    """The header line of a file the columnar reader may take (a first look at its bytes), else None."""
    with open(path, "rb") as raw:
        try:
            data = mmap.mmap(raw.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file
            return None
        with data:
            announced = bom_encoding(data[:4])
            if announced is not None and data[:3] != _UTF8_BOM:
                return None
            if any(data.find(mark) != -1 for mark in _REFUSED_BYTES):
                return None
            if _LONE_RETURN.search(data):
                return None  # a lone carriage return ends a line for csv, not for polars
            end = data.find(b"\n")
            first = data[3 if announced else 0 : end]
    if end <= 0:
        return None
    try:
        return first.decode("utf-8").removesuffix("\r")
    except UnicodeDecodeError:
        return None


def _utf8(encoding: str | None) -> bool:
    if encoding is None:
        return True
    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    except LookupError:
        return False


def _frame(path: Path, header: list[str], separator: str, columns: dict[str, int]) -> pl.DataFrame | None:
    """The rows in columns, or None when a row is not a plain one; polars streams the file in parts,
    so that only the columns kept are ever whole in memory."""
    import polars as pl

    # polars names the columns of a file read without its header column_0, column_1, ...
    names = [f"column_{index}" for index in range(len(header))]
    rows = pl.scan_csv(
        path,
        has_header=False,
        skip_rows=1,
        separator=separator,
        quote_char=None,
        empty_string_is_null=False,
        infer_schema=False,
    )

    def column(name: str) -> pl.Expr:
        at = columns.get(name)
        return pl.col(names[at]) if at is not None else pl.lit("")

    # Labels repeat: each distinct cell is stripped and folded once, in Python, as the reader does.
    label_columns = {name: column(name) for name in ("region", "indicator", "unit", "source")}
    distinct_cells = rows.select(
        *(expr.unique().implode().alias(name) for name, expr in label_columns.items())
    ).collect(engine="streaming")
    labels: dict[str, pl.Expr] = {}
    code = pl.lit(0, dtype=pl.Int64)  # one number per (region, indicator) folded, for the duplicates
    for name, expr in label_columns.items():
        distinct = distinct_cells[name][0].to_list()
        if None in distinct:
            return None  # a short row
        stripped = [cell.strip() for cell in distinct]
        labels[name] = expr.replace_strict(distinct, stripped, return_dtype=pl.Categorical)
        if name in ("region", "indicator"):
            if not all(stripped):
                return None  # a row without a region or an indicator
            folded = [fold_name(text) for text in stripped]
            numbers = {key: number for number, key in enumerate(dict.fromkeys(folded))}
            labels[f"{name}_key"] = expr.replace_strict(distinct, folded, return_dtype=pl.Categorical)
            code = code * len(distinct) + expr.replace_strict(
                distinct, [numbers[key] for key in folded], return_dtype=pl.Int64
            )
    year_text, value, date = column("year"), column("value"), column("date")
    plain = (
        year_text.str.contains(r"^[0-9]{4}$")
        & value.str.contains(r"^-?[0-9]+(\.[0-9]+)?$")
        & (value.str.len_bytes() <= _SHORT_NUMBER)
        & (date == "")
    )
    year = year_text.cast(pl.Int32, strict=False)
    frame = (
        rows.with_row_index("line", offset=2)
        .select(
            value=value,
            line=pl.col("line").cast(pl.Int64),
            year=year,
            plain=plain & year.is_between(_FIRST_YEAR, _LAST_YEAR),
            code=code * 4096 + year,
            **labels,
        )
        .collect(engine="streaming")
    )
    if frame.height == 0 or frame.null_count().sum_horizontal().item() != 0 or not frame["plain"].all():
        return None  # a short row, or a row the Python reader reads its own way
    if frame["code"].is_duplicated().any():
        return None  # the reader keeps one of equal readings and refuses different ones
    return frame.drop("plain", "code")
