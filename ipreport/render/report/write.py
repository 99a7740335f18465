"""The library entry the CLI calls to write the yearly report as .docx, Markdown or HTML."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path
from typing import Any

from ipreport.errors import OptionError
from ipreport.model import Assessment
from ipreport.render.report.context import build_context, default_title
from ipreport.render.report.fingerprint import refuse_edited, stamp_text
from ipreport.render.report.narrative import read_narrative
from ipreport.render.templating.env import render_file
from ipreport.util.atomic import atomic_path, check_output, temporary_folder
from ipreport.util.clock import report_date
from ipreport.util.resources import templates_dir

FORMATS = ("docx", "md", "html", "pdf")
SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
BUILT_IN = {"pdf": "report.docx", "docx": "report.docx", "md": "report.md.j2", "html": "report.html.j2"}
# What a Markdown or HTML template may be named: Jinja text, or text named for what it renders into.
TEXT_TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".md", ".markdown", ".html", ".htm", ".txt", ".tpl")
FORMAT_NAMES = {"pdf": "PDF", "docx": "Word (.docx)", "md": "Markdown", "html": "HTML"}
# Characters a file name cannot hold on Windows or POSIX; a title may contain them.
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')



def _format_of(path: Path) -> str | None:
    name = path.name.lower()
    for suffix in (".j2", ".jinja", ".jinja2"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return SUFFIXES.get(Path(name).suffix)


def choose_format(fmt: str | None, out: Path | None, template: Path | None) -> str:
    """--format if given, else the extension of -o, else the template's kind, else docx."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise OptionError("--format", f"expected one of {', '.join(FORMATS)}, found {fmt!r}")
        named = _format_of(out) if out is not None else None
        if out is not None and named is not None and named != fmt:
            # Markdown written into a .docx name opens in Word as a damaged file.
            raise OptionError(
                "--format", f'{fmt} does not match the name "{out.name}" ({FORMAT_NAMES[named]}); '
                "give one or make them match"
            )
        return fmt
    if out is not None:
        found = _format_of(out)
        if found is None:
            raise OptionError(
                "--output",
                f'cannot tell the format from "{out.name}": use a .docx, .pdf, .md or .html name, '
                "or give --format",
            )
        return found
    if template is not None and _format_of(template) is not None:
        return _format_of(template)  # type: ignore[return-value]
    return "docx"


def default_output(title: str, fmt: str) -> Path:
    """"<title>.<ext>" in the current folder, with characters no file name may hold replaced."""
    name = _UNSAFE_NAME.sub("_", title).strip(" .") or "report"
    return Path(f"{name}.{fmt}")


def _inputs(assessment: Assessment, template: Path | None) -> list[Path]:
    """Files the report was made from: an output must never overwrite one of them."""
    paths = [pa.plan.source for pa in assessment.plans if pa.plan.source is not None]
    if assessment.statistics is not None:
        paths.append(assessment.statistics)
    if template is not None:
        paths.append(template)
    return paths


# Formats whose charts are native Word charts (chart_specs, word_charts): Word or LibreOffice draws
# them, so they need neither matplotlib nor a Chinese font on this machine.
NATIVE_CHART_FORMATS = ("docx", "pdf")


def missing_charts_reason(lang: str = "zh", fmt: str = "md") -> str | None:
    """Why the charts of a ``fmt`` report cannot be drawn here (matplotlib or a CJK font missing for
    the pictures of Markdown and HTML), or None when they can.

    The report states it in its data notes; the CLI also tells the user as a warning.
    """
    if fmt in NATIVE_CHART_FORMATS:
        return None
    from ipreport.render.report.charts import charts_available

    available, reason = charts_available(lang)
    return None if available else reason


def _make_charts(
    assessment: Assessment, folder: Path, lang: str, fmt: str
) -> tuple[dict[str, Any], str | None]:
    """The charts: as data for Word's native charts, else drawn as pictures, or why there are none."""
    if fmt in NATIVE_CHART_FORMATS:
        from ipreport.render.report.chart_specs import chart_specs

        return dict(chart_specs(assessment, lang=lang)), None
    from ipreport.render.report.charts import render_charts

    reason = missing_charts_reason(lang, fmt)
    if reason is not None:
        return {}, reason
    return dict(render_charts(assessment, folder, lang=lang)), None


def _template_path(template: Path | None, fmt: str) -> Path:
    if template is None:
        return templates_dir() / BUILT_IN[fmt]
    if not template.is_file():
        raise OptionError("--template", f'"{template}" is not a file')
    check_template_kind(template, fmt)
    return template


def check_template_kind(template: Path, fmt: str) -> None:
    """Refuse a template that cannot make ``fmt``: Word needs a .docx, Markdown and HTML a text template.

    A template named for the other text format ("report.md.j2" for HTML) is refused too: it would
    write Markdown into an .html file.
    """
    name = template.name.lower()
    if fmt in ("docx", "pdf"):
        if not name.endswith(".docx"):
            found = template.suffix or name
            raise OptionError(
                "--template", f'"{template}": a Word report needs a .docx template, found "{found}"'
            )
        return
    if not name.endswith(TEXT_TEMPLATE_SUFFIXES):
        raise OptionError(
            "--template",
            f'"{template}": a {FORMAT_NAMES[fmt]} report needs a text template '
            f'({", ".join(TEXT_TEMPLATE_SUFFIXES)}), found "{template.suffix or name}"',
        )
    made = _format_of(template)
    if made is not None and made != fmt:
        raise OptionError(
            "--template",
            f'"{template}" is a {FORMAT_NAMES[made]} template, but the report is {FORMAT_NAMES[fmt]}'
        )


def write_report(
    assessment: Assessment,
    *,
    out: Path | None = None,
    fmt: str | None = None,
    template: Path | None = None,
    title: str | None = None,
    charts: bool = True,
    lang: str = "zh",
    written: dt.date | None = None,
    issuer: str | None = None,
    date: dt.date | None = None,
    narrative: Path | None = None,
    force: bool = False,
) -> Path:
    """Write the report and return its path; nothing is written unless the whole report renders.

    ``issuer`` and ``date`` are the 发文机关署名 and 成文日期 (default: the region's 知识产权局 and the
    date of writing); ``narrative`` the office's own text (see render/report/narrative.py). An existing
    file at the path is replaced only when it is an earlier report left as ipreport wrote it (see
    fingerprint.py), or with ``force``: staff edit the report in Word afterwards.
    """
    if lang not in ("zh", "en"):
        raise OptionError("--lang", f"expected zh or en, found {lang!r}")
    fmt = choose_format(fmt, out, template)
    template_path = _template_path(template, fmt)
    if title is None:
        regions = dict.fromkeys(pa.region for pa in assessment.plans)
        title = default_title(("、" if lang == "zh" else ", ").join(regions), assessment.year, lang)
    out = out if out is not None else default_output(title, fmt)
    inputs = _inputs(assessment, template)
    office_text = read_narrative(narrative) if narrative is not None else None
    if narrative is not None:
        inputs.append(narrative)
    if fmt == "pdf":
        from ipreport.render.report.pdf import INSTALL_HINT, office_program

        if office_program() is None:  # before any work: say what to install
            raise OptionError("--format", INSTALL_HINT)
    # A user's template folder is searched first, so it may also override the sentence templates.
    folders = [template_path.parent] if template is not None else []
    # The temporary file beside ``out`` exists for the whole run: an error or Ctrl-C anywhere removes
    # it and leaves an existing ``out`` as it was; only a finished report is renamed into place.
    with (
        atomic_path(out, inputs) as partial,
        # No charts, no folder for them: a batch of reports without charts made and removed one each.
        temporary_folder("ipreport-charts-") if charts else contextlib.nullcontext("") as scratch,
    ):
        images, note = _make_charts(assessment, Path(scratch), lang, fmt) if charts else ({}, None)
        context = build_context(
            assessment,
            lang=lang,
            title=title,
            charts=images,
            written=written,
            chart_note=note,
            template_dirs=folders,
            issuer=issuer,
            date=date,
            narrative=office_text,
        )
        if fmt == "docx":
            data = _render_docx(context, template_path, report_date(written))
        elif fmt == "pdf":
            from ipreport.render.report.pdf import docx_to_pdf

            data = docx_to_pdf(_render_docx(context, template_path, report_date(written)))
        else:
            data = stamp_text(render_file(template_path, context)).encode("utf-8")
        _write(partial, out, data)
        if not force:
            # Checked last, when every file the run reads (a template's includes too) is known: an
            # input named as the output is said as such, and a report edited meanwhile is caught.
            check_output(out, inputs)
            refuse_edited(out)
    return out


def _write(partial: Path, out: Path, data: bytes) -> None:
    try:
        partial.write_bytes(data)
    except OSError as exc:
        raise OptionError("--output", f'cannot write "{out}": {exc.strerror}') from exc


def _render_docx(context: dict[str, Any], template: Path, when: dt.date) -> bytes:
    from ipreport.render.report import prepared_docx

    # A template rendered before is rendered from its preparation, without python-docx; the same bytes.
    data = prepared_docx.render(context, template, when)
    if data is not None:
        return data
    from ipreport.render.report.docx import (
        render_docx_bytes,  # docxtpl is heavy: only load it when a template needs it
    )

    return render_docx_bytes(context, template, when=when)


def report_path_in(
    folder: Path,
    assessment: Assessment,
    *,
    fmt: str | None,
    template: Path | None,
    title: str | None,
    lang: str,
) -> Path:
    """Where `report --out-dir` writes: the name `report` gives by default, inside ``folder``."""
    from ipreport.render.report.context import default_title

    if title is None:
        regions = dict.fromkeys(plan.region for plan in assessment.plans)
        title = default_title(("、" if lang == "zh" else ", ").join(regions), assessment.year, lang)
    return folder / default_output(title, choose_format(fmt, None, template))
