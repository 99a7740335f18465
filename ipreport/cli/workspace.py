"""`ipreport init` and `ipreport stats-template`: an office's working folder and its sheet."""

from __future__ import annotations

from pathlib import Path

import click

from ipreport.cli.base import IpreportCommand
from ipreport.cli.options import ENCODING_HELP, STATS_PATH, complete_plans, require_plans
from ipreport.cli.output import echo_warnings, usage
from ipreport.util.i18n import tr, translate_message


@click.command("stats-template", cls=IpreportCommand)
@click.argument("plans", nargs=-1, required=False, metavar="PLAN...", shell_complete=complete_plans)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              help="The sheet to write: .xlsx (with drop-downs) or .csv (UTF-8 with BOM).")
@click.option("--stats", "stats", type=STATS_PATH, default=None,
              help="Existing statistics whose values are copied into the sheet.")
@click.option("--encoding", default=None, help=ENCODING_HELP)
@click.option("--update", "update", type=click.Path(exists=True, dir_okay=False), default=None,
              metavar="FILE",
              help="Add the missing year columns (through this year) to this filled-in .xlsx; "
                   "typed values stay.")
def stats_template(plans: tuple[str, ...], output: str | None, stats: str | None, encoding: str | None,
                   update: str | None = None) -> None:
    """Write the statistics sheet staff fill in: one row per indicator, one column per year.

    \b
    Milestone rows take 已完成, 推进中 or 未启动 (a drop-down in .xlsx).
    The filled-in sheet is read by `gaps`, `report` and `check` as it is.

    \b
    Example:
      ipreport stats-template jilin-2016 -o 统计数据.xlsx
      ipreport stats-template my-plan.toml -o 统计数据.xlsx --stats last-year.csv
      ipreport stats-template my-plan.toml --update 统计数据.xlsx
    """
    from ipreport.workspace.stats_template import write_stats_template

    plans = require_plans(plans)
    if update is not None:
        if output is not None:
            raise usage(
                "-o and --update cannot be combined: --update adds columns to FILE itself."
            )
        from ipreport.util.clock import today
        from ipreport.workspace.stats_template import update_stats_workbook

        path, added = update_stats_workbook(plans, Path(update), through=today().year)
        years = ", ".join(str(year) for year in added)
        done = f"Added {years} to {path}" if added else f"{path} already has every year column"
        click.echo(translate_message(done))
        return
    if output is None:
        raise usage("Missing option '-o' / '--output' (or --update FILE).")
    written, warnings = write_stats_template(plans, Path(output), existing=stats, encoding=encoding)
    echo_warnings(warnings)
    click.echo(tr("Wrote {path}", path=written))


@click.command(cls=IpreportCommand)
@click.argument("folder", type=click.Path(file_okay=False), default=".", metavar="[DIR]")
@click.option("--plan", "plan", default=None, metavar="ID|FILE",
              help="Bundled plan id or plan file to copy (default: an empty plan skeleton with comments).")
@click.option("--from", "last", type=click.Path(exists=True, file_okay=False), default=None, metavar="FOLDER",
              help="Last year's folder: copy its ipreport.toml and plans, carry its statistics forward.")
def init(folder: str, plan: str | None, last: str | None) -> None:
    """Set up a working folder: ipreport.toml, a plan file and a statistics workbook.

    Existing files are never overwritten. With --from, next year's folder is made
    from last year's: the statistics sheet keeps last year's values and gets
    columns through this year.

    \b
    Example:
      ipreport init 2024年度报告 --plan jilin-2022
      cd 2024年度报告 && ipreport report
      ipreport init 2025年度报告 --from 2024年度报告
    """
    if last is not None:
        if plan is not None:
            raise usage("--plan and --from cannot be combined: --from copies last year's plans.")
        from ipreport.workspace.init import init_from

        for path in init_from(Path(folder), Path(last)):
            click.echo(tr("Wrote {path}", path=path))
        return
    from ipreport.workspace.init import init_workspace

    for path in init_workspace(Path(folder), plan):
        click.echo(tr("Wrote {path}", path=path))
