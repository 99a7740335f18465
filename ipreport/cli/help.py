"""Help in the interface language: command and option texts, and Click's own words."""

from __future__ import annotations

import contextlib
import gettext
import inspect
import re
from collections.abc import Iterator

import click

from ipreport.util.display_width import display_width
from ipreport.util.i18n import language, tr, wrap_cjk


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
        return cjk_short_help(first_sentence_zh(self.help), limit)

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


def first_sentence_zh(help_text: str) -> str:
    """A command's help in Chinese up to its first 。, on one line."""
    translated = tr(inspect.cleandoc(help_text))
    return translated.split("\n\n")[0].split("。")[0].replace("\n", "").strip()


def cjk_short_help(first: str, limit: int) -> str:
    """The short help in Chinese (two columns a character): past the limit, cut at its first clause."""
    if sum(2 if ord(char) > 0x2E7F else 1 for char in first) > limit:
        first = re.split(r"[（，；]", first)[0]
    return first


def _write_cjk_dl(formatter: click.HelpFormatter, rows: list[tuple[str, str]]) -> None:
    """Click's two-column option list, with the help wrapped for Chinese (see format_help_text)."""
    # Terms in columns, not characters: a Chinese metavar (--stats 文件) is two columns a character.
    first = min(max(display_width(term) for term, _ in rows), 30) + 2
    indent = formatter.current_indent
    width = max(formatter.width - indent - first - 4, 20)  # 4: closing marks may run past the width
    for term, text in rows:
        lines = wrap_cjk(text, width) or [""]
        if display_width(term) + 2 > first:
            formatter.write(" " * indent + term + "\n")
            lines_at = [" " * (indent + first) + line for line in lines]
        else:
            lines_at = [" " * indent + term + " " * (first - display_width(term)) + lines[0]]
            lines_at += [" " * (indent + first) + line for line in lines[1:]]
        formatter.write("\n".join(lines_at) + "\n")


@contextlib.contextmanager
def click_translated() -> Iterator[None]:
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

    missing = click.exceptions.MissingParameter
    english_message = missing.format_message

    def format_message(self: click.exceptions.MissingParameter) -> str:
        # Click ends "Missing option '--stats'" with an ASCII full stop of its own, outside gettext.
        message = english_message(self)
        return re.sub(r"'\.(?= |$)", "'。", message, count=1) if language() == "zh" else message

    gettext.dgettext, gettext.dngettext = dgettext, dngettext  # type: ignore[assignment]
    missing.format_message = format_message  # type: ignore[method-assign]
    try:
        yield
    finally:
        gettext.dgettext, gettext.dngettext = saved  # type: ignore[assignment]
        missing.format_message = english_message  # type: ignore[method-assign]


def peek_ui_lang(args: list[str]) -> str | None:
    """--ui-lang from the command line before Click parses it: its own errors are in that language."""
    for index, arg in enumerate(args):
        if arg == "--":
            return None
        if arg.startswith("--ui-lang="):
            return arg.split("=", 1)[1]
        if arg == "--ui-lang" and index + 1 < len(args):
            return args[index + 1]
    return None


class HelpFormatter(click.HelpFormatter):
    """Section headings end in a full-width colon in Chinese (选项：), as the usage line does (用法：)."""

    def write_heading(self, heading: str) -> None:
        colon = "：" if language() == "zh" else ":"
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")


class HelpContext(click.Context):
    formatter_class = HelpFormatter
