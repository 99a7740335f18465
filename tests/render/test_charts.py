"""Tests for ipreport.render.report.charts: availability, font choice, the PNGs and their reproducibility."""

from __future__ import annotations

import struct
import sys
import warnings
from decimal import Decimal
from pathlib import Path

import matplotlib
import pytest
from report_fixtures import sample_assessment

from ipreport.model import Kind, Point, Status, Target, TargetAssessment
from ipreport.render.report import charts

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
QUANTIFIED_STATUSES = (
    Status.ACHIEVED,
    Status.AHEAD,
    Status.ON_TRACK,
    Status.ACCELERATE,
    Status.BEHIND,
    Status.REGRESSING,
    Status.MISSED,
    Status.INSUFFICIENT_DATA,
)
LONG_NAME = "规模以上工业企业中开展知识产权贯标并通过认证的企业数量占全部规模以上工业企业的比重"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def px(mm: float) -> int:
    return int(mm / 25.4 * charts.DPI)  # matplotlib truncates the pixel size


def row(
    name: str,
    status: Status,
    attainment: float | None,
    *,
    ident: str | None = None,
    series: tuple[Point, ...] = (),
    target_value: str | None = "100",
    kind: Kind = Kind.LEVEL,
    interim: bool = False,
    target_year: int = 2025,
) -> TargetAssessment:
    target = Target(id=ident or name, name=name, kind=kind, unit="件", year=2025)
    return TargetAssessment(
        target=target,
        status=status,
        attainment=attainment,
        series=series,
        target_value=None if target_value is None else Decimal(target_value),
        target_year=target_year,
        interim=interim,
        latest=series[-1] if series else None,
    )


@pytest.fixture()
def strict_glyphs():
    """Turn matplotlib's "Glyph ... missing from font" warning (a box in the PNG) into a failure."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        yield


# ---------------------------------------------------------------------------- availability


def test_available_on_this_machine() -> None:
    assert charts.charts_available() == (True, "")


def test_missing_matplotlib_is_reported_in_chinese_and_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` raise ImportError
    assert charts.charts_available() == (
        False,
        "未安装 matplotlib，报告不含图表（可运行 pip install 'ipreport[charts]' 安装）。",
    )
    assert charts.charts_available("en") == (
        False,
        "matplotlib is not installed, so the report has no charts (install it with "
        "pip install 'ipreport[charts]').",
    )
    assert charts.find_cjk_font() is None


def test_missing_cjk_font_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    dejavu = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")
    monkeypatch.setattr(charts, "_known_entries", lambda: [("DejaVu Sans", dejavu, 0, 400)])
    monkeypatch.setattr(charts, "_register_unlisted_fonts", lambda: False)
    assert charts.charts_available() == (
        False,
        "未找到能显示中文的字体（如 Noto Sans CJK、思源黑体、文泉驿、黑体、宋体），报告不含图表。",
    )
    assert charts.charts_available("en") == (
        False,
        "No font that draws Chinese (such as Noto Sans CJK, Source Han Sans, WenQuanYi, SimHei or "
        "SimSun) was found, so the report has no charts.",
    )


def test_drawing_without_font_raises_with_the_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    with pytest.raises(charts.ChartsUnavailableError, match="No font that draws Chinese"):
        charts.attainment_chart([row("专利申请量", Status.AHEAD, 0.9)], tmp_path / "a.png")
    assert not (tmp_path / "a.png").exists()


# ---------------------------------------------------------------------------- font lookup


def test_glyph_check_tells_latin_from_cjk_fonts() -> None:
    dejavu = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")
    assert charts.has_glyphs(dejavu) is False
    assert charts.has_glyphs(dejavu, text="Abc") is True
    found = charts.find_cjk_font()
    assert found is not None  # CI installs fonts-noto-cjk
    assert charts.has_glyphs(found.path, found.index) is True
    assert charts.has_glyphs("/nonexistent/font.ttf") is False


def test_pick_font_prefers_simplified_chinese_sans_regular() -> None:
    entries = [
        ("WenQuanYi Zen Hei", "/f/wqy-zenhei.ttc", 0, 400),
        ("Noto Serif CJK SC", "/f/NotoSerifCJK-Regular.ttc", 2, 400),
        ("Noto Sans CJK JP", "/f/NotoSansCJK-Regular.ttc", 0, 400),
        ("Noto Sans CJK SC", "/f/NotoSansCJK-Bold.ttc", 2, 700),
        ("Noto Sans CJK SC", "/f/NotoSansCJK-Regular.ttc", 2, 400),
        ("DejaVu Sans", "/f/DejaVuSans.ttf", 0, 400),
    ]
    always = lambda path, index: True  # noqa: E731
    assert charts.pick_font(entries, always) == charts.CjkFont(
        "Noto Sans CJK SC", "/f/NotoSansCJK-Regular.ttc", 2
    )
    assert charts.pick_font(reversed(entries), always) == charts.pick_font(entries, always)


def test_pick_font_skips_faces_without_chinese_glyphs() -> None:
    entries = [
        ("Noto Sans CJK SC", "/f/broken.otf", 0, 400),
        ("SimSun", "/f/simsun.ttc", 0, 400),
        ("WenQuanYi Micro Hei", "/f/wqy-microhei.ttc", 0, 400),
    ]
    checked: list[str] = []

    def check(path: str, index: int) -> bool:
        checked.append(path)
        return path != "/f/broken.otf"

    assert charts.pick_font(entries, check) == charts.CjkFont("WenQuanYi Micro Hei", "/f/wqy-microhei.ttc", 0)
    assert checked == ["/f/broken.otf", "/f/wqy-microhei.ttc"]
    assert charts.pick_font(entries[:1], check) is None


def test_pick_font_matches_windows_file_names() -> None:
    entries = [
        ("Some Localised Name", "C:/Windows/Fonts/msyh.ttc", 0, 400),
        ("Arial", "/f/arial.ttf", 0, 400),
    ]
    picked = charts.pick_font(entries, lambda path, index: True)
    assert picked == charts.CjkFont("Some Localised Name", "C:/Windows/Fonts/msyh.ttc", 0)


# ---------------------------------------------------------------------------- colours and labels


def test_every_status_has_a_colour_and_a_paler_tint() -> None:
    assert set(charts.STATUS_COLORS) == set(Status)
    assert set(charts.STATUS_TINTS) == set(Status)
    for color in [*charts.STATUS_COLORS.values(), *charts.STATUS_TINTS.values()]:
        assert len(color) == 7 and color.startswith("#")
        int(color[1:], 16)
    assert charts.STATUS_TINTS[Status.ACHIEVED] == "#C0D8C2"
    assert charts.STATUS_COLORS[Status.ACHIEVED] != charts.STATUS_COLORS[Status.MISSED]


def test_wrap_label_breaks_chinese_and_keeps_latin_words_whole() -> None:
    assert charts.wrap_label("专利申请量") == "专利申请量"
    assert charts.wrap_label("每万人口高价值发明专利拥有量", 22) == "每万人口高价值发明专利\n拥有量"
    assert charts.wrap_label(LONG_NAME, 22) == "规模以上工业企业中开展\n知识产权贯标并通过认…"
    assert charts.wrap_label(LONG_NAME, 22, 1) == "规模以上工业企业中开…"
    assert charts.wrap_label("国际专利申请PCT申请量", 14) == "国际专利申请\nPCT申请量"


def test_wrap_label_leaves_no_scrap_of_a_name_on_the_last_line() -> None:
    # Filled greedily these read "国内发明专利平均维持年\n限" and "省级以上知识产权优势企\n业（2017年）".
    assert charts.wrap_label("国内发明专利平均维持年限", 22) == "国内发明专利\n平均维持年限"
    assert charts.wrap_label("省级以上知识产权优势企业（2017年）", 22) == "省级以上知识产权优\n势企业（2017年）"
    # A bracketed year that fits on its own line takes it.
    assert charts.wrap_label("中国驰名商标总数（2020年）", 22) == "中国驰名商标总数\n（2020年）"


def test_legend_merges_statuses_of_one_colour_good_to_bad() -> None:
    rows = [row(f"指标{s.value}", s, 0.5) for s in reversed(QUANTIFIED_STATUSES)]
    early = row("提前指标", Status.ACHIEVED, 1.2, series=(Point(2020, Decimal(1)), Point(2022, Decimal(2))))
    assert charts.legend_entries([*rows, early]) == [
        ("提前实现、已实现", "#2E7D32"),
        ("快于预期", "#7CB342"),
        ("基本符合预期", "#00897B"),
        ("需加快推进", "#F9A825"),
        ("滞后预期", "#EF6C00"),
        ("逆向变化", "#D32F2F"),
        ("未实现", "#B71C1C"),
        ("数据不足", "#BDBDBD"),
    ]
    assert charts.legend_entries(rows[-1:], "en") == [("achieved", "#2E7D32")]


def test_legend_is_reordered_to_read_row_by_row() -> None:
    assert charts._row_major(list(range(8)), 5) == [0, 5, 1, 6, 2, 7, 3, 4]
    assert charts._row_major(list(range(3)), 3) == [0, 1, 2]


# ---------------------------------------------------------------------------- attainment chart


def test_attainment_chart_is_a_png_of_page_width(tmp_path: Path, strict_glyphs: None) -> None:
    rows = [row(f"指标{index}", Status.ON_TRACK, 0.5 + index / 10) for index in range(6)]
    out = charts.attainment_chart(rows, tmp_path / "sub" / "attainment.png")
    assert out == tmp_path / "sub" / "attainment.png"
    height_mm, _lines = charts._attainment_height_mm(6)
    assert png_size(out) == (px(156), px(height_mm))


def test_attainment_chart_height_grows_with_rows_up_to_a_page(tmp_path: Path) -> None:
    heights = [charts._attainment_height_mm(count)[0] for count in (1, 10, 20, 50)]
    assert heights == sorted(heights)
    assert heights[-1] <= charts.MAX_CHART_HEIGHT_MM
    assert charts._attainment_height_mm(10) == (120.0, 2)
    assert charts._attainment_height_mm(30)[1] == 1  # crowded bars get one-line labels


def test_attainment_chart_is_byte_identical_when_drawn_twice(tmp_path: Path) -> None:
    rows = [row("每万人口发明专利拥有量", Status.ACHIEVED, 1.526), row("专利申请量", Status.MISSED, 0.897)]
    first = charts.attainment_chart(rows, tmp_path / "one.png")
    second = charts.attainment_chart(rows, tmp_path / "two.png")
    assert first.read_bytes() == second.read_bytes()
    assert b"Software" not in first.read_bytes()
    assert b"tIME" not in first.read_bytes()


def test_attainment_chart_with_every_status_long_name_and_clipped_bar(
    tmp_path: Path, strict_glyphs: None
) -> None:
    rows = [row(f"指标{index}", status, 0.4 + index / 5) for index, status in enumerate(QUANTIFIED_STATUSES)]
    rows.append(row(LONG_NAME, Status.BEHIND, 0.35))
    rows.append(row("远超目标的指标", Status.ACHIEVED, 4.5))  # beyond the 300 % clip
    rows.append(row("负值指标", Status.REGRESSING, -0.2))
    rows.append(row("无完成率", Status.NO_DATA, None))  # left out
    rows.append(row("任务", Status.DONE, 1.0, kind=Kind.MILESTONE))  # left out
    out = charts.attainment_chart(rows, tmp_path / "all.png", lang="en")
    height_mm, _lines = charts._attainment_height_mm(11)
    assert png_size(out) == (px(156), px(height_mm))


def test_attainment_chart_needs_something_to_draw(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no quantified target with an attainment to chart"):
        charts.attainment_chart([row("无完成率", Status.NO_DATA, None)], tmp_path / "none.png")


def test_same_name_twice_gets_its_year() -> None:
    final = row("专利申请量", Status.ON_TRACK, 0.8)
    interim = row("专利申请量", Status.MISSED, 0.9, interim=True, target_year=2022)
    assert charts._row_label(final, "zh", with_year=True) == "专利申请量（2025年）"
    assert charts._row_label(interim, "en", with_year=False) == "专利申请量 (2022)"
    assert charts._row_label(final, "zh", with_year=False) == "专利申请量"


def test_rcparams_are_left_as_they_were(tmp_path: Path) -> None:
    before = dict(matplotlib.rcParams)
    charts.attainment_chart([row("专利申请量", Status.AHEAD, 0.9)], tmp_path / "a.png")
    assert dict(matplotlib.rcParams) == before


# ---------------------------------------------------------------------------- trend chart


def series(*pairs: tuple[int, str]) -> tuple[Point, ...]:
    return tuple(Point(year, Decimal(value)) for year, value in pairs)


def test_trend_chart_size_and_reproducibility(tmp_path: Path, strict_glyphs: None) -> None:
    trend = row(
        "有效注册商标量", Status.BEHIND, 0.78, series=series((2021, "30"), (2022, "31")), target_value="40"
    )
    first = charts.trend_chart(trend, tmp_path / "t1.png")
    second = charts.trend_chart(trend, tmp_path / "t2.png")
    assert png_size(first) == (px(charts.TREND_WIDTH_MM), px(charts.TREND_HEIGHT_MM))
    assert first.read_bytes() == second.read_bytes()


def test_trend_chart_for_growth_range_and_large_values(tmp_path: Path, strict_glyphs: None) -> None:
    growth_target = Target(
        id="g", name="作品登记量", kind=Kind.GROWTH, unit="件", rate=Decimal("0.10"), year=2020
    )
    points = series((2016, "16500"), (2018, "18700"), (2020, "21000"))
    growth = TargetAssessment(
        target=growth_target, status=Status.MISSED, target_year=2020, baseline=points[0], series=points
    )
    range_target = Target(
        id="r",
        name="省级知识产权保护示范区",
        kind=Kind.RANGE,
        unit="个",
        min=Decimal(3),
        max=Decimal(5),
        year=2023,
    )
    zones = TargetAssessment(
        target=range_target,
        status=Status.AHEAD,
        target_value=Decimal(3),
        target_year=2023,
        series=series((2021, "0"), (2022, "2")),
    )
    for index, assessed in enumerate((growth, zones)):
        out = charts.trend_chart(assessed, tmp_path / f"{index}.png", lang="zh")
        assert png_size(out) == (px(charts.TREND_WIDTH_MM), px(charts.TREND_HEIGHT_MM))


def test_trend_chart_needs_two_years(tmp_path: Path) -> None:
    single = row("专利申请量", Status.INSUFFICIENT_DATA, 0.5, ident="apps", series=series((2022, "5")))
    assert charts.has_trend(single) is False
    with pytest.raises(ValueError, match="target apps has fewer than two values to chart"):
        charts.trend_chart(single, tmp_path / "t.png")


def test_plain_numbers() -> None:
    assert charts._plain(Decimal("6.410")) == "6.41"
    assert charts._plain(Decimal("2.4E+4")) == "24,000"
    assert charts._plain(Decimal("9999")) == "9999"
    assert charts._plain(Decimal("-0.5")) == "\u22120.5"


# ---------------------------------------------------------------------------- every chart


def test_render_charts_for_the_sample_report(tmp_path: Path, strict_glyphs: None) -> None:
    drawn = charts.render_charts(sample_assessment(), tmp_path / "charts")
    trend_keys = sorted(key for key in drawn if key.startswith("trend:"))
    assert "attainment" in drawn
    assert trend_keys == sorted(
        [
            "trend:jilin-2016-opinions:invention-patents-per-10k",
            "trend:jilin-2016-opinions:patent-applications",
            "trend:jilin-2016-opinions:copyright-registrations",
            "trend:jilin-2016-opinions:pledge-financing",
            "trend:jilin-2016-opinions:advantage-enterprises",
            "trend:jilin-2022-work-points:high-value-patents",
            "trend:jilin-2022-work-points:pct-applications",
            "trend:jilin-2022-work-points:valid-trademarks",
            "trend:jilin-2022-work-points:technology-contracts",
            "trend:jilin-2022-work-points:service-institutions",
            "trend:jilin-2022-work-points:protection-demo-zones",
            "trend:jilin-2022-work-points:ip-professionals",
        ]
    )
    assert (
        drawn["trend:jilin-2016-opinions:pledge-financing"].name
        == "trend-jilin-2016-opinions-pledge-financing.png"
    )
    for path in drawn.values():
        assert path.parent == tmp_path / "charts"
        assert path.read_bytes()[:8] == PNG_SIGNATURE


def test_render_charts_skips_what_has_nothing_to_draw(tmp_path: Path) -> None:
    assessment = sample_assessment()
    plans = tuple(
        type(part)(
            plan=part.plan, region=part.region, rows=tuple(r for r in part.rows if r.attainment is None)
        )
        for part in assessment.plans
    )
    bare = type(assessment)(plans=plans, year=assessment.year, as_of=assessment.as_of)
    drawn = charts.render_charts(bare, tmp_path)
    # Only the copyright growth target (no attainment, three years) and the talent trend remain.
    assert sorted(drawn) == [
        "trend:jilin-2016-opinions:copyright-registrations",
        "trend:jilin-2022-work-points:ip-professionals",
    ]


def test_render_charts_uses_the_final_row_not_the_interim_one(tmp_path: Path) -> None:
    interim = row(
        "专利申请量",
        Status.MISSED,
        0.9,
        ident="apps",
        interim=True,
        target_year=2022,
        series=series((2020, "1"), (2021, "2")),
    )
    final = row("专利申请量", Status.ON_TRACK, 0.5, ident="apps", series=series((2020, "1"), (2023, "3")))
    assessment = sample_assessment()
    part = type(assessment.plans[0])(plan=assessment.plans[0].plan, region="吉林省", rows=(interim, final))
    drawn = charts.render_charts(type(assessment)(plans=(part,), year=2023, as_of=assessment.as_of), tmp_path)
    # One bar only: no attainment chart (the sentence says as much).
    assert sorted(drawn) == ["trend:jilin-2016-opinions:apps"]
    charts.trend_chart(final, tmp_path / "expected.png")
    assert drawn["trend:jilin-2016-opinions:apps"].read_bytes() == (tmp_path / "expected.png").read_bytes()


def test_a_latin_only_font_would_draw_boxes_and_is_caught(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Guards the strict_glyphs fixture above: it must fail when Chinese falls back to boxes.
    dejavu = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")
    monkeypatch.setattr(charts, "find_cjk_font", lambda: charts.CjkFont("DejaVu Sans", dejavu))
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        with pytest.raises(UserWarning, match=r"[Gg]lyph.*missing"):
            charts.attainment_chart([row("专利申请量", Status.AHEAD, 0.9)], tmp_path / "boxes.png")


def test_a_growth_targets_implied_level_is_labelled_in_the_values_own_decimals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matplotlib.axes import Axes

    labels: list[str] = []
    annotate = Axes.annotate

    def recording(self: Axes, text: str, *args: object, **kwargs: object) -> object:
        labels.append(text)
        return annotate(self, text, *args, **kwargs)

    monkeypatch.setattr(Axes, "annotate", recording)
    target = Target(id="g", name="每万人口发明专利拥有量年均增速", kind=Kind.GROWTH, unit="件/万人",
                    rate=Decimal("0.10"), year=2020)
    points = series((2016, "3.36"), (2020, "6.41"))
    growth = TargetAssessment(target=target, status=Status.ACHIEVED, target_value=Decimal("4.919376"),
                              target_year=2020, baseline=points[0], latest=points[1], series=points)
    charts.trend_chart(growth, tmp_path / "g.png", lang="zh")
    assert "目标 4.92（2020年）" in labels


def test_render_charts_draws_no_attainment_chart_for_a_single_bar(tmp_path: Path) -> None:
    assessment = sample_assessment()
    one = row("省级知识产权保护示范区", Status.ACHIEVED, 1.333)
    two = row("专利申请量", Status.BEHIND, 0.8)
    for rows, expected in (((one,), []), ((one, two), ["attainment"])):
        part = type(assessment.plans[0])(plan=assessment.plans[0].plan, region="吉林省", rows=rows)
        bare = type(assessment)(plans=(part,), year=2023, as_of=assessment.as_of)
        assert sorted(charts.render_charts(bare, tmp_path / str(len(rows)))) == expected


def test_a_chart_is_drawn_once_without_a_layout_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib.figure import Figure

    draws: list[object] = []
    original = Figure.draw

    def counted(self: Figure, renderer: object) -> None:
        draws.append(self.get_layout_engine())
        original(self, renderer)

    monkeypatch.setattr(Figure, "draw", counted)
    charts.attainment_chart(sample_assessment().rows, tmp_path / "a.png")
    row = next(r for r in sample_assessment().rows if charts.has_trend(r))
    charts.trend_chart(row, tmp_path / "t.png")
    assert draws == [None, None]


def test_the_reused_figure_keeps_nothing_of_the_chart_before(tmp_path: Path) -> None:
    rows = sample_assessment().rows
    trend = next(r for r in rows if charts.has_trend(r))
    charts.trend_chart(trend, tmp_path / "first.png")
    charts.attainment_chart(rows, tmp_path / "between.png")
    charts.trend_chart(trend, tmp_path / "after.png")
    assert (tmp_path / "first.png").read_bytes() == (tmp_path / "after.png").read_bytes()
    assert png_size(tmp_path / "after.png") == png_size(tmp_path / "first.png")
