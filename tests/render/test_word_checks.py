"""Word template checks kept on disk (render/report/word_checks.py): the same bytes are not checked twice."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import docx
import pytest
from report_fixtures import sample_assessment

from ipreport.errors import TemplateError
from ipreport.render.report import docx as word
from ipreport.render.report import word_checks
from ipreport.render.report.context import build_context
from ipreport.util.resources import templates_dir

WHEN = dt.date(2023, 3, 1)
DOCS_HINT = "(see docs/templates.md for the variables a report template can use)"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IPREPORT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(word, "_CHECKED", {})  # nothing from earlier tests in this process
    return tmp_path / "cache" / "word-checks"


def _as_a_new_process(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Forget this process's checked template; count the checks that run from now on."""
    monkeypatch.setattr(word, "_CHECKED", {})
    ran: list[str] = []
    original_package, original_syntax = word.check_word_package, word._check_syntax
    monkeypatch.setattr(word, "check_word_package", lambda *a: ran.append("package") or original_package(*a))
    monkeypatch.setattr(word, "_check_syntax", lambda *a: ran.append("syntax") or original_syntax(*a))
    return ran


def _template(tmp_path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / "mine.docx"
    document.save(str(path))
    return path


def test_a_template_checked_once_is_not_checked_again_and_renders_the_same_bytes(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = build_context(sample_assessment(), written=WHEN)
    template = templates_dir() / "report.docx"
    first = word.render_docx_bytes(context, template, when=WHEN)
    assert len(list(cache.iterdir())) == 1
    ran = _as_a_new_process(monkeypatch)
    assert word.render_docx_bytes(context, template, when=WHEN) == first
    assert ran == []


def test_a_changed_template_is_checked_again(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template = _template(tmp_path, "{{ title }}")
    word.render_docx_bytes({"title": "一"}, template, when=WHEN)
    ran = _as_a_new_process(monkeypatch)
    template = _template(tmp_path, "{{ title }}", "{% for plan in plans %}", "{{ plan.title }")
    with pytest.raises(TemplateError) as caught:
        word.render_docx_bytes({"title": "一", "plans": []}, template, when=WHEN)
    assert str(caught.value) == f"{template}:4: template syntax error: unexpected '}}' in \"{{{{ plan.title }}\""
    assert ran == ["package", "syntax"]


def test_the_variables_found_before_are_still_checked_against_the_context(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = _template(tmp_path, "{{ titel }}")
    word.render_docx_bytes({"titel": "一"}, template, when=WHEN)
    _as_a_new_process(monkeypatch)
    with pytest.raises(TemplateError) as caught:
        word.render_docx_bytes({"title": "一"}, template, when=WHEN)
    assert str(caught.value) == (
        f"{template}: the template uses variables the report does not provide: titel (did you mean title?) "
        f"{DOCS_HINT}"
    )


def test_a_render_error_names_the_same_paragraph_with_the_checks_from_disk(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = _template(tmp_path, "{{ title }}", "{% for plan in plans %}{{ plan.titel }}{% endfor %}")
    messages = []
    for _ in range(2):
        with pytest.raises(TemplateError) as caught:
            word.render_docx_bytes({"title": "一", "plans": [{"title": "二"}]}, template, when=WHEN)
        messages.append(str(caught.value))
        _as_a_new_process(monkeypatch)
    assert len(list(cache.iterdir())) == 1
    assert messages == [
        f"{template}:3: 'dict object' has no attribute 'titel' {DOCS_HINT}"
        " in \"{% for plan in plans %}{{ plan.titel }}{% endfor %}\""
    ] * 2


def test_an_entry_others_may_write_to_is_not_trusted(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = _template(tmp_path, "{{ title }}")
    word.render_docx_bytes({"title": "一"}, template, when=WHEN)
    (entry,) = cache.iterdir()
    os.chmod(entry, 0o666)
    ran = _as_a_new_process(monkeypatch)
    word.render_docx_bytes({"title": "一"}, template, when=WHEN)
    assert ran == ["package", "syntax"]


def test_a_damaged_entry_is_checked_afresh(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template = _template(tmp_path, "{{ title }}")
    word.render_docx_bytes({"title": "一"}, template, when=WHEN)
    (entry,) = cache.iterdir()
    entry.write_bytes(b'{"used": 5}')
    assert word_checks.load(template.read_bytes()) is None
    ran = _as_a_new_process(monkeypatch)
    word.render_docx_bytes({"title": "一"}, template, when=WHEN)
    assert ran == ["package", "syntax"]


def test_no_entry_when_the_cache_is_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPREPORT_CACHE_DIR", "")
    monkeypatch.setattr(word, "_CHECKED", {})
    template = _template(tmp_path, "{{ title }}")
    word.render_docx_bytes({"title": "一"}, template, when=WHEN)
    assert word_checks.load(template.read_bytes()) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.docx"]


def test_an_edited_templates_old_entry_goes_once_unused_for_30_days(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ipreport.render.templating import code_cache

    monkeypatch.setattr(code_cache, "_PRUNED", set())  # as a new process
    word.render_docx_bytes({"title": "一"}, _template(tmp_path, "{{ title }}"), when=WHEN)
    (old,) = cache.iterdir()
    month_ago = time.time() - 31 * code_cache.DAY
    os.utime(old, (month_ago, month_ago))
    monkeypatch.setattr(code_cache, "_PRUNED", set())
    edited = _template(tmp_path, "{{ title }}。")
    word.render_docx_bytes({"title": "一"}, edited, when=WHEN)
    assert [p.name for p in cache.iterdir()] == [word_checks.entry_name(edited.read_bytes())]
