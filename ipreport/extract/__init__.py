"""Drafting a plan file from a policy document (.txt or .docx): blocks, header, rules, walker, TOML writer.

May import: ipreport.errors, ipreport.model, ipreport.util.
"""
