"""What commands print besides their results: errors, warnings and their recap, progress."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import click

from ipreport.util.i18n import tr, translate_message


def usage(message: str) -> click.UsageError:
    """A misused option or argument (exit 2), said in the interface language."""
    return click.UsageError(translate_message(message))


def say(message: str, prefix: str = "Error: {message}") -> None:
    """An error or warning line on stderr, in the interface language."""
    click.echo(tr(prefix, message=translate_message(message)), err=True)


WARNINGS_META = "ipreport.warnings"  # ctx.meta key: the warnings printed in this run


def echo_warnings(warnings: Any) -> None:
    ctx = click.get_current_context(silent=True)
    for warning in warnings:
        say(visible_text(warning), "Warning: {message}")
        if ctx is not None:
            ctx.meta.setdefault(WARNINGS_META, []).append(warning)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def recap_warnings(ctx: click.Context) -> None:
    """On a terminal the warnings printed before a long table scroll away: count them again after it."""
    warnings = ctx.meta.get(WARNINGS_META, [])
    if warnings and ctx.parent is None and stdout_is_terminal():
        count = len(warnings)
        first = translate_message(visible_text(warnings[0]))
        recap = f"{count} warning{'s' if count > 1 else ''} above, the first: {first}"
        click.echo(translate_message(recap), err=True)


def visible_text(message: str) -> str:
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
def errors_name(option: str, instead_of: str = "--output") -> Iterator[None]:
    """Name the option the user gave: with --out-dir the report's path is built from it, not from -o."""
    from ipreport.errors import OptionError

    try:
        yield
    except OptionError as exc:
        if exc.option != instead_of:
            raise
        raise OptionError(option, exc.detail) from None


def status_words() -> dict[str, str]:
    """Status names -> the Chinese words shown for them (a fail list in a check summary)."""
    from ipreport.model import Status
    from ipreport.render.labels import status_label

    return {status.value: status_label(status, "zh") for status in Status}


def assess(plans: tuple[str, ...], stats: str, year: int | None, as_of: str | None, region: str | None,
            encoding: str | None, each_region: bool) -> Any:
    """Assess for `gaps` and `report`: every region, or the given one; its warnings go to stderr."""
    if each_region:
        from ipreport.regions.run import assess_files_each_region

        assessment = assess_files_each_region(plans, stats, year=year, as_of=as_of, encoding=encoding)
    else:
        from ipreport.api import assess_files

        assessment = assess_files(plans, stats, year=year, as_of=as_of, region=region, encoding=encoding)
    echo_warnings(assessment.warnings)
    warn_no_data(assessment)
    return assessment


def warn_no_data(assessment: Any) -> None:
    """An unfilled or thin sheet is said out loud: the targets it has no value for, by name."""
    from ipreport.assessment.coverage import no_data_warning

    warning = no_data_warning(assessment)
    if warning is not None:
        echo_warnings([warning])
