"""Target or result: whether the figures of a sentence are what a plan sets out to reach, or what
has already been reached (a statistic, a press report, a baseline) — one decision, with its reasons.

A figure is a target only when something forward-looking is bound to it: a year of the plan after
到/至 ("到2025年"), the end of a five-year plan that is not over ("“十四五”期末"), an intent word
(力争, 确保, 预计, 将, 要 …), the name of a goals list (主要目标, 预期性指标 …) — or, more weakly, a
floor such as 以上 / 不低于, or its place in the body of a plan document (a goals section, a work point,
a task with a deadline). It is a result when the sentence reports: 截至, 同比, 去年, 已, a rank
(居全国第…), a record (首次, 创新高, 超额完成), a year before the plan's period, a change "从2020年的…
提升至2024年的…" ending before the plan does. The evidence is weighed in ``judge``:

=====================  ==================  ==================  ==================
                        strong forward     weak forward only   no forward cue
=====================  ==================  ==================  ==================
strong past             doubt              result              result
weak past (今年, 目前)  target             doubt               doubt
no past cue             target             target              doubt
=====================  ==================  ==================  ==================

A result is not drafted; a doubt is drafted commented out with ``# CHECK:`` and its reasons, so it
is not in the draft plan until a person takes it in.

Cues are looked for in the folded sentence (``rules.fold``) with quoted names and titles blanked:
"《…推进计划》" or "“十四五”规划提出的12件的预期目标" name documents, they do not commit the sentence.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from ipreport.extract import rules
from ipreport.util.i18n import language, tr, translate_message

__all__ = ["Cue", "Stance", "Verdict", "carried", "cues", "intent_cues", "is_goals_heading", "is_plan_title",
           "is_report", "judge", "stretches"]


class Verdict(enum.Enum):
    TARGET = "target"
    RESULT = "result"
    DOUBT = "doubt"


@dataclass(frozen=True)
class Cue:
    """One piece of evidence: the words found, and what they say about the sentence."""

    words: str
    forward: bool  # forward-looking (a target) or reporting (a result)
    strong: bool
    reason: str
    time: bool = False  # a time cue ("到2025年", "截至2020年底"): it governs the sentences after it


@dataclass(frozen=True)
class Stance:
    """The verdict on a sentence's figures and the cues it rests on."""

    verdict: Verdict
    cues: tuple[Cue, ...] = ()

    @property
    def check(self) -> str:
        """The ``# CHECK`` text of a doubt: what points each way."""
        if self.verdict is not Verdict.DOUBT:
            return ""
        # Said in the interface language: the reviewer of the draft is the office's staff.
        zh = language() == "zh"

        def said(reasons: list[str]) -> str:
            return ("、" if zh else ", ").join(translate_message(reason) for reason in reasons)

        forward = [c.reason for c in self.cues if c.forward]
        past = [c.reason for c in self.cues if not c.forward]
        if not forward:
            lead = tr("no forward-looking cue (到…年, 力争, 将, a goals heading)")
            also = (("；" if zh else "; ") + said(past)) if past else ""
            return lead + also + tr(": a target or a reported figure?")
        return tr("mixed: {forward} against {past}: a target or a reported figure?",
                  forward=said(forward), past=said(past))


# ------------------------------------------------------------------ the cues
_INTENT = re.compile(
    r"力争|争取|确保|力求|预计|预期|届时|拟|努力|计划(?!单列)|目标(?:是|为|到|至)|"
    r"(?<![推促])将(?!近|军)|(?<![主重需必纲概首只摘紧简])要(?!点|素|闻|件|害)"
)
_GOALS_NAME = re.compile(r"主要目标|发展目标|总体目标|具体目标|目标任务|主要指标|预期性|约束性|量化指标")
_FLOOR = re.compile(r"以上|不低于|不少于|以内|不高于|不超过")
# A verb of reaching before a figure of its clause ("达到5件", "培育示范企业30家"): what plans commit to,
# though a report may say it too, so weak. "达5件" and "为5件", the words of reports, are not among them.
_REACHING = re.compile(
    r"(?:达到|突破|超过|不低于|不少于|培育|建成|新增|增至|提高到|提升到|提高至|提升至|保持在|稳定在|"
    r"压减至|压减到|缩短至|缩短到|打造|引进|认定|设立|创建|组建|实现|控制在)[^,;。]{0,16}?(?:\d|[一二两三四五六七八九十])"
    r"|(?:超|突破|逾)(?:万亿|千亿|百亿|亿|千万|百万|万)[元件家人户]"  # "超万亿元": a round figure
)
_YEAR_OF_PLAN = re.compile(r"(?<![到至较比与\d])(?P<year>\d{4})\s*年(?:底|末)?(?:达到|突破|超过|力争|实现)")
# "到2025年", "2025年底前" — not "截至2020年" (as of), nor "提升至2024年的53%" (the value of a year).
_YEAR_AHEAD = re.compile(
    r"(?<!截)(?:到|至)\s*(?P<year>\d{4})\s*年(?!的|\d)|(?P<by>\d{4})\s*年(?:底|末)?(?:前|以前)"
)

_AS_OF = re.compile(r"截至|截止")
_COMPARED_LAST = re.compile(r"同比|环比|较上年|比上年|较去年|比去年|去年|上年度?|前年")
_PART_YEAR = re.compile(r"上半年|前三季度|一季度|\d{1,2}\s*[-—至到]\s*\d{1,2}\s*月")
_ALREADY = re.compile(r"已(?:经)?(?:达到|达|建成|建立|累计|完成|实现|有|突破|超过|培育|形成|获得|盘点|提供)")
_RECORD = re.compile(
    r"首次|提前(?:完成|实现|两年|一年)|超额完成|再创新高|历史新高|创新高|翻了|创(?:历史)?(?:最高)?(?:纪录|记录)|历史最高"
)
_RANK = re.compile(r"(?:位?居|跻身|排名|名列|位列|保持)(?:全国|全省|全市|世界|全球|第|前列|首位|前)|居于")
_RUN = re.compile(r"连续(?:\d+|[一二三四五六七八九十]+|多)年")
# "评选出了…", "已认定…": done. The bare "评选出" / "认定" is as often a plan's task ("每年评选出示范企业
# 10家"): no cue.
_DONE = re.compile(
    r"(?:增长|提高|提升|下降|增加|减少|扩大|缩短|奠定|取得|迈上|打下|完成|实现|达到|突破|超过|具备|认定|获得|评选出|评出)了"
    r"|已(?:经)?(?:评选出|评出|认定)"
)
_TOTAL = re.compile(r"共(?:受理|处理|办理|查处|计|有|向|发放|提出|明确|部署|包括)")
_REPORTED = re.compile(r"(?:调查|数据|结果|统计|监测)显示|获悉|数据表明|发布的数据|会上发布")
_REPORTED_REASON = "figures reported (…显示, 获悉)"
_SINCE = re.compile(r"以来|近年来|近几年|过去")
_NOW = re.compile(r"今年|目前|当前|现有|现阶段")
_FROM_TO = re.compile(
    # the value of the first year may be followed by a comma: "由2015年的848.5亿元,提高到2019年的1515亿元"
    r"(?:由|从)\s*\d{4}\s*年(?:底|末)?的[^;。]{0,40}?(?:增长|提升|提高|增加|升|下降|减少|降|压减|缩短)(?:到|至)"
    r"\s*(?:(?P<year>\d{4})\s*年(?:底|末)?的)?"
)
_STAGE = re.compile(r"阶段\s*\(\s*(?P<year>\d{4})\s*年(?:底|末)?(?:前)?\s*\)")
_FIRST_YEAR = re.compile(r"(?<![到至较比与\d])(?P<year>\d{4})\s*年(?!底前|前|以前|以来)")


def _blank_quotes(text: str) -> str:
    """Quoted names and titles replaced by spaces of the same length: they name, they do not commit."""
    chars = list(text)  # one pass over the spans, not a copy of the text per span: linear in the text
    for start, end in rules.masked_spans(text):
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def cues(sentence: str, start_year: int, end_year: int, intent: bool = True) -> list[Cue]:
    """Every cue in one sentence (folded text) for a plan running ``start_year``–``end_year``.
    ``intent=False`` leaves the intent words out, for a caller that binds them clause by clause
    (``intent_cues``): "…压减至13.3个月，未来要…" — 要 speaks of what follows it, not of 13.3个月."""
    text = _blank_quotes(sentence)
    found: list[Cue] = []

    def add(
        match: re.Match[str] | None, forward: bool, strong: bool, reason: str, time: bool = False,
    ) -> None:
        if match is not None:
            found.append(Cue(match.group(0), forward, strong, reason, time))

    for match in _YEAR_AHEAD.finditer(text):
        year = int(match["year"] or match["by"])
        if year >= start_year:
            add(match, True, True, f"{match.group(0).strip()}: a year of the plan", True)
        else:
            add(match, False, True, f"{match.group(0).strip()}: before the plan's period", True)
    stage = _STAGE.search(text)
    if stage and int(stage["year"]) >= start_year:
        add(stage, True, True, f"{stage.group(0).strip()}: a stage of the plan", True)
    plan_end = rules.FIVE_YEAR_END.search(sentence)  # quotes kept: “十三五”末 is written in them
    if plan_end:
        forward = rules.FIVE_YEAR_PLANS[plan_end["plan"]] >= start_year
        add(plan_end, forward, True, f"{plan_end['plan']}末: " +
            ("the end of the plan" if forward else "the end of an earlier plan"), True)
    span = rules.FIVE_YEAR_SPAN.search(sentence)
    if span and rules.FIVE_YEAR_PLANS[span["plan"]] < start_year:
        add(span, False, True, f"{span.group(0)}: an earlier plan's years", True)
    if intent:
        add(_INTENT.search(text), True, True, "an intent word")
    add(_GOALS_NAME.search(text), True, True, "a goals list")

    add(_AS_OF.search(text), False, True, "截至 (as of)", True)
    add(_COMPARED_LAST.search(text), False, True, "compared with last year")
    add(_PART_YEAR.search(text), False, True, "part of a year reported", True)
    add(_ALREADY.search(text), False, True, "已 (already)")
    add(_RECORD.search(text), False, True, "a record or a goal met")
    add(_RANK.search(text), False, True, "a rank")
    add(_RUN.search(text), False, True, "a run of past years")
    add(_DONE.search(text), False, True, "a change that happened (…了)")
    add(_TOTAL.search(text), False, True, "a total counted (共…)")
    add(_REPORTED.search(text), False, True, _REPORTED_REASON)
    add(_SINCE.search(text), False, True, "since a past time", True)
    change = _FROM_TO.search(text)
    if change and (change["year"] is None or int(change["year"]) < end_year):
        add(change, False, True, "a change up to a year before the plan's end")
    for match in _FIRST_YEAR.finditer(text):
        if int(match["year"]) < start_year and not text[match.end():match.end() + 2].startswith(("的",)):
            add(match, False, True, f"{match.group(0)}: before the plan's period", True)
            break
    add(_NOW.search(text), False, False, "the present (今年, 目前)", True)
    return found


# A clause that states a figure with nothing forward-looking in it: "授权发明专利69.6万件", "申请量达1333件",
# "评选出…130项". "其中…" breaks down the figure before it; a growth is judged by its own words.
_GROWTH_WORDS = re.compile(r"增长|增速|增幅|提高|提升|翻")
_BREAKDOWN = re.compile(r"^\s*(?:其中|含|包括)")
# "审查方面,…", "服务方面,…": a summary of results by field, the way a work report or press release lists them
_FIELD_LEAD = re.compile(r"^[^,;:，；：。]{1,8}方面,")


def report_shape_cues(stretch: str) -> list[Cue]:
    """Weak evidence of a result in a stretch (folded text, split into clauses): a figure stated bare,
    with no verb of reaching, floor, intent or growth in its clause ("受理PCT国际专利申请7.3万件"), or a
    lead summing up a field ("服务方面,"). Figures beside it with only weak forward evidence become doubts."""
    text = _blank_quotes(stretch)
    if not (_REACHING.search(text) or _FLOOR.search(text)):
        return []  # nothing looks forward to be weighed against: the verdict is a doubt as it stands
    lead = _FIELD_LEAD.search(text)
    if lead:
        reason = "a field summed up (…方面)"
        return [Cue(lead.group(0), False, False, reason)]
    for clause in re.finditer(r"[^,;:]+", text):
        words = clause.group(0)
        if _BREAKDOWN.search(words) or not rules.find_quantities(words):
            continue
        if not (_REACHING.search(words) or _FLOOR.search(words) or _INTENT.search(words) or
                _GROWTH_WORDS.search(words) or _GOALS_NAME.search(words)):
            reason = "reported alongside a figure stated bare in the same sentence"
            return [Cue(words.strip(), False, False, reason)]
    return []


def frame_cues(found: list[Cue]) -> list[Cue]:
    """The cues of a stretch that speak for the rest of its sentence: "数据显示,2018年,…" frames what
    follows as reported, though "2018年" starts a stretch of its own. Carried as weak evidence."""
    framed = []
    for cue in found:
        if cue.reason == _REPORTED_REASON:
            reason = f"{cue.words}: the sentence reports"
            framed.append(Cue(cue.words, False, False, reason))
    return framed


def intent_cues(clause: str) -> list[Cue]:
    """The intent word of one clause (力争, 确保, 将 …): strong evidence for its figures and those after."""
    match = _INTENT.search(_blank_quotes(clause))
    return [Cue(match.group(0), True, True, "an intent word")] if match else []


def figure_cues(clause: str, start_year: int) -> list[Cue]:
    """The weak forward cues bound to the figures of one clause (folded text): a floor (以上), a verb
    of reaching before the figure (达到, 培育…30家), a year of the plan before the verb (2018年达到)."""
    text = _blank_quotes(clause)
    found = []
    for pattern, reason in ((_FLOOR, "a floor or cap such as 以上"),
                            (_REACHING, "a verb of reaching (达到, 突破 …) before the figure")):
        match = pattern.search(text)
        if match:
            found.append(Cue(match.group(0), True, False, reason))
    for match in _YEAR_OF_PLAN.finditer(text):
        if int(match["year"]) >= start_year:
            found.append(Cue(match.group(0), True, False, f"{match['year']}年: a year of the plan"))
            break
    return found


def judge(
    sentence: str, start_year: int, end_year: int, plan_context: bool = False, goals_heading: bool = False,
) -> Stance:
    """The verdict on the figures of a sentence, or of the stretch of one that a time cue governs
    (folded text). ``plan_context``: it stands in the body of a plan (a plan document, a goals section,
    a dated stage, a task with a deadline): weak forward evidence. ``goals_heading``: a heading above it
    names the goals (主要目标, 发展目标, 预期性指标 …): strong forward evidence.
    """
    found = cues(sentence, start_year, end_year) + figure_cues(sentence, start_year)
    return weigh(found, plan_context, goals_heading)


def weigh(
    found: list[Cue], plan_context: bool = False, goals_heading: bool = False, report: bool = False,
) -> Stance:
    """The verdict the cues give (the table in the module's docstring). ``report``: the document reads
    as a news report or a work summary (记者, 本报讯, 据介绍 …) and names no plan as its title: weak
    evidence of a result, so only a strong forward cue (到2025年, 力争, a stage of the plan) makes a target.
    """
    found = list(found)
    if goals_heading:
        found.append(Cue("", True, True, "under a goals heading"))
    elif plan_context:
        found.append(Cue("", True, False, "in the body of a plan"))
    if report:
        found.append(Cue("", False, False, "in a news report or work summary"))
    strong_forward = any(c.forward and c.strong for c in found)
    strong_past = any(not c.forward and c.strong for c in found)
    weak_forward = any(c.forward for c in found)
    weak_past = any(not c.forward for c in found)
    if strong_past:
        verdict = Verdict.DOUBT if strong_forward else Verdict.RESULT
    elif strong_forward:
        verdict = Verdict.TARGET
    elif weak_forward and not weak_past:
        verdict = Verdict.TARGET
    else:
        verdict = Verdict.DOUBT
    return Stance(verdict, tuple(found))


_CLAUSE = re.compile(r"[^,;:]+")
# A clause that sets its own time: the figures after it are judged apart from those before it.
_TIME_CUE = re.compile(
    r"(?:到|至|截至|截止)\s*(?:\d{4}\s*年(?!的)|[\"“]?十[一二三四五]五)|\d{4}\s*年(?:底|末)?(?:前|以前)|"
    r"^\s*(?:在|其中|特别是|而)?\s*(?:\d{4}\s*年|今年|去年|目前|上半年)"
)


def stretches(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentence ``text[start:end]`` cut where a clause sets its own time ("到2025年", "截至去年底",
    "2013年"): each stretch is judged on its own cues (linear in the sentence)."""
    starts = [start]
    for clause in _CLAUSE.finditer(text, start, end):
        if clause.start() > start and _TIME_CUE.search(clause.group(0)):
            starts.append(clause.start())
    return [(a, b) for a, b in zip(starts, [*starts[1:], end], strict=True)]


def carried(cues_before: list[Cue]) -> list[Cue]:
    """The time cues of the sentence before, as they govern a sentence that sets no time of its own
    ("截至2018年底，全省…。有效注册商标…" or "到2025年，…。其中…")."""
    return [Cue(c.words, c.forward, c.strong, f"{c.words.strip()}: in the sentence before", True)
            for c in cues_before if c.time]


# The words of a news report or a work summary: a reporter, a dateline, who said it, a press conference.
# Not words a plan writes too: "12月31日前" (a deadline), "总结推广经验", "新闻出版", "加强新闻宣传".
_REPORT_WORDS = re.compile(
    r"记者|本报讯|报讯|通讯员|\d{1,2}月\d{1,2}日电|(?<![\d一二三四五六七八九十])日前|今年以来|据介绍|据了解|据悉|"
    r"据统计|发布会|获悉|新闻发言人|在会上|表示,|介绍,"
)
# A news lead sets the genre in the first lines ("本报讯…", "日前,…召开"); further down, one word may be a
# plan's own ("据统计" in its 发展基础), so two different words are needed.
_REPORT_LEAD_LINES = 3


def is_report(text: str) -> bool:
    """A text that reads as a news report or a work summary (the whole document, folded, one paragraph a
    line): a report word in its first lines, or two different report words anywhere."""
    text = _blank_quotes(text)
    lead = "\n".join([line for line in text.split("\n") if line.strip()][:_REPORT_LEAD_LINES])
    if _REPORT_WORDS.search(lead):
        return True
    words = {match.group(0) for match in _REPORT_WORDS.finditer(text)}
    return len(words) >= 2


_GOALS_HEADING = re.compile(r"目标|指标|预期|约束性")
# "…规划(2021—2025年)", "…规划2021-2025": the plan's period after its name still makes it a plan's title.
_PLAN_TITLE = re.compile(
    r"(?:规划|纲要|方案|计划|要点|意见|指引|措施|办法|决定|通知|行动)"
    r"(?:\s*[(（]?\s*\d{4}\s*年?\s*[—\-－–~～至]+\s*\d{4}\s*年?\s*[)）]?)?[》)）]?\s*$"
)


def is_goals_heading(heading: str) -> bool:
    """"二、主要目标", "(二)发展目标", "主要预期性指标": the section states goals."""
    return bool(_GOALS_HEADING.search(heading)) and not rules.is_retrospective_heading(heading)


def is_plan_title(title: str) -> bool:
    """A title naming a plan (…规划, …实施意见, …工作要点的通知): its body looks forward. A sentence
    taken for the title (one with no plan word at its end) says nothing."""
    return bool(_PLAN_TITLE.search(rules.fold(title)))
