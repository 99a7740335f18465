"""Commands imported on demand: a command's module is loaded only when that command runs.

Importing every command module (and what they import) cost about a sixth of a `gaps` run. The group
holds each command as the module and name to import, and its one-line help as data, so that
`ipreport --help` lists every command without importing any (tests/test_cli.py holds the data equal
to the commands' own help in both languages).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any

import click

from ipreport.cli.base import IpreportCommand, IpreportGroup
from ipreport.cli.help import cjk_short_help
from ipreport.util.i18n import language


class CommandSpec:
    """Where a command lives and what `ipreport --help` says of it before it is imported.

    A plain class: a dataclass costs a start-up more (its methods are generated and compiled).
    """

    __slots__ = ("attribute", "module", "summary", "summary_zh")

    def __init__(self, module: str, attribute: str, summary: str, summary_zh: str) -> None:
        self.module = module
        self.attribute = attribute
        self.summary = summary  # the first paragraph of the command's help
        self.summary_zh = summary_zh  # its translation up to the first 。, as TranslatedHelp cuts it


class LazyCommands(MutableMapping[str, click.Command]):
    """The group's commands by name; a command named in ``specs`` is imported on first access."""

    def __init__(self, specs: dict[str, CommandSpec]) -> None:
        self.specs = specs
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            spec = self.specs[name]  # KeyError for an unknown name, as a dict
            self.loaded[name] = getattr(importlib.import_module(spec.module), spec.attribute)
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self.loaded and name not in self.specs:
            raise KeyError(name)
        self.loaded.pop(name, None)
        self.specs.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        yield from self.specs
        yield from (name for name in self.loaded if name not in self.specs)

    def __len__(self) -> int:
        return len(self.specs.keys() | self.loaded.keys())

    def listed(self, name: str) -> click.Command | None:
        """The command as the help lists it: itself once imported, else a stand-in with its summary."""
        if name in self.loaded:
            return self.loaded[name]
        spec = self.specs.get(name)
        return None if spec is None else CommandSummary(name, spec)


class CommandSummary(IpreportCommand):
    """A command not imported yet, as the group's help lists it: its name and one line of help."""

    def __init__(self, name: str, spec: CommandSpec) -> None:
        super().__init__(name, help=spec.summary)
        self.summary_zh = spec.summary_zh

    def get_short_help_str(self, limit: int = 45) -> str:
        if language() == "zh":
            return cjk_short_help(self.summary_zh, limit)
        return super().get_short_help_str(limit)


class LazyGroup(IpreportGroup):
    """An IpreportGroup whose commands are imported when they run, not when the group is built."""

    def __init__(self, *args: Any, specs: dict[str, CommandSpec], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(specs)
        self._listing = False

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if self._listing:
            assert isinstance(self.commands, LazyCommands)
            return self.commands.listed(cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Click's own listing, given stand-ins for the commands not imported yet.
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False
