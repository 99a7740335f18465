"""Numbers typeset as Chinese statistical reports write them in running text.

25.4万件 rather than 254,000件, 53.4亿元, 完成率100% (no ".0" where the figure is exact), rates to
one decimal, 3～5个, 个百分点 for differences of percentages, 全年 for flows and 截至年底 for stocks.
Kept apart from the wording so that rounding and growth wording can change there without touching
the typesetting (and the other way round).
"""

from __future__ import annotations

from decimal import Decimal

from ipreport.catalogue import catalogue
from ipreport.model import Target
from ipreport.render.formatting import DASH, MINUS, decimals_of, format_attainment, format_percent
from ipreport.util.rounding import as_decimal, distinct, half_up

WAN = Decimal(10_000)
YI = Decimal(100_000_000)
# Units a count or an amount is written in: these take 万 and 亿 in front.
_SCALABLE = ("件", "个", "项", "元", "户", "家", "人", "人次", "次", "篇", "株", "台", "套", "种", "亩", "份")
# Flows are counted over a year; a name ending so is one when neither plan nor catalogue says.
_FLOW_ENDINGS = (
    "申请量",
    "授权量",
    "登记量",
    "注册量",
    "受理量",
    "结案量",
    "融资额",
    "交易额",
    "成交额",
    "许可额",
    "转让额",
    "备案量",
    "出口额",
    "进口额",
    "金额",
    "收入",
    "增加值",
)
MAX_SCALED_DECIMALS = 2


def is_percent(unit: str) -> bool:
    return unit.strip() in ("%", "％")


def _plain(value: Decimal, decimals: int) -> str:
    rounded = half_up(value, decimals)
    return (MINUS if rounded < 0 else "") + f"{abs(rounded):.{decimals}f}"


def _scaled_decimals(value: Decimal, least: int) -> int:
    """One decimal as statistics write 25.4万, more only where the figure has them (2.45万), at most 2."""
    return max(least, min(decimals_of(value.normalize()), MAX_SCALED_DECIMALS))


def amount(value: Decimal | float | None, unit: str, decimals: int | None = None) -> str:
    """A count or amount with its unit, scaled: 254000件 → 25.4万件, 5340000000元 → 53.4亿元,
    534000万元 → 53.4亿元, 6.41件/万人 → 6.41件/万人 (no scaling of rates or per-capita figures)."""
    if value is None:
        return DASH
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    if decimals is None:
        decimals = min(decimals_of(number.normalize()), 4) if number != number.to_integral() else 0
    base = unit.strip()
    if "/" not in base and not is_percent(base):
        if base.startswith("万") and base[1:] in _SCALABLE and abs(number) >= WAN:
            scaled = number / WAN
            return _plain(scaled, _scaled_decimals(scaled, 0)) + "亿" + base[1:]
        if base in _SCALABLE and abs(number) >= YI:
            scaled = number / YI
            return _plain(scaled, _scaled_decimals(scaled, 0)) + "亿" + base
        if base in _SCALABLE and abs(number) >= WAN:
            scaled = number / WAN
            return _plain(scaled, _scaled_decimals(scaled, 0)) + "万" + base
    return _plain(number, decimals) + base


def percent(
    fraction: Decimal | float | None,
    decimals: int = 1,
    *,
    below: Decimal | None = None,
    apart_from: Decimal | None = None,
) -> str:
    """A share or a rate, rounded half up: "152.6%", "100%" when exactly a hundred per cent, "8.0%" when
    merely rounded to it.

    ``below``: a figure under it (完成率 under 100) gets the decimals that keep it from reading as it
    (99.95%, never 100.0%). ``apart_from``: the same against a rate it must not be mistaken for (an
    achieved 4.995% against a required 5%).
    """
    if fraction is None:
        return DASH
    exact = as_decimal(fraction) * 100
    if exact == exact.to_integral_value():
        return (MINUS if exact < 0 else "") + f"{abs(exact):.0f}%"
    places = decimals
    if below is not None and exact < below:
        places = distinct(exact, decimals, below)
    elif apart_from is not None:
        places = distinct(exact, decimals, apart_from)
    return format_percent(fraction, places)


def attainment_text(fraction: Decimal | float | None, lang: str = "zh") -> str:
    """完成率 as the report's tables print it, and so its charts: "177%" where exact and "152.6%"
    otherwise in Chinese, "177.0%" in English; never 100% short of the target (99.95%)."""
    if lang == "zh":
        return percent(fraction, 1, below=Decimal(100))
    return format_attainment(fraction, 1)


def percent_format_code(text: str) -> str:
    """The Excel number format that shows a fraction as ``text`` shows it ("152.6%" -> 0.0%), with the
    report's minus sign (U+2212) for a negative value, where Excel would write a hyphen."""
    digits = text.rstrip("%").rpartition(".")[2] if "." in text else ""
    code = "0" + ("." + "0" * len(digits) if digits else "") + "%"
    return f'{code};"{MINUS}"{code}'


def points(value: Decimal | float, decimals: int = 1) -> str:
    """A difference of two percentages: "1.9个百分点"."""
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    if number == number.to_integral():
        decimals = 0  # "提高4个百分点": a whole difference needs no ".0"
    return _plain(abs(number), decimals) + "个百分点"


def value_range(low: str, high: str, unit: str) -> str:
    """A range as Chinese text writes it: "3～5个"."""
    return f"{low}～{high}{unit}"


def measure(target: Target) -> str:
    """ "stock" (a level held at a date) or "flow" (counted over a year): the plan's ``measure`` key,
    else the indicator catalogue, else the name's ending, else stock."""
    if target.measure:
        return target.measure
    entry = catalogue().of_target(target.indicator, target.name)
    if entry is not None:
        return entry.measure
    return "flow" if target.name.endswith(_FLOW_ENDINGS) else "stock"


def as_at(year: int | None, kind: str) -> str:
    """ "截至2020年底" for a stock, "2020年全年" for a flow."""
    if year is None:
        return ""
    return f"{year}年全年" if kind == "flow" else f"截至{year}年底"


def change_on_last_year(previous: Decimal, latest: Decimal, unit: str, kind: str, decimals: int) -> str:
    """较上年 / 同比: "较上年提高1.9件", "同比增长57.1%", "较上年提高0.8个百分点"; "" without a change."""
    difference = latest - previous
    if difference == 0:
        return "与上年持平"
    up = difference > 0
    if is_percent(unit):
        return f"较上年{'提高' if up else '下降'}{points(difference, max(decimals, 1))}"
    if kind == "flow" and previous > 0:
        return f"同比{'增长' if up else '下降'}{percent(float(abs(difference) / previous))}"
    word = "增加" if up else "减少"
    if "/" in unit:
        word = "提高" if up else "下降"
    return f"较上年{word}{amount(abs(difference), unit.split('/')[0] if '/' in unit else unit, decimals)}"


def full_width_brackets(text: str) -> str:
    """Chinese text takes full-width brackets: "(2022—2023年)" → "（2022—2023年）"."""
    return text.replace("(", "（").replace(")", "）")
