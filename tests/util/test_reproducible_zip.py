"""normalized_zip with parts compressed before: the same bytes as zipfile writes for the same parts."""

from __future__ import annotations

import datetime as dt
import random
import zipfile
import zlib
from io import BytesIO

import pytest

from ipreport.util.reproducible import deflated, normalized_zip


def _parts(seed: int) -> dict[str, bytes]:
    chance = random.Random(seed)
    parts = {
        "[Content_Types].xml": b"<Types/>",
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": "".join(chance.choice("报告<w:p>ab\n") for _ in range(5000)).encode("utf-8"),
        "word/styles.xml": bytes(chance.getrandbits(8) for _ in range(3000)) * 20,
        "docProps/empty.xml": b"",
        "word/media/图片1.png": bytes(chance.getrandbits(8) for _ in range(700)),
    }
    return dict(chance.sample(sorted(parts.items()), len(parts)))


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("when", [dt.date(2023, 3, 1), dt.date(1970, 1, 1), dt.date(2099, 12, 31)])
def test_packed_parts_give_zipfiles_bytes(seed: int, when: dt.date) -> None:
    parts = _parts(seed)
    reference = normalized_zip(parts, when)
    for names in (list(parts), ["word/styles.xml"], ["docProps/empty.xml", "word/media/图片1.png"]):
        packed = {name: (zlib.crc32(parts[name]), deflated(parts[name])) for name in names}
        assert normalized_zip(parts, when, packed) == reference
    with zipfile.ZipFile(BytesIO(reference)) as archive:
        assert archive.testzip() is None
        assert {name: archive.read(name) for name in archive.namelist()} == parts


def test_a_stream_packed_before_is_written_as_it_is() -> None:
    """The packed stream is the one written: a level-9 stream shows in the zip, and it still reads."""
    parts = {"a.xml": b"<a>" + b"x" * 5000 + b"</a>"}
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = compressor.compress(parts["a.xml"]) + compressor.flush()
    data = normalized_zip(parts, dt.date(2023, 3, 1), {"a.xml": (zlib.crc32(parts["a.xml"]), stream)})
    assert stream in data
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert archive.read("a.xml") == parts["a.xml"]


def test_the_laid_out_zip_keeps_a_stamps_time_of_day() -> None:
    # Reports are stamped at midnight; the layout took the time as 0 whatever the stamp said, which
    # would part from zipfile's bytes the day a stamp carried an hour.
    from ipreport.util import reproducible

    parts = _parts(4)
    stamp = (2023, 3, 1, 13, 45, 30)
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(parts, key=reproducible._entry_order):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = reproducible._UNIX_FILE_MODE
            target.writestr(info, parts[name], compresslevel=reproducible._COMPRESS_LEVEL)
    packed = {name: (zlib.crc32(data), deflated(data)) for name, data in parts.items()}
    assert reproducible._laid_out(parts, stamp, packed) == out.getvalue()
