"""Draft a plan file from a policy document (.txt or .docx): header, targets, tasks, as TOML text.

The draft is for a person to review: every target keeps the document's words in ``quote``, and a
target the rules are unsure of is preceded by a ``# CHECK: <why>`` comment in the TOML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ipreport import extract_rules as rules
from ipreport.decoding import decode
from ipreport.errors import InputError, Problem
from ipreport.model import Direction, Kind, Plan, Point, Target
from ipreport.numbers import plain

__all__ = ["Block", "Draft", "DraftTarget", "draft_from_blocks", "draft_from_text", "extract_plan",
           "read_blocks", "render_toml", "toml_string"]


# --------------------------------------------------------------------------- reading documents


@dataclass(frozen=True)
class Block:
    """A paragraph (``text``) or a table (``rows`` of cell texts), in document order."""

    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()

    @property
    def is_table(self) -> bool:
        return bool(self.rows)


def read_blocks(path: Path, encoding: str | None = None) -> list[Block]:
    """The document's paragraphs and tables in order; .docx through python-docx, else decoded text."""
    if not path.is_file():
        raise InputError(Problem(str(path), "no such file; expected a policy document (.txt or .docx)"))
    if path.suffix.lower() == ".docx":
        return _docx_blocks(path)
    if path.suffix.lower() == ".doc":
        raise InputError(Problem(str(path), "old Word .doc files cannot be read; save the document as .docx"))
    text, _ = decode(path.read_bytes(), path, encoding)
    return text_blocks(text)


def _docx_blocks(path: Path) -> list[Block]:
    import docx  # python-docx; imported here so .txt input does not pay for it
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        message = f"cannot read the file as a Word .docx document ({exc})"
        raise InputError(Problem(str(path), message)) from None
    blocks = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(Block(text=Paragraph(child, document).text))
        elif tag == "tbl":
            rows = []
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    # A merged cell is returned once per grid column; keep it once.
                    if not cells or cell.text != cells[-1]:
                        cells.append(cell.text.strip())
                rows.append(tuple(cells))
            blocks.append(Block(rows=tuple(rows)))
    return blocks


_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")


def text_blocks(text: str) -> list[Block]:
    """Paragraphs of a plain-text document; tab-indented lines (one cell a line, a blank line between
    rows) are read as a table, as word processors export tables to text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("\t") and line.strip():
            rows, index = _tab_table(lines, index)
            blocks.append(Block(rows=rows))
            continue
        if line.strip():
            blocks.append(Block(text=line))
        index += 1
    return _join_broken_paragraphs(blocks)


def _tab_table(lines: list[str], index: int) -> tuple[tuple[tuple[str, ...], ...], int]:
    rows: list[tuple[str, ...]] = []
    cells: list[str] = []
    while index < len(lines):
        line = lines[index]
        if line.startswith("\t") and line.strip():
            cells.append(_BOOKMARK.sub("", line).strip())
        elif not line.strip():
            if cells:
                rows.append(tuple(cells))
                cells = []
        else:
            break
        index += 1
    if cells:
        rows.append(tuple(cells))
    return tuple(rows), index


def _join_broken_paragraphs(blocks: list[Block]) -> list[Block]:
    """A paragraph whose parenthesis is still open continues on the next line (text copied from PDF)."""
    joined: list[Block] = []
    for block in blocks:
        if joined and not block.is_table and not joined[-1].is_table and _open_parens(joined[-1].text) > 0:
            joined[-1] = Block(text=joined[-1].text.rstrip() + block.text.strip())
        else:
            joined.append(block)
    return joined


def _open_parens(text: str) -> int:
    folded = rules.fold(text)
    return folded.count("(") - folded.count(")")


# --------------------------------------------------------------------------- the draft


@dataclass(frozen=True)
class DraftTarget:
    """A drafted target and, when the rules are unsure, why (written as a # CHECK comment)."""

    target: Target
    check: str = ""


@dataclass(frozen=True)
class Draft:
    """Everything drafted from one document; ``plan`` gives it as a model Plan (e.g. for scoring)."""

    id: str
    title: str
    region: str
    start_year: int
    target_year: int
    targets: tuple[DraftTarget, ...]
    document: str = ""
    issuer: str = ""
    issued: dt.date | None = None
    notes: tuple[str, ...] = ()  # header fields the document did not give

    @property
    def plan(self) -> Plan:
        return Plan(
            id=self.id, title=self.title, region=self.region, start_year=self.start_year,
            target_year=self.target_year, targets=tuple(t.target for t in self.targets),
            document=self.document, issuer=self.issuer, issued=self.issued,
        )


def extract_plan(
    path: Path, *, region: str | None = None, plan_id: str | None = None, encoding: str | None = None
) -> str:
    """Read a policy document and return the TOML text of a draft plan file."""
    blocks = read_blocks(Path(path), encoding)
    draft = draft_from_blocks(blocks, region=region, plan_id=plan_id, source=str(path))
    if not draft.targets:
        raise InputError(Problem(str(path), "no targets found in the document; is this a plan document?"))
    return render_toml(draft, source=Path(path).name)


def draft_from_text(text: str, *, region: str | None = None, plan_id: str | None = None) -> Draft:
    """Draft a plan from the plain text of a document."""
    return draft_from_blocks(text_blocks(text), region=region, plan_id=plan_id)


def draft_from_blocks(
    blocks: list[Block], *, region: str | None = None, plan_id: str | None = None, source: str = "document"
) -> Draft:
    """Draft a plan from a document's paragraphs and tables."""
    header = read_header(blocks)
    if region is None and not header.region:
        raise InputError(
            Problem(source, "cannot tell the region from the issuer or title; give it with --region")
        )
    walker = _Walker(header.start_year, header.target_year)
    walker.walk(blocks)
    targets = _number_ids(_deduplicate(walker.targets))
    return Draft(
        id=plan_id or header.derived_id(),
        title=header.title,
        region=region or header.region,
        start_year=header.start_year,
        target_year=header.target_year,
        targets=targets,
        document=header.document,
        issuer=header.issuer,
        issued=header.issued,
        notes=header.notes,
    )


# --------------------------------------------------------------------------- [plan] header


@dataclass
class Header:
    """The [plan] fields found in the document."""

    title: str = ""
    document: str = ""
    issuer: str = ""
    issued: dt.date | None = None
    region: str = ""
    start_year: int = 0
    target_year: int = 0
    notes: tuple[str, ...] = ()

    def derived_id(self) -> str:
        """"plan-2016-" and a short slug of the title (no pinyin at hand): valid [a-z0-9-]+."""
        slug = hashlib.sha1(self.title.encode("utf-8")).hexdigest()[:6]
        return f"plan-{self.start_year}-{slug}"


_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,10})\s*[〔\[(（【]\s*(\d{4})\s*[〕\])）】]\s*(\d{1,4})\s*号")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_META = re.compile(r"(标题|文件名称|发文字号|文件编号|发文机关|成文日期)\s*[:：]\s*([^\t]+)")
_YEAR_SPAN = re.compile(r"[(（]\s*(\d{4})\s*[—\-－–~～至]+\s*(\d{4})\s*年?\s*[)）]")
_REGION = re.compile(r"^([\u4e00-\u9fff]{1,8}?(?:自治区|自治州|特别行政区|省|市|州|盟|县|旗|区))")
_ISSUER_ENDINGS = ("政府", "办公厅", "办公室", "局", "委员会", "厅", "委", "院", "部")


def read_header(blocks: list[Block]) -> Header:
    """Title, document number, issuer, date, region and years from the top and end of the document."""
    lines = [rules.fold(b.text).strip() for b in blocks if not b.is_table]
    meta: dict[str, str] = {}
    for line in lines[:12]:
        for key, value in _META.findall(line):
            meta.setdefault(key, value.strip())
    header = Header()
    notes: list[str] = []
    number_line = _find_number_line(lines, meta)
    header.document = _document_number(meta.get("发文字号") or meta.get("文件编号") or
                                       (lines[number_line] if number_line is not None else ""))
    header.title = _title(lines, meta, number_line)
    header.issuer, header.issued = _issuer_and_date(lines, meta, header.title)
    header.region = _region_at_start(header.issuer) or _region_at_start(header.title)
    number_year = re.search(r"〔(\d{4})〕", header.document)
    document_year = int(number_year.group(1)) if number_year else None
    span = _YEAR_SPAN.search(header.title) or next(
        (m for m in (_YEAR_SPAN.search(line) for line in lines[:40]) if m), None
    )
    header.start_year = document_year or (int(span.group(1)) if span else 0) or (
        header.issued.year if header.issued else 0)
    header.target_year = int(span.group(2)) if span else _most_common_goal_year(lines, header.start_year)
    if not header.start_year:
        header.start_year = header.target_year
        notes.append("start_year: the document gives no year of its own; set to target_year")
    if header.target_year and header.target_year < header.start_year:
        # A period such as "(2015-2020年)" of an earlier plan the document cites, not its own.
        later = _most_common_goal_year(lines, header.start_year) or header.start_year
        notes.append(f"target_year: the period found ends in {header.target_year}, before the document's own "
                     f"year {header.start_year}; set to {later}")
        header.target_year = later
    if not header.target_year:
        header.target_year = header.start_year
        notes.append("target_year: no '到2020年' or '(2017—2020年)' found; set to start_year")
    if not header.issued:
        notes.append("issued: no date line (such as 2016年7月13日) found")
    if not header.document:
        notes.append("document: no document number (such as 吉政发〔2016〕27号) found")
    header.notes = tuple(notes)
    return header


# A title such as "对省政协…的答复" or "全省…" starts with a word, not a region: "对省" is no province.
_NOT_A_REGION_START = "对关于的与和及在为向全我本各该此第每"


def _region_at_start(text: str) -> str:
    match = _REGION.match(text)
    if match is None or match.group(1)[0] in _NOT_A_REGION_START:
        return ""
    return match.group(1)


def _find_number_line(lines: list[str], meta: dict[str, str]) -> int | None:
    for index, line in enumerate(lines[:20]):
        match = _DOC_NUMBER.search(line)
        if match and len(line) <= len(match.group(0)) + 8 and not line.startswith(("文件编号", "发文字号")):
            return index
    return None


def _document_number(text: str) -> str:
    match = _DOC_NUMBER.search(rules.fold(text))
    return f"{match.group(1)}〔{match.group(2)}〕{match.group(3)}号" if match else ""


def _title(lines: list[str], meta: dict[str, str], number_line: int | None) -> str:
    if meta.get("标题") or meta.get("文件名称"):
        return re.sub(r"\s+", "", meta.get("标题") or meta["文件名称"])
    if number_line:
        return "".join(line.strip() for line in lines[:number_line])
    return lines[0].strip() if lines else ""


def _issuer_and_date(lines: list[str], meta: dict[str, str], title: str) -> tuple[str, dt.date | None]:
    issued = _date(meta.get("成文日期", ""))
    issuer = meta.get("发文机关", "").strip()
    for index, line in enumerate(lines):
        if _DATE.fullmatch(line.strip()):
            issued = issued or _date(line)
            signer = lines[index - 1].strip() if index else ""
            if not issuer and signer.endswith(_ISSUER_ENDINGS) and len(signer) <= 40:
                issuer = signer
            break
    if not issuer and "关于" in title:
        issuer = title.split("关于", 1)[0]
    return issuer, issued


def _date(text: str) -> dt.date | None:
    match = _DATE.search(rules.fold(text))
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _most_common_goal_year(lines: list[str], start_year: int) -> int:
    years = Counter(
        int(year) for line in lines for year in re.findall(r"到\s*(\d{4})\s*年", line)
        if not start_year or int(year) > start_year
    )
    return years.most_common(1)[0][0] if years else 0


# --------------------------------------------------------------------------- walking the text

_HEADING_1 = re.compile(r"^[一二三四五六七八九十]+、")
_HEADING_2 = re.compile(r"^[(（][一二三四五六七八九十]+[)）]")
_HEADING_3 = re.compile(r"^\d{1,2}\s*[.．、](?!\d)")
_GOAL_LINE = re.compile(r"^[—―\-－]{2,}")
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
_CLAUSE = re.compile(r"[^,;:，；：]+")


@dataclass
class _Context:
    """What governs a sentence: headings above it, its year, whether it states goals."""

    headings: dict[int, str] = field(default_factory=dict)
    dimension_line: str = ""  # "———知识产权创造水平显著提高" or a short first sentence naming one
    skip: bool = False  # a section on the past
    goal_year: int | None = None  # set by "到2020年" in the current top-level section


class _Walker:
    def __init__(self, start_year: int, target_year: int) -> None:
        self.start_year = start_year
        self.target_year = target_year
        self.context = _Context()
        self.targets: list[DraftTarget] = []
        self.last_paragraph = ""

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
        if not text or _META.match(text):
            self.last_paragraph = text
            return
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
        if _HEADING_1.match(text):
            self.context = _Context(headings={1: first_sentence})
            self.context.skip = rules.is_retrospective_heading(first_sentence)
            return len(first_sentence)
        if _HEADING_2.match(text):
            context.headings = {1: context.headings.get(1, ""), 2: first_sentence}
            context.dimension_line = ""
            return len(first_sentence)
        numbered = _HEADING_3.match(text)
        if numbered:
            # "1.建立…。" opens a work point: its first sentence is part of the task, so it is kept.
            context.headings[3] = first_sentence
            return numbered.end()
        if _GOAL_LINE.match(text):
            context.dimension_line = first_sentence
            return len(first_sentence)
        # "知识产权创造能力显著提高。发明专利…": a short lead sentence naming a dimension, then the goals.
        lead = len(first_sentence) <= 18 and first_sentence.endswith("。") and len(text) > len(first_sentence)
        if lead and rules.dimension_of(first_sentence) and not rules.find_quantities(first_sentence):
            context.dimension_line = first_sentence
            return len(first_sentence)
        return 0

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
        for match in _SENTENCE.finditer(text, start, end):
            sentence = match.group(0)
            year = rules.governing_year(sentence)
            if rules.is_retrospective(sentence, self.start_year):
                continue
            if year is not None and year > (self.start_year or 0):
                paragraph_year = year
                if self.context.headings.get(1) and not self.context.headings.get(3):
                    self.context.goal_year = year
            target_year = self._year(paragraph_year, task)
            goal = paragraph_year is not None or (self.context.goal_year is not None and
                                                  not self.context.headings.get(3) and task is None)
            self.sentence(original, text, match.start(), match.end(), target_year, goal, task)

    def _year(self, paragraph_year: int | None, task: rules.TaskNote | None) -> int:
        if task is not None and task.deadline is not None:
            return task.deadline.year
        return paragraph_year or self.context.goal_year or self.target_year

    def sentence(
        self, original: str, text: str, start: int, end: int, year: int, goal: bool,
        task: rules.TaskNote | None,
    ) -> None:
        sentence = text[start:end]
        verb_seen = False
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
            strive = rules.is_strive(text[start:c_end])
            made = self.clause(original, text, c_start, c_end, sentence, year, goal, verb_seen,
                               strive, task, previous_name, previous_unit)
            if made:
                previous_name, previous_unit = made

    def clause(
        self, original: str, text: str, start: int, end: int, sentence: str, year: int, goal: bool,
        verb_seen: bool, strive: bool, task: rules.TaskNote | None, previous_name: str, previous_unit: str,
    ) -> tuple[str, str] | None:
        clause = text[start:end]
        words = original[start:end]  # the same span as the document writes it, for names and quotes
        common: dict[str, Any] = {"dimension": self.dimension(), "year": year, "strive": strive,
                  "responsible": task.responsible if task else (), "quote": words.strip()}
        made: tuple[str, str] | None = None
        growth = rules.find_growth(clause)
        if growth is not None and not rules.is_subsidy_rule(sentence, rules.Quantity(0, 0, growth.rate, "%")):
            own_name = rules.growth_subject(words, growth)
            name = own_name or previous_name
            check = "" if own_name else "growth with no indicator of its own; named after the one before it"
            if name:
                self.add(Target(id="", name=name, indicator=name, kind=Kind.GROWTH,
                                unit="" if own_name else previous_unit, rate=growth.rate / 100,
                                approximate=growth.approximate, **common), check)
                made = (name, previous_unit)
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
            if not made and goal and not task and rules.is_qualitative_goal(clause) and \
                    self.context.goal_year is not None:
                self.add(
                    Target(id="", name=rules.clean_name(words), kind=Kind.MILESTONE,
                           deadline=dt.date(year, 12, 31), **common),
                    f"a goal with no number, read as a task done by the end of {year}",
                )
        previous_end = 0
        name_used_after = False
        for quantity in quantities:
            if rules.is_subsidy_rule(sentence, quantity) or rules.is_prohibition(clause):
                continue
            if not (verb_seen or goal or quantity.floor or quantity.approximate):
                continue
            name, from_after, after_end = self._name(clause, original[start:end], quantity, previous_end,
                                                     name_used_after, quantities)
            name_used_after = from_after
            previous_end = max(quantity.end, after_end)
            if not name:
                name = previous_name or rules.clean_name(clause)
            unit = rules.per_ten_thousand_unit(name, quantity.unit)
            check = ""
            if not verb_seen and not quantity.floor and not quantity.approximate:
                check = "no verb such as 达到 next to the number; read as a goal from its section"
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
        quantities: list[rules.Quantity],
    ) -> tuple[str, bool, int]:
        """The indicator a number belongs to: the words before it, else the words after it.

        ``clause`` is folded (for finding), ``words`` the same span as the document writes it.
        """
        before = words[previous_end:quantity.start] if not name_used_after else ""
        before = re.sub(r"^(以上|左右)", "", before)
        name = rules.clean_name(before)
        if len(name) >= 2:
            return name, False, 0
        following = [q.start for q in quantities if q.start > quantity.end]
        stop = following[0] if following else len(clause)
        after = words[quantity.end:stop]
        after = re.sub(r"[及和、]\s*$", "", after) if following else after
        name = rules.clean_name(after)
        if len(name) <= 2 and not following:
            # "每年选择30家企业，开展…培育": the bare noun gets the rest of the sentence's first clause.
            name = rules.clean_name(words[quantity.end:])
        return name, True, quantity.end + len(after)

    # ------------------------------------------------------------------ tables
    def table(self, rows: tuple[tuple[str, ...], ...]) -> None:
        header = [rules.fold(cell) for cell in rows[0]]
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

    def table_row(
        self, cell: str, year: int, responsible: tuple[str, ...], deadline: dt.date | None, ongoing: bool
    ) -> None:
        before = len(self.targets)
        note = rules.TaskNote(0, 0, responsible, deadline, ongoing, deadline is not None or ongoing)
        text = rules.fold(cell)
        self.sentence(cell, text, 0, len(text), deadline.year if deadline else year, True, note)
        for index in range(before, len(self.targets)):
            drafted = self.targets[index]
            self.targets[index] = replace(drafted, check=drafted.check.replace(
                "no verb such as 达到 next to the number; read as a goal from its section", ""))
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
        doubt = _name_doubt(target.name)
        if doubt:
            check = f"{check}; {doubt}" if check else doubt
        self.targets.append(DraftTarget(target, check))


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


def _column(header: list[str], words: tuple[str, ...]) -> int | None:
    for index, cell in enumerate(header):
        if any(word in cell for word in words):
            return index
    return None


def _key(target: Target) -> tuple:
    return (target.kind, target.value, target.rate, target.min, target.max, target.unit, target.year,
            target.deadline, target.ongoing, target.aggregate)


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def _deduplicate(targets: list[DraftTarget]) -> list[DraftTarget]:
    """A number the document repeats (goal, then task) is drafted once: same values, similar names."""
    kept: list[DraftTarget] = []
    for drafted in targets:
        target = drafted.target
        duplicate = False
        for other in kept:
            if _key(other.target) != _key(target) or target.kind is Kind.MILESTONE:
                continue
            a, b = _bigrams(target.name), _bigrams(other.target.name)
            if len(a & b) / min(len(a), len(b)) >= 0.5:
                duplicate = True
                break
        if not duplicate:
            kept.append(drafted)
    return kept


def _number_ids(targets: list[DraftTarget]) -> tuple[DraftTarget, ...]:
    width = max(2, len(str(len(targets))))
    return tuple(
        replace(drafted, target=replace(drafted.target, id=f"{drafted.target.kind.value}-{number:0{width}d}",
                                        indicator=drafted.target.indicator or drafted.target.name))
        for number, drafted in enumerate(targets, start=1)
    )


# --------------------------------------------------------------------------- TOML


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escapes = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}
    out = []
    for char in text:
        if char in escapes:
            out.append(escapes[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _number(value: Decimal) -> str:
    return plain(value)


def _strings(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def render_toml(draft: Draft, *, source: str = "") -> str:
    """The draft as a plan file: [plan], then one [[target]] per target, # CHECK before unsure ones."""
    lines = [f"# Draft plan drafted by `ipreport extract`{' from ' + source if source else ''}.",
             "# Review every target (names, units, years) before use; `# CHECK:` marks the unsure ones."]
    lines += [f"# CHECK: {note}" for note in draft.notes]
    lines += ["", "[plan]", f"id = {toml_string(draft.id)}", f"title = {toml_string(draft.title)}"]
    if draft.document:
        lines.append(f"document = {toml_string(draft.document)}")
    if draft.issuer:
        lines.append(f"issuer = {toml_string(draft.issuer)}")
    if draft.issued:
        lines.append(f"issued = {draft.issued.isoformat()}")
    lines += [f"region = {toml_string(draft.region)}", f"start_year = {draft.start_year}",
              f"target_year = {draft.target_year}"]
    for drafted in draft.targets:
        lines.append("")
        if drafted.check:
            lines.append(f"# CHECK: {drafted.check}")
        lines += _target_lines(drafted.target, draft.target_year)
    return "\n".join(lines) + "\n"


def _target_lines(target: Target, plan_year: int) -> list[str]:
    lines = ["[[target]]", f"id = {toml_string(target.id)}", f"name = {toml_string(target.name)}",
             f"dimension = {toml_string(target.dimension)}"]
    if target.indicator and target.indicator != target.name:
        lines.append(f"indicator = {toml_string(target.indicator)}")
    lines.append(f'kind = "{target.kind.value}"')
    if target.kind is Kind.LEVEL and target.value is not None:
        lines.append(f"target = {_number(target.value)}")
    if target.kind is Kind.GROWTH and target.rate is not None:
        lines.append(f'rate = "{_number(target.rate * 100)}%"')
    if target.kind is Kind.RANGE:
        lines += [f"min = {_number(target.min or Decimal(0))}", f"max = {_number(target.max or Decimal(0))}"]
    if target.kind is Kind.MILESTONE:
        lines.append("ongoing = true" if target.ongoing or target.deadline is None
                     else f"deadline = {target.deadline.isoformat()}")
    if target.unit:
        lines.append(f"unit = {toml_string(target.unit)}")
    if target.kind is not Kind.MILESTONE:
        lines.append(f'direction = "{target.direction.key}"')
    if target.year and target.year != plan_year and target.kind is not Kind.MILESTONE:
        lines.append(f"year = {target.year}")
    if target.strive:
        lines.append("strive = true")
    if target.approximate:
        lines.append("approximate = true")
    if target.aggregate != "latest":
        lines.append(f'aggregate = "{target.aggregate}"')
    if target.interim:
        pairs = ", ".join(f"{p.year} = {_number(p.value)}" for p in target.interim)
        lines.append(f"interim = {{ {pairs} }}")
    if target.responsible:
        lines.append(f"responsible = {_strings(target.responsible)}")
    if target.quote:
        lines.append(f"quote = {toml_string(target.quote)}")
    return lines
