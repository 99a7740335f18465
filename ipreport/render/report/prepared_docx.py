"""A Word template prepared once, and reports rendered from it without python-docx or docxtpl.

The reference path (render/report/docx.py) opens the template with docxtpl: python-docx parses
every XML part of the package (styles.xml alone is a third of a megabyte), docxtpl rewrites the
parts' XML for Jinja with a few dozen regular expressions, renders them, and python-docx
serialises every part again. Importing the two libraries was a sixth of a single report, and
opening the package a large part of each report of a batch.

Most of that depends on the template's bytes alone. So, after the reference path has rendered a
template, it keeps what rendering needs (a ``Prepared``): the Jinja source of the body and of each
header and footer as docxtpl prepares them, the document part with its body left empty, the core
properties part as written, and every other part exactly as python-docx writes it. A later report
from the same template bytes renders those sources with the same sandboxed environment, then does
on strings and with bare lxml what docxtpl and ipreport do after rendering (the table grid fixed,
drawing ids renumbered, listing characters resolved, properties put in schema order, empty report
columns dropped, the report date in the core properties, the fingerprint, the normalised zip).

The output must be the reference's, byte for byte. A preparation is kept only after a rendering
from it gave the reference's bytes for the same context; a template whose rendering needs
python-docx (a picture or a native chart through the ``image`` filter, footnotes, document
properties holding Jinja tags) is not prepared, and any failure of a rendering from a preparation
hands the report back to the reference path, which renders it again and says what is wrong in
its own words. Preparations are kept in memory for the run and on disk beside the compiled
template code (render/templating/code_cache.py: the user's own files only, ``IPREPORT_CACHE_DIR=""``
turns it off), named by the hash of the template's bytes and of what shapes the output: the
versions of Python, Jinja, lxml, zlib, python-docx and docxtpl, and the text of the modules that
shape it (the two rendering modules, util/reproducible.py, render/templating/env.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import marshal
import re
import sys
import zlib
from pathlib import Path
from typing import Any

from ipreport.render.templating.code_cache import cache_root, dependency_stamp, read_entry, write_entry

_FORMAT = "2"  # bump when the entry's layout changes
# The modules whose text decides what a preparation holds and how it is rendered (paths in the
# package): the two rendering modules, the core properties and zip layout, and the checks' variables.
_SHAPING_MODULES = ("render/report/prepared_docx.py", "render/report/docx.py", "util/reproducible.py",
                    "render/templating/env.py")
# The libraries whose version decides the reference's bytes (found, not imported).
_REFERENCE_LIBRARIES = ("docx", "docxtpl")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
# The core properties part is kept as written with this in place of the report date (in created,
# modified and lastPrinted): python-docx writes a property it set to "" as <a></a>, which a parser
# reading the part again could not tell from <a/>, so the part is not parsed again.
DATE_MARK = b"IPREPORT-REPORT-DATE"
DATED_PROPERTIES = 3
# docxtpl's first drawing id: it numbers every wp:docPr of the body from the next one.
_FIRST_DRAWING_ID = 1000


class Prepared:
    """What rendering a checked Word template needs, taken from the reference path's rendering.

    A plain class rather than a dataclass: a dataclass's methods are generated and compiled at
    import, which every single report would pay.
    """

    __slots__ = ("body", "core", "document", "headers", "others", "packed", "shell", "used")

    def __init__(
        self, used: frozenset[str], body: str, shell: bytes, document: str,
        headers: tuple[tuple[str, str], ...], core: tuple[str, bytes], others: dict[str, bytes],
        packed: dict[str, tuple[int, bytes]] | None = None,
    ) -> None:
        self.used = used  # the variables the template uses (its checks)
        self.body = body  # the body's Jinja source, docxtpl-prepared, one paragraph a line
        self.shell = shell  # the document part with an empty body, to receive the rendered one
        self.document = document  # the document part's zip name
        self.headers = headers  # (zip name, Jinja source) of each header, then footer
        self.core = core  # the core properties' zip name and content, DATE_MARK for the date
        self.others = others  # every other part, as python-docx writes it
        # The other parts compressed as each report's zip holds them: (CRC-32, deflate stream).
        self.packed = packed if packed is not None else {}


class Declined(Exception):
    """The template or the context needs the reference path (a picture or a chart, say)."""


# ---------------------------------------------------------------------------- keeping preparations

# The preparation of the template in use, by (resolved path, modification time, size): one entry,
# a run uses one template.
_MEMORY: dict[tuple[str, int, int], Prepared] = {}
_STAMP: list[bytes] = []


def _stamp() -> bytes:
    if not _STAMP:
        import jinja2
        from lxml import etree

        # zlib's own version too: the other parts are kept as deflate streams it wrote.
        versions = (_FORMAT, sys.version, jinja2.__version__, str(etree.LXML_VERSION),
                    zlib.ZLIB_RUNTIME_VERSION)
        libraries = []
        for name in _REFERENCE_LIBRARIES:
            spec = importlib.util.find_spec(name)
            origin = spec.origin if spec is not None else None
            # Their __init__ modules carry their versions; a library not found stamps nothing.
            libraries.append(Path(origin).read_bytes() if origin else b"-")
        _STAMP.append(dependency_stamp(versions, _SHAPING_MODULES, libraries))
    return _STAMP[0]


def _folder() -> Path | None:
    root = cache_root()
    return root / "word-prepared" if root is not None else None


def entry_name(template: bytes) -> str:
    return hashlib.sha256(_stamp() + template).hexdigest()


def template_key(template: Path) -> tuple[str, int, int] | None:
    """The template as a run knows it (resolved path, modification time, size), or None if unreadable."""
    try:
        status = template.stat()
    except OSError:
        return None
    return (str(template.resolve()), status.st_mtime_ns, status.st_size)


def _encode(prepared: Prepared) -> bytes:
    payload = marshal.dumps((
        _FORMAT, sorted(prepared.used), prepared.body, prepared.shell, prepared.document,
        [list(pair) for pair in prepared.headers], list(prepared.core), prepared.others, prepared.packed,
    ))
    # Led by its own hash: an entry damaged on disk must not make a damaged report.
    return hashlib.sha256(payload).digest() + payload


def _streams(packed: object, others: dict[str, bytes]) -> dict[str, tuple[int, bytes]] | None:
    """The compressed parts of an entry, or None if they are not laid out as _encode writes them."""
    if not isinstance(packed, dict):
        return None
    for name, item in packed.items():
        if not (name in others and isinstance(item, tuple) and len(item) == 2
                and isinstance(item[0], int) and isinstance(item[1], bytes)):
            return None
    return packed


def _decode(data: bytes) -> Prepared | None:
    """A preparation from an entry's bytes; None for anything not laid out as _encode writes it."""
    digest, payload = data[:32], data[32:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        fields = marshal.loads(payload)
        form, used, body, shell, document, headers, core, others, packed = fields
        pairs = [(name, source) for name, source in headers]
        core_name, core_data = core
    except (ValueError, EOFError, TypeError):
        return None
    texts = [body, document, core_name, *used, *(item for pair in pairs for item in pair)]
    if (form != _FORMAT or not all(isinstance(text, str) for text in texts)
            or not isinstance(shell, bytes) or not isinstance(core_data, bytes)
            or not isinstance(others, dict)
            or not all(isinstance(k, str) and isinstance(v, bytes) for k, v in others.items())):
        return None
    streams = _streams(packed, others)
    if streams is None:
        return None
    core_part = (core_name, core_data)
    return Prepared(frozenset(used), body, shell, document, tuple(pairs), core_part, others, streams)


def lookup(template: Path) -> Prepared | None:
    """The preparation of this template (its bytes as they are now), from memory or disk; else None."""
    key = template_key(template)
    if key is None:
        return None
    prepared = _MEMORY.get(key)
    if prepared is not None:
        return prepared
    folder = _folder()
    if folder is None:
        return None
    try:
        data = template.read_bytes()
    except OSError:
        return None
    entry = read_entry(folder, entry_name(data))
    prepared = _decode(entry) if entry is not None else None
    if prepared is not None and key == template_key(template):  # unchanged while it was read
        _MEMORY.clear()
        _MEMORY[key] = prepared
    return prepared


# Templates this process found it cannot render from a preparation (a picture or a chart asked for):
# a run renders one template with one set of options, so the rest of its reports go the reference
# way at once instead of starting on this path or preparing again.
_DECLINED: set[tuple[str, int, int]] = set()


def is_settled(key: tuple[str, int, int] | None) -> bool:
    """Whether this template is prepared already, or known to need the reference path, in this run."""
    return key is not None and (key in _MEMORY or key in _DECLINED)


def decline(key: tuple[str, int, int] | None) -> None:
    if key is not None:
        _DECLINED.add(key)


def keep(
    template: Path, key: tuple[str, int, int] | None, data: bytes, prepared: Prepared,
    context: dict[str, Any], when: dt.date, expected: bytes,
) -> bool:
    """Keep ``prepared`` (made from the template bytes ``data``) if rendering ``context`` from it
    gives ``expected``, the reference path's bytes, and say whether it was kept; if not, the template
    stays on that path."""
    from ipreport.util.reproducible import deflated

    prepared.packed = {name: (zlib.crc32(part), deflated(part)) for name, part in prepared.others.items()}
    try:
        same = render_prepared(prepared, context, template, when) == expected
    except Exception:  # noqa: BLE001 - whatever fails here, the template stays on the reference path
        same = False
    if not same or key is None or key != template_key(template):
        return False
    _MEMORY.clear()
    _MEMORY[key] = prepared
    folder = _folder()
    if folder is not None:
        write_entry(folder, entry_name(data), _encode(prepared), replace=True)
    return True


# ---------------------------------------------------------------------------- rendering

def render(context: dict[str, Any], template: Path, when: dt.date) -> bytes | None:
    """The report from the template's preparation, or None when there is none or the reference path
    must render it (it then also says what is wrong, if anything is)."""
    from ipreport.util.input_files import check_regular

    key = template_key(template)
    if key in _DECLINED:
        return None
    prepared = lookup(template)
    if prepared is None:
        return None
    try:
        check_regular(template)  # as the reference path does: remembered as an input of the run
        return render_prepared(prepared, context, template, when)
    except Declined:
        decline(key)
        return None
    except Exception:  # noqa: BLE001 - the reference path renders it again and words any error
        return None


def _refuse_image(_value: object) -> object:
    raise Declined("pictures and charts are drawn by python-docx")


def render_prepared(prepared: Prepared, context: dict[str, Any], template: Path, when: dt.date) -> bytes:
    """The .docx bytes docx.render_docx_bytes writes, from a preparation."""
    from lxml import etree

    from ipreport.render.report.docx_tables import drop_empty_columns
    from ipreport.render.report.fingerprint import stamp_docx_parts
    from ipreport.render.report.wml_order import reorder_properties
    from ipreport.render.templating.env import check_used_variables, make_environment
    from ipreport.util.reproducible import normalized_zip

    env = make_environment([template.parent], autoescape=True)
    env.filters["image"] = _refuse_image
    check_used_variables(prepared.used, context, template, env)
    # As docxtpl: the body parsed forgivingly, its table grids fitted to the rendered rows, its
    # drawings numbered afresh, then put in place of the document's body.
    body = etree.fromstring(_render_part(env, prepared.body, context), etree.XMLParser(recover=True))
    _fit_table_grids(body)
    for number, drawing in enumerate(body.iter(f"{{{WP}}}docPr"), start=_FIRST_DRAWING_ID + 1):
        drawing.attrib["id"] = str(number)
    document = etree.fromstring(prepared.shell, _part_parser())
    document.replace(document.find(f"{{{W}}}body"), body)
    reorder_properties(document)
    drop_empty_columns(document)
    parts = dict(prepared.others)
    parts[prepared.document] = _serialized(document)
    for name, source in prepared.headers:
        rendered = _render_part(env, source, context).encode("utf-8")
        parts[name] = _serialized(etree.fromstring(rendered, _part_parser()))
    core_name, core = prepared.core
    parts[core_name] = _dated_core(core, when)
    stamped = stamp_docx_parts(parts)
    # The parts the fingerprint left as they were are in the zip as compressed before.
    packed = {name: prepared.packed[name] for name, data in stamped.items()
              if name in prepared.packed and data is prepared.others[name]}
    return normalized_zip(stamped, when, packed)


def _part_parser() -> Any:
    """The parser python-docx reads parts with (lxml's, with its settings)."""
    from lxml import etree

    return etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def _serialized(element: Any) -> bytes:
    """A part's XML as python-docx writes it."""
    from lxml import etree

    return etree.tostring(element, encoding="UTF-8", standalone=True)  # type: ignore[no-any-return]


def _dated_core(core: bytes, when: dt.date) -> bytes:
    """The core properties as written, with the report date in the places left for it."""
    text = dt.datetime(when.year, when.month, when.day).strftime("%Y-%m-%dT%H:%M:%SZ")
    return core.replace(DATE_MARK, text.encode("ascii"))


# docxtpl leaves a part's paragraphs one a line for Jinja, and escaped tag characters as {_{ and %_}.
_PARAGRAPH_LINE = re.compile(r"\n<w:p([ >])")
_ESCAPED_TAGS = (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))


def _render_part(env: Any, source: str, context: dict[str, Any]) -> str:
    xml = env.from_string(source).render(context)
    xml = _PARAGRAPH_LINE.sub(r"<w:p\1", xml)
    for escaped, tag in _ESCAPED_TAGS:
        xml = xml.replace(escaped, tag)
    return _resolve_listing(xml)


# ---------------------------------------------------------------------------- docxtpl's after-steps

_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.S)
_RUN = re.compile(r"<w:r(?: [^>]*)?>.*?</w:r>", re.S)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>.*?</w:t>", re.S)
_PARAGRAPH_PROPERTIES = re.compile(r"<w:pPr>.*?</w:pPr>")
_RUN_PROPERTIES = re.compile(r"<w:rPr>.*?</w:rPr>")


def _resolve_listing(xml: str) -> str:
    """docxtpl's listing step: a tab, \\a (new paragraph), a line break or \\f (page break) inside a
    text becomes Word's element for it, in the run's and paragraph's formatting."""
    if not _listing_in_text(xml):
        return xml  # the usual case: the step changes nothing

    def paragraph(found: re.Match[str]) -> str:
        whole = found.group(0)
        if not _has_listing(whole):
            return whole  # nothing to replace in it: most paragraphs, skipped for speed
        properties = _PARAGRAPH_PROPERTIES.search(whole)
        p_pr = properties.group(0) if properties else ""
        return _RUN.sub(lambda run: _listing_run(run.group(0), p_pr), whole)

    return _PARAGRAPH.sub(paragraph, xml)


# A text's start or end, or a listing character: scanned in order, a character seen after a start
# and before the next end may lie in a text that the step rewrites.
_TEXT_MARKS = re.compile(r"<w:t[ >]|</w:t>|[\t\a\n\f]")


def _listing_in_text(xml: str) -> bool:
    """Whether a listing character may lie in a <w:t> (its opening tag included): the step changes
    nothing else. Line breaks between tags, left by Jinja's block lines, are common and stay."""
    inside = False
    for mark in _TEXT_MARKS.finditer(xml):
        token = mark.group(0)
        if token.startswith("<w:t"):
            inside = True
        elif token == "</w:t>":
            inside = False
        elif inside:
            return True
    return False


def _has_listing(xml: str) -> bool:
    return "\n" in xml or "\t" in xml or "\a" in xml or "\f" in xml


def _listing_run(run: str, p_pr: str) -> str:
    if not _has_listing(run):
        return run
    properties = _RUN_PROPERTIES.search(run)
    r_pr = properties.group(0) if properties else ""
    text_start = '<w:t xml:space="preserve">'

    def text(found: re.Match[str]) -> str:
        value = found.group(0)
        value = value.replace("\t", f"</w:t></w:r><w:r>{r_pr}<w:tab/></w:r><w:r>{r_pr}{text_start}")
        value = value.replace("\a", f"</w:t></w:r></w:p><w:p>{p_pr}<w:r>{r_pr}{text_start}")
        value = value.replace("\n", f"</w:t><w:br/>{text_start}")
        page_break = '</w:t></w:r></w:p><w:p><w:r><w:br w:type="page"/></w:r></w:p>'
        return value.replace("\f", f"{page_break}<w:p>{p_pr}<w:r>{r_pr}{text_start}")

    return _TEXT.sub(text, run)


def _fit_table_grids(body: Any) -> None:
    """docxtpl's table fix: a grid (w:tblGrid) widened to the most cells of a row, its width kept,
    then narrowed to the most grid columns a row spans, the freed width shared out.

    A loop over cells ({%tc for %}) gives rows more cells than the template's grid had columns.
    """
    ns = "{" + body.nsmap["w"] + "}"
    width_name, column_name = ns + "w", ns + "gridCol"
    for table in body.iter(ns + "tbl"):
        grid = table.find(ns + "tblGrid")
        columns = grid.findall(column_name)
        rows = list(table.iter(ns + "tr"))
        missing = max([0, *(len(row.findall(ns + "tc")) - len(columns) for row in rows)])
        if missing > 0:
            total = sum(float(column.get(width_name)) for column in columns
                        if column.get(width_name) is not None)
            if total > 0:
                before, after = total / len(columns), total / (len(columns) + missing)
                for column in columns:
                    column.set(width_name, str(int(float(column.get(width_name)) * after / before)))
                for _ in range(missing):
                    _sub_element(grid, column_name, {width_name: str(int(after))})
        columns = grid.findall(column_name)
        spanned = max([0, *(sum(_span(cell, ns) for cell in row.findall(ns + "tc")) for row in rows)])
        extra = len(columns) - spanned
        if extra > 0:
            freed = 0.0
            for column in columns[-extra:]:
                freed += float(column.get(width_name))
                grid.remove(column)
            left = grid.findall(column_name)
            share = int(freed / len(left)) if left else 0
            for column in left:
                column.set(width_name, str(int(float(column.get(width_name)) + share)))


def _span(cell: Any, ns: str) -> int:
    properties = cell.find(ns + "tcPr")
    span = None if properties is None else properties.find(ns + "gridSpan")
    return int(span.get(ns + "val")) if span is not None else 1


def _sub_element(parent: Any, tag: str, attributes: dict[str, str]) -> Any:
    from lxml import etree

    return etree.SubElement(parent, tag, attributes)
