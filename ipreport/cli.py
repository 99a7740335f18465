"""Command-line interface: parses options, calls one library function per command, prints.

Heavy modules are imported inside the commands so that `ipreport --help` stays fast.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from ipreport import __version__

LANG_HELP = "Language of labels and text: zh (Chinese, default) or en."
YEAR_HELP = "Assessment year (default: the latest year with data)."
AS_OF_HELP = "Date tasks are judged at, e.g. 2023-12-31 (default: 31 December of the year)."
REGION_HELP = "Region to assess (default: each plan's own region)."
ENCODING_HELP = "Encoding of a CSV statistics file (default: detected: UTF-8, GB18030, UTF-16 with BOM)."
STATS_HELP = "Statistics file (.csv, or a workbook: .xlsx, .xls, .ods, .et), long or wide layout."
EACH_REGION_HELP = "Assess the plans for every region in the statistics, then a summary across regions."
JOBS_OPTION = click.option(
    "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
    help="Processes for --each-region (default: one per core).",
)
# gaps keeps --jobs so that scripts written for the worker processes it once had still run.
GAPS_JOBS_OPTION = click.option(
    "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
    help="Accepted with --each-region for older scripts; gaps runs in one process.",
)


STATS_PATH = click.Path(exists=True, dir_okay=False)
LANG_OPTION = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help=LANG_HELP
)


CONFIG_META = "ipreport.workspace.config"  # ctx.meta key of the ipreport.toml in use


class IpreportCommand(click.Command):
    """A value ipreport.toml gave that turns out unusable is a fault of that file, not of an option."""

    def invoke(self, ctx: click.Context) -> Any:
        from ipreport.errors import InputError, OptionError

        try:
            return super().invoke(ctx)
        except OptionError as exc:
            problem = _config_problem(ctx, exc)
            if problem is None:
                raise
            raise InputError(problem) from None


def _config_problem(ctx: click.Context, exc: Any) -> Any:
    """The OptionError as a problem of ipreport.toml (at the key's line) when its value came from there."""
    config = ctx.meta.get(CONFIG_META)
    param = next((p for p in ctx.command.params if exc.option in p.opts), None)
    if config is None or param is None or param.name is None:
        return None
    if ctx.get_parameter_source(param.name) is not click.core.ParameterSource.DEFAULT_MAP:
        return None
    return config.problem(param.name, exc.detail)


class IpreportGroup(click.Group):
    """Turns every error a user can cause into `Error: ...` on stderr, in this one place."""

    command_class = IpreportCommand
    group_class = type  # subgroups (`plans`) are IpreportGroups too

    def invoke(self, ctx: click.Context) -> Any:
        from ipreport.errors import InputError, IpreportError
        from ipreport.util.input_files import run_scope

        try:
            with run_scope():
                return super().invoke(ctx)
        except InputError as exc:
            for problem in exc.problems:
                click.echo(f"Error: {problem}", err=True)
            ctx.exit(exc.exit_code)
        except IpreportError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted; nothing was written.", err=True)
            ctx.exit(130)
        except OSError as exc:
            if isinstance(exc, BrokenPipeError) and _stdout_closed():
                # `ipreport gaps ... | head`: the reader has all it wants; quiet, as `yes | head` is.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush
                ctx.exit(SIGPIPE_EXIT)
            # The library reports the files it expects trouble with; this is the safety net for the
            # rest (a disk that fills up, a file removed mid-run) so the user still gets one clear line.
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(1)


SIGPIPE_EXIT = 141  # 128 + SIGPIPE: how a shell reports a writer whose reader went away


def _stdout_closed() -> bool:
    """Whether the reader of stdout has closed it (as `head` does), rather than another pipe failing."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(event & select.POLLERR for _, event in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll (Windows), or stdout is no file
        return False


def assessment_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by every command that assesses plans against statistics."""
    for option in reversed([
        click.option("--stats", "stats", required=True, type=STATS_PATH, help=STATS_HELP),
        click.option("--year", type=int, default=None, help=YEAR_HELP),
        click.option("--as-of", "as_of", default=None, metavar="DATE", help=AS_OF_HELP),
        click.option("--region", default=None, help=REGION_HELP),
        LANG_OPTION,
        click.option("--encoding", default=None, help=ENCODING_HELP),
    ]):
        func = option(func)
    return func


def _echo_warnings(warnings: Any) -> None:
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)


@contextlib.contextmanager
def progress(items: Iterable[Any], label: str, length: int | None = None) -> Iterator[Iterable[Any]]:
    """Iterate ``items`` with a progress bar on stderr when stderr is a terminal; silently otherwise.

    \b
        with progress(regions, "Writing reports") as bar:
            for region in bar: ...
    """
    if not sys.stderr.isatty():
        yield items
        return
    with click.progressbar(items, label=label, length=length, file=sys.stderr) as bar:
        yield bar


@contextlib.contextmanager
def _errors_name(option: str, instead_of: str = "--output") -> Iterator[None]:
    """Name the option the user gave: with --out-dir the report's path is built from it, not from -o."""
    from ipreport.errors import OptionError

    try:
        yield
    except OptionError as exc:
        if exc.option != instead_of:
            raise
        raise OptionError(option, exc.detail) from None


def _require_plans(plans: tuple[str, ...]) -> tuple[str, ...]:
    """PLAN arguments may come from ipreport.toml; without either, say how to give them."""
    if not plans:
        raise click.UsageError(
            "Missing argument 'PLAN...': give plan files or bundled plan ids, or set plans in ipreport.toml."
        )
    return plans


@click.group(cls=IpreportGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ipreport")
@click.option("--config", "config", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Defaults file (default: ipreport.toml in the current folder, if there is one).")
@click.pass_context
def cli(ctx: click.Context, config: str | None) -> None:
    """Assess IP plan targets against statistics and write the yearly report.

    ipreport reads plan files (TOML, one per policy document) and statistics
    (CSV or Excel), computes the gap and status of every target, prints gap
    tables and writes the 知识产权发展状况报告 as .docx, Markdown or HTML.

    \b
    Example:
      ipreport plans list
      ipreport gaps jilin-2016 --stats examples/jilin/statistics.csv
      ipreport report jilin-2016 --stats examples/jilin/statistics.csv
    """
    from ipreport.workspace.config import default_map, find_config, load_config

    path = Path(config) if config else find_config(Path.cwd())
    if path is not None:
        loaded = load_config(path)
        ctx.meta[CONFIG_META] = loaded
        ctx.default_map = default_map(loaded, cli.commands)


@cli.command()
@click.argument("plans", nargs=-1, required=False, metavar="PLAN...")
@assessment_options
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv", "markdown"]), default="table",
    show_default=True, help="Output format; json is stable and documented in docs/json.md.",
)
@click.option("--each-region", "each_region", is_flag=True, default=False, help=EACH_REGION_HELP)
@GAPS_JOBS_OPTION
def gaps(plans: tuple[str, ...], stats: str, year: int | None, as_of: str | None, region: str | None,
         lang: str, encoding: str | None, fmt: str, each_region: bool = False,
         jobs: int | None = None) -> None:
    """Print the gap table: every target's latest value, gap and status.

    PLAN is a plan file (.toml) or the id of a bundled plan (see `ipreport plans list`).

    \b
    Example:
      ipreport gaps jilin-2016 --stats examples/jilin/statistics.csv
      ipreport gaps jilin-2016 --stats stats.xlsx --year 2019 --format json
      ipreport gaps county-plan.toml --stats counties.csv --each-region
    """
    from ipreport.render.gap_formats import render_gaps

    if each_region:
        _no_region_with_each(region)
    _no_jobs_without_each(jobs, each_region)
    plans = _require_plans(plans)
    color = fmt == "table" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
    width = min(max(width, 60), 120)
    if each_region:
        from ipreport.regions.run import each_region_output

        output = each_region_output(plans, stats, fmt, lang=lang, year=year, as_of=as_of, encoding=encoding,
                                    jobs=jobs, color=color, width=width)
        _echo_warnings(output.warnings)
        # Written piece by piece: every region's JSON at once would take a gigabyte for a national file.
        for chunk in output.chunks:
            _print(chunk, fmt)
        return
    assessment = _assess(plans, stats, year, as_of, region, encoding, each_region=False)
    _print(render_gaps(assessment, fmt, lang=lang, color=color, width=width), fmt)


def _print(text: str, fmt: str) -> None:
    """Output of `gaps`. Off a terminal click.echo strips colour codes, scanning every character
    (85 MB of JSON for a national file); only a table has colours, so the others say so."""
    click.echo(text, nl=False, color=True if fmt != "table" else None)


def _assess(plans: tuple[str, ...], stats: str, year: int | None, as_of: str | None, region: str | None,
            encoding: str | None, each_region: bool) -> Any:
    """Assess for `gaps` and `report`: every region, or the given one; its warnings go to stderr."""
    if each_region:
        from ipreport.regions.run import assess_files_each_region

        assessment = assess_files_each_region(plans, stats, year=year, as_of=as_of, encoding=encoding)
    else:
        from ipreport.api import assess_files

        assessment = assess_files(plans, stats, year=year, as_of=as_of, region=region, encoding=encoding)
    _echo_warnings(assessment.warnings)
    return assessment


def _no_jobs_without_each(jobs: int | None, each_region: bool) -> None:
    if jobs is not None and not each_region:
        raise click.UsageError("--jobs goes with --each-region: one region is assessed in one process.")


def _no_region_with_each(region: str | None) -> None:
    if region is not None:
        raise click.UsageError("--region and --each-region cannot be combined: --each-region assesses all.")


@cli.group()
def plans() -> None:
    """List the bundled plans or show one plan's targets."""


@plans.command("list")
def plans_list() -> None:
    """List the bundled plans with their ids, regions, periods and documents.

    \b
    Example:
      ipreport plans list
    """
    from ipreport.plans.load import bundled_plans
    from ipreport.render.planview import render_plan_list

    click.echo(render_plan_list(bundled_plans()), nl=False)


@plans.command("show")
@click.argument("plan", metavar="PLAN")
@LANG_OPTION
def plans_show(plan: str, lang: str) -> None:
    """Show one plan's targets and tasks.

    PLAN is a plan file (.toml) or the id of a bundled plan.

    \b
    Example:
      ipreport plans show jilin-2016
      ipreport plans show my-plan.toml
    """
    from ipreport.plans.load import load_plan
    from ipreport.render.planview import render_plan

    click.echo(render_plan(load_plan(plan), lang=lang), nl=False)


@cli.command()
@click.argument("plans", nargs=-1, required=False, metavar="PLAN...")
@click.option("--stats", "stats", type=STATS_PATH, default=None, help=STATS_HELP)
@click.option("--encoding", default=None, help=ENCODING_HELP)
def validate(plans: tuple[str, ...], stats: str | None, encoding: str | None) -> None:
    """Check plan files (and statistics against them); report every problem, exit 1 if any.

    \b
    Example:
      ipreport validate targets/jilin-2016.toml
      ipreport validate jilin-2016 --stats examples/jilin/statistics.csv
    """
    from ipreport.api import validate_files

    warnings = validate_files(_require_plans(plans), stats, encoding)
    _echo_warnings(warnings)
    checked = len(plans) + (1 if stats else 0)
    click.echo(f"OK: {checked} file{'s' if checked > 1 else ''} checked, no problems found.")


@cli.command()
@click.argument("plans", nargs=-1, required=False, metavar="PLAN...")
@assessment_options
@click.option("-o", "--output", "output", type=click.Path(), default=None,
              help="Output file (default: the report's title with the year, in the current folder).")
@click.option("--format", "fmt", type=click.Choice(["docx", "md", "html"]), default=None,
              help="Output format (default: from the extension of -o, else docx).")
@click.option("--template", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Your own template (.docx for Word, .j2 for Markdown/HTML) instead of the built-in one.")
@click.option("--title", default=None, help="Report title (default: names the region and the year).")
@click.option("--no-charts", "no_charts", is_flag=True, default=False, help="Leave the charts out.")
@click.option("--out-dir", "out_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder for the report when -o is not given (default: the current folder).")
@click.option("--each-region", "each_region", is_flag=True, default=False,
              help="One report per region in the statistics, written into --out-dir on every core.")
@JOBS_OPTION
def report(plans: tuple[str, ...], stats: str, year: int | None, as_of: str | None, region: str | None,
           lang: str, encoding: str | None, output: str | None, fmt: str | None, template: str | None,
           title: str | None, no_charts: bool, out_dir: str | None, each_region: bool = False,
           jobs: int | None = None) -> None:
    """Write the yearly report (.docx in official format, or Markdown/HTML).

    Several plans make one report with a part per plan.

    \b
    Example:
      ipreport report jilin-2016 --stats examples/jilin/statistics.csv
      ipreport report jilin-2016 jilin-2022 --stats stats.xlsx -o 报告.docx
      ipreport report jilin-2016 --stats stats.csv --format html --lang en
      ipreport report county-plan.toml --stats counties.csv \\
          --each-region --out-dir 报告
    """
    from ipreport.inputs import parse_as_of
    from ipreport.render.report.write import write_report

    plans = _require_plans(plans)
    _no_jobs_without_each(jobs, each_region)
    if each_region:
        _report_each_region(plans, stats, year, as_of, region, lang, encoding, output, fmt, template, title,
                            no_charts, out_dir, jobs)
        return
    assessment = _assess(plans, stats, year, as_of, region, encoding, each_region=False)
    _warn_if_no_charts(no_charts, lang)
    template_path = Path(template) if template else None
    given_output = output is not None
    if output is None and out_dir is not None:
        from ipreport.render.report.write import report_path_in

        output = str(report_path_in(Path(out_dir), assessment, fmt=fmt, lang=lang, title=title,
                                    template=template_path))
    with _errors_name("--out-dir") if out_dir is not None and not given_output else contextlib.nullcontext():
        written = write_report(
            assessment, out=Path(output) if output else None, fmt=fmt, template=template_path, title=title,
            charts=not no_charts, lang=lang, written=parse_as_of(as_of),
        )
    click.echo(f"Wrote {written}")


def _warn_if_no_charts(no_charts: bool, lang: str) -> None:
    """Charts are an optional extra: say so when they were wanted but cannot be drawn."""
    if no_charts:
        return
    from ipreport.render.report.write import missing_charts_reason

    reason = missing_charts_reason(lang)
    if reason is not None:
        _echo_warnings([reason])


def _report_each_region(plans: tuple[str, ...], stats: str, year: int | None, as_of: str | None,
                        region: str | None, lang: str, encoding: str | None, output: str | None,
                        fmt: str | None, template: str | None, title: str | None, no_charts: bool,
                        out_dir: str | None, jobs: int | None) -> None:
    """`report --each-region`: every region's report into --out-dir, then the summary across regions."""
    from ipreport.inputs import parse_as_of
    from ipreport.regions.run import render_region_summary, write_region_reports

    _no_region_with_each(region)
    for given, name in ((output, "-o/--output"), (title, "--title")):
        if given is not None:
            raise click.UsageError(f"{name} and --each-region cannot be combined: every region gets its own.")
    assessment = _assess(plans, stats, year, as_of, region, encoding, each_region=True)
    _warn_if_no_charts(no_charts, lang)
    reports = write_region_reports(
        assessment, Path(out_dir or "."), fmt=fmt, template=Path(template) if template else None,
        charts=not no_charts, lang=lang, written=parse_as_of(as_of), workers=jobs,
    )
    count = len({pa.region for pa in assessment.plans})
    with _errors_name("--out-dir"), progress(reports, "Writing reports", length=count) as bar:
        for _ in bar:
            pass
    click.echo(render_region_summary(assessment, lang=lang), nl=False)
    click.echo(f"Wrote {count} report{'s' if count > 1 else ''} to {out_dir or '.'}")


def _fail_on(ctx: click.Context, param: click.Parameter, value: str) -> tuple[Any, ...]:
    from ipreport.assessment.check import StatusNameError, parse_fail_on

    try:
        return parse_fail_on(value)
    except StatusNameError as exc:
        raise click.BadParameter(exc.detail, ctx=ctx, param=param) from None


@cli.command()
@click.argument("plans", nargs=-1, required=False, metavar="PLAN...")
@assessment_options
@click.option("--fail-on", "fail_on", default="missed,overdue", show_default=True, metavar="STATUS,...",
              callback=_fail_on, help="Statuses that fail the check, comma-separated.")
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

    plans = _require_plans(plans)
    result = check_files(plans, stats, fail_on=fail_on, year=year, as_of=as_of, region=region,
                         encoding=encoding)
    _echo_warnings(result.assessment.warnings)
    if junit is not None:
        write_junit(result, Path(junit), lang=lang, inputs=_input_paths(plans, stats))
    click.echo(render_check(result, lang), nl=False)
    if not result.passed:
        sys.exit(1)


@cli.command("stats-template")
@click.argument("plans", nargs=-1, required=False, metavar="PLAN...")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), required=True,
              help="The sheet to write: .xlsx (with drop-downs) or .csv (UTF-8 with BOM).")
@click.option("--stats", "stats", type=STATS_PATH, default=None,
              help="Existing statistics whose values are copied into the sheet.")
@click.option("--encoding", default=None, help=ENCODING_HELP)
def stats_template(plans: tuple[str, ...], output: str, stats: str | None, encoding: str | None) -> None:
    """Write the statistics sheet staff fill in: one row per indicator, one column per year.

    \b
    Milestone rows take 已完成, 推进中 or 未启动 (a drop-down in .xlsx).
    The filled-in sheet is read by `gaps`, `report` and `check` as it is.

    \b
    Example:
      ipreport stats-template jilin-2016 -o 统计数据.xlsx
      ipreport stats-template my-plan.toml -o 统计数据.xlsx --stats last-year.csv
    """
    from ipreport.workspace.stats_template import write_stats_template

    plans = _require_plans(plans)
    written, warnings = write_stats_template(plans, Path(output), existing=stats, encoding=encoding)
    _echo_warnings(warnings)
    click.echo(f"Wrote {written}")


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False), default=".", metavar="[DIR]")
@click.option("--plan", "plan", default=None, metavar="ID",
              help="Bundled plan to copy (default: an empty plan skeleton with comments).")
def init(folder: str, plan: str | None) -> None:
    """Set up a working folder: ipreport.toml, a plan file and a statistics workbook.

    Existing files are never overwritten.

    \b
    Example:
      ipreport init 2024年度报告 --plan jilin-2022
      cd 2024年度报告 && ipreport report
    """
    from ipreport.workspace.init import init_workspace

    for path in init_workspace(Path(folder), plan):
        click.echo(f"Wrote {path}")


@cli.command()
@click.argument("document", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output", type=click.Path(), default=None,
              help="Plan file to write (default: print the draft).")
@click.option("--region", default=None, help="Region of the plan (default: read from the document).")
@click.option("--id", "plan_id", default=None, help="Plan id, [a-z0-9-]+ (default: from the document).")
@click.option("--encoding", default=None, help="Encoding of a .txt document (default: detected).")
@click.option("--period", default=None, metavar="START-END",
              help="The plan's years, such as 2021-2025 (default: read from the document).")
def extract(document: str, output: str | None, region: str | None, plan_id: str | None,
            encoding: str | None, period: str | None) -> None:
    """Draft a plan file from the policy document (.txt .docx .pdf .html; .doc .wps need LibreOffice).

    Review the draft (lines marked "# CHECK:" need a look), then validate it.

    \b
    Example:
      ipreport extract policy.docx -o targets/my-plan.toml
      ipreport validate targets/my-plan.toml
    """
    from ipreport.extract.drafting import extract_plan

    draft = extract_plan(Path(document), region=region, plan_id=plan_id, encoding=encoding,
                         period=_period(period))
    if output is None:
        click.echo(draft, nl=False)
        return
    from ipreport.util.atomic import write_atomic

    write_atomic(Path(output), draft.encode("utf-8"), inputs=[Path(document)])
    click.echo(f"Wrote {output}")


def _period(text: str | None) -> tuple[int, int] | None:
    """"2021-2025" as (2021, 2025); a misused --period is a usage error (exit 2)."""
    if text is None:
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*[-–—~]\s*(\d{4})\s*", text)
    if match is None or int(match.group(1)) > int(match.group(2)):
        raise click.BadParameter(f"expected START-END years such as 2021-2025, found {text!r}",
                                 param_hint="'--period'")
    return int(match.group(1)), int(match.group(2))


def _input_paths(plans: tuple[str, ...], stats: str | None) -> list[Path]:
    """Files the command reads, which an output must never overwrite."""
    paths = [Path(p) for p in plans if Path(p).is_file()]
    return paths + ([Path(stats)] if stats else [])


CLOSED_STDOUT = (
    "Error: standard output is closed; ipreport writes its results there: "
    "redirect it to a file or to /dev/null instead of closing it"
)


def main(**kwargs: Any) -> None:
    """Console-script entry point.

    A closed stream (``>&-``) is None in Python: click would drop what it echoes there and report
    success (``extract`` lost its draft). A closed or full stdout is an error with exit status 1.
    """
    if sys.stderr is None:  # nothing can be said; the exit status speaks
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - open for the whole run
    if sys.stdout is None:
        click.echo(CLOSED_STDOUT, err=True)
        sys.exit(1)
    try:
        cli(**kwargs)
    finally:
        _flush_stdout()


def _flush_stdout() -> None:
    """Flush stdout here, where a full disk is one clear line, not a traceback at interpreter exit."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(SIGPIPE_EXIT)
    except OSError as exc:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the lost bytes are not retried
        click.echo(f"Error: cannot write the standard output: {exc.strerror or exc}", err=True)
        sys.exit(1)
