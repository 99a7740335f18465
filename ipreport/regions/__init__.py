"""Runs over every region of a statistics file: per-region tables and reports, shared among worker processes.

May import: ipreport.inputs and everything below it; never the CLI or ipreport.api.
"""
