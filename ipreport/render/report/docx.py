"""Render the report context into Word through a docxtpl template: checked first, written atomically."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.oxml import serialize_part_xml
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from ipreport.errors import TemplateError
from ipreport.render.report import prepared_docx, word_checks
from ipreport.render.report.chart_specs import ChartSpec
from ipreport.render.report.docx_tables import drop_empty_columns
from ipreport.render.report.fingerprint import stamp_docx_parts
from ipreport.render.report.wml_order import reorder_properties
from ipreport.render.report.word_charts import WordChart, document_fonts
from ipreport.render.templating.env import (
    DOCS_HINT,
    check_used_variables,
    make_environment,
    template_variables,
)
from ipreport.util.atomic import write_atomic
from ipreport.util.clock import report_date
from ipreport.util.reproducible import normalized_zip, set_core_properties
from ipreport.util.word_package import check_word_package

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
    from ``when`` (see ipreport.util.clock.report_date), so equal inputs give equal bytes.
    """
    from ipreport.util.input_files import check_regular

    when = report_date(when)
    template = Path(template)
    if template.exists():
        check_regular(template)  # a FIFO or a device is no template; and no output may replace it
    key = _key(template)
    checked = _CHECKED.get(key) if key is not None else None
    if checked is None and key is not None:
        checked = _checked_before(template, key)
    document = _open(template) if checked is None else _reopen(checked)
    # Like Markdown/HTML templates, a Word template may include files from its own folder only.
    env = make_environment([template.parent], autoescape=True)
    shapes = _ShapeIds()
    env.filters["image"] = lambda img: _inline_image(document, img, template, when, shapes)
    if checked is None:
        sources = _part_sources(document, template)
        for part_name, source in sources:
            _check_syntax(env, source, template, part_name)
        used = template_variables("".join(source for _, source in sources), template, env)
        checked = _remember(template, key, sources, used)
    check_used_variables(checked.used, context, template, env)
    # The first rendering of a template in a run also prepares it for prepared_docx's path.
    preparation = None if prepared_docx.is_settled(key) else _preparation(document)
    try:
        document.render(context, env, autoescape=True)
        # Word needs schema order; {% cellbg %} puts the shading first in the cell's properties.
        reorder_properties(document.docx.element)
        drop_empty_columns(document.docx.element)
        set_core_properties(document.docx.core_properties, when)
        parts = _package_parts(document)
    except TemplateError:
        raise
    except Exception as exc:  # the template is user code: any failure in it is the user's to fix
        # Checks found on disk kept no sources: they are read again for the message.
        shown = checked.sources if checked.sources is not None else _part_sources(_reopen(checked), template)
        raise TemplateError(_render_message(exc, template, shown)) from exc
    # Stamped and normalised as parts: the package is compressed once, when it is written.
    data = normalized_zip(stamp_docx_parts(parts), when)
    if not shapes.untouched:
        prepared_docx.decline(key)  # pictures or charts: python-docx draws them
    elif not prepared_docx.is_settled(key):
        prepared = _prepared(document, preparation, checked.used, parts) if (
            preparation is not None and not _replaced(document)) else None
        # A template that cannot be prepared, or whose preparation did not give these bytes, stays on
        # this path for the run: each report of a batch would otherwise prepare it again, in vain.
        kept = prepared is not None and prepared_docx.keep(
            template, key, checked.data, prepared, context, when, data)
        if not kept:
            prepared_docx.decline(key)
    return data


@dataclass(frozen=True)
class _Preparation:
    """What prepared_docx needs from a template, taken before docxtpl renders it."""

    body: str
    shell: bytes
    headers: tuple[tuple[str, str], ...]


# The core properties docxtpl renders as Jinja (DocxTemplate.render_properties).
_RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_CORE = "application/vnd.openxmlformats-package.core-properties+xml"


def _preparation(document: DocxTemplate) -> _Preparation | None:
    """The Jinja sources docxtpl renders and the document part without its body; None for a template
    whose rendering prepared_docx does not repeat (footnotes, document properties with Jinja tags).

    Preparing only ever saves time: whatever fails here leaves the template on this path, and the
    rendering says what is wrong with it, if anything is.
    """
    try:
        return _taken_apart(document)
    except Exception:  # noqa: BLE001
        return None


def _taken_apart(document: DocxTemplate) -> _Preparation | None:
    package = document.docx.part.package
    if any(part.content_type == _FOOTNOTES for part in package.parts):
        return None
    core = document.docx.core_properties
    for name in _RENDERED_PROPERTIES:
        value = getattr(core, name)
        # Rendered as a template, text without "{" or a line break is itself.
        if not isinstance(value, str) or any(mark in value for mark in "{\r\n"):
            return None
    headers = []
    for uri in (document.HEADER_URI, document.FOOTER_URI):
        for _, part in document.get_headers_footers(uri):
            source = document.patch_xml(document.get_part_xml(part))
            headers.append((part.partname.membername, _one_paragraph_a_line(source)))
    if len({name for name, _ in headers}) != len(headers):
        return None  # one part behind two relationships: docxtpl renders it twice
    shell = copy.deepcopy(document.docx.element)
    body = shell.find(qn("w:body"))
    for child in list(body):
        body.remove(child)
    return _Preparation(
        _one_paragraph_a_line(document.patch_xml(document.get_xml())), etree.tostring(shell), tuple(headers)
    )


def _prepared(
    document: DocxTemplate, preparation: _Preparation, used: frozenset[str], parts: dict[str, bytes]
) -> prepared_docx.Prepared | None:
    """The preparation of a rendered template: its sources, and its other parts as just written
    (None when it cannot be made: this path stays the way, as for _preparation)."""
    try:
        return _assembled(document, preparation, used, parts)
    except Exception:  # noqa: BLE001
        return None


def _assembled(
    document: DocxTemplate, preparation: _Preparation, used: frozenset[str], parts: dict[str, bytes]
) -> prepared_docx.Prepared | None:
    package = document.docx.part.package
    core = [part.partname.membername for part in package.parts if part.content_type == _CORE]
    if len(core) != 1:
        return None
    name = document.docx.part.partname.membername
    rendered = {name, core[0], *(header for header, _ in preparation.headers)}
    others = {part: data for part, data in parts.items() if part not in rendered}
    # The core properties as just written, with a mark where each report puts its date (the parts
    # are written already: the document's own properties are no longer read).
    element = document.docx.core_properties._element
    mark = prepared_docx.DATE_MARK.decode("ascii")
    if mark.encode("utf-8") in parts[core[0]]:
        return None
    for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        dated = element.find(qn(tag))
        if dated is None:
            return None
        dated.text = mark
    dated_core = serialize_part_xml(element)
    if dated_core.count(prepared_docx.DATE_MARK) != prepared_docx.DATED_PROPERTIES:
        return None
    return prepared_docx.Prepared(
        used, preparation.body, preparation.shell, name, preparation.headers, (core[0], dated_core), others,
    )


def _replaced(document: DocxTemplate) -> bool:
    """Whether docxtpl was asked to replace pictures, media or zip entries (ipreport never does)."""
    return bool(document.pics_to_replace or document.crc_to_new_media or document.crc_to_new_embedded
                or document.zipname_to_replace)


def _one_paragraph_a_line(xml: str) -> str:
    """docxtpl's source as it compiles it: each <w:p> on its own line."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


class _PartsWriter:
    """python-docx's physical package writer (write, close), keeping the parts instead of zipping them."""

    def __init__(self) -> None:
        self.parts: dict[str, bytes] = {}

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.parts[pack_uri.membername] = blob

    def close(self) -> None:
        pass


def _package_parts(document: DocxTemplate) -> dict[str, bytes]:
    """The parts docxtpl's save writes (zip name -> content), without compressing them into a zip.

    docxtpl's save is python-docx's (every part's XML serialised by PackageWriter), with steps before
    and after for replaced pictures, media and zip entries, which ipreport does not use: such a
    document is saved the usual way. Compressing the package, only to unpack it for the fingerprint
    and the normalised zip, was a tenth of a report without charts.
    """
    replaced = _replaced(document)
    steps = [getattr(PackageWriter, name, None) for name in _WRITER_STEPS]
    if replaced or not all(callable(step) for step in steps):
        buffer = io.BytesIO()
        document.save(buffer)
        with zipfile.ZipFile(buffer) as written:
            return {name: written.read(name) for name in written.namelist()}
    package = document.docx.part.package
    parts = list(package.parts)
    for part in parts:  # as OpcPackage.save does
        part.before_marshal()
    writer = _PartsWriter()
    content_types, package_rels, each_part = steps
    content_types(writer, parts)  # type: ignore[misc]
    package_rels(writer, package.rels)  # type: ignore[misc]
    each_part(writer, parts)  # type: ignore[misc]
    document.is_saved = True
    return writer.parts


# PackageWriter.write's three steps, in its order (python-docx 0.8 to 1.2); without them, save().
_WRITER_STEPS = ("_write_content_types_stream", "_write_pkg_rels", "_write_parts")


@dataclass(frozen=True)
class _Checked:
    """A Word template that passed the checks, as read then: a run over every region renders it often."""

    key: tuple[str, int, int]  # resolved path, modification time (ns), size
    data: bytes
    # Jinja source of each part, for error messages; None when the checks were found on disk
    sources: list[tuple[str, str]] | None
    used: frozenset[str]  # the variables it uses


# The last template checked in this process, by its key (one entry: a run uses one template).
_CHECKED: dict[tuple[str, int, int], _Checked] = {}


_key = prepared_docx.template_key  # a template as this run knows it: resolved path, mtime, size


def _remember(
    template: Path, key: tuple[str, int, int] | None, sources: list[tuple[str, str]], used: frozenset[str]
) -> _Checked:
    """Keep what the checks found with the template's bytes, if the file did not change meanwhile."""
    data = template.read_bytes()
    checked = _Checked(key or ("", 0, 0), data, sources, used)
    if key is not None and key == _key(template):
        _CHECKED.clear()
        _CHECKED[key] = checked
        word_checks.store(data, used)
    return checked


def _checked_before(template: Path, key: tuple[str, int, int]) -> _Checked | None:
    """The template as checked in an earlier run (word_checks), from the bytes that were hashed."""
    try:
        data = template.read_bytes()
    except OSError:
        return None  # _open says what is wrong with it
    used = word_checks.load(data)
    if used is None:
        return None
    checked = _Checked(key, data, None, used)
    if key == _key(template):  # kept for the rest of the run only if the file did not change meanwhile
        _CHECKED.clear()
        _CHECKED[key] = checked
    return checked


class _PreparedTemplate(DocxTemplate):
    """docxtpl's template whose XML preparation is done once per process for each part.

    ``patch_xml`` (a few dozen regular-expression passes that make Word's XML readable to Jinja) is
    a function of the part's XML alone, and a run over every region renders the same parts hundreds
    of times: its results are kept (a tenth of a report without charts).
    """

    def patch_xml(self, src_xml: str) -> str:
        patched = _PATCHED.get(src_xml)
        if patched is None:
            patched = super().patch_xml(src_xml)
            if len(_PATCHED) >= _PATCHED_LIMIT:
                del _PATCHED[next(iter(_PATCHED))]  # the oldest
            _PATCHED[src_xml] = patched
        return patched


# Part XML as read -> as patched for Jinja; a template has a body and a few headers and footers.
_PATCHED: dict[str, str] = {}
_PATCHED_LIMIT = 16


def _reopen(checked: _Checked) -> DocxTemplate:
    """A fresh document of a checked template, from the bytes read then."""
    document = _PreparedTemplate(io.BytesIO(checked.data))
    document.init_docx()
    return document


def _open(template: Path) -> DocxTemplate:
    """Open a .docx template, or say plainly why it is not one."""
    if not template.is_file():
        raise TemplateError(f"{template}: template not found")
    check_word_package(template)  # before docxtpl unpacks anything
    try:
        document = _PreparedTemplate(template)
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
    return [(name, _one_paragraph_a_line(xml)) for name, xml in sources]


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


class _ShapeIds:
    """Drawing ids (wp:docPr/@id) for the charts of one rendering, above every id the template uses."""

    def __init__(self) -> None:
        self._next: int | None = None
        self.untouched = True  # no picture or chart was asked for

    def take(self, document: DocxTemplate) -> int:
        if self._next is None:
            self._next = max(_SHAPE_ID_BASE, document.docx.part.next_id)
        self._next += 1
        return self._next


# Far above the ids of a template's own drawings and bookmarks (numbered from 0 or 1).
_SHAPE_ID_BASE = 10000


def _inline_image(
    document: DocxTemplate, img: object, template: Path, when: dt.date, shapes: _ShapeIds
) -> InlineImage | WordChart:
    """The `image` filter: a context picture ({path, width_mm}) as a picture in the document, or a
    chart ({chart: its data}) as a native Word chart."""
    shapes.untouched = False
    if not isinstance(img, Mapping) or "path" not in img:
        raise TemplateError(
            f"{template}: the image filter takes a picture such as charts.attainment "
            f"(with path and width_mm), found {type(img).__name__}"
        )
    spec = img.get("chart")
    if isinstance(spec, ChartSpec):
        fonts = document_fonts(document.docx.styles.element)
        return WordChart(document, spec, fonts, when, shapes.take(document))
    path = Path(str(img["path"]))
    if not path.is_file():
        raise TemplateError(f"{template}: picture not found: {path}")
    width = img.get("width_mm")
    return InlineImage(document, str(path), width=Mm(float(width)) if width else None)
