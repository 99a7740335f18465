"""Command-line interface: parses options, calls one library function per command, prints.

Heavy modules are imported inside the commands so that `ipreport --help` stays fast.
"""

from __future__ import annotations

import contextlib
import gettext
import inspect
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from ipreport import __version__
from ipreport.util.i18n import interface_language, language, set_language, tr, translate_message, wrap_cjk

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


CONFIG_META = "ipreport.workspace.config"  # ctx.meta key of the ipreport.toml in use


class TranslatedHelp:
    """Help in the interface language: the command's text, each option's text and Click's own words.

    The English help stays in the code (and in the tests); the catalogue gives the Chinese.
    """

    help: str | None

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = inspect.cleandoc(self.help).partition("\f")[0] if self.help else ""
        if not text:
            return
        formatter.write_paragraph()
        with formatter.indentation():
            if language() != "zh":
                formatter.write_text(text)
                return
            # Click wraps only at spaces; Chinese has none between words.
            for number, paragraph in enumerate(tr(text).split("\n\n")):
                if number:
                    formatter.write("\n")
                if paragraph.startswith("\b\n"):
                    lines = paragraph[2:].splitlines()
                else:
                    width = formatter.width - formatter.current_indent - 4  # closing marks may run over
                    lines = wrap_cjk(paragraph.replace("\n", ""), width)
                for line in lines:
                    formatter.write(" " * formatter.current_indent + line + "\n")

    def get_short_help_str(self, limit: int = 45) -> str:
        if language() != "zh" or not self.help:
            return super().get_short_help_str(limit)  # type: ignore[misc]
        translated = tr(inspect.cleandoc(self.help))
        first = translated.split("\n\n")[0].split("。")[0].replace("\n", "").strip()
        # Two columns per character: a short help longer than the limit is cut at its first clause.
        if sum(2 if ord(char) > 0x2E7F else 1 for char in first) > limit:
            first = re.split(r"[（，；]", first)[0]
        return first

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if not isinstance(param, click.Option):
                continue  # arguments are named in the usage line, as Click does
            record = param.get_help_record(ctx)
            if record is not None:
                given = getattr(param, "help", None)
                # Click makes the help option once per command, in the language of that first run.
                is_help = param is self.get_help_option(ctx)  # type: ignore[attr-defined]
                english = "Show this message and exit." if is_help else given
                text = record[1]
                if given and english and text.startswith(given):
                    text = tr(english) + text[len(given):]
                records.append((record[0], text))
        if records:
            with formatter.section(tr("Options")):
                if language() == "zh":
                    _write_cjk_dl(formatter, records)
                else:
                    formatter.write_dl(records)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)


def _write_cjk_dl(formatter: click.HelpFormatter, rows: list[tuple[str, str]]) -> None:
    """Click's two-column option list, with the help wrapped for Chinese (see format_help_text)."""
    first = min(max(len(term) for term, _ in rows), 30) + 2
    indent = formatter.current_indent
    width = max(formatter.width - indent - first - 4, 20)  # 4: closing marks may run past the width
    for term, text in rows:
        lines = wrap_cjk(text, width) or [""]
        if len(term) + 2 > first:
            formatter.write(" " * indent + term + "\n")
            lines_at = [" " * (indent + first) + line for line in lines]
        else:
            lines_at = [" " * indent + term.ljust(first) + lines[0]]
            lines_at += [" " * (indent + first) + line for line in lines[1:]]
        formatter.write("\n".join(lines_at) + "\n")


@contextlib.contextmanager
def _click_translated() -> Iterator[None]:
    """Click's own words (Usage:, Options, Missing argument ...) through ipreport's catalogue.

    Click looks its messages up with gettext.gettext, which calls the module's dgettext at each
    call; it is pointed at ipreport's catalogue for the run and put back afterwards, so that nothing
    outside this run (a program importing ipreport, the next test) sees a changed gettext.
    """
    saved = gettext.dgettext, gettext.dngettext

    def dgettext(domain: str, message: str) -> str:
        return tr(message)

    def dngettext(domain: str, singular: str, plural: str, n: int) -> str:
        return tr(singular if n == 1 else plural)

    gettext.dgettext, gettext.dngettext = dgettext, dngettext  # type: ignore[assignment]
    try:
        yield
    finally:
        gettext.dgettext, gettext.dngettext = saved  # type: ignore[assignment]


def _peek_ui_lang(args: list[str]) -> str | None:
    """--ui-lang from the command line before Click parses it: its own errors are in that language."""
    for index, arg in enumerate(args):
        if arg == "--":
            return None
        if arg.startswith("--ui-lang="):
            return arg.split("=", 1)[1]
        if arg == "--ui-lang" and index + 1 < len(args):
            return args[index + 1]
    return None


def _status_words() -> dict[str, str]:
    """Status names -> the Chinese words shown for them (a fail list in a check summary)."""
    from ipreport.model import Status
    from ipreport.render.labels import status_label

    return {status.value: status_label(status, "zh") for status in Status}


def usage(message: str) -> click.UsageError:
    """A misused option or argument (exit 2), said in the interface language."""
    return click.UsageError(translate_message(message))


def say(message: str, prefix: str = "Error: {message}") -> None:
    """An error or warning line on stderr, in the interface language."""
    click.echo(tr(prefix, message=translate_message(message)), err=True)


class IpreportCommand(TranslatedHelp, click.Command):
    """A value ipreport.toml gave that turns out unusable is a fault of that file, not of an option."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # A file the config names but that is missing is reported (at its line) only here, by a
        # command that uses it; before the option's own check ("does not exist") would name --stats.
        try:
            rest = super().parse_args(ctx, args)
        except click.UsageError:
            _raise_deferred(ctx, self)
            raise
        _raise_deferred(ctx, self)
        return rest

    def invoke(self, ctx: click.Context) -> Any:
        from ipreport.errors import InputError, OptionError

        try:
            return super().invoke(ctx)
        except OptionError as exc:
            problem = _config_problem(ctx, exc)
            if problem is None:
                raise
            raise InputError(problem) from None


def _raise_deferred(ctx: click.Context, command: click.Command) -> None:
    from ipreport.errors import InputError

    config = ctx.meta.get(CONFIG_META)
    if config is None:
        return
    for param in command.params:
        if param.name is None:
            continue
        if ctx.get_parameter_source(param.name) is not click.core.ParameterSource.DEFAULT_MAP:
            continue
        problem = config.deferred_problem(param.name)
        if problem is not None:
            raise InputError(problem)


class ConfiguredOption(click.Option):
    """An option whose "[required]" is left out of the help when ipreport.toml supplies it."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        if record is None or not self.required or self.name not in (ctx.default_map or {}):
            return record
        help_text = re.sub(r"\s*\[required\]$", "", record[1])
        help_text = re.sub(r"; required\]$", "]", help_text)
        return record[0], help_text


def _config_problem(ctx: click.Context, exc: Any) -> Any:
    """The OptionError as a problem of ipreport.toml (at the key's line) when its value came from there."""
    config = ctx.meta.get(CONFIG_META)
    param = next((p for p in ctx.command.params if exc.option in p.opts), None)
    if config is None or param is None or param.name is None:
        return None
    if ctx.get_parameter_source(param.name) is not click.core.ParameterSource.DEFAULT_MAP:
        return None
    return config.problem(param.name, exc.detail)


class IpreportGroup(TranslatedHelp, click.Group):
    """Turns every error a user can cause into `Error: ...` on stderr, in this one place."""

    command_class = IpreportCommand
    group_class = type  # subgroups (`plans`) are IpreportGroups too

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        argv = list(args) if args is not None else sys.argv[1:]
        previous = language()
        set_language(interface_language(_peek_ui_lang(argv)))
        try:
            with _click_translated():
                return super().main(args, *rest, **kwargs)
        finally:
            set_language(previous)  # a program (or test) calling main() twice starts afresh each time

    def invoke(self, ctx: click.Context) -> Any:
        from ipreport.errors import InputError, IpreportError
        from ipreport.util.input_files import run_scope
        from ipreport.util.signals import cleanup_on_termination, exit_status, interrupted_message

        try:
            with cleanup_on_termination(), run_scope():
                result = super().invoke(ctx)
            _recap_warnings(ctx)
            return result
        except InputError as exc:
            from ipreport.errors import shown_problems

            for line in shown_problems(exc.problems):
                say(_visible(line))
            ctx.exit(exc.exit_code)
        except IpreportError as exc:
            say(_visible(str(exc)))
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM/SIGHUP (util.signals)
            click.echo(translate_message(interrupted_message(exc)), err=True)
            ctx.exit(exit_status(exc))
        except OSError as exc:
            if isinstance(exc, BrokenPipeError) and _stdout_closed():
                # `ipreport gaps ... | head`: the reader has all it wants; quiet, as `yes | head` is.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush
                ctx.exit(SIGPIPE_EXIT)
            # The library reports the files it expects trouble with; this is the safety net for the
            # rest (a disk that fills up, a file removed mid-run) so the user still gets one clear line.
            where = f"{exc.filename}: " if exc.filename else ""
            say(f"{where}{exc.strerror or exc}")
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


WARNINGS_META = "ipreport.warnings"  # ctx.meta key: the warnings printed in this run


def _echo_warnings(warnings: Any) -> None:
    ctx = click.get_current_context(silent=True)
    for warning in warnings:
        say(_visible(warning), "Warning: {message}")
        if ctx is not None:
            ctx.meta.setdefault(WARNINGS_META, []).append(warning)


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _recap_warnings(ctx: click.Context) -> None:
    """On a terminal the warnings printed before a long table scroll away: count them again after it."""
    warnings = ctx.meta.get(WARNINGS_META, [])
    if warnings and ctx.parent is None and _stdout_is_terminal():
        count = len(warnings)
        first = translate_message(_visible(warnings[0]))
        recap = f"{count} warning{'s' if count > 1 else ''} above, the first: {first}"
        click.echo(translate_message(recap), err=True)


def _visible(message: str) -> str:
    """A message with the control and invisible characters its inputs brought escaped, line by line,
    and no quotation from an input longer than errors.MAX_QUOTED characters."""
    from ipreport.errors import bounded
    from ipreport.util.visible import visible

    return "\n".join(visible(bounded(line)) for line in str(message).split("\n"))


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
    with click.progressbar(items, label=tr(label), length=length, file=sys.stderr) as bar:
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
        raise usage(
            "Missing argument 'PLAN...': give plan files or bundled plan ids, or set plans in ipreport.toml."
        )
    return plans


@click.group(cls=IpreportGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ipreport")
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


@cli.command()
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
        _no_region_with_each(region)
    _no_jobs_without_each(jobs, each_region)
    plans = _require_plans(plans)
    fmt = _gaps_format(fmt, output)
    if output is not None:
        _write_gaps_file(plans, stats, year, as_of, region, lang, encoding, fmt, each_region, Path(output))
        return
    color = fmt == "table" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
    width = min(max(width, 60), 120)
    if each_region:
        from ipreport.regions.run import each_region_output

        regions = each_region_output(plans, stats, fmt, lang=lang, year=year, as_of=as_of, encoding=encoding,
                                     jobs=jobs, color=color, width=width)
        _echo_warnings(regions.warnings)
        # Written piece by piece: every region's JSON at once would take a gigabyte for a national file.
        for chunk in regions.chunks:
            _print(_csv_headers(chunk) if fmt == "csv" else chunk, fmt)
        return
    assessment = _assess(plans, stats, year, as_of, region, encoding, each_region=False)
    text = render_gaps(assessment, fmt, lang=lang, color=color, width=width)
    _print(_csv_headers(text) if fmt == "csv" else text, fmt)


def _print(text: str, fmt: str) -> None:
    """Output of `gaps`. Off a terminal click.echo strips colour codes, scanning every character
    (85 MB of JSON for a national file); only a table has colours, so the others say so."""
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

    assessment = _assess(plans, stats, year, as_of, region, encoding, each_region=each_region)
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
    write_atomic(output, data, inputs=_input_paths(plans, stats))
    click.echo(tr("Wrote {path}", path=output))


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
    _warn_no_data(assessment)
    return assessment


def _warn_no_data(assessment: Any) -> None:
    """An unfilled or thin sheet is said out loud: the targets it has no value for, by name."""
    from ipreport.assessment.coverage import no_data_warning

    warning = no_data_warning(assessment)
    if warning is not None:
        _echo_warnings([warning])


def _no_jobs_without_each(jobs: int | None, each_region: bool) -> None:
    if jobs is not None and not each_region:
        raise usage("--jobs goes with --each-region: one region is assessed in one process.")


def _no_region_with_each(region: str | None) -> None:
    if region is not None:
        raise usage("--region and --each-region cannot be combined: --each-region assesses all.")


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

    click.echo(render_plan_list(bundled_plans(), lang=language()), nl=False)


@plans.command("show")
@click.argument("plan", metavar="PLAN", shell_complete=complete_plans)
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

    click.echo(_visible(render_plan(load_plan(plan), lang=lang)), nl=False)


@cli.command()
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
    warnings = validate_files(_require_plans(plans), stats, encoding)
    _echo_warnings(warnings)
    checked = len(plans) + (1 if stats else 0)
    files = "s" if checked > 1 else ""
    if warnings:
        count = len(warnings)
        click.echo(translate_message(
            f"{checked} file{files} checked: no errors, {count} warning{'s' if count > 1 else ''} (above)."
        ))
    else:
        click.echo(translate_message(f"OK: {checked} file{files} checked, no problems found."))


@cli.command()
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

    plans = _require_plans(plans)
    _no_jobs_without_each(jobs, each_region)
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
                        out_dir: str | None, jobs: int | None, force: bool = False, date: Any = None) -> None:
    """`report --each-region`: every region's report into --out-dir, then the summary across regions."""
    from ipreport.inputs import parse_as_of
    from ipreport.regions.run import RegionReport, render_region_summary, write_region_reports
    from ipreport.util.signals import Terminated, signal_number

    _no_region_with_each(region)
    for given, name in ((output, "-o/--output"), (title, "--title")):
        if given is not None:
            raise usage(f"{name} and --each-region cannot be combined: every region gets its own.")
    assessment = _assess(plans, stats, year, as_of, region, encoding, each_region=True)
    _warn_if_no_charts(no_charts, lang)
    finished: list[RegionReport] = []
    reports = write_region_reports(
        assessment, Path(out_dir or "."), fmt=fmt, template=Path(template) if template else None,
        charts=not no_charts, lang=lang, written=parse_as_of(as_of), workers=jobs, force=force, date=date,
        finished=finished,
    )
    count = len({pa.region for pa in assessment.plans})
    try:
        with _errors_name("--out-dir"), progress(reports, "Writing reports", length=count) as bar:
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


def _fail_on(ctx: click.Context, param: click.Parameter, value: str) -> tuple[Any, ...]:
    from ipreport.assessment.check import StatusNameError, parse_fail_on

    # Statuses may be named as the table shows them: --fail-on 滞后预期,逾期未完成.
    words = {word: name for name, word in _status_words().items()} | {"提前实现": "achieved"}
    parts = re.split(r"[,，、]", value)
    value = ",".join(words.get(part.strip(), part) for part in parts)
    try:
        return parse_fail_on(value)
    except StatusNameError as exc:
        raise click.BadParameter(translate_message(exc.detail), ctx=ctx, param=param) from None


@cli.command()
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

    plans = _require_plans(plans)
    result = check_files(plans, stats, fail_on=fail_on, year=year, as_of=as_of, region=region,
                         encoding=encoding)
    _echo_warnings(result.assessment.warnings)
    if junit is not None:
        write_junit(result, Path(junit), lang=lang, inputs=_input_paths(plans, stats))
    text = _visible(render_check(result, lang))
    if language() == "zh":
        words = _status_words()
        text = "".join(translate_message(line, words=words) + "\n" for line in text.splitlines())
    click.echo(text, nl=False)
    if not result.passed:
        sys.exit(1)


@cli.command("stats-template")
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

    plans = _require_plans(plans)
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
    _echo_warnings(warnings)
    click.echo(tr("Wrote {path}", path=written))


@cli.command()
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
    click.echo(tr("Wrote {path}", path=output))


def _period(text: str | None) -> tuple[int, int] | None:
    """"2021-2025" as (2021, 2025); a misused --period is a usage error (exit 2)."""
    if text is None:
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*年?\s*[-–—~至到]\s*(\d{4})\s*年?\s*", text)  # 2021年—2025年 too
    if match is None or int(match.group(1)) > int(match.group(2)):
        message = f"expected START-END years such as 2021-2025, found {text!r}"
        raise click.BadParameter(translate_message(message),
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
