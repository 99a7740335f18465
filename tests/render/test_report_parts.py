"""The report as an office sends it: parts, year-on-year figures, missing data, reminders, narrative."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_fixtures import sample_assessment

from ipreport.cli import cli
from ipreport.errors import InputError
from ipreport.render.report.body import is_above, short_name, short_names
from ipreport.render.report.context import build_context
from ipreport.render.report.narrative import parse_narrative

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cli"
WRITTEN = dt.date(2024, 3, 1)


def _body_text(context: dict) -> list[str]:
    return [block["text"] for block in context["body"] if block["kind"] == "paragraph"]


def _consecutive_years(folder: Path) -> Path:
    stats = folder / "stats.csv"
    stats.write_text(
        "indicator,year,value,unit,source\n"
        "每万人口高价值发明专利拥有量,2020,6.3,件/万人,示例\n"
        "每万人口高价值发明专利拥有量,2022,9.9,件/万人,示例\n"
        "每万人口高价值发明专利拥有量,2023,11.8,件/万人,示例\n"
        "专利纠纷案件结案率,2020,90,%,示例\n"
        "专利纠纷案件结案率,2022,87.2,%,示例\n"
        "专利纠纷案件结案率,2023,88,%,示例\n"
        "建成知识产权公共服务平台,2023,in_progress,,示例\n",
        encoding="utf-8",
    )
    return stats


def test_statistics_for_consecutive_years_give_the_change_on_last_year(tmp_path: Path) -> None:
    stats = _consecutive_years(tmp_path)
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", str(FIXTURES / "mini.toml"), "--stats", str(stats), "-o", str(out),
                                      "--date", "2024-03-01"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    overview = text.split("## 二、")[0]
    assert "2023年，全省每万人口高价值发明专利拥有量达到11.8件，较上年提高1.9件；专利纠纷案件结案率达到88%，较上年提高0.8个百分点。" in (
        overview
    )


def test_without_the_year_before_there_is_no_change_on_last_year(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", str(FIXTURES / "mini.toml"), "--stats", str(FIXTURES / "mini.csv"),
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "较上年" not in out.read_text(encoding="utf-8")


def test_report_warns_how_many_targets_have_no_data(tmp_path: Path) -> None:
    stats = tmp_path / "stats.csv"
    stats.write_text("indicator,year,value,unit,source\n每万人口高价值发明专利拥有量,2023,11.8,件/万人,示例\n",
                     encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(FIXTURES / "mini.toml"), "--stats", str(stats), "-o",
                                      str(tmp_path / "r.md")])
    assert result.exit_code == 0
    # One warning for gaps and report alike (assessment/coverage.py), naming the targets and tasks.
    assert result.stderr == (
        'Warning: 2 of 3 targets have no data in stats.csv: "专利纠纷案件结案率", "建成知识产权公共服务平台"; '
        "fill in their values (or check the indicator names) to assess them\n"
    )
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "四是部分指标缺乏统计监测" not in text  # numbered from 一是 in this small plan
    assert "部分指标缺乏统计监测。专利纠纷案件结案率尚无统计数据" in text


def test_the_issuer_and_date_options_sign_the_report(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", str(FIXTURES / "mini.toml"), "--stats", str(FIXTURES / "mini.csv"),
                                      "-o", str(out), "--issuer", "某省知识产权局", "--date", "2024年3月5日",
                                      "--as-of", "2023-12-31"])
    assert result.exit_code == 0, result.output
    assert '<p align="right">某省知识产权局<br>2024年3月5日</p>' in out.read_text(encoding="utf-8")


def test_a_bad_date_is_refused_naming_the_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", str(FIXTURES / "mini.toml"), "--stats", str(FIXTURES / "mini.csv"),
                                      "-o", str(tmp_path / "r.md"), "--date", "March"])
    assert result.exit_code == 2
    assert result.stderr == 'Error: --date: expected a date such as 2023-12-31 or 2023年12月31日, found "March"\n'
    assert not (tmp_path / "r.md").exists()


def test_no_sentence_is_printed_twice_in_a_two_plan_report() -> None:
    context = build_context(sample_assessment(), written=WRITTEN)
    sentences = [s for text in _body_text(context) for s in re.split("(?<=。)", text) if len(s) > 6]
    assert [s for s in set(sentences) if sentences.count(s) > 1] == []
    full = "《吉林省人民政府关于新形势下加快知识产权强省建设的实施意见》"
    assert sum(text.count(full) for text in _body_text(context)) == 1


def test_sentences_in_a_row_do_not_all_read_alike() -> None:
    context = build_context(sample_assessment(), written=WRITTEN)
    paragraphs = [b["text"] for b in context["body"] if b["kind"] == "paragraph" and b["text"].count("。") >= 3]
    for paragraph in paragraphs:
        openings = [s[:2] for s in paragraph.split("。") if s]
        assert openings.count("截至") <= 1, paragraph


def test_reminders_only_for_what_still_needs_action_and_partners_are_not_told() -> None:
    context = build_context(sample_assessment(), written=WRITTEN)
    texts = [item["text"] for item in context["reminders"]]
    assert "出台《吉林省知识产权保护条例》实施细则（逾期未完成，完成时限2022年6月30日）：请省知识产权局、省司法厅加快推进。" in texts
    # Achieved, ahead and on-track targets need nothing; each target or task has one line.
    names = [item["name"] for item in context["reminders"]]
    assert len(names) == len(set(names))
    assert "每万人口发明专利拥有量" not in names
    assert is_above("国家知识产权局运用促进司") and is_above("国务院知识产权战略实施工作部际联席会议办公室")
    assert not is_above("省知识产权局")
    # A province's office ranks above a city's, not above a province's.
    assert is_above("省知识产权局", "阜新市知识产权局") and not is_above("市科技局", "阜新市知识产权局")
    assert not is_above("省知识产权局", "吉林省知识产权局")
    assert not is_above("市市场监管局", "上海市知识产权局")


def test_a_partner_above_the_issuer_is_asked_for_support() -> None:
    from ipreport.render.report.body import reminders

    row = {"interim": False, "status": "overdue", "display_name": "建设知识产权强县", "status_label": "逾期未完成",
           "detail": "完成时限2022年12月31日", "responsible": ["国家知识产权局运用促进司", "省知识产权局（牵头）"]}
    plan = {"all_rows": [row, {**row, "interim": True}]}
    assert [r["text"] for r in reminders([plan], "吉林省知识产权局", "zh")] == [
        "建设知识产权强县（逾期未完成，完成时限2022年12月31日）：请省知识产权局（牵头）加快推进，积极争取国家知识产权局运用促进司支持。"
    ]


def test_short_names() -> None:
    assert short_name("吉林省人民政府关于新形势下加快知识产权强省建设的实施意见") == "实施意见"
    assert short_name("青海省知识产权工作推进计划(2017—2020年)") == "推进计划"
    assert short_name("吉林省人民政府国家知识产权局共建新产业体系知识产权强省工作要点(2022—2023年)") == "工作要点"
    assert short_names(["甲省规划", "乙省规划"], [2016, 2021]) == ["2016年规划", "2021年规划"]


# ------------------------------------------------------------------------------------- narrative


NARRATIVE = """# 总体情况（补充）
全年新增国家知识产权示范企业12家。

# 存在的问题
知识产权服务业规模偏小，
高端人才不足。

第二段。
"""


def test_a_narrative_replaces_or_extends_the_drafted_sections() -> None:
    narrative = parse_narrative(NARRATIVE, "文字.md")
    context = build_context(sample_assessment(), written=WRITTEN, narrative=narrative)
    blocks = context["body"]
    headings = [i for i, b in enumerate(blocks) if b["kind"] == "heading1"]
    problems = next(i for i in headings if blocks[i]["text"] == "四、存在的问题")
    assert [b["text"] for b in blocks[problems + 1:problems + 3]] == ["知识产权服务业规模偏小，高端人才不足。", "第二段。"]
    assert blocks[problems + 3]["kind"] == "heading1"
    overview = [b["text"] for b in blocks[1:headings[1]]]
    assert overview[-1] == "全年新增国家知识产权示范企业12家。" and len(overview) == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("正文在前\n# 存在的问题\n内容\n", '文字.md:1: expected a heading such as # 存在的问题 before the text, found "正文在前"'),
        ("# 工作亮点\n内容\n", '文字.md:1: expected a section heading (总体情况、主要工作成效、存在的问题、下一步工作), found "工作亮点"'),
        ("# 存在的问题\n\n# 下一步工作\n内容\n", "文字.md:1: expected paragraphs under the heading, found none (problems)"),
        ("# 存在的问题\n甲\n# 存在的问题\n乙\n", '文字.md:3: the section "存在的问题" appears twice'),
    ],
)
def test_a_bad_narrative_names_the_file_and_line(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_narrative(text, "文字.md")
    assert str(caught.value) == message


def test_the_narrative_option_reads_the_file(tmp_path: Path) -> None:
    narrative = tmp_path / "文字.md"
    narrative.write_text("# 下一步工作\n加快建设知识产权强省。\n", encoding="utf-8")
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", str(FIXTURES / "mini.toml"), "--stats", str(FIXTURES / "mini.csv"),
                                      "-o", str(out), "--narrative", str(narrative)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.split("## 五、下一步工作\n\n")[1].startswith("加快建设知识产权强省。\n")
    missing = CliRunner().invoke(cli, ["report", str(FIXTURES / "mini.toml"), "--stats", str(FIXTURES / "mini.csv"),
                                       "-o", str(tmp_path / "s.md"), "--narrative", str(tmp_path / "none.md")])
    assert missing.exit_code == 1
    assert not (tmp_path / "s.md").exists()


def test_interim_rows_are_not_counted_as_more_targets() -> None:
    from ipreport.api import assess_files

    examples = Path(__file__).resolve().parents[2] / "examples"
    context = build_context(assess_files(("fuxin-2017",), examples / "fuxin" / "statistics.csv"), written=WRITTEN)
    count = next(t for t in _body_text(context) if t.startswith("《实施意见》确定的"))
    assert count.startswith("《实施意见》确定的9项量化指标中，9项有统计数据：已实现3项（其中提前实现3项）")
    table = next(b for b in context["body"] if b["kind"] == "targets")
    assert len(table["rows"]) == 18  # the 2017 interim rows stay in the table, named with their year


def test_the_progress_notes_of_the_statistics_tell_how_tasks_stand() -> None:
    from ipreport.api import assess_files

    examples = Path(__file__).resolve().parents[2] / "examples"
    context = build_context(assess_files(("jilin-2022",), examples / "jilin" / "workpoints-2023.csv"), written=WRITTEN)
    notes = next(t for t in _body_text(context) if t.startswith("从进展情况看"))
    assert "建设特色知识产权强县，示例：完成时限2022年12月底前，仍在推进；" in notes
    assert notes.endswith("推进知识产权领域信用分级分类监管试点，示例：晚于完成时限完成。")


def test_a_target_s_interim_year_and_its_latest_year_are_both_dated() -> None:
    from ipreport.api import assess_files

    examples = Path(__file__).resolve().parents[2] / "examples"
    context = build_context(assess_files(("fuxin-2017",), examples / "fuxin" / "statistics.csv"), written=WRITTEN)
    creation = next(t for t in _body_text(context) if t.startswith("截至2017年底，全市每万人口发明专利拥有量"))
    assert "。截至2019年底，全市每万人口发明专利拥有量为2.63件，较上年提高0.22件，" in creation
    # At most three targets a paragraph: a dimension with many does not read as one block.
    assert all(len(re.findall("截至|全年|—20", t)) <= 6 for t in _body_text(context))
    assert "较上年提高4个百分点" in "".join(_body_text(context))


def _one_target_at(tmp_path: Path, value: str) -> str:
    stats = tmp_path / "stats.csv"
    stats.write_text(
        "indicator,year,value,unit,source\n"
        "每万人口高价值发明专利拥有量,2020,6.3,件/万人,示例\n"
        f"每万人口高价值发明专利拥有量,2023,{value},件/万人,示例\n"
        "专利纠纷案件结案率,2023,96,%,示例\n"
        "建成知识产权公共服务平台,2023,done,,示例\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", str(FIXTURES / "mini.toml"), "--stats", str(stats), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_a_target_that_needs_to_accelerate_is_not_called_behind(tmp_path: Path) -> None:
    # 9.0 in 2023 from 6.3 in 2020 towards 12 in 2025 is 需加快推进 (accelerate), not 滞后预期.
    text = _one_target_at(tmp_path, "9.0")
    assert "部分指标进度有待加快。每万人口高价值发明专利拥有量需加快推进" in text
    assert "已实现1项，需加快推进1项；" in text
    assert "进度滞后" not in text


def test_a_target_behind_is_still_called_behind(tmp_path: Path) -> None:
    text = _one_target_at(tmp_path, "7.5")
    assert "部分指标进度滞后。每万人口高价值发明专利拥有量进度滞后预期" in text
    assert "已实现1项，进度滞后1项；" in text


def test_the_english_overview_counts_only_the_statuses_present(tmp_path: Path) -> None:
    stats = tmp_path / "stats.csv"
    _one_target_at(tmp_path, "9.0")  # writes stats.csv
    out = tmp_path / "en.md"
    result = CliRunner().invoke(cli, ["report", str(FIXTURES / "mini.toml"), "--stats", str(stats), "-o", str(out),
                                      "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Of the 2 targets with data: 1 achieved, 1 in need of faster progress; of 1 task, 1 done." in (
        out.read_text(encoding="utf-8"))


def test_a_single_point_is_not_counted_one(tmp_path: Path) -> None:
    # Every target on course: 下一步工作 has one step, and 存在的问题 one point (the data gap). A document
    # writes 一是 only when a 二是 follows; the report said 「一是总结推广好经验好做法…」 on its own.
    stats = tmp_path / "stats.csv"
    stats.write_text("indicator,year,value,unit,source\n每万人口高价值发明专利拥有量,2023,11.8,件/万人,示例\n"
                     "专利纠纷案件结案率,2023,99,%,示例\n建成知识产权公共服务平台,2023,done,,示例\n",
                     encoding="utf-8")
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", str(FIXTURES / "mini.toml"), "--stats", str(stats), "-o", str(out),
                                      "--date", "2024-03-01"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    steps = text.split("下一步工作", 1)[1]
    assert "总结推广好经验好做法，持续巩固已实现指标的成果。" in steps and "一是" not in steps
    stats.write_text("indicator,year,value,unit,source\n每万人口高价值发明专利拥有量,2023,11.8,件/万人,示例\n"
                     "建成知识产权公共服务平台,2023,done,,示例\n", encoding="utf-8")
    CliRunner().invoke(cli, ["report", str(FIXTURES / "mini.toml"), "--stats", str(stats), "-o", str(out),
                             "--date", "2024-03-01", "--force"])
    problems = out.read_text(encoding="utf-8").split("存在的问题", 1)[1].split("下一步工作")[0]
    assert "一是" not in problems
    steps = out.read_text(encoding="utf-8").split("下一步工作", 1)[1]
    assert "一是健全知识产权统计监测制度" in steps and "二是总结推广" in steps
