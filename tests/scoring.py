"""Score a drafted plan against a hand-written reference: precision and recall of matched targets.

A target is compared by what it commits to, not by its wording: kind, year, unit and value
(level: value; range: min and max; growth: rate; trend: direction; milestone: deadline or ongoing).
Values are compared as Decimals after converting units that differ only by a 万/亿 prefix. Each
interim value of a level target (``interim = { 2017 = 2.15 }``) counts as a level target of its
own year, so a draft may state it as a separate target or as an interim value alike.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal

from ipreport.model import Kind, Plan, Target
from ipreport.util.numbers import MULTIPLIERS

__all__ = ["Fact", "Score", "facts_of", "score"]


@dataclass(frozen=True)
class Fact:
    """One comparable commitment of a plan: a target, or one interim value of it."""

    key: tuple[Hashable, ...]
    label: str  # target id (and interim year) for reports


@dataclass(frozen=True)
class Score:
    """How well a draft matches a reference."""

    precision: float
    recall: float
    matched: tuple[tuple[str, str], ...]  # (draft label, reference label)
    missing: tuple[str, ...]  # reference facts no draft fact matched
    extra: tuple[str, ...]  # draft facts that match no reference fact


def _base(unit: str, value: Decimal) -> tuple[str, Decimal]:
    """"50 亿元" and "5000000000 元" compare equal: a leading 万/亿/千/百 moves into the value.

    "件/万人" keeps its 万: it is part of a rate, not a prefix of the count.
    """
    unit = unit.strip()
    if len(unit) > 1 and unit[0] in MULTIPLIERS and unit[1] != "/":
        return unit[1:], (value * MULTIPLIERS[unit[0]]).normalize()
    return unit, value.normalize()


def _key(target: Target) -> tuple[Hashable, ...]:
    if target.kind is Kind.MILESTONE:
        return ("milestone", "ongoing" if target.ongoing else target.deadline)
    if target.kind is Kind.GROWTH:
        return ("growth", target.year, (target.rate or Decimal(0)).normalize())
    if target.kind is Kind.TREND:
        return ("trend", target.year, target.direction.key)
    if target.kind is Kind.RANGE:
        unit, low = _base(target.unit, target.min or Decimal(0))
        _, high = _base(target.unit, target.max or Decimal(0))
        return ("range", target.year, unit, low, high)
    unit, value = _base(target.unit, target.value or Decimal(0))
    return ("level", target.year, unit, value)


def facts_of(plan: Plan) -> list[Fact]:
    """Every comparable commitment of a plan, interim values included."""
    facts = []
    for target in plan.targets:
        facts.append(Fact(_key(target), target.id))
        if target.kind is Kind.LEVEL:
            for point in target.interim:
                unit, value = _base(target.unit, point.value)
                facts.append(Fact(("level", point.year, unit, value), f"{target.id}@{point.year}"))
    return facts


def score(draft: Plan, reference: Plan) -> Score:
    """Match draft facts to reference facts one to one.

    Precision is over the draft's facts, recall over the reference's.
    """
    drafted = facts_of(draft)
    wanted = facts_of(reference)
    unmatched = list(wanted)
    matched: list[tuple[str, str]] = []
    extra: list[str] = []
    for fact in drafted:
        partner = next((other for other in unmatched if other.key == fact.key), None)
        if partner is None:
            extra.append(fact.label)
        else:
            unmatched.remove(partner)
            matched.append((fact.label, partner.label))
    precision = len(matched) / len(drafted) if drafted else 0.0
    recall = len(matched) / len(wanted) if wanted else 1.0
    return Score(precision, recall, tuple(matched), tuple(f.label for f in unmatched), tuple(extra))
