"""Text from inputs made safe and visible for a terminal: control and invisible characters escaped.

A name read from a file may carry a BOM, a zero-width space or a NUL that the eye cannot see (two
names then look identical and still differ), or an ESC sequence that a terminal would obey
(recolour, move the cursor, retitle the window). Wherever such text is shown, these characters are
written as escapes such as "\\u200b", which no terminal acts on.
"""

from __future__ import annotations

import unicodedata

from ipreport.util.lazy_regex import lazy_compile

# Control (Cc), format (Cf: BOM, zero-width space and joiners, bidi controls), line and paragraph
# separators, surrogates (undecodable bytes kept by surrogateescape), private-use and unassigned.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def hidden(char: str) -> bool:
    """Whether ``char`` is invisible or controls a terminal rather than showing a glyph."""
    return unicodedata.category(char) in _HIDDEN_CATEGORIES


def escape_char(char: str) -> str:
    """``"\\u200b"`` for U+200B; ``"\\t"``, ``"\\n"``, ``"\\r"`` for those three."""
    code = ord(char)
    return _SHORT.get(char) or (f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")


def visible(text: str) -> str:
    """``text`` with every hidden character escaped; other text (CJK, spaces) unchanged."""
    if text.isprintable():  # the common case, in C: no character to escape
        return text
    return "".join(escape_char(char) if hidden(char) else char for char in text)


def hidden_chars(text: str) -> list[str]:
    """The distinct hidden characters of ``text``, escaped, in order of appearance."""
    if text.isprintable():
        return []
    return list(dict.fromkeys(escape_char(char) for char in text if hidden(char)))


def hidden_hint(text: str) -> str:
    """'; it holds the invisible character "\\u200b": delete it' when ``text`` holds any, else ""."""
    found = hidden_chars(text)
    if not found:
        return ""
    many = len(found) > 1
    listed = ", ".join(f'"{escape}"' for escape in found)
    plural, pronoun = ("s", "them") if many else ("", "it")
    return f"; it holds the invisible character{plural} {listed}: delete {pronoun}"


class MarkdownText(str):
    """Text already escaped for Markdown, so that printing it does not escape it twice."""

    __slots__ = ()


# ASCII punctuation that makes Markdown (or the HTML it may carry) out of text: emphasis, code,
# links and images ([x](javascript:…)), raw HTML (<script>, <img onerror=…>), entities (&#106;),
# tables, headings, strikethrough. CommonMark lets a backslash make any of them a plain character.
_MARKDOWN_SPECIAL = lazy_compile(r"[\\`*_\[\]<>|&!#~]")


def markdown_text(value: object) -> MarkdownText:
    """``value`` as plain text inside Markdown: its markup characters backslash-escaped, line breaks
    folded to spaces, control and invisible characters escaped (see ``visible``)."""
    if isinstance(value, MarkdownText):
        return value
    text = str(value)
    if "\n" in text or "\r" in text:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return MarkdownText(_MARKDOWN_SPECIAL.sub(r"\\\g<0>", visible(text)))


# Characters XML 1.0 does not allow at all, even as &#1; references: a file holding one is not XML.
_NOT_XML = lazy_compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids shown as escapes (such as "\\u0001")."""
    return _NOT_XML.sub(lambda match: escape_char(match.group()), text)
