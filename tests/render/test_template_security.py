"""User templates cannot escape the sandbox, reach other files or exhaust the machine (ipreport.render.templating.sandbox).

The payloads are the well-known Jinja2 server-side template injection probes (PayloadsAllTheThings,
"Server Side Template Injection - Jinja2"; PortSwigger's SSTI research), plus resource-exhaustion
one-liners. Each runs in a Markdown template and inside a Word template built on the fly.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import docx
import pytest
from cause import CAUSE, matches
from hypothesis import given, settings
from hypothesis import strategies as st
from report_fixtures import sample_assessment

from ipreport.errors import TemplateError
from ipreport.render.report.write import write_report
from ipreport.render.templating.env import make_environment, render_file
from ipreport.render.templating.sandbox import MAX_LOOP_STEPS, MAX_SIZE, MAX_WORK, size_of

WRITTEN = dt.date(2021, 3, 1)
NOT_ALLOWED = "not allowed in a report template: "
# Jinja's own words for a refused attribute are its business: the attribute must be named in them.
UNSAFE = NOT_ALLOWED + "{{cause}}'{}'{{cause}}"
TOO_LARGE = " (a report template may build at most 5,000,000 characters at once)"
MISSING = "the template uses variables the report does not provide: {} (see docs/templates.md for the " \
          "variables a report template can use)"

# (payload, message after "<template>:<line>: ", or None when the message carries no line)
PAYLOADS: list[tuple[str, str, bool]] = [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", UNSAFE.format("__class__", "str"), True),
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", UNSAFE.format("__init__", "type"), True),
    ("{{ joiner.__init__.__globals__.os }}", UNSAFE.format("__init__", "type"), True),
    ("{{ namespace.__init__.__globals__ }}", UNSAFE.format("__init__", "type"), True),
    ("{{ lipsum.__globals__['os'] }}", MISSING.format("lipsum"), False),
    ("{{ self._TemplateReference__context }}",
     UNSAFE.format("_TemplateReference__context", "TemplateReference"), True),
    ("{{ self.__init__.__globals__ }}", UNSAFE.format("__init__", "TemplateReference"), True),
    ("{{ request.application.__globals__ }}", MISSING.format("request"), False),
    ("{{ config.items() }}", MISSING.format("config"), False),
    ("{{ ''|attr('__class__') }}", UNSAFE.format("__class__", "str"), True),
    ("{{ title|attr('\\x5f\\x5fclass\\x5f\\x5f') }}", UNSAFE.format("__class__", "str"), True),
    ("{{ '{0.__class__}'.format(title) }}", UNSAFE.format("__class__", "str"), True),
    ("{{ '%s'|format(title.__class__) }}", UNSAFE.format("__class__", "str"), True),
    ("{{ plans[0].__class__ }}", UNSAFE.format("__class__", "dict"), True),
    ("{{ labels.items.__self__ }}", UNSAFE.format("__self__", "builtin_function_or_method"), True),
    ("{% import 'os' as os %}", "template not found: os", True),
    ("{% include '/etc/passwd' %}", "template not found: /etc/passwd", True),
    ("{% include '../secret.txt' %}", "template not found: ../secret.txt", True),
    ("{{ range(10**9)|list|length }}", "OverflowError: {cause}", True),
    ("{{ 'x' * 10**10 }}", NOT_ALLOWED + "repeating a value 10,000,000,000 times makes it too large" + TOO_LARGE,
     True),
    ("{{ [1] * 10**9 }}", NOT_ALLOWED + "repeating a value 1,000,000,000 times makes it too large" + TOO_LARGE,
     True),
    ("{{ 10**1000000 }}", NOT_ALLOWED + "the number 10**1000000 is too large", True),
    ("{{ 'x'.ljust(10**8) }}", NOT_ALLOWED + "the ljust width 100,000,000 is too large" + TOO_LARGE, True),
    ("{{ 'x'|center(10**8) }}",
     NOT_ALLOWED + "the center filter would make a text that is too large (width 100,000,000)" + TOO_LARGE, True),
    ("{{ '{0:>1000000000}'.format(1) }}",
     NOT_ALLOWED + "a format width of 1,000,000,000 is too large (at most 10,000)", True),
    ("{{ '%1000000000d'|format(1) }}",
     NOT_ALLOWED + "a format width of 1,000,000,000 is too large (at most 10,000)", True),
    ("{{ '%*d' % (10**8, 1) }}", NOT_ALLOWED + "a %-format width taken from the arguments (%*d) is not allowed",
     True),
    ("{{ ('x' * 4000000).replace('x', 'yy') }}",
     NOT_ALLOWED + "replace would make a text that is too large" + TOO_LARGE, True),
    ("{% set ns = namespace(s='xx') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
     NOT_ALLOWED + "a value is too large" + TOO_LARGE, True),
    ("{% set ns = namespace(x=10**3000) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}{% endfor %}",
     NOT_ALLOWED + "a product of about 19,932 bits is too large (at most 10,000)", True),
    ("{{ ('x' * 4000000)|wordwrap(1) }}",
     NOT_ALLOWED + "the wordwrap filter takes at most 100,000 characters, found 4,000,000", True),
    ("{{ ('a.b ' * 1000000)|urlize }}",
     NOT_ALLOWED + "the urlize filter takes at most 100,000 characters, found 4,000,000", True),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     NOT_ALLOWED + "the templates ran more than 1,000,000 loop steps", True),
    ("{% for a in range(1000) %}{% for b in range(1000) %}{{ 'x' * 1000 }}{% endfor %}{% endfor %}",
     NOT_ALLOWED + "the templates produced more than 100,000,000 characters in all", True),
    ("{% for p in plans recursive %}{{ loop(plans) }}{% endfor %}",
     "template syntax error: recursive loops are not allowed in report templates", True),
]
IDS = [payload[:40] for payload, _, _ in PAYLOADS]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    monkeypatch.chdir(work)
    return work


def _word_template(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def _refused(template: Path, out: Path) -> str:
    started = time.monotonic()
    with pytest.raises(TemplateError) as caught:
        write_report(sample_assessment(), out=out, template=template, charts=False, written=WRITTEN)
    assert time.monotonic() - started < 2
    assert not out.exists()
    assert [p.name for p in out.parent.iterdir() if p.suffix == ".part"] == []
    return str(caught.value)


@pytest.mark.parametrize(("payload", "message", "has_line"), PAYLOADS, ids=IDS)
def test_payload_in_a_markdown_template_is_refused(in_tmp: Path, payload: str, message: str,
                                                   has_line: bool) -> None:
    template = in_tmp / "t.md.j2"
    template.write_text(f"# {{{{ title }}}}\n{payload}\n", encoding="utf-8")
    where = "t.md.j2:2" if has_line else "t.md.j2"
    assert matches(f"{where}: {message}", _refused(template, in_tmp / "r.md"))


def _quoted(payload: str) -> str:
    """The paragraph quote docx_render appends: at most 60 characters."""
    return payload if len(payload) <= 60 else payload[:59] + "…"


@pytest.mark.parametrize(("payload", "message", "has_line"), PAYLOADS, ids=IDS)
def test_payload_in_a_word_template_is_refused(in_tmp: Path, payload: str, message: str,
                                               has_line: bool) -> None:
    template = _word_template(Path("t.docx"), "{{ title }}", payload)
    # Word rendering names a Python error it did not expect as such; the Markdown path does not.
    found = _refused(template, in_tmp / "r.docx").replace("cannot render the template: ", "")
    if not has_line:
        assert matches(f"{template}: {message}", found)
    elif message.startswith("template syntax error"):
        assert matches(f"{template}:3: {message} in \"{_quoted(payload)}\"", found)
    else:
        assert matches(f"{template}:3: {message}{CAUSE}", found)
        # The quote is the paragraph's XML text, where docx escaped & < > and docxtpl may tidy quotes.
        assert found.endswith('"') and ' in "' in found


def test_ordinary_template_arithmetic_and_formatting_still_work(tmp_path: Path) -> None:
    template = tmp_path / "t.md.j2"
    template.write_text(
        "{{ '{:,}'.format(240000000) }} {{ '%.1f'|format(3.14159) }} {{ 'ab' * 3 }} {{ [1, 2] + [3] }} "
        "{{ 2**10 }} {{ 'x'.ljust(5, '.') }} {{ ['a', 'b']|join('、') }}"
        "{% for i in range(3) %}{{ i }}{% endfor %} {{ 'a' ~ 'b' }}",
        encoding="utf-8",
    )
    assert render_file(template, {}) == "240,000,000 3.1 ababab [1, 2, 3] 1024 x.... a、b012 ab"


def test_a_template_may_include_files_from_its_own_folder(tmp_path: Path) -> None:
    (tmp_path / "part.md.j2").write_text("part {{ n }}", encoding="utf-8")
    template = tmp_path / "t.md.j2"
    template.write_text("{% include 'part.md.j2' %}", encoding="utf-8")
    assert render_file(template, {"n": 1}) == "part 1"


def test_a_symbolic_link_out_of_the_template_folder_is_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", folder / "link.txt")
    template = folder / "t.md.j2"
    template.write_text("x\n{% include 'link.txt' %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render_file(template, {})
    assert str(caught.value).endswith("t.md.j2:2: template not found: link.txt")


def test_a_symbolic_link_inside_the_folder_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("ok", encoding="utf-8")
    os.symlink(tmp_path / "real.txt", tmp_path / "link.txt")
    template = tmp_path / "t.md.j2"
    template.write_text("{% include 'link.txt' %}", encoding="utf-8")
    assert render_file(template, {}) == "ok"


def test_the_loop_budget_counts_across_renders_of_one_environment() -> None:
    env = make_environment()
    template = env.from_string("{% for i in range(100000) %}{% endfor %}")
    for _ in range(MAX_LOOP_STEPS // 100000):
        template.render()
    with pytest.raises(Exception, match="more than 1,000,000 loop steps"):
        template.render()


def test_limits_are_far_above_a_real_report(in_tmp: Path) -> None:
    out = write_report(sample_assessment(), out=in_tmp / "r.md", charts=False, written=WRITTEN)
    assert len(out.read_text(encoding="utf-8")) * 100 < MAX_SIZE < MAX_WORK


def test_size_of_counts_nested_values_and_stops_early() -> None:
    assert size_of("abc") == 3
    assert size_of(["ab", ("c", "de")]) == 2 + 2 + 2 + 1 + 2
    huge = ["x" * 1000] * 1000
    assert size_of([huge] * 1000, limit=10) < 3000


def _plain_size_of(value: object, limit: int) -> int:
    """sandbox.size_of as first written, without its shortcuts: the reference for them."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, list | tuple | set | frozenset | dict):
        total = len(value)
        items = value.items() if isinstance(value, dict) else value
        for item in items:
            if total > limit:
                break
            total += _plain_size_of(item, limit - total)
        return total
    return 1


_leaves = st.one_of(st.text(max_size=5), st.binary(max_size=3), st.integers(), st.floats(allow_nan=False),
                    st.none(), st.booleans(), st.decimals(allow_nan=False))
_values = st.recursive(
    _leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.tuples(inner, inner),
        st.dictionaries(st.one_of(st.text(max_size=3), st.integers()), inner, max_size=5),
        st.frozensets(st.one_of(st.text(max_size=3), st.integers()), max_size=4),
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(value=_values, limit=st.integers(0, 60))
def test_size_of_counts_as_the_plain_definition_does(value: object, limit: int) -> None:
    assert size_of(value, limit) == _plain_size_of(value, limit)
