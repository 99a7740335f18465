"""Tests for ipreport.decoding: BOM first, then strict UTF-8 and GB18030, with located errors."""

from __future__ import annotations

import pytest

from ipreport.decoding import decode
from ipreport.errors import InputError

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
        "s.csv:2: cannot decode the file as utf-8 (the encoding given): byte 0xD7 at offset 2, line 2"
    )


def test_broken_bom_file_is_located() -> None:
    data = b"\xff\xfe" + "ab\n".encode("utf-16-le") + b"\x00\xd8"  # a lone high surrogate at the end
    with pytest.raises(InputError) as caught:
        decode(data, "s.csv", None)
    assert str(caught.value) == (
        "s.csv:2: cannot decode the file as utf-16 (the encoding its byte-order mark announces): "
        "byte 0x00 at offset 8, line 2"
    )


def test_unknown_encoding_name() -> None:
    with pytest.raises(InputError) as caught:
        decode(b"a", "s.csv", "gbk2000")
    assert str(caught.value) == (
        's.csv: unknown encoding "gbk2000"; expected one such as utf-8, gb18030, gbk, utf-16'
    )
