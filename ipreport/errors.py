"""Errors the user can cause, and the one shape their messages take."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as the input allows.

    Rendered as ``file:line: key: message`` with absent parts left out, e.g.
    ``targets/jilin.toml:14: target[2].rate: expected a percentage like "10%", found "ten"``.
    """

    file: str
    message: str
    line: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        head = self.file
        if self.line is not None:
            head += f":{self.line}"
        if self.key:
            head += f": {self.key}"
        return f"{head}: {self.message}"


class IpreportError(Exception):
    """Base of every error a user can cause; the CLI prints it as `Error: ...`.

    ``exit_code`` is 1 for bad input and 2 for misused options.
    """

    exit_code = 1


class InputError(IpreportError):
    """One or more problems in input files; all are reported at once."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems: list[Problem] = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))


class OptionError(IpreportError):
    """A command-line option (or its config-file default) that cannot be used as given."""

    exit_code = 2

    def __init__(self, option: str, message: str) -> None:
        self.option = option
        self.detail = message
        super().__init__(f"{option}: {message}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Rebuilt from both parts when it crosses a process boundary (report --each-region workers).
        return type(self), (self.option, self.detail)


class TemplateError(IpreportError):
    """A report template that cannot be rendered; the message names the template."""


REPEATS_SHOWN = 3  # problems of one kind printed before "and N more like it"


def shown_problems(
    problems: list[Problem], repeats: int = REPEATS_SHOWN, render: Callable[[Problem], str] = str
) -> list[str]:
    """The lines to print for ``problems``: at most ``repeats`` of a kind, then "and N more like it".

    Problems are of one kind when they say the same thing about the same key of the same file,
    whatever the line: 200,000 duplicate year columns are three lines and a count, not 199,999
    lines. The count follows the last one shown; the order of first appearance is kept.
    ``render`` writes one problem (the CLI's in the interface language).
    """
    kinds: dict[tuple[str, str | None, str], list[Problem]] = {}
    for problem in problems:
        kinds.setdefault((problem.file, problem.key, problem.message), []).append(problem)
    lines = []
    for (file, _, _), same in kinds.items():
        lines += [render(problem) for problem in same[:repeats]]
        if len(same) > repeats:
            lines.append(f"{file}: and {len(same) - repeats:,} more like it")
    return lines


# A quotation from an input longer than this is cut in every message printed: the input may be
# anything (a header that is a whole binary file, a secret a config pointed at), and its start and
# length are enough to find it.
MAX_QUOTED = 80
# Every quotation, so that quotes pair up from the left; only the long ones are cut.
_QUOTATION = re.compile(r'"([^"\n]*)"')


def bounded(message: str) -> str:
    """``message`` with every quotation over MAX_QUOTED characters cut to its start and its length."""
    return _QUOTATION.sub(
        lambda m: m[0] if len(m[1]) <= MAX_QUOTED else f'"{m[1][:MAX_QUOTED]}…" ({len(m[1]):,} characters)',
        message,
    )
