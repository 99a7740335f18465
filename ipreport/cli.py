"""Command-line interface: parses options, calls one library function per command, prints.

Heavy modules are imported inside the commands so that `ipreport --help` stays fast.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from typing import Any

import click

from ipreport import __version__

LANG_HELP = "Language of labels and text: zh (Chinese, default) or en."
YEAR_HELP = "Assessment year (default: the latest year with data)."
AS_OF_HELP = "Date tasks are judged at, e.g. 2023-12-31 (default: 31 December of the year)."
REGION_HELP = "Region to assess (default: each plan's own region)."
ENCODING_HELP = "Encoding of a CSV statistics file (default: detected: UTF-8, GB18030, UTF-16 with BOM)."
STATS_HELP = "Statistics file (.csv or .xlsx), long or wide layout."


STATS_PATH = click.Path(exists=True, dir_okay=False)
LANG_OPTION = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help=LANG_HELP
)


class IpreportGroup(click.Group):
    """Turns every error a user can cause into `Error: ...` on stderr, in this one place."""

    def invoke(self, ctx: click.Context) -> Any:
        from ipreport.errors import InputError, IpreportError

        try:
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


@click.group(cls=IpreportGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ipreport")
def cli() -> None:
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


@cli.command()
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@assessment_options
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv", "markdown"]), default="table",
    show_default=True, help="Output format; json is stable and documented in docs/json.md.",
)
def gaps(plans: tuple[str, ...], stats: str, year: int | None, as_of: str | None, region: str | None,
         lang: str, encoding: str | None, fmt: str) -> None:
    """Print the gap table: every target's latest value, gap and status.

    PLAN is a plan file (.toml) or the id of a bundled plan (see `ipreport plans list`).

    \b
    Example:
      ipreport gaps jilin-2016 --stats examples/jilin/statistics.csv
      ipreport gaps jilin-2016 --stats stats.xlsx --year 2019 --format json
    """
    from ipreport.main import assess_files, render_gaps

    assessment = assess_files(plans, stats, year=year, as_of=as_of, region=region, encoding=encoding)
    _echo_warnings(assessment.warnings)
    color = fmt == "table" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
    click.echo(render_gaps(assessment, fmt, lang=lang, color=color, width=min(max(width, 60), 120)), nl=False)


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
    from ipreport.plans import bundled_plans
    from ipreport.planview import render_plan_list

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
    from ipreport.plans import load_plan
    from ipreport.planview import render_plan

    click.echo(render_plan(load_plan(plan), lang=lang), nl=False)


@cli.command()
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@click.option("--stats", "stats", type=STATS_PATH, default=None, help=STATS_HELP)
@click.option("--encoding", default=None, help=ENCODING_HELP)
def validate(plans: tuple[str, ...], stats: str | None, encoding: str | None) -> None:
    """Check plan files (and statistics against them); report every problem, exit 1 if any.

    \b
    Example:
      ipreport validate targets/jilin-2016.toml
      ipreport validate jilin-2016 --stats examples/jilin/statistics.csv
    """
    from ipreport.main import validate_files

    warnings = validate_files(plans, stats, encoding)
    _echo_warnings(warnings)
    checked = len(plans) + (1 if stats else 0)
    click.echo(f"OK: {checked} file{'s' if checked > 1 else ''} checked, no problems found.")


def main(**kwargs: Any) -> None:
    """Console-script entry point."""
    cli(**kwargs)
