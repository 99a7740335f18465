"""`ipreport report`: the yearly report, for one region or each region in the statistics."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import click

from ipreport.cli.base import IpreportCommand
from ipreport.cli.options import (
    JOBS_OPTION,
    assessment_options,
    complete_plans,
    no_jobs_without_each,
    no_region_with_each,
    require_plans,
)
from ipreport.cli.output import assess, echo_warnings, errors_name, progress, usage
from ipreport.util.i18n import tr, translate_message


@click.command(cls=IpreportCommand)
@click.argument("plans", nargs=-1, required=False, metavar="PLAN...", shell_complete=complete_plans)
@assessment_options
@click.option("-o", "--output", "output", type=click.Path(), default=None,
              help="Output file (default: the report's title with the year, in the current folder).")
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf", "md", "html"]), default=None,
              help="Output format (default: from the extension of -o, else docx); pdf needs LibreOffice.")
@click.option("--template", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Your own template (.docx for Word, .j2 for Markdown/HTML) instead of the built-in one.")
@click.option("--title", default=None, help="Report title (default: names the region and the year).")
@click.option("--no-charts", "no_charts", is_flag=True, default=False, help="Leave the charts out.")
@click.option("--issuer", default=None,
              help="The office signing the report (署名; default: the region's 知识产权局).")
@click.option("--date", "date", default=None, metavar="DATE",
              help="The report's date (成文日期), e.g. 2024-03-01 (default: today; independent of --as-of).")
@click.option("--narrative", type=click.Path(dir_okay=False), default=None,
              help="Your own text for sections of the report (Markdown; see docs/templates.md).")
@click.option("--out-dir", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for the report when -o is not given, created if need be "
                   "(default: the current folder).")
@click.option("--each-region", "each_region", is_flag=True, default=False,
              help="One report per region in the statistics, written into --out-dir on every core.")
@JOBS_OPTION
@click.option("--force", "force", is_flag=True, default=False,
              help="Replace an existing report even if it was edited since ipreport wrote it.")
def report(plans: tuple[str, ...], stats: str, year: int | None, as_of: str | None, region: str | None,
           lang: str, encoding: str | None, output: str | None, fmt: str | None, template: str | None,
           title: str | None, no_charts: bool, issuer: str | None = None, date: str | None = None,
           narrative: str | None = None, out_dir: str | None = None, each_region: bool = False,
           jobs: int | None = None, force: bool = False) -> None:
    """Write the yearly report (.docx in official format, PDF, Markdown or HTML).

    Several plans make one report with a part per plan. Targets without data
    are counted on stderr and listed in 附件1, not in the body. A report edited
    since ipreport wrote it (in Word, say) is never replaced without --force.

    \b
    Example:
      ipreport report jilin-2016 --stats examples/jilin/statistics.csv
      ipreport report jilin-2016 jilin-2022 --stats stats.xlsx -o 报告.docx
      ipreport report jilin-2016 --stats stats.csv --format html --lang en
      ipreport report jilin-2016 --stats stats.csv -o 报告.pdf \\
          --issuer 吉林省知识产权局 --date 2021-03-01
      ipreport report county-plan.toml --stats counties.csv \\
          --each-region --out-dir 报告
    """
    from ipreport.inputs import parse_as_of
    from ipreport.render.report.write import write_report

    plans = require_plans(plans)
    no_jobs_without_each(jobs, each_region)
    if out_dir is not None and (each_region or output is None):
        _make_out_dir(Path(out_dir))
    if each_region:
        given = click.get_current_context().get_parameter_source
        # From the command line they are refused; an office's ipreport.toml applies to its own report only.
        if any(given(name) is click.core.ParameterSource.COMMANDLINE for name in ("issuer", "narrative")):
            raise usage("--issuer and --narrative cannot be combined with --each-region: every "
                        "region's report is its own office's.")
        _report_each_region(plans, stats, year, as_of, region, lang, encoding, output, fmt, template, title,
                            no_charts, out_dir, jobs, force, parse_as_of(date, "--date"))
        return
    report_day = parse_as_of(date, "--date")
    assessment = assess(plans, stats, year, as_of, region, encoding, each_region=False)
    _warn_if_no_charts(no_charts, lang, fmt, output, template)
    template_path = Path(template) if template else None
    given_output = output is not None
    if output is None and out_dir is not None:
        from ipreport.render.report.write import report_path_in

        output = str(report_path_in(Path(out_dir), assessment, fmt=fmt, lang=lang, title=title,
                                    template=template_path))
    with errors_name("--out-dir") if out_dir is not None and not given_output else contextlib.nullcontext():
        written = write_report(
            assessment, out=Path(output) if output else None, fmt=fmt, template=template_path, title=title,
            charts=not no_charts, lang=lang, written=parse_as_of(as_of), issuer=issuer, date=report_day,
            narrative=Path(narrative) if narrative else None, force=force,
        )
    click.echo(tr("Wrote {path}", path=written))


def _make_out_dir(folder: Path) -> None:
    """--out-dir (or out_dir in ipreport.toml) is created when it does not exist yet."""
    from ipreport.errors import OptionError

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OptionError("--out-dir", f'cannot create "{folder}": {exc.strerror or exc}') from None


def _warn_if_no_charts(
    no_charts: bool, lang: str, fmt: str | None, output: str | None, template: str | None
) -> None:
    """The pictures of Markdown and HTML are an optional extra: say so when they were wanted but cannot
    be drawn (Word's charts are native and always there)."""
    if no_charts:
        return
    from ipreport.render.report.write import choose_format, missing_charts_reason

    kind = choose_format(fmt, Path(output) if output else None, Path(template) if template else None)
    reason = missing_charts_reason(lang, kind)
    if reason is not None:
        echo_warnings([reason])


def _report_each_region(plans: tuple[str, ...], stats: str, year: int | None, as_of: str | None,
                        region: str | None, lang: str, encoding: str | None, output: str | None,
                        fmt: str | None, template: str | None, title: str | None, no_charts: bool,
                        out_dir: str | None, jobs: int | None, force: bool = False, date: Any = None) -> None:
    """`report --each-region`: every region's report into --out-dir, then the summary across regions."""
    from ipreport.inputs import parse_as_of
    from ipreport.regions.run import RegionReport, render_region_summary, write_region_reports
    from ipreport.util.signals import Terminated, signal_number

    no_region_with_each(region)
    for given, name in ((output, "-o/--output"), (title, "--title")):
        if given is not None:
            raise usage(f"{name} and --each-region cannot be combined: every region gets its own.")
    assessment = assess(plans, stats, year, as_of, region, encoding, each_region=True)
    _warn_if_no_charts(no_charts, lang, fmt, output, template)
    finished: list[RegionReport] = []
    reports = write_region_reports(
        assessment, Path(out_dir or "."), fmt=fmt, template=Path(template) if template else None,
        charts=not no_charts, lang=lang, written=parse_as_of(as_of), workers=jobs, force=force, date=date,
        finished=finished,
    )
    count = len({pa.region for pa in assessment.plans})
    try:
        with errors_name("--out-dir"), progress(reports, "Writing reports", length=count) as bar:
            for _ in bar:
                pass
    except KeyboardInterrupt as exc:
        reports.close()  # hands out no more regions; the reports being written are finished
        if not finished:
            raise
        done = f"{len(finished)} of {count} reports were written to {out_dir or '.'} before the run stopped"
        raise Terminated(signal_number(exc), written=done) from None
    click.echo(render_region_summary(assessment, lang=lang), nl=False)
    click.echo(translate_message(f"Wrote {count} report{'s' if count > 1 else ''} to {out_dir or '.'}"))
