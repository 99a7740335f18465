"""Helpers with no knowledge of plans or reports: safe writes, clocks, numbers, units, decodings, resources.

May import: ipreport.errors only.
"""
