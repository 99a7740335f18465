"""The method: statistics matched to targets (series), every target judged (engine), CI verdicts (check).

May import: ipreport.errors, ipreport.model, ipreport.util. Plans and statistics arrive as model objects.
"""
