"""Expected messages with a placeholder where another library's own words go.

ipreport's messages are asserted exactly; the part that quotes tomllib, Jinja, expat or click (the
cause) may change wording between their versions, so only its presence is asserted: ``{cause}`` in an
expected message matches any non-empty text on one line.
"""

from __future__ import annotations

import re

CAUSE = "{cause}"


def matches(expected: str, found: str) -> bool:
    """Whether ``found`` is ``expected`` exactly, with each {cause} standing for some non-empty text."""
    pattern = ".+?".join(re.escape(part) for part in expected.split(CAUSE))
    return re.fullmatch(pattern, found) is not None


def all_match(expected: list[str], found: list[str]) -> bool:
    return len(expected) == len(found) and all(matches(e, f) for e, f in zip(expected, found, strict=True))
