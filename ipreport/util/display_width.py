"""Display width of text in a terminal (a CJK character takes two columns), as wcwidth counts it.

wcwidth is the reference, but importing it costs about a tenth of a `gaps` run (its textwrap pulls
in secrets and hmac). The tables print Chinese, ASCII and a few symbols (–, ≥, ■, ·), so those
ranges are looked up here; any other character (combining marks, emoji, controls, joiners) is
handed to wcwidth with the whole string, so sequences it treats specially are counted as it does.
tests/util/test_display_width.py checks every code point below against wcwidth.
"""

from __future__ import annotations

from bisect import bisect_right

# (first, last, width) for code point ranges whose every character has that width in wcwidth and
# that form no sequence it counts otherwise, in every wcwidth from the lowest supported (0.2.5, the
# lowest job's) to the pinned one: characters whose width changed between them go to wcwidth.
# Sorted, not overlapping.
RANGES: tuple[tuple[int, int, int], ...] = (
    (0x0020, 0x007E, 1),  # ASCII
    (0x00A1, 0x00AC, 1),  # Latin-1 signs (U+00AD, the soft hyphen, left to wcwidth)
    (0x00AE, 0x02FF, 1),  # Latin-1, Latin Extended, IPA, spacing modifiers
    (0x2010, 0x2027, 1),  # dashes, quotes, bullets, ellipsis
    (0x2030, 0x205E, 1),  # per mille, primes, other punctuation
    (0x2100, 0x22FF, 1),  # letterlike, number forms, arrows, mathematical operators (≥ ≤ −)
    (0x2460, 0x257F, 1),  # enclosed alphanumerics, box drawing
    (0x25A0, 0x25FC, 1),  # geometric shapes (■ □ ▲ ○)
    (0x2E80, 0x2E99, 2),  # CJK radicals
    (0x2E9B, 0x2EF3, 2),
    (0x2F00, 0x2FD5, 2),  # Kangxi radicals
    (0x2FF0, 0x2FFB, 2),  # ideographic description (2FFC–2FFF: newer, narrow in older wcwidth)
    (0x3000, 0x3029, 2),  # CJK symbols and punctuation (、。「」)
    (0x3030, 0x303E, 2),
    (0x3041, 0x3096, 2),  # Hiragana
    (0x309B, 0x30FF, 2),  # Katakana
    (0x3105, 0x312F, 2),  # Bopomofo
    (0x3131, 0x3163, 2),  # Hangul compatibility jamo
    (0x3165, 0x318E, 2),
    (0x3190, 0x31E3, 2),  # (31E4, 31E5, 31EF: newer, narrow in older wcwidth)
    (0x31F0, 0x321E, 2),
    (0x3220, 0x3247, 2),  # enclosed CJK
    (0x3250, 0x4DBF, 2),  # CJK extension A (4DC0–4DFF, Yijing hexagrams: wcwidth's versions differ)
    (0x4E00, 0xA48C, 2),  # CJK unified ideographs, Yi
    (0xAC00, 0xD7A3, 2),  # Hangul syllables
    (0xF900, 0xFAFF, 2),  # CJK compatibility ideographs
    (0xFE30, 0xFE52, 2),  # CJK compatibility forms
    (0xFF01, 0xFF60, 2),  # fullwidth forms (，：（）％)
    (0xFFE0, 0xFFE6, 2),
)
_FIRSTS = [first for first, _, _ in RANGES]


def char_width(code: int) -> int | None:
    """The width of one code point from the table, or None when only wcwidth can tell."""
    index = bisect_right(_FIRSTS, code) - 1
    if index < 0:
        return None
    first, last, width = RANGES[index]
    return width if code <= last else None


def display_width(text: str) -> int:
    """wcwidth.wcswidth(text): columns on a terminal, -1 if a character has no width (a control)."""
    if text.isascii() and text.isprintable():  # the common case, in C
        return len(text)
    total = 0
    for char in text:
        width = char_width(ord(char))
        if width is None:
            from wcwidth import wcswidth  # only for characters outside the table

            return int(wcswidth(text))
        total += width
    return total
