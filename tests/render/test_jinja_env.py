"""The sandboxed, strict Jinja environment and its error messages."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from ipreport.errors import TemplateError
from ipreport.render.templating.env import (
    CompiledOnceSandbox,
    check_variables,
    make_environment,
    md_cell,
    render_file,
    undeclared_variables,
)


def _template(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path, context: dict[str, object]) -> str:
    with pytest.raises(TemplateError) as caught:
        render_file(path, context)
    return str(caught.value)


def test_html_templates_are_escaped_and_markdown_escapes_its_markup(tmp_path: Path) -> None:
    data = {"t": "A&B <b> ]]>", "n": 2021}
    html = _template(tmp_path, "r.html.j2", "<p>{{ t }}</p>")
    md = _template(tmp_path, "r.md.j2", "**{{ t }}** {{ n }} {{ t | md_cell }}")
    assert render_file(html, data) == "<p>A&amp;B &lt;b&gt; ]]&gt;</p>"
    # The template's own Markdown stays; a value is text (escaped once, md_cell or not).
    assert render_file(md, data) == "**A\\&B \\<b\\> \\]\\]\\>** 2021 A\\&B \\<b\\> \\]\\]\\>"


def test_autoescape_can_be_forced_for_word_xml() -> None:
    env = make_environment(autoescape=True)
    assert env.from_string("{{ t }}").render(t="R&D <1>") == "R&amp;D &lt;1&gt;"


def test_md_cell_escapes_pipes_and_folds_lines() -> None:
    assert md_cell("a|b\nc") == "a\\|b c"
    assert md_cell("[x](javascript:alert(1)) <img onerror=x>") == "\\[x\\](javascript:alert(1)) \\<img onerror=x\\>"


def test_user_folder_is_searched_before_the_built_in_templates(tmp_path: Path) -> None:
    (tmp_path / "sentences" / "zh").mkdir(parents=True)
    _template(tmp_path / "sentences" / "zh", "method.j2", "mine")
    env = make_environment([tmp_path])
    assert env.get_template("sentences/zh/method.j2").render() == "mine"
    assert "R" in make_environment().get_template("sentences/zh/method.j2").render(
        ahead="1", on_track="0.95", accelerate="0.6", behind="0"
    )


def test_a_typo_in_a_top_level_variable_is_named_with_a_suggestion(tmp_path: Path) -> None:
    path = _template(tmp_path, "r.md.j2", "# {{ titel }}\n{{ region }}\n")
    message = _error(path, {"title": "T", "region": "吉林省"})
    assert message == (
        f"{path}: the template uses variables the report does not provide: titel (did you mean title?) "
        "(see docs/templates.md for the variables a report template can use)"
    )


def test_a_typo_in_an_attribute_names_the_line(tmp_path: Path) -> None:
    path = _template(tmp_path, "r.md.j2", "a\nb\n{{ row.nmae }}\n")
    message = _error(path, {"row": {"name": "x"}})
    assert message == (
        f"{path}:3: 'dict object' has no attribute 'nmae' "
        "(see docs/templates.md for the variables a report template can use)"
    )


def test_a_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = _template(tmp_path, "r.html.j2", "<p>\n{% if %}\n")
    assert _error(path, {}) == f"{path}:2: template syntax error: Expected an expression, got 'end of statement block'"


def test_a_syntax_error_in_an_included_file_names_that_file(tmp_path: Path) -> None:
    _template(tmp_path, "part.md.j2", "ok\n{{ x }\n")
    path = _template(tmp_path, "r.md.j2", "{% include 'part.md.j2' %}\n")
    message = _error(path, {"x": 1})
    assert message.startswith(f"{tmp_path / 'part.md.j2'}:2: template syntax error: ")


@pytest.mark.parametrize(
    ("source", "detail"),
    [
        ("{{ ''.__class__.__mro__ }}", "__class__"),
        ("{{ cycler.__init__.__globals__ }}", "__init__"),
        ("{{ title.__class__ }}", "__class__"),
    ],
)
def test_reaching_for_python_internals_is_refused(tmp_path: Path, source: str, detail: str) -> None:
    path = _template(tmp_path, "r.md.j2", "line one\n" + source + "\n")
    # Jinja words the refusal itself; ipreport's part is asserted, and that the attribute is named.
    message = _error(path, {"title": "T"})
    assert message.startswith(f"{path}:2: not allowed in a report template: ") and f"'{detail}'" in message


def test_a_failing_expression_becomes_a_template_error(tmp_path: Path) -> None:
    path = _template(tmp_path, "r.md.j2", "{{ 1 // 0 }}\n")
    assert _error(path, {}) == f"{path}:1: ZeroDivisionError: integer division or modulo by zero"


def test_undeclared_variables_ignores_jinja_globals_and_names_set_in_the_template() -> None:
    source = "{% set x = 1 %}{{ x }}{{ range(2) | list }}{{ cycler }}{{ title }}{{ missing }}{{ also }}"
    assert undeclared_variables(source, {"title": "T"}) == ["also", "missing"]


def test_check_variables_passes_a_complete_context() -> None:
    check_variables("{{ a }}{% for r in rows %}{{ r.x }}{% endfor %}", {"a": 1, "rows": []}, "t.md.j2")


def test_undeclared_variables_reports_a_syntax_error_with_the_file() -> None:
    with pytest.raises(TemplateError) as caught:
        undeclared_variables("{{ a", {}, "mine.md.j2")
    assert str(caught.value).startswith("mine.md.j2:1: template syntax error: ")


def test_a_missing_template_file_is_a_template_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        render_file(tmp_path / "none.md.j2", {})
    assert str(caught.value).startswith(f"{tmp_path / 'none.md.j2'}: cannot read the template: ")


def test_environments_of_one_process_compile_a_source_once_per_escaping() -> None:
    # Hundreds of reports of one run (--each-region) reuse the compiled wording templates.
    source = "{{ a }}<{{ b }}>"
    plain, again, escaping = make_environment(), make_environment(), make_environment(autoescape=True)
    assert plain.compile(source) is again.compile(source)
    assert escaping.compile(source) is not plain.compile(source)
    assert plain.from_string(source).render(a="&", b=1) == "&<1>"
    assert again.from_string(source).render(a="&", b=1) == "&<1>"
    assert escaping.from_string(source).render(a="&", b=1) == "&amp;<1>"
    assert plain.compile(source, raw=True) == again.compile(source, raw=True)  # raw source: not cached


@pytest.mark.parametrize(
    "settings",
    [{"trim_blocks": False}, {"lstrip_blocks": False}, {"block_start_string": "<%", "block_end_string": "%>"}],
)
def test_compiled_code_is_reused_only_under_the_same_settings(settings: dict[str, object]) -> None:
    # The same source under other lexer settings is other code: a cache keyed without them would
    # hand the second environment the first one's output.
    source = "  {% if true %}\nyes\n  {% endif %}\n"
    common: dict[str, object] = {"trim_blocks": True, "lstrip_blocks": True}
    first = CompiledOnceSandbox(**common).from_string(source).render()
    second = CompiledOnceSandbox(**{**common, **settings}).from_string(source).render()
    reference = jinja2.Environment(**{**common, **settings}).from_string(source).render()
    assert first == "yes\n"
    assert second == reference != first
