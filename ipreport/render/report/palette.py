"""What the report's charts and tables share: one colour per status, and the charts' widths on the page.

Kept apart from charts.py so that a report without charts (its tables shade cells in these colours,
its context sizes the pictures) does not import the chart drawing module.
"""

from __future__ import annotations

from ipreport.model import Status

# One colour per status, shared with the tables (context/docx) so a reader learns them once.
STATUS_COLORS: dict[Status, str] = {
    Status.ACHIEVED: "#2E7D32",  # green
    Status.AHEAD: "#7CB342",  # light green
    Status.ON_TRACK: "#00897B",  # teal
    Status.ACCELERATE: "#F9A825",  # amber
    Status.BEHIND: "#EF6C00",  # orange
    Status.REGRESSING: "#D32F2F",  # red
    Status.MISSED: "#B71C1C",  # dark red
    Status.NO_DATA: "#9E9E9E",  # grey
    Status.INSUFFICIENT_DATA: "#BDBDBD",  # light grey
    Status.DONE: "#2E7D32",
    Status.IN_PROGRESS: "#1E88E5",  # blue
    Status.NOT_STARTED: "#757575",
    Status.OVERDUE: "#D32F2F",
    Status.ONGOING: "#00897B",
}


def _tint(color: str, strength: float) -> str:
    """``color`` mixed with white: strength 1 keeps it, 0 gives white."""
    channels = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * strength):02X}" for c in channels)


# Pale versions of STATUS_COLORS for shading table cells that hold black text.
STATUS_TINTS: dict[Status, str] = {status: _tint(color, 0.3) for status, color in STATUS_COLORS.items()}

ATTAINMENT_WIDTH_MM = 156.0  # A4 minus 28 + 26 mm margins (GB/T 9704)
TREND_WIDTH_MM = 100.0
