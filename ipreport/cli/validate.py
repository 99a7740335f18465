"""`ipreport validate`: plan files, and statistics against them."""

from __future__ import annotations

import click

from ipreport.cli.base import IpreportCommand
from ipreport.cli.options import ENCODING_HELP, STATS_HELP, STATS_PATH, complete_plans, require_plans
from ipreport.cli.output import echo_warnings
from ipreport.util.i18n import translate_message


@click.command(cls=IpreportCommand)
@click.argument("plans", nargs=-1, required=False, metavar="PLAN...", shell_complete=complete_plans)
@click.option("--stats", "stats", type=STATS_PATH, default=None, help=STATS_HELP)
@click.option("--encoding", default=None, help=ENCODING_HELP)
@click.pass_context
def validate(ctx: click.Context, plans: tuple[str, ...], stats: str | None, encoding: str | None) -> None:
    """Check plan files (and statistics against them); report every problem, exit 1 if any.

    Plan files named on the command line are checked on their own: the statistics
    of ipreport.toml are used only with its plans, or when --stats is given.

    \b
    Example:
      ipreport validate targets/jilin-2016.toml
      ipreport validate jilin-2016 --stats examples/jilin/statistics.csv
    """
    from ipreport.api import validate_files

    from_config = click.core.ParameterSource.DEFAULT_MAP
    stats_from_config = ctx.get_parameter_source("stats") is from_config
    if stats_from_config and ctx.get_parameter_source("plans") is not from_config:
        stats = None  # a new plan is checked before its workbook is made (the skeleton's instructions)
    warnings = validate_files(require_plans(plans), stats, encoding)
    echo_warnings(warnings)
    checked = len(plans) + (1 if stats else 0)
    files = "s" if checked > 1 else ""
    if warnings:
        count = len(warnings)
        click.echo(translate_message(
            f"{checked} file{files} checked: no errors, {count} warning{'s' if count > 1 else ''} (above)."
        ))
    else:
        click.echo(translate_message(f"OK: {checked} file{files} checked, no problems found."))
