"""Reports rendered from a prepared Word template (render/report/prepared_docx.py): the reference
path's bytes, without python-docx or docxtpl."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Pt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_fixtures import sample_assessment, single_plan_assessment

from ipreport.render.report import docx as word
from ipreport.render.report import prepared_docx
from ipreport.render.report.chart_specs import chart_specs
from ipreport.render.report.context import build_context
from ipreport.util.resources import templates_dir

TEMPLATE = templates_dir() / "report.docx"
WHEN = dt.date(2023, 3, 1)
LATER = dt.date(2024, 11, 30)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache of this test's own, and nothing prepared or checked in this process before."""
    monkeypatch.setenv("IPREPORT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(word, "_CHECKED", {})
    monkeypatch.setattr(prepared_docx, "_MEMORY", {})
    monkeypatch.setattr(prepared_docx, "_DECLINED", set())
    return tmp_path / "cache"


def _forget(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process: only the disk remembers."""
    monkeypatch.setattr(word, "_CHECKED", {})
    monkeypatch.setattr(prepared_docx, "_MEMORY", {})
    monkeypatch.setattr(prepared_docx, "_DECLINED", set())


def _prepare(template: Path, context: dict[str, Any]) -> None:
    word.render_docx_bytes(context, template, when=WHEN)
    assert prepared_docx.lookup(template) is not None, "the template was not prepared"


def _same_as_reference(template: Path, context: dict[str, Any], when: dt.date) -> bytes:
    """The prepared rendering, checked against the reference path's bytes for the same inputs."""
    fast = prepared_docx.render(context, template, when)
    assert fast is not None, "the prepared path declined"
    reference = word.render_docx_bytes(context, template, when=when)
    if fast != reference:  # name the part that differs
        with zipfile.ZipFile(io.BytesIO(fast)) as a, zipfile.ZipFile(io.BytesIO(reference)) as b:
            differing = [n for n in b.namelist() if n not in a.namelist() or a.read(n) != b.read(n)]
        pytest.fail(f"the prepared path differs from the reference in {differing}")
    return fast


def _contexts() -> dict[str, dict[str, Any]]:
    return {
        "zh": build_context(sample_assessment(), written=WHEN),
        "en": build_context(sample_assessment(), lang="en", written=WHEN),
        "one plan": build_context(single_plan_assessment(), written=WHEN),
        "issuer and date": build_context(
            single_plan_assessment(), written=WHEN, issuer="某某市知识产权局", date=dt.date(2021, 2, 3)
        ),
    }


def test_the_bundled_template_renders_the_reference_bytes_for_other_contexts_and_dates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    contexts = _contexts()
    _prepare(TEMPLATE, contexts["zh"])
    _forget(monkeypatch)  # read from disk from here on
    for context in contexts.values():
        for when in (WHEN, LATER):
            _same_as_reference(TEMPLATE, context, when)


def _table_template(tmp_path: Path) -> Path:
    """A user's template: a header and footer with tags, a table grown by a column loop, cell
    shading, and a paragraph loop."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "{{ title }} 内部"
    document.sections[0].footer.paragraphs[0].text = "第 {{ year }} 年"
    document.add_paragraph("{{ title }}")
    table = document.add_table(rows=2, cols=2)
    table.style = document.styles["Table Grid"]
    table.cell(0, 0).text = "名称"
    table.cell(0, 1).text = "{%tc for c in columns %}"
    table.cell(1, 0).text = "{{ region }}"
    table.cell(1, 1).text = "{% cellbg 'FFFF00' %}{{ c }}{%tc endfor %}"
    tight = document.add_table(rows=1, cols=3)
    tight.cell(0, 0).text = "{{ note }}"
    document.add_paragraph("{%p for line in lines %}")
    looped = document.add_paragraph("{{ line }}")
    looped.runs[0].font.size = Pt(12)
    # The paragraph mark's own run properties, as Word writes them: docxtpl before 0.16.7 took these
    # for a run's when a value held a tab, and the prepared path would not have matched it.
    looped._p.get_or_add_pPr().append(docx.oxml.parse_xml(f"<w:rPr {docx.oxml.ns.nsdecls('w')}><w:b/></w:rPr>"))
    document.add_paragraph("{%p endfor %}")
    path = tmp_path / "mine.docx"
    document.save(str(path))
    return path


def _table_context(**values: Any) -> dict[str, Any]:
    context: dict[str, Any] = {"title": "报告", "year": 2023, "region": "吉林省", "note": "—",
                               "columns": ["2021", "2022", "2023"], "lines": ["一", "二"]}
    context.update(values)
    return context


def test_a_template_with_table_loops_headers_and_footers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template = _table_template(tmp_path)
    _prepare(template, _table_context())
    _forget(monkeypatch)
    _same_as_reference(template, _table_context(), LATER)
    _same_as_reference(template, _table_context(columns=["a", "b", "c", "d", "e"], lines=[]), WHEN)
    _same_as_reference(template, _table_context(columns=[]), WHEN)
    # tabs, line and page breaks in a value: docxtpl's listing step, repeated by the prepared path
    _same_as_reference(template, _table_context(lines=["甲\t乙", "第一行\n第二行", "分页\f之后", "a\ab"]), WHEN)
    _same_as_reference(template, _table_context(title="A & B <c>"), WHEN)


def test_a_template_edited_in_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled template as a user saves it after adding a paragraph and a table of their own."""
    document = docx.Document(str(TEMPLATE))
    document.add_paragraph("（内部资料）{{ title }}")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "{{ year }}"
    document.core_properties.author = "某某市知识产权局"
    path = tmp_path / "edited.docx"
    document.save(str(path))
    context = _contexts()["zh"]
    _prepare(path, context)
    _forget(monkeypatch)
    _same_as_reference(path, _contexts()["en"], LATER)


# Runs the CLI in this process's interpreter, then says which of the two libraries were imported.
_CLI_THEN_MODULES = (
    "import sys\n"
    "from ipreport.cli import main\n"
    "sys.argv = ['ipreport', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
    "print(sorted(m for m in ('docx', 'docxtpl') if m in sys.modules))\n"
)


def _run_twice(tmp_path: Path, *args: str) -> tuple[list[str], list[bytes]]:
    """``ipreport report ARGS -o …`` run twice with one cache: the libraries each run imported, and
    the two reports."""
    env = {**os.environ, "IPREPORT_CACHE_DIR": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "1700000000"}
    loaded, outputs = [], []
    for run in ("first", "second"):
        out = tmp_path / f"{run}.docx"
        command = [sys.executable, "-c", _CLI_THEN_MODULES, "report", *args, "-o", str(out)]
        done = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
        loaded.append(done.stdout.strip().splitlines()[-1])
        outputs.append(out.read_bytes())
    return loaded, outputs


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ("jilin-2016", "--stats", "examples/jilin/statistics.csv", "--no-charts"),
    ("jilin-2016", "--stats", "examples/jilin/statistics.csv", "--no-charts", "--lang", "en"),
    ("jilin-2022", "--stats", "examples/jilin/workpoints-2023.csv", "--no-charts"),
    ("qinghai-2017", "--stats", "examples/qinghai/statistics.csv", "--no-charts"),
    ("fuxin-2017", "--stats", "examples/fuxin/statistics.csv", "--narrative", "examples/fuxin/narrative.md",
     "--no-charts", "--issuer", "阜新市市场监督管理局", "--date", "2018-03-01"),
], ids=["jilin", "jilin-en", "jilin-2022", "qinghai", "fuxin"])
def test_the_examples_are_the_same_bytes_on_both_paths(args: tuple[str, ...], tmp_path: Path) -> None:
    """The first run renders the example the reference way and prepares the template; the second
    renders from the preparation, without python-docx or docxtpl, and writes the same bytes."""
    loaded, outputs = _run_twice(tmp_path, *args)
    assert loaded == ["['docx', 'docxtpl']", "[]"]
    assert outputs[0] == outputs[1]


@pytest.mark.slow
def test_with_charts_the_report_is_written_the_reference_way(tmp_path: Path) -> None:
    loaded, outputs = _run_twice(tmp_path, "jilin-2016", "--stats", "examples/jilin/statistics.csv")
    assert loaded == ["['docx', 'docxtpl']", "['docx', 'docxtpl']"]
    assert outputs[0] == outputs[1]


def test_charts_go_the_reference_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """Native Word charts need python-docx: the prepared path declines, nothing is prepared from a
    rendering that drew them, and the rest of the run goes the reference way at once."""
    assessment = sample_assessment()
    context = build_context(assessment, written=WHEN, charts=dict(chart_specs(assessment)))
    word.render_docx_bytes(context, TEMPLATE, when=WHEN)
    assert prepared_docx.lookup(TEMPLATE) is None
    assert prepared_docx.is_settled(prepared_docx.template_key(TEMPLATE))
    _forget(monkeypatch)
    _prepare(TEMPLATE, build_context(assessment, written=WHEN))
    _forget(monkeypatch)  # prepared on disk
    assert prepared_docx.render(context, TEMPLATE, WHEN) is None  # the charts' image filter declines
    assert prepared_docx.render(build_context(assessment, written=WHEN), TEMPLATE, WHEN) is None


def test_a_template_whose_properties_hold_tags_is_not_prepared(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "{{ title }}"
    document.add_paragraph("{{ title }}")
    path = tmp_path / "titled.docx"
    document.save(str(path))
    word.render_docx_bytes({"title": "报告"}, path, when=WHEN)
    assert prepared_docx.lookup(path) is None


def test_a_template_changed_after_it_was_prepared_is_not_rendered_from_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mine.docx"
    for text in ("旧的 {{ title }}", "新的 {{ title }}，改过"):
        document = docx.Document()
        document.add_paragraph(text)
        document.save(str(path))
        assert prepared_docx.render({"title": "报告"}, path, WHEN) is None  # not prepared yet
        _prepare(path, {"title": "报告"})
        _forget(monkeypatch)
    with zipfile.ZipFile(io.BytesIO(_same_as_reference(path, {"title": "报告"}, WHEN))) as package:
        assert "新的 报告，改过" in package.read("word/document.xml").decode("utf-8")


def test_errors_are_the_reference_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A context the template cannot render: the prepared path hands it back, and the reference says why."""
    template = _table_template(tmp_path)
    _prepare(template, _table_context())
    _forget(monkeypatch)
    bad = _table_context(columns=5)  # not a sequence
    assert prepared_docx.render(bad, template, WHEN) is None


def test_a_damaged_or_foreign_entry_is_not_used(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template = _table_template(tmp_path)
    _prepare(template, _table_context())
    (entry,) = (cache / "word-prepared").iterdir()
    whole = entry.read_bytes()
    middle = len(whole) // 2
    flipped = whole[:middle] + bytes([whole[middle] ^ 1]) + whole[middle + 1:]
    for damaged in (b"", b"\x00garbage", whole[:-40], flipped):
        entry.write_bytes(damaged)
        _forget(monkeypatch)
        assert prepared_docx.lookup(template) is None
    entry.write_bytes(b"")
    entry.unlink()
    _prepare(template, _table_context())
    if hasattr(os, "getuid"):
        entry.chmod(0o666)  # others may write to it: not trusted
        _forget(monkeypatch)
        assert prepared_docx.lookup(template) is None


def test_a_damaged_entry_is_replaced_by_the_next_preparation(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The damaged entry was kept (an entry's name says what it holds), so every later process
    # prepared the template again and could not keep the result.
    template = _table_template(tmp_path)
    _prepare(template, _table_context())
    (entry,) = (cache / "word-prepared").iterdir()
    entry.write_bytes(b"\x00garbage")
    _forget(monkeypatch)
    _prepare(template, _table_context())
    _forget(monkeypatch)
    assert prepared_docx.lookup(template) is not None


def test_a_preparation_not_kept_is_not_tried_again_in_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each report of a batch prepared such a template again: a second rendering of every report.
    template = _table_template(tmp_path)
    monkeypatch.setattr(prepared_docx, "render_prepared", lambda *args: b"not the reference")
    tried = []
    real = word._preparation
    monkeypatch.setattr(word, "_preparation", lambda document: tried.append(1) or real(document))
    first = word.render_docx_bytes(_table_context(), template, when=WHEN)
    assert word.render_docx_bytes(_table_context(), template, when=WHEN) == first
    assert len(tried) == 1 and prepared_docx.lookup(template) is None


def test_the_preparation_is_named_by_the_modules_that_shape_it() -> None:
    # A release changing the core properties or the zip's layout (util/reproducible.py) must not be
    # served the parts an older one prepared.
    package = Path(prepared_docx.__file__).resolve().parents[2]
    assert all((package / module).is_file() for module in prepared_docx._SHAPING_MODULES)
    assert "util/reproducible.py" in prepared_docx._SHAPING_MODULES


def test_the_cache_turned_off_still_prepares_for_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPREPORT_CACHE_DIR", "")
    template = _table_template(tmp_path)
    _prepare(template, _table_context())
    _same_as_reference(template, _table_context(lines=["三"]), WHEN)
    assert not (tmp_path / "cache").exists()


def test_a_template_with_its_own_pictures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A logo in the template is a part like any other; its drawings are numbered as docxtpl does."""
    logo = tmp_path / "logo.png"  # a 1 x 1 grey PNG
    logo.write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg=="
    ))
    document = docx.Document()
    document.add_paragraph("{{ title }}")
    document.add_picture(str(logo))
    document.add_paragraph("{%p for line in lines %}")
    document.add_paragraph("{{ line }}")
    document.add_paragraph("{%p endfor %}")
    document.add_picture(str(tmp_path / "logo.png"))
    path = tmp_path / "logo.docx"
    document.save(str(path))
    _prepare(path, _table_context())
    _forget(monkeypatch)
    data = _same_as_reference(path, _table_context(lines=["一", "二", "三"]), LATER)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode("utf-8")
        assert sorted(n for n in package.namelist() if n.startswith("word/media/")) == ["word/media/image1.png"]
    assert body.count('<wp:docPr id="1001"') == 1 and body.count('<wp:docPr id="1002"') == 1


_TEXTS = st.text(alphabet=st.sampled_from(["报", "告", "a", " ", "&", "<", ">", '"', "\t", "\n", "\a", "\f", "—"]),
                 max_size=12)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(columns=st.lists(_TEXTS, max_size=6), lines=st.lists(_TEXTS, max_size=4), title=_TEXTS, note=_TEXTS)
def test_any_values_give_the_reference_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: list[str], lines: list[str], title: str, note: str
) -> None:
    """Values with tabs, line and page breaks, XML's special characters or the dash of an empty cell,
    in a grown or shrunk table: the prepared path writes the reference's bytes."""
    template = tmp_path / "mine.docx"
    if not template.exists():
        _table_template(tmp_path)
        _prepare(template, _table_context())
    _same_as_reference(template, _table_context(columns=columns, lines=lines, title=title, note=note), WHEN)


def test_a_preparation_that_fails_leaves_the_report_as_the_reference_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = _table_template(tmp_path)
    with monkeypatch.context() as off:
        off.setenv("IPREPORT_CACHE_DIR", "")  # prepared in memory only, forgotten below
        expected = word.render_docx_bytes(_table_context(), template, when=WHEN)
    _forget(monkeypatch)

    def broken(*args: object) -> bytes:
        raise RuntimeError("a bug in the prepared path")

    monkeypatch.setattr(prepared_docx, "render_prepared", broken)
    assert word.render_docx_bytes(_table_context(), template, when=WHEN) == expected
    assert prepared_docx.lookup(template) is None  # not kept: it did not give the reference's bytes
    monkeypatch.setattr(word, "_taken_apart", broken)
    _forget(monkeypatch)
    assert word.render_docx_bytes(_table_context(), template, when=WHEN) == expected
