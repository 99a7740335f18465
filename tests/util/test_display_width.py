"""util.display_width counts columns as wcwidth does, for every code point of its table."""

from __future__ import annotations

import wcwidth
from hypothesis import given
from hypothesis import strategies as st

from ipreport.util.display_width import RANGES, char_width, display_width


def test_every_code_point_of_the_table_has_wcwidth_s_width() -> None:
    checked = 0
    for first, last, width in RANGES:
        for code in range(first, last + 1):
            assert wcwidth.wcwidth(chr(code)) == width, hex(code)
            checked += 1
    assert checked > 40000  # ASCII, the symbols, CJK and Hangul


def test_ranges_are_sorted_and_apart() -> None:
    for (_, last, _), (first, _, _) in zip(RANGES, RANGES[1:], strict=False):
        assert last < first


@given(st.text(alphabet=st.sampled_from([chr(first) for first, _, _ in RANGES] + [chr(last) for _, last, _ in RANGES]
                                          + list("吉林省 ≥4.2件/万人 −0.03 101.4%（阜政发〔2017〕42号）■·–"))))
def test_a_string_of_table_characters_is_as_wide_as_wcswidth_says(text: str) -> None:
    assert display_width(text) == wcwidth.wcswidth(text)


@given(st.text())
def test_any_string_is_as_wide_as_wcswidth_says(text: str) -> None:
    # Outside the table (controls, combining marks, emoji with their joiners) wcwidth itself counts.
    assert display_width(text) == wcwidth.wcswidth(text)


def test_outside_the_table_there_is_no_width() -> None:
    assert char_width(0x0301) is None  # a combining accent
    assert char_width(0x1F600) is None  # an emoji
    assert char_width(0x0007) is None  # BEL
    assert display_width("e\u0301") == 1
    assert display_width("a\x07") == -1
