"""util.lazy_regex: a pattern compiled on first use answers as the compiled pattern does."""

from __future__ import annotations

import re

from ipreport.util.lazy_regex import LazyPattern, lazy_compile


def test_nothing_is_compiled_before_first_use() -> None:
    pattern = lazy_compile(r"(\d{4})年")
    assert isinstance(pattern, LazyPattern)
    assert pattern._compiled is None
    assert pattern.fullmatch("2023年").group(1) == "2023"
    assert pattern._compiled is re.compile(r"(\d{4})年")


def test_flags_and_every_method_are_the_pattern_s() -> None:
    pattern = lazy_compile(r"a.b", re.S)
    assert pattern.sub("-", "xa\nby") == "x-y"
    assert pattern.findall("a\nb a b") == ["a\nb", "a b"]
    assert pattern.pattern == "a.b"
    assert pattern.flags == re.compile(r"a.b", re.S).flags
