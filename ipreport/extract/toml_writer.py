"""A drafted plan written as plan-file TOML, with a # CHECK comment before each unsure target."""

from __future__ import annotations

from decimal import Decimal

from ipreport.extract.draft import Draft
from ipreport.model import Kind, Target
from ipreport.util.i18n import language, tr, translate_message
from ipreport.util.numbers import plain


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escapes = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}
    out = []
    for char in text:
        if char in escapes:
            out.append(escapes[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _strings(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def render_toml(draft: Draft, *, source: str = "") -> str:
    """The draft as a plan file: [plan], then one [[target]] per target, # CHECK before unsure ones."""
    drafted_by = tr("Draft plan drafted by `ipreport extract` from {source}.", source=source) if source else \
        tr("Draft plan drafted by `ipreport extract`.")
    review = tr("Review every target (names, units, years) before use; `# CHECK:` marks the unsure ones.")
    lines = [f"# {drafted_by}", f"# {review}"]
    lines += [f"# CHECK: {_said(note)}" for note in draft.notes]
    lines += ["", "[plan]", f"id = {toml_string(draft.id)}", f"title = {toml_string(draft.title)}"]
    if draft.document:
        lines.append(f"document = {toml_string(draft.document)}")
    if draft.issuer:
        lines.append(f"issuer = {toml_string(draft.issuer)}")
    if draft.issued:
        lines.append(f"issued = {draft.issued.isoformat()}")
    lines += [f"region = {toml_string(draft.region)}", f"start_year = {draft.start_year}",
              f"target_year = {draft.target_year}"]
    for drafted in draft.targets:
        lines.append("")
        if drafted.check:
            lines.append(f"# CHECK: {_said(drafted.check)}")
        target_lines = _target_lines(drafted.target, draft.target_year)
        # A probable result is kept for the reviewer, commented out, so the draft validates without it.
        lines += [f"# {line}" for line in target_lines] if drafted.commented else target_lines
    return "\n".join(lines) + "\n"


def _said(check: str) -> str:
    """A # CHECK text in the interface language, clause by clause (the clauses are joined with "; ")."""
    if language() != "zh":
        return check
    return "；".join(translate_message(clause) for clause in check.split("; "))


def _target_lines(target: Target, plan_year: int) -> list[str]:
    lines = ["[[target]]", f"id = {toml_string(target.id)}", f"name = {toml_string(target.name)}",
             f"dimension = {toml_string(target.dimension)}"]
    if target.indicator and target.indicator != target.name:
        lines.append(f"indicator = {toml_string(target.indicator)}")
    lines.append(f'kind = "{target.kind.value}"')
    if target.kind is Kind.LEVEL and target.value is not None:
        lines.append(f"target = {plain(target.value)}")
    if target.kind is Kind.GROWTH and target.rate is not None:
        lines.append(f'rate = "{plain(target.rate * 100)}%"')
    if target.kind is Kind.RANGE:
        lines += [f"min = {plain(target.min or Decimal(0))}", f"max = {plain(target.max or Decimal(0))}"]
    if target.kind is Kind.MILESTONE:
        lines.append("ongoing = true" if target.ongoing or target.deadline is None
                     else f"deadline = {target.deadline.isoformat()}")
    if target.unit:
        lines.append(f"unit = {toml_string(target.unit)}")
    if target.kind is not Kind.MILESTONE:
        lines.append(f'direction = "{target.direction.key}"')
    if target.year and target.year != plan_year and target.kind is not Kind.MILESTONE:
        lines.append(f"year = {target.year}")
    if target.strive:
        lines.append("strive = true")
    if target.approximate:
        lines.append("approximate = true")
    if target.aggregate != "latest":
        lines.append(f'aggregate = "{target.aggregate}"')
    if target.interim:
        pairs = ", ".join(f"{p.year} = {plain(p.value)}" for p in target.interim)
        lines.append(f"interim = {{ {pairs} }}")
    if target.responsible:
        lines.append(f"responsible = {_strings(target.responsible)}")
    if target.quote:
        lines.append(f"quote = {toml_string(target.quote)}")
    return lines
