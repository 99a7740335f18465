"""Phrase rules for drafting plans: one small function per way a Chinese policy text states a target.

Every function works on *folded* text (see ``fold``): full-width digits and punctuation replaced
one-for-one by ASCII, so offsets into the folded text are offsets into the original and quotes can
be cut from the original document.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from ipreport.extract.chinese_numerals import ChineseNumeralError, parse_chinese_numeral
from ipreport.util.numbers import MULTIPLIERS

# One character for one character, so offsets survive folding.
_FOLD = str.maketrans("０１２３４５６７８９．，－＋％（）～：；", "0123456789.,-+%()~:;")

NUMBER = r"\d+(?:\.\d+)?"
CHINESE_NUMBER = r"[〇零一二两三四五六七八九十百千]+"
# Longest first, so "个百分点" wins over "个" and "件/万人" over "件".
COUNT_UNITS = (
    "个百分点", "件/万人", "件/年", "人次", "万元", "亿元", "元", "件", "家", "户", "个月", "个", "项", "所",
    "名", "人", "次", "年", "倍", "座", "条", "部", "种", "套", "支", "份", "场", "期", "篇", "台", "位",
    "处",
    "%",
)
_UNIT = "|".join(re.escape(unit) for unit in COUNT_UNITS)
_QUANTITY = re.compile(
    rf"(?P<num>{NUMBER}|{CHINESE_NUMBER})"
    rf"(?:\s*(?:-|~|至|到|—|－|～)\s*(?P<num2>{NUMBER}|{CHINESE_NUMBER}))?"
    rf"\s*(?P<mult>万亿|万|亿)?(?P<unit>{_UNIT})"
    r"(?P<floor>以上)?(?P<approx>左右)?"
)
# Words that make a number a target rather than a fact or a rule.
TARGET_VERBS = (
    "达到", "达", "突破", "超过", "不低于", "不少于", "培育", "建成", "建设", "建立", "组建", "形成",
    "引进", "选择", "实现", "新增", "打造", "认定", "布局", "创建", "扶持", "开展", "累计", "增至",
    "提高到", "提升到", "提高至", "提升至", "保持在", "完成", "设立", "压减至", "压减到", "缩短至", "缩短到",
    "稳定在",
)
DECREASE_WORDS = ("以下", "以内", "不高于", "不超过", "控制在", "低于", "下降", "减少", "压减", "缩短")
SUBSIDY_WORDS = ("补助", "奖励", "资助", "补贴", "奖补", "给予", "贴息")
DIMENSION_WORDS = (
    ("创造", "创造"), ("运用", "运用"), ("转化", "运用"), ("运营", "运用"), ("保护", "保护"),
    ("执法", "保护"), ("维权", "保护"), ("管理", "管理"), ("服务", "服务"), ("人才", "人才"),
)
RETROSPECTIVE_HEADINGS = (
    "形势", "现状", "回顾", "成效", "成就", "发展基础", "规划背景", "执行情况", "完成情况",
    "存在的问题", "存在问题", "主要问题", "取得的成绩", "工作总结",
)
# "一、专利申请情况", "三、有效发明专利情况": the headings of a statistics bulletin.
_STATISTICS_HEADING = re.compile(r"(?:申请|授权|登记|注册|有效[^,，。]{0,8}|拥有|执法|办案|进展)情况$")
TREND_WORDS = ("稳步增长", "持续增长", "稳定增长", "逐年增长", "稳步提高", "稳步提升")
INDICATOR_ENDINGS = ("量", "数", "数量", "额", "率", "总量", "投入", "规模", "收入", "比重")
MILESTONE_VERBS = ("实现", "全面建立", "建立", "普遍设立", "设立", "建成", "出台", "制定", "形成")
VAGUE_WORDS = (
    "一批", "基本", "进一步", "逐步", "不断", "明显", "显著", "大幅", "更加", "初步", "有效", "普遍提高",
    "合理", "充分", "良好", "能够",
)
ONGOING_WORDS = ("持续推进", "长期坚持", "持续开展", "长期推进", "常态化推进")


def fold(text: str) -> str:
    """Full-width digits and punctuation to ASCII, one character for one (offsets are kept)."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Quantity:
    """A number with its unit as the text writes it: "100家以上", "2.4万件", "3-5个", "50件左右"."""

    start: int
    end: int
    value: Decimal
    unit: str
    high: Decimal | None = None  # a range's upper end
    floor: bool = False  # 以上
    approximate: bool = False  # 左右
    chinese: bool = False  # written in Chinese numerals


def _number(text: str) -> Decimal:
    if re.fullmatch(NUMBER, text):
        return Decimal(text)
    return parse_chinese_numeral(text)


def masked_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted names, titles and document numbers: numbers inside them are not targets."""
    spans = []
    for pattern in (r"“[^”]*”", r"\"[^\"]*\"", r"《[^》]*》", r"〔[^〕]*〕\s*\d*号?", r"\[[^\]]*\]"):
        spans += [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    return spans


def find_quantities(text: str) -> list[Quantity]:
    """Every number with a counting unit that can be a target value (folded text).

    Years ("2020年"), ordinals ("第十二次"), "一次性", and numbers inside “…”, 《…》 or 〔…〕 are left out.
    A multiplier is applied to counts ("2.4万件" -> 24000 件) but kept in money units ("50亿元").
    """
    spans = masked_spans(text)
    found = []
    for match in _QUANTITY.finditer(text):
        start, end = match.span()
        if any(a <= start < b for a, b in spans):
            continue
        unit, mult = match["unit"], match["mult"] or ""
        chinese = not match["num"][0].isdigit()
        if start > 0 and (text[start - 1] == "第" or text[start - 1].isdigit() or text[start - 1] == "."):
            continue
        if text[end - len(match["floor"] or "") - len(match["approx"] or ""):end].startswith("性") or \
                text[end:end + 1] == "性":
            continue
        if _COUNTS_DOCUMENT.match(text, end) and unit in ("个", "项"):
            continue  # "等12个预期性定量指标", "5个定性目标": the document counting its own contents
        near = re.search(r"(接)?近\s*$", text[max(0, start - 3):start])
        if near and not near[1]:
            continue  # "近500家": a reported round figure; a plan writes 左右 or 以上 (or 接近)
        if chinese and not _after_target_verb(text, start):
            continue  # "四位一体", "三种职能": Chinese numerals count only right after 达到, 培育 …
        try:
            value = _number(match["num"])
            high = _number(match["num2"]) if match["num2"] else None
        except ChineseNumeralError:
            continue
        if unit == "年" and (value >= 1000 or mult or chinese):
            continue  # a year, not a duration
        if high is not None and (value >= 1900 or high <= value):
            continue  # "2022—2023年" or a document number, not a range
        if unit.endswith("/年"):
            unit = unit[:-2]  # "320件/年": a yearly flow, each year's count compared with 320
        if unit.endswith("元"):
            unit = mult + unit if unit == "元" else unit
        elif mult:
            factor = Decimal(1)
            for char in mult:  # "万亿" is 万 times 亿, as parse_number reads it
                factor *= MULTIPLIERS[char]
            value *= factor
            high = high * factor if high is not None else None
        found.append(
            Quantity(start, end, value, unit, high, bool(match["floor"]), bool(match["approx"]) or bool(near),
                     chinese)
        )
    for match in _IMPLIED_ONE.finditer(text):  # "超万亿元", "突破千亿元": a round figure with no digit
        read = any(quantity.start == match.start("mult") for quantity in found)
        if read or any(a <= match.start() < b for a, b in spans):
            continue  # read already ("千亿元" as the Chinese numeral 千 with 亿元), or quoted
        value, mult = _IMPLIED_VALUES[match["mult"]]
        unit = mult + match["unit"] if match["unit"] == "元" else match["unit"]
        value = value if match["unit"] == "元" else value * _multiplier(mult)
        found.append(Quantity(match.start("mult"), match.end(), value, unit, None, True, False, False))
    return sorted(found, key=lambda quantity: quantity.start)


# "超万亿元" is more than 1 万亿元, "突破千亿元" more than 1000 亿元: the count is in the multiplier.
_IMPLIED_ONE = re.compile(
    r"(?:超过|超|突破|逾)(?P<mult>万亿|千亿|百亿|亿|千万|百万|万)(?P<unit>元|件|家|人|户)"
)
_IMPLIED_VALUES = {"万亿": (Decimal(1), "万亿"), "千亿": (Decimal(1000), "亿"), "百亿": (Decimal(100), "亿"),
                   "亿": (Decimal(1), "亿"), "千万": (Decimal(1000), "万"), "百万": (Decimal(100), "万"),
                   "万": (Decimal(1), "万")}


def _multiplier(mult: str) -> Decimal:
    factor = Decimal(1)
    for char in mult:
        factor *= MULTIPLIERS[char]
    return factor


_COUNTS_DOCUMENT = re.compile(r"(?:预期性|约束性|定量|定性|主要|重点|具体|量化)*(?:指标|目标|任务|工作内容)")


def _after_target_verb(text: str, start: int) -> bool:
    before = text[max(0, start - 4):start]
    return any(before.endswith(verb) for verb in TARGET_VERBS)


def has_target_verb(text: str) -> bool:
    """达到 / 力争达到 / 突破 / 不低于 / 不少于 / 培育 / 建成 …: the text states something to reach."""
    return any(verb in text for verb in TARGET_VERBS)


def is_strive(text: str) -> bool:
    """力争 (strive to): a stretch target."""
    return "力争" in text


@functools.lru_cache(maxsize=16)
def direction_of(text: str) -> str:
    """"increase" unless the wording caps the value (以下, 不高于, 控制在 …)."""
    text = text.replace("不低于", "").replace("不少于", "")
    return "decrease" if any(word in text for word in DECREASE_WORDS) else "increase"


def is_subsidy_rule(sentence: str, quantity: Quantity) -> bool:
    """"每件给予不高于0.5万元的补助": money or shares in a subsidy or reward rule are not targets."""
    subsidy, ratio = _subsidy_words(sentence)
    return subsidy and (quantity.unit.endswith("元") or quantity.unit == "%" or ratio)


# Asked once per number of a sentence: scanning the sentence each time would be quadratic in its length.
@functools.lru_cache(maxsize=16)
def _subsidy_words(sentence: str) -> tuple[bool, bool]:
    return any(word in sentence for word in SUBSIDY_WORDS), "比例" in sentence


@functools.lru_cache(maxsize=16)
def is_prohibition(clause: str) -> bool:
    """"不得低于70%": a legal floor on others' conduct, not a target of the plan."""
    return "不得" in clause


def is_retrospective_heading(heading: str) -> bool:
    """A section on the situation so far ("面临的形势", "发展现状", "“十三五”时期取得的成效", "存在的问题",
    a statistics bulletin's "专利申请情况") holds no targets."""
    heading = heading.strip(" 。:")
    return any(word in heading for word in RETROSPECTIVE_HEADINGS) or \
        bool(_STATISTICS_HEADING.search(heading))


_GOVERNING_YEAR = re.compile(r"(?:到|至|截至|截止)\s*(\d{4})\s*年")


def governing_year(text: str) -> int | None:
    """"到2020年，…" sets the year of the targets that follow it."""
    match = _GOVERNING_YEAR.search(text)
    return int(match.group(1)) if match else None


_GROWTH = re.compile(
    rf"(?:年均|每年|年平均|平均每年|平均)?(?:增长|增速|增幅)(?:率)?(?:达到|达|保持在|保持|超过|不低于|高于)?"
    rf"\s*(?P<rate>{NUMBER})%"
    r"(?P<floor>以上)?(?P<approx>左右)?"
)
_GROWTH_SPEED = re.compile(rf"以每年\s*(?P<rate>{NUMBER})%(?P<floor>以上)?(?:左右)?的速度(?:增长|提高)")
# "实现年均10%的增长", "保持8%以上的增速": the rate before the word for growth.
_GROWTH_BEFORE = re.compile(
    rf"(?:实现|保持)(?:年均|每年|年平均)?\s*(?P<rate>{NUMBER})%(?P<floor>以上)?(?P<approx>左右)?的(?:年均)?(?:增长|增速|增幅)"
)


# "实现知识产权质押融资额年均10%的增长", "实现…拥有量6%的增长": the indicator between 实现 and the rate.
_GROWTH_RATE_FIRST = re.compile(
    rf"(?:年均|每年|年平均)?\s*(?P<rate>{NUMBER})%(?P<floor>以上)?(?P<approx>左右)?的(?:增长|增速|增幅)"
)


@dataclass(frozen=True)
class Growth:
    """A yearly growth rate: "年均增长10%以上", "以每年30%以上的速度增长"."""

    start: int
    end: int
    rate: Decimal  # percent, as written
    approximate: bool = False


def find_growth(text: str) -> Growth | None:
    """"年均增长10%以上", "增长…%", "以每年30%以上的速度增长" (folded text)."""
    for pattern in (_GROWTH_SPEED, _GROWTH_BEFORE, _GROWTH_RATE_FIRST, _GROWTH):
        match = pattern.search(text)
        if match:
            approx = "approx" in match.groupdict() and bool(match["approx"])
            return Growth(match.start(), match.end(), Decimal(match["rate"]), approx)
    return None


def growth_subject(text: str, growth: Growth) -> str:
    """The indicator before the growth phrase, without its verb: "专利申请以每年30%…" -> "专利申请".

    A time word alone ("力争全年增长20%") names nothing: the caller looks for the indicator elsewhere.
    """
    before = text[: growth.start]
    before = re.sub(r"(的|以|实现|保持|力争|确保|全年|每年|年均)+$", "", before)
    return clean_name(without_years(before))


_JOINT = re.compile(r"(?P<first>.+?)(?:和|及|与)(?P<second>.+?)(?:均|都)$")


def joint_subjects(name: str) -> list[str]:
    """"质押融资金额和惠及中小企业数量均…", "涉外专利申请量、授权量年均增长20%": one name for each indicator
    that shares the figure (a short later name borrows the first one's subject: "涉外专利授权量")."""
    match = _JOINT.fullmatch(name)
    if match is not None:
        return [clean_name(match["first"]), clean_name(match["second"])]
    parts = [clean_name(part) for part in name.split("、")]
    if len(parts) < 2 or not all(part.endswith(INDICATOR_ENDINGS) for part in parts):
        return [name]
    return respective_names(name, len(parts)) or parts


_RAISED_OBJECT = re.compile(r"(?:扩大|提高|提升|增加|做大)(?P<object>[^,，;；。]{2,})$")


def raised_object(text: str) -> str:
    """"扩大知识产权质押融资规模" -> the indicator raised, named before a bare "力争全年增长20%"."""
    match = _RAISED_OBJECT.search(text.rstrip(",，; "))
    return clean_name(match["object"]) if match else ""


def find_trend(text: str) -> tuple[str, ...]:
    """"A、B稳步增长" with no number: one trend per indicator named before the phrase."""
    for word in TREND_WORDS:
        position = text.find(word)
        if position <= 0:
            continue
        subjects = [clean_name(part) for part in re.split(r"[、和及]", text[:position])]
        if subjects and all(s.endswith(INDICATOR_ENDINGS) for s in subjects if s) and any(subjects):
            return tuple(s for s in subjects if s)
    return ()


_PER_YEAR = re.compile(r"每年")


def is_per_year(text: str, quantity: Quantity) -> bool:
    """"每年选择30家企业": a yearly quota (the 每年 before the number, not a rate)."""
    return quantity.unit != "%" and 0 <= _first_per_year(text) < quantity.start


@functools.lru_cache(maxsize=16)
def _first_per_year(text: str) -> int:
    match = _PER_YEAR.search(text)
    return match.start() if match else -1


_DEADLINE = re.compile(
    r"(?P<year>\d{4})\s*年\s*(?:(?P<month>\d{1,2})\s*月\s*(?:(?P<day>\d{1,2})\s*日)?\s*(?:底|末)?"
    r"|(?P<half>上半年|下半年)|(?:第?(?P<quarter>[一二三四1-4])季度)|(?:底|年底|末))\s*(?:前|以前)?"
)
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def parse_deadline(text: str) -> dt.date | None:
    """"2022年12月底前" -> 2022-12-31, "6月底前" end of June, "2023年底前" -> 12-31, "上半年" -> 06-30."""
    match = _DEADLINE.search(fold(text))
    if not match:
        return None
    year = int(match["year"])
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            return None
        day = int(match["day"]) if match["day"] else calendar.monthrange(year, month)[1]
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    if match["half"]:
        return dt.date(year, 6, 30) if match["half"] == "上半年" else dt.date(year, 12, 31)
    if match["quarter"]:
        month = _QUARTERS[match["quarter"]] * 3
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, 12, 31)


def is_ongoing(text: str) -> bool:
    """"完成时限：持续推进": a task with no end date."""
    return any(word in text for word in ONGOING_WORDS)


_RESPONSIBLE_SUFFIXES = re.compile(r"(等)?(按职责分工负责|按职责负责|分工负责|负责|牵头|配合|参与)$")


def split_responsible(text: str) -> tuple[str, ...]:
    """"省知识产权局牵头，省财政厅、省科技厅等按职责分工负责" -> each unit, without 牵头/负责."""
    units = []
    for part in re.split(r"[、，,；;\s]+", fold(text).replace("及", "、")):
        part = part.strip("。. ")
        previous = None
        while previous != part:
            previous, part = part, _RESPONSIBLE_SUFFIXES.sub("", part)
        if part and part not in units:
            units.append(part)
    return tuple(units)


_NOTE_WORDS = ("责任单位", "完成时限", "牵头单位", "责任部门")


def _parenthesised(text: str) -> list[tuple[int, int]]:
    """Spans of top-level (…) groups, nested ones such as "市(州)" included in their parent."""
    spans, depth, opened = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                opened = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, index + 1))
    return spans


@dataclass(frozen=True)
class TaskNote:
    """"（责任单位：…。完成时限：…）" after a task: who does it and by when."""

    start: int
    end: int
    responsible: tuple[str, ...]
    deadline: dt.date | None
    ongoing: bool
    has_deadline_field: bool


def find_task_notes(text: str) -> list[TaskNote]:
    """Every "(责任单位:…完成时限:…)" note in a paragraph (folded text), in order."""
    notes = []
    for start, end in _parenthesised(text):
        body = text[start + 1:end - 1]
        if not any(word in body for word in _NOTE_WORDS):
            continue
        who = re.search(r"(?:责任单位|牵头单位|责任部门)\s*:?\s*(?P<who>.*?)(?:[。.;；]?\s*完成时限|$)", body)
        when = re.search(r"完成时限\s*:?\s*(?P<when>.*)$", body)
        responsible = split_responsible(who["who"]) if who else ()
        when_text = when["when"] if when else ""
        notes.append(
            TaskNote(
                start, end, responsible, parse_deadline(when_text) if when else None,
                is_ongoing(when_text), when is not None,
            )
        )
    return notes


_FULL_COVERAGE = re.compile(r"(?:实现|达到)?全覆盖")


def find_full_coverage(text: str) -> tuple[int, int] | None:
    """"科技型企业专利申请实现全覆盖": every unit covered, a level target of 100 %."""
    match = _FULL_COVERAGE.search(text)
    return match.span() if match else None


_YEARLY_REPORT = re.compile(r"(?:发布|编制|出版|编写)[^,，。;；]{0,12}(?:年度|每年)[^,，。;；]*?报告")


def is_yearly_report(text: str) -> bool:
    """"发布年度知识产权发展状况报告": a task done every year, so ongoing rather than dated."""
    return bool(_YEARLY_REPORT.search(text))


def dimension_of(heading: str) -> str | None:
    """创造 运用 保护 管理 服务 人才 from the first keyword in a heading, or None."""
    best: tuple[int, str] | None = None
    for word, dimension in DIMENSION_WORDS:
        position = heading.find(word)
        if position >= 0 and (best is None or position < best[0]):
            best = (position, dimension)
    return best[1] if best else None


def is_qualitative_goal(clause: str) -> bool:
    """"高等学校和科研院所全面建立知识产权管理制度": who, then a completion verb, and no vague word.

    A clause opening with the verb ("实现…保驾护航") or with a purpose ("为…") states no one's task.
    """
    clause = clause.strip()
    if clause.startswith(("为", "以", "使", "让")) or clause.startswith(MILESTONE_VERBS):
        return False
    return any(verb in clause for verb in MILESTONE_VERBS) and not any(w in clause for w in VAGUE_WORDS)


_LEADING = re.compile(
    r"^(?:[,，、;；:：\s]|本报讯|其中|并且|并|同时|全省|全市|我省|我市|我国|全区|全州|全县|力争|确保|争取|到\s*\d{4}\s*年底?|"
    r"在全省|在全市|每年|培育|选择|引进|组建|新增|打造|实现|完成|新建|"
    # time words name no indicator ("年内培育15家左右…企业": the name follows the number)
    r"(?:到)?(?:今年|明年|年内|全年|当年|本年度?)(?:底|内)?|届时|将|在?全?(?:省|市|区|州|县)?范围内)+"
)
_TRAILING = re.compile(
    r"(?:力争|达到|达|突破|超过|超|逾|接近|不低于|不少于|分别|累计|新增|增至|提高到|提升到|提高至|提升至|保持在|"
    r"实现|完成|培育|建成|建设|建立|组建|形成|引进|选择|打造|认定|布局|创建|扶持|开展|设立|"
    r"压减至|压减到|缩短至|缩短到|稳定在|"
    r"的|为|在|和|及|、|\s)+$"
)


def clean_name(text: str) -> str:
    """The indicator named around a number: fillers (全省, 力争, 到2020年) and verbs (达到 …) removed."""
    text = text.strip()
    previous = None
    while previous != text:
        previous = text
        text = _LEADING.sub("", text)
        text = _TRAILING.sub("", text)
    return text.strip(" ,，。")


_PER_TEN_THOUSAND = re.compile(r"^(?:每)?万(?P<of>人|户)|每万(?P<of2>人|户)")
_PER_HUNDRED_MILLION_YUAN = re.compile(r"每亿元")


def per_ten_thousand_unit(name: str, unit: str) -> str:
    """"每万人口发明专利拥有量…4.2件" is counted per 10,000 people: unit 件/万人; "(每)万户市场主体…" per
    10,000 market entities: 件/万户. A share (%) or a rate already per something stays as it is."""
    if "/" in unit or unit in ("%", "个百分点"):
        return unit
    match = _PER_TEN_THOUSAND.search(name)
    if match is None:
        # "每亿元营业收入高价值专利数接近4件": counted per 亿元 of revenue (or of GDP)
        return f"{unit}/亿元" if _PER_HUNDRED_MILLION_YUAN.search(name) and not unit.endswith("元") else unit
    return f"{unit}/万{match['of'] or match['of2']}"


# ------------------------------------------------------------------ years inside sentences
# The end year of a five-year plan period: 十二五 ends in 2015, 十三五 in 2020, …
FIVE_YEAR_PLANS = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}
_FIVE_YEAR = r"(?P<plan>十[一二三四五]五)[\"”“'’]?"
FIVE_YEAR_END = re.compile(_FIVE_YEAR + r"\s*(?:期末|末|时期末|收官之年)")
FIVE_YEAR_SPAN = re.compile(_FIVE_YEAR + r"\s*(?:期间|时期|以来)")
# "到2022年", "2018年达到", "2025年底前", "到“十三五”末": the year a clause speaks of.
_CLAUSE_YEAR = re.compile(
    r"(?<![较比与至\d])(?:到|至|在)?\s*(?P<year>\d{4})\s*年(?:底|末)?(?:前|以前)?(?![\d月度以相比])"
)
_STAGE_YEAR = re.compile(r"(?:阶段\s*)?\(\s*(?P<year>\d{4})\s*年(?:底|末)?(?:前)?\s*\)")


def five_year_end(text: str) -> int | None:
    """"到“十三五”末", "“十四五”期末" -> 2020, 2025: the last year of that five-year plan."""
    match = FIVE_YEAR_END.search(text)
    return FIVE_YEAR_PLANS[match["plan"]] if match else None


_TITLE = re.compile(r"《[^》]*》")


def clause_year(clause: str) -> int | None:
    """The year a clause is about: "到2022年达到5件", "2018年达到15件", "到“十三五”末" (folded text).

    "较2019年", "比2021年" and "与2020年相比" compare with a year; they set none.
    """
    end = five_year_end(clause)
    if end is not None:
        return end
    # a year in a title names a document ("紧扣《…专项行动方案(2023—2025年)》的目标任务"); it sets no deadline
    clause = _TITLE.sub(lambda title: " " * len(title.group(0)), clause)
    match = _CLAUSE_YEAR.search(clause)
    if match is None or re.search(r"(相比|比较)", clause[match.end():match.end() + 3]):
        return None
    return int(match["year"])


# "三年内", "5年内" is a span of years from now, not this year.
_THIS_YEAR = re.compile(r"今年|(?<![\d一二两三四五六七八九十几])年内|本年度?|当年(?!的)")
_NEXT_YEAR = re.compile(r"明年")


def relative_year(clause: str, start_year: int) -> int | None:
    """"今年", "年内" and "明年" in a plan: the year it is issued is its first one, so 今年 is the
    start year and 明年 the year after (folded text); None when the clause says neither."""
    if _NEXT_YEAR.search(clause):
        return start_year + 1
    return start_year if _THIS_YEAR.search(clause) else None


def stage_year(text: str) -> int | None:
    """"第一阶段(2019年)", "(2019年)基本建成…": the year a stage of the plan ends (folded text)."""
    match = _STAGE_YEAR.search(text[:30])
    return int(match["year"]) if match else None


_YEAR_FRAGMENT = re.compile(
    r"(?:第[一二三四五六]阶段|[\u4e00-\u9fff]{2}阶段)?\s*[(（]?\s*(?:到|至|在)?\d{4}\s*年(?:底|末)?(?:前|以前)?\s*[)）]?"
    r"|(?:到|至)?[\"“]?十[一二三四五]五[\"”]?(?:期末|末)"
)


def without_years(name: str) -> str:
    """A name without year fragments: "地理标志商标2018年" -> "地理标志商标"."""
    return _YEAR_FRAGMENT.sub("", name)


# ------------------------------------------------------------------ 分别达到A和B
_RESPECTIVELY = re.compile(r"分别(?:达到|达|为|突破|超过|增至|提高到|提升到|不低于|不少于)?")


def respective_names(before: str, count: int) -> list[str] | None:
    """"发明专利申请量和授权量分别达到6000件和9000件": one name per number, in order.

    A short later name ("授权量") borrows the first name's subject ("发明专利"); a short first name
    ("专利" in "专利和商标质押融资额") borrows the last name's measure ("质押融资额").
    """
    parts = [clean_name(part) for part in re.split(r"[、和及与]", before)]
    parts = [part for part in parts if part]
    if len(parts) != count and "、" in before:
        # "国家级和省级示范企业、服务网点总数分别突破360家、18个": 、 separates the names, 和 joins within one
        parts = [part for part in (clean_name(part) for part in before.split("、")) if part]
    if len(parts) != count or count < 2:
        return None
    first, last = parts[0], parts[-1]
    names = []
    for index, part in enumerate(parts):
        if index and part.endswith(INDICATOR_ENDINGS) and len(part) <= 3 and first.endswith(part[-1]) \
                and len(first) > len(part):
            part = first[: len(first) - len(part)] + part
        elif not part.endswith(INDICATOR_ENDINGS) and last.endswith(INDICATOR_ENDINGS) and \
                len(last) > len(part):
            part = part + last[len(part):]
        names.append(part)
    return names


_ENUMERATION_COUNT = re.compile(r"等\s*$")


def is_enumeration_count(before: str) -> bool:
    """"云计算、大数据…等8项列入…": the number counts the things just listed; it sets no goal."""
    return bool(_ENUMERATION_COUNT.search(before))


# Between a figure and the next one of its clause: "88个贫困县新增地标90件" (the counties are whom the goal
# covers), "年申请量超2000件的县市区达到10个" (the 2000件 says which counties count). No list joins them.
_QUALIFIER_VERB = re.compile(
    r"新增|达到|达|超过|突破|建成|培育|实现|拥有|获得|入选|增至|提高到|提升到|提高至|提升至"
)
_LIST_JOIN = re.compile(r"[和及与、并,，;；]|以及")


def is_qualifier(between: str) -> bool:
    """Whether a figure only qualifies what the next figure of its clause counts, given the words between
    them: "88个[贫困县新增地标]90件", "超2000件[的县市区达到]10个". "5个示范区和培育20家…" are two goals."""
    gap = re.sub(r"^(?:以上|以下|左右)", "", between)
    if not gap or len(gap) > 20 or _LIST_JOIN.search(gap) or re.search(r"\d", gap):
        return False
    return gap.startswith("的") or bool(_QUALIFIER_VERB.search(gap))


_CUT_BEFORE_SHARE = re.compile(r"^(?:推动|支持|鼓励|引导|促进|推进|组织|指导|督促|带动|使|让)|[内中里]$")


def is_cut_before_share(name: str) -> bool:
    """"推动辖区内30%以上园区…": the words before a share are a verb phrase; the subject follows it."""
    return bool(_CUT_BEFORE_SHARE.search(name))


_DATED_TASK = re.compile(
    r"(?:基本建成|全面建成|建成|全面建立|基本建立|建立健全|建立|基本形成|形成|出台|制定)[^,;，；。]{2,}?"
    r"(?:机制|体系|平台|格局|中心|制度|网络|模式|联盟|基地|办法|政策|规划|站)"
)


def dated_task(clause: str) -> bool:
    """"(2019年)基本建成…快保护机制": a task to build something by a stage or clause year."""
    return bool(_DATED_TASK.search(clause))
