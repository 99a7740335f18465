"""Report charts (attainment bars and trend lines) as reproducible PNGs; matplotlib is an optional extra."""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipreport.model import Assessment, Kind, TargetAssessment
from ipreport.render.formatting import MINUS, decimals_of
from ipreport.render.labels import TARGET_STATUS_ORDER, status_label
from ipreport.render.report.numerals import attainment_text
from ipreport.render.report.palette import (  # noqa: F401 - charts' names for their users
    ATTAINMENT_WIDTH_MM,
    STATUS_COLORS,
    STATUS_TINTS,
    TREND_WIDTH_MM,
)

if TYPE_CHECKING:  # only for hints; matplotlib is imported lazily so the report works without it
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 200
TREND_HEIGHT_MM = 56.0
MAX_CHART_HEIGHT_MM = 220.0  # stays on one page of type area (297 − 37 − 35 mm)
CLIP_PERCENT = 300.0  # longer bars are cut here and their value printed inside the bar
MM_PER_INCH = 25.4

# Text every Chinese chart needs; a font lacking any of these would draw boxes.
GLYPH_PROBE = "中文知识产权完成率目标年万件亿元（）"


@dataclass(frozen=True)
class _FontCandidate:
    """A kind of CJK font: how its family names and its file names look, lower-cased."""

    label: str
    names: tuple[str, ...]
    files: tuple[str, ...]


# Order of preference: sans-serif Simplified Chinese faces first (charts read best in 黑体),
# then other sans-serif CJK fonts, then serif and 仿宋 faces.
FONT_CANDIDATES: tuple[_FontCandidate, ...] = (
    _FontCandidate("Noto Sans CJK SC", ("noto sans cjk sc",), ()),
    _FontCandidate(
        "Source Han Sans SC",
        ("source han sans sc", "source han sans cn", "思源黑体"),
        ("sourcehansanssc", "sourcehansanscn"),
    ),
    _FontCandidate(
        "Noto Sans CJK / Source Han Sans",
        ("noto sans cjk", "source han sans"),
        ("notosanscjk", "sourcehansans"),
    ),
    _FontCandidate("Microsoft YaHei", ("microsoft yahei", "微软雅黑"), ("msyh",)),
    _FontCandidate("SimHei", ("simhei", "黑体"), ("simhei",)),
    _FontCandidate("WenQuanYi", ("wenquanyi", "文泉驿", "wqy"), ("wqy",)),
    _FontCandidate("Noto Serif CJK SC", ("noto serif cjk sc",), ()),
    _FontCandidate(
        "Source Han Serif SC",
        ("source han serif sc", "source han serif cn", "思源宋体"),
        ("sourcehanserifsc", "sourcehanserifcn"),
    ),
    _FontCandidate(
        "Noto Serif CJK / Source Han Serif",
        ("noto serif cjk", "source han serif"),
        ("notoserifcjk", "sourcehanserif"),
    ),
    _FontCandidate("SimSun", ("simsun", "nsimsun", "宋体"), ("simsun",)),
    _FontCandidate("FangSong", ("fangsong", "仿宋"), ("simfang", "fangsong")),
    _FontCandidate("AR PL", ("ar pl",), ("uming", "ukai", "gkai", "gbsn")),
)


@dataclass(frozen=True)
class CjkFont:
    """A font matplotlib knows that draws Chinese: its family name, file and face in a collection."""

    name: str
    path: str
    index: int = 0


class ChartsUnavailableError(RuntimeError):
    """Charts were asked for although ``charts_available()`` says they cannot be drawn."""


_REASONS = {
    "no_matplotlib": (
        "未安装 matplotlib，报告不含图表（可运行 pip install 'ipreport[charts]' 安装）。",
        "matplotlib is not installed, so the report has no charts (install it with "
        "pip install 'ipreport[charts]').",
    ),
    "no_font": (
        "未找到能显示中文的字体（如 Noto Sans CJK、思源黑体、文泉驿、黑体、宋体），报告不含图表。",
        "No font that draws Chinese (such as Noto Sans CJK, Source Han Sans, WenQuanYi, SimHei or "
        "SimSun) was found, so the report has no charts.",
    ),
}


def _reason(key: str, lang: str) -> str:
    return _REASONS[key][1 if lang == "en" else 0]


def _has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def charts_available(lang: str = "zh") -> tuple[bool, str]:
    """Whether charts can be drawn; if not, one sentence in ``lang`` saying why."""
    if not _has_matplotlib():
        return False, _reason("no_matplotlib", lang)
    if find_cjk_font() is None:
        return False, _reason("no_font", lang)
    return True, ""


def has_glyphs(path: str, index: int = 0, text: str = GLYPH_PROBE) -> bool:
    """Whether the font face at ``path`` maps every character of ``text`` to a glyph."""
    try:
        stat = os.stat(path)
    except OSError:
        return False
    key = (path, index, text, stat.st_mtime_ns, stat.st_size)
    found = _GLYPH_VERDICTS.get(key)
    if found is None:
        found = _GLYPH_VERDICTS[key] = _opens_with_glyphs(path, index, text)
    return found


# Verdicts on font files, per process: every chart looks for its font, and opening a CJK font file
# (tens of MB) to probe it took a few ms per chart, 40 charts per report.
_GLYPH_VERDICTS: dict[tuple[str, int, str, int, int], bool] = {}


def _opens_with_glyphs(path: str, index: int, text: str) -> bool:
    from matplotlib import ft2font

    try:
        try:
            face = ft2font.FT2Font(path, face_index=index)
        except TypeError:  # matplotlib before 3.10 reads only the first face of a collection
            face = ft2font.FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(face.get_char_index(ord(char)) != 0 for char in text)


def _matches(candidate: _FontCandidate, name: str, path: str) -> bool:
    lowered_name = name.lower()
    file_name = Path(path).name.lower().replace("-", "").replace("_", "")
    return any(pattern in lowered_name for pattern in candidate.names) or any(
        pattern in file_name for pattern in candidate.files
    )


def pick_font(entries: Iterable[tuple[str, str, int, int]], check: Any = has_glyphs) -> CjkFont | None:
    """The preferred CJK font among (family name, file, face index, weight) ``entries``.

    Candidates are tried in FONT_CANDIDATES order; within one, regular weights come first and
    ties are broken by name and file so the choice never depends on the font cache's order.
    A face is taken only when ``check(path, index)`` confirms it has Chinese glyphs.
    """
    entries = list(entries)
    verdicts: dict[tuple[str, int], bool] = {}  # a face matching several candidates is opened once
    for candidate in FONT_CANDIDATES:
        matching = [e for e in entries if _matches(candidate, e[0], e[1])]
        matching.sort(key=lambda e: (abs(e[3] - 400), e[0], e[1], e[2]))
        for name, path, index, _weight in matching:
            if (path, index) not in verdicts:
                verdicts[path, index] = bool(check(path, index))
            if verdicts[path, index]:
                return CjkFont(name=name, path=path, index=index)
    return None


def _weight(value: object) -> int:
    if isinstance(value, int):
        return value
    return {"light": 300, "normal": 400, "regular": 400, "medium": 500, "bold": 700}.get(str(value), 400)


def _known_entries() -> list[tuple[str, str, int, int]]:
    from matplotlib import font_manager

    return [
        (entry.name, entry.fname, getattr(entry, "index", 0), _weight(entry.weight))
        for entry in font_manager.fontManager.ttflist
    ]


def _register_unlisted_fonts() -> bool:
    """Add CJK font files installed after matplotlib built its font cache; True if any was added."""
    from matplotlib import font_manager

    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    added = False
    for path in sorted(font_manager.findSystemFonts()):
        if path in known or not any(_matches(c, "", path) for c in FONT_CANDIDATES):
            continue
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue  # an unreadable font file is simply not a candidate
        added = True
    return added


def find_cjk_font() -> CjkFont | None:
    """A registered font that draws Chinese, registering newly installed font files if needed."""
    if not _has_matplotlib():
        return None
    found = pick_font(_known_entries())
    if found is None and _register_unlisted_fonts():
        found = pick_font(_known_entries())
    return found


@contextmanager
def _chart_style(font: CjkFont) -> Iterator[None]:
    """matplotlib settings for one chart, scoped so the caller's rcParams stay untouched."""
    import matplotlib

    settings: dict[Any, Any] = {
        # DejaVu Sans (bundled with matplotlib) covers the odd symbol a CJK font lacks.
        "font.family": [font.name, "DejaVu Sans"],
        "font.size": 8,
        "axes.unicode_minus": False,
        "svg.hashsalt": "ipreport",
        "path.simplify": False,
    }
    with matplotlib.rc_context(settings):
        yield


def _require_font() -> CjkFont:
    ok, reason = charts_available("en")
    font = find_cjk_font() if ok else None
    if font is None:
        raise ChartsUnavailableError(reason)
    return font


def _new_figure(width_mm: float, height_mm: float) -> Figure:
    """The process's one chart figure, emptied and sized: creating a Figure and its canvas for each of
    a report's 40 charts cost more than clearing one.

    No layout engine: constrained layout measured every text twice per chart and made savefig draw
    twice (a dry run for the layout, then the picture), about two thirds of a chart's time. The
    margins are set instead from what each chart holds (see _place).
    """
    global _FIGURE
    if _FIGURE is None:
        # A bare Figure on the Agg canvas: no pyplot, so no global figure registry or backend switch.
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        _FIGURE = Figure(dpi=DPI, layout=None)
        FigureCanvasAgg(_FIGURE)
    _FIGURE.clear()
    _FIGURE.set_size_inches(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH)
    return _FIGURE


_FIGURE: Figure | None = None


def _place(figure: Figure, *, left: float, right: float, top: float, bottom: float) -> None:
    """The axes' margins in mm from the figure's edges."""
    width, height = (size * MM_PER_INCH for size in figure.get_size_inches())
    figure.subplots_adjust(
        left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height
    )


# Text widths for the margins, in mm per display column (a CJK character is two): about half an em.
MM_PER_COLUMN_8PT = 8 * 0.3528 / 2
MM_PER_COLUMN_7PT = 7 * 0.3528 / 2 * 1.1  # digits are a little wider than half an em


def _save(figure: Figure, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    # No Software/date chunks: the same input gives the same bytes.
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out


# ----------------------------------------------------------------------------------------------
# Text helpers


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _tokens(text: str) -> list[str]:
    """Latin words and numbers stay whole; every other character may be broken after."""
    return re.findall(r"[A-Za-z0-9.%/+\-]+|\s+|.", text)


# A last line this narrow (two Chinese characters) is a scrap: the label is rebalanced instead.
SCRAP_COLUMNS = 4


def wrap_label(text: str, width: int = 24, lines: int = 2) -> str:
    """``text`` wrapped to ``lines`` lines of ``width`` display columns (a CJK character is 2).

    A name whose last line would hold a scrap ("国内发明专利平均维持年\n限") is broken into lines of
    even length instead ("国内发明专利\n平均维持年限"); what does not fit ends in "…" so a reader sees
    the name was shortened.
    """
    filled = _greedy_wrap(text, width, lines)
    total = _display_width(text)
    # The part of the name on the last line, before a bracketed year: "限", or "业" of "业（2017年）".
    last = _display_width(filled.rsplit("\n", 1)[-1].split("（")[0])
    if "\n" not in filled or "…" in filled or not 0 < last <= SCRAP_COLUMNS:
        return filled
    # A bracketed year goes to a line of its own rather than splitting the name before it.
    name, bracket, rest = text.partition("（")
    if bracket and _display_width(name) <= width and _display_width(bracket + rest) <= width:
        return f"{name}\n{bracket}{rest}"
    # The narrowest width that still takes no more lines gives the most even lines.
    for narrower in range(-(-total // lines), width):
        balanced = _greedy_wrap(text, narrower, lines)
        if "…" not in balanced and balanced.count("\n") <= filled.count("\n"):
            return balanced
    return filled


def _greedy_wrap(text: str, width: int, lines: int) -> str:
    """Fill each line as far as ``width`` allows; the last of ``lines`` ends in "…" if text is left."""
    rows: list[str] = []
    current = ""
    tokens = _tokens(text)
    for position, token in enumerate(tokens):
        if _display_width(current + token) <= width or not current:
            current += token
            continue
        rows.append(current.rstrip())
        current = token.lstrip()
        if len(rows) == lines:
            rows[-1] = _ellipsize(rows[-1] + "".join(tokens[position:]), width)
            return "\n".join(rows)
    rows.append(current)
    if len(rows) > lines:
        rows = rows[: lines - 1] + [_ellipsize("".join(rows[lines - 1 :]), width)]
    return "\n".join(row for row in rows if row)


def _ellipsize(text: str, width: int) -> str:
    if _display_width(text) <= width:
        return text
    while text and _display_width(text) > width - 2:
        text = text[:-1]
    return text.rstrip() + "…"


def _plain(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros, thousands separated from 10000 on."""
    normal = value.normalize()
    if normal == normal.to_integral_value():
        normal = normal.quantize(Decimal(1))
    return format(normal, ",f" if abs(normal) >= 10000 else "f").replace("-", MINUS)


def _as_observed(value: Decimal, row: TargetAssessment) -> Decimal:
    """A derived target (a rate's implied level, 4.513775) in the decimals the values are written in."""
    target = row.target
    bounds = (target.value, target.min, target.max)
    stated = [p.value for p in row.series] + [v for v in bounds if v is not None]
    if not stated:
        return value
    decimals = min(4, max(decimals_of(v.normalize()) for v in stated))
    return value.quantize(Decimal(1).scaleb(-decimals))


def _row_label(row: TargetAssessment, lang: str, with_year: bool) -> str:
    name = row.target.name
    if with_year or row.interim:
        name += f"（{row.target_year}年）" if lang == "zh" else f" ({row.target_year})"
    return name


# ----------------------------------------------------------------------------------------------
# Attainment chart


def chartable(rows: Iterable[TargetAssessment]) -> list[TargetAssessment]:
    """The quantified rows that have an attainment to draw."""
    return [
        row
        for row in rows
        if row.target.kind is not Kind.MILESTONE
        and row.attainment is not None
        and math.isfinite(row.attainment)
    ]


MIN_ATTAINMENT_BARS = 2


def _attainment_height_mm(count: int) -> tuple[float, int]:
    """Figure height and how many lines a label may take, for ``count`` bars."""
    frame = 30.0  # axis, tick labels and legend
    row_height = min(9.0, (MAX_CHART_HEIGHT_MM - frame) / max(count, 1))
    row_height = max(row_height, 3.6)  # one line of 8 pt text; beyond ~50 bars the chart outgrows a page
    return frame + row_height * count, 2 if row_height >= 7.5 else 1


def _tick_step(limit: float) -> float:
    return 25.0 if limit <= 150 else 50.0 if limit <= 300 else 100.0


def attainment_chart(rows: Sequence[TargetAssessment], out: Path, *, lang: str = "zh") -> Path:
    """Horizontal bars of attainment per quantified target, coloured by status, written to ``out``."""
    font = _require_font()
    drawn = chartable(rows)
    if not drawn:
        raise ValueError("no quantified target with an attainment to chart")
    names = [row.target.name for row in drawn]
    height_mm, label_lines = _attainment_height_mm(len(drawn))
    label_width = 22 if label_lines == 2 else 30  # a single line may run longer before it is cut
    labels = [
        wrap_label(_row_label(row, lang, names.count(row.target.name) > 1), label_width, label_lines)
        for row in drawn
    ]
    percents = [row.attainment * 100 for row in drawn if row.attainment is not None]
    with _chart_style(font):
        figure = _new_figure(ATTAINMENT_WIDTH_MM, height_mm)
        axes = figure.add_subplot()
        reach = max(100.0, min(max(percents), CLIP_PERCENT))
        limit = reach * 1.16  # room for the value printed after the longest bar
        positions = list(range(len(drawn)))
        lengths = [min(max(p, 0.0), CLIP_PERCENT) for p in percents]
        colors = [STATUS_COLORS[row.status] for row in drawn]
        axes.barh(positions, lengths, height=0.62, color=colors, zorder=2)
        texts = [attainment_text(row.attainment, lang) for row in drawn]
        _print_values(axes, positions, percents, texts, limit)
        axes.axvline(100, color="#212121", linestyle=(0, (4, 2)), linewidth=1.0, zorder=3)
        # The note sits above the plot area, where the dashed line has ended: nothing runs through it.
        axes.annotate(
            "目标 100%" if lang == "zh" else "target 100%",
            xy=(100, 1.0),
            xycoords=axes.get_xaxis_transform(),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=7,
            color="#212121",
            annotation_clip=False,
        )
        axes.set_yticks(positions, labels)
        axes.set_ylim(len(drawn) - 0.5, -0.5)  # first row on top
        axes.set_xlim(0, limit)
        _percent_axis(axes, limit)
        axes.set_xlabel("完成率" if lang == "zh" else "Attainment")
        axes.tick_params(axis="y", length=0, labelsize=8)
        axes.grid(axis="x", color="#E0E0E0", linewidth=0.6, zorder=0)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        legend_rows = _status_legend(figure, drawn, lang)
        columns = max(_display_width(line) for label in labels for line in label.split("\n"))
        # Below the bars: tick labels and the axis title (12 mm), then the legend's rows.
        bottom = 12.0 + 4.5 * legend_rows
        _place(figure, left=columns * MM_PER_COLUMN_8PT + 3.0, right=3.0, top=6.0, bottom=bottom)
        return _save(figure, out)


def _print_values(
    axes: Axes, positions: list[int], percents: list[float], texts: list[str], limit: float
) -> None:
    # Each label reads as the table's 完成率 cell (attainment_text): the same figure, the same decimals.
    for position, percent, text in zip(positions, percents, texts, strict=True):
        if percent > CLIP_PERCENT:
            # The bar is cut: a break mark near its end and the true value inside it, in white.
            _break_mark(axes, CLIP_PERCENT - limit * 0.16, position, limit)
            axes.text(
                CLIP_PERCENT - limit * 0.01,
                position,
                text + " ›",
                ha="right",
                va="center",
                fontsize=7,
                color="white",
                fontweight="bold",
                zorder=4,
            )
        else:
            # A white backing keeps the figure readable where it crosses the 100 % line.
            axes.text(
                max(percent, 0.0) + limit * 0.01,
                position,
                text,
                ha="left",
                va="center",
                fontsize=7,
                color="#212121",
                zorder=4,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
            )


def _break_mark(axes: Axes, x: float, position: float, limit: float) -> None:
    """Two white slashes across a bar, the usual sign that the bar is longer than drawn."""
    slant = limit * 0.006
    for offset in (-limit * 0.006, limit * 0.006):
        axes.plot(
            [x + offset - slant, x + offset + slant],
            [position + 0.36, position - 0.36],
            color="white",
            linewidth=1.6,
            solid_capstyle="butt",
            zorder=3,
        )


def _percent_axis(axes: Axes, limit: float) -> None:
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    axes.xaxis.set_major_locator(MultipleLocator(_tick_step(min(limit, CLIP_PERCENT))))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:.0f}%"))


# Legend order: from good to bad, then the grey "no figures" statuses.
LEGEND_ORDER = TARGET_STATUS_ORDER


def legend_entries(rows: Sequence[TargetAssessment], lang: str = "zh") -> list[tuple[str, str]]:
    """(label, colour) per colour shown, good to bad; 提前实现 and 已实现 share one green entry."""
    rank = {status: index for index, status in enumerate(LEGEND_ORDER)}
    ordered = sorted(rows, key=lambda r: (rank.get(r.status, len(rank)), not r.achieved_early))
    by_color: dict[str, list[str]] = {}
    for row in ordered:
        labels = by_color.setdefault(STATUS_COLORS[row.status], [])
        label = status_label(row.status, lang, early=row.achieved_early)
        if label not in labels:
            labels.append(label)
    separator = "、" if lang == "zh" else " / "
    return [(separator.join(labels), color) for color, labels in by_color.items()]


def _row_major(items: list[Any], columns: int) -> list[Any]:
    """Reorder so a legend, which matplotlib fills column by column, reads row by row."""
    rows = math.ceil(len(items) / columns)
    grid = [items[r * columns : (r + 1) * columns] for r in range(rows)]
    return [grid[r][c] for c in range(columns) for r in range(rows) if c < len(grid[r])]


def _status_legend(figure: Figure, rows: Sequence[TargetAssessment], lang: str) -> int:
    """The status legend at the foot of the figure; returns how many rows it takes."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=color, label=label) for label, color in legend_entries(rows, lang)]
    columns = min(len(handles), 4 if lang == "en" else 5)
    figure.legend(
        handles=_row_major(handles, columns),
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=columns,
        frameon=False,
        fontsize=7.5,
        handlelength=1.2,
        handleheight=0.9,
        columnspacing=1.2,
    )
    return math.ceil(len(handles) / columns)


# ----------------------------------------------------------------------------------------------
# Trend chart


def has_trend(row: TargetAssessment) -> bool:
    """Whether ``row`` has the two or more values a trend line needs."""
    return row.target.kind is not Kind.MILESTONE and len({p.year for p in row.series}) >= 2


def trend_chart(row: TargetAssessment, out: Path, *, lang: str = "zh") -> Path:
    """A small line chart of ``row.series`` with the target as a dashed line at its target year."""
    font = _require_font()
    if not has_trend(row):
        raise ValueError(f"target {row.target.id} has fewer than two values to chart")
    points = sorted(row.series, key=lambda p: p.year)
    years = [p.year for p in points]
    values = [float(p.value) for p in points]
    color = STATUS_COLORS[row.status]
    with _chart_style(font):
        figure = _new_figure(TREND_WIDTH_MM, TREND_HEIGHT_MM)
        axes = figure.add_subplot()
        axes.plot(
            years, values, color=color, marker="o", markersize=3.5, linewidth=1.6, zorder=3, clip_on=False
        )
        for point in points:
            axes.annotate(
                _plain(point.value),
                (point.year, float(point.value)),
                textcoords="offset points",
                xytext=(0, 5),
                ha="center",
                va="bottom",
                fontsize=7,
                color="#212121",
                zorder=5,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
            )
        last_year = max(years[-1], row.target_year or years[-1])
        _draw_target(axes, row, years[0], last_year, lang)
        axes.set_xlim(years[0] - 0.5, last_year + 0.5)
        axes.set_xticks(_year_ticks(years[0], last_year))
        axes.margins(y=0.22)
        low, _high = axes.get_ylim()
        if low < 0 <= min(values):
            axes.set_ylim(bottom=0)  # a count never goes below zero; no axis should suggest it
        axes.yaxis.set_major_formatter(_number_formatter())
        # The unit goes in the title: a rotated Chinese axis label reads badly ("个" turns into "<").
        unit = f"（{row.target.unit}）" if lang == "zh" else f" ({row.target.unit})"
        title = wrap_label(row.target.name, 40, 1) + (unit if row.target.unit else "")
        axes.set_title(title, fontsize=8.5, loc="left")
        axes.tick_params(labelsize=7)
        axes.grid(axis="y", color="#E0E0E0", linewidth=0.6, zorder=0)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        # The widest value on the value axis sets the left margin (the ticks are known once the
        # limits are: no drawing needed).
        low, high = axes.get_ylim()
        formatter = axes.yaxis.get_major_formatter()
        ticks = [t for t in axes.yaxis.get_major_locator()() if low <= t <= high]
        widest = max((len(formatter(t, 0)) for t in ticks), default=1)
        _place(figure, left=widest * MM_PER_COLUMN_7PT + 4.0, right=4.0, top=7.0, bottom=6.0)
        return _save(figure, out)


def _draw_target(axes: Axes, row: TargetAssessment, first_year: int, last_year: int, lang: str) -> None:
    """The target in force: a dashed level with its value, a hollow marker at its year."""
    target = row.target
    if target.kind is Kind.RANGE and target.min is not None and target.max is not None:
        axes.axhspan(float(target.min), float(target.max), color="#9E9E9E", alpha=0.15, zorder=1, linewidth=0)
    value = row.target_value
    if target.kind is Kind.GROWTH and value is None:
        _draw_growth_path(axes, row, lang)
        return
    if value is None or not row.target_year:
        return
    axes.hlines(
        float(value),
        first_year - 0.5,
        last_year + 0.5,
        colors="#424242",
        linestyles=(0, (4, 2)),
        linewidth=1.0,
        zorder=2,
    )
    axes.plot(
        [row.target_year],
        [float(value)],
        marker="D",
        markersize=4.5,
        markerfacecolor="white",
        markeredgecolor="#424242",
        linestyle="none",
        zorder=4,
    )
    shown = _plain(_as_observed(value, row))
    if target.kind is Kind.RANGE and target.min is not None and target.max is not None:
        shown = f"{_plain(target.min)}–{_plain(target.max)}"
    text = f"目标 {shown}（{row.target_year}年）" if lang == "zh" else f"target {shown} ({row.target_year})"
    axes.annotate(
        text,
        (row.target_year, float(value)),
        textcoords="offset points",
        xytext=(-6, -4),
        ha="right",
        va="top",
        fontsize=7,
        color="#424242",
        zorder=4,
    )


def _draw_growth_path(axes: Axes, row: TargetAssessment, lang: str) -> None:
    """A growth target has no single value: draw the path the yearly rate asks for from the baseline."""
    rate, start = row.target.rate, row.baseline
    if rate is None or start is None or row.target_year <= start.year:
        return
    years = list(range(start.year, row.target_year + 1))
    values = [float(start.value) * (1 + float(rate)) ** (year - start.year) for year in years]
    axes.plot(years, values, color="#424242", linestyle=(0, (4, 2)), linewidth=1.0, zorder=2)
    axes.plot(
        [years[-1]],
        [values[-1]],
        marker="D",
        markersize=4.5,
        markerfacecolor="white",
        markeredgecolor="#424242",
        linestyle="none",
        zorder=4,
    )
    percent = _plain(rate * 100)
    text = (
        f"目标 年均增长{percent}%（{row.target_year}年）"
        if lang == "zh"
        else f"target +{percent}% a year ({row.target_year})"
    )
    axes.annotate(
        text,
        (years[-1], values[-1]),
        textcoords="offset points",
        xytext=(-6, 4),
        ha="right",
        va="bottom",
        fontsize=7,
        color="#424242",
        zorder=4,
    )


def _number_formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    def shown(value: float, _position: int) -> str:
        return _plain(Decimal(repr(round(float(value), 6))))

    return FuncFormatter(shown)


def _year_ticks(first: int, last: int) -> list[int]:
    step = max(1, math.ceil((last - first + 1) / 8))
    return list(range(first, last + 1, step))


# ----------------------------------------------------------------------------------------------
# Every chart of a report


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text) or "_"


def chart_rows(assessment: Assessment) -> Iterator[tuple[str, TargetAssessment | list[TargetAssessment]]]:
    """Every chart of the report in order, by key: the attainment chart's rows, then each trend's row.

    The attainment chart needs two bars at least: one bar says no more than the sentence beside it.
    """
    overall = [row for row in assessment.rows if not row.interim]
    if len(chartable(overall)) >= MIN_ATTAINMENT_BARS:
        yield "attainment", overall
    for part in assessment.plans:
        latest_row: dict[str, TargetAssessment] = {}
        for row in part.rows:
            if not row.interim or row.target.id not in latest_row:
                latest_row[row.target.id] = row
        for target_id, row in latest_row.items():
            if has_trend(row):
                yield f"trend:{part.plan.id}:{target_id}", row



def render_charts(assessment: Assessment, folder: Path, *, lang: str = "zh") -> dict[str, Path]:
    """Every chart of the report: "attainment" and "trend:<plan_id>:<target_id>", skipping empty ones.

    The attainment chart needs two bars at least: one bar says no more than the sentence beside it.
    """
    charts: dict[str, Path] = {}
    for key, rows in chart_rows(assessment):
        if isinstance(rows, list):
            charts[key] = attainment_chart(rows, folder / "attainment.png", lang=lang)
        else:
            _, plan_id, target_id = key.split(":", 2)
            out = folder / f"trend-{_safe(plan_id)}-{_safe(target_id)}.png"
            charts[key] = trend_chart(rows, out, lang=lang)
    return charts
