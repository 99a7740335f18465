"""`ipreport extract`: a draft plan file from a policy document."""

from __future__ import annotations

import re
from pathlib import Path

import click

from ipreport.cli.base import IpreportCommand
from ipreport.errors import OptionError
from ipreport.util.i18n import tr, translate_message


@click.command(cls=IpreportCommand)
@click.argument("document", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output", type=click.Path(), default=None,
              help="Plan file to write (default: print the draft).")
@click.option("--region", default=None, help="Region of the plan (default: read from the document).")
@click.option("--id", "plan_id", default=None, help="Plan id, [a-z0-9-]+ (default: from the document).")
@click.option("--encoding", default=None, help="Encoding of a .txt document (default: detected).")
@click.option("--period", default=None, metavar="START-END",
              help="The plan's years, such as 2021-2025 (default: read from the document).")
@click.option("--force", "force", is_flag=True, default=False,
              help="Replace the plan file -o names if it exists.")
def extract(document: str, output: str | None, region: str | None, plan_id: str | None,
            encoding: str | None, period: str | None, force: bool = False) -> None:
    """Draft a plan file from the policy document (.txt .docx .pdf .html; .doc .wps need LibreOffice).

    Review the draft (lines marked "# CHECK:" need a look), then validate it.

    \b
    Example:
      ipreport extract policy.docx -o targets/my-plan.toml
      ipreport validate targets/my-plan.toml
    """
    from ipreport.extract.drafting import extract_plan

    if output is not None and Path(output).is_file() and not force and not _same_file(output, document):
        # A draft is made to be reviewed and edited: running extract again must not undo that work.
        raise OptionError("--output", f'"{output}" already exists (it may hold your review of an earlier '
                          "draft) and is kept as it is; give --force to replace it, or another name")
    draft = extract_plan(Path(document), region=region, plan_id=plan_id, encoding=encoding,
                         period=_period(period))
    if output is None:
        click.echo(draft, nl=False)
        return
    from ipreport.util.atomic import write_atomic

    write_atomic(Path(output), draft.encode("utf-8"), inputs=[Path(document)])
    click.echo(tr("Wrote {path}", path=output))


def _same_file(output: str, document: str) -> bool:
    """Whether -o names the document itself: refused as an input (with its own words) when written."""
    try:
        return Path(output).samefile(document)
    except OSError:
        return False


def _period(text: str | None) -> tuple[int, int] | None:
    """"2021-2025" as (2021, 2025); a misused --period is a usage error (exit 2)."""
    if text is None:
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*年?\s*[-–—~至到]\s*(\d{4})\s*年?\s*", text)  # 2021年—2025年 too
    if match is None or int(match.group(1)) > int(match.group(2)):
        message = f"expected START-END years such as 2021-2025, found {text!r}"
        raise click.BadParameter(translate_message(message),
                                 param_hint="'--period'")
    return int(match.group(1)), int(match.group(2))
