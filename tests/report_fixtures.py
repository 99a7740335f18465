"""A realistic hand-built Assessment (two Jilin plans, every status) shared by the report tests.

The 2016 figures for 每万人口发明专利拥有量 (3.36, 2016; 6.41, 2020), 质押融资额 (53.4亿元) and
优势示范企业 (177户) are published (see /work/shared/data/real-statistics.md); every other value is
illustrative, chosen so that each status appears once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from ipreport.model import (
    Assessment,
    Kind,
    Note,
    Plan,
    PlanAssessment,
    Point,
    Status,
    Target,
    TargetAssessment,
    TaskState,
)

D = Decimal


def _figures(
    target_value: Decimal, baseline: Point | None, latest: Point | None, year: int, direction: int = 1
) -> dict[str, object]:
    """Gap, attainment and the CAGR figures the engine would compute for a level target."""
    out: dict[str, object] = {}
    if latest is None:
        return out
    v, t_value = float(latest.value), float(target_value)
    out["gap"] = direction * (target_value - latest.value)
    out["attainment"] = v / t_value if direction == 1 else t_value / v
    if latest.year < year:
        out["remaining_cagr"] = (t_value / v) ** (1 / (year - latest.year)) - 1
    if baseline is not None and baseline.value > 0 and latest.year > baseline.year:
        v0 = float(baseline.value)
        required = (t_value / v0) ** (1 / (year - baseline.year)) - 1
        actual = (v / v0) ** (1 / (latest.year - baseline.year)) - 1
        out.update(
            required_cagr=required,
            actual_cagr=actual,
            ratio=direction * actual / abs(required),
            method="cagr",
            progress_share=(v - v0) / (t_value - v0),
            time_share=(latest.year - baseline.year) / (year - baseline.year),
        )
    return out


def _level(
    target: Target, status: Status, baseline: Point | None, latest: Point | None, **extra: object
) -> TargetAssessment:
    assert target.value is not None
    figures = _figures(target.value, baseline, latest, target.year, int(target.direction))
    figures.update(extra)
    series = tuple(p for p in (baseline, latest) if p is not None)
    return TargetAssessment(
        target=target,
        status=status,
        target_value=target.value,
        target_year=target.year,
        baseline=baseline,
        latest=latest,
        series=series,
        **figures,  # type: ignore[arg-type]
    )


def _opinions_2016() -> PlanAssessment:
    """吉政发〔2016〕27号, judged after its target year 2020: achieved, missed, no data."""
    common = {"year": 2020}
    invention = Target(
        id="invention-patents-per-10k",
        name="每万人口发明专利拥有量",
        kind=Kind.LEVEL,
        dimension="创造",
        unit="件/万人",
        value=D("4.2"),
        baseline=Point(2016, D("3.36")),
        responsible=("省知识产权局",),
        quote="到2020年，每万人口发明专利拥有量达到4.2件",
        **common,  # type: ignore[arg-type]
    )
    applications = Target(
        id="patent-applications",
        name="专利申请量",
        kind=Kind.LEVEL,
        dimension="创造",
        unit="件",
        value=D("24000"),
        strive=True,
        responsible=("省知识产权局", "省科技厅"),
        quote="专利申请量力争达到2.4万件",
        **common,  # type: ignore[arg-type]
    )
    copyright_growth = Target(
        id="copyright-registrations",
        name="作品登记量",
        kind=Kind.GROWTH,
        dimension="创造",
        unit="件",
        rate=D("0.10"),
        responsible=("省版权局",),
        quote="作品登记量年均增长10%以上",
        **common,  # type: ignore[arg-type]
    )
    pledge = Target(
        id="pledge-financing",
        name="知识产权质押融资额",
        kind=Kind.LEVEL,
        dimension="运用",
        unit="亿元",
        value=D("50"),
        responsible=("省知识产权局", "省金融办"),
        quote="知识产权质押融资额达到50亿元",
        **common,  # type: ignore[arg-type]
    )
    closure = Target(
        id="case-closure-rate",
        name="专利行政执法案件结案率",
        kind=Kind.LEVEL,
        dimension="保护",
        unit="%",
        value=D("95"),
        attribute="binding",
        responsible=("省知识产权局",),
        quote="专利行政执法案件结案率达到95%以上",
        **common,  # type: ignore[arg-type]
    )
    advantage = Target(
        id="advantage-enterprises",
        name="知识产权优势企业",
        kind=Kind.LEVEL,
        dimension="管理",
        unit="家",
        value=D("100"),
        responsible=("省知识产权局", "省工业和信息化厅"),
        quote="培育100家知识产权优势企业",
        **common,  # type: ignore[arg-type]
    )
    copyright_base, copyright_latest = Point(2016, D("16500")), Point(2020, D("21000"))
    actual = (21000 / 16500) ** (1 / 4) - 1
    rows = (
        _level(invention, Status.ACHIEVED, invention.baseline, Point(2020, D("6.41"))),
        _level(applications, Status.MISSED, Point(2016, D("13460")), Point(2020, D("21532"))),
        TargetAssessment(
            target=copyright_growth,
            status=Status.MISSED,
            target_year=2020,
            baseline=copyright_base,
            latest=copyright_latest,
            series=(copyright_base, Point(2018, D("18700")), copyright_latest),
            required_cagr=0.10,
            actual_cagr=actual,
            ratio=actual / 0.10,
            method="cagr",
        ),
        _level(pledge, Status.ACHIEVED, Point(2016, D("21.6")), Point(2020, D("53.4"))),
        TargetAssessment(target=closure, status=Status.NO_DATA, target_value=D("95"), target_year=2020),
        _level(
            advantage,
            Status.ACHIEVED,
            Point(2017, D("62")),
            Point(2020, D("177")),
            notes=(Note("baseline_from_earliest", (("year", "2017"),)),),
        ),
    )
    plan = Plan(
        id="jilin-2016-opinions",
        title="吉林省人民政府关于新形势下加快知识产权强省建设的实施意见",
        region="吉林省",
        start_year=2016,
        target_year=2020,
        targets=tuple(r.target for r in rows),
        document="吉政发〔2016〕27号",
        issuer="吉林省人民政府",
        issued=dt.date(2016, 7, 13),
        baseline_year=2016,
        source=Path("targets/jilin-2016-opinions.toml"),
    )
    return PlanAssessment(plan=plan, region="吉林省", rows=rows)


def _milestone(
    target: Target, status: Status, state: TaskState | None = None, completed: dt.date | None = None
) -> TargetAssessment:
    return TargetAssessment(
        target=target, status=status, target_year=target.year, task_state=state, completed=completed
    )


def _work_points_2022() -> PlanAssessment:
    """吉政办发〔2022〕32号, judged in 2022 before its target year 2023: every in-flight status."""
    common = {"year": 2023}

    def level(ident: str, name: str, dimension: str, unit: str, value: str, units: tuple[str, ...]) -> Target:
        return Target(
            id=ident,
            name=name,
            kind=Kind.LEVEL,
            dimension=dimension,
            unit=unit,
            value=D(value),
            responsible=units,
            quote=f"到2023年，{name}达到{value}{unit}",
            **common,  # type: ignore[arg-type]
        )

    high_value = level("high-value-patents", "每万人口高价值发明专利拥有量", "创造", "件/万人", "3.0", ("省知识产权局",))
    pct = level("pct-applications", "PCT国际专利申请量", "创造", "件", "300", ("省知识产权局", "省商务厅"))
    trademarks = level("valid-trademarks", "有效注册商标量", "创造", "万件", "40", ("省市场监管厅",))
    contracts = level("technology-contracts", "技术合同成交额", "运用", "亿元", "500", ("省科技厅", "省知识产权局"))
    services = level("service-institutions", "知识产权服务机构数量", "服务", "家", "200", ("省知识产权局",))
    conversions = level("patent-conversions", "高校院所专利转化数量", "运用", "件", "1200", ("省教育厅", "省科技厅"))
    demo_zones = Target(
        id="protection-demo-zones",
        name="省级知识产权保护示范区",
        kind=Kind.RANGE,
        dimension="保护",
        unit="个",
        min=D("3"),
        max=D("5"),
        responsible=("省知识产权局", "各市（州）政府"),
        quote="建设3-5个省级知识产权保护示范区",
        **common,  # type: ignore[arg-type]
    )
    talent = Target(
        id="ip-professionals",
        name="知识产权专业人才数量",
        kind=Kind.TREND,
        dimension="人才",
        unit="人",
        responsible=("省人力资源社会保障厅", "省知识产权局"),
        quote="知识产权人才队伍稳步增长",
        **common,  # type: ignore[arg-type]
    )

    def task(ident: str, name: str, deadline: dt.date | None, units: tuple[str, ...]) -> Target:
        return Target(
            id=ident,
            name=name,
            kind=Kind.MILESTONE,
            dimension="保护",
            deadline=deadline,
            ongoing=deadline is None,
            responsible=units,
            quote=name,
            **common,  # type: ignore[arg-type]
        )

    regulation = task("protection-regulation", "出台《吉林省知识产权保护条例》实施细则", dt.date(2022, 6, 30),
                      ("省知识产权局", "省司法厅"))
    centre = task("protection-centre", "建成中国（吉林）知识产权保护中心", dt.date(2022, 10, 31), ("省知识产权局",))
    navigation = task("patent-navigation", "开展重点产业专利导航", dt.date(2023, 12, 31), ("省知识产权局", "省工业和信息化厅"))
    database = task("ip-database", "建设知识产权公共服务数据库", dt.date(2023, 12, 31), ("省知识产权局",))
    enforcement = task("joint-enforcement", "常态化开展知识产权联合执法", None, ("省市场监管厅", "省公安厅"))
    pledge_points = task("pledge-points", "设立知识产权质押融资服务站点", dt.date(2023, 6, 30), ("省金融办",))

    zones_base, zones_latest = Point(2021, D("0")), Point(2022, D("2"))
    talent_base, talent_latest = Point(2021, D("5200")), Point(2022, D("5350"))
    rows = (
        _level(high_value, Status.ACCELERATE, Point(2021, D("2.0")), Point(2022, D("2.4"))),
        _level(pct, Status.ON_TRACK, Point(2021, D("200")), Point(2022, D("243"))),
        _level(trademarks, Status.BEHIND, Point(2021, D("30")), Point(2022, D("31"))),
        _level(contracts, Status.REGRESSING, Point(2021, D("400")), Point(2022, D("380"))),
        _level(services, Status.ACHIEVED, Point(2021, D("160")), Point(2022, D("210"))),
        _level(conversions, Status.INSUFFICIENT_DATA, None, Point(2022, D("860"))),
        TargetAssessment(
            target=demo_zones,
            status=Status.AHEAD,
            target_value=D("3"),
            target_year=2023,
            baseline=zones_base,
            latest=zones_latest,
            series=(zones_base, zones_latest),
            gap=D("1"),
            attainment=2 / 3,
            ratio=(2 / 1) / (3 / 2),
            method="linear",
            progress_share=2 / 3,
            time_share=0.5,
            notes=(Note("linear"),),
        ),
        TargetAssessment(
            target=talent,
            status=Status.ON_TRACK,
            target_year=2023,
            baseline=talent_base,
            latest=talent_latest,
            series=(talent_base, talent_latest),
            actual_cagr=5350 / 5200 - 1,
        ),
        _milestone(regulation, Status.OVERDUE, TaskState.IN_PROGRESS),
        _milestone(centre, Status.DONE, TaskState.DONE, dt.date(2022, 9, 15)),
        _milestone(navigation, Status.IN_PROGRESS, TaskState.IN_PROGRESS),
        _milestone(database, Status.NOT_STARTED, TaskState.NOT_STARTED),
        _milestone(enforcement, Status.ONGOING, TaskState.IN_PROGRESS),
        _milestone(pledge_points, Status.NO_DATA),
    )
    plan = Plan(
        id="jilin-2022-work-points",
        title="共建新产业体系知识产权强省工作要点（2022—2023年）",
        region="吉林省",
        start_year=2022,
        target_year=2023,
        targets=tuple(r.target for r in rows),
        document="吉政办发〔2022〕32号",
        issuer="吉林省人民政府办公厅 国家知识产权局办公室",
        issued=dt.date(2022, 5, 20),
        baseline_year=2021,
        source=Path("targets/jilin-2022-work-points.toml"),
    )
    return PlanAssessment(plan=plan, region="吉林省", rows=rows)


def sample_assessment() -> Assessment:
    """Two Jilin plans assessed for 2022: every status, tasks overdue/done/ongoing, shared units."""
    return Assessment(
        plans=(_opinions_2016(), _work_points_2022()),
        year=2022,
        as_of=dt.date(2022, 12, 31),
        statistics=Path("examples/jilin-statistics.csv"),
        sources=("国家知识产权局 专利统计月报", "吉市监议字〔2021〕12号", "示例数据（非官方）"),
        warnings=(),
    )


def single_plan_assessment() -> Assessment:
    """Only the 2016 opinions, assessed for 2020 (the worked check 6.41 vs 4.2)."""
    return Assessment(
        plans=(_opinions_2016(),),
        year=2020,
        as_of=dt.date(2020, 12, 31),
        statistics=Path("examples/jilin-statistics.csv"),
        sources=("吉市监议字〔2021〕12号",),
    )
