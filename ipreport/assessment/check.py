"""`ipreport check`'s verdict: the fail list parsed from its names, and the rows whose status is in it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from ipreport.errors import OptionError
from ipreport.model import Assessment, CheckResult, Failure, Status

STATUS_NAMES = tuple(status.value for status in Status)
DEFAULT_FAIL_ON = (Status.MISSED, Status.OVERDUE)


class StatusNameError(OptionError):
    """An unknown status name in --fail-on; ``detail`` is the message without the option name."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__("--fail-on", detail)


def parse_fail_on(text: str | Iterable[str]) -> tuple[Status, ...]:
    """ "missed,overdue" (or a list of names) -> the statuses; an empty text means nothing fails."""
    names = text.split(",") if isinstance(text, str) else list(text)
    statuses: list[Status] = []
    unknown: list[str] = []
    for name in names:
        key = name.strip().lower().replace("-", "_")
        if not key:
            continue
        if key in STATUS_NAMES:
            status = Status(key)
            if status not in statuses:
                statuses.append(status)
        else:
            unknown.append(name.strip())
    if unknown:
        parts = []
        for name in unknown:
            nearest = difflib.get_close_matches(name.lower(), STATUS_NAMES, n=1)
            parts.append(f'"{name}"' + (f' (did you mean "{nearest[0]}"?)' if nearest else ""))
        noun = "status" if len(unknown) == 1 else "statuses"
        raise StatusNameError(f"unknown {noun} {', '.join(parts)}; valid statuses: {', '.join(STATUS_NAMES)}")
    return tuple(statuses)


def judge(assessment: Assessment, fail_on: Sequence[Status] = DEFAULT_FAIL_ON) -> CheckResult:
    """Every row whose status is in ``fail_on``."""
    failing = set(fail_on)
    failures = tuple(
        Failure(plan, row) for plan in assessment.plans for row in plan.rows if row.status in failing
    )
    return CheckResult(assessment, tuple(fail_on), failures)
