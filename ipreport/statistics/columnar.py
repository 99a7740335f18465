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
        data = path.read_bytes()
    except OSError:
        return None
    announced = bom_encoding(data[:4])
    if announced is not None and not data.startswith(_UTF8_BOM):
        return None
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    if any(mark in data for mark in _REFUSED_BYTES) or data.count(b"\r") != data.count(b"\r\n"):
        return None
    end = data.find(b"\n")
    if end <= 0:
        return None
    try:
        header = data[:end].decode("utf-8").removesuffix("\r")
    except UnicodeDecodeError:
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
        frame = _frame(data[end + 1 :], cells, separator, layout.columns)
    except Exception:  # noqa: BLE001 - any row polars does not take is the Python reader's to word
        return None
    if frame is None:
        return None
    warnings = tuple(f'{source.file}: column "{name}" is not used' for name in layout.ignored)
    return ColumnarRows(path, frame, warnings)


def _utf8(encoding: str | None) -> bool:
    if encoding is None:
        return True
    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    except LookupError:
        return False


def _frame(body: bytes, header: list[str], separator: str, columns: dict[str, int]) -> pl.DataFrame | None:
    import polars as pl

    names = [f"c{index}" for index in range(len(header))]
    raw = pl.read_csv(
        body,
        has_header=False,
        new_columns=names,
        schema={name: pl.String for name in names},
        separator=separator,
        quote_char=None,
        empty_string_is_null=False,
        infer_schema=False,
    )
    if raw.height == 0:
        return None

    def column(name: str) -> pl.Expr:
        at = columns.get(name)
        return pl.col(names[at]) if at is not None else pl.lit("")

    year, value = column("year"), column("value")
    frame = raw.select(
        region_raw=column("region"),
        indicator_raw=column("indicator"),
        year_text=year,
        value=value,
        unit_raw=column("unit"),
        source_raw=column("source"),
        date=column("date"),
        line=pl.int_range(2, raw.height + 2, dtype=pl.Int64),
    )
    if frame.null_count().sum_horizontal().item() != 0:
        return None  # a short row
    plain = (
        frame["year_text"].str.contains(r"^[0-9]{4}$")
        & frame["value"].str.contains(r"^-?[0-9]+(\.[0-9]+)?$")
        & (frame["value"].str.len_bytes() <= _SHORT_NUMBER)
        & (frame["date"] == "")
    )
    if not plain.all():
        return None
    frame = frame.with_columns(year=pl.col("year_text").cast(pl.Int32)).drop("year_text", "date")
    if not frame["year"].is_between(_FIRST_YEAR, _LAST_YEAR).all():
        return None
    # Labels repeat: each distinct cell is stripped and folded once, in Python, as the reader does.
    for name in ("region", "indicator", "unit", "source"):
        labelled = _labelled(frame, name, keyed=name in ("region", "indicator"))
        if labelled is None:
            return None
        frame = labelled
    if frame.select(pl.struct("region_key", "indicator_key", "year").is_duplicated().any()).item():
        return None  # the reader keeps one of equal readings and refuses different ones
    return frame


def _labelled(frame: pl.DataFrame, name: str, *, keyed: bool) -> pl.DataFrame | None:
    import polars as pl

    raw = f"{name}_raw"
    distinct = frame[raw].unique().to_list()
    stripped = [cell.strip() for cell in distinct]
    if keyed and not all(stripped):
        return None  # a row without a region or an indicator
    table = {raw: distinct, name: stripped}
    if keyed:
        table[f"{name}_key"] = [fold_name(text) for text in stripped]
    mapping = pl.DataFrame(table, schema={key: pl.String for key in table})
    return frame.join(mapping, on=raw, how="left", maintain_order="left").drop(raw)
