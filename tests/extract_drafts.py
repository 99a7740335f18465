"""What extract drafts from a short text, for the tests of its phrasing rules: the targets it writes
and the ones it leaves commented out for a person to check."""

from __future__ import annotations

from decimal import Decimal

from ipreport.extract.drafting import draft_from_text
from ipreport.model import Kind


def drafted(text: str, period: tuple[int, int] = (2021, 2025)) -> list[tuple[str, Decimal | None, int]]:
    """(name, value or growth rate, year) of each target drafted."""
    draft = draft_from_text(text, region="测试市", period=period)
    return [(t.name, t.value if t.kind is not Kind.GROWTH else t.rate, t.year) for t in draft.plan.targets]


def commented(text: str, period: tuple[int, int] = (2021, 2025)) -> list[str]:
    """The names of the targets drafted commented out."""
    draft = draft_from_text(text, region="测试市", period=period)
    return [d.target.name for d in draft.targets if d.commented]
