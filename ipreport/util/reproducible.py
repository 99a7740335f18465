"""Byte-identical reports: the report date from SOURCE_DATE_EPOCH or --as-of, and a normalised .docx zip.

The same inputs, options and date give the same bytes on any machine: zip entries in a fixed order
with a fixed time and attributes, and Word's core properties taken from the report date rather
than from the clock, the template or the user running it.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # python-docx is imported only where a document is opened with it
    from docx.opc.coreprops import CoreProperties

AUTHOR = "ipreport"
# Word writes these two first; some readers sniff the start of the file for them.
_FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")
# A regular file, rw-r--r--, as written by a Unix zip tool (create_system 3).
_UNIX_FILE_MODE = 0o100644 << 16
_COMPRESS_LEVEL = 6


def _entry_order(name: str) -> tuple[int, str]:
    return (_FIRST_ENTRIES.index(name), "") if name in _FIRST_ENTRIES else (len(_FIRST_ENTRIES), name)


def normalize_zip(data: bytes, when: dt.date) -> bytes:
    """The zip rewritten: sorted entries ([Content_Types].xml first), one time stamp, fixed attributes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return normalized_zip({name: source.read(name) for name in source.namelist()}, when)


def normalized_zip(
    parts: dict[str, bytes], when: dt.date, packed: Mapping[str, tuple[int, bytes]] | None = None
) -> bytes:
    """``normalize_zip`` of a package given as its parts (zip name -> content).

    ``packed`` holds parts compressed before, by name: the CRC-32 of the content and its deflate
    stream (``deflated``); a run over every region writes the same large parts of a template
    (styles.xml: a third of a megabyte) into each report. The zip is then laid out here, byte for
    byte as zipfile lays out the same entries (tests/util/test_reproducible_zip.py holds the two
    equal), with those parts' streams as they are.
    """
    # Zip times are local and have no zone; midnight of the report date is the same everywhere.
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    if packed:
        return _laid_out(parts, stamp, packed)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(parts, key=_entry_order):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = _UNIX_FILE_MODE
            target.writestr(info, parts[name], compresslevel=_COMPRESS_LEVEL)
    return out.getvalue()


def deflated(data: bytes) -> bytes:
    """``data`` compressed as normalized_zip's entries are (raw deflate, level 6)."""
    compressor = zlib.compressobj(_COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


# The zip records (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16) as zipfile packs them, for entries of version
# 2.0 (deflate) without extra fields, comments or ZIP64.
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20
_UTF8_NAME = 0x800
_ZIP64_LIMIT = (1 << 31) - 1


def _laid_out(
    parts: dict[str, bytes], stamp: tuple[int, ...], packed: Mapping[str, tuple[int, bytes]]
) -> bytes:
    """The zip zipfile writes for ``parts`` (see normalized_zip), with the streams of ``packed``."""
    year, month, day, hour, minute, second = stamp
    dos_date, dos_time = (year - 1980) << 9 | month << 5 | day, hour << 11 | minute << 5 | second // 2
    out = bytearray()
    central = bytearray()
    for name in sorted(parts, key=_entry_order):
        data = parts[name]
        crc, stream = packed[name] if name in packed else (zlib.crc32(data), deflated(data))
        if len(data) * 1.05 > _ZIP64_LIMIT or len(stream) > _ZIP64_LIMIT or len(out) > _ZIP64_LIMIT:
            raise ValueError(f"{name}: too large for a report package")
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        offset = len(out)
        out += _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, zipfile.ZIP_DEFLATED, dos_time, dos_date,
                           crc, len(stream), len(data), len(encoded), 0)
        out += encoded
        out += stream
        central += _CENTRAL.pack(b"PK\x01\x02", _VERSION, 3, _VERSION, 0, flags, zipfile.ZIP_DEFLATED,
                                 dos_time, dos_date, crc, len(stream), len(data), len(encoded), 0, 0, 0,
                                 0, _UNIX_FILE_MODE, offset)
        central += encoded
    start = len(out)
    out += central
    out += _END.pack(b"PK\x05\x06", 0, 0, len(parts), len(parts), len(central), start, 0)
    return bytes(out)


def set_core_properties(core: CoreProperties, when: dt.date) -> None:
    """Word's document properties from the report date: not the template's, the clock's or the user's."""
    moment = dt.datetime(when.year, when.month, when.day)
    core.created = moment
    core.modified = moment
    core.last_printed = moment
    core.last_modified_by = AUTHOR
    core.revision = 1
