"""The one place Jinja environments are made: sandboxed, strict, escaping for HTML/XML, user folder first."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import CodeType, TracebackType

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from ipreport.errors import InputError, TemplateError
from ipreport.render.templating import code_cache
from ipreport.render.templating.sandbox import ConfinedLoader, ReportSandbox
from ipreport.util.resources import templates_dir
from ipreport.util.visible import markdown_text, xml_safe

# Template names end in ".j2" (report.html.j2); the extension before it decides the escaping.
_ESCAPED_EXTENSIONS = (".html", ".htm", ".xml")
_TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2")
DOCS_HINT = "see docs/templates.md for the variables a report template can use"


def _escapes(name: str | None) -> bool:
    """Autoescape HTML and XML templates, whether or not their names end in .j2."""
    if name is None:
        return False
    lowered = name.lower()
    for suffix in _TEMPLATE_SUFFIXES:
        if lowered.endswith(suffix):
            lowered = lowered[: -len(suffix)]
            break
    return lowered.endswith(_ESCAPED_EXTENSIONS)


def md_cell(value: object) -> str:
    """Text safe inside a Markdown table cell: markup characters escaped (pipes too), line breaks folded."""
    return markdown_text(value)


def _is_markdown(name: str) -> bool:
    """Whether a template writes Markdown (report.md.j2, notes.markdown), by its name."""
    lowered = name.lower()
    for suffix in _TEMPLATE_SUFFIXES:
        lowered = lowered.removesuffix(suffix)
    return lowered.endswith((".md", ".markdown"))


def make_environment(
    folders: Iterable[Path] = (), *, autoescape: bool | Callable[[str | None], bool] | None = None
) -> SandboxedEnvironment:
    """A sandboxed, bounded, StrictUndefined environment that looks in ``folders`` first, then the built-ins.

    Includes and imports reach only files inside those folders (no absolute paths, no "..", no
    symbolic link leading out); see ipreport.render.templating.sandbox for the limits on size, loops and work.

    ``autoescape=None`` escapes by template name (HTML/XML on, text and Markdown off); docxtpl
    callers pass ``True`` because the Word XML must never receive a raw "&" or "<".
    """
    search = [str(folder) for folder in folders] + [str(templates_dir())]
    env = CompiledOnceSandbox(
        loader=ConfinedLoader(search),
        undefined=jinja2.StrictUndefined,
        autoescape=_escapes if autoescape is None else autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md_cell"] = md_cell
    return env


# Compiled template code, shared by the environments of one process: a run over every region writes
# hundreds of reports from the same wording templates and Word template parts, and compiling them
# (parse, sandbox guards, code generation) was most of the time of a report without charts.
_COMPILED: dict[tuple[object, ...], CodeType] = {}
_COMPILED_LIMIT = 256
# Every environment setting the generated code depends on (jinja2.lexer.get_lexer keys its lexers on
# the first twelve); two environments that agree on all of them compile a source to the same code.
_COMPILE_SETTINGS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
    "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
    "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline",
    "optimized", "is_async", "autoescape",
)


class CompiledOnceSandbox(ReportSandbox):
    """The report sandbox, reusing code compiled by any environment of this process with the same settings."""

    def compile(  # type: ignore[override]
        self,
        source: str | nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> str | CodeType:
        if raw or not isinstance(source, str):
            return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]
        key = (source, name, filename, defer_init, self.compile_settings())
        code = _COMPILED.get(key)
        if code is None:
            # Kept on disk too: a single report run compiles every template once (see code_cache).
            code = code_cache.load(key)
        if code is None:
            code = super().compile(source, name, filename, False, defer_init)
            code_cache.store(key, code)
        if key not in _COMPILED:
            if len(_COMPILED) >= _COMPILED_LIMIT:
                del _COMPILED[next(iter(_COMPILED))]  # the oldest
            _COMPILED[key] = code
        return code

    def compile_settings(self) -> tuple[object, ...]:
        """What decides the generated code besides the source: settings, extensions, filter and test names,
        and the finalize function (by its function: each environment binds its own method)."""
        return (
            *(getattr(self, setting) for setting in _COMPILE_SETTINGS),
            tuple(sorted(self.extensions)),
            getattr(self.finalize, "__func__", self.finalize),
            tuple(self.filters),
            tuple(self.tests),
        )


def _display(filename: str | None, name: str | None) -> str:
    """A template's file as the user knows it: relative to the working folder when inside it."""
    if not filename:
        return name or "<template>"
    path = Path(filename)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _template_line(tb: TracebackType | None, filename: str | None) -> int | None:
    """The template line an error was raised on: Jinja rewrites tracebacks to point into templates."""
    line = None
    while tb is not None:
        code_file = tb.tb_frame.f_code.co_filename
        if filename and os.path.abspath(code_file) == os.path.abspath(filename):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _message(exc: BaseException) -> str:
    if isinstance(exc, jinja2.sandbox.SecurityError):
        return f"not allowed in a report template: {exc}"
    if isinstance(exc, jinja2.UndefinedError):
        return f"{exc.message} ({DOCS_HINT})"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"template not found: {exc.name}"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"template syntax error: {exc.message}"
    if isinstance(exc, jinja2.TemplateError):
        return str(exc.message or exc)
    return f"{type(exc).__name__}: {exc}"


def template_error(exc: BaseException, template: jinja2.Template | None = None) -> TemplateError:
    """Any error raised loading or rendering a template, as a TemplateError naming file and line."""
    if isinstance(exc, TemplateError):
        return exc
    if isinstance(exc, jinja2.TemplateSyntaxError):
        # The broken file may be an included one, which the syntax error itself names.
        where = _display(exc.filename, exc.name)
        return TemplateError(f"{where}:{exc.lineno}: {_message(exc)}")
    filename = template.filename if template is not None else None
    name = template.name if template is not None else None
    line = _template_line(exc.__traceback__, filename)
    where = _display(filename, name)
    head = f"{where}:{line}" if line is not None else where
    return TemplateError(f"{head}: {_message(exc)}")


def load_template(env: jinja2.Environment, name: str) -> jinja2.Template:
    """Load a template by name from the environment's folders; errors become TemplateError."""
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"{name}: template not found in {_search_path(env)}") from exc
    except jinja2.TemplateError as exc:
        raise template_error(exc) from exc


def _search_path(env: jinja2.Environment) -> str:
    loader = env.loader
    if isinstance(loader, jinja2.FileSystemLoader):
        return ", ".join(str(p) for p in loader.searchpath)
    return "the template folders"


def render(template: jinja2.Template, context: Mapping[str, object]) -> str:
    """Render with every failure (unknown variable, sandbox violation, bad expression) as TemplateError."""
    try:
        return template.render(context)
    except TemplateError:
        raise
    except Exception as exc:  # a template is user code: any error it raises is the user's to fix
        raise template_error(exc, template) from exc


def _environment_names(env: jinja2.Environment) -> set[str]:
    return set(env.globals)


def undeclared_variables(
    source: str,
    context: Mapping[str, object],
    file: str | Path | None = None,
    env: jinja2.Environment | None = None,
) -> list[str]:
    """The top-level variables a template uses that neither the context nor Jinja provides, sorted."""
    env = env if env is not None else make_environment()
    return _missing(template_variables(source, file, env), context, env)


def template_variables(source: str, file: str | Path | None, env: jinja2.Environment) -> frozenset[str]:
    """The top-level variables a template's source uses (its syntax errors raise TemplateError)."""
    try:
        parsed = env.parse(source, filename=str(file) if file is not None else None)
    except jinja2.TemplateSyntaxError as exc:
        if file is not None:
            exc.filename = str(file)
        raise template_error(exc) from exc
    return frozenset(meta.find_undeclared_variables(parsed))


def _missing(used: frozenset[str], context: Mapping[str, object], env: jinja2.Environment) -> list[str]:
    return sorted(used - set(context) - _environment_names(env))


def check_variables(
    source: str,
    context: Mapping[str, object],
    file: str | Path,
    env: jinja2.Environment | None = None,
) -> None:
    """Raise TemplateError listing, by name, the variables ``file`` uses that the context lacks."""
    env = env if env is not None else make_environment()
    check_used_variables(template_variables(source, file, env), context, file, env)


def check_used_variables(
    used: frozenset[str], context: Mapping[str, object], file: str | Path, env: jinja2.Environment
) -> None:
    """``check_variables`` for a template whose variables (``template_variables``) are known already."""
    missing = _missing(used, context, env)
    if not missing:
        return
    known = sorted(context)
    described = []
    for name in missing:
        close = difflib.get_close_matches(name, known, n=1)
        described.append(f"{name} (did you mean {close[0]}?)" if close else name)
    raise TemplateError(
        f"{_display(str(file), None)}: the template uses variables the report does not provide: "
        f"{', '.join(described)} ({DOCS_HINT})"
    )


def render_file(
    path: Path, context: Mapping[str, object], *, extra_folders: Iterable[Path] = ()
) -> str:
    """Check then render the template at ``path``; its own folder is searched first for includes."""
    from ipreport.util.input_files import TEMPLATE_LIMIT, read_input

    env = make_environment([path.parent, *extra_folders])
    if _is_markdown(path.name) and isinstance(env, ReportSandbox):
        # Every printed value is text, not Markdown: a name holding <script> or [x](javascript:…)
        # stays text. The template's own Markdown is its source, not a value, and is untouched.
        env.escape_printed = markdown_text
    elif _escapes(path.name) and isinstance(env, ReportSandbox):
        env.escape_printed = xml_safe  # control characters XML forbids (and HTML does not want)
    try:
        source = read_input(path, TEMPLATE_LIMIT, "template").decode("utf-8")
    except InputError as exc:
        raise TemplateError(f"{path}: cannot read the template: {exc.problems[0].message}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path}: cannot read the template: {exc}") from exc
    check_variables(source, context, path, env)
    return render(load_template(env, path.name), context)
