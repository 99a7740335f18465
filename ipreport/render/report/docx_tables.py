"""After rendering: a column of a report table with nothing but "—" below its header is dropped.

Whether a column has any value is known only once the rows are in (tasks without completion dates,
targets without a baseline); a template cannot say it in advance. Only tables in the built-in
"报告表格" style (ReportTable) are touched, so a user's own tables stay as the user made them. The
width a dropped column had goes to the first column, which holds the names.
"""

from __future__ import annotations

from lxml import etree

from ipreport.render.formatting import DASH

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STYLE = "ReportTable"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _text(cell: etree._Element) -> str:
    return "".join(t.text or "" for t in cell.iter(_w("t"))).strip()


def drop_empty_columns(root: etree._Element) -> int:
    """Drop every all-"—" column of every ReportTable under ``root``; returns how many went."""
    dropped = 0
    for table in root.iter(_w("tbl")):
        style = table.find(f"{_w('tblPr')}/{_w('tblStyle')}")
        if style is None or style.get(_w("val")) != STYLE:
            continue
        rows = [[c for c in row if c.tag == _w("tc")] for row in table.findall(_w("tr"))]
        if len(rows) < 2 or len({len(r) for r in rows}) != 1:
            continue  # no body rows, or merged cells: leave it alone
        grid = table.find(_w("tblGrid"))
        columns = grid.findall(_w("gridCol")) if grid is not None else []
        empty = [i for i in range(len(rows[0])) if i > 0 and all(_text(r[i]) == DASH for r in rows[1:])]
        if not empty or len(columns) != len(rows[0]):
            continue
        freed = sum(int(columns[i].get(_w("w"), "0")) for i in empty)
        first = columns[0]
        first.set(_w("w"), str(int(first.get(_w("w"), "0")) + freed))
        for row in rows:
            width = row[0].find(f"{_w('tcPr')}/{_w('tcW')}")
            if width is not None:
                width.set(_w("w"), str(int(width.get(_w("w"), "0")) + freed))
        for i in reversed(empty):
            grid.remove(columns[i])  # type: ignore[union-attr]
            for row in rows:
                row[i].getparent().remove(row[i])
        dropped += len(empty)
    return dropped
