"""The [plan] header of a drafted plan: title, document number, issuer, date, region and years."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from ipreport.extract import rules
from ipreport.extract.blocks import Block


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

    def derived_id(self, region: str) -> str:
        """"jilin-2016" from the region's romanised name (catalogue) and the start year; for a region the
        catalogue does not hold, "plan-2021-2025" (no pinyin at hand): valid [a-z0-9-]+ either way."""
        from ipreport.catalogue import catalogue

        romanised = catalogue().romanised(region)
        if romanised:
            return f"{romanised}-{self.start_year}"
        return f"plan-{self.start_year}-{self.target_year}"


_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,10})\s*[〔\[(（【]\s*(\d{4})\s*[〕\])）】]\s*(\d{1,4})\s*号")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
META_FIELD = re.compile(r"(标题|文件名称|发文字号|文件编号|发文机关|成文日期)\s*[:：]\s*([^\t]+)")
_YEAR_SPAN = re.compile(r"[(（]\s*(\d{4})\s*[—\-－–~～至]+\s*(\d{4})\s*年?\s*[)）]")
_REGION = re.compile(r"^([\u4e00-\u9fff]{1,8}?(?:自治区|自治州|特别行政区|省|市|州|盟|县|旗|区))")
_ISSUER_ENDINGS = ("政府", "办公厅", "办公室", "局", "委员会", "厅", "委", "院", "部")


def read_header(blocks: list[Block], period: tuple[int, int] | None = None) -> Header:
    """Title, document number, issuer, date, region and years from the top and end of the document.

    ``period`` (start, end), given by the user, replaces the years the document states.
    """
    lines = [rules.fold(b.text).strip() for b in blocks if not b.is_table]
    meta: dict[str, str] = {}
    for line in lines[:12]:
        for key, value in META_FIELD.findall(line):
            meta.setdefault(key, value.strip())
    header = Header()
    notes: list[str] = []
    number_line = _find_number_line(lines)
    header.document = _document_number(meta.get("发文字号") or meta.get("文件编号") or
                                       (lines[number_line] if number_line is not None else ""))
    header.title = _title(lines, meta, number_line)
    if len(header.title) > _LONGEST_TITLE or not header.title:
        # The first paragraph is not a title; a plan names itself in 《…》 ("关于印发《…规划》的通知").
        header.title = _bracketed_title(lines) or header.title[:_LONGEST_TITLE]
    header.issuer, header.issued = _issuer_and_date(lines, meta, header.title)
    # "…关于印发《X》的通知" is the cover letter's title; the plan is X (as the bundled plans name it).
    header.title = _issued_plan_title(header.title)
    # A title is one phrase: a "title" with a comma is the first sentence ("近年来某市…，"), which names
    # no issuer, so it gives no region.
    title_region = "" if re.search(r"[,，。]", header.title) else _region_at_start(header.title)
    header.region = _region_at_start(header.issuer) or title_region
    number_year = re.search(r"〔(\d{4})〕", header.document)
    document_year = int(number_year.group(1)) if number_year else None
    title_span = _YEAR_SPAN.search(header.title)
    span = title_span or next((m for m in (_YEAR_SPAN.search(line) for line in lines[:40]) if m), None)
    header.start_year = document_year or (int(span.group(1)) if span else 0) or (
        header.issued.year if header.issued else 0)
    header.target_year = int(span.group(2)) if span else _most_common_goal_year(lines, header.start_year)
    title_period = None if title_span else _title_period(header.title)  # a bracketed span has said it
    if title_period is not None:
        header.start_year, header.target_year = title_period
    if period is not None:
        header.start_year, header.target_year = period
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


_LONGEST_TITLE = 60
_BRACKETED = re.compile(r"《([^》]{4,60}(?:规划|方案|意见|计划|要点|纲要|措施|办法|行动))》")


def _bracketed_title(lines: list[str]) -> str:
    """The first 《…》 name of a plan in the document's first paragraphs."""
    for line in lines[:30]:
        match = _BRACKETED.search(line)
        if match:
            return match.group(1)
    return ""


_ISSUED_PLAN = re.compile(r"关于(?:印发|转发|发布)《?(?P<plan>[^《》]{4,60}?)》?的(?:通知|决定)$")


def _issued_plan_title(title: str) -> str:
    """"青海省政府办公厅关于印发青海省知识产权工作推进计划的通知" -> "青海省知识产权工作推进计划"."""
    match = _ISSUED_PLAN.search(title)
    return match["plan"] if match else title


def _five_year_period(title: str) -> tuple[int, int] | None:
    """"某市“十四五”知识产权发展规划" -> (2021, 2025): the years of the five-year plan a title names."""
    match = re.search(r"十[一二三四五]五", title)
    if match is None:
        return None
    end = rules.FIVE_YEAR_PLANS[match.group(0)]
    return end - 4, end


# A year in a title, not one end of a span ("2021-2025年"), nor a goal year ("到2025年", "2035年远景目标").
_TITLE_YEAR = re.compile(r"(?<![\d到至—\-－–~～])(\d{4})\s*年(?!\s*[—\-－–~～至]|远景|前|底)")


def _title_period(title: str) -> tuple[int, int] | None:
    """The period a title without a bracketed span states, or None.

    "2022年知识产权强国建设纲要和“十四五”规划实施推进计划" -> (2022, 2022): a plan for one year, though
    it names the five-year plan it carries out. 《…“十四五”知识产权规划》 -> (2021, 2025), whatever year
    it was issued in. A year outside the five-year plan the title names is no year of the document
    ("…“十四五”规划和2035年远景目标纲要")."""
    five_year = _five_year_period(title)
    years = {int(match.group(1)) for match in _TITLE_YEAR.finditer(title)}
    if len(years) == 1:
        year = years.pop()
        if five_year is None or five_year[0] <= year <= five_year[1]:
            return year, year
    return five_year


def _find_number_line(lines: list[str]) -> int | None:
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
    found = [int(year) for line in lines for year in re.findall(r"到\s*(\d{4})\s*年", line)]
    # "到“十三五”末", "“十四五”期末": the end of a five-year plan is a goal year too.
    found += [end for end in (rules.five_year_end(line) for line in lines) if end is not None]
    years = Counter(year for year in found if not start_year or year > start_year)
    return years.most_common(1)[0][0] if years else 0
