"""The interface language: messages, help and prompts in Chinese or English, through stdlib gettext.

The people ipreport is for read Chinese; analysts and CI often run under an English or C locale. The
interface language is, first to last: `ipreport --ui-lang`, the environment variable IPREPORT_LANG,
`ui_lang` in ipreport.toml, the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG on Linux and macOS; the
user's UI language on Windows), else English. It is separate from `--lang`, the language of the
report and the gap table (Chinese by default whatever the interface), so that an English-speaking
analyst can still produce the Chinese report the office publishes.

The English texts are the message ids: the code and its tests keep them; the Chinese ones live in the
catalogue ipreport/locale/zh_CN/LC_MESSAGES/ipreport.po (compiled to .mo by tools/build_catalogues.py,
both committed). A message built with values ("{file}: no rows for region ...") is translated by
matching it against the catalogue's ids that hold {fields}, so the library keeps raising English.
A field whose name ends in ``_list`` holds values the English joins with ", " (a list of any
length: "as {first}, {spelling_list} and {last}"); the Chinese joins them with "、".
"""

from __future__ import annotations

import functools
import gettext
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ipreport.errors import Problem

DOMAIN = "ipreport"
LANGS = ("zh", "en")
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
ENV_VARIABLE = "IPREPORT_LANG"
_FIELD = re.compile(r"\{(\w+)\}")

_current = "en"


def parse_lang(text: str | None) -> str | None:
    """"zh", "zh_CN.UTF-8", "zh-Hans" -> "zh"; "en", "C", "en_US" -> "en"; "" or None -> None."""
    if not text:
        return None
    lowered = text.strip().lower()
    if not lowered:
        return None
    return "zh" if lowered.startswith("zh") else "en"


def _windows_ui_is_chinese() -> bool:
    """The user's UI language on Windows (no LANG there): Chinese is primary language id 0x04."""
    try:
        import ctypes

        windll = ctypes.windll  # type: ignore[attr-defined]
        return int(windll.kernel32.GetUserDefaultUILanguage()) & 0x3FF == 0x04
    except (AttributeError, OSError):
        return False


def locale_language(environ: Mapping[str, str] | None = None, windows: bool | None = None) -> str:
    """The language the user's locale asks for, by the POSIX order of precedence."""
    environ = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            # LANGUAGE may list several ("zh_CN:en"): the first is the user's choice.
            return parse_lang(value.split(":")[0]) or "en"
    if windows if windows is not None else os.name == "nt":
        return "zh" if _windows_ui_is_chinese() else "en"
    return "en"


def interface_language(
    option: str | None = None, configured: str | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """The interface language from the option, IPREPORT_LANG, the config key and the locale."""
    environ = os.environ if environ is None else environ
    return (
        parse_lang(option) or parse_lang(environ.get(ENV_VARIABLE)) or parse_lang(configured)
        or locale_language(environ)
    )


def set_language(lang: str) -> None:
    global _current
    _current = lang if lang in LANGS else "en"


def language() -> str:
    return _current


@functools.lru_cache(maxsize=1)
def _catalogue() -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=["zh_CN"], fallback=True)


def catalogue_ids() -> frozenset[str]:
    """Every message id the Chinese catalogue translates."""
    catalogue = _catalogue()
    return frozenset(key for key in getattr(catalogue, "_catalog", {}) if isinstance(key, str) and key)


@dataclass(frozen=True)
class _Pattern:
    """A catalogue id with {fields} as a regular expression, and the literal text around its fields:
    a message that does not start with its head, end with its tail or hold its longest piece is
    passed over without running the expression (whose lazy fields are slow on a long text)."""

    regex: re.Pattern[str]
    msgid: str
    head: str
    tail: str
    longest: str

    def could_match(self, text: str) -> bool:
        return text.startswith(self.head) and text.endswith(self.tail) and self.longest in text


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[_Pattern, ...]:
    """The ids with {fields} as regular expressions, longest first (the most specific wins)."""
    patterns = []
    for msgid in sorted(catalogue_ids(), key=len, reverse=True):
        if not _FIELD.search(msgid):
            continue
        parts = _FIELD.split(msgid)
        literals = parts[::2]
        if not "".join(literals).strip():
            continue  # fields and nothing else: it would match any text
        pieces, seen = [], set()
        for index, part in enumerate(parts):
            if index % 2 == 0:
                pieces.append(re.escape(part))
            else:  # a field named twice must be the same text both times
                pieces.append(f"(?P={part})" if part in seen else f"(?P<{part}>.*?)")
                seen.add(part)
        regex = re.compile("".join(pieces), re.S)
        patterns.append(_Pattern(regex, msgid, literals[0], literals[-1], max(literals, key=len)))
    return tuple(patterns)


def tr(msgid: str, /, **fields: object) -> str:
    """``msgid`` (an English text, perhaps with {fields}) in the interface language, fields filled in."""
    translated = _catalogue().gettext(msgid) if _current == "zh" else msgid
    return translated.format(**fields) if fields else translated


def translate_message(text: str, lang: str | None = None, words: Mapping[str, str] | None = None) -> str:
    """A finished English message in the interface language: exactly, or by a catalogue pattern.

    ``words`` translates field values that are themselves names (status names in a fail list).
    A message the catalogue does not know stays English rather than half translated; one made of
    known parts is translated part by part: a value that is itself a message (a hint, a cause of
    ipreport's own), the clauses of "A; B", and the message after a location ("file:3: key: ...").
    """
    if (lang or _current) != "zh":
        return text
    return _CUT_QUOTATION.sub(r'…"（共 \1 个字符）', _translate(text, words, 0))


# How errors.bounded marks a quotation it cut: '"start…" (5,000 characters)'.
_CUT_QUOTATION = re.compile(r'…" \((\d[\d,]*) characters\)')


_MAX_DEPTH = 4  # a message holds a hint that holds a quotation: a few levels are all there are
_MAX_CLAUSES = 8  # more is not a sentence of ipreport's but a list (of values, say)
_MAX_HEAD_PARTS = 3  # "file:line: key: message": a location has at most three parts before the message


def _translate(text: str, words: Mapping[str, str] | None, depth: int) -> str:
    if not text:
        return text  # (gettext("") is the catalogue's header)
    catalogue = _catalogue()
    exact = catalogue.gettext(text)
    if exact != text:
        return exact
    stripped = text.strip()
    if stripped != text:  # a piece appended with its space: " (did you mean ...)"
        inner = _translate(stripped, words, depth)
        return text if inner == stripped else inner
    for pattern in _patterns():
        if not pattern.could_match(text):
            continue
        match = pattern.regex.fullmatch(text)
        if match is None:
            continue
        msgid = pattern.msgid
        values = {
            name: _words(value, words) if words and _words(value, words) != value else _field(value, depth)
            for name, value in match.groupdict().items()
        }
        for name in values:
            if name.endswith("_list"):  # values listed "a, b": Chinese lists them "a、b"
                values[name] = "、".join(values[name].split(", "))
        if "inner_message" in values and values["inner_message"] == match["inner_message"]:
            continue  # an id that wraps another message ("{inner_message} (did you mean ...)"): not known
        return catalogue.gettext(msgid).format(**values)
    if depth >= _MAX_DEPTH:
        return text
    if "; " in text and text.count("; ") <= _MAX_CLAUSES:  # clauses joined by ipreport: each one known
        parts = text.split("; ")
        translated = [_translate(part, words, depth + 1) for part in parts]
        if all(new != old for new, old in zip(translated, parts, strict=True)):
            return "；".join(translated)
    start = text.find(": ")
    for _ in range(_MAX_HEAD_PARTS):  # a location or an option before the message: kept as it is
        if start <= 0:
            break
        body = text[start + 2:]
        translated_body = _translate(body, words, depth + 1)
        if translated_body != body:
            return f"{text[:start]}：{translated_body}"
        start = text.find(": ", start + 2)
    return text


def _field(value: str, depth: int) -> str:
    """A value caught by a pattern's field: translated when it is itself a message, else as it is."""
    if depth >= _MAX_DEPTH or not re.search(r"[A-Za-z]{2,}", value):
        return value
    return _translate(value, None, depth + 1)


_ORIGIN = re.compile(r"(?P<file>.+?):(?:(?P<sheet>[^:!]+)!)?(?P<row>\d+)")


def problem_text(problem: Problem) -> str:
    """A problem as printed: ``file:line: key: message`` in English; in Chinese
    ``file 第N行 key：message`` with the message translated (the file, the key and what is quoted
    stay as they are: they are what the user looks for in the file)."""
    if _current != "zh":
        return str(problem)
    message = translate_message(problem.message)
    if message == problem.message:  # an id written with its location: "{file}: the file has ..."
        return translate_message(str(problem))
    head = problem.file
    if problem.line is not None:
        head += f" 第{problem.line}行"
    else:  # a statistics row's origin carries its place: "stats.csv:2", "stats.xlsx:数据!3"
        place = _ORIGIN.fullmatch(head)
        if place is not None:
            sheet = f" 工作表“{place['sheet']}”" if place["sheet"] else ""
            head = f"{place['file']}{sheet} 第{place['row']}行"
    if problem.key:
        head += f" {problem.key}"
    return f"{head}：{message}"


def _words(value: str, words: Mapping[str, str]) -> str:
    parts = [part.strip() for part in value.split(",")]
    if all(part in words for part in parts):
        return "、".join(words[part] for part in parts)
    return value


# Chinese never starts a line with these (禁则), so they stay with what precedes them.
_NO_LINE_START = set("，。、；：！？）》」』】%,.;:!?)")


def _cell_width(char: str) -> int:
    import unicodedata

    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap_cjk(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns (CJK counts two): Chinese breaks between any characters,
    Latin words and numbers stay whole. Click's own wrapping breaks only at spaces."""
    lines: list[str] = []
    current, used = "", 0
    for token in re.findall(r"\[[^\]]*\]|[A-Za-z0-9_.\-/@'\"`|=+*<>{}$%#~]+|\s+|.", text):
        if token.isspace():
            if current:
                current, used = current + " ", used + 1
            continue
        size = sum(_cell_width(char) for char in token)
        if current and used + size > width and token not in _NO_LINE_START:
            lines.append(current.rstrip())
            current, used = "", 0
        current, used = current + token, used + size
    if current.strip():
        lines.append(current.rstrip())
    return lines
