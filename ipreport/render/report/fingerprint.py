"""A fingerprint in every report, so that `report` can tell a report edited since it wrote it.

Staff open the yearly report in Word and edit it; running `report` again must not destroy that work.
Every report carries the SHA-256 of its own content: a .docx in a custom document property
(docProps/custom.xml, which Word shows under File > Properties > Custom), Markdown and HTML in a
closing comment line. Before replacing a file, `report` recomputes the hash: a file whose content
still matches is an untouched earlier output and is replaced; anything else (edited, saved again by
Word or WPS, or not written by ipreport at all) is kept unless the user says --force.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

from ipreport.errors import IpreportError

PROPERTY = "ipreport-sha256"
CUSTOM_PART = "docProps/custom.xml"
_CONTENT_TYPES = "[Content_Types].xml"
_PACKAGE_RELS = "_rels/.rels"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
# The format id every user-defined custom property carries (ECMA-376 Part 1, 22.3.2.2).
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_TEXT_MARK = re.compile(r"\n<!-- ipreport-sha256: ([0-9a-f]{64}) -->\n\Z")
# A report larger than this is no report ipreport wrote; it is kept without reading it whole.
_READ_LIMIT = 512 * 1024 * 1024


class EditedReportError(IpreportError):
    """An existing report would be replaced although it changed since ipreport wrote it."""


def _digest(chunks: list[bytes]) -> str:
    sha = hashlib.sha256()
    for chunk in chunks:
        sha.update(len(chunk).to_bytes(8, "big"))
        sha.update(chunk)
    return sha.hexdigest()


def _package_digest(archive: zipfile.ZipFile) -> str:
    """The hash of every part but the custom properties, by name, in name order."""
    chunks: list[bytes] = []
    for name in sorted(archive.namelist()):
        if name != CUSTOM_PART:
            chunks += [name.encode("utf-8"), archive.read(name)]
    return _digest(chunks)


def stamp_text(text: str) -> str:
    """Markdown or HTML with its fingerprint as a closing comment line (invisible when shown)."""
    body = text if text.endswith("\n") else text + "\n"
    return f"{body}\n<!-- {PROPERTY}: {_digest([body.encode('utf-8')])} -->\n"


def _with_override(types_xml: str) -> str:
    if f'PartName="/{CUSTOM_PART}"' in types_xml:
        return types_xml
    override = f'<Override PartName="/{CUSTOM_PART}" ContentType="{_CUSTOM_TYPE}"/>'
    return types_xml.replace("</Types>", override + "</Types>")


def _with_relationship(rels_xml: str) -> str:
    if _CUSTOM_REL in rels_xml:
        return rels_xml
    taken = {int(n) for n in re.findall(r'Id="rId(\d+)"', rels_xml)}
    number = max(taken, default=0) + 1
    rel = f'<Relationship Id="rId{number}" Type="{_CUSTOM_REL}" Target="{CUSTOM_PART}"/>'
    return rels_xml.replace("</Relationships>", rel + "</Relationships>")


def _property(pid: int, value: str) -> str:
    return (
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{PROPERTY}"><vt:lpwstr>{value}</vt:lpwstr></property>'
    )


def _with_property(custom_xml: str | None, value: str) -> str:
    """The custom properties part with ipreport's property set; a template's own properties stay."""
    if custom_xml is None:
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{_property(2, value)}</Properties>'
        )
    kept = re.sub(rf'<property [^>]*name="{PROPERTY}".*?</property>', "", custom_xml, flags=re.S)
    # Property ids start at 2 (0 and 1 are reserved) and are unique within the part.
    pid = max([1, *(int(n) for n in re.findall(r'pid="(\d+)"', kept))]) + 1
    if re.search(r"<Properties[^>]*/>", kept):
        opening = re.search(r"<Properties[^>]*?(?=/>)", kept)
        assert opening is not None
        return kept[: opening.start()] + opening.group(0) + ">" + _property(pid, value) + "</Properties>"
    if 'xmlns:vt="' not in kept:
        kept = kept.replace("<Properties ", f'<Properties xmlns:vt="{_VT_NS}" ', 1)
    return kept.replace("</Properties>", _property(pid, value) + "</Properties>")


def stamp_docx(data: bytes) -> bytes:
    """The .docx with its fingerprint in a custom document property (entries in their order)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in stamp_docx_parts(parts).items():
            target.writestr(name, content)
    return out.getvalue()


def stamp_docx_parts(parts: dict[str, bytes]) -> dict[str, bytes]:
    """``stamp_docx`` on a package's parts (zip name -> content), without writing a zip in between.

    The fingerprint is the hash of the parts' names and contents, not of their compressed form, so
    a report's package is compressed once, when it is written (see util/reproducible.normalized_zip).
    """
    parts = dict(parts)
    parts[_CONTENT_TYPES] = _with_override(parts[_CONTENT_TYPES].decode("utf-8")).encode("utf-8")
    if _PACKAGE_RELS in parts:
        parts[_PACKAGE_RELS] = _with_relationship(parts[_PACKAGE_RELS].decode("utf-8")).encode("utf-8")
    existing = parts.pop(CUSTOM_PART, None)
    value = _digest([chunk for name in sorted(parts) for chunk in (name.encode("utf-8"), parts[name])])
    custom = _with_property(existing.decode("utf-8") if existing is not None else None, value)
    parts[CUSTOM_PART] = custom.encode("utf-8")
    return parts


def _docx_unchanged(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if CUSTOM_PART not in archive.namelist():
                return False
            custom = archive.read(CUSTOM_PART).decode("utf-8", "replace")
            found = re.search(rf'name="{PROPERTY}"[^>]*>\s*<vt:lpwstr>([0-9a-f]{{64}})</vt:lpwstr>', custom)
            return found is not None and found.group(1) == _package_digest(archive)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, NotImplementedError):
        return False  # not a package ipreport wrote (NotImplementedError: a newer zip version)


def _text_unchanged(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    mark = _TEXT_MARK.search(text)
    if mark is None:
        return False
    return mark.group(1) == _digest([text[: mark.start()].encode("utf-8")])


def unchanged_since_written(path: Path) -> bool:
    """Whether ``path`` is a report exactly as ipreport wrote it (or empty: nothing to lose)."""
    size = path.stat().st_size
    if size == 0:
        return True
    if size > _READ_LIMIT:
        return False
    data = path.read_bytes()
    return _docx_unchanged(data) if data[:2] == b"PK" else _text_unchanged(data)


def refuse_edited(path: Path, instead: str = "another name with -o") -> None:
    """Raise EditedReportError when ``path`` exists and is not an untouched earlier report."""
    if not path.is_file() or unchanged_since_written(path):
        return
    raise EditedReportError(
        f'{path}: changed since ipreport wrote it (edited, or saved again in Word or WPS), or not written '
        f"by ipreport; it is kept as it is: give --force to replace it, or {instead}"
    )
