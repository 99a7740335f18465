"""The yearly job around the commands: ipreport.toml, `init` folders and the statistics sheet to fill in.

May import: everything below it (plans, statistics, assessment, render, util);
never the CLI or ipreport.regions.
"""
