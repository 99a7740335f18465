"""Tests for ipreport.util.decoding: BOM first, then strict UTF-8 and GB18030, with located errors."""

from __future__ import annotations

import codecs

import pytest

from ipreport.errors import InputError, OptionError, Problem
from ipreport.util import decoding
from ipreport.util.decoding import decode, read_lines

TEXT = "指标,年份\n作品登记量,2020\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-8-sig"), "utf-8-sig"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-32"), "utf-32"),
    ],
)
def test_detects_encoding(data: bytes, expected: str) -> None:
    assert decode(data, "s.csv", None) == (TEXT, expected)


def test_ascii_is_utf8() -> None:
    assert decode(b"a,b\n", "s.csv", None) == ("a,b\n", "utf-8")


def test_given_encoding_overrides_trial() -> None:
    # GB18030 would decode these bytes, but the given encoding is used without trial.
    data = "作品".encode("gbk")
    assert decode(data, "s.csv", "latin-1") == (data.decode("latin-1"), "latin-1")


def test_given_utf8_drops_bom() -> None:
    assert decode(TEXT.encode("utf-8-sig"), "s.csv", "utf-8") == (TEXT, "utf-8")


def test_undecodable_names_encodings_offsets_and_lines() -> None:
    data = "a,b\n吉林,1\n".encode() + b"\xff\xfe\xfa\n"
    with pytest.raises(InputError) as caught:
        decode(data, "s.csv", None)
    assert str(caught.value) == (
        "s.csv: cannot decode the file: it is neither utf-8 (byte 0xFF at offset 13, line 3) "
        "nor gb18030 (byte 0xFF at offset 13, line 3); save it as UTF-8, or give its encoding "
        "explicitly (such as gb18030 or utf-16)"
    )


def test_wrong_given_encoding_is_located() -> None:
    data = "a\n作品\n".encode("gbk")
    with pytest.raises(InputError) as caught:
        decode(data, "s.csv", "utf-8")
    assert str(caught.value) == (
        "s.csv:2: cannot decode the file as utf-8 (the encoding given): byte 0xD7 at offset 2, line 2; "
        "it reads as gb18030: give that encoding, or none to have it detected"
    )


def test_broken_bom_file_is_located() -> None:
    data = b"\xff\xfe" + "ab\n".encode("utf-16-le") + b"\x00\xd8"  # a lone high surrogate at the end
    with pytest.raises(InputError) as caught:
        decode(data, "s.csv", None)
    assert str(caught.value) == (
        "s.csv:2: cannot decode the file as utf-16 (the encoding its byte-order mark announces): "
        "byte 0x00 at offset 8, line 2"
    )


def test_unknown_encoding_name_is_a_misused_option() -> None:
    with pytest.raises(OptionError) as caught:
        decode(b"a", "s.csv", "gbk2000")
    assert str(caught.value) == (
        '--encoding: unknown encoding "gbk2000"; expected one such as utf-8, gb18030, gbk, utf-16'
    )
    assert caught.value.exit_code == 2


# ---------------------------------------------------------------- streamed reading


def _stream(tmp_path, data: bytes, encoding: str | None) -> tuple[str, str]:
    path = tmp_path / "s.csv"
    path.write_bytes(data)
    text, used = read_lines(path, encoding, lambda lines: "".join(lines))
    return text, used


def _answer(call) -> object:
    """What a call gives: its value, or the type and message of the ipreport error it raises."""
    try:
        return call()
    except (InputError, OptionError) as exc:
        return type(exc).__name__, str(exc).replace(str(exc).split(":")[0], "FILE", 1)


STREAM_CASES = [
    TEXT.encode("utf-8"),
    TEXT.encode("utf-8-sig"),
    TEXT.encode("gb18030"),
    TEXT.encode("utf-16"),
    b"\xfe\xff" + TEXT.encode("utf-16-be"),
    TEXT.encode("utf-32"),
    b"",
    b"a,b\r\nc,d\re,f\n",
    ("吉林" * 40 + "\n").encode() * 3 + b"\xff tail\n",  # fails in UTF-8 after a chunk border
    ("吉林" * 40 + "\n").encode("gb18030") * 3 + b"\x81\x30\xff\n",  # fails in both
    b"\xff\xfe" + "ab\n".encode("utf-16-le") * 50 + b"\x00\xd8",  # a BOM file cut mid-character
    "a\n作品\n".encode("gbk"),
]


@pytest.mark.parametrize("data", STREAM_CASES)
@pytest.mark.parametrize("encoding", [None, "utf-8", "gb18030"])
def test_streamed_reading_answers_exactly_as_decode(tmp_path, monkeypatch, data: bytes, encoding) -> None:
    # A tiny chunk puts characters, BOMs and bad bytes across chunk borders.
    monkeypatch.setattr(decoding, "CHUNK_SIZE", 7)
    path = tmp_path / "s.csv"
    assert _answer(lambda: _stream(tmp_path, data, encoding)) == _answer(lambda: decode(data, path, encoding))


def test_streamed_lines_keep_their_endings(tmp_path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"a\r\nb\rc\n")
    lines, used = read_lines(path, None, list)
    assert (lines, used) == (["a\r\n", "b\r", "c\n"], "utf-8-sig")


def test_a_bad_byte_after_a_row_problem_is_what_is_reported(tmp_path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(b"ok\n" * 10 + b"\xff\n")

    def consume(lines) -> None:
        next(lines)
        raise InputError(Problem(str(path), "a problem on the first line", line=1))

    with pytest.raises(InputError) as caught:
        read_lines(path, "utf-8", consume)
    assert str(caught.value) == (
        f"{path}:11: cannot decode the file as utf-8 (the encoding given): byte 0xFF at offset 30, line 11"
    )


def test_a_utf8_text_with_one_gbk_line_is_refused_at_that_line() -> None:
    data = "第一行 UTF-8\n第二行\n".encode() + "第三行 GBK\n".encode("gbk") + "第四行\n".encode()
    with pytest.raises(InputError) as caught:
        decode(data, "draft.txt", None)
    assert str(caught.value) == (
        "draft.txt:3: this line is not utf-8, the encoding of the rest of the file, but gb18030; "
        "save the whole file in one encoding, such as UTF-8"
    )


def test_a_gbk_text_with_ascii_lines_still_reads_as_gb18030() -> None:
    data = b"header,1\n" + "第一行\n第二行\n".encode("gbk")
    assert decode(data, "a.txt", None) == ("header,1\n第一行\n第二行\n", "gb18030")
