"""Check that a --template .docx is a sane Word package before docxtpl unpacks it: bounded time and memory.

A .docx is a zip of XML parts. A file that is not a zip, a zip of something else, a zip bomb or an
XML part nested a hundred thousand levels deep is refused here, from the zip's directory and one
streaming pass over each XML part, with a message saying what is wrong.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from ipreport.errors import InputError, Problem, TemplateError

MAX_ENTRIES = 2000
MAX_UNPACKED = 50 * 1024 * 1024  # bytes, all entries together
MAX_DOCUMENT_UNPACKED = 512 * 1024 * 1024  # a policy document given to `extract`, photographs included
MAX_RATIO = 100  # uncompressed : compressed, for entries big enough for the ratio to mean something
RATIO_FLOOR = 1024 * 1024  # entries smaller than this may compress as well as they like
MAX_DEPTH = 200  # element nesting; Word's own documents stay well under 50
_MB = 1024 * 1024
_DOCUMENT = "word/document.xml"
_CHUNK = 64 * 1024


def check_word_document(path: Path) -> None:
    """The same checks for a policy document `extract` reads: an InputError naming the file.

    A document may carry photographs, so it may unpack to more than a template; the compression
    ratio and nesting limits, which are what catch a zip bomb, are the same.
    """
    try:
        check_word_package(path, what="document", unpacked=MAX_DOCUMENT_UNPACKED)
    except TemplateError as exc:
        raise InputError(Problem(str(path), str(exc).removeprefix(f"{path}: "))) from None


def check_word_package(path: Path, *, what: str = "template", unpacked: int = MAX_UNPACKED) -> None:
    """Raise TemplateError unless ``path`` is a zip that looks and unpacks like a Word document."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise TemplateError(
            f"{path}: not a Word .docx file: it is not a zip archive (save it from Word as .docx)"
        ) from exc
    except NotImplementedError as exc:  # an entry asks for a zip version Python does not read
        raise TemplateError(
            f"{path}: not a Word .docx file: it is packed with a zip feature that cannot be read "
            "(save it again from Word as .docx)"
        ) from exc
    except OSError as exc:
        raise TemplateError(f"{path}: cannot read the {what}: {exc.strerror}") from exc
    with archive:
        entries = archive.infolist()
        _check_directory(path, entries, what, unpacked)
        for entry in entries:
            if entry.filename.endswith((".xml", ".rels")):
                _check_xml(path, archive, entry)


def _check_directory(path: Path, entries: list[zipfile.ZipInfo], what: str, limit: int) -> None:
    """Limits read from the zip's directory alone, before anything is unpacked."""
    if len(entries) > MAX_ENTRIES:
        raise TemplateError(
            f"{path}: refused: the archive holds {len(entries):,} files (a Word {what} has at most "
            f"{MAX_ENTRIES:,})"
        )
    names = {entry.filename for entry in entries}
    if _DOCUMENT not in names or "[Content_Types].xml" not in names:
        raise TemplateError(
            f"{path}: not a Word .docx file: it has no {_DOCUMENT} (is it a zip of something else?)"
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > limit:
        raise TemplateError(
            f"{path}: refused: the archive unpacks to {unpacked / _MB:,.0f} MB (a Word {what} may unpack "
            f"to at most {limit // _MB} MB)"
        )
    for entry in entries:
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            ratio = entry.file_size // max(entry.compress_size, 1)
            raise TemplateError(
                f"{path}: refused: {entry.filename} is compressed {ratio:,}:1 (more than {MAX_RATIO}:1 is "
                "the mark of a zip bomb)"
            )


class _Refused(Exception):
    """Raised from an expat handler to stop the pass; carries ipreport's own message."""


def _check_xml(path: Path, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """One streaming pass: well-formed, no DOCTYPE (entity tricks), nesting no deeper than MAX_DEPTH.

    expat calls back on every start tag as it parses, with no nesting limit of its own, so the depth
    refusal is ipreport's and comes at element MAX_DEPTH + 1 whatever parser library is installed.
    """
    parser = expat.ParserCreate()
    depth = 0

    def start(name: str, attributes: object) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise _Refused(f"{entry.filename} nests XML elements more than {MAX_DEPTH} deep")

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def doctype(*args: object) -> None:
        raise _Refused(f"{entry.filename} declares a DOCTYPE, which Word documents never do")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Refused as exc:
        raise TemplateError(f"{path}: refused: {exc}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise TemplateError(f"{path}: not a Word .docx file: the archive is damaged ({exc})") from exc
    except expat.ExpatError as exc:
        raise TemplateError(
            f"{path}: not a Word .docx file: {entry.filename} is not well-formed XML "
            f"({expat.errors.messages[exc.code]}, line {exc.lineno}, column {exc.offset + 1})"
        ) from exc
