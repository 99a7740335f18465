"""Plan files: TOML read with line numbers, checked against the schema, built into model.Plan.

May import: ipreport.errors, ipreport.model, ipreport.util.
"""
