"""Walking a document's headings, sentences, clauses and tables into drafted targets and tasks."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from ipreport.extract import rules, stance
from ipreport.extract.blocks import Block
from ipreport.extract.draft import DraftTarget
from ipreport.extract.header import META_FIELD
from ipreport.model import Direction, Kind, Point, Target

_HEADING_1 = re.compile(r"^[一二三四五六七八九十]+、")
_HEADING_2 = re.compile(r"^[(（][一二三四五六七八九十]+[)）]")
_HEADING_3 = re.compile(r"^\d{1,2}\s*[.．、](?!\d)")
_CHAPTER = re.compile(r"^第[一二三四五六七八九十]+[章篇]")
_SECTION = re.compile(r"^第[一二三四五六七八九十]+节")
# A heading line without a number ("发展基础", "主要目标", "“十三五”时期取得的成效"): short, no full stop.
_BARE_HEADING = re.compile(r"^[^。！？!?;；,，:：]{2,24}$")
_GOAL_LINE = re.compile(r"^[—―\-－]{2,}")
# A line starting with a digit or a dash is a numbered item or a goal line, never a bare heading.
_NOT_BARE_START = re.compile(r"^[\d０-９—―\-－–~～]")
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
_CLAUSE = re.compile(r"[^,;:，；：]+")
# The doubt a clause raises about a number with no verb; a table row needs no verb, so drops it again.
_NO_VERB = "no verb such as 达到 next to the number; read as a goal from its section"


@dataclass
class _Context:
    """What governs a sentence: headings above it, its year, whether it states goals."""

    headings: dict[int, str] = field(default_factory=dict)
    dimension_line: str = ""  # "———知识产权创造水平显著提高" or a short first sentence naming one
    skip: bool = False  # a section on the past
    goal_year: int | None = None  # set by "到2020年" in the current top-level section
    stage_year: int | None = None  # set by a heading such as "(三)巩固提升阶段(2025年)"


class Walker:
    """Reads blocks in order, keeping the heading context, and collects the targets drafted in ``targets``."""

    def __init__(
        self, start_year: int, target_year: int, plan_document: bool = False, report: bool = False,
    ) -> None:
        self.start_year = start_year
        self.target_year = target_year
        self.plan_document = plan_document  # the title names a plan, so its body looks forward
        self.report = report  # the document reads as a news report or work summary (see stance.is_report)
        self.carried: list[stance.Cue] = []  # the time cues of the paragraph's sentence before
        self.context = _Context()
        self.targets: list[DraftTarget] = []
        self.last_paragraph = ""
        self.doubt = ""  # why the clause being read may be a result: its targets are commented out

    # ------------------------------------------------------------------ blocks
    def walk(self, blocks: list[Block]) -> None:
        for block in blocks:
            if block.is_table:
                self.table(block.rows)
            else:
                self.paragraph(block.text)

    def paragraph(self, raw: str) -> None:
        original = raw.strip()
        text = rules.fold(original)
        if not text or META_FIELD.match(text):
            self.last_paragraph = text
            return
        self.carried = []  # a time cue governs the rest of its own paragraph only
        body_start = self._headings(text)
        self.last_paragraph = text
        if self.context.skip or body_start >= len(text):
            return
        self.body(original, text, body_start)

    def _headings(self, text: str) -> int:
        """Update the heading context; return where the paragraph's body starts."""
        first = _SENTENCE.match(text)
        first_sentence = first.group(0) if first else text
        context = self.context
        if _HEADING_1.match(text) or _CHAPTER.match(text):
            self.context = _Context(headings={1: first_sentence})
            self.context.skip = rules.is_retrospective_heading(first_sentence)
            return len(first_sentence)
        item = _HEADING_2.match(text)
        if item and _is_list_item(first_sentence[item.end():]):
            # "(一)专利申请量完成1200件,其中…。": an item of a list of goals, not a section heading; it stands
            # beside the items before it under the same chapter, and its sentence is read.
            context.headings = {1: context.headings.get(1, "")}
            context.dimension_line = ""
            context.stage_year = None
            context.skip = rules.is_retrospective_heading(context.headings[1])
            return item.end()
        if _HEADING_2.match(text) or _SECTION.match(text):
            return self._section_heading(first_sentence)
        numbered = _HEADING_3.match(text)
        if numbered:
            # "1.建立…。" opens a work point: its first sentence is part of the task, so it is kept.
            context.headings[3] = first_sentence
            if rules.dimension_of(first_sentence):
                context.dimension_line = ""  # "1.知识产权运用" after "——知识产权创造": its own dimension
            return numbered.end()
        if _GOAL_LINE.match(text):
            context.dimension_line = first_sentence
            return len(first_sentence)
        # Tested after the numbered and "——" lines: "1.知识产权运用" and "——知识产权运用" are short too,
        # but they stand below the goals heading, not in its place.
        if _BARE_HEADING.match(text) and not _NOT_BARE_START.match(text) and not rules.find_quantities(text):
            return self._section_heading(first_sentence)
        # "知识产权创造能力显著提高。发明专利…": a short lead sentence naming a dimension, then the goals.
        lead = len(first_sentence) <= 18 and first_sentence.endswith("。") and len(text) > len(first_sentence)
        if lead and rules.dimension_of(first_sentence) and not rules.find_quantities(first_sentence):
            context.dimension_line = first_sentence
            return len(first_sentence)
        return 0

    def _section_heading(self, first_sentence: str) -> int:
        """A section heading below a chapter: a results section ("(一)“十二五”规划执行情况", "发展基础")
        is skipped as its chapter would be; a goals one ("主要目标") makes its figures goals."""
        context = self.context
        context.headings = {1: context.headings.get(1, ""), 2: first_sentence}
        context.dimension_line = ""
        context.stage_year = rules.stage_year(first_sentence[3:])
        context.skip = rules.is_retrospective_heading(context.headings[1]) or \
            rules.is_retrospective_heading(first_sentence)
        return len(first_sentence)

    def dimension(self) -> str:
        for heading in (self.context.dimension_line, self.context.headings.get(3, ""),
                        self.context.headings.get(2, ""), self.context.headings.get(1, "")):
            found = rules.dimension_of(heading)
            if found:
                return found
        return "其他"

    # ------------------------------------------------------------------ paragraph bodies
    def body(self, original: str, text: str, start: int) -> None:
        notes = rules.find_task_notes(text)
        if not notes:
            self.sentences(original, text, start, len(text), task=None)
            return
        position = start
        for note in notes:
            self.sentences(original, text, position, note.start, task=note)
            if note.has_deadline_field:
                self.milestone_task(original, text, position, note)
            position = note.end
        if position < len(text):
            self.sentences(original, text, position, len(text), task=None)

    def milestone_task(self, original: str, text: str, start: int, note: rules.TaskNote) -> None:
        segment = text[start:note.start]
        lead = len(segment) - len(segment.lstrip(" 。"))
        segment = segment.strip(" 。")
        if not segment:
            return
        quote = original[start + lead:start + lead + len(segment)]
        name = re.split(r"[,，。;；]", segment, maxsplit=1)[0]
        name = rules.clean_name(name)[:40] or segment[:40]
        check = ""
        if note.deadline is None and not note.ongoing:
            check = "完成时限 not understood; set the deadline by hand"
        deadline = note.deadline or dt.date(self.target_year, 12, 31)
        self.add(
            Target(
                id="", name=name, kind=Kind.MILESTONE, dimension=self.dimension(),
                year=self.target_year if note.ongoing else deadline.year,
                deadline=None if note.ongoing else deadline, ongoing=note.ongoing,
                responsible=note.responsible, quote=quote,
            ),
            check,
        )

    def sentences(self, original: str, text: str, start: int, end: int, task: rules.TaskNote | None) -> None:
        paragraph_year: int | None = None
        stage = rules.stage_year(text[start:end]) or self.context.stage_year
        if stage is not None and stage >= (self.start_year or 0):
            paragraph_year = stage  # "第一阶段(2019年)，…": the stage's year governs the paragraph
        for match in _SENTENCE.finditer(text, start, end):
            sentence = match.group(0)
            own_stage = rules.stage_year(sentence) if match.start() > start else None
            if own_stage is not None and own_stage >= (self.start_year or 0):
                paragraph_year = own_stage  # "…。提升发展阶段(2023年)，…。…": a stage begun mid-paragraph
            year = rules.governing_year(sentence) or rules.five_year_end(sentence)
            if year is not None and year > (self.start_year or 0):
                paragraph_year = year
                if self.context.headings.get(1) and not self.context.headings.get(3):
                    self.context.goal_year = year
            target_year = self._year(paragraph_year, task)
            goal = paragraph_year is not None or (self.context.goal_year is not None and
                                                  not self.context.headings.get(3) and task is None)
            self.sentence(original, text, match.start(), match.end(), target_year, goal, task,
                          dated=stage is not None, year_set=paragraph_year is not None)

    def _plan_context(self, task: rules.TaskNote | None, goal: bool) -> bool:
        """Weak forward evidence from where a sentence stands: the body of a plan document, a goals
        section, a dated stage or a task with a deadline (see ``stance.judge``)."""
        return self.plan_document or task is not None or goal or self.context.stage_year is not None

    def _goals_heading(self) -> bool:
        return any(stance.is_goals_heading(heading) for heading in
                   (self.context.dimension_line, *self.context.headings.values()))

    def _year(self, paragraph_year: int | None, task: rules.TaskNote | None) -> int:
        if task is not None and task.deadline is not None:
            return task.deadline.year
        return paragraph_year or self.context.goal_year or self.target_year

    def sentence(
        self, original: str, text: str, start: int, end: int, year: int, goal: bool,
        task: rules.TaskNote | None, dated: bool = False, year_set: bool = False,
    ) -> None:
        """``year_set``: the paragraph stated its year ("到2025年,…"); a 今年 or 年内 after it does not
        replace it."""
        sentence = text[start:end]
        # Target or result is decided for each stretch of the sentence that one time cue governs
        # ("截至2020年底…为6件，到2025年达到12件": two stretches, two verdicts).
        # Strong cues are read once per stretch; weak ones bind to the figures after them in the stretch
        # ("…达到8000人,其中专利代理师1200名"), gathered clause by clause: linear in the sentence.
        stretches = iter(stance.stretches(text, start, end))
        context = self._plan_context(task, goal)
        heading = self._goals_heading()
        stretch_end = start
        stretch_cues: list[stance.Cue] = []
        bound_cues: dict[str, stance.Cue] = {}  # one of each kind: a long list stays short
        frame: list[stance.Cue] = []  # "数据显示,…": reported, for every stretch after it in the sentence
        verb_seen = False
        strive = False
        previous_name = ""
        previous_unit = ""
        for clause_match in _CLAUSE.finditer(text, start, end):
            c_start, c_end = clause_match.span()
            clause = text[c_start:c_end].rstrip("。！？!? ")
            c_end = c_start + len(clause)
            if not clause.strip():
                continue
            verb_seen = verb_seen or rules.has_target_verb(clause)
            # 力争 governs what follows it in the sentence, not what came before.
            strive = strive or rules.is_strive(clause)
            # "到2022年达到5件，到2025年达到9件": a year in a clause governs it and the clauses after it.
            own_year = rules.clause_year(clause)
            if own_year is not None and own_year >= (self.start_year or 0) and \
                    not (task is not None and task.deadline is not None):
                year, goal, dated, year_set = own_year, True, True, True
            elif own_year is None and task is None and self.start_year and not year_set:
                # "今年是…示范年,将…建立36个…", "年内新建…不少于10家": the plan's first year (or the next)
                relative = rules.relative_year(clause, self.start_year)
                if relative is not None and relative <= self.target_year:
                    year = relative
            while c_start >= stretch_end:
                stretch_start, stretch_end = next(stretches)
                # In a report, an intent word speaks of what follows it ("…压减至13.3个月，未来要…"); in a
                # plan, of the whole stretch ("…年均增长15%，力争达到300亿元").
                stretch_cues = stance.cues(text[stretch_start:stretch_end], self.start_year, self.target_year,
                                           intent=not self.report)
                carried_frame, frame = frame, frame + stance.frame_cues(stretch_cues)
                stretch_cues += carried_frame
                if not (self.plan_document or heading):
                    # outside a plan's body and goals: a sentence of results reads like one
                    stretch_cues += stance.report_shape_cues(text[stretch_start:stretch_end])
                if any(cue.time for cue in stretch_cues):
                    self.carried = stance.carried(stretch_cues)
                else:  # no time of its own: the one set before in the paragraph governs it
                    stretch_cues += self.carried
                bound_cues = {}
            intent = stance.intent_cues(clause) if self.report else []
            for cue in stance.figure_cues(clause, self.start_year) + intent:
                bound_cues.setdefault(cue.reason, cue)
            verdict = stance.weigh(stretch_cues + list(bound_cues.values()), context, heading, self.report)
            made = None
            if verdict.verdict is not stance.Verdict.RESULT:
                self.doubt = verdict.check
                made = self.clause(original, text, c_start, c_end, sentence, year, goal, verb_seen,
                                   strive, task, previous_name, previous_unit, dated)
                self.doubt = ""
            # A figure not drafted (reported, or with no verb) still names the indicator for a target
            # after it: "截至2020年底，全省专利申请量为9000件，到2025年达到2万件".
            made = made or _named_figure(original[c_start:c_end], clause)
            if made:
                previous_name, previous_unit = made

    def clause(
        self, original: str, text: str, start: int, end: int, sentence: str, year: int, goal: bool,
        verb_seen: bool, strive: bool, task: rules.TaskNote | None, previous_name: str, previous_unit: str,
        dated: bool = False,
    ) -> tuple[str, str] | None:
        clause = text[start:end]
        words = original[start:end]  # the same span as the document writes it, for names and quotes
        common: dict[str, Any] = {"dimension": self.dimension(), "year": year, "strive": strive,
                  "responsible": task.responsible if task else (), "quote": words.strip()}
        made: tuple[str, str] | None = None
        growth = rules.find_growth(clause)
        if growth is not None and not rules.is_subsidy_rule(sentence, rules.Quantity(0, 0, growth.rate, "%")):
            own_name = rules.growth_subject(words, growth)
            if not own_name and not previous_name:  # "扩大…质押融资规模，力争全年增长20%以上"
                own_name = rules.raised_object(original[text.rfind("。", 0, start) + 1:start])
            name = own_name or previous_name
            check = "" if own_name else "growth with no indicator of its own; named after the one before it"
            for each in rules.joint_subjects(name) if name else []:
                self.add(Target(id="", name=each, indicator=each, kind=Kind.GROWTH,
                                unit="" if own_name else previous_unit, rate=growth.rate / 100,
                                approximate=growth.approximate, **common), check)
                made = (each, previous_unit)
            clause = clause[: growth.start] + " " * (growth.end - growth.start) + clause[growth.end:]
        quantities = rules.find_quantities(clause)
        if not quantities and growth is None:
            for name in rules.find_trend(words):
                self.add(Target(id="", name=name, kind=Kind.TREND, **common))
                made = (name, "")
            coverage = rules.find_full_coverage(clause)
            if coverage is not None and not task:
                name = rules.clean_name(words[: coverage[0]])
                if name:
                    coverage_target = Target(id="", name=f"{name}覆盖率", kind=Kind.LEVEL, value=Decimal(100),
                                             unit="%", **common)
                    self.add(coverage_target, "全覆盖 read as 100 % coverage")
                    made = (name, "%")
            if not made and rules.is_yearly_report(clause) and not task:
                report = Target(id="", name=rules.clean_name(words), kind=Kind.MILESTONE, ongoing=True,
                                **common)
                self.add(report, "a yearly report: read as an ongoing task")
                made = (rules.clean_name(words), "")
            if not made and dated and not task and rules.dated_task(clause):
                name = rules.clean_name(rules.without_years(words))
                self.add(Target(id="", name=name, kind=Kind.MILESTONE, deadline=dt.date(year, 12, 31),
                                **common))
                made = (name, "")
            if not made and goal and not task and rules.is_qualitative_goal(clause) and \
                    self.context.goal_year is not None:
                self.add(
                    Target(id="", name=rules.clean_name(words), kind=Kind.MILESTONE,
                           deadline=dt.date(year, 12, 31), **common),
                    f"a goal with no number, read as a task done by the end of {year}",
                )
        previous_end = 0
        name_used_after = False
        respective = None
        if "分别" in clause and len(quantities) >= 2:
            respective = rules.respective_names(words[:clause.index("分别")], len(quantities))
        for index, quantity in enumerate(quantities):
            if rules.is_subsidy_rule(sentence, quantity) or rules.is_prohibition(clause) or \
                    rules.is_enumeration_count(clause[:quantity.start]):
                continue
            following_figure = quantities[index + 1] if index + 1 < len(quantities) else None
            if following_figure is not None and quantity.high is None and \
                    rules.is_qualifier(clause[quantity.end:following_figure.start]):
                # "88个贫困县新增地标90件": the count of counties is whom the goal covers; the name of the
                # goal starts after it ("贫困县新增地标")
                lead = re.match(r"(?:以上|以下|左右)?的?", clause[quantity.end:following_figure.start])
                previous_end, name_used_after = quantity.end + (lead.end() if lead else 0), False
                continue
            if not (verb_seen or goal or quantity.floor or quantity.approximate):
                continue
            next_start = quantities[index + 1].start if index + 1 < len(quantities) else None
            name, from_after, after_end = self._name(clause, original[start:end], quantity, previous_end,
                                                     name_used_after, next_start)
            if respective is not None:
                name, from_after = respective[index], False
            name_used_after = from_after
            previous_end = max(quantity.end, after_end)
            if not name:
                name = previous_name or rules.clean_name(clause)
            unit = rules.per_ten_thousand_unit(name, quantity.unit)
            check = ""
            if not verb_seen and not quantity.floor and not quantity.approximate:
                check = _NO_VERB
            elif from_after:
                check = "named after the words following the number; check the name"
            if quantity.chinese:
                check = (check + "; " if check else "") + "number written in Chinese numerals"
            self.add(self._quantity_target(name, unit, quantity, clause, year, common), check
                     if not rules.is_per_year(clause, quantity) else
                     f"每年 quota read as a running sum over {self.start_year}–{year}")
            made = (name, unit)
        return made

    def _quantity_target(
        self, name: str, unit: str, quantity: rules.Quantity, clause: str, year: int, common: dict[str, Any]
    ) -> Target:
        direction = Direction.DECREASE if rules.direction_of(clause) == "decrease" else Direction.INCREASE
        if quantity.high is not None:
            return Target(id="", name=name, kind=Kind.RANGE, unit=unit, min=quantity.value, max=quantity.high,
                          direction=direction, approximate=quantity.approximate, **common)
        if rules.is_per_year(clause, quantity) and self.start_year and year > self.start_year:
            years = year - self.start_year + 1
            interim = tuple(Point(y, quantity.value * (y - self.start_year + 1))
                            for y in range(self.start_year, year))
            return Target(id="", name=name, kind=Kind.LEVEL, unit=unit, value=quantity.value * years,
                          aggregate="sum", interim=interim, direction=direction,
                          approximate=quantity.approximate, **common)
        return Target(id="", name=name, kind=Kind.LEVEL, unit=unit, value=quantity.value, direction=direction,
                      approximate=quantity.approximate, **common)

    @staticmethod
    def _name(
        clause: str, words: str, quantity: rules.Quantity, previous_end: int, name_used_after: bool,
        next_start: int | None,
    ) -> tuple[str, bool, int]:
        """The indicator a number belongs to: the words before it, else the words after it.

        ``clause`` is folded (for finding), ``words`` the same span as the document writes it.
        """
        before = words[previous_end:quantity.start] if not name_used_after else ""
        before = re.sub(r"^(以上|左右)", "", before)
        name = rules.clean_name(rules.without_years(before))
        if len(name) >= 2 and not (quantity.unit == "%" and rules.is_cut_before_share(name)):
            return name, False, 0
        # The numbers are in order: only the next one bounds this one's name (linear time).
        following = [next_start] if next_start is not None and next_start > quantity.end else []
        stop = following[0] if following else len(clause)
        after = re.sub(r"^的", "", words[quantity.end:stop])
        after = re.sub(r"[及和、]\s*$", "", after) if following else after
        name = rules.clean_name(after)
        if len(name) <= 2 and not following:
            # "每年选择30家企业，开展…培育": the bare noun gets the rest of the sentence's first clause.
            name = rules.clean_name(words[quantity.end:])
        return name, True, quantity.end + len(after)

    # ------------------------------------------------------------------ tables
    def table(self, rows: tuple[tuple[str, ...], ...]) -> None:
        if self.context.skip:
            return  # a table of the results section ("发展基础")
        header = [rules.fold(cell) for cell in rows[0]]
        if self.indicator_table(header, rows[1:]):
            return
        what = _column(header, ("目标", "指标", "任务", "内容", "事项"))
        who = _column(header, ("责任", "牵头"))
        when = _column(header, ("时限", "完成时间"))
        if what is None:
            return
        year_text = header[what] + " " + self.last_paragraph
        year_match = re.search(r"(\d{4})\s*年", year_text)
        table_year = int(year_match.group(1)) if year_match else self.target_year
        for row in rows[1:]:
            if what >= len(row) or not row[what].strip():
                continue
            responsible = rules.split_responsible(row[who]) if who is not None and who < len(row) else ()
            deadline = rules.parse_deadline(row[when]) if when is not None and when < len(row) else None
            ongoing = rules.is_ongoing(row[when]) if when is not None and when < len(row) else False
            self.table_row(row[what].strip(), table_year, responsible, deadline, ongoing)

    def indicator_table(self, header: list[str], rows: tuple[tuple[str, ...], ...]) -> bool:
        """A planning table: 指标 | 2020年(基期值) | 2025年(目标值) | 属性. Each row's value in a column of a
        year of the plan is a target of that year; a column of a year before the plan is the baseline.
        Returns False when the header is not one of such a table."""
        name_column = _column(header, ("指标",))
        years: dict[int, int] = {}  # column -> year
        for index, cell in enumerate(header):
            match = _HEADER_YEAR.search(cell)
            if match:
                years[index] = int(match["year"])
            elif "目标值" in cell or "预期值" in cell:
                years[index] = self.target_year
        plan_years = {index: year for index, year in years.items() if year >= self.start_year}
        if name_column is None or not years or name_column in years:
            return False
        if not plan_years:
            return True  # the figures of past years only ("2015年 | 2020年"): results, no targets
        unit_column = _column(header, ("单位",))
        for row in rows:
            if name_column >= len(row) or not row[name_column].strip():
                continue
            words = row[name_column].strip()
            unit_match = _NAME_UNIT.search(rules.fold(words))
            unit = unit_match["unit"] if unit_match else ""
            if unit_column is not None and unit_column < len(row) and row[unit_column].strip():
                unit = rules.fold(row[unit_column]).strip()
            name = rules.fold(words)[: unit_match.start()].strip() if unit_match else words
            for index, year in sorted(plan_years.items()):
                if index < len(row):
                    self.table_figure(name, unit, rules.fold(row[index]), year, words)
        return True

    def table_figure(self, name: str, unit: str, cell: str, year: int, quote: str) -> None:
        """One cell of a planning table: "6", "≥6", "12以上", "50左右"; "—" or "[15]" (a sum over the
        period, written in brackets) is no value of that year."""
        match = _CELL_VALUE.fullmatch(cell.strip())
        if match is None:
            return
        value = Decimal(match["value"])  # a floor (≥, 以上) is the target value itself
        approximate = match["after"] == "左右"
        direction = Direction.DECREASE if match["floor"] in ("≤", "<") or match["after"] == "以下" or \
            rules.direction_of(name) == "decrease" else Direction.INCREASE
        common: dict[str, Any] = {"dimension": self.dimension(), "year": year, "quote": quote}
        if unit == "%" and re.search(r"(?:年均)?增(?:长率?|速|幅)$", name):
            self.add(Target(id="", name=name, kind=Kind.GROWTH, rate=value / 100, approximate=approximate,
                            **common), "a growth rate read from a planning table")
            return
        unit = rules.per_ten_thousand_unit(name, unit) if unit else unit
        check = "" if unit else "planning table row with no unit; set the unit by hand"
        self.add(Target(id="", name=name, kind=Kind.LEVEL, value=value, unit=unit, direction=direction,
                        approximate=approximate, **common), check)

    def table_row(
        self, cell: str, year: int, responsible: tuple[str, ...], deadline: dt.date | None, ongoing: bool
    ) -> None:
        before = len(self.targets)
        note = rules.TaskNote(0, 0, responsible, deadline, ongoing, deadline is not None or ongoing)
        text = rules.fold(cell)
        self.sentence(cell, text, 0, len(text), deadline.year if deadline else year, True, note)
        for index in range(before, len(self.targets)):
            drafted = self.targets[index]
            self.targets[index] = replace(drafted, check=drafted.check.replace(_NO_VERB, ""))
        if len(self.targets) == before:
            check = "" if deadline or ongoing else \
                f"table row with no number, read as a task done by the end of {year}"
            end = deadline or dt.date(year, 12, 31)
            self.add(
                Target(id="", name=rules.clean_name(text)[:40] or text[:40], kind=Kind.MILESTONE,
                       dimension=self.dimension(), year=end.year if not ongoing else self.target_year,
                       deadline=None if ongoing else end, ongoing=ongoing, responsible=responsible,
                       quote=cell),
                check,
            )

    def add(self, target: Target, check: str = "") -> None:
        target = _catalogued(target)
        doubt = _name_doubt(target.name)
        if doubt:
            check = f"{check}; {doubt}" if check else doubt
        if self.doubt:
            check = f"{self.doubt}; {check}" if check else self.doubt
        self.targets.append(DraftTarget(target, check, commented=bool(self.doubt)))


def _is_list_item(sentence: str) -> bool:
    """A numbered line that states a figure in a sentence of its own ("专利申请量完成1200件,其中…。"), not
    the title of a section ("(三)巩固提升阶段(2025年)", "(一)2020年主要指标")."""
    if not sentence.rstrip().endswith(("。", ";", "；")) or rules.stage_year(sentence) is not None:
        return False
    figures = rules.find_quantities(sentence)
    return bool(figures) and any(figure.unit and figure.unit != "年" for figure in figures)


def _named_figure(words: str, clause: str) -> tuple[str, str] | None:
    """The name and unit of a clause's first figure ("全省专利申请量为9000件"), or None."""
    figures = rules.find_quantities(clause)
    if not figures:
        return None
    name = rules.clean_name(rules.without_years(words[:figures[0].start]))
    return (name, figures[0].unit) if len(name) >= 2 else None


def _catalogued(target: Target) -> Target:
    """The catalogue's canonical indicator, its per-10,000 unit (件 -> 件/万人) and its dimension when the
    section names none (else the dimension a word of the name names); the name stays as the document
    writes it."""
    from ipreport.catalogue import catalogue

    entry = catalogue().within(target.name) if target.kind is not Kind.MILESTONE else None
    if entry is None:
        # No section and no catalogue entry says: the name's own word may ("…执法案件结案率" 保护,
        # "建成…知识产权保护中心" 保护), as a person filing the target would read it.
        named = rules.dimension_of(target.name) if target.dimension == "其他" else None
        return replace(target, dimension=named) if named else target
    unit = target.unit
    if "/" in entry.unit and entry.unit.startswith(f"{unit}/") and target.kind is not Kind.GROWTH:
        unit = entry.unit
    dimension = entry.dimension if target.dimension == "其他" else target.dimension
    return replace(target, indicator=entry.name, unit=unit, dimension=dimension)


# Words that join two things: a name ending with one was cut out between two numbers
# ("5个载体加50个服务机构" gives "载体加").
_JOINING = ("加", "和", "及", "与", "或", "并", "、", "以及")


def _name_doubt(name: str) -> str:
    """Why a drafted name is unlikely to be the indicator's name, or ""."""
    if len(name) < 2:
        return f'name "{name}" is too short to be an indicator'
    if name.endswith(_JOINING) or name.startswith("、"):  # "加强…", "及时…" start with words, not joins
        return f'name "{name}" looks cut out between two numbers'
    return ""


_HEADER_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年")
# "每万人口高价值发明专利拥有量(件)", "…比重(%)": the unit in brackets at the end of an indicator's name.
_NAME_UNIT = re.compile(r"[(（]\s*(?P<unit>[^()（）]{1,8})\s*[)）]\s*$")
_CELL_VALUE = re.compile(r"(?P<floor>≥|>|≤|<)?\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<after>以上|以下|左右)?")


def _column(header: list[str], words: tuple[str, ...]) -> int | None:
    for index, cell in enumerate(header):
        if any(word in cell for word in words):
            return index
    return None
