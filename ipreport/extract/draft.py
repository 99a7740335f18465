"""A drafted plan: the Draft of one document and its DraftTargets, each with the reason to check it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ipreport.model import Plan, Target


@dataclass(frozen=True)
class DraftTarget:
    """A drafted target and, when the rules are unsure, why (written as a # CHECK comment)."""

    target: Target
    check: str = ""
    commented: bool = False  # probably a result, not a target: written commented out, not in ``plan``


@dataclass(frozen=True)
class Draft:
    """Everything drafted from one document; ``plan`` gives it as a model Plan (e.g. for scoring)."""

    id: str
    title: str
    region: str
    start_year: int
    target_year: int
    targets: tuple[DraftTarget, ...]
    document: str = ""
    issuer: str = ""
    issued: dt.date | None = None
    notes: tuple[str, ...] = ()  # header fields the document did not give

    @property
    def plan(self) -> Plan:
        return Plan(
            id=self.id, title=self.title, region=self.region, start_year=self.start_year,
            target_year=self.target_year, targets=tuple(t.target for t in self.targets if not t.commented),
            document=self.document, issuer=self.issuer, issued=self.issued,
        )
