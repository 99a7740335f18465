"""Renderers: gap tables, JSON/CSV exports, JUnit, plan views and the report. They take model.Assessment.

May import: ipreport.errors, ipreport.model, ipreport.util; never the assessment engine or the readers.
"""
