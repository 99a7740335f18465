"""Jinja as the report uses it: a sandboxed environment with a bounded cost, and template lookup.

May import: ipreport.errors, ipreport.util.
"""
