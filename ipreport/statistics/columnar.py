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
    """The rows in columns, or None when a row is not a plain one.

    One streaming pass over the file: labels are kept as categories (a national file repeats a few
    thousand of them over millions of rows), so that only the columns kept, compact, are ever whole
    in memory; each distinct label is then stripped and folded once, in Python, as the reader does.
    """
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
            **{name: column(name).cast(pl.Categorical) for name in _LABELS},
        )
        .collect(engine="streaming")
    )
    if frame.height == 0 or frame.null_count().sum_horizontal().item() != 0 or not frame["plain"].all():
        return None  # a short row, or a row the Python reader reads its own way
    labels: dict[str, pl.Series] = {}
    for name in _LABELS:
        cells = frame[name]
        distinct = cells.unique().cast(pl.String).to_list()
        stripped = [cell.strip() for cell in distinct]
        labels[name] = cells if stripped == distinct else _replaced(cells, distinct, stripped)
        if name in ("region", "indicator"):
            if not all(stripped):
                return None  # a row without a region or an indicator
            folded = [fold_name(text) for text in stripped]
            key = labels[name] if folded == stripped else _replaced(cells, distinct, folded)
            labels[f"{name}_key"] = key.alias(f"{name}_key")
    frame = frame.drop("plain", *_LABELS).with_columns(**labels)
    if _duplicated(frame):
        return None  # the reader keeps one of equal readings and refuses different ones
    return frame.select(_COLUMNS)


_LABELS = ("region", "indicator", "unit", "source")
_COLUMNS = ("value", "line", "year", "region", "region_key", "indicator", "indicator_key", "unit", "source")


def _replaced(cells: pl.Series, distinct: list[str], replacements: list[str]) -> pl.Series:
    """``cells`` (categories) with each of ``distinct`` replaced by its ``replacements``."""
    import polars as pl

    return cells.cast(pl.String).replace_strict(distinct, replacements, return_dtype=pl.Categorical)


def _duplicated(frame: pl.DataFrame) -> bool:
    """Whether a (region, indicator, year) comes twice: one number per row, from the categories'
    codes (a struct of the three columns took five times the frame's memory to hash)."""
    import polars as pl

    # Written series by series with rising years (as a national file is), no (region, indicator,
    # year) can come twice: checked on each row against the row before.
    keys = ("region_key", "indicator_key")
    same = pl.all_horizontal([pl.col(key) == pl.col(key).shift(1) for key in keys]).fill_null(False)
    rising, runs = frame.select(
        rising=~(same & (pl.col("year") <= pl.col("year").shift(1))).any(), runs=(~same).sum()
    ).row(0)
    if rising and runs == frame.filter(~same).select(pl.struct(*keys).n_unique()).item():
        return False
    region, indicator = pl.col("region_key").to_physical(), pl.col("indicator_key").to_physical()
    highest = frame.select(region.max(), indicator.max()).row(0)
    years = _LAST_YEAR - _FIRST_YEAR + 1
    if (highest[0] + 1) * (highest[1] + 1) * years >= 2**63:
        every = pl.struct("region_key", "indicator_key", "year")
        return bool(frame.select(every.is_duplicated().any()).item())
    code = (region.cast(pl.Int64) * (highest[1] + 1) + indicator.cast(pl.Int64)) * years + (
        pl.col("year").cast(pl.Int64) - _FIRST_YEAR
    )
    return bool(frame.select(code.is_duplicated().any()).item())
