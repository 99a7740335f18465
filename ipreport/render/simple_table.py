"""A plain text table laid out as tabulate's "simple" format, without importing tabulate.

The gap table is the one table every `gaps` run prints; tabulate and what it imports cost about a
tenth of such a run. This module lays out the shape the gap table uses (text cells, one-line
headers, cells wrapped onto several lines, left or right aligned, colour codes not counted) and
yields the same bytes as ``tabulate(rows, headers, tablefmt="simple", disable_numparse=True)``
with MIN_PADDING 0 and PRESERVE_WHITESPACE False; tests/render/test_simple_table.py holds the two
equal. Any other shape goes to tabulate (render.table.tabulate decides).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ipreport.util.display_width import display_width

_COLUMN_GAP = "  "


def _csi() -> re.Pattern[str]:
    """Colour and other CSI codes, which take no column on a terminal (compiled on first use)."""
    global _CSI_PATTERN
    if _CSI_PATTERN is None:
        _CSI_PATTERN = re.compile(r"\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]")
    return _CSI_PATTERN


_CSI_PATTERN: re.Pattern[str] | None = None


def fits_simple_table(rows: Sequence[Sequence[object]], headers: Sequence[object],
                      colalign: Sequence[object] | None) -> bool:
    """Whether ``simple_table`` lays out this table exactly as tabulate would."""
    # Headers as the tables have them: words on one line (tabulate treats others in ways of its own).
    if not rows or not headers or not all(isinstance(h, str) and h and h == h.strip() and "\n" not in h
                                          for h in headers):
        return False
    if colalign is not None and (len(colalign) > len(headers)
                                 or any(a not in ("left", "right") for a in colalign)):
        return False
    return all(len(row) == len(headers) and all(isinstance(cell, str) for cell in row) for row in rows)


def _width(text: str) -> int:
    return display_width(_csi().sub("", text) if "\x1b" in text else text)


def _pad(text: str, width: int, align: str) -> str:
    fill = " " * (width - _width(text))
    return fill + text if align == "right" else text + fill


def simple_table(rows: Sequence[Sequence[str]], headers: Sequence[str],
                 colalign: Sequence[str] | None = None) -> str:
    """The table: headers, a dashed rule under each column, then the rows; columns two spaces apart,
    each as wide as its widest line; a cell on several lines makes its row that tall."""
    aligns = [*(colalign or ()), *(["left"] * (len(headers) - len(colalign or ())))]
    # As tabulate: a table is laid out line by line when a cell had a line break before stripping.
    multiline = any("\n" in cell for row in rows for cell in row)
    cells = [[cell.strip() for cell in row] for row in rows]
    widths = [
        max(_width(header), *(_width(line) for row in cells for line in row[column].splitlines() or [""]))
        for column, header in enumerate(headers)
    ]
    lines = [
        _COLUMN_GAP.join(_pad(h, w, a) for h, w, a in zip(headers, widths, aligns, strict=True)).rstrip(),
        _COLUMN_GAP.join("-" * w for w in widths),
    ]
    for row in cells:
        if not multiline:
            padded = (_pad(c, w, a) for c, w, a in zip(row, widths, aligns, strict=True))
            lines.append(_COLUMN_GAP.join(padded).rstrip())
            continue
        split = [cell.splitlines() for cell in row]
        for index in range(max(len(cell_lines) for cell_lines in split)):
            line = _COLUMN_GAP.join(
                _pad(cell_lines[index], w, a) if index < len(cell_lines) else " " * w
                for cell_lines, w, a in zip(split, widths, aligns, strict=True)
            )
            lines.append(line.rstrip())
    return "\n".join(lines)
