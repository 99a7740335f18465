"""Target or result read from the document around a sentence: the paragraph's earlier time cue, the
section's heading at every level, the document's genre (a plan or a news report), and the phrasings of
the issue's failure classes (a rate after 平均增幅, two indicators sharing one growth rate, a count
after 等). The texts are written in the shapes of plans and reports, not quoted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from extract_drafts import commented as _commented
from extract_drafts import drafted as _drafted

from ipreport.extract.drafting import draft_from_text
from ipreport.model import Kind


@pytest.mark.parametrize("text", [
    # 截至 in the sentence before governs the next sentence of the paragraph
    "截至2021年底，全市有效发明专利达到1.2万件。有效注册商标突破20万件，地理标志商标达到35件。",
    # an earlier plan's years, then a verb of reaching with no time of its own
    "“十三五”期间，全区创新能力持续提升。研发经费支出占地区生产总值比重提高至3.2%。",
    # a part of a year reported
    "今年上半年，全省专利授权量达到2.4万件。全省知识产权服务机构达到310家。",
])
def test_a_past_time_cue_governs_the_following_sentences_of_its_paragraph(text: str) -> None:
    assert _drafted(text) == []


def test_a_time_cue_governs_its_own_paragraph_only() -> None:
    text = "截至2021年底，全市有效发明专利达到1.2万件。\n（二）主要目标\n全市有效注册商标达到30万件。"
    assert _drafted(text) == [("有效注册商标", Decimal(300000), 2025)]


def test_a_forward_time_cue_and_a_stage_govern_the_following_sentences() -> None:
    text = ("记者日前从市知识产权局获悉，方案分三个阶段实施。提升发展阶段(2023年)，力争全市发明专利拥有量"
            "超过30件。知识产权与技术合同交易额达到900亿元。")
    drafted = _drafted(text)
    assert ("知识产权与技术合同交易额", Decimal(900), 2023) in drafted


def test_a_news_report_needs_a_strong_forward_cue_for_a_target() -> None:
    report = "本报讯 全市知识产权服务机构达到120家，从业人员超过5000人。"
    assert _drafted(report) == []
    assert _commented(report) == ["知识产权服务机构", "从业人员"]
    goals = "本报讯 据介绍，到2025年，全市知识产权服务机构达到150家。"
    assert _drafted(goals) == [("知识产权服务机构", Decimal(150), 2025)]


def test_a_plan_title_is_no_news_report() -> None:
    text = "测试市知识产权发展规划\n全市知识产权服务机构达到120家，据介绍为示范机构。"
    assert _drafted(text) == [("知识产权服务机构", Decimal(120), 2025)]


@pytest.mark.parametrize("heading", [
    "第一节 “十三五”时期取得的成效",
    "（一）“十三五”规划执行情况",
    "发展基础",
    "发展现状",
    "一、专利申请情况",
    "第一章 规划背景",
])
def test_a_results_heading_at_any_level_holds_no_targets(heading: str) -> None:
    text = f"{heading}\n全市有效发明专利达到3000件，每万人口发明专利拥有量达到8件。"
    assert _drafted(text) == []


def test_a_bare_goals_heading_after_a_results_one_brings_targets_back() -> None:
    text = "发展基础\n全市有效发明专利达到3000件。\n主要目标\n全市有效发明专利达到6000件。"
    assert _drafted(text) == [("有效发明专利", Decimal(6000), 2025)]


def test_an_average_increase_over_a_rate_is_growth() -> None:
    text = "到2025年，知识产权质押融资金额平均增幅超过20%。"
    draft = draft_from_text(text, region="测试市", period=(2021, 2025))
    (target,) = draft.plan.targets
    assert (target.kind, target.name, target.rate) == (Kind.GROWTH, "知识产权质押融资金额", Decimal("0.2"))


def test_two_indicators_listed_before_one_growth_rate_each_get_it() -> None:
    text = "到2025年，涉外商标申请量、注册量年均增长15%以上。"
    assert [name for name, _, _ in _drafted(text)] == ["涉外商标申请量", "涉外商标注册量"]


def test_a_count_of_the_things_just_listed_is_no_target() -> None:
    text = "到2025年，专利导航、专利预警、专利评议等6项服务纳入公共服务清单，培育示范企业50家。"
    assert _drafted(text) == [("示范企业", Decimal(50), 2025)]


def test_in_a_report_an_intent_word_speaks_of_what_follows_it_only() -> None:
    report = "记者日前获悉，全市发明专利审查周期压减至15个月，下一步要继续压减。"
    assert _drafted(report) == []
    plan = "全省知识产权质押融资登记金额年均增长12%，力争达到200亿元。"
    assert [(name, value) for name, value, _ in _drafted(plan)] == [
        ("知识产权质押融资登记金额", Decimal("0.12")), ("知识产权质押融资登记金额", Decimal(200))]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("到2025年，全省专利密集型产品产值超万亿元。", Decimal(1), "万亿元"),
    ("到2025年，全省技术合同成交额突破千亿元。", Decimal(1000), "亿元"),
    ("到2025年，全省有效注册商标超百万件。", Decimal(1000000), "件"),
])
def test_a_round_figure_written_without_digits_is_read(text: str, value: Decimal, unit: str) -> None:
    draft = draft_from_text(text, region="测试市", period=(2021, 2025))
    (target,) = draft.plan.targets
    assert (target.value, target.unit, target.name.endswith(("超", "突破"))) == (value, unit, False)


def test_a_figure_per_hundred_million_yuan_and_an_approximate_one() -> None:
    text = "到2027年，规模以上企业每亿元营业收入高价值专利数接近4件。"
    draft = draft_from_text(text, region="测试市", period=(2024, 2027))
    (target,) = draft.plan.targets
    assert (target.value, target.unit, target.approximate) == (Decimal(4), "件/亿元", True)
    assert _drafted("截至2020年底，全市近500家企业通过贯标认证。", (2021, 2025)) == []


_TABLE = ("测试市知识产权“十四五”规划\n（三）主要指标\n"
          "\t指标\n\t2020年\n\t2025年\n\t属性\n\n"
          "\t每万人口高价值发明专利拥有量（件）\n\t3.2\n\t6\n\t预期性\n\n"
          "\t知识产权质押融资登记金额（亿元）\n\t20\n\t≥50\n\t预期性\n\n"
          "\t版权登记量年均增长率（%）\n\t—\n\t10左右\n\t预期性\n")


def test_a_planning_table_gives_the_target_years_values() -> None:
    draft = draft_from_text(_TABLE, period=(2021, 2025))
    found = [(t.kind, t.name, t.value, t.rate, t.unit, t.year, t.approximate) for t in draft.plan.targets]
    assert found == [
        (Kind.LEVEL, "每万人口高价值发明专利拥有量", Decimal(6), None, "件/万人", 2025, False),
        (Kind.LEVEL, "知识产权质押融资登记金额", Decimal(50), None, "亿元", 2025, False),
        (Kind.GROWTH, "版权登记量年均增长率", None, Decimal("0.1"), "", 2025, True),
    ]


def test_a_planning_table_in_word_and_a_table_of_past_years(tmp_path) -> None:
    import docx

    from ipreport.extract.drafting import extract_plan

    document = docx.Document()
    document.add_paragraph("测试市知识产权“十四五”规划")
    document.add_paragraph("表1 “十三五”时期主要指标完成情况")
    past = document.add_table(rows=2, cols=3)
    document.add_paragraph("表2 “十四五”时期主要指标")
    plan = document.add_table(rows=2, cols=5)
    for table, rows in ((past, (("指标", "2015年", "2020年"), ("有效发明专利(件)", "1200", "3000"))),
                        (plan, (("序号", "指标", "单位", "2023年", "2025年"),
                                ("1", "有效发明专利", "件", "4500", "6000")))):
        for row, cells in zip(table.rows, rows, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    path = tmp_path / "plan.docx"
    document.save(str(path))
    text = extract_plan(path, region="测试市", period=(2021, 2025))
    assert text.count("[[target]]") == 2
    assert "target = 4500" in text and "target = 6000" in text and "3000" not in text.split("[[target]]", 1)[1]


_W = Decimal(10000)


@pytest.mark.parametrize(("text", "period", "expected"), [
    # 1. years inside the sentence
    ("到2023年，全市有效注册商标达到6万件，到2025年达到8万件。", (2021, 2025),
     [("有效注册商标", 6 * _W, "件", 2023), ("有效注册商标", 8 * _W, "件", 2025)]),
    # 2. a stage's year
    ("第二阶段（2023年），全县地理标志商标新增4件。", (2022, 2024), [("地理标志商标", Decimal(4), "件", 2023)]),
    # 3. the end of a five-year plan
    ("到“十四五”末，全省版权登记量达到12万件。", (2021, 2025), [("版权登记量", 12 * _W, "件", 2025)]),
    ("“十五五”期末，全市专利密集型产业增加值占GDP比重达到16%。", (2026, 2030),
     [("专利密集型产业增加值占GDP比重", Decimal(16), "%", 2030)]),
    # 5. 分别达到 A 和 B
    ("到2025年，全省发明专利申请量和授权量分别达到3万件和1.2万件。", (2021, 2025),
     [("发明专利申请量", 3 * _W, "件", 2025), ("发明专利授权量", Decimal("1.2") * _W, "件", 2025)]),
    # 6. a name after the share, none carrying a year
    ("到2025年，推动全市60%以上规上工业企业建立知识产权管理制度。", (2021, 2025),
     [("规上工业企业建立知识产权管理制度", Decimal(60), "%", 2025)]),
    ("到2024年，地理标志商标2024年底前达到30件。", (2022, 2024), [("地理标志商标", Decimal(30), "件", 2024)]),
    # 7. rates, not levels
    ("到2025年，全省PCT国际专利申请量年均增幅保持在12%以上。", (2021, 2025),
     [("PCT国际专利申请量", Decimal("0.12"), "", 2025)]),
    ("到2025年，力争实现知识产权质押融资额年均10%的增长。", (2021, 2025),
     [("知识产权质押融资额", Decimal("0.1"), "", 2025)]),
    # 9. units per 10,000 people or market entities
    ("到2025年，全市万人有效发明专利拥有量超过25件。", (2021, 2025),
     [("万人有效发明专利拥有量", Decimal(25), "件/万人", 2025)]),
    ("到2025年，每万户市场主体平均有效商标拥有量达到2000件。", (2021, 2025),
     [("每万户市场主体平均有效商标拥有量", Decimal(2000), "件/万户", 2025)]),
    # 4. results and counts about the document
    ("上半年全市发明专利授权量达956件，同比增长21.3%。", (2021, 2025), []),
    ("方案共提出18项重点任务。", (2021, 2025), []),
    ("“十三五”期间，全市知识产权质押融资累计25亿元。", (2021, 2025), []),
])
def test_the_issues_failure_classes_in_new_phrasings(
    text: str, period: tuple[int, int], expected: list[tuple[str, Decimal, str, int]],
) -> None:
    draft = draft_from_text(text, region="测试市", period=period)
    found = [(t.name, t.rate if t.kind is Kind.GROWTH else t.value, t.unit, t.year) for t in draft.plan.targets]
    assert found == expected


def test_a_dated_task_in_a_stage_is_a_milestone() -> None:
    import datetime as dt

    draft = draft_from_text("巩固阶段（2024年）：基本建成知识产权纠纷快速调解机制。", region="测试市",
                            period=(2022, 2024))
    (target,) = draft.plan.targets
    assert (target.kind, target.deadline, "快速调解机制" in target.name) == (Kind.MILESTONE, dt.date(2024, 12, 31), True)


@pytest.mark.parametrize("text", [
    # a change from one past year to another, the first value followed by a comma
    "全省知识产权质押融资额由2019年的120亿元，提高到2022年的260亿元，翻了一番。",
    # a completed action (…了) about the figure
    "全市每万人口发明专利拥有量达到9.6件，为完成规划目标奠定了坚实基础。",
])
def test_results_written_as_a_change_or_a_completion(text: str) -> None:
    assert _drafted(text, (2021, 2025)) == []


def test_respective_names_separated_by_a_pause_mark_may_join_words_with_he() -> None:
    text = "到2025年，国家级和省级知识产权示范企业、知识产权服务网点总数分别突破300家、20个。"
    found = [(name, value) for name, value, _ in _drafted(text)]
    assert found == [("国家级和省级知识产权示范企业", Decimal(300)), ("知识产权服务网点总数", Decimal(20))]


@pytest.mark.slow
def test_a_long_report_full_of_quoted_titles_is_read_in_linear_time() -> None:
    import time

    # About 1 MB in one paragraph with 70,000 quoted titles: quotes are blanked in one pass (before,
    # the text was copied once per title when the document's genre and a stretch's cues were read).
    text = "本报讯 " + "，".join(f"《专项方案{i}》印发" for i in range(70000)) + "，全市专利申请量达到5000件。"
    assert len(text.encode("utf-8")) > 1_000_000
    started = time.perf_counter()
    draft = draft_from_text(text, region="测试市", period=(2021, 2025))
    assert time.perf_counter() - started < 60
    assert [d.target.name for d in draft.targets] == ["专利申请量"]
