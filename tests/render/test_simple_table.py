"""render.simple_table lays out the gap table's shape byte for byte as tabulate's "simple" format."""

from __future__ import annotations

import tabulate as tabulate_module
from hypothesis import given
from hypothesis import strategies as st

from ipreport.render.simple_table import fits_simple_table, simple_table
from ipreport.render.table import tabulate

# What the gap table's cells hold: Chinese and Latin words, numbers, symbols, spaces, wrapped lines,
# and a status painted in a terminal colour.
_WORDS = st.sampled_from(["每万人口", "发明专利", "拥有量", "2.15件/万人", "−0.03", "101.4%", "(2017)", "≥", "■",
                          "·", "–", "Patents", "per 10k", "", " ", "年均增长10%", "（阜政发〔2017〕42号）", "ｘ"])
_LINE = st.lists(_WORDS, max_size=4).map("".join)
_CELL = st.one_of(
    st.lists(_LINE, min_size=1, max_size=3).map("\n".join),
    _LINE.map(lambda text: f"\x1b[32m{text}\x1b[0m"),
)


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[list[str]], list[str], tuple[str, ...] | None]:
    columns = draw(st.integers(1, 6))
    headers = draw(st.lists(_LINE.map(str.strip).filter(bool), min_size=columns, max_size=columns))
    rows = draw(st.lists(st.lists(_CELL, min_size=columns, max_size=columns), min_size=1, max_size=5))
    colalign = draw(st.one_of(st.none(), st.lists(st.sampled_from(["left", "right"]), max_size=columns).map(tuple)))
    return rows, headers, colalign


def _library(rows: list[list[str]], headers: list[str], colalign: tuple[str, ...] | None) -> str:
    saved = tabulate_module.PRESERVE_WHITESPACE, tabulate_module.MIN_PADDING
    tabulate_module.PRESERVE_WHITESPACE, tabulate_module.MIN_PADDING = False, 0
    try:
        return tabulate_module.tabulate(rows, headers, tablefmt="simple", disable_numparse=True,
                                        colalign=colalign)
    finally:
        tabulate_module.PRESERVE_WHITESPACE, tabulate_module.MIN_PADDING = saved


@given(_tables())
def test_the_layout_is_tabulate_s(table: tuple[list[list[str]], list[str], tuple[str, ...] | None]) -> None:
    rows, headers, colalign = table
    assert fits_simple_table(rows, headers, colalign)
    assert simple_table(rows, headers, colalign) == _library(rows, headers, colalign)


def test_the_gap_table_s_wrapper_uses_it_and_gives_tabulate_s_bytes() -> None:
    rows = [["每万人口发明专利拥\n有量 (2017)", "2.15件/万人", "\x1b[32m已实现\x1b[0m"], ["", "15%", ""]]
    headers = ["指标", "目标值", "状态"]
    colalign = ("left", "right", "left")
    expected = _library(rows, headers, colalign)
    assert tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True, colalign=colalign) == expected
    assert expected == (
        "指标                     目标值  状态\n"
        "------------------  -----------  ------\n"
        "每万人口发明专利拥  2.15件/万人  \x1b[32m已实现\x1b[0m\n"
        "有量 (2017)\n"
        "                            15%"
    )


def test_other_shapes_are_left_to_tabulate() -> None:
    assert not fits_simple_table([[1, "a"]], ["n", "a"], None)  # a number: tabulate aligns it
    assert not fits_simple_table([["a"]], ["two\nlines"], None)  # a header on two lines
    assert not fits_simple_table([["a"]], [""], None)  # no header
    assert not fits_simple_table([], ["a"], None)  # no rows
    assert not fits_simple_table([["a"]], ["a"], ("center",))
    assert not fits_simple_table([["a", "b"]], ["a"], None)  # a row longer than the headers
