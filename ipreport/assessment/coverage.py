"""Which targets the statistics say nothing about: an unfilled sheet must be said out loud, not pass."""

from __future__ import annotations

from ipreport.model import Assessment, Status

# How many names a warning lists before it says how many more there are.
NAMES_SHOWN = 8


def targets_without_data(assessment: Assessment) -> list[str]:
    """The names of the targets (and tasks) with no value at all, once each, in plan order."""
    names: dict[tuple[str, str], str] = {}
    for plan in assessment.plans:
        for row in plan.rows:
            if row.status is Status.NO_DATA and not row.interim:
                names.setdefault((plan.region + plan.plan.id, row.target.id), row.target.name)
    return list(names.values())


def target_count(assessment: Assessment) -> int:
    return len({(pa.region + pa.plan.id, row.target.id) for pa in assessment.plans for row in pa.rows})


def no_data_warning(assessment: Assessment) -> str | None:
    """"3 of 28 targets have no data: A, B, C; ..." or None when every target has some."""
    missing = targets_without_data(assessment)
    if not missing:
        return None
    total = target_count(assessment)
    shown = ", ".join(f'"{name}"' for name in missing[:NAMES_SHOWN])
    more = f" and {len(missing) - NAMES_SHOWN} more" if len(missing) > NAMES_SHOWN else ""
    where = f" in {assessment.statistics.name}" if assessment.statistics is not None else ""
    return (
        f"{len(missing)} of {total} targets have no data{where}: {shown}{more}; "
        "fill in their values (or check the indicator names) to assess them"
    )
