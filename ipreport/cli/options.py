"""Options and arguments several commands share, with their help and completion."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ipreport.cli.base import ConfiguredOption
from ipreport.cli.output import usage
from ipreport.util.i18n import translate_message

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


class YearType(click.ParamType):
    """--year 2023 or --year 2023年, as the rest of ipreport reads years."""

    name = "year"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        from ipreport.util.numbers import year_text

        year = year_text(str(value))
        if year is None:
            message = f"expected a year such as 2023 or 2023年, found {value!r}"
            self.fail(translate_message(message), param, ctx)
        return year


YEAR = YearType()


STATS_PATH = click.Path(exists=True, dir_okay=False)


LANG_OPTION = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help=LANG_HELP
)


def complete_plans(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion for PLAN: the bundled ids, then the shell's own file names (.toml files)."""
    from click.shell_completion import CompletionItem

    from ipreport.plans.load import bundled_ids

    ids = [CompletionItem(plan_id) for plan_id in bundled_ids() if plan_id.startswith(incomplete)]
    return [*ids, CompletionItem(incomplete, type="file")]


def complete_statuses(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion for --fail-on: status names, after the ones already given with commas."""
    from click.shell_completion import CompletionItem

    from ipreport.assessment.check import STATUS_NAMES

    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    given = set(done.split(",")) if done else set()
    names = [name for name in STATUS_NAMES if name.startswith(last) and name not in given]
    return [CompletionItem(prefix + name) for name in names]


def assessment_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by every command that assesses plans against statistics."""
    for option in reversed([
        click.option("--stats", "stats", cls=ConfiguredOption, required=True, type=STATS_PATH,
                     help=STATS_HELP),
        click.option("--year", type=YEAR, default=None, metavar="YEAR", help=YEAR_HELP),
        click.option("--as-of", "as_of", default=None, metavar="DATE", help=AS_OF_HELP),
        click.option("--region", default=None, help=REGION_HELP),
        LANG_OPTION,
        click.option("--encoding", default=None, help=ENCODING_HELP),
    ]):
        func = option(func)
    return func


def require_plans(plans: tuple[str, ...]) -> tuple[str, ...]:
    """PLAN arguments may come from ipreport.toml; without either, say how to give them."""
    if not plans:
        raise usage(
            "Missing argument 'PLAN...': give plan files or bundled plan ids, or set plans in ipreport.toml."
        )
    return plans


def no_jobs_without_each(jobs: int | None, each_region: bool) -> None:
    if jobs is not None and not each_region:
        raise usage("--jobs goes with --each-region: one region is assessed in one process.")


def no_region_with_each(region: str | None) -> None:
    if region is not None:
        raise usage("--region and --each-region cannot be combined: --each-region assesses all.")


def input_paths(plans: tuple[str, ...], stats: str | None) -> list[Path]:
    """Files the command reads, which an output must never overwrite."""
    paths = [Path(p) for p in plans if Path(p).is_file()]
    return paths + ([Path(stats)] if stats else [])
