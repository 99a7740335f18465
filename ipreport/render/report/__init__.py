"""The yearly report: context built from an assessment, wording, charts, and the .docx/.md/.html writers.

May import: what ipreport.render may, and ipreport.render itself.
"""
