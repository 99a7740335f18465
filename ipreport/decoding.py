"""Turn the bytes of a text file into str: by BOM, then strict trial of UTF-8 and GB18030, never a guess."""

from __future__ import annotations

import codecs
from pathlib import Path

from ipreport.errors import InputError, Problem

# Longest BOMs first: the UTF-32 LE BOM begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# UTF-8 first: GB18030 accepts many byte sequences that are really UTF-8, the reverse is rare.
TRIAL_ENCODINGS = ("utf-8", "gb18030")


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark announces, or None when the data starts with none."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode(data: bytes, path: str | Path, encoding: str | None) -> tuple[str, str]:
    """Decode ``data`` read from ``path``; return (text, encoding used), without a leading BOM.

    ``encoding`` (the user's choice) overrides detection; otherwise a BOM decides, and without one
    UTF-8 then GB18030 are tried strictly. Raises InputError naming the first undecodable byte.
    """
    file = str(path)
    if encoding:
        return _decode_as(data, file, _known_codec(encoding, file), chosen=True), encoding
    announced = bom_encoding(data)
    if announced:
        return _decode_as(data, file, announced, chosen=False), announced
    failures: list[UnicodeDecodeError] = []
    for candidate in TRIAL_ENCODINGS:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError as exc:
            failures.append(exc)
    tried = " nor ".join(f"{exc.encoding} ({_where(data, exc)})" for exc in failures)
    raise InputError(
        Problem(
            file,
            f"cannot decode the file: it is neither {tried}; "
            "save it as UTF-8, or give its encoding explicitly (such as gb18030 or utf-16)",
        )
    )


def _known_codec(encoding: str, file: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(
            Problem(file, f'unknown encoding "{encoding}"; expected one such as utf-8, gb18030, gbk, utf-16')
        ) from None


def _decode_as(data: bytes, file: str, encoding: str, *, chosen: bool) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        why = "the encoding given" if chosen else "the encoding its byte-order mark announces"
        line = _line_of(data, exc)
        raise InputError(
            Problem(file, f"cannot decode the file as {encoding} ({why}): {_where(data, exc)}", line=line)
        ) from None
    # "utf-8" given for a file that has a BOM would otherwise leave U+FEFF glued to the first header.
    return text[1:] if text.startswith("\ufeff") else text


def _line_of(data: bytes, exc: UnicodeDecodeError) -> int:
    """1-based line of the bad byte, counted in the same encoding (the bytes before it are valid)."""
    before = data[: exc.start].decode(exc.encoding, errors="replace")
    return before.count("\n") + 1


def _where(data: bytes, exc: UnicodeDecodeError) -> str:
    bad = data[exc.start : exc.start + 1].hex().upper()
    return f"byte 0x{bad} at offset {exc.start}, line {_line_of(data, exc)}"
