"""`ipreport check`: fail (exit 1) on targets with a failing status, for CI."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import click

from ipreport.cli.base import IpreportCommand
from ipreport.cli.options import (
    assessment_options,
    complete_plans,
    complete_statuses,
    input_paths,
    require_plans,
)
from ipreport.cli.output import echo_warnings, status_words, visible_text
from ipreport.util.i18n import language, translate_message


def _fail_on(ctx: click.Context, param: click.Parameter, value: str) -> tuple[Any, ...]:
    from ipreport.assessment.check import StatusNameError, parse_fail_on

    # Statuses may be named as the table shows them: --fail-on 滞后预期,逾期未完成.
    words = {word: name for name, word in status_words().items()} | {"提前实现": "achieved"}
    parts = re.split(r"[,，、]", value)
    value = ",".join(words.get(part.strip(), part) for part in parts)
    try:
        return parse_fail_on(value)
    except StatusNameError as exc:
        raise click.BadParameter(translate_message(exc.detail), ctx=ctx, param=param) from None


@click.command(cls=IpreportCommand)
@click.argument("plans", nargs=-1, required=False, metavar="PLAN...", shell_complete=complete_plans)
@assessment_options
@click.option("--fail-on", "fail_on", default="missed,overdue", show_default=True, metavar="STATUS,...",
              callback=_fail_on, shell_complete=complete_statuses,
              help="Statuses that fail the check, comma-separated (names or the table's words: 滞后预期).")
@click.option("--junit", "junit", type=click.Path(dir_okay=False), default=None,
              help="Also write the result as JUnit XML (one test case per target) for CI dashboards.")
def check(plans: tuple[str, ...], stats: str, year: int | None, as_of: str | None, region: str | None,
          lang: str, encoding: str | None, fail_on: tuple[Any, ...], junit: str | None) -> None:
    """Assess and fail (exit 1) when a target has a failing status; for CI.

    Prints the offending targets and a summary. Exit 0: none has a status in
    --fail-on; 1: some have (or an input is faulty); 2: misuse.

    \b
    Statuses: achieved missed ahead on_track accelerate behind regressing
    no_data insufficient_data done in_progress not_started overdue ongoing

    \b
    Example:
      ipreport check jilin-2016 --stats examples/jilin/statistics.csv
      ipreport check my-plan.toml --stats stats.xlsx \\
          --fail-on missed,overdue,behind --junit check.xml
    """
    from ipreport.api import check_files
    from ipreport.render.check_report import render_check, write_junit

    plans = require_plans(plans)
    result = check_files(plans, stats, fail_on=fail_on, year=year, as_of=as_of, region=region,
                         encoding=encoding)
    echo_warnings(result.assessment.warnings)
    if junit is not None:
        write_junit(result, Path(junit), lang=lang, inputs=input_paths(plans, stats))
    text = visible_text(render_check(result, lang))
    if language() == "zh":
        words = status_words()
        text = "".join(translate_message(line, words=words) + "\n" for line in text.splitlines())
    click.echo(text, nl=False)
    if not result.passed:
        sys.exit(1)
