"""Policy documents as offices receive them: PDF with a text layer, HTML pages saved from government
sites, and old Word .doc / WPS .wps files (converted through LibreOffice), each read into the plain
text ``ipreport.extract.blocks`` reads, so a PDF, an HTML page and a .docx of the same text draft the
same plan.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from ipreport.errors import InputError, Problem

# ------------------------------------------------------------------ PDF

_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
# PDF text layers put a space where the font changes between Chinese and digits ("2025 年"); Chinese
# text has no spaces of its own next to a Chinese character.
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")
_PAGE_NUMBER = re.compile(r"^[\s\-—－–]*\d{1,4}[\s\-—－–]*$")
_SENTENCE_END = ("。", "！", "？", "：", "；", "!", "?", ":", ";")


def pdf_text(path: Path) -> str:
    """The text layer of a PDF, one paragraph a line: lines wrapped at the page edge are joined again."""
    from pypdf import PdfReader  # imported here so other formats do not pay for it
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise InputError(Problem(str(path), f"cannot read the file as a PDF document ({exc})")) from None
    if not any(re.search(rf"[{_CJK}\w]", page) for page in pages):
        raise InputError(Problem(str(path), "the PDF has no text layer (a scanned document?); "
                                            "run OCR on it or give the .docx or .txt"))
    paragraphs: list[str] = []
    for page in pages:
        lines = [_SPACE_BY_CJK.sub("", line).strip() for line in page.splitlines()]
        lines = [line for line in lines if line and not _PAGE_NUMBER.match(line)]
        full = max((_width(line) for line in lines), default=0)
        last = ""  # the line before, as printed
        for line in lines:
            # A line as wide as the page's widest, not ending a sentence, wrapped: the next continues it.
            if paragraphs and last and _width(last) >= 0.9 * full and not last.endswith(_SENTENCE_END) \
                    and not _is_heading(line):
                paragraphs[-1] += line
            else:
                paragraphs.append(line)
            last = line
    return "\n".join(paragraphs) + "\n"


def _width(line: str) -> float:
    """Printed width: a Chinese character takes two columns, a digit or letter one."""
    return sum(1.0 if re.match(rf"[{_CJK}]", char) else 0.5 for char in line)


_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.．、]|第[一二三四五六七八九十]+[章条节])"
)


def _is_heading(line: str) -> bool:
    return bool(_HEADING.match(line))


# ------------------------------------------------------------------ HTML

_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr", "section", "article",
               "blockquote", "pre", "center", "table"}
_SKIPPED_TAGS = {"script", "style", "nav", "header", "footer", "aside", "noscript", "form", "select",
                 "button", "iframe", "template"}
# Government sites wrap the article in one of these (TRS_Editor, zoom, pages_content, article …).
_BODY_HINT = re.compile(r"trs_editor|zoom|article|content|detail|main|text|zw|wzzw|xxgk", re.I)
_CHROME_HINT = re.compile(r"nav|menu|footer|header|breadcrumb|crumb|sidebar|share|copyright|banner|"
                          r"login|search|link|foot|top|bottom|location|position", re.I)
_VOID = {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}


class _Element:
    def __init__(self, tag: str, hint: str, parent: _Element | None) -> None:
        self.tag = tag
        self.hint = hint  # its id and class
        self.parent = parent
        self.lines: list[str] = []  # paragraphs whose nearest container is this element


class _PageParser(HTMLParser):
    """Paragraphs of a page in order, each with the elements around it; tables as tab lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Element] = [_Element("root", "", None)]
        self.skipping = 0
        self.current: list[str] = []
        self.paragraphs: list[tuple[str, tuple[_Element, ...]]] = []
        self.cells: list[str] | None = None  # the cells of the table row being read
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        if self.skipping:
            return
        if tag in ("td", "th"):
            self.cell = []
            return
        if tag == "tr":
            self._flush()
            self.cells = []
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in _VOID:
            return
        hint = " ".join(value or "" for name, value in attrs if name in ("id", "class"))
        self.stack.append(_Element(tag, hint, self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        if tag in ("td", "th") and self.cell is not None and self.cells is not None:
            self.cells.append(re.sub(r"\s+", "", "".join(self.cell)))
            self.cell = None
            return
        if tag == "tr" and self.cells is not None:
            if any(self.cells):
                for cell in self.cells:
                    # A table as word processors export it to text: one tab-indented cell a line.
                    self.paragraphs.append(("\t" + (cell or " "), tuple(self.stack)))
                self.paragraphs.append(("", tuple(self.stack)))
            self.cells = None
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.current.append(data)

    def _flush(self) -> None:
        text = "".join(self.current).replace("\u00a0", " ").replace("\u3000", " ")
        self.current = []
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            self.paragraphs.append((text, tuple(self.stack)))

    def close(self) -> None:
        super().close()
        self._flush()


def html_text(path: Path, text: str) -> str:
    """The article of a saved government web page as plain text, without the site's menus and footers."""
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    kept = [(line, stack) for line, stack in parser.paragraphs
            if not any(_CHROME_HINT.search(element.hint) and not _BODY_HINT.search(element.hint)
                       for element in stack)]
    # The article: the element hinted as a body holding the most Chinese characters, if any.
    weight: dict[int, int] = {}
    elements: dict[int, _Element] = {}
    for line, stack in kept:
        for element in stack:
            if _BODY_HINT.search(element.hint):
                weight[id(element)] = weight.get(id(element), 0) + len(re.findall(rf"[{_CJK}]", line))
                elements[id(element)] = element
    if weight:
        body = max(weight, key=lambda key: (weight[key], -_depth(elements[key])))
        kept = [(line, stack) for line, stack in kept if any(id(element) == body for element in stack)]
    lines = [line for line, _ in kept]
    if not any(re.search(rf"[{_CJK}]", line) for line in lines):
        raise InputError(Problem(str(path), "no Chinese text found in the HTML page; "
                                            "expected a policy document"))
    return "\n".join(lines) + "\n"


def _depth(element: _Element) -> int:
    depth = 0
    while element.parent is not None:
        depth, element = depth + 1, element.parent
    return depth


# ------------------------------------------------------------------ .doc and .wps through LibreOffice


def converted_to_docx(path: Path, folder: Path) -> Path:
    """``path`` (.doc, .wps) converted to .docx in ``folder`` by LibreOffice, run headless."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        message = (f"reading {path.suffix} files needs LibreOffice (soffice), which is not installed; "
                   "install it or save the document as .docx")
        raise InputError(Problem(str(path), message))
    # A profile of its own: another LibreOffice running for the same user would otherwise take the job.
    profile = Path(tempfile.mkdtemp(prefix="ipreport-office-", dir=folder))
    command = [office, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "docx",
               "--outdir", str(folder), str(path)]
    try:
        subprocess.run(command, capture_output=True, timeout=180, check=False,
                       env={**os.environ, "HOME": str(profile)})
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(Problem(str(path), f"LibreOffice could not convert the file ({exc})")) from None
    converted = folder / (path.stem + ".docx")
    if not converted.is_file():
        raise InputError(Problem(str(path), f"LibreOffice could not convert the file to .docx; is it a Word "
                                            f"{path.suffix} document?"))
    return converted
