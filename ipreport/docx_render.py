"""Render the report context into Word through a docxtpl template: checked first, written atomically."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from ipreport.atomic import write_atomic
from ipreport.docx_package import check_word_package
from ipreport.errors import TemplateError
from ipreport.jinja_env import DOCS_HINT, check_variables, make_environment
from ipreport.reproducible import normalize_zip, report_date, set_core_properties

# docxtpl compiles the patched XML of each part from a string; its code objects carry this file name.
_JINJA_SOURCE = "<template>"
# How much of a paragraph to quote when pointing at the place of an error.
_QUOTE_CHARS = 60


def render_docx(
    context: dict[str, Any], template: Path, out: Path, *, when: dt.date | None = None
) -> None:
    """Render ``template`` (a .docx with docxtpl tags) with ``context`` and write ``out`` atomically.

    Any failure raises TemplateError naming the template and leaves ``out`` untouched.
    """
    write_atomic(Path(out), render_docx_bytes(context, template, when=when), inputs=[template])


def render_docx_bytes(context: dict[str, Any], template: Path, *, when: dt.date | None = None) -> bytes:
    """The rendered .docx file. Before rendering, the variables the template uses but the context lacks
    are reported by name; any failure raises TemplateError naming the template. The file's dates come
    from ``when`` (see ipreport.reproducible.report_date), so equal inputs give equal bytes.
    """
    when = report_date(when)
    template = Path(template)
    document = _open(template)
    # Like Markdown/HTML templates, a Word template may include files from its own folder only.
    env = make_environment([template.parent], autoescape=True)
    env.filters["image"] = lambda img: _inline_image(document, img, template)
    sources = _part_sources(document, template)
    for part_name, source in sources:
        _check_syntax(env, source, template, part_name)
    check_variables("".join(source for _, source in sources), context, template, env)
    try:
        document.render(context, env, autoescape=True)
        set_core_properties(document.docx.core_properties, when)
        buffer = io.BytesIO()
        document.save(buffer)
    except TemplateError:
        raise
    except Exception as exc:  # the template is user code: any failure in it is the user's to fix
        raise TemplateError(_render_message(exc, template, sources)) from exc
    return normalize_zip(buffer.getvalue(), when)


def _open(template: Path) -> DocxTemplate:
    """Open a .docx template, or say plainly why it is not one."""
    if not template.is_file():
        raise TemplateError(f"{template}: template not found")
    check_word_package(template)  # before docxtpl unpacks anything
    try:
        document = DocxTemplate(template)
        document.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(f"{template}: not a Word .docx file ({exc})") from exc
    return document


def _part_sources(document: DocxTemplate, template: Path) -> list[tuple[str, str]]:
    """The Jinja source docxtpl will compile for the body, headers and footers, with its line breaks.

    docxtpl puts each <w:p> on its own line before compiling, so a Jinja line number is a paragraph.
    """
    sources = [("body", document.patch_xml(document.get_xml()))]
    for uri in (document.HEADER_URI, document.FOOTER_URI):
        for _, part in document.get_headers_footers(uri):
            xml = document.patch_xml(document.get_part_xml(part))
            sources.append((str(part.partname).rsplit("/", 1)[-1].removesuffix(".xml"), xml))
    return [(name, re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)) for name, xml in sources]


def _paragraph_text(source: str, line: int | None) -> str:
    """The visible text (tags included) of the paragraph on a Jinja source line, shortened for a message."""
    if line is None:
        return ""
    lines = source.splitlines()
    if not 0 < line <= len(lines):
        return ""
    text = re.sub(r"<[^>]+>", "", lines[line - 1]).strip()
    if len(text) > _QUOTE_CHARS:
        text = text[: _QUOTE_CHARS - 1] + "…"
    return f' in "{text}"' if text else ""


def _where(template: Path, part_name: str, line: int | None) -> str:
    place = f"{template}" if part_name == "body" else f"{template} ({part_name})"
    return f"{place}:{line}" if line is not None else place


def _check_syntax(env: jinja2.Environment, source: str, template: Path, part_name: str) -> None:
    try:
        env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"{_where(template, part_name, exc.lineno)}: template syntax error: {exc.message}"
            f"{_paragraph_text(source, exc.lineno)}"
        ) from exc


def _template_line(tb: TracebackType | None) -> int | None:
    """The last line of compiled template code in a traceback: where the template failed."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _JINJA_SOURCE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _render_message(exc: Exception, template: Path, sources: list[tuple[str, str]]) -> str:
    line = _template_line(exc.__traceback__)
    # Only the body is large enough to matter; headers and footers hold page numbers.
    part_name, source = sources[0]
    if isinstance(exc, jinja2.sandbox.SecurityError):
        what = f"not allowed in a report template: {exc}"
    elif isinstance(exc, jinja2.UndefinedError):
        what = f"{exc.message} ({DOCS_HINT})"
    elif isinstance(exc, jinja2.TemplateNotFound):
        what = f"template not found: {exc.name}"
    elif isinstance(exc, jinja2.TemplateError):
        what = str(exc.message or exc)
    else:
        what = f"cannot render the template: {type(exc).__name__}: {exc}"
    return f"{_where(template, part_name, line)}: {what}{_paragraph_text(source, line)}"


def _inline_image(document: DocxTemplate, img: object, template: Path) -> InlineImage:
    """The `image` filter: a context picture ({path, width_mm}) as a picture in the document."""
    if not isinstance(img, Mapping) or "path" not in img:
        raise TemplateError(
            f"{template}: the image filter takes a picture such as charts.attainment "
            f"(with path and width_mm), found {type(img).__name__}"
        )
    path = Path(str(img["path"]))
    if not path.is_file():
        raise TemplateError(f"{template}: picture not found: {path}")
    width = img.get("width_mm")
    return InlineImage(document, str(path), width=Mm(float(width)) if width else None)
