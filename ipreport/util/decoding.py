"""Turn the bytes of a text file into str: by BOM, then strict trial of UTF-8 and GB18030, never a guess.

``decode`` works on bytes in memory; ``read_lines`` streams a file of any size line by line with the
same choices and the same messages, holding only a chunk of it at a time.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ipreport.errors import InputError, OptionError, Problem

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
CHUNK_SIZE = 1 << 16
_LONGEST_BOM = 4

Result = TypeVar("Result")


@dataclass(frozen=True)
class _Failure:
    """Where one encoding first fails on a file: the byte's offset, its value and its line."""

    encoding: str
    offset: int
    byte: int
    line: int

    @property
    def where(self) -> str:
        return f"byte 0x{self.byte:02X} at offset {self.offset}, line {self.line}"


class _Undecodable(Exception):
    """Raised through the consumer of ``read_lines`` when the stream meets a byte it cannot decode."""

    def __init__(self, failure: _Failure) -> None:
        super().__init__(failure.where)
        self.failure = failure


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark announces, or None when the data starts with none."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


# --------------------------------------------------------------------------- bytes in memory


def decode(data: bytes, path: str | Path, encoding: str | None) -> tuple[str, str]:
    """Decode ``data`` read from ``path``; return (text, encoding used), without a leading BOM.

    ``encoding`` (the user's choice) overrides detection; otherwise a BOM decides, and without one
    UTF-8 then GB18030 are tried strictly. Raises InputError naming the first undecodable byte,
    OptionError for an encoding name Python does not know.
    """
    file = str(path)
    if encoding:
        codec = _known_codec(encoding)
        return _decode_as(data, file, codec, chosen=True), encoding
    announced = bom_encoding(data)
    if announced:
        return _decode_as(data, file, announced, chosen=False), announced
    failures: list[_Failure] = []
    for candidate in TRIAL_ENCODINGS:
        if failures:  # UTF-8 failed somewhere: it may be one pasted line, not the whole file
            _refuse_mixed(file, data.split(b"\n"))
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError as exc:
            failures.append(_failure_in(data, exc, candidate))
    raise _trial_error(file, failures)


def _decode_as(data: bytes, file: str, encoding: str, *, chosen: bool) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        other = _other_encoding(encoding, lambda candidate: decodes(data, candidate)) if chosen else None
        raise _single_error(file, _failure_in(data, exc, encoding), chosen=chosen, other=other) from None
    # "utf-8" given for a file that has a BOM would otherwise leave U+FEFF glued to the first header.
    return text[1:] if text.startswith("\ufeff") else text


def decodes(data: bytes, encoding: str) -> bool:
    """Whether all of ``data`` decodes in ``encoding`` (strictly)."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _failure_in(data: bytes, exc: UnicodeDecodeError, encoding: str) -> _Failure:
    # The bytes before the bad one are valid, so decoding them in the same encoding counts true lines.
    before = data[: exc.start].decode(exc.encoding, errors="replace")
    return _Failure(encoding, exc.start, data[exc.start], before.count("\n") + 1)


# --------------------------------------------------------------------------- streamed files


def read_lines(
    path: str | Path, encoding: str | None, consume: Callable[[Iterator[str]], Result]
) -> tuple[Result, str]:
    """Hand the lines of the file at ``path`` to ``consume``; return its result and the encoding used.

    Lines keep their endings (``\\r\\n``, ``\\n`` or ``\\r``), as ``open(newline="")`` gives them; a
    leading BOM is dropped. The encoding is chosen as ``decode`` chooses it, but the file is read in
    chunks: when a trial encoding fails part-way the file is read again in the next one, and an
    undecodable byte is reported exactly as ``decode`` reports it, even when ``consume`` has raised
    an InputError about a line before it. OSError from opening or reading is left to the caller.
    """
    file = str(path)
    chosen = _known_codec(encoding) if encoding else None
    with open(path, "rb") as raw:
        announced = bom_encoding(raw.read(_LONGEST_BOM))
    candidates = (chosen,) if chosen else (announced,) if announced else TRIAL_ENCODINGS
    failures: list[_Failure] = []
    for candidate in candidates:
        if failures and not chosen and not announced:
            # UTF-8 failed part-way: the file decides, but every line must be of the file's encoding.
            with open(path, "rb") as raw:
                _refuse_mixed(file, raw)
        try:
            return _consume_as(path, candidate, consume), encoding or candidate
        except _Undecodable as exc:
            failures.append(exc.failure)
    if chosen or announced:
        failure = failures[0]
        other = None
        if chosen:
            other = _other_encoding(chosen, lambda candidate: _locate(path, candidate) is None)
        raise _single_error(file, failure, chosen=bool(chosen), other=other)
    raise _trial_error(file, failures)


def _consume_as(path: str | Path, encoding: str, consume: Callable[[Iterator[str]], Result]) -> Result:
    with open(path, "rb") as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
        lines = _lines(text, path, encoding)
        try:
            result = consume(lines)
        except InputError:
            # An undecodable byte further on outranks a problem met before it, as with ``decode``.
            _drain(lines)
            raise
        _drain(lines)
        return result


def _lines(text: io.TextIOWrapper, path: str | Path, encoding: str) -> Iterator[str]:
    try:
        first = next(text, None)
        if first is None:
            return
        yield first[1:] if first.startswith("\ufeff") else first
        yield from text
    except UnicodeDecodeError:
        # The wrapper's error is relative to its own chunk; read again to name the file's offset.
        failure = _locate(path, encoding)
        if failure is None:  # pragma: no cover - the same bytes cannot decode on the second reading
            raise
        raise _Undecodable(failure) from None


def _drain(lines: Iterator[str]) -> None:
    for _ in lines:
        pass


def _locate(path: str | Path, encoding: str) -> _Failure | None:
    """The first undecodable byte of the file in ``encoding``, or None when all of it decodes."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = 0
    with open(path, "rb") as raw:
        while True:
            chunk = raw.read(CHUNK_SIZE)
            # A character cut by the chunk border waits in the decoder; errors count from its start.
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                start = offset - pending + exc.start
                return _Failure(encoding, start, exc.object[exc.start], _line_at(path, encoding, start))
            if not chunk:
                return None
            offset += len(chunk)


def _line_at(path: str | Path, encoding: str, end: int) -> int:
    """1-based line of byte ``end``, counting the newlines of the (valid) bytes before it."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    newlines = 0
    with open(path, "rb") as raw:
        left = end
        while left > 0:
            chunk = raw.read(min(CHUNK_SIZE, left))
            if not chunk:
                break
            left -= len(chunk)
            newlines += decoder.decode(chunk).count("\n")
    return newlines + decoder.decode(b"", final=True).count("\n") + 1


# --------------------------------------------------------------------------- one encoding per file


def _refuse_mixed(file: str, lines: Iterable[bytes]) -> None:
    """Refuse a file whose lines are partly UTF-8 and partly GB18030 (a row pasted from another file).

    Read whole as GB18030, every UTF-8 line would turn into other characters without a word; so the
    encoding is decided per file but checked per line. Lines of ASCII alone fit both and are skipped.
    """
    first = {"utf-8": 0, "gb18030": 0}
    count = {"utf-8": 0, "gb18030": 0}
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        if decodes(line, "utf-8"):
            kind = "utf-8"
        elif decodes(line, "gb18030"):
            kind = "gb18030"
        else:
            return  # neither: the trial of the whole file says so, with the byte
        count[kind] += 1
        first[kind] = first[kind] or number
    if not count["utf-8"] or not count["gb18030"]:
        return
    rest, odd = ("utf-8", "gb18030") if count["utf-8"] >= count["gb18030"] else ("gb18030", "utf-8")
    others = count[odd] - 1
    more = f" (and {others} more line{'s' if others > 1 else ''} like it)" if others else ""
    raise InputError(
        Problem(
            file,
            f"this line is not {rest}, the encoding of the rest of the file, but {odd}{more}; "
            f"save the whole file in one encoding, such as UTF-8",
            line=first[odd],
        )
    )


# --------------------------------------------------------------------------- shared


# Codecs Python knows that turn no file's bytes into its text: domain names, escapes, the codec that
# always fails. (base64, hex, rot13 and the like are not text encodings and are refused as such.)
_NOT_FILE_ENCODINGS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"})
_EXPECTED = "expected one such as utf-8, gb18030, gbk, utf-16"


def encoding_problem(encoding: str) -> str | None:
    """Why ``encoding`` cannot be a text file's encoding (unknown, or no text encoding), or None."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        return f'unknown encoding "{encoding}"; {_EXPECTED}'
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("_", "-") in _NOT_FILE_ENCODINGS:
        return f'"{encoding}" is not an encoding of text files; {_EXPECTED}'
    return None


def _known_codec(encoding: str) -> str:
    problem = encoding_problem(encoding)
    if problem is not None:
        raise OptionError("--encoding", problem)
    return codecs.lookup(encoding).name


def _other_encoding(chosen: str, decodes: Callable[[str], bool]) -> str | None:
    """A trial encoding the whole file decodes in, to suggest when the chosen one fails."""
    return next((c for c in TRIAL_ENCODINGS if codecs.lookup(c).name != chosen and decodes(c)), None)


def _single_error(file: str, failure: _Failure, *, chosen: bool, other: str | None) -> InputError:
    why = "the encoding given" if chosen else "the encoding its byte-order mark announces"
    message = f"cannot decode the file as {failure.encoding} ({why}): {failure.where}"
    if other:
        message += f"; it reads as {other}: give that encoding, or none to have it detected"
    return InputError(Problem(file, message, line=failure.line))


def _trial_error(file: str, failures: list[_Failure]) -> InputError:
    tried = " nor ".join(f"{failure.encoding} ({failure.where})" for failure in failures)
    return InputError(
        Problem(
            file,
            f"cannot decode the file: it is neither {tried}; "
            "save it as UTF-8, or give its encoding explicitly (such as gb18030 or utf-16)",
        )
    )
