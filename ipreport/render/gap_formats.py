"""The gap table in any of its formats: one entry for `gaps` and for each region of `gaps --each-region`."""

from __future__ import annotations

from ipreport.model import Assessment

FORMATS = ("table", "json", "csv", "markdown")


def render_gaps(assessment: Assessment, fmt: str, *, lang: str, color: bool = False, width: int = 80) -> str:
    """The gap table in one of FORMATS."""
    if fmt == "json":
        from ipreport.render.exports import to_json

        return to_json(assessment, lang=lang)
    if fmt == "csv":
        from ipreport.render.exports import to_csv

        return to_csv(assessment, lang=lang)
    from ipreport.render.table import render_markdown, render_table

    if fmt == "markdown":
        return render_markdown(assessment, lang=lang)
    return render_table(assessment, lang=lang, color=color, width=width)
