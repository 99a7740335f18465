"""`ipreport gaps`: the gap table on the terminal or in a file (.xlsx .csv .json .md .txt)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ipreport.cli.base import IpreportCommand
from ipreport.cli.options import (
    EACH_REGION_HELP,
    GAPS_JOBS_OPTION,
    assessment_options,
    complete_plans,
    input_paths,
    no_jobs_without_each,
    no_region_with_each,
    require_plans,
)
from ipreport.cli.output import assess, echo_warnings, usage
from ipreport.util.i18n import language, tr


@click.command(cls=IpreportCommand)
@click.argument("plans", nargs=-1, required=False, metavar="PLAN...", shell_complete=complete_plans)
@assessment_options
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv", "markdown", "xlsx"]), default=None,
    help="Output format (default: from the extension of -o, else table); json is stable and documented "
         "in docs/json.md; xlsx is an Excel workbook, one sheet per plan.",
)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file (.xlsx, .csv, .json, .md or .txt) instead of the terminal.")
@click.option("--each-region", "each_region", is_flag=True, default=False, help=EACH_REGION_HELP)
@GAPS_JOBS_OPTION
def gaps(plans: tuple[str, ...], stats: str, year: int | None, as_of: str | None, region: str | None,
         lang: str, encoding: str | None, fmt: str | None, each_region: bool = False,
         jobs: int | None = None, output: str | None = None) -> None:
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
        no_region_with_each(region)
    no_jobs_without_each(jobs, each_region)
    plans = require_plans(plans)
    fmt = _gaps_format(fmt, output)
    if output is not None:
        _write_gaps_file(plans, stats, year, as_of, region, lang, encoding, fmt, each_region, Path(output))
        return
    color = fmt == "table" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    width = 80
    if sys.stdout.isatty():
        import shutil  # only for a terminal: shutil (with bz2 and lzma) is a fiftieth of a run

        width = shutil.get_terminal_size((80, 24)).columns
    width = min(max(width, 60), 120)
    if each_region:
        from ipreport.regions.run import each_region_output

        regions = each_region_output(plans, stats, fmt, lang=lang, year=year, as_of=as_of, encoding=encoding,
                                     jobs=jobs, color=color, width=width)
        echo_warnings(regions.warnings)
        # Written piece by piece: every region's JSON at once would take a gigabyte for a national file.
        for chunk in regions.pieces:
            _print(_csv_headers(chunk) if fmt == "csv" and isinstance(chunk, str) else chunk, fmt)
        return
    assessment = assess(plans, stats, year, as_of, region, encoding, each_region=False)
    text = render_gaps(assessment, fmt, lang=lang, color=color, width=width)
    _print(_csv_headers(text) if fmt == "csv" else text, fmt)


def _print(text: str | bytes, fmt: str) -> None:
    """Output of `gaps`. Off a terminal click.echo strips colour codes, scanning every character
    (85 MB of JSON for a national file); only a table has colours, so the others say so. Bytes
    (UTF-8, from the columnar engine) go to the binary stream as they are."""
    click.echo(text, nl=False, color=True if fmt != "table" else None)


def _csv_headers(text: str) -> str:
    """CSV column names in the interface language: the header row (the first chunk) is swapped."""
    from ipreport.render.exports import csv_head

    english = csv_head()
    if language() != "zh" or not text.startswith(english):
        return text
    return csv_head("zh") + text[len(english):]


GAPS_SUFFIXES = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".md": "markdown", ".markdown": "markdown",
                 ".txt": "table"}


def _gaps_format(fmt: str | None, output: str | None) -> str:
    """--format, or the extension of -o; the two must agree, and xlsx needs a file."""
    implied = GAPS_SUFFIXES.get(Path(output).suffix.lower()) if output else None
    if output is not None and implied is None:
        raise usage(
            f'cannot tell the format from "{Path(output).name}": use a .xlsx, .csv, .json, .md or .txt name'
        )
    if fmt is not None and implied is not None and fmt != implied:
        raise usage(f'--format {fmt} and the name "{Path(output or "").name}" disagree; '
                               "give one or make them match")
    chosen = fmt or implied or "table"
    if chosen == "xlsx" and output is None:
        raise usage("--format xlsx writes a workbook: give its name with -o, e.g. -o 差距表.xlsx")
    return chosen


def _write_gaps_file(plans: tuple[str, ...], stats: str, year: int | None, as_of: str | None,
                     region: str | None, lang: str, encoding: str | None, fmt: str, each_region: bool,
                     output: Path) -> None:
    """`gaps -o FILE`: the table (or the workbook) written atomically, never over an input."""
    from ipreport.render.gap_formats import render_gaps
    from ipreport.util.atomic import write_atomic

    assessment = assess(plans, stats, year, as_of, region, encoding, each_region=each_region)
    if fmt == "xlsx":
        from ipreport.render.workbook import gaps_workbook

        counts = None
        if each_region:
            from ipreport.regions.run import status_counts

            counts = status_counts(assessment)
        data = gaps_workbook(assessment, lang=lang, region_counts=counts)
    else:
        text = _csv_headers(render_gaps(assessment, fmt, lang=lang)) if fmt == "csv" else render_gaps(
            assessment, fmt, lang=lang)
        if each_region and fmt in ("table", "markdown"):
            from ipreport.regions.run import render_region_summary

            text += "\n" + render_region_summary(assessment, lang=lang)
        data = text.encode("utf-8")
    write_atomic(output, data, inputs=input_paths(plans, stats))
    click.echo(tr("Wrote {path}", path=output))
