"""Command-line interface: parses options, calls one library function per command, prints.

Click lives here and nowhere else in the package. One module per command (gaps, report, check, ...);
app.py gathers them into the `ipreport` group; base.py, help.py, options.py and output.py hold what
they share. Heavy modules are imported inside the commands so that `ipreport --help` stays fast.
"""

from __future__ import annotations

from ipreport.cli.app import CLOSED_STDOUT, cli, main

__all__ = ["CLOSED_STDOUT", "cli", "main"]
