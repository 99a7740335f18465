"""Statistics files (CSV and .xlsx, long and wide layouts) read into model.Statistics.

May import: ipreport.errors, ipreport.model, ipreport.util. Never the assessment: readers only read.
"""
