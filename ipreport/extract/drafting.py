"""Draft a plan file from a policy document (.txt or .docx): header, targets, tasks, as TOML text.

The draft is for a person to review: every target keeps the document's words in ``quote``, and a
target the rules are unsure of is preceded by a ``# CHECK: <why>`` comment in the TOML.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ipreport.errors import InputError, Problem
from ipreport.extract.blocks import Block, read_blocks, text_blocks
from ipreport.extract.draft import Draft, DraftTarget
from ipreport.extract.header import read_header
from ipreport.extract.rules import fold
from ipreport.extract.stance import is_plan_title, is_report
from ipreport.extract.toml_writer import render_toml, toml_string
from ipreport.extract.walker import Walker
from ipreport.model import Kind, Target

__all__ = ["Block", "Draft", "DraftTarget", "draft_from_blocks", "draft_from_text", "extract_plan",
           "read_blocks", "render_toml", "toml_string"]


def extract_plan(
    path: Path, *, region: str | None = None, plan_id: str | None = None, encoding: str | None = None,
    period: tuple[int, int] | None = None,
) -> str:
    """Read a policy document and return the TOML text of a draft plan file."""
    blocks = read_blocks(Path(path), encoding)
    draft = draft_from_blocks(blocks, region=region, plan_id=plan_id, source=str(path), period=period)
    if not draft.targets:
        raise InputError(Problem(str(path), "no targets found in the document; is this a plan document?"))
    return render_toml(draft, source=Path(path).name)


def draft_from_text(
    text: str, *, region: str | None = None, plan_id: str | None = None, period: tuple[int, int] | None = None
) -> Draft:
    """Draft a plan from the plain text of a document."""
    return draft_from_blocks(text_blocks(text), region=region, plan_id=plan_id, period=period)


def draft_from_blocks(
    blocks: list[Block], *, region: str | None = None, plan_id: str | None = None, source: str = "document",
    period: tuple[int, int] | None = None,
) -> Draft:
    """Draft a plan from a document's paragraphs and tables; ``period`` (start, end) replaces its years."""
    header = read_header(blocks, period)
    if region is None and not header.region:
        raise InputError(
            Problem(source, "cannot tell the region from the issuer or title; give it with --region")
        )
    if not header.start_year or not header.target_year:
        # A draft never carries year 0: it would not validate.
        raise InputError(Problem(source, "cannot tell the plan's period from the document; "
                                         "give it with --period, such as --period 2021-2025"))
    plan_document = is_plan_title(header.title)
    # The genre is read from the whole document: a news report's figures are results unless a strong
    # forward cue (到2025年, 力争, a stage of the plan) says otherwise.
    paragraphs = "\n".join(block.text for block in blocks if not block.is_table)
    report = not plan_document and is_report(fold(paragraphs))
    walker = Walker(header.start_year, header.target_year, plan_document=plan_document, report=report)
    walker.walk(blocks)
    targets = _number_ids(_deduplicate(walker.targets))
    return Draft(
        id=plan_id or header.derived_id(region or header.region),
        title=header.title,
        region=region or header.region,
        start_year=header.start_year,
        target_year=header.target_year,
        targets=targets,
        document=header.document,
        issuer=header.issuer,
        issued=header.issued,
        notes=header.notes,
    )


def _key(target: Target) -> tuple:
    return (target.kind, target.value, target.rate, target.min, target.max, target.unit, target.year,
            target.deadline, target.ongoing, target.aggregate)


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def _similar(name: str, other: str) -> bool:
    a, b = _bigrams(name), _bigrams(other)
    return len(a & b) / min(len(a), len(b)) >= 0.5


def _deduplicate(targets: list[DraftTarget]) -> list[DraftTarget]:
    """A number the document repeats (goal, then task) is drafted once: same values, similar names.

    Milestones have no number to repeat: each is kept.
    """
    kept: list[DraftTarget] = []
    # Only targets with equal values can repeat: linear time. Two figures of one quote are two targets
    # ("涉外专利申请量、授权量年均增长20%"), never a repetition.
    names_by_key: dict[tuple, list[tuple[str, str]]] = {}
    for drafted in targets:
        target = drafted.target
        names = names_by_key.setdefault(_key(target), [])
        duplicate = target.kind is not Kind.MILESTONE and any(
            _similar(target.name, name) and quote != target.quote for name, quote in names)
        if not duplicate:
            kept.append(drafted)
            names.append((target.name, target.quote))
    return kept


def _number_ids(targets: list[DraftTarget]) -> tuple[DraftTarget, ...]:
    width = max(2, len(str(len(targets))))
    return tuple(
        replace(drafted, target=replace(drafted.target, id=f"{drafted.target.kind.value}-{number:0{width}d}",
                                        indicator=drafted.target.indicator or drafted.target.name))
        for number, drafted in enumerate(targets, start=1)
    )
