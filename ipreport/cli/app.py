"""The `ipreport` group: the config it reads, the commands it holds, and the console-script entry point."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ipreport import __version__
from ipreport.cli.base import CONFIG_META, SIGPIPE_EXIT, IpreportGroup
from ipreport.cli.check import check
from ipreport.cli.extract import extract
from ipreport.cli.gaps import gaps
from ipreport.cli.output import say
from ipreport.cli.plans import plans
from ipreport.cli.report import report
from ipreport.cli.validate import validate
from ipreport.cli.workspace import init, stats_template
from ipreport.util.i18n import interface_language, set_language, tr, translate_message


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """--version in the interface language (Click's version_option fixes its words when defined)."""
    if not value or ctx.resilient_parsing:
        return
    click.echo(tr("%(prog)s, version %(version)s") % {"prog": "ipreport", "version": __version__})
    ctx.exit()


@click.group(cls=IpreportGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
              help="Show the version and exit.")
@click.option("--config", "config", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Defaults file (default: ipreport.toml here or in the nearest folder above).")
@click.option("--ui-lang", "ui_lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of messages and help (default: IPREPORT_LANG, ui_lang in ipreport.toml, "
                   "else the locale); --lang sets the report's.")
@click.pass_context
def cli(ctx: click.Context, config: str | None, ui_lang: str | None = None) -> None:
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
        set_language(interface_language(ui_lang, loaded.values.get("ui_lang")))


for _command in (gaps, plans, validate, report, check, stats_template, init, extract):
    cli.add_command(_command)


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
        click.echo(translate_message(CLOSED_STDOUT), err=True)
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
        say(f"cannot write the standard output: {exc.strerror or exc}")
        sys.exit(1)
