"""Reading a policy document into blocks: the paragraphs and tables of a .docx, or of plain text
(PDF, HTML, .doc and .wps are turned into one of those by ``ipreport.extract.formats``)."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ipreport.errors import InputError, Problem
from ipreport.extract import formats, rules
from ipreport.util.decoding import decode


@dataclass(frozen=True)
class Block:
    """A paragraph (``text``) or a table (``rows`` of cell texts), in document order."""

    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()

    @property
    def is_table(self) -> bool:
        return bool(self.rows)


def read_blocks(path: Path, encoding: str | None = None) -> list[Block]:
    """The document's paragraphs and tables in order; .docx through python-docx, else decoded text."""
    from ipreport.util.input_files import DOCUMENT_LIMIT, check_regular, read_input

    if not path.exists():
        raise InputError(Problem(str(path), "no such file; expected a policy document (.txt or .docx)"))
    suffix = path.suffix.lower()
    if suffix in (".docx", ".doc", ".wps", ".pdf"):
        check_regular(path)
    if suffix == ".docx":
        return _docx_blocks(path)
    if suffix in (".doc", ".wps"):
        with tempfile.TemporaryDirectory(prefix="ipreport-") as folder:
            return _docx_blocks(formats.converted_to_docx(path, Path(folder)), shown=path)
    if suffix == ".pdf":
        return text_blocks(formats.pdf_text(path))
    text, _ = decode(read_input(path, DOCUMENT_LIMIT, "policy document"), path, encoding)
    if suffix in (".html", ".htm", ".shtml", ".xhtml"):
        return text_blocks(formats.html_text(path, text))
    return text_blocks(text)


def _docx_blocks(path: Path, shown: Path | None = None) -> list[Block]:
    import docx  # python-docx; imported here so .txt input does not pay for it
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    # The same bounds as a --template .docx: a zip bomb or XML nested without end is refused unread.
    from ipreport.util.word_package import check_word_document

    check_word_document(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        message = f"cannot read the file as a Word .docx document ({exc})"
        raise InputError(Problem(str(shown or path), message)) from None
    blocks = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(Block(text=Paragraph(child, document).text))
        elif tag == "tbl":
            rows = []
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    # A merged cell is returned once per grid column; keep it once.
                    if not cells or cell.text != cells[-1]:
                        cells.append(cell.text.strip())
                rows.append(tuple(cells))
            blocks.append(Block(rows=tuple(rows)))
    return blocks


_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")


def text_blocks(text: str) -> list[Block]:
    """Paragraphs of a plain-text document; tab-indented lines (one cell a line, a blank line between
    rows) are read as a table, as word processors export tables to text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("\t") and line.strip():
            rows, index = _tab_table(lines, index)
            blocks.append(Block(rows=rows))
            continue
        if line.strip():
            blocks.append(Block(text=line))
        index += 1
    return _join_broken_paragraphs(blocks)


def _tab_table(lines: list[str], index: int) -> tuple[tuple[tuple[str, ...], ...], int]:
    rows: list[tuple[str, ...]] = []
    cells: list[str] = []
    while index < len(lines):
        line = lines[index]
        if line.startswith("\t") and line.strip():
            cells.append(_BOOKMARK.sub("", line).strip())
        elif not line.strip():
            if cells:
                rows.append(tuple(cells))
                cells = []
        else:
            break
        index += 1
    if cells:
        rows.append(tuple(cells))
    return tuple(rows), index


def _join_broken_paragraphs(blocks: list[Block]) -> list[Block]:
    """A paragraph whose parenthesis is still open continues on the next line (text copied from PDF)."""
    joined: list[Block] = []
    for block in blocks:
        if joined and not block.is_table and not joined[-1].is_table and _open_parens(joined[-1].text) > 0:
            joined[-1] = Block(text=joined[-1].text.rstrip() + block.text.strip())
        else:
            joined.append(block)
    return joined


def _open_parens(text: str) -> int:
    folded = rules.fold(text)
    return folded.count("(") - folded.count(")")
