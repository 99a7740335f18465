"""Byte-identical reports: the report date from SOURCE_DATE_EPOCH or --as-of, and a normalised .docx zip.

The same inputs, options and date give the same bytes on any machine: zip entries in a fixed order
with a fixed time and attributes, and Word's core properties taken from the report date rather
than from the clock, the template or the user running it.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
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


def normalized_zip(parts: dict[str, bytes], when: dt.date) -> bytes:
    """``normalize_zip`` of a package given as its parts (zip name -> content)."""
    # Zip times are local and have no zone; midnight of the report date is the same everywhere.
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(parts, key=_entry_order):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = _UNIX_FILE_MODE
            target.writestr(info, parts[name], compresslevel=_COMPRESS_LEVEL)
    return out.getvalue()


def set_core_properties(core: CoreProperties, when: dt.date) -> None:
    """Word's document properties from the report date: not the template's, the clock's or the user's."""
    moment = dt.datetime(when.year, when.month, when.day)
    core.created = moment
    core.modified = moment
    core.last_printed = moment
    core.last_modified_by = AUTHOR
    core.revision = 1
