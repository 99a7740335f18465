"""The `ipreport` group: the config it reads, the commands it holds, and the console-script entry point."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ipreport import __version__
from ipreport.cli.base import CONFIG_META, SIGPIPE_EXIT
from ipreport.cli.lazy import CommandSpec, LazyGroup
from ipreport.cli.output import say
from ipreport.util.i18n import interface_language, set_language, tr, translate_message


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """--version in the interface language (Click's version_option fixes its words when defined)."""
    if not value or ctx.resilient_parsing:
        return
    click.echo(tr("%(prog)s, version %(version)s") % {"prog": "ipreport", "version": __version__})
    ctx.exit()


# Each command's module is imported when the command runs; `ipreport --help` lists them from here.
# The summaries are the first paragraph of each command's help and its Chinese up to the first 。
# (tests/test_cli.py checks them against the commands).
COMMANDS = {
    "gaps": CommandSpec("ipreport.cli.gaps", "gaps",
                        "Print the gap table: every target's latest value, gap and status.",
                        "打印差距表：每项目标的最新值、差距和进度状态"),
    "plans": CommandSpec("ipreport.cli.plans", "plans",
                         "List the bundled plans or show one plan's targets.",
                         "列出内置规划，或显示一个规划的目标"),
    "validate": CommandSpec(
        "ipreport.cli.validate", "validate",
        "Check plan files (and statistics against them); report every problem, exit 1 if any.",
        "检查规划文件（及与之对应的统计数据），列出全部问题；有问题时退出码为 1"),
    "report": CommandSpec("ipreport.cli.report", "report",
                          "Write the yearly report (.docx in official format, PDF, Markdown or HTML).",
                          "生成年度报告（公文格式的 .docx、PDF、Markdown 或 HTML）"),
    "check": CommandSpec("ipreport.cli.check", "check",
                         "Assess and fail (exit 1) when a target has a failing status; for CI.",
                         "评估并在有目标处于失败状态时报错（退出码 1），用于持续集成"),
    "stats-template": CommandSpec(
        "ipreport.cli.workspace", "stats_template",
        "Write the statistics sheet staff fill in: one row per indicator, one column per year.",
        "生成供工作人员填写的统计表：每行一个指标，每列一个年份"),
    "init": CommandSpec("ipreport.cli.workspace", "init",
                        "Set up a working folder: ipreport.toml, a plan file and a statistics workbook.",
                        "建立工作目录：ipreport.toml、规划文件和统计数据工作簿"),
    "extract": CommandSpec(
        "ipreport.cli.extract", "extract",
        "Draft a plan file from the policy document (.txt .docx .pdf .html; .doc .wps need LibreOffice).",
        "从政策文件起草规划文件（.txt .docx .pdf .html；.doc .wps 需要 LibreOffice）"),
}


@click.group(cls=LazyGroup, specs=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
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
        ctx.default_map = default_map(loaded, cli.commands)  # imports every command: their options
        set_language(interface_language(ui_lang, loaded.values.get("ui_lang")))


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
