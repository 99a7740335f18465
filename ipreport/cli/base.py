"""The command and group classes: config values checked where used, every error one line on stderr."""

from __future__ import annotations

import os
import re
import sys
from typing import Any

import click

from ipreport.cli.help import HelpContext, TranslatedHelp, click_translated, peek_ui_lang
from ipreport.cli.output import recap_warnings, say, visible_text
from ipreport.util.i18n import interface_language, language, set_language, translate_message

CONFIG_META = "ipreport.workspace.config"  # ctx.meta key of the ipreport.toml in use


class IpreportCommand(TranslatedHelp, click.Command):
    """A value ipreport.toml gave that turns out unusable is a fault of that file, not of an option."""

    context_class = HelpContext

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
    context_class = HelpContext
    group_class = type  # subgroups (`plans`) are IpreportGroups too

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        argv = list(args) if args is not None else sys.argv[1:]
        previous = language()
        set_language(interface_language(peek_ui_lang(argv)))
        try:
            with click_translated():
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
            recap_warnings(ctx)
            return result
        except InputError as exc:
            from ipreport.errors import shown_problems
            from ipreport.util.visible import visible

            for line in shown_problems(exc.problems, render=_shown_problem):
                say(visible(line))  # cut already: a second cut would count the first one's "…"
            ctx.exit(exc.exit_code)
        except IpreportError as exc:
            say(visible_text(str(exc)))
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


def _shown_problem(problem: Any) -> str:
    """One problem in the interface language, its inputs' hidden characters escaped and long
    quotations cut before the message is translated (a translation may change the quote marks)."""
    from ipreport.errors import Problem
    from ipreport.util.i18n import problem_text

    return problem_text(Problem(visible_text(problem.file), visible_text(problem.message), problem.line,
                                problem.key and visible_text(problem.key)))


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
