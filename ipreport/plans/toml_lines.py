"""TOML text of plans and ipreport.toml: decoding, parsing, syntax problems with positions, key lines."""

from __future__ import annotations

import re
import sys
from typing import Any

from ipreport.errors import Problem
from ipreport.util.decoding import bom_encoding, decodes
from ipreport.util.lazy_regex import lazy_compile

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib


def parse_toml(file: str, text: str) -> dict[str, Any] | Problem:
    """The TOML document of a plan or config file, or its syntax problem with line and column."""
    too_deep = _too_deep(file, text)
    if too_deep is not None:
        return too_deep
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return syntax_problem(file, exc, text)


# Arrays and inline tables nested deeper than this are refused before tomllib, which recurses once
# per level (about 500 levels end in RecursionError). No plan or config needs more than three.
MAX_NESTING = 32
_STRING_OPENERS = re.compile(r'"""|\'\'\'|"|\'|#|[\[{]|[\]}]|\n')


def _too_deep(file: str, text: str) -> Problem | None:
    """A problem at the line where brackets outside strings and comments nest beyond MAX_NESTING."""
    depth = 0
    line = 1
    position = 0
    while (match := _STRING_OPENERS.search(text, position)) is not None:
        token = match.group()
        position = match.end()
        if token == "\n":
            line += 1
        elif token in "[{":
            depth += 1
            if depth > MAX_NESTING:
                message = f"arrays or inline tables nested more than {MAX_NESTING} deep"
                return Problem(file, message, line=line)
        elif token in "]}":
            depth = max(depth - 1, 0)
        elif token == "#":
            end = text.find("\n", position)
            position = len(text) if end == -1 else end
        else:  # a string: skip to its end (a basic string's escaped quote does not end it)
            end = _string_end(text, position, token)
            line += text.count("\n", position, end)
            position = end
    return None


def _string_end(text: str, start: int, quote: str) -> int:
    escapes = quote.startswith('"')
    index = start
    while True:
        found = text.find(quote, index)
        if found == -1:
            return len(text)  # unterminated: tomllib reports it
        if escapes and _escaped(text, found):
            index = found + 1
            continue
        return found + len(quote)


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def decode_utf8(file: str, data: bytes) -> str | Problem:
    """The text of a plan file's bytes, or the problem saying why they are not UTF-8."""
    announced = bom_encoding(data)
    if announced is not None and announced != "utf-8-sig":
        # TOML is UTF-8 by definition; a UTF-16/32 file (Notepad's "Unicode") is named, not decoded.
        name = announced.upper()
        return Problem(
            file, f"the file is {name} (it starts with a {name} byte-order mark), not UTF-8: save it as UTF-8"
        )
    try:
        # A BOM is what Windows Notepad writes; it is harmless, so it is accepted and dropped.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded); "
        return Problem(file, message + _other_encoding(data) + "save the plan file as UTF-8", line=line)


def _other_encoding(data: bytes) -> str:
    """What can be said about the encoding of a file that is not UTF-8, without guessing.

    GB18030 decodes almost any byte pairs, Big5 text included, so it is named only when Big5 fails.
    """
    gb, big5 = (decodes(data, encoding) for encoding in ("gb18030", "big5"))
    if gb and not big5:
        return "it looks like GBK/GB18030: "
    if big5 and not gb:
        return "it looks like Big5: "
    if gb:
        return "it is in another encoding (such as GBK or Big5): "
    return ""


# tomllib (and tomli before 2.1) put the position only into the message text.
_POSITION = lazy_compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = lazy_compile(r"\s*\(at end of document\)\s*$")


def syntax_problem(file: str, exc: tomllib.TOMLDecodeError, text: str) -> Problem:
    """``file:12: TOML syntax error: Invalid value (column 5)``, whichever tomllib version raised."""
    full = str(exc)
    if _AT_END.search(full):
        cause = _AT_END.sub("", full)
        last_line = max(len(toml_lines(text.removesuffix("\n"))), 1)
        return Problem(file, f"TOML syntax error: {cause} (at end of file)", line=last_line)
    # Python 3.14 and tomli >= 2.1 expose the position; older versions only print it.
    line, column, reason = (
        getattr(exc, "lineno", None),
        getattr(exc, "colno", None),
        getattr(exc, "msg", None),
    )
    if not (isinstance(line, int) and isinstance(column, int) and isinstance(reason, str)):
        match = _POSITION.search(full)
        if match is None:
            return Problem(file, f"TOML syntax error: {full}")
        line, column, reason = int(match[1]), int(match[2]), full[: match.start()]
    return Problem(file, f"TOML syntax error: {reason} (column {column})", line=line)


def toml_lines(text: str) -> list[str]:
    """The lines of TOML text as TOML counts them: broken at LF (CRLF) only.

    ``str.splitlines`` also breaks at U+2028, U+2029, U+0085, form feed and other separators, which
    TOML keeps inside a comment or a string; one of them would shift every later line number.
    """
    return [line.removesuffix("\r") for line in text.split("\n")]


class LineIndex:
    """Line numbers of table headers and keys, found by scanning the text (tomllib gives none).

    Paths use the loader's key paths: ``plan``, ``plan.id``, ``target[2]``, ``target[2].rate``,
    ``target[2].interim.2017``; ``[[target]]`` tables are counted from 1.
    """

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
    _PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
    _KEY = re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")

    def __init__(self, text: str) -> None:
        self._lines: dict[str, int] = {}
        self._scan(text)

    def _scan(self, text: str) -> None:
        prefix = ""
        counts: dict[str, int] = {}
        in_multiline = False
        for number, line in enumerate(toml_lines(text), start=1):
            toggles = line.count('"""') + line.count("'''")
            if in_multiline:
                in_multiline = toggles % 2 == 0
                continue
            header = self._HEADER.match(line)
            if header:
                name = self._join(header[2])
                if header[1] == "[[":
                    counts[name] = counts.get(name, 0) + 1
                    prefix = f"{name}[{counts[name]}]"
                    # An unknown array such as [[targets]] is reported by its bare name.
                    self._lines.setdefault(name, number)
                else:
                    head, _, rest = name.partition(".")
                    prefix = f"{head}[{counts[head]}].{rest}" if head in counts and rest else name
                self._lines.setdefault(prefix, number)
            else:
                key = self._KEY.match(line)
                if key:
                    path = f"{prefix}.{self._join(key[1])}" if prefix else self._join(key[1])
                    self._lines.setdefault(path, number)
            in_multiline = toggles % 2 == 1

    @classmethod
    def _join(cls, dotted: str) -> str:
        parts = re.findall(cls._PART, dotted)
        return ".".join(part.strip("\"'") for part in parts)

    def line_of(self, path: str | None) -> int | None:
        """The line of ``path``, else of the nearest enclosing key or table that was found."""
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path.rpartition(".")[0]
        return None
