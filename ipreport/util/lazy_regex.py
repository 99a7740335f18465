"""Regular expressions compiled on first use.

A module-level ``re.compile`` runs at import, whether or not the run ever needs the pattern (an
error message's, a Markdown escape's); a `gaps` run imports some thirty of them. A pattern that
most runs never use is declared with ``lazy_compile`` and compiled the first time it is used.
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """Stands for ``re.compile(pattern, flags)`` and compiles it when one of its methods is first used."""

    __slots__ = ("_compiled", "_flags", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern used as ``re.compile(pattern, flags)``'s is (match, sub, ...), compiled on first use."""
    return LazyPattern(pattern, flags)  # type: ignore[return-value]  # it answers for the Pattern
