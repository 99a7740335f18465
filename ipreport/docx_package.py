"""Check that a --template .docx is a sane Word package before docxtpl unpacks it: bounded time and memory.

A .docx is a zip of XML parts. A file that is not a zip, a zip of something else, a zip bomb or an
XML part nested a hundred thousand levels deep is refused here, from the zip's directory and one
streaming pass over each XML part, with a message saying what is wrong.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from lxml import etree

from ipreport.errors import TemplateError

MAX_ENTRIES = 2000
MAX_UNPACKED = 50 * 1024 * 1024  # bytes, all entries together
MAX_RATIO = 100  # uncompressed : compressed, for entries big enough for the ratio to mean something
RATIO_FLOOR = 1024 * 1024  # entries smaller than this may compress as well as they like
MAX_DEPTH = 200  # element nesting; Word's own documents stay well under 50
_MB = 1024 * 1024
_DOCUMENT = "word/document.xml"


def check_word_package(path: Path) -> None:
    """Raise TemplateError unless ``path`` is a zip that looks and unpacks like a Word document."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise TemplateError(
            f"{path}: not a Word .docx file: it is not a zip archive (save it from Word as .docx)"
        ) from exc
    except OSError as exc:
        raise TemplateError(f"{path}: cannot read the template: {exc.strerror}") from exc
    with archive:
        entries = archive.infolist()
        _check_directory(path, entries)
        for entry in entries:
            if entry.filename.endswith((".xml", ".rels")):
                _check_xml(path, archive, entry)


def _check_directory(path: Path, entries: list[zipfile.ZipInfo]) -> None:
    """Limits read from the zip's directory alone, before anything is unpacked."""
    if len(entries) > MAX_ENTRIES:
        raise TemplateError(
            f"{path}: refused: the archive holds {len(entries):,} files (a Word template has at most "
            f"{MAX_ENTRIES:,})"
        )
    names = {entry.filename for entry in entries}
    if _DOCUMENT not in names or "[Content_Types].xml" not in names:
        raise TemplateError(
            f"{path}: not a Word .docx file: it has no {_DOCUMENT} (is it a zip of something else?)"
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED:
        raise TemplateError(
            f"{path}: refused: the archive unpacks to {unpacked / _MB:,.0f} MB (a Word template may unpack "
            f"to at most {MAX_UNPACKED // _MB} MB)"
        )
    for entry in entries:
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            ratio = entry.file_size // max(entry.compress_size, 1)
            raise TemplateError(
                f"{path}: refused: {entry.filename} is compressed {ratio:,}:1 (more than {MAX_RATIO}:1 is "
                "the mark of a zip bomb)"
            )


def _check_xml(path: Path, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """One streaming pass: well-formed, no DOCTYPE (entity tricks), nesting no deeper than MAX_DEPTH."""
    depth = 0
    try:
        with archive.open(entry) as stream:
            events = etree.iterparse(
                stream, events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=False,
                load_dtd=False,
            )
            for event, element in events:
                if event == "start":
                    depth += 1
                    if depth == 1 and element.getroottree().docinfo.doctype:
                        raise TemplateError(
                            f"{path}: refused: {entry.filename} declares a DOCTYPE, "
                            "which Word documents never do"
                        )
                    if depth > MAX_DEPTH:
                        raise TemplateError(
                            f"{path}: refused: {entry.filename} nests XML elements more than {MAX_DEPTH} deep"
                        )
                else:
                    depth -= 1
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise TemplateError(f"{path}: not a Word .docx file: the archive is damaged ({exc})") from exc
    except etree.XMLSyntaxError as exc:
        # libxml2 2.11+ stops at its own depth limit (256) before iterparse hands over the events
        # that would have taken the count past MAX_DEPTH: the same refusal, in our words.
        if "depth" in (exc.msg or "").lower():
            raise TemplateError(
                f"{path}: refused: {entry.filename} nests XML elements more than {MAX_DEPTH} deep"
            ) from exc
        raise TemplateError(
            f"{path}: not a Word .docx file: {entry.filename} is not well-formed XML ({exc.msg})"
        ) from exc
