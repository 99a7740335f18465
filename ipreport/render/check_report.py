"""What `ipreport check` prints and writes: FAIL lines with a summary, and JUnit XML for CI dashboards."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from ipreport.model import CheckResult, Kind, TargetAssessment
from ipreport.render.formatting import DASH, format_ratio
from ipreport.render.table import (
    deadline_text,
    gap_text,
    latest_text,
    row_name,
    status_text,
    summary_line,
    target_text,
)
from ipreport.util.visible import xml_safe


def case_name(row: TargetAssessment) -> str:
    """A test case's name: target id and name, and the year for a past interim row (ids repeat there)."""
    return f"{row.target.id} {row_name(row)}"


def row_details(row: TargetAssessment, lang: str) -> dict[str, str]:
    """What a reader needs to see why a row has its status, as short texts."""
    status = f"{row.status.value} ({status_text(row, lang)})"
    if row.target.kind is Kind.MILESTONE:
        latest = row.task_state.value if row.task_state else DASH
        if row.completed:
            latest += f" ({row.completed.isoformat()})"
        return {"status": status, "latest": latest, "target": deadline_text(row, lang), "gap": DASH}
    return {
        "status": status,
        "latest": latest_text(row, lang),
        "target": f"{target_text(row, lang)} ({row.target_year})",
        "gap": gap_text(row, lang),
    }


def failure_message(row: TargetAssessment, lang: str) -> str:
    return _message(row_details(row, lang))


def _message(details: dict[str, str]) -> str:
    return "; ".join(f"{key} {value}" for key, value in details.items())


def render_check(result: CheckResult, lang: str = "zh") -> str:
    """The offending targets, one per line, then a summary line; what `ipreport check` prints."""
    lines = [
        f"FAIL {failure.plan.plan.id}: {case_name(failure.row)}: {failure_message(failure.row, lang)}"
        for failure in result.failures
    ]
    rows = result.assessment.rows
    fail_on = ", ".join(status.value for status in result.fail_on) or "nothing"
    verdict = "passed" if result.passed else "failed"
    if result.without_data:
        lines.append(
            f"FAIL no data: none of the {len(rows)} targets has a value in the statistics; "
            "fill in the statistics, then check again"
        )
    when = f"year {result.assessment.year}, as of {result.assessment.as_of.isoformat()}"
    if result.without_data:
        # "0 of 28 targets have a failing status" beside a failed check read as a contradiction.
        lines.append(f"check failed: no target could be assessed without data; {when}")
    else:
        lines.append(
            f"check {verdict}: {len(result.failures)} of {len(rows)} targets have a failing status "
            f"({fail_on}); {when}"
        )
    lines.append(summary_line(rows, lang))
    return "\n".join(lines) + "\n"


def junit_xml(result: CheckResult, lang: str = "zh") -> bytes:
    """JUnit XML: one <testsuite> per plan, one <testcase> per assessed row, <failure> for the fail list."""
    failing = set(result.fail_on)
    assessment = result.assessment
    suites = ET.Element("testsuites", name="ipreport check")
    total_tests = total_failures = 0
    for plan in assessment.plans:
        suite = ET.SubElement(suites, "testsuite", name=plan.plan.id)
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("title", plan.plan.title),
            ("region", plan.region),
            ("year", str(assessment.year)),
            ("as_of", assessment.as_of.isoformat()),
            ("statistics", str(assessment.statistics or "")),
            ("fail_on", ",".join(status.value for status in result.fail_on)),
        ):
            ET.SubElement(properties, "property", name=name, value=value)
        failures = 0
        for row in plan.rows:
            case = ET.SubElement(suite, "testcase", classname=plan.plan.id, name=case_name(row), time="0")
            details = row_details(row, lang)
            text = _case_text(row, details)
            if row.status in failing:
                failures += 1
                failure = ET.SubElement(case, "failure", message=_message(details), type=row.status.value)
                failure.text = text
            ET.SubElement(case, "system-out").text = text
        suite.set("tests", str(len(plan.rows)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        suite.set("time", "0")
        total_tests += len(plan.rows)
        total_failures += failures
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    suites.set("errors", "0")
    suites.set("time", "0")
    _xml_safe(suites)
    ET.indent(suites)
    return ET.tostring(suites, encoding="utf-8", xml_declaration=True) + b"\n"


def _xml_safe(root: ET.Element) -> None:
    """Control characters from inputs (a TOML "\\u0001" in a name) shown escaped: XML forbids them."""
    for element in root.iter():
        if element.text:
            element.text = xml_safe(element.text)
        for key, value in element.attrib.items():
            element.set(key, xml_safe(value))


def _case_text(row: TargetAssessment, details: dict[str, str]) -> str:
    lines = [f"{key}: {value}" for key, value in details.items()]
    lines.append(f"kind: {row.target.kind.value}")
    if row.ratio is not None:
        lines.append(f"ratio: {format_ratio(row.ratio)}")
    if row.notes:
        lines.append("notes: " + ", ".join(note.code for note in row.notes))
    return "\n".join(lines)


def write_junit(result: CheckResult, path: Path, lang: str = "zh", inputs: Iterable[Path] = ()) -> None:
    """Write the JUnit XML file atomically; it may not overwrite an input."""
    from ipreport.util.atomic import write_atomic

    write_atomic(Path(path), junit_xml(result, lang), inputs=inputs, option="--junit")
