"""`ipreport.toml`: an office's defaults for plans, statistics, template, output folder, language and year."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipreport.errors import InputError, Problem
from ipreport.util.input_files import unreadable_kind
from ipreport.util.numbers import year_text

CONFIG_NAME = "ipreport.toml"
# Config key -> the name of the command parameter it gives a default to.
PARAMETERS = {
    "plans": "plans",
    "stats": "stats",
    "template": "template",
    "out_dir": "out_dir",
    "lang": "lang",
    "year": "year",
    "as_of": "as_of",
    "region": "region",
    "encoding": "encoding",
    "ui_lang": "ui_lang",  # the interface language (messages, help); `lang` is the report's
    "issuer": "issuer",
    "date": "date",
    "narrative": "narrative",
}
KEYS = tuple(PARAMETERS)
PATH_KEYS = ("stats", "template", "out_dir", "narrative")
TEXT_KEYS = ("region", "encoding", "issuer")
LANGS = ("zh", "en")


@dataclass(frozen=True)
class Config:
    """The values an ipreport.toml sets, paths already resolved against its folder."""

    path: Path
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    # Keys naming files that do not exist (yet): a problem only for a command that uses them, so that
    # a folder whose workbook was deleted still runs `plans list`, `init` and `stats-template`.
    deferred: dict[str, str] = field(default_factory=dict)

    def problem(self, parameter: str, message: str) -> Problem:
        """A problem with the value this file gives ``parameter``, located at its key's line."""
        key = next((k for k, name in PARAMETERS.items() if name == parameter), parameter)
        return Problem(shown_path(self.path), message, line=self.lines.get(key), key=key)

    def key_of(self, parameter: str) -> str | None:
        """The config key that gave ``parameter`` its value here, if one did."""
        return next((k for k, name in PARAMETERS.items() if name == parameter and k in self.values), None)

    def defaults_for(self, parameters: Iterable[str], optional_inputs: Iterable[str] = ()) -> dict[str, Any]:
        """The defaults for one command, given the names of its parameters.

        A deferred value (a missing file) is given to the command, which then reports it at its line,
        except for ``optional_inputs``: inputs a command can do without (`validate --stats`,
        `stats-template --stats`) are left out rather than failing the command.
        """
        names = set(parameters)
        skipped = set(optional_inputs)
        return {
            PARAMETERS[key]: value
            for key, value in self.values.items()
            if PARAMETERS[key] in names and not (key in self.deferred and PARAMETERS[key] in skipped)
        }

    def deferred_problem(self, parameter: str) -> Problem | None:
        """The problem of a missing file this file names for ``parameter``, if it does."""
        key = self.key_of(parameter)
        if key is None or key not in self.deferred:
            return None
        return self.problem(parameter, self.deferred[key])


def find_config(folder: Path) -> Path | None:
    """``ipreport.toml`` in ``folder`` (the working folder) or the nearest folder above it, as git
    finds its repository: a command run in a subfolder (reports/, data/) still uses the office's file.
    """
    for candidate_folder in (folder, *folder.parents):
        candidate = candidate_folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def shown_path(path: Path) -> str:
    """The path as the user would name it: relative to the current folder when it lies inside it."""
    if path.is_absolute():
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)
    return str(path)


def load_config(path: str | Path) -> Config:
    """Read and check a config file; every problem is reported at once.

    Every value is checked here as fully as it can be on its own (a path that exists, a date that
    parses, a known encoding), so that a wrong value is reported as a faulty file with its line.
    """
    path = Path(path)
    file = shown_path(path)
    from ipreport.util.input_files import CONFIG_LIMIT, read_input

    try:
        text = read_input(path, CONFIG_LIMIT, "config file", file).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(Problem(file, "not UTF-8 text; save the config file as UTF-8")) from None
    # One reading of tomllib's positions for every TOML file.
    from ipreport.plans.toml_lines import LineIndex, parse_toml

    document = parse_toml(file, text)
    if isinstance(document, Problem):
        raise InputError(document)
    lines = LineIndex(text)
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    deferred: dict[str, str] = {}
    folder = path.parent
    for key, raw in document.items():
        line = lines.line_of(key)
        if key not in PARAMETERS:
            nearest = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" (did you mean '{nearest[0]}'?)" if nearest else "; valid keys: " + ", ".join(KEYS)
            problems.append(Problem(file, f"unknown key '{key}'{hint}", line=line, key=key))
            continue
        value = _checked(key, raw, folder)
        if isinstance(value, _Missing):
            values[key] = value.value
            deferred[key] = value.message
        elif isinstance(value, _Wrong):
            problems.append(Problem(file, value.message, line=line, key=key))
        else:
            values[key] = value
    if problems:
        raise InputError(problems)
    lines_of = {key: line for key in values if (line := lines.line_of(key)) is not None}
    return Config(path, values, lines_of, deferred)


def default_map(config: Config, commands: Mapping[str, Any]) -> dict[str, Any]:
    """Click's ``default_map`` for a group: per command (nested for subgroups) the defaults it accepts.

    ``commands`` maps names to click commands; only their ``params``, ``commands`` and the params'
    ``name`` and ``required`` are read, so this module stays free of click.
    """
    result: dict[str, Any] = {}
    for name, command in commands.items():
        sub = getattr(command, "commands", None)
        if sub:
            nested = default_map(config, sub)
            if nested:
                result[name] = nested
            continue
        params = getattr(command, "params", ())
        optional = [p.name for p in params if p.name == "stats" and not getattr(p, "required", False)]
        defaults = config.defaults_for((param.name for param in params), optional)
        if defaults:
            result[name] = defaults
    return result


@dataclass(frozen=True)
class _Wrong:
    message: str


@dataclass(frozen=True)
class _Missing(_Wrong):
    """A file or plan the config names that is not there: reported only where it is used."""

    value: Any = None


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _checked(key: str, raw: Any, folder: Path) -> Any:
    """The value as a command-line option would receive it, or ``_Wrong`` saying what was expected."""
    if key == "plans":
        items = [raw] if isinstance(raw, str) else raw
        texts = isinstance(items, list) and all(isinstance(i, str) and i.strip() for i in items)
        if not items or not texts:
            expected = 'expected a list of plan files or bundled ids such as ["jilin-2016"]'
            return _Wrong(f"{expected}, found {_show(raw)}")
        refs = tuple(_plan_ref(item.strip(), folder) for item in items)
        missing = [item.strip() for item, ref in zip(items, refs, strict=True) if not _plan_exists(ref)]
        if missing:
            from ipreport.plans.load import bundled_ids

            found = ", ".join(f'"{item}"' for item in missing)
            message = f"expected plan files or bundled ids ({', '.join(bundled_ids())}), found {found}"
            return _Missing(message, refs)
        return refs
    if key in PATH_KEYS:
        if not isinstance(raw, str) or not raw.strip():
            return _Wrong(f"expected a path as a string, found {_show(raw)}")
        resolved = _resolved(raw.strip(), folder)
        wants_folder = key == "out_dir"
        if not wants_folder and resolved.exists() and not resolved.is_dir():
            # A FIFO, a device or /proc/self/environ: refused before anything reads (and quotes) it.
            kind = unreadable_kind(resolved)
            if kind is not None:
                return _Wrong(f"expected a regular file, found {_show(raw)}, which is {kind}")
        if wants_folder and not resolved.exists():
            return str(resolved)  # created by `report` when it writes there
        if not (resolved.is_dir() if wants_folder else resolved.is_file()):
            what = "an existing folder" if wants_folder else "an existing file"
            message = f"expected {what}, found {_show(raw)} ({_what_is_there(resolved, wants_folder)})"
            return _Wrong(message) if resolved.exists() else _Missing(message, str(resolved))
        return str(resolved)
    if key in ("lang", "ui_lang"):
        if raw not in LANGS:
            return _Wrong(f'expected "zh" or "en", found {_show(raw)}')
        return raw
    if key == "year":
        if isinstance(raw, str) and raw.strip().endswith("年") and year_text(raw) is not None:
            raw = year_text(raw)  # year = "2023年"; a quoted "2023" stays an error of type
        if isinstance(raw, bool) or not isinstance(raw, int) or not 1900 <= raw <= 2100:
            return _Wrong(f"expected a year such as 2023, found {_show(raw)}")
        return raw
    if key in ("as_of", "date"):
        if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            return raw.isoformat()
        if isinstance(raw, str) and raw.strip():
            return _checked_as_of(raw.strip())
        return _Wrong(f"expected a date such as 2023-12-31, found {_show(raw)}")
    if not isinstance(raw, str) or not raw.strip():
        return _Wrong(f"expected a string, found {_show(raw)}")
    if key == "encoding":
        return _checked_encoding(raw.strip())
    return raw.strip()


def _checked_as_of(text: str) -> str | _Wrong:
    """A date in any form --as-of takes, refused here with the message --as-of gives."""
    from ipreport.errors import OptionError
    from ipreport.inputs import parse_as_of

    try:
        parse_as_of(text)
    except OptionError as exc:
        return _Wrong(exc.detail)
    return text


def _checked_encoding(name: str) -> str | _Wrong:
    from ipreport.util.decoding import encoding_problem

    if encoding_problem(name) is not None:
        return _Wrong(f'expected an encoding such as "utf-8", "gb18030", "gbk" or "utf-16", found "{name}"')
    return name


def _what_is_there(path: Path, wants_folder: bool) -> str:
    if path.is_dir():
        return "a folder"
    if path.exists():
        return "a file"
    return "no such folder" if wants_folder else "no such file"


def _plan_exists(ref: str) -> bool:
    from ipreport.plans.load import bundled_ids

    return Path(ref).is_file() or ref in bundled_ids()


def _resolved(text: str, folder: Path) -> Path:
    path = Path(text).expanduser()
    return path if path.is_absolute() else folder / path


def _plan_ref(text: str, folder: Path) -> str:
    """A plan file relative to the config's folder, or a bundled id left as it is."""
    candidate = _resolved(text, folder)
    looks_like_path = text.endswith(".toml") or "/" in text or "\\" in text
    return str(candidate) if looks_like_path or candidate.exists() else text
