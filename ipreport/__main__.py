"""Entry point for `python -m ipreport`."""

from ipreport.cli import main

main(prog_name="ipreport")
