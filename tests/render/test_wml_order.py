"""Word compatibility: property elements in the order the ECMA-376 schema (wml.xsd) gives them.

LibreOffice reads property children in any order, Word does not: a <w:tblLayout> before <w:tblW>,
or a <w:shd> before <w:tcW>, makes Word "repair" the document or refuse it. So a LibreOffice render
proves nothing here; this test reads the XML itself, in the template and in rendered reports.
"""

from __future__ import annotations

import datetime as dt

import pytest
from report_fixtures import sample_assessment, single_plan_assessment
from wml_schema import W, order_problems, package_problems

from ipreport.render.report.context import build_context
from ipreport.render.report.docx import render_docx_bytes
from ipreport.util.resources import templates_dir


def test_the_checker_finds_what_word_refuses() -> None:
    """The two faults Word users saw: a table layout before the width (and twice), shading before tcW."""
    xml = (
        f'<w:document xmlns:w="{W}"><w:body><w:tbl><w:tblPr><w:tblLayout w:type="fixed"/><w:tblW w:w="0"/>'
        '<w:tblLayout w:type="fixed"/></w:tblPr><w:tr><w:tc><w:tcPr><w:shd w:fill="FFFFFF"/><w:tcW w:w="1"/>'
        "</w:tcPr></w:tc></w:tr></w:tbl></w:body></w:document>"
    ).encode()
    assert order_problems("word/document.xml", xml) == [
        "word/document.xml: <w:tblPr> at line 1: <w:tblW> after <w:tblLayout>",
        "word/document.xml: <w:tblPr> at line 1: <w:tblLayout> twice",
        "word/document.xml: <w:tcPr> at line 1: <w:tcW> after <w:shd>",
    ]


def test_the_template_keeps_schema_order() -> None:
    assert package_problems((templates_dir() / "report.docx").read_bytes()) == []


@pytest.mark.parametrize("assessment", [sample_assessment, single_plan_assessment], ids=["two-plans", "one"])
def test_rendered_reports_keep_schema_order(assessment: object) -> None:
    context = build_context(assessment(), written=dt.date(2023, 3, 1))  # type: ignore[operator]
    data = render_docx_bytes(context, templates_dir() / "report.docx", when=dt.date(2023, 3, 1))
    assert package_problems(data) == []

