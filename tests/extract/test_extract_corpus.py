"""Extraction measured on sentences and passages: tune sets and one self-written held-back set.

Each line of ``fixtures/extract/corpus/*.jsonl`` is one sentence, or one passage (a heading line when
there is one, then the consecutive sentences of one paragraph), from a plan or written in a plan's
shape (national, provincial, city; 十三五, 十四五, yearly 工作要点), its plan period and the targets
a person reads in it. ``heldback.jsonl`` was written before the rules were changed and is only
measured, never tuned on (its failures are not printed); ``tune.jsonl`` is the one the rules were
tuned on. Both were written in the shapes of real plans by one person. ``real_tune.jsonl``,
``real_heldback.jsonl`` (``make_real.py``, seed 13) and ``real_heldback2.jsonl`` (``make_real2.py``)
are real sentences quoted from public pages (each line names its source), their truth written before
extract ran on them. The two "held-back" real sets were measured once each while they were held back;
their failures have since been looked at, so they are tune sets too (seen; tuned on from session 5),
and their names are kept so that their history in the README stays traceable. ``real_tune2.jsonl``
holds real passages (national documents and those of provinces in one half of the country, the
other half being kept for a fresh held-back set), its truth committed before extract ran on it; it
is tuned on. ``real_tune3.jsonl`` holds more real passages of the same half of the country (press reports
of plans, yearly work targets, plan openings and results sections), its truth committed before extract
ran on it; it is tuned on.
``real_heldback3.jsonl`` (``make_real3.py``) is the fresh held-back set: passages from whole
provincial and city plan documents and their press reports (十三五 and 十四五 plans, 强省/强市
实施方案, a yearly 工作要点, 发展基础 sections and yearly results) of 江苏, 浙江, 安徽, 福建, 江西, 山东,
广东, 广西, 湖南 and 湖北, pages none of the other sets quote, collected apart from the extract work
(which took its real text from the other provinces only). Its truth was committed before extract ran
on it; it is never tuned on and its failures are not printed. A range truth (「2-3家」) matches a
drafted range with both ends equal.

A drafted target matches a true one when kind, year, unit and value (rate, deadline) are equal and
the drafted name holds the true name's words and no digits (no year fragment such as "2018年");
"3.5万件" and "35000件" are the same value. Targets drafted commented out (``# CHECK`` doubts about
results) are not in the draft plan.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from scoring import _base

from ipreport.extract.drafting import draft_from_text
from ipreport.model import Kind, Target

CORPUS = Path(__file__).parents[1] / "fixtures" / "extract" / "corpus"
# Floors each set reaches (see the README's extract section); a change that lowers one fails here.
FLOORS = {"tune": (0.95, 0.95), "heldback": (0.97, 0.97), "real_tune": (0.99, 0.99),
          "real_heldback": (0.99, 0.99), "real_heldback2": (0.99, 0.99), "real_tune2": (0.99, 0.99),
          "real_tune3": (0.91, 0.88), "real_heldback3": (0.92, 0.88)}
HELD_BACK = ("heldback", "real_heldback3")  # never tuned on: their failures are not printed


@dataclass(frozen=True)
class Truth:
    kind: str
    name: str
    key: tuple


def _plain(unit: str, value: Decimal) -> tuple[str, Decimal]:
    """"3.5万件" and "35000件", "1万亿元" and "10000亿元" are the same figure: every 万/亿 prefix goes
    into the value (the plan file may state either)."""
    while True:
        shorter, value = _base(unit, value)
        if shorter == unit:
            return unit, value
        unit = shorter


def _truth(entry: dict, end: int) -> Truth:
    kind = entry["kind"]
    if kind == "milestone":
        return Truth(kind, entry["name"], ("milestone", dt.date.fromisoformat(entry["deadline"])))
    year = entry.get("year", end)
    if kind == "growth":
        return Truth(kind, entry["name"], ("growth", year, Decimal(entry["rate"]) / 100))
    if kind == "range":  # 「2-3家」: both ends must be read
        low_unit, low = _plain(entry["unit"], Decimal(entry["min"]))
        return Truth(kind, entry["name"], ("range", year, low_unit, low, _plain(entry["unit"], Decimal(entry["max"]))[1]))
    return Truth(kind, entry["name"], ("level", year, *_plain(entry["unit"], Decimal(entry["value"]))))


def _key(target: Target) -> tuple:
    if target.kind is Kind.MILESTONE:
        return ("milestone", target.deadline)
    if target.kind is Kind.GROWTH:
        return ("growth", target.year, (target.rate or Decimal(0)).normalize())
    if target.kind is Kind.RANGE:
        low_unit, low = _plain(target.unit, target.min or Decimal(0))
        return ("range", target.year, low_unit, low, _plain(target.unit, target.max or Decimal(0))[1])
    return (target.kind.value, target.year, *_plain(target.unit, target.value or Decimal(0)))


def _normal(key: tuple) -> tuple:
    return tuple(part.normalize() if isinstance(part, Decimal) else part for part in key)


def _matches(target: Target, truth: Truth) -> bool:
    return _normal(_key(target)) == _normal(truth.key) and truth.name in target.name and \
        not re.search(r"\d", target.name.replace("GDP", ""))


def measure(name: str) -> tuple[float, float, list[str]]:
    """Precision, recall and one line per sentence with a miss or an extra target."""
    drafted_total = wanted_total = matched_total = 0
    failures = []
    for line in (CORPUS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        start, end = (int(year) for year in case["period"].split("-"))
        draft = draft_from_text(case["text"], region="测试市", period=(start, end))
        drafted = list(draft.plan.targets)
        wanted = [_truth(entry, end) for entry in case["targets"]]
        unmatched = list(drafted)
        missing = []
        for truth in wanted:
            partner = next((t for t in unmatched if _matches(t, truth)), None)
            if partner is None:
                missing.append(f"{truth.name}{truth.key}")
            else:
                unmatched.remove(partner)
        drafted_total += len(drafted)
        wanted_total += len(wanted)
        matched_total += len(wanted) - len(missing)
        if missing or unmatched:
            extra = [f"{t.name}{_key(t)}" for t in unmatched]
            failures.append(f"{case['id']}: missing={missing} extra={extra}")
    precision = matched_total / drafted_total if drafted_total else 1.0
    recall = matched_total / wanted_total if wanted_total else 1.0
    return precision, recall, failures


@pytest.mark.parametrize("name", ["tune", "heldback", "real_tune", "real_heldback", "real_heldback2", "real_tune2",
                                  "real_tune3", "real_heldback3"])
def test_corpus_precision_and_recall(name: str) -> None:
    precision, recall, failures = measure(name)
    lines = (CORPUS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    targets = sum(len(json.loads(line)["targets"]) for line in lines)
    print(f"\n{name}: {len(lines)} lines, {targets} targets: precision {precision:.3f} recall {recall:.3f}")
    if name not in HELD_BACK:
        print("\n".join(failures))
    low_precision, low_recall = FLOORS[name]
    assert precision >= low_precision and recall >= low_recall
